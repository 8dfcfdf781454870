"""What an import found and did: counts, bad rows (which stop it) and warnings (which do not)."""

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _

MAX_ERRORS = 10_000  # rows listed of each kind; the counts go on


@dataclass(frozen=True)
class RowError:
    """Why one cell of one row cannot be imported (or was imported with a doubt); row 1 is the
    header."""

    source: str
    row: int
    column: str
    reason: str

    def describe(self) -> str:
        return _(
            "%(source)s row %(row)s, column %(column)s: %(reason)s",
            source=self.source,
            row=self.row,
            column=self.column or "-",
            reason=self.reason,
        )


@dataclass
class ImportReport:
    """What an import did (or, with errors, would refuse to do)."""

    sources: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    encodings: list[str] = field(default_factory=list)
    rows: int = 0
    skipped: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    translated: int = 0  # texts stored in another language of recommendations already held
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # Rows imported as given but worth a look (a response no code fits, ...).
    warnings: list[RowError] = field(default_factory=list)
    warning_count: int = 0
    damaged_cells: int = 0  # cells that look mis-decoded (each also a warning)
    unresolved_states: Counter[str] = field(default_factory=Counter)
    unmapped_terms: Counter[str] = field(default_factory=Counter)
    unknown_responses: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, source: str, row: int, column: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(source, row, column, reason))

    def warn(self, source: str, row: int, column: str, reason: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append(RowError(source, row, column, reason))

    def summary(self) -> str:
        counts = ("rows", "skipped", "created", "updated", "unchanged", "translated")
        values = {k: getattr(self, k) for k in counts}
        if self.translated:
            return _(
                "%(rows)s rows read, %(skipped)s skipped: %(created)s recommendations created, "
                "%(updated)s updated, %(unchanged)s unchanged, %(translated)s texts added in "
                "another language.",
                **values,
            )
        return _(
            "%(rows)s rows read, %(skipped)s skipped: %(created)s recommendations created, "
            "%(updated)s updated, %(unchanged)s unchanged.",
            **values,
        )
