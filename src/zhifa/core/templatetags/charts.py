"""``{% load charts %}``: the SVG charts of ``zhifa.core.charts`` in templates.

    {% bar_chart rows title="联合抽查占比" percent=True reference=0.1 reference_label="底线 10%" %}
    {% stacked_bars rows series title="任务进度" unit="户" %}
    {% stacked_bar parts title="检查结果分布" unit="户" %}
    {% progress_bar stats.recorded stats.drawn title="覆盖率" %}

``rows`` / ``parts`` / ``series`` are what the view prepared (``charts.Bar``, tuples or dicts);
the tags only pass them on, so a chart looks the same from a view, a template or a test.
"""
from __future__ import annotations

from django import template

from zhifa.core import charts

register = template.Library()


def _reference(value, label: str) -> charts.Reference | None:
    """``reference=0.1 reference_label="底线 10%"``, or a ``charts.Reference`` the view made."""
    if value is None or value == "":
        return None
    if isinstance(value, charts.Reference):
        return value
    return charts.Reference(value, label or "")


@register.simple_tag
def bar_chart(rows, title: str = "", max=None, reference=None, reference_label: str = "", percent: bool = False,  # noqa: A002
              unit: str = "", description: str = "", caption: bool = True):
    return charts.bar_chart(rows or [], title=title, max_value=max, reference=_reference(reference, reference_label),
                            percent=bool(percent), unit=unit, description=description, caption=caption)


@register.simple_tag
def stacked_bars(rows, series, title: str = "", max=None, unit: str = "", description: str = "", caption: bool = True):  # noqa: A002
    return charts.stacked_bars(rows or [], series or [], title=title, max_value=max, unit=unit, description=description,
                               caption=caption)


@register.simple_tag
def stacked_bar(parts, title: str = "", unit: str = "", description: str = "", caption: bool = True):
    return charts.stacked_bar(parts or [], title=title, unit=unit, description=description, caption=caption)


@register.simple_tag
def progress_bar(value, total=1, title: str = "", reference=None, reference_label: str = "", tone: str = "primary",
                 note: str = ""):
    return charts.progress_bar(value, total, title=title, reference=_reference(reference, reference_label), tone=tone,
                               note=note)
