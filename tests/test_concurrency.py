"""Races through HTTP, 20 runs each: 50 accepts at once on one offer (capacities 1 and 3);
accepts, withdrawals, an offer closing and publications at once on the same needs."""

import threading

import pytest
import sqlalchemy as sa

from tamatch.models import (
    Decision,
    Engagement,
    Need,
    NeedStatus,
    Offer,
    Proposal,
    ProposalStatus,
    Role,
    RoundStatus,
    RunOutcome,
    RunStatus,
    SolveRun,
    Visibility,
)
from tamatch.models.base import utcnow
from tests.factories import make_round

THREADS = 50
RUNS = 20


def _setup_run(db, make, match_round, partner, capacity: int, template_need) -> tuple[int, list]:
    offer = make.offer(
        organisation=partner.organisation, capacity=capacity, budget=capacity * 10_000
    )
    run = SolveRun(round_id=match_round.id, status=RunStatus.DONE, published_at=utcnow())
    db.session.add(run)
    db.session.flush()
    proposals = []
    for _ in range(THREADS):
        need = Need(
            state_id=template_need.state_id,
            title="Race",
            gap="A gap long enough to be valid.",
            status=NeedStatus.MATCHED,
            visibility=Visibility.MEMBERS,
            cost_min=10_000,
            cost_max=10_000,
            window_start=template_need.window_start,
            window_end=template_need.window_end,
            priority=2,
        )
        need.recommendations = template_need.recommendations
        db.session.add(need)
        db.session.flush()
        outcome = RunOutcome(
            run_id=run.id, need_id=need.id, offer_id=offer.id, score=1, cost=10_000
        )
        db.session.add(outcome)
        db.session.flush()
        proposal = Proposal(
            outcome_id=outcome.id,
            run_id=run.id,
            round_id=match_round.id,
            need_id=need.id,
            offer_id=offer.id,
            score=1,
            cost=10_000,
            status=ProposalStatus.PENDING,
            state_decision=Decision.ACCEPTED,
        )
        db.session.add(proposal)
        proposals.append(proposal)
    db.session.commit()
    return offer.id, [p.id for p in proposals]


@pytest.mark.parametrize("capacity", [1, 3])
def test_fifty_racing_accepts_never_overspend(app, make, db, capacity):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        partner = make.user(role=Role.PARTNER)
        match_round = make_round(db, make.user(role=Role.ORGANISER))
        match_round.status = RoundStatus.PUBLISHED
        template = make.need(state="HTI")
        clients = [app.test_client(user=partner) for _ in range(THREADS)]
        for _ in range(RUNS):
            offer_id, ids = _setup_run(db, make, match_round, partner, capacity, template)
            statuses: list[int] = []
            barrier = threading.Barrier(THREADS)

            def accept(client, proposal_id, barrier=barrier, statuses=statuses):
                barrier.wait(timeout=60)
                response = client.post(
                    f"/rounds/proposals/{proposal_id}", data={"decision": "accept"}
                )
                statuses.append(response.status_code)

            threads = [
                threading.Thread(target=accept, args=(c, i))
                for c, i in zip(clients, ids, strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert sorted(set(statuses)) == [302], statuses  # every answer recorded, no 500
            db.session.expire_all()
            offer = db.session.get(Offer, offer_id)
            assert offer.capacity_used == capacity
            engaged = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Engagement)
                .where(Engagement.offer_id == offer_id)
            )
            assert engaged == capacity
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


# --- accept / withdraw / close / re-publish at once --------------------------------------

NEEDS = 12
COST = 10_000


