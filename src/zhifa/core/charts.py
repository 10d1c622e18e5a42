"""Server-side SVG charts (图表): horizontal bars, stacked bars and a progress gauge.

Pure functions from plain values to an accessible inline ``<svg role="img">`` — no models, no
JavaScript, no dependency beyond Django's escaping. Every chart comes with its numbers as a
visually hidden table (``<div class="sr-only"><table>``) for screen readers, and every piece of text
(labels may be user data such as a body's name) is escaped.

Layout: the SVG is ``width="100%"`` with a fixed pixel height and *percentage* x coordinates
instead of a ``viewBox``. A ``viewBox`` would scale the text with the card: 13px labels would
shrink to 7px on a phone. Here the bars stretch with the card while the text keeps the page's
size, so one chart fits a desktop card and a phone. Each row is a label line (label left, value
right) above its bar, so long Chinese names need no label column.

Colours come from the palette of ``static/zhifa/app.css`` (``PALETTE``; a test keeps them equal)
and carry meaning only: green good, amber warning, red below a floor, grey pending.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EMPTY = "暂无数据"

# The palette of app.css (:root custom properties), by meaning.
PALETTE: dict[str, str] = {
    "primary": "#1d5fbf",   # --c-primary
    "ok": "#1e7b4f",        # --c-ok
    "warn": "#a15c07",      # --c-warn
    "danger": "#b42318",    # --c-danger
    "muted": "#8795a6",     # --c-text-faint
    "pending": "#c6cfda",   # --c-border-strong
    "track": "#eef1f5",     # --c-muted-soft
    "danger_soft": "#fde8e6",  # --c-danger-soft: the track of a bar below its floor
    "warn_soft": "#fdf1de",    # --c-warn-soft
    "text": "#1f2933",      # --c-text
    "text_muted": "#5b6b7c",  # --c-text-muted
}
# Text drawn on a segment of each tone (white on the dark ones).
_ON_TONE = {"pending": PALETTE["text"], "track": PALETTE["text"]}

FONT = 13          # px, the page's body size (html { font-size: 14px } less a little)
SMALL = 12
LABEL_LINE = 20    # label baseline at 13, room below it for descenders and a reference tick
BAR = 12           # bar thickness
ROW_GAP = 12       # space under a bar
HEADER = 18        # line above the first row for the reference caption
LABEL_BUDGET = 24  # em a label line may take (label + value): a phone card is ~330px at 13px
WIDE_BUDGET = 40   # … in a chart at least 520px wide (app.css shows the longer label there)


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart (条形图): ``value`` in the chart's unit, ``tone`` a PALETTE key,
    ``note`` the value label shown (the formatted value when empty)."""

    label: str
    value: float | int | Decimal
    tone: str = "primary"
    note: str = ""


@dataclass(frozen=True)
class Series:
    """One kind of segment of a stacked bar (堆积条形图): its legend label and tone."""

    label: str
    tone: str = "primary"


@dataclass(frozen=True)
class StackRow:
    """One row of a stacked bar chart: one value per series, in the series' order."""

    label: str
    values: tuple
    note: str = ""


@dataclass(frozen=True)
class Reference:
    """A reference line (参考线) such as a legal floor: its value and caption (``10% 底线``)."""

    value: float | int | Decimal
    label: str = ""


# --- numbers ---------------------------------------------------------------------------------

