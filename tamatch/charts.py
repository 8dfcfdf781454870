"""Server-side SVG charts (bar, stacked bar, line): accessible pictures with no JavaScript."""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import get_locale
from markupsafe import Markup, escape

# Every colour has a contrast of at least 4.5:1 with white, so bars stand out from the page
# (WCAG 1.4.11 asks 3:1) and white value labels on them stay readable (1.4.3).
PALETTE = (
    "#1f5fa8",  # blue
    "#b35900",  # orange
    "#2e7d32",  # green
    "#7b3294",  # purple
    "#a61c00",  # red
    "#0b6e75",  # teal
    "#8a6d00",  # ochre
    "#c2185b",  # pink
    "#495057",  # dark grey
)
NEUTRAL = "#6c757d"
TEXT = "#212529"
GRID = "#ced4da"
WIDTH = 640
ROW = 30
BAR = 20
CHAR = 6.6  # average width of a 12px character, to size the label column
MAX_LABEL = 34
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
_ID = re.compile(r"^[a-z][a-z0-9-]{0,60}$")

Formatter = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class Series:
    """One named series of values, one per category (or period), and its colour."""

    label: str
    values: tuple[float, ...]
    colour: str | None = None


def _plain(value: float) -> str:
    return f"{value:g}"


def _check_id(chart_id: str) -> str:
    if not _ID.match(chart_id):
        raise ValueError(f"chart id must match {_ID.pattern}: {chart_id!r}")
    return chart_id


def _short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _right_to_left() -> bool:
    """The reader's language is written right to left: the chart is drawn mirrored."""
    locale = get_locale()
    return locale is not None and locale.text_direction == "rtl"


def _text(x: float, y: float, label: str, anchor: str = "start", fill: str = TEXT) -> str:
    if _right_to_left():
        # Inside the mirrored chart, flipped back so it reads; "start" is the right end in a
        # right-to-left text, so the anchor stays as it is.
        return (
            f'<text x="{-x:.1f}" y="{y:.1f}" transform="scale(-1,1)" direction="rtl" '
            f'text-anchor="{anchor}" font-size="12" fill="{escape(fill)}">{escape(label)}</text>'
        )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="12" '
        f'fill="{escape(fill)}">{escape(label)}</text>'
    )


