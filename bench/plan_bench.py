"""Planning benchmark: a State's dashboard and mid-term export over a large plan.

Run with `make bench-web` (or `python -m bench.plan_bench`). Builds a scratch SQLite database
through the migrations, gives one State 600 recommendations (one UPR cycle, the export's worst
case), 20 institutions, 40 clusters, 150 measures and 300 indicators with quarterly values, all
through the planning services, then times the focal point's pages and downloads through the
WSGI app. Target: each under 2 s.
"""

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask_login import FlaskLoginClient

from tamatch import create_app
from tamatch.extensions import db
from tamatch.models import (
    InstitutionKind,
    MeasureStatus,
    MeasureVisibility,
    Mechanism,
    Recommendation,
    Response,
    Role,
    State,
    Theme,
    User,
)

TARGET_MS = 2000
WORDS = ("justice", "training", "police", "courts", "women", "children", "detention", "data")


def _recommendations(state: State, count: int) -> list[Recommendation]:
    upr = db.session.scalar(sa.select(Mechanism).where(Mechanism.code == "UPR"))
    themes = list(db.session.scalars(sa.select(Theme).limit(30)))
    rng = random.Random(7)
    rows = []
    for n in range(count):
        rec = Recommendation(
            external_key=f"bench-plan:{n}",
            mechanism=upr,
            body="Human Rights Council",
            session="UPR 46",
            cycle=4,
            document_symbol="A/HRC/61/1",
            paragraph=f"120.{n + 1}",
            issued_on=date(2024, 5, 1),
            state=state,
            response=rng.choice(list(Response)),
            text=" ".join(rng.choices(WORDS, k=25)) + f" ({n}).",
        )
        rec.themes = rng.sample(themes, 2)
        rows.append(rec)
    db.session.add_all(rows)
    db.session.flush()
    return rows


def build_plan(focal: User, recommendations: int, clusters: int, measures: int, indicators: int):
    from tamatch.planning import measures as ms
    from tamatch.planning import services

    rng = random.Random(11)
    recs = _recommendations(focal.state, recommendations)
    institutions = [
        services.create_institution(
            focal, services.InstitutionData(f"Institution {i}", rng.choice(list(InstitutionKind)))
        )
        for i in range(20)
    ]
    for inst in institutions:
        services.assign_institution(focal, inst, [r.id for r in rng.sample(recs, 40)], True)
    size = len(recs) // clusters
    groups = [
        services.create_cluster(
            focal,
            services.ClusterData(f"Cluster {c}", theme_ids=tuple(t.id for t in recs[c].themes),
                                 institution_ids=(institutions[c % 20].id,)),
            [r.id for r in recs[c * size : (c + 1) * size]],
        )
        for c in range(clusters)
    ]  # fmt: skip
    today = date.today()
    made = []
    for m in range(measures):
        made.append(
            ms.create_measure(
                focal,
                ms.MeasureData(
                    title=f"Measure {m}",
                    description="What will be done. " * 5,
                    cluster_id=groups[m % clusters].id,
                    recommendation_ids=tuple(r.id for r in rng.sample(recs, 2)),
                    institution_ids=(institutions[m % 20].id,),
                    start_on=today - timedelta(days=400),
                    due_on=today + timedelta(days=rng.randint(-200, 500)),
                    visibility=rng.choice(list(MeasureVisibility)),
                ),
                status=rng.choice(list(MeasureStatus)),
            )
        )
    for i in range(indicators):
        indicator = ms.create_indicator(
            focal,
            made[i % measures],
            ms.IndicatorData(f"Indicator {i}", "%", 10, 2023, 60, 2027, review_months=6),
        )
        for q in range(4):
            ms.record_value(focal, indicator, today - timedelta(days=90 * q + rng.randint(0, 200)),
                            rng.uniform(10, 60))  # fmt: skip
    db.session.commit()


def _time(client, url: str, repeat: int) -> tuple[float, float, int]:
    response = client.get(url)  # warm caches and the templates
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[-1], len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recommendations", type=int, default=600)
    parser.add_argument("--clusters", type=int, default=40)
    parser.add_argument("--measures", type=int, default=150)
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tamatch-plan-bench-"))
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'plan.db'}")
    app.test_client_class = FlaskLoginClient
    with app.app_context():
        from tamatch.seeding.reference import load_reference

        flask_migrate.upgrade()
        load_reference()
        state = db.session.scalar(sa.select(State).where(State.iso3 == "HTI"))
        focal = User(email="bench-plan@example.org", name="Bench", role=Role.FOCAL_POINT,
                     state=state)  # fmt: skip
        db.session.add(focal)
        db.session.commit()
        started = time.perf_counter()
        build_plan(focal, args.recommendations, args.clusters, args.measures, args.indicators)
        print(
            f"plan of {args.recommendations} recommendations, {args.clusters} clusters, "
            f"{args.measures} measures, {args.indicators} indicators built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        client = app.test_client(user=focal)
        cases = [
            ("home (dashboard)", "/"),
            ("plan dashboard", "/planning/"),
            ("recommendations tracker", "/planning/recommendations"),
            ("measures list", "/planning/measures"),
            ("mid-term export, Word", "/planning/reports/midterm.docx?cycle=4"),
            ("mid-term export, Excel", "/planning/reports/midterm.xlsx?cycle=4"),
        ]
        header = f"{'page':<26} {'median ms':>10} {'max ms':>8} {'bytes':>9}"
        print(f"\n{header}   (target < {TARGET_MS} ms)")
        for label, url in cases:
            median, worst, size = _time(client, url, args.repeat)
            flag = "ok" if worst < TARGET_MS else "SLOW"
            print(f"{label:<26} {median:>10.1f} {worst:>8.1f} {size:>9}   {flag}")


if __name__ == "__main__":
    main()