def clean(value: Any) -> float:
    """A number fit to draw: finite and non-negative (NaN, infinity, negatives, junk → 0)."""
    try:
        number = float(value)
    except (TypeError, ValueError, ArithmeticError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ not below ``value`` (a scale end a reader can halve)."""
    value = clean(value)
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10.0 ** exponent
        if candidate >= value * (1 - 1e-12):
            return candidate
    return 10.0 ** (exponent + 1)  # pragma: no cover — the loop ends at 10ⁿ⁺¹


def fraction(value: Any, maximum: Any) -> float:
    """``value / maximum`` clamped to [0, 1]; 0 when either is not a positive finite number."""
    v, m = clean(value), clean(maximum)
    if m <= 0:
        return 0.0
    return min(max(v / m, 0.0), 1.0)


def fmt(value: Any, *, percent: bool = False, unit: str = "") -> str:
    """A value as a reader writes it: ``1,234``, ``12.5%`` (``percent``: value is a fraction),
    ``3.25``; ``unit`` appended (``户``)."""
    number = clean(value)
    if percent:
        text = f"{number * 100:.1f}".rstrip("0").rstrip(".") + "%"
    elif number == int(number) and number < 1e15:
        text = f"{int(number):,}"
    else:
        text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}" if unit else text


def _pc(x: float) -> str:
    """A percentage coordinate (0–100) written for SVG: never NaN, negative or beyond 100."""
    x = 0.0 if not math.isfinite(x) else min(max(x, 0.0), 100.0)
    return f"{x:.2f}%"


def text_em(text: str) -> float:
    """Estimated width of ``text`` in em: wide (CJK, full-width) characters 1, others 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def shorten(text: str, budget: float) -> str:
    """``text`` cut to about ``budget`` em, with an ellipsis when cut."""
    if text_em(text) <= budget:
        return text
    out, used = "", 1.0  # room for the ellipsis
    for c in text:
        w = text_em(c)
        if used + w > budget:
            break
        out += c
        used += w
    return out + "…"


def _tone(name: str) -> str:
    return PALETTE.get(name, PALETTE["primary"])


# --- pieces ----------------------------------------------------------------------------------

def _svg(title: str, height: int, body: list[str], description: str = "", css: str = "") -> str:
    label = title + (f"：{description}" if description else "")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg{(" " + css) if css else ""}" width="100%" height="{height}" '
        f'role="img" aria-label="{escape(label)}" focusable="false">'
        f"<title>{escape(title)}</title>" + (f"<desc>{escape(description)}</desc>" if description else "")
        + "".join(body) + "</svg>"
    )


def _table(title: str, head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>" + f'<th scope="row">{escape(r[0])}</th>' + "".join(f"<td>{escape(c)}</td>" for c in r[1:]) + "</tr>"
        for r in rows
    )
    # the wrapper hides it: a table itself grows to its content's width, whatever its CSS width
    return (f'<div class="sr-only"><table><caption>{escape(title)}</caption><thead><tr>{cells}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>')


def _legend(items: Sequence[tuple[str, str]]) -> str:
    """An HTML legend (wraps on a phone); hidden from screen readers, who get the table."""
    spans = "".join(
        f'<li><span class="chart-key" style="background:{_tone(tone)}"></span>{escape(label)}</li>' for label, tone in items
    )
    return f'<ul class="chart-legend" aria-hidden="true">{spans}</ul>'


def _figure(title: str, inner: str, *, caption: bool = True) -> SafeString:
    head = f'<figcaption class="chart-title">{escape(title)}</figcaption>' if caption and title else ""
    return mark_safe(f'<figure class="chart">{head}{inner}</figure>')


def empty(title: str = "", message: str = EMPTY) -> SafeString:
    """The empty state of a chart: says 暂无数据 instead of drawing nothing."""
    label = f"{title}：{message}" if title else message
    return mark_safe(f'<div class="chart chart-empty" role="img" aria-label="{escape(label)}">{escape(message)}</div>')


