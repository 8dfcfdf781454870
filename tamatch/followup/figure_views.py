"""The dashboard's figures as pages and downloads show them: chart, table and raw rows."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from tamatch.charts import NEUTRAL, PALETTE, Series, bar_chart, line_chart, stacked_bar_chart
from tamatch.followup import dashboard as figures
from tamatch.forms import REGIONAL_GROUP_LABELS
from tamatch.labels import IMPLEMENTATION_LABELS
from tamatch.models import RegionalGroup

# Grey for nothing reported, then red, orange, blue and green as implementation advances.
STATUS_COLOURS = dict(
    zip(figures.STATUS_KEYS, (NEUTRAL, PALETTE[4], PALETTE[1], PALETTE[0], PALETTE[2]), strict=True)
)
NO_VALUE = "\u2013"  # an en dash where a share has no denominator
REPORT_COLOURS = (PALETTE[2], PALETTE[1], NEUTRAL)


@dataclass(frozen=True, slots=True)
class FigureView:
    """A figure as the page and the downloads show it: chart, table and the raw rows."""

    key: str
    title: str
    chart: Markup
    headers: list[str]
    rows: list[list[Any]]
    percent_columns: frozenset[int] = frozenset()

    @property
    def has_figures(self) -> bool:
        """Some row counts something: rows of zeros (nothing due yet) are no figures, and
        their chart would be an empty axis."""
        return any(value for row in self.rows for value in row[1:] if value is not None)

    @property
    def frame(self) -> pd.DataFrame:
        """The rows for a spreadsheet: shares as percentages with one decimal."""
        rows = [
            [
                round(v * 100, 1) if i in self.percent_columns and v is not None else v
                for i, v in enumerate(row)
            ]
            for row in self.rows
        ]
        return pd.DataFrame(rows, columns=self.headers)

    def cell(self, index: int, value: Any) -> str:
        """A table cell as text, through Babel's formatters."""
        if value is None or index in self.percent_columns:
            return _percent(value)
        return format_decimal(value) if isinstance(value, int | float) else str(value)


def _percent(value: float | None) -> str:
    return NO_VALUE if value is None else format_percent(value, "#,##0.#%")


def _labels() -> dict[str, str]:
    return {
        **{g.value: str(REGIONAL_GROUP_LABELS[g]) for g in RegionalGroup},
        "observer": _("Non-member observer States"),
        "ldc": _("Least developed countries (LDC)"),
        "sids": _("Small island developing States (SIDS)"),
        "lldc": _("Landlocked developing countries (LLDC)"),
        "other": _("Other States"),
        "state": _("State reports"),
        "partner": _("Partner reports"),
        "all": _("All reports"),
        figures.NOT_REPORTED: _("Not reported yet"),
        **{s.value: str(label) for s, label in IMPLEMENTATION_LABELS.items()},
    }


def share_view(key: str, title: str, rows: list[figures.ShareRow], heading: str) -> FigureView:
    """Needs entered and served per category: a bar of the share served."""
    names = _labels()
    labels = [names.get(r.label, r.label) for r in rows]
    shares = [(r.share or 0) * 100 for r in rows]
    value_labels = [
        _(
            "%(share)s (%(served)s of %(entered)s)",
            share=_percent(r.share),
            served=format_decimal(r.served),
            entered=format_decimal(r.entered),
        )
        for r in rows
    ]
    chart = bar_chart(
        key,
        title,
        categories=labels,
        series=Series(_("Share of needs entered that received a response"), tuple(shares)),
        value_labels=value_labels,
        maximum=100,
        tick_format=lambda v: format_percent(v / 100),
        description=_("Bar chart; the table beside it gives the figures."),
    )
    headers = [heading, _("Needs entered"), _("Needs served"), _("Share served (%)")]
    table = [[label, r.entered, r.served, r.share] for label, r in zip(labels, rows, strict=True)]
    return FigureView(key, title, chart, headers, table, frozenset({3}))


def report_view(key: str, title: str, rows: list[figures.ReportRow], heading: str) -> FigureView:
    """Reports due: on time, late, not submitted, stacked."""
    names = _labels()
    labels = [names.get(r.label, r.label) for r in rows]
    parts = (
        (_("Submitted on time"), [r.on_time for r in rows]),
        (_("Submitted late"), [r.late for r in rows]),
        (_("Not submitted"), [r.missing for r in rows]),
    )
    series = [
        Series(name, tuple(values), colour)
        for (name, values), colour in zip(parts, REPORT_COLOURS, strict=True)
    ]
    chart = stacked_bar_chart(
        key,
        title,
        categories=labels,
        series=series,
        tick_format=format_decimal,
        description=_("Stacked bar chart; the table beside it gives the figures."),
    )
    headers = [
        heading,
        _("Due"),
        _("Submitted"),
        _("Submission rate (%)"),
        _("On time"),
        _("Late"),
        _("Not submitted"),
        _("Timeliness (%)"),
    ]
    table = [
        [label, r.due, r.submitted, r.rate, r.on_time, r.late, r.missing, r.timeliness]
        for label, r in zip(labels, rows, strict=True)
    ]
    return FigureView(key, title, chart, headers, table, frozenset({3, 7}))


