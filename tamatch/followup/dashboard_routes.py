"""Outcomes dashboard (SVG charts, tables, CSV/XLSX) and the good-practice library."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask import abort, current_app, render_template, request
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from tamatch.audit import record
from tamatch.auth.permissions import role_required, visible_needs_clause
from tamatch.charts import NEUTRAL, PALETTE, Series, bar_chart, line_chart, stacked_bar_chart
from tamatch.exports import export_response
from tamatch.extensions import db
from tamatch.followup import bp
from tamatch.followup import dashboard as figures
from tamatch.forms import REGIONAL_GROUP_LABELS
from tamatch.labels import IMPLEMENTATION_LABELS
from tamatch.models import (
    Engagement,
    GoodPractice,
    Need,
    RegionalGroup,
    Role,
    SupportKind,
    Theme,
    User,
    Visibility,
)
from tamatch.models.followup import good_practice_kind, good_practice_theme
from tamatch.request_args import int_arg

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


def _figures_for(user: User) -> Figures:
    unit = "month" if request.args.get("period") == "month" else "quarter"
    return Figures(visible_needs_clause(user), date.today(), unit)


@bp.get("/dashboard")
@role_required(Role.REVIEWER, Role.ORGANISER)
def dashboard():
    built = _figures_for(current_user)
    sections = [(name, [built.build(key) for key in keys]) for name, keys in SECTIONS]
    return render_template("followup/dashboard.html", sections=sections, unit=built.unit)


@bp.get("/dashboard/<figure>.<fmt>")
@role_required(Role.REVIEWER, Role.ORGANISER)
def dashboard_download(figure: str, fmt: str):
    if figure not in BUILDERS or fmt not in ("csv", "xlsx"):
        abort(404)
    built = _figures_for(current_user)
    frame = built.build(figure).frame
    record(
        current_user,
        "export.dashboard",
        "dashboard",
        after={"figure": figure, "format": fmt, "rows": len(frame)},
    )
    db.session.commit()
    return export_response(frame, f"{figure}-{built.today.isoformat()}", fmt)


# --- good practices -----------------------------------------------------------------------------


def practices_query(
    user: User | None, q: str | None, theme_id: int | None, kind_id: int | None
) -> sa.Select:
    """Published practices `user` may read, newest first. A practice drawn from a confidential
    need is read only by those who may see that need."""
    stmt = (
        sa.select(GoodPractice)
        .join(Engagement, Engagement.id == GoodPractice.engagement_id)
        .join(Need, Need.id == Engagement.need_id)
        .where(sa.or_(Need.visibility != Visibility.CONFIDENTIAL, visible_needs_clause(user)))
    )
    for word in (q or "").split()[:8]:
        stmt = stmt.where(
            sa.or_(
                GoodPractice.title.icontains(word, autoescape=True),
                GoodPractice.summary.icontains(word, autoescape=True),
            )
        )
    if theme_id:
        themed = sa.select(good_practice_theme.c.good_practice_id)
        stmt = stmt.where(
            GoodPractice.id.in_(themed.where(good_practice_theme.c.theme_id == theme_id))
        )
    if kind_id:
        kinds = sa.select(good_practice_kind.c.good_practice_id)
        stmt = stmt.where(
            GoodPractice.id.in_(kinds.where(good_practice_kind.c.support_kind_id == kind_id))
        )
    return stmt.order_by(GoodPractice.published_at.desc(), GoodPractice.id.desc())


def _choices(model) -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in db.session.scalars(sa.select(model).order_by(model.name))]


@bp.get("/practices")
def practices():
    q = (request.args.get("q") or "").strip()[:200] or None
    theme_id, kind_id = int_arg("theme"), int_arg("kind")
    page = db.paginate(
        practices_query(current_user, q, theme_id, kind_id),
        per_page=current_app.config["PER_PAGE"],
        max_per_page=100,
    )
    return render_template(
        "followup/practices.html",
        page=page,
        q=q,
        theme_id=theme_id,
        kind_id=kind_id,
        themes=_choices(Theme),
        kinds=_choices(SupportKind),
    )


@bp.get("/practices/<int:practice_id>")
def practice_detail(practice_id: int):
    stmt = practices_query(current_user, None, None, None).where(GoodPractice.id == practice_id)
    found = db.session.scalar(stmt) or abort(404)
    return render_template("followup/practice.html", practice=found)
