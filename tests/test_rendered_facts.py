"""Derived text is stored as facts and rendered for its reader (issue 10 items 1 and 10).

A partner answering a proposal on a confidential need must not read the need's State, its
flags, its title or the State's reason in "Why this match", the API, notifications or e-mails;
an administrator must not read the details of audit entries about such a need. Those entitled
to the need read all of it, in words.
"""

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa

from tamatch.audit import record
from tamatch.models import (
    AuditEntry,
    Language,
    Need,
    Notification,
    OutboxMessage,
    Proposal,
    Role,
    RunOutcome,
    SolveRun,
    SupportKind,
    Theme,
    User,
    Visibility,
)
from tamatch.rounds import runs
from tamatch.rounds.notify import tell_about_publication
from tamatch.rounds.solving import execute_run
from tests.api_support import bearer
from tests.factories import make_round

# Nepal left the LDC category on 24 November 2026: these runs are solved on a day before.
BEFORE_GRADUATION = "2026-06-01"
REASON = "Our defenders would be exposed by a visit now."
TITLE = "Shelter network for defenders under threat"


@dataclass
class Pair:
    organiser: User
    focal: User
    partner: User
    need: Need
    proposal: Proposal


def _published(db, make, visibility: Visibility) -> Pair:
    """A need of Nepal (a least developed and landlocked country) and one offer, solved by the
    real solver and published through the services, both sides notified."""
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="NPL")
    partner = make.user(role=Role.PARTNER)
    need = make.need(state="NPL", visibility=visibility, title=TITLE)
    make.offer(organisation=partner.organisation, title="Trainers for safety planning")
    match_round = make_round(db, organiser)
    run = runs.create_run(organiser, match_round)
    run.settings = {**run.settings, "today": BEFORE_GRADUATION}
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    proposals = runs.publish_run(organiser, db.session.get(SolveRun, run.id))
    tell_about_publication(proposals)
    db.session.commit()
    assert len(proposals) == 1
    return Pair(organiser, focal, partner, need, proposals[0])


def _api(app, token_for, user, proposal) -> dict:
    response = app.test_client().get(
        f"/api/v1/proposals/{proposal.id}", headers=bearer(token_for(user))
    )
    assert response.status_code == 200
    return response.json


def test_the_run_stores_facts_never_sentences(app, db, make):
    pair = _published(db, make, Visibility.CONFIDENTIAL)
    outcome = db.session.scalar(sa.select(RunOutcome).where(RunOutcome.need_id == pair.need.id))
    assert outcome.explanation and all(isinstance(f, dict) for f in outcome.explanation)
    status = [f for f in outcome.explanation if f["code"] == "status"]
    assert status == [
        {"code": "status", "points": 10, "args": {"flag": "ldc", "state": "NPL"}},
        {"code": "status", "points": 6, "args": {"flag": "lldc", "state": "NPL"}},
    ]
    assert sum(f["points"] for f in outcome.explanation) == outcome.score


def test_partner_reads_why_this_match_without_the_confidential_state(
    app, db, make, login, token_for
):
    pair = _published(db, make, Visibility.CONFIDENTIAL)
    page = login(pair.partner).get(f"/rounds/proposals/{pair.proposal.id}").text
    explanation = _api(app, token_for, pair.partner, pair.proposal)["explanation"]
    said = " ".join(explanation)
    for text in (page, said):
        for secret in ("Nepal", "NPL", "least developed", "landlocked", TITLE):
            assert secret not in text
    assert "The State's development status: +16" in explanation  # the points stay, summed
    assert explanation[-1] == f"Total: {pair.proposal.score}"
    for reader in (pair.focal, pair.organiser):
        lines = _api(app, token_for, reader, pair.proposal)["explanation"]
        assert "Nepal is a least developed country: +10" in lines
        assert "Nepal is a landlocked developing country: +6" in lines
        assert "Nepal is a least developed country: +10" in (
            login(reader).get(f"/rounds/proposals/{pair.proposal.id}").text
        )


def test_a_need_the_partner_may_see_is_explained_in_full(app, db, make, token_for):
    pair = _published(db, make, Visibility.MEMBERS)
    lines = _api(app, token_for, pair.partner, pair.proposal)["explanation"]
    assert "Nepal is a least developed country: +10" in lines


