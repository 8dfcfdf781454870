"""The adapter between rows and solver/: build profiles, run the solve, store what it says."""

import logging
import threading
import time
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from solver.assign import AssignSettings, solve
from solver.explain import explain, why_unserved
from solver.profiles import Eligibility, NeedProfile, OfferProfile
from solver.result import UnmatchedReason
from solver.scoring import score_pairs
from solver.settings import LDC_TRANSITION_YEARS, RunSettings
from solver.themes import ThemeRelation
from tamatch.extensions import db
from tamatch.models import (
    Interest,
    Need,
    Offer,
    OrganisationKind,
    PairRule,
    PairRuleKind,
    Proposal,
    ProposalStatus,
    Recommendation,
    RegionalGroup,
    RoundStatus,
    RunOutcome,
    RunStatus,
    SolveRun,
)
from tamatch.models.base import utcnow
from tamatch.rounds import progress
from tamatch.rounds.permissions import UNUSABLE_RESULTS
from tamatch.rounds.services import round_needs_query, round_offers_query, transition_round
from tamatch.taxonomy import theme_parents

log = logging.getLogger(__name__)

# Peer States of these groups count as the Global South for the South-South preference.
SOUTH_GROUPS = frozenset({RegionalGroup.AFRICAN, RegionalGroup.ASIA_PACIFIC, RegionalGroup.GRULAC})


def need_profile(
    need: Need, on: date | None = None, transition_years: int = LDC_TRANSITION_YEARS
) -> NeedProfile:
    """What scoring reads of a need on the day `on` (today by default). Its cost is the middle
    of its estimated range; its State's LDC status is the one on that day, and the day it
    graduated is passed when that was within `transition_years` before it."""
    state = need.state
    on = on or utcnow().date()
    graduated = state.graduated_within(on, transition_years)
    return NeedProfile(
        id=str(need.id),
        state=state.iso3,
        # An observer State sits in no regional group.
        regional_group=state.regional_group.value if state.regional_group else "",
        # Codes, never names: explanations are facts, rendered for each reader (rounds/render.py).
        themes=frozenset(t.code for t in need.themes),
        kinds=frozenset(k.code for k in need.support_kinds),
        languages=frozenset(lang.code for lang in need.languages),
        cost=(need.cost_min + need.cost_max) // 2,
        window_start=need.window_start,
        window_end=need.window_end,
        priority=need.priority,
        is_ldc=state.is_ldc_on(on),
        is_sids=state.is_sids,
        is_lldc=state.is_lldc,
        mechanisms=frozenset(r.mechanism.code for r in need.recommendations),
        ldc_graduated_on=state.ldc_graduation_on if graduated else None,
    )


def offer_profile(
    offer: Offer,
    reserved: tuple[int, int] = (0, 0),
    interest: frozenset[tuple[str, int]] = frozenset(),
) -> OfferProfile:
    """What scoring reads of an offer, with capacity and budget net of what is taken or held,
    and the partner's interest in needs as (need id, level) pairs (`round_interest`)."""
    organisation = offer.organisation
    provider = organisation.state if organisation.kind == OrganisationKind.PEER_STATE else None
    eligibility = Eligibility(
        everyone=offer.eligible_all,
        states=frozenset(s.iso3 for s in offer.eligible_states),
        regional_groups=frozenset(g.value for g in offer.eligible_groups),
        ldc=offer.eligible_ldc,
        sids=offer.eligible_sids,
        lldc=offer.eligible_lldc,
        excluded_states=frozenset({provider.iso3}) if provider else frozenset(),
    )
    held_count, held_budget = reserved
    return OfferProfile(
        id=str(offer.id),
        themes=frozenset(t.code for t in offer.themes),
        kinds=frozenset(k.code for k in offer.support_kinds),
        languages=frozenset(lang.code for lang in offer.languages),
        eligibility=eligibility,
        capacity=max(offer.remaining_capacity - held_count, 0),
        budget=max(offer.remaining_budget - held_budget, 0),
        typical_cost=offer.typical_cost,
        window_start=offer.window_start,
        window_end=offer.window_end,
        provider_state=provider.iso3 if provider else None,
        provider_is_south=bool(provider and provider.regional_group in SOUTH_GROUPS),
        interest=interest,
    )


