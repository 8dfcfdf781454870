"""Round pages' queries: who takes part (exclusions loaded in one query), runs' offers."""

from contextlib import contextmanager

import sqlalchemy as sa

from tamatch.extensions import db as _db
from tamatch.models import PairRuleKind, Role, RoundStatus, RunOutcome, RunStatus, SolveRun
from tamatch.rounds import queries, services
from tests.factories import make_round


@contextmanager
def counted_statements():
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(_db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", count)


def _open_round(db, make):
    match_round = make_round(db, make.user(role=Role.ORGANISER))
    match_round.status = RoundStatus.OPEN
    db.session.commit()
    return match_round


def test_participation_rows_say_what_fits_and_what_was_taken_out(db, make):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    match_round = _open_round(db, make)
    kept, taken_out = make.need(state="HTI"), make.need(state="HTI")
    make.need(state="NPL")  # another State's: not the focal point's to list
    services.set_participation(focal, match_round, taken_out, take_part=False)
    db.session.commit()
    rows = queries.participation_rows(focal, match_round)
    assert [(item.id, fits, out) for item, fits, out in rows] == [
        (kept.id, True, False),
        (taken_out.id, False, True),
    ]
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation)
    assert [(i.id, f, o) for i, f, o in queries.participation_rows(partner, match_round)] == [
        (offer.id, True, False)
    ]


def test_the_participation_page_costs_the_same_queries_for_one_item_or_many(db, make, login):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    match_round = _open_round(db, make)
    make.need(state="HTI")
    client, url = login(focal), f"/rounds/{match_round.id}"
    client.get(url)  # warm caches (reference choices, templates)
    with counted_statements() as one:
        assert client.get(url).status_code == 200
    for _ in range(5):
        need = make.need(state="HTI")
        services.set_participation(focal, match_round, need, take_part=False)
    db.session.commit()
    with counted_statements() as six:
        page = client.get(url).get_data(as_text=True)
    assert page.count("Taken out") >= 5
    assert len(six) == len(one)  # no query per item (it used to ask about each exclusion)


def test_offers_named_by_a_runs_matches_and_alternatives(db, make):
    organiser = make.user(role=Role.ORGANISER)
    match_round = make_round(db, organiser)
    matched, alternative, unrelated = make.offer(), make.offer(), make.offer()
    run = SolveRun(round_id=match_round.id, status=RunStatus.DONE)
    db.session.add(run)
    db.session.flush()
    need = make.need()
    db.session.add_all(
        [
            RunOutcome(
                run_id=run.id,
                need_id=need.id,
                offer_id=matched.id,
                score=9,
                cost=1,
                explanation=[],
                alternatives=[{"offer_id": alternative.id, "score": 7}],
            ),
            RunOutcome(run_id=run.id, need_id=make.need().id, score=None, explanation=[]),
        ]
    )
    db.session.commit()
    outcomes = db.session.scalars(queries.run_outcomes_query(run)).all()
    assert [o.offer_id for o in outcomes] == [matched.id]
    assert len(db.session.scalars(queries.run_outcomes_query(run, unmatched=True)).all()) == 1
    assert set(queries.offers_named(outcomes)) == {matched.id, alternative.id}
    assert unrelated.id not in queries.offers_by_id([matched.id, None])
    services.set_pair_rule(organiser, match_round, need, matched, kind=PairRuleKind.PIN)
    assert [r.offer_id for r in queries.pair_rules(match_round)] == [matched.id]
    assert queries.fitting_counts(match_round)["offers"] >= 3