def _race(calls: list) -> list[int]:
    """Run each `(client, url, data)` post in a thread of its own, all released at once."""
    statuses: list[int] = []
    barrier = threading.Barrier(len(calls))

    def post(client, url, data):
        barrier.wait(timeout=60)
        statuses.append(client.post(url, data=data).status_code)

    threads = [threading.Thread(target=post, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == len(calls)
    return statuses


def _run(db, match_round, *, published: bool) -> SolveRun:
    run = SolveRun(
        round_id=match_round.id, status=RunStatus.DONE, published_at=utcnow() if published else None
    )
    db.session.add(run)
    db.session.flush()
    return run


def _propose(db, run, need, offer, *, pending: bool) -> Proposal | None:
    outcome = RunOutcome(run_id=run.id, need_id=need.id, offer_id=offer.id, score=1, cost=COST)
    db.session.add(outcome)
    db.session.flush()
    if not pending:
        return None
    proposal = Proposal(
        outcome_id=outcome.id,
        run_id=run.id,
        round_id=run.round_id,
        need_id=need.id,
        offer_id=offer.id,
        score=1,
        cost=COST,
        status=ProposalStatus.PENDING,
        state_decision=Decision.ACCEPTED,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def _world(db, make, actors, template):
    """Round 1 published: needs 0-5 proposed on offer A, 6-11 on offer B (capacity 3 each),
    the State has accepted every one. Needs 10 and 11 were also proposed in round 3 on offer
    D, as the old code left a need withdrawn, re-published and proposed again. Round 2 has a
    finished, unpublished run proposing every need on offer C."""
    partner, organiser = actors["partner"], actors["organiser"]
    offers = {
        name: make.offer(organisation=partner.organisation, capacity=cap, budget=cap * COST)
        for name, cap in (("A", 3), ("B", 3), ("C", 4), ("D", 5))
    }
    rounds = {}
    for name, status in (("1", RoundStatus.PUBLISHED), ("2", RoundStatus.SOLVED), ("3", None)):
        rounds[name] = make_round(db, organiser, name=f"Round {name}")
        rounds[name].status = status or RoundStatus.PUBLISHED
    needs = []
    for _ in range(NEEDS):
        need = Need(
            state_id=template.state_id,
            title="Race",
            gap="A gap long enough to be valid.",
            status=NeedStatus.MATCHED,
            visibility=Visibility.MEMBERS,
            cost_min=COST,
            cost_max=COST,
            window_start=template.window_start,
            window_end=template.window_end,
            priority=2,
        )
        need.recommendations = template.recommendations
        db.session.add(need)
        needs.append(need)
    db.session.flush()
    first, later = _run(db, rounds["1"], published=True), _run(db, rounds["2"], published=False)
    doubled = _run(db, rounds["3"], published=True)
    proposals = []
    for i, need in enumerate(needs):
        proposals.append(_propose(db, first, need, offers["A" if i < 6 else "B"], pending=True))
        _propose(db, later, need, offers["C"], pending=False)
        if i >= 10:
            proposals.append(_propose(db, doubled, need, offers["D"], pending=True))
    db.session.commit()
    return {"offers": offers, "needs": needs, "proposals": proposals, "later": later}


def _check(db, world) -> dict[str, int]:
    """The invariants; returns what the race came to."""
    db.session.expire_all()
    need_ids = [n.id for n in world["needs"]]
    per_need = dict(
        db.session.execute(
            sa.select(Engagement.need_id, sa.func.count())
            .where(Engagement.need_id.in_(need_ids), Engagement.status == "active")
            .group_by(Engagement.need_id)
        ).all()
    )
    assert max(per_need.values(), default=0) <= 1, per_need
    for made in world["offers"].values():
        offer = db.session.get(Offer, made.id)
        count, total = db.session.execute(
            sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Engagement.cost), 0)).where(
                Engagement.offer_id == offer.id
            )
        ).one()
        assert (offer.capacity_used, offer.budget_used) == (count, total)
        assert offer.capacity_used <= offer.capacity and offer.budget_used <= offer.budget
    for need_id in need_ids:
        need = db.session.get(Need, need_id)
        waiting = db.session.scalar(
            sa.select(sa.func.count()).where(
                Proposal.need_id == need_id, Proposal.status == ProposalStatus.PENDING
            )
        )
        assert (need.status == NeedStatus.IN_PROGRESS) == (need_id in per_need), need.status
        if need.status in (NeedStatus.WITHDRAWN, NeedStatus.IN_PROGRESS, NeedStatus.OPEN):
            assert waiting == 0, (need.status, waiting)  # nothing waits on it
        if need.status == NeedStatus.MATCHED:
            assert waiting >= 1  # never stuck as matched with nothing to answer
    return {"engaged": len(per_need)}


@pytest.mark.usefixtures("no_csrf")
def test_accept_withdraw_close_and_publish_at_once_hold_every_invariant(app, make, db):
    actors = {
        "partner": make.user(role=Role.PARTNER),
        "focal": make.user(role=Role.FOCAL_POINT, state="HTI"),
        "organiser": make.user(role=Role.ORGANISER),
    }
    template = make.need(state="HTI")
    statuses: list[int] = []
    engaged = 0
    for _ in range(RUNS):
        world = _world(db, make, actors, template)
        clients = {name: app.test_client(user=user) for name, user in actors.items()}
        accept = {"decision": "accept"}
        withdrawn = [world["needs"][i].id for i in (0, 1, 6, 10)]
        calls = [
            (app.test_client(user=actors["partner"]), f"/rounds/proposals/{p.id}", accept)
            for p in world["proposals"]
        ]
        calls += [
            (app.test_client(user=actors["focal"]), f"/needs/{n}/status", {"target": "withdrawn"})
            for n in withdrawn
        ]
        offer_b = world["offers"]["B"].id
        calls.append((clients["partner"], f"/offers/{offer_b}/status", {"target": "closed"}))
        publish = f"/rounds/runs/{world['later'].id}/publish"
        calls.append((clients["organiser"], publish, {"confirm": "y"}))
        statuses += _race(calls)
        _check(db, world)
        # Second wave: the withdrawn needs come back while both sides answer round 2.
        later = list(
            db.session.scalars(
                sa.select(Proposal.id).where(
                    Proposal.run_id == world["later"].id, Proposal.status == ProposalStatus.PENDING
                )
            )
        )
        calls = [
            (app.test_client(user=actors[side]), f"/rounds/proposals/{p}", accept)
            for p in later
            for side in ("focal", "partner")
        ]
        calls += [
            (app.test_client(user=actors["focal"]), f"/needs/{n}/status", {"target": "draft"})
            for n in withdrawn
        ]
        calls += [
            (app.test_client(user=actors["focal"]), f"/needs/{n}/status", {"target": "withdrawn"})
            for n in [world["needs"][i].id for i in (2, 7)]
        ]
        statuses += _race(calls)
        engaged += _check(db, world)["engaged"]
    over_500 = sum(1 for s in statuses if s >= 500)
    print(
        f"\n{RUNS} runs of accept / withdraw / close / publish at once on "
        f"{db.engine.dialect.name}: {len(statuses)} requests, {over_500} answered 5xx, "
        f"{engaged} engagements, never two active on one need, never over capacity or budget"
    )
    assert over_500 == 0, sorted(set(statuses))