def status_view(key: str, title: str, rows: list[figures.StatusRow], heading: str) -> FigureView:
    """Recommendations per category by current status, stacked."""
    names = _labels()
    labels = [names.get(r.label, r.label) for r in rows]
    series = [
        Series(names[s], tuple(r.count(s) for r in rows), STATUS_COLOURS[s])
        for s in figures.STATUS_KEYS
    ]
    chart = stacked_bar_chart(
        key,
        title,
        categories=labels,
        series=series,
        tick_format=format_decimal,
        description=_("Stacked bar chart; the table beside it gives the figures."),
    )
    headers = [heading, *(names[s] for s in figures.STATUS_KEYS), _("Total")]
    table = [
        [label, *(r.count(s) for s in figures.STATUS_KEYS), r.total]
        for label, r in zip(labels, rows, strict=True)
    ]
    return FigureView(key, title, chart, headers, table)


def timeline_view(
    key: str, title: str, points: list[tuple[date, figures.StatusRow]], unit: str
) -> FigureView:
    """Recommendations served by their status at the end of each period, one line per status."""
    names = _labels()
    if unit == "month":
        periods = [format_date(start, "MMM y") for start, _row in points]
    else:
        periods = [
            _("%(year)s Q%(quarter)s", year=start.year, quarter=(start.month - 1) // 3 + 1)
            for start, _row in points
        ]
    series = [
        Series(names[s], tuple(row.count(s) for _start, row in points), STATUS_COLOURS[s])
        for s in figures.STATUS_KEYS
    ]
    chart = line_chart(
        key,
        title,
        periods=periods,
        series=series,
        tick_format=format_decimal,
        description=_("Line chart; the table beside it gives the figures."),
    )
    headers = [_("Period"), *(names[s] for s in figures.STATUS_KEYS), _("Total")]
    table = [
        [period, *(row.count(s) for s in figures.STATUS_KEYS), row.total]
        for period, (_start, row) in zip(periods, points, strict=True)
    ]
    return FigureView(key, title, chart, headers, table)


class Figures:
    """The dashboard's figures for one scope of needs, each built once on demand."""

    def __init__(self, scope: sa.ColumnElement[bool], today: date, unit: str = "quarter"):
        self.scope, self.today, self.unit = scope, today, unit

    @cached_property
    def reports(self) -> figures.ReportFigures:
        return figures.report_figures(self.scope, self.today)

    def build(self, key: str) -> FigureView:
        title, make = BUILDERS[key]
        return make(self, key, str(title()))


BUILDERS: dict[str, tuple[Callable[[], str], Callable[[Figures, str, str], FigureView]]] = {
    "response-by-round": (
        lambda: _("Needs that received a response, by round"),
        lambda f, k, t: share_view(k, t, figures.response_by_round(f.scope), _("Round")),
    ),
    "response-by-group": (
        lambda: _("Needs that received a response, by regional group"),
        lambda f, k, t: share_view(k, t, figures.response_by_group(f.scope), _("Regional group")),
    ),
    "response-by-flag": (
        lambda: _("Needs that received a response: LDC, SIDS and LLDC"),
        lambda f, k, t: share_view(k, t, figures.response_by_flag(f.scope), _("States")),
    ),
    "response-by-theme": (
        lambda: _("Needs that received a response, by theme"),
        lambda f, k, t: share_view(k, t, figures.response_by_theme(f.scope), _("Theme")),
    ),
    "reports-by-side": (
        lambda: _("Progress reports filed, by side"),
        lambda f, k, t: report_view(k, t, f.reports.by_side, _("Reports")),
    ),
    "reports-by-round": (
        lambda: _("Progress reports filed, by round"),
        lambda f, k, t: report_view(k, t, f.reports.by_round, _("Round")),
    ),
    "status-over-time": (
        lambda: _("Implementation status of the recommendations served, over time"),
        lambda f, k, t: timeline_view(
            k, t, figures.status_over_time(f.scope, f.today, f.unit), f.unit
        ),
    ),
    "status-by-mechanism": (
        lambda: _("Current implementation status, by mechanism"),
        lambda f, k, t: status_view(
            k, t, figures.served_status(f.scope, f.today, "mechanism"), _("Mechanism")
        ),
    ),
    "status-by-theme": (
        lambda: _("Current implementation status, by theme"),
        lambda f, k, t: status_view(
            k, t, figures.served_status(f.scope, f.today, "theme"), _("Theme")
        ),
    ),
}
SECTIONS: Sequence[tuple[str, tuple[str, ...]]] = (
    (
        "responses",
        ("response-by-round", "response-by-group", "response-by-flag", "response-by-theme"),
    ),
    ("reports", ("reports-by-side", "reports-by-round")),
    ("implementation", ("status-over-time", "status-by-mechanism", "status-by-theme")),
)
