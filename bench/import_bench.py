"""Import benchmark: all 41,066 UPR Info rows (sessions 1-20) into a scratch SQLite database.

Run with `python -m bench.import_bench [--data DIR]`. It reads the five original Mac Roman
files (CR line endings) from /work/shared/data/upr-info-terman/original, or the UTF-8 copy when
the originals are absent, builds a database with the migrations and the reference data,
imports everything in one all-or-nothing import, prints rows/s, seconds and peak RSS, then
imports the same files again to show that nothing new is created. Target: under 60 s.
"""

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate

from tamatch import create_app
from tamatch.extensions import db

DATA = Path("/work/shared/data/upr-info-terman")
ORIGINALS = ("sessions_1-5", "sessions_6-9", "sessions_10-13", "sessions_14-17", "sessions_17-20")


def _sources(data: Path) -> list[tuple[str, bytes]]:
    originals = [data / "original" / f"{name}.csv" for name in ORIGINALS]
    if all(path.is_file() for path in originals):
        return [(path.name, path.read_bytes()) for path in originals]
    copy = data / "upr_info_sessions1-20_utf8.csv"
    if copy.is_file():
        print(f"originals absent under {data / 'original'}; using the UTF-8 copy")
        return [(copy.name, copy.read_bytes())]
    sys.exit(f"UPR Info data absent: neither {data}/original/*.csv nor {copy} exists")


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    sources = _sources(args.data)

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='tamatch-import-')) / 'bench.db'}"
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, JOB_BACKEND="sync")
    with app.app_context():
        from tamatch.recommendations.importing import import_recommendations
        from tamatch.seeding.reference import load_reference

        flask_migrate.upgrade()
        load_reference()
        db.session.commit()
        before_mb = _peak_mb()
        for label in ("first import", "re-import"):
            started = time.perf_counter()
            report = import_recommendations(sources)
            db.session.commit()
            seconds = time.perf_counter() - started
            if not report.ok:
                sys.exit(f"{report.error_count} bad rows, e.g. {report.errors[:3]}")
            print(
                f"{label}: {report.rows:,} rows ({report.skipped} skipped) in {seconds:.1f} s "
                f"= {report.rows / seconds:,.0f} rows/s (target < 60 s); created "
                f"{report.created:,}, updated {report.updated:,}, unchanged {report.unchanged:,}; "
                f"peak RSS {_peak_mb():.0f} MB (after migrations {before_mb:.0f} MB)"
            )
        print(f"encodings: {sorted(set(report.encodings))}")
        unresolved = ", ".join(f"{n} ({c})" for n, c in report.unresolved_states.most_common())
        print(f"State names not resolved (recommending, left out): {unresolved or 'none'}")


if __name__ == "__main__":
    main()
