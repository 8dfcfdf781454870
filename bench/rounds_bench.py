"""Round benchmark: a global round of 2,000 needs and 300 offers, solved and reviewed.

Run with `make bench-rounds`. On a scratch SQLite database built by the migrations it loads
`seed demo --scale 2000`, creates and closes a round, solves it end to end (loading, scoring,
assignment, storing proposals), and times the organiser's review page.
"""

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask_login import FlaskLoginClient

from tamatch import create_app
from tamatch.extensions import db
from tamatch.models import Role, RoundStatus, RunOutcome, SolveRun, User


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=2000)
    parser.add_argument("--time-limit", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='tamatch-rounds-')) / 'bench.db'}"
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, JOB_BACKEND="sync")
    app.test_client_class = FlaskLoginClient
    with app.app_context():
        from tamatch.rounds import runs, services
        from tamatch.rounds.solving import execute_run
        from tamatch.seeding.demo import load_demo

        flask_migrate.upgrade()
        started = time.perf_counter()
        counts = load_demo(scale=args.scale)
        db.session.commit()
        print(f"seed demo --scale {args.scale}: {counts} in {time.perf_counter() - started:.1f} s")
        organiser = db.session.scalar(sa.select(User).where(User.role == Role.ORGANISER))
        match_round = services.create_round(
            organiser,
            services.RoundData(
                name="Global round",
                serves="bench",
                submission_deadline=date(2030, 1, 1),
                time_limit=args.time_limit,
                max_per_state=None,
            ),
        )
        services.transition_round(organiser, match_round, RoundStatus.OPEN)
        services.transition_round(organiser, match_round, RoundStatus.CLOSED)
        run = runs.create_run(organiser, match_round, "bench")
        db.session.commit()
        started = time.perf_counter()
        execute_run(run.id)
        elapsed = time.perf_counter() - started
        run = db.session.get(SolveRun, run.id)
        stored = db.session.scalar(
            sa.select(sa.func.count()).select_from(RunOutcome).where(RunOutcome.run_id == run.id)
        )
        print(
            f"\nsolve end to end: {elapsed:.1f} s (target < 30 s): {run.status.value}, "
            f"{run.needs_served} of {run.needs_entered} needs served, {run.offers_entered} offers, "
            f"solver {run.solver_status} in {run.seconds:.1f} s, gap {100 * (run.gap or 0):.3f} %, "
            f"{stored} outcomes stored"
        )
        client = app.test_client(user=organiser)
        for label, page in (
            ("review page (matches)", f"/rounds/runs/{run.id}"),
            ("review page (unmatched)", f"/rounds/runs/{run.id}?show=unmatched"),
            ("review page, page 10", f"/rounds/runs/{run.id}?page=10"),
            ("round page", f"/rounds/{match_round.id}"),
        ):
            client.get(page)
            samples = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                response = client.get(page)
                samples.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, response.status_code
            samples.sort()
            print(
                f"{label:<28} median {statistics.median(samples):7.1f} ms  "
                f"p95 {samples[int(0.95 * (len(samples) - 1))]:7.1f} ms  (target < 300 ms)"
            )


if __name__ == "__main__":
    main()
