"""The theme hierarchy's one home: a theme's parent from its code, and the tree for pickers.

Index codes nest by prefix: D23 lies under D2, D2 under D, S16 under S. A code's parent is its
longest proper prefix that is itself a theme (A41 under A4; B11 under B, since no B1 is known).
A "TM-" theme (our own namespace) has the parent its seed row names, else none. The parent is
stored as a fact (theme.parent_code, filled by the migration and the seeds); `parent_code_of`
is the rule those facts follow, and a test holds the seeds to it.
"""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from tamatch.extensions import db

INDEX_CODE = re.compile(r"^[A-HS]\d*$")
OWN_PREFIX = "TM-"


def parent_code_of(code: str, known: Collection[str]) -> str | None:
    """The parent of an Index code among the `known` codes, or None (top level, or a TM- code).

    >>> parent_code_of("D23", {"D", "D2", "D23"}), parent_code_of("B11", {"B", "B11"})
    ('D2', 'B')
    >>> parent_code_of("D", {"D"}), parent_code_of("TM-x", {"D"})
    (None, None)
    """
    if not INDEX_CODE.match(code):
        return None
    for length in range(len(code) - 1, 0, -1):
        if code[:length] in known:
            return code[:length]
    return None


def theme_parents() -> dict[str, str]:
    """{code: parent code} of every theme that has a parent (what the solver reads)."""
    from tamatch.models import Theme

    rows = db.session.execute(
        sa.select(Theme.code, Theme.parent_code).where(Theme.parent_code.is_not(None))
    )
    return {str(code): str(parent) for code, parent in rows}


@dataclass
class ThemeNode:
    """One theme in the picker's tree: its id, code, display name and the themes under it."""

    id: int
    code: str
    label: str
    children: list["ThemeNode"] = field(default_factory=list)


def theme_tree(rows: Iterable[tuple[int, str, str, str | None]]) -> list[ThemeNode]:
    """The picker's tree from (id, code, display name, parent code) rows: the groups of rights
    (top-level themes with themes under them, by code) and, last, a node with id 0 holding every
    other top-level theme (our TM- themes among them), by name. Index codes sort by code, TM-
    themes by name."""
    rows = list(rows)
    nodes = {code: ThemeNode(key, code, label) for key, code, label, _parent in rows}
    roots: list[ThemeNode] = []
    for _key, code, _label, parent in rows:
        (nodes[parent].children if parent in nodes else roots).append(nodes[code])

    def order(node: ThemeNode) -> tuple:
        return (not INDEX_CODE.match(node.code), node.code if INDEX_CODE.match(node.code)
                else node.label.casefold())  # fmt: skip

    for node in nodes.values():
        node.children.sort(key=order)
    groups = sorted((n for n in roots if n.children), key=order)
    others = sorted((n for n in roots if not n.children), key=order)
    return groups + ([ThemeNode(0, "", "", others)] if others else [])