def _label_line(y: float, label: str, note: str, *, tone: str = "text") -> str:
    """A row's label (left) and value (right). A long label is shortened to fit beside the value
    on a phone, with a longer version that app.css shows instead in a wide chart (a container
    query; browsers without them keep the short one) and the whole label as a tooltip."""
    room = text_em(note) + 1
    short, wide = shorten(label, LABEL_BUDGET - room), shorten(label, WIDE_BUDGET - room)
    tip = f"<title>{escape(label)}</title>" if short != label else ""
    colour = _tone(tone) if tone not in ("primary", "text") else PALETTE["text"]
    start = f'<text x="0" y="{y + 13:.0f}" font-size="{FONT}" fill="{PALETTE["text"]}"'
    labels = f"{start}>{tip}{escape(short)}</text>" if wide == short else (
        f'{start} class="chart-label-short">{tip}{escape(short)}</text>{start} class="chart-label-wide" display="none">{tip}{escape(wide)}</text>'
    )
    return labels + (
        f'<text x="100%" y="{y + 13:.0f}" font-size="{SMALL}" text-anchor="end" fill="{colour}" '
        f'font-weight="{600 if tone in ("danger", "warn") else 400}">{escape(note)}</text>'
    )


def _reference(ref: Reference | None, maximum: float, top: float, rows: int, row_h: float) -> tuple[list[str], list[str]]:
    """Caption (above the first row) and one tick per bar at the reference value."""
    if ref is None:
        return [], []
    x = fraction(ref.value, maximum) * 100
    anchor, dx = ("start", -2) if x < 15 else ("end", 2) if x > 85 else ("middle", 0)
    caption = [
        f'<text x="{_pc(x)}" dx="{dx}" y="12" font-size="{SMALL - 1}" text-anchor="{anchor}" '
        f'fill="{PALETTE["text_muted"]}" class="chart-ref-label">▾ {escape(ref.label or fmt(ref.value))}</text>'
    ]
    ticks = [
        f'<line class="chart-ref" x1="{_pc(x)}" x2="{_pc(x)}" y1="{top + i * row_h + LABEL_LINE - 2:.0f}" '
        f'y2="{top + i * row_h + LABEL_LINE + BAR + 3:.0f}" stroke="{PALETTE["text"]}" stroke-width="2"/>'
        for i in range(rows)
    ]
    return caption, ticks


# --- charts ----------------------------------------------------------------------------------

def _as_bar(row: Any) -> Bar:
    if isinstance(row, Bar):
        return row
    if isinstance(row, Mapping):
        return Bar(str(row.get("label", "")), row.get("value", 0), row.get("tone") or "primary", str(row.get("note", "") or ""))
    label, value, *rest = row
    return Bar(str(label), value, *(str(r) for r in rest[:2]))


def bar_chart(rows: Iterable[Any], *, title: str, max_value: Any = None, reference: Reference | None = None,
              percent: bool = False, unit: str = "", description: str = "", caption: bool = True) -> SafeString:
    """A horizontal bar chart (条形图), one labelled bar per row.

    ``rows``: ``Bar``s, or ``(label, value[, tone[, note]])`` tuples, or dicts with those keys.
    Bars are proportional to ``value / max_value`` (default: a round number at or above the
    largest value and, with room to spare, the ``reference``). ``percent`` reads values as
    fractions (0.125 → 12.5%). A ``reference`` draws a tick on every bar at its value and its
    caption above the chart.
    """
    bars = [_as_bar(r) for r in rows]
    if not bars:
        return empty(title)
    values = [clean(b.value) for b in bars]
    if max_value is not None and clean(max_value) > 0:
        maximum = clean(max_value)
    else:
        ref = clean(reference.value) / 0.8 if reference is not None else 0.0  # keep the floor off the edge
        maximum = nice_max(max(values + [ref]))
    top = HEADER if reference is not None else 0
    row_h = LABEL_LINE + BAR + ROW_GAP
    height = int(top + row_h * len(bars) - ROW_GAP + 4)  # + the reference tick's overhang
    body: list[str] = []
    caption_svg, ticks = _reference(reference, maximum, top, len(bars), row_h)
    body += caption_svg
    for i, (bar, value) in enumerate(zip(bars, values)):
        y = top + i * row_h
        note = bar.note or fmt(value, percent=percent, unit=unit)
        body.append(_label_line(y, bar.label, note, tone=bar.tone))
        w = fraction(value, maximum) * 100
        # a red bar also gets a red track, so a bar at 0 still stands out
        track = f' is-{escape(bar.tone)}" fill="{PALETTE[bar.tone + "_soft"]}' if bar.tone == "danger" else f'" fill="{PALETTE["track"]}'
        body.append(f'<rect class="chart-track{track}" x="0" y="{y + LABEL_LINE:.0f}" width="100%" height="{BAR}" rx="{BAR / 2:.0f}"/>')
        if w > 0:
            body.append(f'<rect class="chart-bar tone-{escape(bar.tone)}" x="0" y="{y + LABEL_LINE:.0f}" width="{_pc(w)}" height="{BAR}" '
                        f'rx="{BAR / 2:.0f}" fill="{_tone(bar.tone)}"/>')
    body += ticks
    head = ["项目", "数值"]
    table_rows = [(b.label, b.note or fmt(v, percent=percent, unit=unit)) for b, v in zip(bars, values)]
    if reference is not None:
        table_rows.append((reference.label or "参考线", fmt(reference.value, percent=percent, unit=unit)))
    return _figure(title, _svg(title, height, body, description) + _table(title, head, table_rows), caption=caption)


