"""Load on loopback: 50 concurrent users against the app served by gunicorn, p50/p95 and errors.

Part of `make bench-web`. Builds a scratch SQLite database through the migrations with the demo
data scaled up (`seed demo --scale 2000` plus 40,000 recommendations), serves it with gunicorn
(2 workers x 8 threads) on 127.0.0.1, and runs locust headless (bench/locustfile.py).
Requests go to loopback only, bounded in time.
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(url: str, scale: int, recommendations: int) -> None:
    import flask_migrate

    from tamatch import create_app
    from tamatch.extensions import db
    from tamatch.seeding.demo import load_demo
    from tamatch.seeding.synthetic import generate_bench_data

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        flask_migrate.upgrade()
        load_demo(scale=scale)
        generate_bench_data(recommendations=recommendations, needs=scale)
        db.session.commit()


def _wait(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--scale", type=int, default=2000)
    parser.add_argument("--recommendations", type=int, default=40_000)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tamatch-load-"))
    url = f"sqlite:///{work / 'load.db'}"
    print(f"preparing {url} ...", flush=True)
    _prepare(url, args.scale, args.recommendations)
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=url,
        TAMATCH_CONFIG="development",
        LOGIN_RATE_LIMIT="10000 per minute",
        SECRET_KEY="load-bench-" + "x" * 32,
    )
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "tamatch:create_app()",
        ],
        cwd=REPO,
        env=env,
    )
    try:
        _wait(port)
        stats = work / "locust"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(REPO / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(stats),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=REPO,
            check=False,
            timeout=args.seconds + 120,
            env=dict(os.environ, TAMATCH_LOAD_OUT=str(work / "times.json")),
        )
        _report(stats.with_name("locust_stats.csv"), work / "times.json", args.users)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _report(path: Path, times_path: Path, users: int) -> None:
    with path.open() as fh:
        rows = list(csv.DictReader(fh))
    print(f"\n{users} concurrent users on loopback (gunicorn 2 workers x 8 threads, SQLite)")
    print(f"{'request':<34} {'count':>7} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        print(
            f"{row['Name']:<34} {row['Request Count']:>7} {row['Failure Count']:>7} "
            f"{row['50%']:>7} {row['95%']:>7}"
        )
    data = json.loads(times_path.read_text())
    times = sorted(data["times"])
    p50 = times[len(times) // 2]
    p95 = times[int(0.95 * (len(times) - 1))]
    errors = len(data["errors"])
    print(
        f"\npages (sign-in excluded): {len(times)} requests, p50 {p50:.0f} ms, "
        f"p95 {p95:.0f} ms, {errors} errors"
    )
    for line in data["errors"][:5]:
        print("  error:", line)
    ok = errors == 0 and p95 < 300
    print(f"target p95 < 300 ms with zero errors: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
