"""Web benchmark: median and p95 answer times of the main pages over 250,000 recommendations.

Run with `make bench-web`. Builds a scratch database through the migrations (SQLite, or a
scratch schema in the PostgreSQL database of BENCH_DATABASE_URL, dropped afterwards), loads
reference data and bulk synthetic data (recommendations with Slovenia's real texts, so that a
text search meets real vocabulary, and synthetic symbols and paragraphs), then times requests
through the WSGI app (no network), one client at a time, signed in as an organiser and as a
focal point. Targets: the recommendations list and a text search under 50 ms at the median.
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import flask_migrate
import sqlalchemy as sa
from flask_login import FlaskLoginClient

from tamatch import create_app
from tamatch.extensions import db
from tamatch.models import Mechanism, Recommendation, Role, State, Theme, User

SCHEMA = "tamatch_bench"
SEARCH_TARGET_MS = 50
PAGE_TARGET_MS = 150


def _setup(app, recommendations: int, needs: int) -> None:
    from tamatch.seeding.reference import load_reference
    from tamatch.seeding.synthetic import generate_bench_data

    with app.app_context():
        flask_migrate.upgrade()
        load_reference()
        started = time.perf_counter()
        counts = generate_bench_data(recommendations=recommendations, needs=needs, real_texts=True)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:  # as autovacuum would, soon after a load
                autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
                for table in db.metadata.sorted_tables:
                    autocommit.exec_driver_sql(f"VACUUM ANALYZE {table.name}")
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


def _time(client, url: str, repeat: int) -> tuple[float, float, float]:
    """Median and p95 wall-clock ms, and the median CPU ms of this process (the app and, on
    SQLite, the database: the figure that a machine shared with other work does not inflate)."""
    client.get(url)  # warm caches and the template
    samples, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    return statistics.median(samples), p95, statistics.median(cpu)


def _recommendation_cases() -> list[tuple[str, str, int]]:
    """(label, URL, target in ms) of the recommendations list, its filters and searches."""
    state = db.session.scalar(sa.select(State).where(State.iso3 == "HTI"))
    theme = db.session.scalar(sa.select(Theme).order_by(Theme.id))
    cedaw = db.session.scalar(sa.select(Mechanism).where(Mechanism.code == "CEDAW"))
    sample = db.session.scalars(
        sa.select(Recommendation)
        .where(Recommendation.state_id == state.id, Recommendation.paragraph.is_not(None))
        .order_by(Recommendation.id)
        .limit(1)
    ).one()
    reference = quote(sample.reference)
    base = "/recommendations/"
    return [
        ("list", base, SEARCH_TARGET_MS),
        ("filter: mechanism", f"{base}?mechanism={cedaw.id}", SEARCH_TARGET_MS),
        ("filter: body", f"{base}?body={quote(sample.body)}", SEARCH_TARGET_MS),
        ("filter: cycle", f"{base}?cycle=3", SEARCH_TARGET_MS),
        ("filter: session", f"{base}?session=UPR+34", SEARCH_TARGET_MS),
        (
            "filter: State+theme+response",
            f"{base}?state={state.id}&theme={theme.id}&response=supported",
            PAGE_TARGET_MS,
        ),
        ("text: national action plan", f"{base}?q=national+action+plan", SEARCH_TARGET_MS),
        ("text: violence against women", f"{base}?q=violence+against+women", SEARCH_TARGET_MS),
        ("text: human rights defenders", f"{base}?q=human+rights+defenders", SEARCH_TARGET_MS),
        ("text: roma (prefix)", f"{base}?q=roma", SEARCH_TARGET_MS),
        ("text: rights (one common word)", f"{base}?q=rights", SEARCH_TARGET_MS),
        ("text + State filter", f"{base}?q=torture&state={state.id}", SEARCH_TARGET_MS),
        (f"reference: {sample.reference}", f"{base}?q={reference}", SEARCH_TARGET_MS),
        (f"reference: para. {sample.paragraph}", f"{base}?q=para.+{sample.paragraph}", 50),
        (f"reference: {sample.document_symbol}", f"{base}?q={quote(sample.document_symbol)}", 50),
    ]


def _database_url(url: str | None) -> str:
    """A new SQLite file (or the one given, whose data is then reused), or a scratch schema on
    the PostgreSQL server at `url`."""
    if not url:
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='tamatch-bench-')) / 'bench.db'}"
    if url.startswith("sqlite"):
        return url
    with sa.create_engine(url).begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={SCHEMA}')}"


def _drop_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recommendations", type=int, default=250_000)
    parser.add_argument("--needs", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL server to use (or BENCH_DATABASE_URL), or a SQLite file to reuse",
    )
    args = parser.parse_args()

    server = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    app = create_app("development", SQLALCHEMY_DATABASE_URI=_database_url(server))
    app.test_client_class = FlaskLoginClient
    try:
        _run(app, args)
    finally:
        if server and server.startswith("postgresql"):
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            _drop_schema(server)


def _run(app, args) -> None:
    _setup(app, args.recommendations, args.needs)
    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation))
        state = db.session.scalar(sa.select(State).where(State.iso3 == "HTI"))
        theme = db.session.scalar(sa.select(Theme).order_by(Theme.id))
        organiser = _user(Role.ORGANISER)
        focal = _user(Role.FOCAL_POINT, state.id)
        cases = [(f"recommendations {label}", None, url, target) for label, url, target in (
            _recommendation_cases()
        )]  # fmt: skip
        cases += [
            ("needs list (organiser)", organiser, "/needs/", PAGE_TARGET_MS),
            ("needs list (focal point)", focal, "/needs/?status=open", PAGE_TARGET_MS),
            ("needs list filtered (anonymous)", None, f"/needs/?theme={theme.id}", PAGE_TARGET_MS),
        ]
        print(f"\n{db.engine.dialect.name}, {total:,} recommendations, {args.needs:,} needs")
        print(f"{'page':<58} {'median ms':>9} {'p95 ms':>7} {'cpu ms':>7}   target (median)")
        for label, user, page, target in cases:
            client = app.test_client(user=user) if user else app.test_client()
            median, p95, cpu = _time(client, page, args.repeat)
            flag = "ok" if median < target else "SLOW"
            print(f"{label:<58} {median:>9.1f} {p95:>7.1f} {cpu:>7.1f}   < {target} ms {flag}")


if __name__ == "__main__":
    main()
