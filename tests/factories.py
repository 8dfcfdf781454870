"""Test data factories: each call adds valid rows with sensible defaults and commits."""

import itertools
from datetime import date

import sqlalchemy as sa

from tamatch.auth.passwords import hash_password
from tamatch.models import (
    Language,
    Mechanism,
    Modality,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationKind,
    Recommendation,
    Response,
    Role,
    State,
    SupportKind,
    Theme,
    User,
    Visibility,
)

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


class Factories:
    def __init__(self, db):
        self.db = db
        self._password_hash: str | None = None

    def _save(self, obj):
        self.db.session.add(obj)
        self.db.session.commit()
        return obj

    def state(self, iso3: str) -> State:
        return self.db.session.scalar(sa.select(State).where(State.iso3 == iso3))

    def term(self, model, code: str | None = None):
        stmt = sa.select(model).order_by(model.id)
        if code:
            stmt = stmt.where(model.code == code)
        return self.db.session.scalars(stmt).first()

    def organisation(self, name=None, kind=OrganisationKind.UN_ENTITY, state=None) -> Organisation:
        n = next(_counter)
        return self._save(Organisation(name=name or f"Organisation {n}", kind=kind, state=state))

    def user(self, role=Role.FOCAL_POINT, state="HTI", organisation=None, **kwargs) -> User:
        n = next(_counter)
        if self._password_hash is None:
            self._password_hash = hash_password(PASSWORD)
        state_row = self.state(state) if isinstance(state, str) else state
        if role == Role.PARTNER and organisation is None:
            organisation = self.organisation()
        if role == Role.CIVIL_SOCIETY and organisation is None:
            organisation = self.organisation(kind=OrganisationKind.NHRI, state=state_row)
        defaults = {
            "email": f"user{n}@example.org",
            "name": f"User {n}",
            "password_hash": self._password_hash,
        }
        defaults.update(kwargs)
        return self._save(
            User(
                role=role,
                state=state_row if role == Role.FOCAL_POINT else None,
                organisation=organisation,
                **defaults,
            )
        )

    def recommendation(self, state="HTI", text=None, **kwargs) -> Recommendation:
        n = next(_counter)
        state_row = self.state(state) if isinstance(state, str) else state
        defaults = {
            "external_key": f"test:{n}",
            "mechanism": self.term(Mechanism, "UPR"),
            "body": "Human Rights Council",
            "session": "UPR 40",
            "cycle": 4,
            "document_symbol": f"A/HRC/99/{n}",
            "paragraph": f"1.{n}",
            "issued_on": date(2024, 1, 1),
            "response": Response.SUPPORTED,
        }
        defaults.update(kwargs)
        return self._save(
            Recommendation(state=state_row, text=text or f"Recommendation number {n}.", **defaults)
        )

    def need(
        self, state="HTI", status=NeedStatus.OPEN, visibility=Visibility.MEMBERS, **kw
    ) -> Need:
        state_row = self.state(state) if isinstance(state, str) else state
        recs = kw.pop("recommendations", None) or [self.recommendation(state=state_row)]
        n = next(_counter)
        defaults = {
            "title": f"Need {n}",
            "gap": "A gap described in the State's own words, long enough.",
            "cost_min": 10_000,
            "cost_max": 30_000,
            "window_start": date(2027, 1, 1),
            "window_end": date(2027, 6, 30),
            "priority": 2,
        }
        defaults.update(kw)
        need = Need(state=state_row, status=status, visibility=visibility, **defaults)
        need.recommendations = recs
        need.themes = [self.term(Theme)]
        need.support_kinds = [self.term(SupportKind)]
        need.languages = [self.term(Language, "en")]
        return self._save(need)

    def offer(self, organisation=None, status=OfferStatus.OPEN, **kw) -> Offer:
        n = next(_counter)
        defaults = {
            "title": f"Offer {n}",
            "description": "What the partner offers, described at some length.",
            "modality": Modality.REMOTE,
            "capacity": 3,
            "budget": 90_000,
            "typical_cost": 25_000,
            "window_start": date(2027, 1, 1),
            "window_end": date(2027, 12, 31),
            "eligible_all": True,
        }
        defaults.update(kw)
        offer = Offer(organisation=organisation or self.organisation(), status=status, **defaults)
        offer.themes = [self.term(Theme)]
        offer.support_kinds = [self.term(SupportKind)]
        offer.languages = [self.term(Language, "en")]
        return self._save(offer)


