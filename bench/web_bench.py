"""Web benchmark: median and p95 answer times of the main lists over 40,000 recommendations.

Run with `make bench-web`. Builds a scratch SQLite database (or uses BENCH_DATABASE_URL) through
the migrations, loads reference data and bulk synthetic data, then times requests through the
WSGI app (no network), signed in as an organiser and as a focal point.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask_login import FlaskLoginClient

from tamatch import create_app
from tamatch.extensions import db
from tamatch.models import Role, State, Theme, User


def _setup(app, recommendations: int, needs: int) -> None:
    from tamatch.seeding.reference import load_reference
    from tamatch.seeding.synthetic import generate_bench_data

    with app.app_context():
        flask_migrate.upgrade()
        load_reference()
        started = time.perf_counter()
        counts = generate_bench_data(recommendations=recommendations, needs=needs)
        db.session.commit()
        print(f"loaded {counts} in {time.perf_counter() - started:.1f} s")


def _user(role: Role, state_id: int | None = None) -> User:
    user = User(
        email=f"bench-{role.value}-{state_id}@example.org",
        name="Bench",
        role=role,
        state_id=state_id,
    )
    db.session.add(user)
    db.session.commit()
    return user


def _time(client, url: str, repeat: int) -> tuple[float, float]:
    client.get(url)  # warm caches and the template
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recommendations", type=int, default=40_000)
    parser.add_argument("--needs", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tamatch-bench-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    app.test_client_class = FlaskLoginClient
    _setup(app, args.recommendations, args.needs)
    with app.app_context():
        state = db.session.scalar(sa.select(State).where(State.iso3 == "HTI"))
        theme = db.session.scalar(sa.select(Theme).order_by(Theme.id))
        organiser = _user(Role.ORGANISER)
        focal = _user(Role.FOCAL_POINT, state.id)
        cases = [
            ("recommendations list", None, "/recommendations/"),
            (
                "recommendations filtered search",
                None,
                f"/recommendations/?q=rights&state={state.id}&theme={theme.id}&response=supported",
            ),
            ("recommendations text search", None, "/recommendations/?q=national+plan"),
            ("needs list (organiser)", organiser, "/needs/"),
            ("needs list (focal point)", focal, "/needs/?status=open"),
            ("needs list filtered (anonymous)", None, f"/needs/?theme={theme.id}"),
        ]
        print(f"\n{'page':<34} {'median ms':>10} {'p95 ms':>8}   (target: median < 150 ms)")
        for label, user, page in cases:
            client = app.test_client(user=user) if user else app.test_client()
            median, p95 = _time(client, page, args.repeat)
            flag = "ok" if median < 150 else "SLOW"
            print(f"{label:<34} {median:>10.1f} {p95:>8.1f}   {flag}")


if __name__ == "__main__":
    main()