def _decline(login, pair: Pair) -> None:
    response = login(pair.focal).post(
        f"/rounds/proposals/{pair.proposal.id}", data={"decision": "decline", "reason": REASON}
    )
    assert response.status_code == 302


def test_the_states_reason_reaches_only_the_needs_readers(app, db, make, login, token_for, no_csrf):
    pair = _published(db, make, Visibility.CONFIDENTIAL)
    _decline(login, pair)
    url = f"/rounds/proposals/{pair.proposal.id}"
    assert REASON not in login(pair.partner).get(url).text
    assert _api(app, token_for, pair.partner, pair.proposal)["state_reason"] is None
    for reader in (pair.focal, pair.organiser):
        assert REASON in login(reader).get(url).text
        assert _api(app, token_for, reader, pair.proposal)["state_reason"] == REASON
    export = login(pair.partner).get(f"/rounds/{pair.proposal.round_id}/export/proposals.csv")
    assert export.status_code == 200 and REASON not in export.text


def test_a_decline_notice_says_why_to_those_entitled_and_e_mail_never(db, make, login, no_csrf):
    pair = _published(db, make, Visibility.CONFIDENTIAL)
    _decline(login, pair)

    def notes(user):
        return db.session.scalars(
            sa.select(Notification.body).where(Notification.user_id == user.id)
        ).all()

    partner_notes, organiser_notes = " ".join(notes(pair.partner)), " ".join(notes(pair.organiser))
    assert "declined" in partner_notes and REASON not in partner_notes
    assert TITLE not in partner_notes and "a confidential need" in partner_notes
    assert REASON in organiser_notes and TITLE in organiser_notes
    assert TITLE in " ".join(notes(pair.focal))  # told of the publication, by the need's title
    mail = " ".join(db.session.scalars(sa.select(OutboxMessage.body)).all())
    assert "declined" in mail and REASON not in mail and TITLE not in mail  # e-mail leaves us


def test_a_public_needs_reason_reaches_the_partner(app, db, make, login, token_for, no_csrf):
    pair = _published(db, make, Visibility.PUBLIC)
    _decline(login, pair)
    assert _api(app, token_for, pair.partner, pair.proposal)["state_reason"] == REASON


def test_audit_entries_on_a_confidential_need_show_details_only_to_its_readers(db, make, login):
    from tamatch.needs.services import NeedData, create_need

    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    recommendation = make.recommendation(state="HTI")
    secret, _public = (
        create_need(
            focal,
            NeedData(
                title=title,
                gap="A gap described in the State's own words, long enough to pass.",
                recommendation_ids=(recommendation.id,),
                theme_ids=(make.term(Theme).id,),
                support_kind_ids=(make.term(SupportKind).id,),
                language_ids=(make.term(Language, "en").id,),
                cost_min=cost,
                cost_max=cost + 1,
                window_start=date(2027, 1, 1),
                window_end=date(2027, 6, 30),
                priority=2,
                visibility=visibility,
            ),
            publish=True,
        )
        for title, cost, visibility in (
            (TITLE, 12_345, Visibility.CONFIDENTIAL),
            ("An ordinary need", 23_456, Visibility.PUBLIC),
        )
    )
    db.session.commit()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_id == secret.id))
    assert entry.need_id == secret.id
    admin = login(make.user(role=Role.ADMIN)).get("/admin/audit?object=need").text
    assert "23456" in admin and "12345" not in admin and TITLE not in admin
    assert "Details shown only to those who may see the need." in admin
    organiser = login(make.user(role=Role.ORGANISER)).get("/admin/audit?object=need").text
    assert "12345" in organiser and TITLE in organiser  # the title looked up, not stored
    assert TITLE not in str(entry.after)


@pytest.mark.parametrize("via", ["proposal", "values"])
def test_an_entry_on_a_row_of_a_need_knows_its_need(db, make, via):
    organiser = make.user(role=Role.ORGANISER)
    need, offer = make.need(visibility=Visibility.CONFIDENTIAL), make.offer()
    from tests.factories import make_proposal

    proposal = make_proposal(db, make_round(db, organiser), need, offer)
    if via == "proposal":
        entry = record(organiser, "proposal.accepted", proposal, after={"side": "state"})
    else:
        entry = record(organiser, "round.pin", proposal.round, after={"need_id": need.id})
    assert entry.need_id == need.id
    assert record(organiser, "round.update", proposal.round).need_id is None
