"""The audit log says each action, key and State in words: every action the code records has
its label, and ids of States show as their names."""

import ast
from pathlib import Path

import pytest
from flask_babel import LazyString

from tamatch.admin.audit_actions import ACTION_LABELS, action_label
from tamatch.admin.audit_details import detail_lines
from tamatch.audit import record
from tamatch.models import PairRuleKind, Role

# Actions built at run time: each value the code can give.
DYNAMIC = {
    "'report.submit' if submit else 'report.save'": {"report.submit", "report.save"},
    "ACTION": {"run.remind"},
    "EXPORT_ACTIONS[what]": {"export.proposals", "export.engagements"},
    "f'proposal.{decision.value}'": {"proposal.accepted", "proposal.declined"},
    "f'round.{kind.value}'": {f"round.{kind.value}" for kind in PairRuleKind},
    "f'export.{what}'": {
        "export.needs", "export.offers", "export.recommendations", "export.measures",
        "export.midterm_report", "export.treaty_followup_report",
    },
    "action": {
        "calendar_feed.create", "calendar_feed.regenerate", "indicator.value",
        "indicator.value_replace", "institution.assign", "institution.unassign",
    },
}  # fmt: skip


def _recorded_actions() -> set[str]:
    actions: set[str] = set()
    for path in Path("tamatch").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            called = getattr(name, "id", getattr(name, "attr", None))
            if not isinstance(node, ast.Call) or called != "record" or len(node.args) < 2:
                continue
            action = node.args[1]
            if isinstance(action, ast.Constant):
                actions.add(action.value)
            else:
                expression = ast.unparse(action)
                assert expression in DYNAMIC, f"{path}: name the values of {expression}"
                actions |= DYNAMIC[expression]
    return actions


def test_every_recorded_action_has_its_words():
    actions = _recorded_actions()
    assert len(actions) > 60
    assert sorted(actions - ACTION_LABELS.keys()) == []


def test_words_are_made_for_the_reader_at_display_time():
    assert all(isinstance(words, LazyString) for words in ACTION_LABELS.values())
    assert action_label("some.future_action") == "some.future_action"


def test_ids_of_states_show_as_names_and_keys_as_words(app, make, db):
    fiji, samoa = make.state("FJI"), make.state("WSM")
    with app.test_request_context():
        lines = detail_lines("need", {"state_id": fiji.id, "states": [fiji.id, samoa.id]})
    assert lines == [("State", "Fiji", True), ("States", "Fiji, Samoa", True)]


@pytest.mark.usefixtures("no_csrf")
def test_the_audit_page_shows_actions_in_words(make, login, db):
    admin = make.user(role=Role.ADMIN)
    need = make.need(state="FJI")
    record(admin, "need.cohort_invite", need, after={"state_id": make.state("WSM").id})
    db.session.commit()
    html = login(admin).get("/admin/audit").get_data(as_text=True)
    assert "State invited to a joint need" in html and "Samoa" in html
    assert "<code>need.cohort_invite</code>" not in html


def test_every_audited_field_has_its_words():
    from tamatch.admin.audit_actions import KEY_LABELS
    from tamatch.needs.services import AUDITED_FIELDS as NEED_FIELDS
    from tamatch.offers.services import AUDITED_FIELDS as OFFER_FIELDS
    from tamatch.planning.measures import INDICATOR_FIELDS, MEASURE_FIELDS
    from tamatch.planning.services import CLUSTER_FIELDS
    from tamatch.rounds.services import AUDITED as ROUND_FIELDS

    fields = {
        *NEED_FIELDS, *OFFER_FIELDS, *MEASURE_FIELDS, *INDICATOR_FIELDS, *CLUSTER_FIELDS,
        *ROUND_FIELDS,
    }  # fmt: skip
    assert sorted(fields - KEY_LABELS.keys()) == []