def _as_stack(row: Any) -> StackRow:
    if isinstance(row, StackRow):
        return row
    if isinstance(row, Mapping):
        return StackRow(str(row.get("label", "")), tuple(row.get("values", ())), str(row.get("note", "") or ""))
    label, values, *rest = row
    return StackRow(str(label), tuple(values), *(str(r) for r in rest[:1]))


def stacked_bars(rows: Iterable[Any], series: Sequence[Series | tuple[str, str]], *, title: str, max_value: Any = None,
                 unit: str = "", description: str = "", caption: bool = True) -> SafeString:
    """Rows of stacked bars (堆积条形图) on a common scale, with a legend.

    ``rows``: ``StackRow``s or ``(label, values[, note])``; ``values`` one per ``series``
    (``Series`` or ``(label, tone)``), stacked left to right. The scale is ``max_value`` or the
    largest row total, so rows compare by length. ``note`` defaults to the row total.
    """
    kinds = [s if isinstance(s, Series) else Series(*s) for s in series]
    stacks = [_as_stack(r) for r in rows]
    if not stacks or not kinds:
        return empty(title)
    matrix = [[clean(v) for v in (list(r.values) + [0] * len(kinds))[: len(kinds)]] for r in stacks]
    totals = [sum(vs) for vs in matrix]
    maximum = clean(max_value) if max_value is not None and clean(max_value) > 0 else (max(totals) or 1.0)
    row_h = LABEL_LINE + BAR + ROW_GAP
    height = int(row_h * len(stacks) - ROW_GAP + 2)
    body: list[str] = []
    for i, (row, vs, total) in enumerate(zip(stacks, matrix, totals)):
        y = i * row_h
        body.append(_label_line(y, row.label, row.note or fmt(total, unit=unit)))
        body.append(f'<rect class="chart-track" x="0" y="{y + LABEL_LINE:.0f}" width="100%" height="{BAR}" rx="2" fill="{PALETTE["track"]}"/>')
        x = 0.0
        for kind, v in zip(kinds, vs):
            w = fraction(v, maximum) * 100
            w = min(w, 100 - x)
            if w <= 0:
                continue
            body.append(f'<rect class="chart-seg" x="{_pc(x)}" y="{y + LABEL_LINE:.0f}" width="{_pc(w)}" height="{BAR}" '
                        f'fill="{_tone(kind.tone)}" stroke="#fff" stroke-width="1"><title>{escape(kind.label)} {escape(fmt(v, unit=unit))}</title></rect>')
            x += w
    head = ["项目", *[k.label for k in kinds], "合计"]
    table_rows = [(r.label, *[fmt(v, unit=unit) for v in vs], fmt(t, unit=unit)) for r, vs, t in zip(stacks, matrix, totals)]
    inner = _legend([(k.label, k.tone) for k in kinds]) + _svg(title, height, body, description) + _table(title, head, table_rows)
    return _figure(title, inner, caption=caption)


