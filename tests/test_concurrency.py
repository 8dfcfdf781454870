"""Racing accepts through HTTP: 50 at once on one offer, 20 runs, capacities 1 and 3."""

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
    RunOutcome,
    RunStatus,
    SolveRun,
    Visibility,
)
from tests.factories import make_round

THREADS = 50
RUNS = 20


def _setup_run(db, make, match_round, partner, capacity: int, template_need) -> tuple[int, list]:
    offer = make.offer(
        organisation=partner.organisation, capacity=capacity, budget=capacity * 10_000
    )
    run = SolveRun(round_id=match_round.id, status=RunStatus.DONE)
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
