"""No import cycles among the modules of tamatch/, and every module can be imported first."""

from pathlib import Path

import pytest

from tests.import_graph import build, cycles, registration_edges

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graph():
    return build(ROOT, "tamatch")


def test_no_module_imports_another_that_imports_it_back(graph):
    """Imports anywhere (module body and functions alike) form no cycle, other than a package
    importing its own route modules so that they register on its blueprint."""
    assert len(graph.sources) > 100  # the walk found the package
    assert cycles(graph.anywhere, registration_edges(graph)) == []


def test_any_module_can_be_the_first_one_imported(graph):
    """What importing a module runs (its module-level imports and the packages above them)
    never comes back to it: an RQ worker or a CLI command may start from any module."""
    assert cycles(graph.at_import, registration_edges(graph)) == []


def test_only_entry_points_import_the_app_factory(graph):
    importers = {m for m, targets in graph.anywhere.items() if "tamatch" in targets}
    assert importers <= {"tamatch.worker"}


# --- the analysis itself, on small trees -------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_function_level_import_closes_a_cycle(tmp_path):
    root = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "def f():\n    from pkg import b\n",
            "pkg/b.py": "from pkg.a import f\n",
            "pkg/c.py": "from . import d\n",
            "pkg/d.py": "from .c import name\n",
        },
    )
    found = build(root, "pkg")
    assert cycles(found.anywhere) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.d"]]
    assert cycles(found.at_import) == [["pkg.c", "pkg.d"]]  # b -> a only inside a function


def test_registering_route_modules_is_allowed_but_a_module_they_reach_back_is_not(tmp_path):
    """The worker's trap: `jobs` imports a service of an area whose package imports its route
    modules, and those import `jobs`. No explicit cycle, yet importing `jobs` first fails."""
    root = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/area/__init__.py": "bp = object()\nfrom pkg.area import routes\n",
            "pkg/area/routes.py": "from pkg.area import bp\nfrom pkg.jobs import enqueue\n",
            "pkg/area/services.py": "def solve():\n    pass\n",
            "pkg/jobs.py": "from pkg.area.services import solve\n\ndef enqueue():\n    pass\n",
        },
    )
    found = build(root, "pkg")
    allowed = registration_edges(found)
    assert allowed == {("pkg.area.routes", "pkg.area")}
    assert cycles(found.anywhere) == [["pkg.area", "pkg.area.routes"]]
    assert cycles(found.anywhere, allowed) == []
    assert cycles(found.at_import, allowed) == [["pkg.area", "pkg.area.routes", "pkg.jobs"]]


def test_a_package_importing_its_own_modules_is_no_cycle(tmp_path):
    root = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.models.need import Need\n",
            "pkg/models/__init__.py": "from pkg.models.need import Need\n",
            "pkg/models/base.py": "Base = object\n",
            "pkg/models/need.py": "from pkg.models.base import Base\n\nNeed = Base\n",
        },
    )
    found = build(root, "pkg")
    assert cycles(found.anywhere) == cycles(found.at_import) == []
