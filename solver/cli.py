"""`python -m solver solve INSTANCE.json [--time-limit S] [--workers N] [--out RESULT.json]`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from solver.assign import solve
from solver.instance import AssignSettings, Instance, InstanceError, NeedSlot, OfferSlot, PairArrays

EXIT_INVALID = 2
OUTPUT_MARGIN = 0.3  # seconds kept for writing the result


def main(argv: list[str] | None = None, started: float | None = None) -> int:
    """Run the command line; return the exit status (2 on invalid input, 0 otherwise)."""
    started = time.perf_counter() if started is None else started
    args = _parser().parse_args(argv)
    if args.time_limit <= 0 or args.workers < 1:
        return _fail("--time-limit must be positive and --workers at least 1")
    try:
        instance = load_instance(Path(args.instance))
    except (InstanceError, OSError) as exc:
        return _fail(str(exc))
    left = args.time_limit - (time.perf_counter() - started) - OUTPUT_MARGIN
    settings = AssignSettings(time_limit=max(0.2, left), workers=args.workers, seed=args.seed)
    result = solve(instance, settings)
    if result.status == "MODEL_INVALID":
        return _fail(result.message)
    payload = result.to_json()
    payload["seconds"] = round(time.perf_counter() - started, 3)
    text = json.dumps(payload, separators=(",", ":"))
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m solver", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    solve = sub.add_parser("solve", help="propose matches for one round")
    solve.add_argument("instance", help="INSTANCE.json")
    solve.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    solve.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    solve.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    solve.add_argument("--out", help="RESULT.json (default: standard output)")
    return parser


def _fail(message: str) -> int:
    sys.stderr.write(f"error: {message}\n")
    return EXIT_INVALID


def load_instance(path: Path) -> Instance:
    """Read INSTANCE.json; return an Instance. Raises InstanceError naming the first problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InstanceError(f"malformed JSON in {path}: {exc}") from None
    return parse_instance(data)


def parse_instance(data: Any) -> Instance:
    """Turn decoded INSTANCE.json into an Instance. Raises InstanceError naming the problem."""
    if not isinstance(data, dict):
        raise InstanceError("the instance must be a JSON object")
    needs = tuple(NeedSlot(_text(n, "id"), _text(n, "state")) for n in _list(data, "needs"))
    offers = tuple(
        OfferSlot(_text(o, "id"), _count(o, "capacity"), _count(o, "budget"))
        for o in _list(data, "offers")
    )
    need_pos = _index([n.id for n in needs], "need")
    offer_pos = _index([o.id for o in offers], "offer")
    pairs = _pairs(_list(data, "pairs"), need_pos, offer_pos)
    cap = data.get("max_per_state")
    if cap is not None and (not _is_int(cap) or cap < 0):
        raise InstanceError("max_per_state must be a non-negative integer")
    pinned = _refs(data.get("pinned", []), need_pos, offer_pos, "pinned")
    forbidden = _refs(data.get("forbidden", []), need_pos, offer_pos, "forbidden")
    return Instance(needs, offers, pairs, cap, pinned, forbidden)


def _pairs(rows: list[Any], need_pos: dict[str, int], offer_pos: dict[str, int]) -> PairArrays:
    for k, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == 4):
            raise InstanceError(f"pair #{k} must be [need_id, offer_id, score, cost]")
    cols = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    need = [_known(need_pos, x, "need", "pairs") for x in cols[0]]
    offer = [_known(offer_pos, x, "offer", "pairs") for x in cols[1]]
    for name, col in (("score", cols[2]), ("cost", cols[3])):
        bad = next((v for v in col if not _is_int(v) or v < 0), None)
        if bad is not None:
            raise InstanceError(f"a pair has an invalid {name} {bad!r} (non-negative integer)")
    arrays = PairArrays.of(need, offer, cols[2], cols[3])
    keys = arrays.need * max(1, len(offer_pos)) + arrays.offer
    uniq, counts = np.unique(keys, return_counts=True)
    if np.any(counts > 1):
        key = int(uniq[np.argmax(counts > 1)])
        i, j = divmod(key, max(1, len(offer_pos)))
        names = list(need_pos), list(offer_pos)
        raise InstanceError(f"duplicate pair ({names[0][i]!r}, {names[1][j]!r})")
    return arrays


def _refs(
    rows: Any, need_pos: dict[str, int], offer_pos: dict[str, int], what: str
) -> tuple[tuple[str, str], ...]:
    if not isinstance(rows, list):
        raise InstanceError(f"{what} must be a list of [need_id, offer_id]")
    out = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == 2):
            raise InstanceError(f"{what} must be a list of [need_id, offer_id]")
        _known(need_pos, row[0], "need", what)
        _known(offer_pos, row[1], "offer", what)
        out.append((row[0], row[1]))
    return tuple(out)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise InstanceError(f"missing or malformed {key!r}: a list is required")
    return value


def _text(item: Any, key: str) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, str):
        raise InstanceError(f"every entry needs a string {key!r}: got {item!r}")
    return value


def _count(item: dict[str, Any], key: str) -> int:
    value = item.get(key)
    if not _is_int(value) or value < 0:
        raise InstanceError(f"offer {item.get('id')!r} has an invalid {key} {value!r}")
    return int(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _index(ids: list[str], kind: str) -> dict[str, int]:
    pos: dict[str, int] = {}
    for k, key in enumerate(ids):
        if key in pos:
            raise InstanceError(f"duplicate {kind} id {key!r}")
        pos[key] = k
    return pos


def _known(pos: dict[str, int], key: Any, kind: str, where: str) -> int:
    if not isinstance(key, str) or key not in pos:
        raise InstanceError(f"unknown {kind} id {key!r} in {where}")
    return pos[key]
