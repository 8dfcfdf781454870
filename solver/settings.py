"""The settings of one solve of a round, with the only copy of their defaults, and their JSON.

The platform stores a run's settings as `RunSettings.to_json()` and reads them back with
`RunSettings.from_json` (missing keys take the defaults here; unknown keys are ignored).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from solver.profiles import ScoreWeights

TIME_LIMIT = 20  # seconds
COVERAGE_FIRST = True  # serve as many needs as possible, then the best score at that coverage
# Years after leaving the LDC category during which a State keeps a (smaller) LDC priority: the
# General Assembly's smooth-transition resolutions ask partners to extend LDC support measures
# for a period after graduation (for example until 13 December 2028 for Bhutan, 5 years).
LDC_TRANSITION_YEARS = 3
# A need theme met by a broader or narrower offer theme (D2 and D23) earns this share (percent)
# of what the same theme earns.
RELATED_THEME_PERCENT = 50
WEIGHT_NAMES = tuple(f.name for f in dataclasses.fields(ScoreWeights))


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What a run solves with: time limit (s), coverage first, State cap, workers, weights, day.

    `today` (ISO date, "" for the day of the solve) fixes what "urgent" means for the run, and
    which States are LDCs. `ldc_transition_years`: a State that left the LDC category within
    that many years before `today` earns `weights.ldc_graduated` (0 turns it off).
    `related_theme_percent`: the share of the theme weight a related theme earns (0 to 100).
    """

    time_limit: int = TIME_LIMIT
    coverage_first: bool = COVERAGE_FIRST
    max_per_state: int | None = None
    workers: int = 1
    weights: ScoreWeights = field(default_factory=ScoreWeights)
    today: str = ""
    ldc_transition_years: int = LDC_TRANSITION_YEARS
    related_theme_percent: int = RELATED_THEME_PERCENT

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object stored on the run (weights in full, by name)."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["weights"] = dataclasses.asdict(self.weights)
        return data

    @staticmethod
    def from_json(data: dict[str, Any] | None) -> RunSettings:
        """Read stored settings; missing keys (older runs) take the defaults."""
        data = data or {}
        known = {f.name for f in dataclasses.fields(RunSettings)} - {"weights"}
        values = {k: v for k, v in data.items() if k in known and v is not None}
        weights = {k: int(v) for k, v in (data.get("weights") or {}).items() if k in WEIGHT_NAMES}
        cap = data.get("max_per_state")
        values["max_per_state"] = int(cap) if cap is not None else None
        share = values.get("related_theme_percent", RELATED_THEME_PERCENT)
        values["related_theme_percent"] = min(max(int(share), 0), 100)
        return RunSettings(**values, weights=ScoreWeights(**weights))
