"""Audit entries about a confidential need show their details only to its readers (issue 10
item 10), whichever row the entry is about: the need, a row of the need, or a row whose values
name one (a measure's progress naming the engagement on that need)."""

import sqlalchemy as sa

from tamatch.audit import record
from tamatch.models import AuditEntry, Role, Visibility
from tests.factories import make_engagement


def _entry(db, actor, obj, after) -> AuditEntry:
    entry = record(actor, "measure.progress", obj, after=after)
    db.session.commit()
    return entry


def test_an_entry_naming_a_row_of_a_need_is_about_that_need(db, make):
    sides = make_engagement(db, make, visibility=Visibility.CONFIDENTIAL)
    engagement, focal = sides["engagement"], sides["focal"]
    state = make.state("HTI")
    by_engagement = _entry(
        db, focal, state, {"status": "in_progress", "engagement_id": engagement.id}
    )
    by_proposal = _entry(db, focal, state, {"proposal_id": engagement.proposal_id})
    assert by_engagement.need_id == by_proposal.need_id == sides["need"].id
    assert _entry(db, focal, state, {"engagement_id": None}).need_id is None


def test_the_audit_page_masks_an_entry_about_a_confidential_engagement(db, make, login):
    from tamatch.admin.audit_view import audit_lines

    sides = make_engagement(db, make, visibility=Visibility.CONFIDENTIAL, title="ZX-AUDIT-CONF")
    after = {"status": "blocked", "engagement_id": sides["engagement"].id}
    entry = _entry(db, sides["focal"], make.state("HTI"), after)
    admin = make.user(role=Role.ADMIN)
    (hidden,) = audit_lines(admin, [entry])
    (shown,) = audit_lines(sides["organiser"], [entry])
    assert hidden.masked and hidden.after is None and not hidden.after_lines
    assert not shown.masked and shown.after == after
    pages = {
        name: login(user).get("/admin/audit?action=measure.").get_data(as_text=True)
        for name, user in (("admin", admin), ("organiser", sides["organiser"]))
    }
    assert "a need you may not see" in pages["admin"] and "ZX-AUDIT-CONF" not in pages["admin"]
    assert "ZX-AUDIT-CONF" in pages["organiser"]
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) > 0