def stacked_bar(parts: Iterable[Any], *, title: str, unit: str = "", description: str = "", caption: bool = True) -> SafeString:
    """One bar split into its parts (构成), each as a share of the whole — e.g. the outcome
    distribution of a plan. ``parts``: ``(label, value, tone)`` or dicts; zero parts are left
    out of the bar but kept in the legend and the table. All zero → 暂无数据."""
    items = []
    for p in parts:
        if isinstance(p, Mapping):
            items.append((str(p.get("label", "")), clean(p.get("value")), p.get("tone") or "primary"))
        else:
            label, value, *rest = p
            items.append((str(label), clean(value), rest[0] if rest else "primary"))
    total = sum(v for _, v, _ in items)
    if not items or total <= 0:
        return empty(title)
    height = 26
    body = [f'<rect class="chart-track" x="0" y="0" width="100%" height="{height}" rx="3" fill="{PALETTE["track"]}"/>']
    x = 0.0
    for label, value, tone in items:
        w = min(fraction(value, total) * 100, 100 - x)
        if w <= 0:
            continue
        body.append(f'<rect class="chart-seg" x="{_pc(x)}" y="0" width="{_pc(w)}" height="{height}" fill="{_tone(tone)}" '
                    f'stroke="#fff" stroke-width="1"><title>{escape(label)} {escape(fmt(value, unit=unit))}</title></rect>')
        if w >= 9:  # room for "50%" inside the segment on a phone
            body.append(f'<text x="{_pc(x + w / 2)}" y="17" font-size="{SMALL}" text-anchor="middle" '
                        f'fill="{_ON_TONE.get(tone, "#fff")}">{escape(fmt(value / total, percent=True))}</text>')
        x += w
    legend = _legend([(f"{label} {fmt(value, unit=unit)}（{fmt(value / total, percent=True)}）", tone) for label, value, tone in items])
    table_rows = [(label, fmt(value, unit=unit), fmt(value / total, percent=True)) for label, value, _ in items]
    table_rows.append(("合计", fmt(total, unit=unit), "100%"))
    inner = _svg(title, height, body, description) + legend + _table(title, ["项目", "数量", "占比"], table_rows)
    return _figure(title, inner, caption=caption)


def progress_bar(value: Any, total: Any = 1, *, title: str, reference: Reference | None = None, tone: str = "primary",
                 note: str = "") -> SafeString:
    """A progress gauge (进度条): ``value`` of ``total`` as a thin bar, with an optional tick at
    ``reference`` (in ``value``'s unit: the 10% floor is 0.10 when ``total`` is 1). Meant under a
    statistic, which shows the number; the gauge says it in ``aria-label`` (``note`` or the
    percentage)."""
    share = fraction(value, total)
    spoken = note or fmt(share, percent=True)
    height = 14
    body = [f'<rect class="chart-track" x="0" y="3" width="100%" height="8" rx="4" fill="{PALETTE["track"]}"/>']
    if share > 0:
        body.append(f'<rect class="chart-bar tone-{escape(tone)}" x="0" y="3" width="{_pc(share * 100)}" height="8" rx="4" fill="{_tone(tone)}"/>')
    if reference is not None:
        x = _pc(fraction(reference.value, total) * 100)
        body.append(f'<line class="chart-ref" x1="{x}" x2="{x}" y1="0" y2="{height}" stroke="{PALETTE["text"]}" stroke-width="2">'
                    f"<title>{escape(reference.label or fmt(reference.value))}</title></line>")
    description = spoken + (f"；{reference.label}" if reference is not None and reference.label else "")
    return mark_safe(f'<div class="chart chart-progress">{_svg(title, height, body, description)}</div>')
