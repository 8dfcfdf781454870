"""One home for each rule: each predicate agrees with its SQL mirror, templates and services
ask the same predicate, and nobody (None or anonymous) is never an organiser or a side."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from tamatch.auth.permissions import (
    has_role,
    is_organiser,
    own_side_clause,
    role_clause,
    side_members,
    side_of,
)
from tamatch.errors import InvalidTransition, PermissionDenied
from tamatch.models import (
    MatchRound,
    Need,
    Offer,
    Proposal,
    ProposalStatus,
    Role,
    RoundStatus,
    RunStatus,
    Side,
    SolveRun,
    User,
)
from tamatch.rounds import runs, services
from tamatch.rounds.permissions import (
    can_answer,
    can_publish_run,
    can_see_proposal,
    can_see_round,
    can_set_participation,
    visible_proposals_clause,
    visible_rounds_clause,
)
from tests.factories import make_proposal, make_round

ANONYMOUS = AnonymousUserMixin()


@pytest.fixture
def cast(make):
    """A pair (need of HTI, offer of one partner) and one user of every kind around it."""
    partner = make.user(role=Role.PARTNER)
    need, offer = make.need(state="HTI"), make.offer(organisation=partner.organisation)
    users = {
        "focal_own": make.user(role=Role.FOCAL_POINT, state="HTI"),
        "focal_other": make.user(role=Role.FOCAL_POINT, state="NPL"),
        "partner_own": partner,
        "partner_other": make.user(role=Role.PARTNER),
        "organiser": make.user(role=Role.ORGANISER),
        "reviewer": make.user(role=Role.REVIEWER),
        "civil": make.user(role=Role.CIVIL_SOCIETY),
        "admin": make.user(role=Role.ADMIN),
    }
    return need, offer, users


def test_side_of_each_user(cast):
    need, offer, users = cast
    sides = {name: side_of(user, need, offer) for name, user in users.items()}
    assert sides == {
        "focal_own": Side.STATE,
        "focal_other": None,
        "partner_own": Side.PARTNER,
        "partner_other": None,
        "organiser": None,
        "reviewer": None,
        "civil": None,
        "admin": None,
    }
    assert side_of(None, need, offer) is None
    assert side_of(ANONYMOUS, need, offer) is None


def test_own_side_clause_selects_the_pairs_side_of_finds(db, cast):
    need, offer, users = cast
    pair = (
        sa.select(Need.id)
        .select_from(Need)
        .join(Offer, sa.true())
        .where(Need.id == need.id, Offer.id == offer.id)
    )
    for name, user in [*users.items(), ("nobody", None), ("anonymous", ANONYMOUS)]:
        selected = db.session.scalar(pair.where(own_side_clause(user))) is not None
        assert selected == (side_of(user, need, offer) is not None), name


def test_side_members_are_the_users_side_of_names(db, cast):
    need, offer, users = cast
    for side in Side:
        expected = sorted(u.id for u in users.values() if side_of(u, need, offer) == side)
        assert [u.id for u in side_members(side, need, offer)] == expected


def test_nobody_is_an_organiser_and_role_clause_mirrors_has_role(db, cast):
    _need, _offer, users = cast
    assert not is_organiser(None) and not is_organiser(ANONYMOUS)
    assert not has_role(ANONYMOUS, *Role)
    assert [u.role for u in users.values() if is_organiser(u)] == [Role.ORGANISER]
    for roles in [(Role.ORGANISER,), (Role.REVIEWER, Role.ADMIN)]:
        found = set(db.session.scalars(sa.select(User.id).where(role_clause(*roles))))
        assert found == {u.id for u in users.values() if has_role(u, *roles)}


def test_an_anonymous_actor_is_refused_by_every_round_service(db, make, cast):
    """The services used to read `actor.role` (an AttributeError for an anonymous user) or
    let a missing role through; now they all ask is_organiser."""
    _need, _offer, users = cast
    match_round = make_round(db, users["organiser"])
    with pytest.raises(PermissionDenied):
        runs.create_run(ANONYMOUS, match_round)
    with pytest.raises(PermissionDenied):
        services.transition_round(ANONYMOUS, match_round, RoundStatus.ARCHIVED)
    with pytest.raises(PermissionDenied):
        runs.create_run(users["reviewer"], match_round)
    assert runs.create_run(None, match_round).status == RunStatus.QUEUED  # the platform (CLI)


def test_round_and_proposal_visibility_agree_with_their_clauses(db, make, cast):
    need, offer, users = cast
    shown = make_round(db, users["organiser"])
    draft = MatchRound(
        name="Draft",
        serves="HRC 62",
        submission_deadline=date(2030, 1, 1),
        status=RoundStatus.DRAFT,
        created_by_id=users["organiser"].id,
    )
    db.session.add(draft)
    db.session.commit()
    pending = make_proposal(db, shown, need, offer)
    unpublished = make_proposal(db, shown, need, offer, status=ProposalStatus.DRAFT)
    for name, user in [*users.items(), ("anonymous", ANONYMOUS)]:
        rounds = set(
            db.session.scalars(
                sa.select(MatchRound.id).where(
                    MatchRound.id.in_([shown.id, draft.id]), visible_rounds_clause(user)
                )
            )
        )
        assert rounds == {r.id for r in (shown, draft) if can_see_round(user, r)}, name
        proposals = set(
            db.session.scalars(
                sa.select(Proposal.id)
                .join(Need, Need.id == Proposal.need_id)
                .join(Offer, Offer.id == Proposal.offer_id)
                .where(visible_proposals_clause(user))
            )
        )
        expected = {p.id for p in (pending, unpublished) if can_see_proposal(user, p)}
        assert proposals == expected, name
    assert can_see_proposal(users["focal_own"], pending)
    assert not can_see_proposal(users["focal_own"], unpublished)
    assert can_see_round(users["partner_other"], shown) and not can_see_round(users["civil"], shown)


def test_a_side_answers_a_pending_proposal_once(db, make, cast):
    from tamatch.rounds.consent import decide

    need, offer, users = cast
    proposal = make_proposal(db, make_round(db, users["organiser"]), need, offer)
    assert can_answer(users["focal_own"], proposal) and can_answer(users["partner_own"], proposal)
    assert not can_answer(users["organiser"], proposal)
    decide(users["focal_own"], proposal, True)
    db.session.commit()
    assert not can_answer(users["focal_own"], proposal)
    assert can_answer(users["partner_own"], proposal)


# --- templates ask the predicate the service asks -------------------------------------------


def test_the_publish_button_shows_exactly_when_publish_run_would_accept(db, make, login, cast):
    _need, _offer, users = cast
    organiser = users["organiser"]
    match_round = make_round(db, organiser)
    run = SolveRun(round_id=match_round.id, status=RunStatus.DONE)
    db.session.add(run)
    db.session.commit()
    page = login(organiser).get(f"/rounds/runs/{run.id}").get_data(as_text=True)
    assert not can_publish_run(organiser, run)  # the round is closed, not solved
    assert "Publish these proposals" not in page
    with pytest.raises(InvalidTransition):
        runs.publish_run(organiser, run)
    services.transition_round(None, match_round, RoundStatus.SOLVED)
    db.session.commit()
    page = login(organiser).get(f"/rounds/runs/{run.id}").get_data(as_text=True)
    assert can_publish_run(organiser, run)
    assert "Publish these proposals" in page


def test_no_take_out_button_once_the_deadline_has_passed(db, make, login, cast):
    need, _offer, users = cast
    focal = users["focal_own"]
    match_round = make_round(db, users["organiser"])
    services.transition_round(users["organiser"], match_round, RoundStatus.OPEN)
    db.session.commit()
    page = login(focal).get(f"/rounds/{match_round.id}").get_data(as_text=True)
    assert can_set_participation(focal, match_round, need) and "Take out" in page
    match_round.submission_deadline = date.today() - timedelta(days=1)
    db.session.commit()
    page = login(focal).get(f"/rounds/{match_round.id}").get_data(as_text=True)
    assert not can_set_participation(focal, match_round, need)
    assert "Take out" not in page
    with pytest.raises(InvalidTransition):
        services.set_participation(focal, match_round, need, False)


NAV = {
    "Post a need": {Role.FOCAL_POINT},
    "Post an offer": {Role.PARTNER},
    "Proposals</a>": {Role.FOCAL_POINT, Role.PARTNER},
    "Rounds</a>": {Role.FOCAL_POINT, Role.PARTNER, Role.ORGANISER},
    "Follow-up</a>": set(Role) - {Role.ADMIN},
    "Outcomes</a>": {Role.ORGANISER, Role.REVIEWER},
    "Audit log": {Role.ADMIN, Role.ORGANISER},
    "Outbox": {Role.ADMIN},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_the_navigation_its_routes_allow(make, login, role):
    page = login(make.user(role=role)).get("/").get_data(as_text=True)
    shown = {label for label in NAV if label in page}
    assert shown == {label for label, roles in NAV.items() if role in roles}
