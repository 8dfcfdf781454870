"""Which themes are related: the theme hierarchy as data, passed in by the platform.

The platform knows the hierarchy (each theme's parent code); the solver only reads it. Two
different themes are related when one lies under the other (D2 and D23, D and D23); siblings
(D21 and D23) are not. A related theme earns `related_percent` of what the same theme earns.

>>> tree = ThemeRelation.of({"D23": "D2", "D21": "D2", "D2": "D"})
>>> tree.related("D2", "D23"), tree.related("D23", "D"), tree.related("D21", "D23")
(True, True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from solver.settings import RELATED_THEME_PERCENT


@dataclass(frozen=True, slots=True, eq=False)
class ThemeRelation:
    """Each theme's parent code (`parents`), and the share of the theme weight (percent) that a
    need theme earns when the offer has a broader or narrower theme instead of the same one."""

    parents: Mapping[str, str] = field(default_factory=dict)
    related_percent: int = RELATED_THEME_PERCENT

    @staticmethod
    def of(parents: Mapping[str, str], related_percent: int = RELATED_THEME_PERCENT):
        """Return the relation of a {code: parent code} mapping (a copy; empty parents dropped)."""
        return ThemeRelation({c: p for c, p in parents.items() if p}, related_percent)

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Return the codes above `code`, nearest first (a cycle in the data stops the walk)."""
        out: list[str] = []
        parent = self.parents.get(code)
        while parent is not None and parent != code and parent not in out:
            out.append(parent)
            parent = self.parents.get(parent)
        return tuple(out)

    def related(self, a: str, b: str) -> bool:
        """Return whether two different themes lie one under the other."""
        return a != b and (a in self.ancestors(b) or b in self.ancestors(a))

    def neighbours(self, vocabulary: frozenset[str]) -> dict[str, frozenset[str]]:
        """Return, for each code of `vocabulary`, the codes of `vocabulary` related to it."""
        if not self.parents:
            return {code: frozenset() for code in vocabulary}
        return {
            code: frozenset(other for other in vocabulary if self.related(code, other))
            for code in vocabulary
        }

    def counterpart(self, code: str, offer_themes: Iterable[str]) -> str | None:
        """Return the offer theme (first by code) related to the need theme `code`, if any."""
        return next((t for t in sorted(offer_themes) if self.related(code, t)), None)


NO_RELATION = ThemeRelation()
