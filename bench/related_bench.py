"""Related-recommendations benchmark: TF-IDF neighbours of ~40,000 recommendations.

Run with `python -m bench.related_bench`. On a scratch SQLite database built by the migrations
it loads the demo data and `generate_bench_data(40000, ...)`, optionally gives the synthetic
recommendations real texts (Slovenia's, drawn at random, so that vocabularies are realistic),
then times `compute_all()` and the two queries the pages use.
"""

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from tamatch import create_app
from tamatch.extensions import db
from tamatch.models import Recommendation, RelatedRecommendation


def _real_texts(seed: int) -> int:
    """Replace the synthetic texts with Slovenia's real ones, drawn at random."""
    real = list(
        db.session.scalars(
            sa.select(Recommendation.text).where(Recommendation.external_key.startswith("upr:SVN:"))
        )
    )
    ids = list(
        db.session.scalars(
            sa.select(Recommendation.id).where(Recommendation.external_key.startswith("bench:"))
        )
    )
    rng = random.Random(seed)
    rows = [{"rid": rec_id, "text": rng.choice(real)} for rec_id in ids]
    stmt = sa.update(Recommendation.__table__).where(Recommendation.id == sa.bindparam("rid"))
    db.session.execute(stmt.values(text=sa.bindparam("text")), rows)
    return len(rows)


def _timed(label: str, calls: int, fn) -> None:
    times = []
    for i in range(calls):
        started = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - started)
    print(
        f"{label}: median {1000 * statistics.median(times):.1f} ms, "
        f"max {1000 * max(times):.1f} ms over {calls}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recommendations", type=int, default=40_000)
    parser.add_argument("--texts", choices=["synthetic", "real"], default="real")
    args = parser.parse_args()

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='tamatch-related-')) / 'bench.db'}"
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, JOB_BACKEND="sync")
    with app.app_context():
        from tamatch.recommendations.related import compute_all, related_for, related_to_selection
        from tamatch.seeding.demo import load_demo
        from tamatch.seeding.synthetic import generate_bench_data

        flask_migrate.upgrade()
        load_demo()
        generate_bench_data(args.recommendations, 100)
        if args.texts == "real":
            print(f"real texts given to {_real_texts(7)} synthetic recommendations")
        db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation))
        biggest = db.session.execute(
            sa.select(Recommendation.state_id, sa.func.count())
            .group_by(Recommendation.state_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).one()
        print(f"{total} recommendations; biggest State has {biggest[1]}")

        started = time.perf_counter()
        written = compute_all()
        db.session.commit()
        elapsed = time.perf_counter() - started
        with_any = db.session.scalar(
            sa.select(sa.func.count(sa.distinct(RelatedRecommendation.recommendation_id)))
        )
        print(
            f"compute_all: {written} rows in {elapsed:.1f} s; "
            f"{with_any} of {total} recommendations have neighbours"
        )

        started = time.perf_counter()
        compute_all()
        db.session.commit()
        print(f"compute_all again (replacing): {time.perf_counter() - started:.1f} s")

        ids = list(db.session.scalars(sa.select(Recommendation.id).order_by(Recommendation.id)))
        rng = random.Random(1)
        sample = rng.sample(ids, 200)
        _timed("related_for", 200, lambda i: related_for(sample[i]))
        state_id = biggest[0]
        of_state = list(
            db.session.scalars(
                sa.select(Recommendation.id).where(Recommendation.state_id == state_id)
            )
        )
        picks = [rng.sample(of_state, 3) for _ in range(100)]
        _timed(
            "related_to_selection (3 ticked, biggest State)",
            100,
            lambda i: related_to_selection(state_id, picks[i]),
        )
        db.session.rollback()


if __name__ == "__main__":
    main()
