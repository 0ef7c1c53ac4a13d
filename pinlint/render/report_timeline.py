"""The expiry timeline of the evidence report, drawn as inline SVG (no script, no external reference).

One chart per repository: a row per dated item (pin-set expiration, bundled certificate, live leaf) in
the twelve months from the reference date, a red mark at the left edge for what has already expired.
For several repositories, one more chart counts the expiries of all of them per month.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from pinlint.evidence.model import Expiry
from pinlint.render import printable

WINDOW_DAYS = 365
WIDTH, LABEL_WIDTH, ROW_HEIGHT, AXIS_HEIGHT = 960, 330, 22, 34
CHART_WIDTH = WIDTH - LABEL_WIDTH - 20
KIND_CLASS = {"pin set": "pinset", "certificate": "certificate", "live leaf": "live"}
MAX_LABEL = 48


def _text(value: str) -> str:
    return html.escape(printable(value), quote=True)


def _short(value: str) -> str:
    return value if len(value) <= MAX_LABEL else value[: MAX_LABEL - 1] + "…"


def in_window(expiries: Iterable[Expiry], today: date) -> tuple[list[Expiry], list[Expiry]]:
    """The items the chart shows (expired, or within twelve months) and the later ones."""
    end = today + timedelta(days=WINDOW_DAYS)
    shown: list[Expiry] = []
    later: list[Expiry] = []
    for item in expiries:
        (shown if item.day <= end else later).append(item)
    return shown, later


def _month_starts(today: date) -> list[date]:
    starts = []
    year, month = today.year, today.month
    for _ in range(13):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        starts.append(date(year, month, 1))
    return [start for start in starts if (start - today).days <= WINDOW_DAYS]


def _x(day: date, today: date) -> float:
    days = min(max((day - today).days, 0), WINDOW_DAYS)
    return LABEL_WIDTH + CHART_WIDTH * days / WINDOW_DAYS


def _axis(today: date, top: int, bottom: int) -> Iterator[str]:
    yield (f'<line class="axis" x1="{LABEL_WIDTH}" y1="{top}" x2="{LABEL_WIDTH + CHART_WIDTH}" y2="{top}"/>')
    yield f'<line class="axis" x1="{LABEL_WIDTH}" y1="{top}" x2="{LABEL_WIDTH}" y2="{bottom}"/>'
    yield f'<text class="tick" x="{LABEL_WIDTH - 8}" y="{top - 8}" text-anchor="end">today</text>'
    for start in _month_starts(today):
        x = _x(start, today)
        name = start.strftime("%b %Y" if start.month == 1 else "%b")
        yield f'<line class="grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}"/>'
        yield f'<text class="tick" x="{x:.1f}" y="{top - 8}" text-anchor="middle">{name}</text>'


def timeline_svg(expiries: list[Expiry], today: date, caption: str) -> str:
    """A chart of ``expiries`` (already limited to the window), one row each; empty string for none."""
    if not expiries:
        return ""
    height = AXIS_HEIGHT + ROW_HEIGHT * len(expiries) + 10
    parts = [f'<svg class="timeline" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{_text(caption)}</title>']
    parts.extend(_axis(today, AXIS_HEIGHT - 6, height - 6))
    for row, item in enumerate(expiries):
        y = AXIS_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT // 2
        expired = item.day <= today
        kind = "expired" if expired else KIND_CLASS.get(item.kind, "pinset")
        label = _short(f"{item.kind}: {item.what}")
        parts.append(f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + 4}">{_text(label)}</text>')
        x = _x(item.day, today)
        parts.append(f'<line class="lead" x1="{LABEL_WIDTH}" y1="{y}" x2="{x:.1f}" y2="{y}"/>')
        state = "expired " if expired else ""
        parts.append(f'<circle class="{kind}" cx="{x:.1f}" cy="{y}" r="6"><title>{_text(item.kind)} '
                     f'{_text(item.what)}: {state}{item.day.isoformat()} ({_text(item.where)})</title></circle>')
        # a date near the right edge goes left of its mark, so it stays inside the chart
        anchor, offset = ("end", -10) if x > WIDTH - 130 else ("start", 10)
        parts.append(f'<text class="when" x="{x + offset:.1f}" y="{y + 4}" text-anchor="{anchor}">'
                     f'{"expired " if expired else ""}{item.day.isoformat()}</text>')
    parts.append("</svg>")
    return "".join(parts)


def monthly_svg(days: Iterable[date], today: date, caption: str) -> str:
    """Expiries of every repository counted per month: a bar per month, one for what has expired."""
    end = today + timedelta(days=WINDOW_DAYS)
    counts: Counter[str] = Counter()
    for day in days:
        if day <= today:
            counts["expired"] += 1
        elif day <= end:
            counts[day.strftime("%Y-%m")] += 1
    if not counts:
        return ""
    months = ["expired"]
    year, month = today.year, today.month
    for _ in range(13):
        key = f"{year:04d}-{month:02d}"
        if key <= end.strftime("%Y-%m"):
            months.append(key)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    tallest = max(counts.values())
    bar_area, height, left = 160, 220, 40
    step = (WIDTH - left - 10) / len(months)
    parts = [f'<svg class="timeline" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{_text(caption)}</title>',
             f'<line class="axis" x1="{left}" y1="{bar_area + 10}" x2="{WIDTH - 10}" y2="{bar_area + 10}"/>']
    for index, key in enumerate(months):
        count = counts.get(key, 0)
        bar = bar_area * count / tallest
        x = left + step * index + 4
        css = "expired" if key == "expired" else "pinset"
        parts.append(f'<rect class="{css}" x="{x:.1f}" y="{bar_area + 10 - bar:.1f}" width="{step - 8:.1f}" '
                     f'height="{bar:.1f}"><title>{key}: {count}</title></rect>')
        if count:
            parts.append(f'<text class="when" x="{x + (step - 8) / 2:.1f}" y="{bar_area + 4 - bar:.1f}" '
                         f'text-anchor="middle">{count}</text>')
        parts.append(f'<text class="tick" x="{x + (step - 8) / 2:.1f}" y="{bar_area + 28}" '
                     f'text-anchor="middle">{key}</text>')
    parts.append("</svg>")
    return "".join(parts)
