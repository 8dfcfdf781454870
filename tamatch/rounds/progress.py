"""What a run is doing and why it failed: stored as facts (a code and its numbers, as JSON in
the run's `progress` and `error` columns), put in words at display time in the reader's
language (issue 13: solver progress messages and run outcomes are built, not stored).

Rows written before this stored English sentences; those are shown as they are.
"""

import json
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from tamatch.models import SolveRun

LOADING, SCORING, ASSIGNING = "loading", "scoring", "assigning"
SOLVE_FAILED, SOLVER, REAPED = "solve_failed", "solver", "reaped"

# Why a stalled run was marked failed (tamatch/jobs.py reap_stale_runs).
REAPED_WORDS = {
    "queued": lambda: _("No worker took this solve; start it again."),
    "worker_gone": lambda: _("The process solving this run stopped (a restart?); start it again."),
    "time_limit": lambda: _(
        "This solve ran far past its time limit and was stopped; start it again."
    ),
}


def fact(code: str, **args: Any) -> str:
    """The stored form of a fact: its code and arguments as JSON (at most 300 characters)."""
    text = json.dumps({"code": code, **args}, ensure_ascii=False, sort_keys=True)
    if len(text) > 300 and "detail" in args:  # a long solver message: keep the fact whole
        args = {**args, "detail": str(args["detail"])[:200]}
        text = json.dumps({"code": code, **args}, ensure_ascii=False, sort_keys=True)
    return text


def _read(stored: str) -> dict[str, Any] | None:
    if not stored.startswith("{"):
        return None
    try:
        value = json.loads(stored)
    except ValueError:
        return None
    return value if isinstance(value, dict) and isinstance(value.get("code"), str) else None


def _n(value: Any) -> str:
    return format_decimal(value) if isinstance(value, int) else str(value)


def progress_words(run: SolveRun) -> str:
    """The run's progress in the reader's words ("" when there is none)."""
    stored = run.progress or ""
    value = _read(stored)
    if value is None:
        return stored
    code = value["code"]
    if code == LOADING:
        return _("Loading needs and offers")
    if code == SCORING:
        return _(
            "Scoring %(needs)s needs against %(offers)s offers",
            needs=_n(value.get("needs", 0)),
            offers=_n(value.get("offers", 0)),
        )
    if code == ASSIGNING:
        return _("Assigning among %(pairs)s eligible pairs", pairs=_n(value.get("pairs", 0)))
    return code


SOLVER_STATUS_WORDS = {
    "INFEASIBLE": lambda: _(
        "The round's pins and bars cannot all hold at once: no set of matches keeps every one."
    ),
    "MODEL_INVALID": lambda: _("The solver could not read this round's data."),
}


def error_words(run: SolveRun) -> str:
    """Why the run failed or what the solver said, in the reader's words ("" for nothing)."""
    stored = run.error or ""
    value = _read(stored)
    if value is None:
        return stored
    if value["code"] == REAPED:
        words = REAPED_WORDS.get(str(value.get("why", "")))
        return words() if words else value["code"]
    if value["code"] == SOLVE_FAILED:
        return _("The solve failed; the details are in the server log.")
    if value["code"] == SOLVER:
        words = SOLVER_STATUS_WORDS.get(str(value.get("status", "")))
        detail = str(value.get("detail", ""))
        if words is None:
            return detail
        return f"{words()} ({detail})" if detail else words()
    return value["code"]
