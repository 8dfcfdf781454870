"""`python -m bench.solver_bench`: the solver beside greedy, a direct CP-SAT model, the LP bound.

Each (row, method) runs in its own subprocess (`bench.solver.runner`) so that its peak memory
(ru_maxrss of that child) is measured alone. Options: --quick (small rows only), --rows
(comma-separated names or substrings), --time-limit (override every row's limit),
--methods, --workers, --out (also write the table to a file).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

from bench.solver import contention
from bench.solver.gap import peers, shared_data
from bench.solver.rows import ROWS, Row
from bench.solver.runner import METHODS

HEADER = (
    "| row | method | limit s | time s | objective | matched | gap to LP bound | peak MB | notes |"
)


def run(row: Row, method: str, limit: float, workers: int) -> tuple[dict[str, float], float]:
    """Run one (row, method) in a child process; return its JSON result and peak memory (MB).

    The child reports its own peak resident size (getrusage RUSAGE_SELF ru_maxrss).
    """
    cmd = [sys.executable, "-m", "bench.solver.runner", row.name, method, str(limit), str(workers)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        lines = proc.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else "failed"}, math.nan
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    return res, res.get("peak_mb", math.nan)


def table_rows(row: Row, limit: float, workers: int, methods: list[str]) -> list[str]:
    """Run the methods on one row; return its Markdown table lines."""
    results = {m: run(row, m, limit, workers) for m in methods}
    lp = results.get("lp", ({}, 0.0))[0]
    lines = []
    for method in methods:
        if method == "lp":
            continue
        res, peak = results[method]
        lines.append(_line(row, method, limit, res, peak=peak, lp=lp))
    if "lp" in results:
        lines.append(_lp_line(row, *results["lp"]))
    return lines


def _line(row: Row, method: str, limit: float, res: dict, *, peak: float, lp: dict) -> str:
    if "error" in res:
        return (
            f"| {row.name} | {method} | {limit:g} | - | - | - | - | {_num(peak)} | {res['error']} |"
        )
    if row.gap_files:
        return _gap_line(row, method, limit, res, peak=peak, lp=lp)
    bound = lp.get("bound", math.nan)
    gap = (bound - res["objective"]) / bound * 100 if not math.isnan(bound) and bound else math.nan
    note = res.get("status", "proven optimal" if res.get("proven") else "")
    return (
        f"| {row.name} | {method} | {limit:g} | {res['seconds']:.1f} | {_num(res['objective'])} "
        f"| {_num(res['matched'])} | {_pct(gap)} | {_num(peak)} | {note} |"
    )


def _gap_line(row: Row, method: str, limit: float, res: dict, *, peak: float, lp: dict) -> str:
    cost, best = res["cost"], res["best_known"]
    to_best = (cost - best) / best * 100 if not math.isnan(cost) else math.nan
    lp_cost = lp.get("lp_cost", math.nan)
    to_lp = (
        (cost - lp_cost) / cost * 100 if not (math.isnan(cost) or math.isnan(lp_cost)) else math.nan
    )
    count = len(row.gap_files)
    note = f"cost {_num(cost)} vs best known {_num(best)} ({_pct(to_best)})"
    note += f"; proven optimal {int(res['proven'])}/{count}"
    if res.get("unserved"):
        note += f"; {int(res['unserved'])} jobs unserved"
    if method == "solver" and count == 1:
        note += f"; published: {peers(shared_data()).get(row.name, 'n/a')}"
    return (
        f"| {row.name} | {method} | {limit:g} | {res['seconds']:.1f} | {_num(cost)} (cost) "
        f"| {_num(res['matched'])} | {_pct(to_lp)} | {_num(peak)} | {note} |"
    )


def _lp_line(row: Row, res: dict, peak: float) -> str:
    if "error" in res:
        return f"| {row.name} | LP bound | - | - | - | - | - | {_num(peak)} | {res['error']} |"
    value = res.get("lp_cost") if row.gap_files else res.get("bound")
    what = "cost lower bound" if row.gap_files else "upper bound on the score"
    return (
        f"| {row.name} | LP bound (HiGHS) | - | {res['seconds']:.1f} | {_num(value)} | - | 0 "
        f"| {_num(peak)} | {what} |"
    )


def _num(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _pct(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3f} %"


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the selected rows, print the table; return 0."""
    args = _parser().parse_args(argv)
    rows = [r for r in ROWS if _selected(r, args)]
    data = shared_data()
    print(f"GAP data: {data.resolve()} ({'found' if data.exists() else 'absent'})")
    if not data.exists():
        print("  -> GAP rows skipped (set TAMATCH_SHARED_DATA or clone ../shared/data).")
        rows = [r for r in rows if not r.needs_shared]
    methods = [m for m in args.methods.split(",") if m in METHODS]
    lines = ["", HEADER, "|" + "---|" * 9]
    print("\n".join(lines), flush=True)
    for row in rows:
        limit = args.time_limit or row.time_limit
        for line in table_rows(row, limit, args.workers, methods):
            print(line, flush=True)
            lines.append(line)
    if args.contention:
        for line in contention_rows(args.workers, args.contention):
            print(line, flush=True)
            lines.append(line)
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def contention_rows(workers: int, repeats: int) -> list[str]:
    """The 5,000 x 500 round at 5 s beside 2 busy processes per core, `repeats` times.

    Each line notes the machine's load (1-minute average, `uptime`) before the busy processes
    start, and a last line the median and worst gap to the LP bound over the runs.
    """
    row = next(r for r in ROWS if r.name == contention.ROW)
    lp = run(row, "lp", contention.LIMIT, workers)[0]
    bound = lp.get("bound", math.nan)
    out, gaps = [], []
    for k in range(repeats):
        load = os.getloadavg()[0]
        with contention.busy_cores() as busy:
            res, peak = run(row, "solver", contention.LIMIT, workers)
        line = _line(row, "solver", contention.LIMIT, res, peak=peak, lp=lp)
        line = line.replace(f"| {row.name} |", f"| {row.name} beside {busy} busy #{k + 1} |")
        base = line.removesuffix(" |")
        sep = "" if base.endswith("| ") else "; "
        out.append(f"{base}{sep}machine load {load:.2f} before |")
        if "objective" in res and bound:
            gaps.append((bound - res["objective"]) / bound * 100)
    if gaps:
        gaps.sort()
        median, worst = gaps[len(gaps) // 2], gaps[-1]
        verdict = "within" if worst <= contention.TARGET else "NOT within"
        out.append(
            f"| {row.name} beside busy: median / worst of {len(gaps)} | solver "
            f"| {contention.LIMIT:g} | - | - | - | {_pct(median)} / {_pct(worst)} | - "
            f"| {verdict} {contention.TARGET:g} % of the LP bound |"
        )
    return out


def _selected(row: Row, args: argparse.Namespace) -> bool:
    if args.quick and not row.quick:
        return False
    if not args.rows:
        return True
    wanted = [w.strip() for w in args.rows.split(",") if w.strip()]
    return any(w == row.name or w in row.name for w in wanted)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.solver_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small rows only")
    parser.add_argument("--rows", default="", help="comma-separated row names or substrings")
    parser.add_argument("--time-limit", type=float, default=0.0, help="override row limits (s)")
    parser.add_argument("--methods", default=",".join(METHODS), help="solver,greedy,direct,lp")
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    parser.add_argument("--out", default="", help="also write the table to this file")
    parser.add_argument(
        "--contention",
        type=int,
        default=3,
        help="runs of the contention row (5,000 x 500 at 5 s, 2 busy processes per core; 0: none)",
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