def nice_ticks(maximum: float, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values from 0 covering `maximum`; steps of at least 1 when `whole`.

    >>> nice_ticks(7)
    [0, 2, 4, 6, 8]
    >>> nice_ticks(100)
    [0, 20, 40, 60, 80, 100]
    >>> nice_ticks(2), nice_ticks(2, whole=True)
    ([0.0, 0.5, 1.0, 1.5, 2.0], [0, 1, 2])
    """
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = max(1, math.ceil(step))
    if step == int(step):
        step = int(step)
    top = math.ceil(maximum / step)
    return [step * i for i in range(top + 1)]


def _whole(values: Sequence[float]) -> bool:
    return all(float(v).is_integer() for v in values)


def _svg(chart_id: str, title: str, description: str, height: float, body: list[str]) -> Markup:
    chart_id = _check_id(chart_id)
    # Every label and title below went through escape().
    return Markup(  # noqa: S704  # nosec B704
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="tm-chart" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="system-ui, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + _mirrored(body) + "</svg>"
    )


def _mirrored(body: list[str]) -> str:
    """The drawing, mirrored left to right for a right-to-left reader (bars grow leftwards)."""
    if not _right_to_left():
        return "".join(body)
    return f'<g transform="matrix(-1 0 0 1 {WIDTH} 0)">' + "".join(body) + "</g>"


def _legend(series: Sequence[Series], top: float, markers: bool = False) -> tuple[list[str], float]:
    """Swatches and names in rows that wrap; returns the markup and the height it took."""
    parts, x, y = [], 8.0, top + 14
    for index, item in enumerate(series):
        label = _short(item.label, 60)
        width = 26 + len(label) * CHAR + 18
        if x + width > WIDTH and x > 8:
            x, y = 8.0, y + 20
        colour = escape(item.colour or PALETTE[index % len(PALETTE)])
        if markers:
            dash = DASHES[index % len(DASHES)]
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 18:.1f}" y2="{y - 4:.1f}" '
                f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}"/>'
            )
        else:
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="14" height="14" fill="{colour}"/>'
            )
        parts.append(_text(x + 22, y, label))
        x += width
    return ['<g class="tm-legend">', *parts, "</g>"], y - top + 8


def _label_width(categories: Sequence[str]) -> float:
    longest = max((len(_short(c)) for c in categories), default=4)
    return min(max(longest * CHAR + 12, 60), 240)


def _axis(box: tuple[float, float, float, float], ticks: list[float], fmt: Formatter) -> list[str]:
    """Vertical grid lines and their values under the plot `box` (left, right, top, bottom)."""
    left, right, top, bottom = box
    parts, span = [], ticks[-1] or 1
    for tick in ticks:
        x = left + (right - left) * tick / span
        parts.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(x, bottom + 16, fmt(tick), anchor="middle"))
    return parts


def bar_chart(
    chart_id: str,
    title: str,
    *,
    categories: Sequence[str],
    series: Series,
    value_labels: Sequence[str] | None = None,
    maximum: float | None = None,
    tick_format: Formatter = _plain,
    description: str = "",
) -> Markup:
    """Horizontal bars, one per category, each with its value written after it."""
    labels = list(value_labels or [tick_format(v) for v in series.values])
    ticks = nice_ticks(maximum if maximum is not None else max(series.values, default=0))
    left = _label_width(categories) + 8
    right = WIDTH - 8 - max((len(t) for t in labels), default=4) * CHAR
    top, bottom = 8.0, 8.0 + ROW * max(len(categories), 1)
    colour = escape(series.colour or PALETTE[0])
    body = _axis((left, right, top, bottom), ticks, tick_format)
    for index, (category, value) in enumerate(zip(categories, series.values, strict=True)):
        y = top + index * ROW + (ROW - BAR) / 2
        width = (right - left) * value / (ticks[-1] or 1)
        body.append(_text(left - 8, y + BAR - 5, _short(category), anchor="end"))
        body.append(
            f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{BAR}" '
            f'fill="{colour}"><title>{escape(category)}: {escape(labels[index])}</title></rect>'
        )
        body.append(_text(left + width + 6, y + BAR - 5, labels[index]))
    legend, height = _legend([series], bottom + 24)
    return _svg(chart_id, title, description, bottom + 24 + height, body + legend)


def stacked_bar_chart(
    chart_id: str,
    title: str,
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    tick_format: Formatter = _plain,
    description: str = "",
) -> Markup:
    """Horizontal bars split into the series' parts; each part's value is written on it when
    it is wide enough, and the bar's total after it."""
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0), whole=_whole(totals))
    left = _label_width(categories) + 8
    right = WIDTH - 8 - max((len(tick_format(t)) for t in totals), default=4) * CHAR - 8
    top, bottom = 8.0, 8.0 + ROW * max(len(categories), 1)
    scale = (right - left) / (ticks[-1] or 1)
    body = _axis((left, right, top, bottom), ticks, tick_format)
    for index, category in enumerate(categories):
        y, x = top + index * ROW + (ROW - BAR) / 2, left
        body.append(_text(left - 8, y + BAR - 5, _short(category), anchor="end"))
        for number, item in enumerate(series):
            value = item.values[index]
            if value <= 0:
                continue
            width, colour = value * scale, escape(item.colour or PALETTE[number % len(PALETTE)])
            tip = f"{category} · {item.label}: {tick_format(value)}"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{BAR}" '
                f'fill="{colour}" stroke="#fff" stroke-width="1">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if width >= len(tick_format(value)) * CHAR + 6:
                body.append(
                    _text(x + width / 2, y + BAR - 5, tick_format(value), "middle", fill="#fff")
                )
            x += width
        body.append(_text(x + 6, y + BAR - 5, tick_format(totals[index])))
    legend, height = _legend(series, bottom + 24)
    return _svg(chart_id, title, description, bottom + 24 + height, body + legend)


def line_chart(
    chart_id: str,
    title: str,
    *,
    periods: Sequence[str],
    series: Sequence[Series],
    tick_format: Formatter = _plain,
    description: str = "",
) -> Markup:
    """One line per series over the periods; lines differ by dash as well as by colour."""
    peak = max((v for s in series for v in s.values), default=0)
    ticks = nice_ticks(peak, whole=_whole([v for s in series for v in s.values]))
    # Room for the value labels at the left and for half the first and last period labels.
    edge = (len(periods[0]) if periods else 0) * CHAR / 2 + 4
    left = max(max(len(tick_format(t)) for t in ticks) * CHAR + 14, edge)
    right = WIDTH - max(16.0, (len(periods[-1]) if periods else 0) * CHAR / 2 + 4)
    top, bottom = 12.0, 232.0
    step = (right - left) / max(len(periods) - 1, 1)
    span = ticks[-1] or 1
    body = []
    for tick in ticks:
        y = bottom - (bottom - top) * tick / span
        body.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        body.append(_text(left - 6, y + 4, tick_format(tick), anchor="end"))
    every = max(1, math.ceil(len(periods) * 60 / (right - left)))
    for index, period in enumerate(periods):
        if index % every == 0 or index == len(periods) - 1:
            body.append(_text(left + index * step, bottom + 18, period, anchor="middle"))
    for number, item in enumerate(series):
        colour = escape(item.colour or PALETTE[number % len(PALETTE)])
        points = [
            (left + i * step, bottom - (bottom - top) * v / span) for i, v in enumerate(item.values)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
            f'stroke-dasharray="{DASHES[number % len(DASHES)]}"/>'
        )
        for (x, y), period, value in zip(points, periods, item.values, strict=True):
            tip = f"{period} · {item.label}: {tick_format(value)}"
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(tip)}</title></circle>"
            )
    legend, height = _legend(series, bottom + 28, markers=True)
    return _svg(chart_id, title, description, bottom + 28 + height, body + legend)