def round_interest(needs: list[Need], offers: list[Offer]) -> dict[int, frozenset]:
    """Offer id -> the partner's interest in the run's needs, as (need id, level) pairs: data the
    solver scores (solver.profiles.OfferProfile.interest), read from the interest table."""
    if not needs or not offers:
        return {}
    rows = db.session.execute(
        sa.select(Interest.offer_id, Interest.need_id, Interest.level).where(
            Interest.offer_id.in_([o.id for o in offers]),
            Interest.need_id.in_([n.id for n in needs]),
        )
    )
    found: dict[int, set[tuple[str, int]]] = {}
    for offer_id, need_id, level in rows:
        found.setdefault(offer_id, set()).add((str(need_id), int(level)))
    return {offer_id: frozenset(pairs) for offer_id, pairs in found.items()}


def _reserved(offer_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Capacity and budget held by proposals still waiting for consent."""
    rows = db.session.execute(
        sa.select(Proposal.offer_id, sa.func.count(), sa.func.sum(Proposal.cost))
        .where(Proposal.status == ProposalStatus.PENDING, Proposal.offer_id.in_(offer_ids))
        .group_by(Proposal.offer_id)
    )
    return {offer_id: (int(n), int(total or 0)) for offer_id, n, total in rows}


def load_members(run: SolveRun) -> tuple[list[Need], list[Offer]]:
    match_round = run.round
    needs = list(
        db.session.scalars(
            round_needs_query(match_round).options(
                selectinload(Need.state),
                selectinload(Need.themes),
                selectinload(Need.support_kinds),
                selectinload(Need.languages),
                selectinload(Need.recommendations).selectinload(Recommendation.mechanism),
            )
        )
    )
    offers = list(
        db.session.scalars(
            round_offers_query(match_round).options(
                selectinload(Offer.organisation),
                selectinload(Offer.themes),
                selectinload(Offer.support_kinds),
                selectinload(Offer.languages),
                selectinload(Offer.eligible_states),
                selectinload(Offer.eligible_group_rows),
            )
        )
    )
    return needs, offers


class _CancelCheck:
    """Polls the run's cancel flag at most twice a second (a cheap primary-key read).

    The solver may call it from its own threads, outside the app context: it holds the engine
    and uses a connection of its own.
    """

    def __init__(self, run_id: int):
        self.run_id, self.last, self.flag = run_id, 0.0, False
        self.engine = db.engine
        self.lock = threading.Lock()

    def __call__(self) -> bool:
        with self.lock:
            now = time.monotonic()
            if not self.flag and now - self.last > 0.5:
                self.last = now
                with self.engine.connect() as connection:
                    self.flag = bool(
                        connection.execute(
                            sa.select(SolveRun.cancel_requested).where(SolveRun.id == self.run_id)
                        ).scalar()
                    )
            return self.flag


def _progress(run: SolveRun, stored: str) -> None:
    """Show progress on the round's page through a connection of its own: committing the job's
    session would expire every loaded need and offer and reload them one by one."""
    with db.engine.begin() as connection:
        connection.execute(sa.update(SolveRun).where(SolveRun.id == run.id).values(progress=stored))


def execute_run(run_id: int, worker: str = "") -> None:
    """Solve one run and store its outcomes; the body of the background job. Never raises.

    `worker` (host:pid) is stored so that a reaper can tell when the process is gone."""
    run = db.session.get(SolveRun, run_id)
    if run is None or run.status != RunStatus.QUEUED:
        return
    if run.cancel_requested:
        run.status, run.finished_at = RunStatus.CANCELLED, utcnow()
        db.session.commit()
        return
    run.status, run.started_at, run.worker = RunStatus.RUNNING, utcnow(), worker[:200]
    run.progress = progress.fact(progress.LOADING)
    db.session.commit()
    try:
        _solve_and_store(run)
    except Exception:  # a failed job must say so on the round's page, not vanish
        log.exception("solve run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(SolveRun, run_id)
        run.status, run.finished_at = RunStatus.FAILED, utcnow()
        run.error = progress.fact(progress.SOLVE_FAILED)
        db.session.commit()


def _solve_and_store(run: SolveRun) -> None:
    needs, offers = load_members(run)
    reserved = _reserved([o.id for o in offers])
    interest = round_interest(needs, offers)
    stored = RunSettings.from_json(run.settings)
    weights = stored.weights
    today = date.fromisoformat(stored.today or date.today().isoformat())
    need_profiles = [need_profile(n, today, stored.ldc_transition_years) for n in needs]
    offer_profiles = [
        offer_profile(o, reserved.get(o.id, (0, 0)), interest.get(o.id, frozenset()))
        for o in offers
    ]
    _progress(run, progress.fact(progress.SCORING, needs=len(needs), offers=len(offers)))
    themes = ThemeRelation.of(theme_parents(), stored.related_theme_percent)
    scored = score_pairs(need_profiles, offer_profiles, weights, today, themes)
    rules = db.session.scalars(sa.select(PairRule).where(PairRule.round_id == run.round_id))
    need_ids, offer_ids = {n.id for n in needs}, {o.id for o in offers}
    pinned, forbidden = [], []
    for rule in rules:
        if rule.need_id in need_ids and rule.offer_id in offer_ids:
            pair = (str(rule.need_id), str(rule.offer_id))
            (pinned if rule.kind == PairRuleKind.PIN else forbidden).append(pair)
    instance = scored.instance(stored.max_per_state, pinned, forbidden)
    _progress(run, progress.fact(progress.ASSIGNING, pairs=len(scored)))
    settings = AssignSettings(
        time_limit=float(stored.time_limit),
        coverage_first=stored.coverage_first,
        workers=stored.workers,
    )
    cancel = _CancelCheck(run.id)
    result = solve(instance, settings, cancel=cancel)
    _store(run, result, needs, (need_profiles, offer_profiles), weights=weights, today=today,
           themes=themes)  # fmt: skip
    run.status = RunStatus.CANCELLED if cancel.flag else RunStatus.DONE
    if str(result.status) in UNUSABLE_RESULTS:
        run.status = RunStatus.FAILED
    run.solver_status = str(result.status)
    run.objective, run.bound, run.gap = result.objective, result.bound, result.gap
    run.needs_bound = result.needs_bound
    run.seconds = round(result.seconds, 3)
    run.needs_entered, run.offers_entered = len(needs), len(offers)
    run.needs_served = len(result.assignments)
    run.error = (
        progress.fact(progress.SOLVER, status=str(result.status), detail=result.message)
        if result.message
        else ""
    )
    run.finished_at = utcnow()
    run.progress = ""
    if run.status == RunStatus.DONE and run.round.status == RoundStatus.CLOSED:
        transition_round(None, run.round, RoundStatus.SOLVED)
    if _reaped(run.id):  # marked failed meanwhile (its time limit long passed): keep that
        db.session.rollback()
        return
    db.session.commit()


def _reaped(run_id: int) -> bool:
    with db.engine.connect() as connection:
        status = connection.execute(
            sa.select(SolveRun.status).where(SolveRun.id == run_id)
        ).scalar()
    return status != RunStatus.RUNNING


def _store(run, result, needs, profiles, *, weights, today, themes) -> None:
    need_profiles, offer_profiles = profiles
    profile_of = {p.id: p for p in need_profiles}
    offer_of = {p.id: p for p in offer_profiles}
    assigned = {a.need_id: a for a in result.assignments}
    reasons = {u.id: u.reason for u in result.unmatched}
    rows = []
    for need in needs:
        key = str(need.id)
        alternatives = [
            {"offer_id": int(alt.offer_id), "score": alt.score, "cost": alt.cost}
            for alt in result.alternatives.get(key, ())
        ]
        row = {"run_id": run.id, "need_id": need.id, "alternatives": alternatives}
        if key in assigned:
            a = assigned[key]
            why = explain(profile_of[key], offer_of[a.offer_id], weights, today, themes)
            row |= {
                "offer_id": int(a.offer_id),
                "score": a.score,
                "cost": a.cost,
                "explanation": why.facts(),
                "reason_code": "",
                "reasons": [],
            }
        else:
            reason = reasons.get(key, UnmatchedReason.NO_ELIGIBLE_OFFER)
            facts = (
                why_unserved(profile_of[key], offer_profiles)
                if reason == UnmatchedReason.NO_ELIGIBLE_OFFER
                else []
            )
            row |= {
                "offer_id": None,
                "score": None,
                "cost": None,
                "explanation": [],
                "reason_code": str(reason),
                "reasons": [fact.to_json() for fact in facts],
            }
        rows.append(row)
    if rows:
        db.session.execute(sa.insert(RunOutcome), rows)


def offer_admits(offer: Offer, need: Need) -> bool:
    """The offer may serve the need's State (the solver's own eligibility rule)."""
    return offer_profile(offer).eligibility.admits(need_profile(need))
