"""The weights a run was solved with, as a reader reads them: each criterion's label and points."""

from tamatch.models import SolveRun
from tamatch.rounds.forms import DEFAULT_WEIGHTS, WEIGHT_LABELS


def run_weights(run: SolveRun) -> list[tuple[str, int]]:
    """(label, points) of each criterion, in the settings form's order; a weight the run's
    settings do not hold is the default it was solved with."""
    stored = (run.settings or {}).get("weights") or {}
    return [
        (str(label), int(stored.get(name, DEFAULT_WEIGHTS[name])))
        for name, label in WEIGHT_LABELS.items()
    ]