def make_round(db, organiser, **kwargs):
    """A closed round (ready to solve) created through the service."""
    from tamatch.models import RoundStatus
    from tamatch.rounds.services import RoundData, create_round, transition_round

    data = {
        "name": "HRC 61 round",
        "serves": "HRC 61",
        "submission_deadline": date(2030, 1, 1),
        "followup_months": (6, 12),
        "time_limit": 5,
    }
    data.update(kwargs)
    match_round = create_round(organiser, RoundData(**data))
    transition_round(organiser, match_round, RoundStatus.OPEN)
    transition_round(organiser, match_round, RoundStatus.CLOSED)
    db.session.commit()
    return match_round


def make_proposal(db, match_round, need, offer, *, run=None, cost=20_000, score=10, **fields):
    """A proposal of a done run (a new one unless given), pending unless `status` says else.

    As publishing does, the run is published and the round too (the need keeps its status)."""
    from tamatch.models import (
        Proposal,
        ProposalStatus,
        RoundStatus,
        RunOutcome,
        RunStatus,
        SolveRun,
    )
    from tamatch.models.base import utcnow

    if run is None:
        run = SolveRun(round_id=match_round.id, status=RunStatus.DONE)
        db.session.add(run)
        db.session.flush()
    if fields.get("status", ProposalStatus.PENDING) != ProposalStatus.DRAFT:
        run.published_at = run.published_at or utcnow()
        if match_round.status in (RoundStatus.CLOSED, RoundStatus.SOLVED):
            match_round.status = RoundStatus.PUBLISHED
    outcome = RunOutcome(
        run_id=run.id,
        need_id=need.id,
        offer_id=offer.id,
        score=score,
        cost=cost,
        explanation=[{"code": "priority", "points": score, "args": {"level": 2}}],
        alternatives=[],
    )
    db.session.add(outcome)
    db.session.flush()
    fields.setdefault("status", ProposalStatus.PENDING)
    proposal = Proposal(
        outcome_id=outcome.id,
        run_id=run.id,
        round_id=match_round.id,
        need_id=need.id,
        offer_id=offer.id,
        score=score,
        cost=cost,
        **fields,
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal


def make_engagement(db, make, state="HTI", visibility=None, months=(6, 12), **need_kwargs):
    """An engagement started through the consent service; returns a dict of its actors."""
    from tamatch.models import NeedStatus, Role, User, Visibility
    from tamatch.rounds.consent import decide

    organiser = db.session.scalar(sa.select(User).where(User.role == Role.ORGANISER))
    organiser = organiser or make.user(role=Role.ORGANISER)
    focal = db.session.scalar(
        sa.select(User).where(User.role == Role.FOCAL_POINT, User.state_id == make.state(state).id)
    ) or make.user(role=Role.FOCAL_POINT, state=state)
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation)
    need = make.need(
        state=state,
        status=NeedStatus.MATCHED,
        visibility=visibility or Visibility.MEMBERS,
        **need_kwargs,
    )
    match_round = make_round(db, organiser, followup_months=months)
    proposal = make_proposal(db, match_round, need, offer)
    decide(focal, proposal, True)
    engagement = decide(partner, proposal, True).engagement
    db.session.commit()
    return {
        "engagement": engagement,
        "focal": focal,
        "partner": partner,
        "organiser": organiser,
        "need": need,
        "offer": offer,
        "round": match_round,
    }
