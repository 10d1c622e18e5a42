"""Server-side SVG charts (core.charts): escaping, empty data, proportional bars, the reference
line, accessible text, and no NaN or negative width for any input."""
from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from zhifa.core import charts
from zhifa.core.charts import Bar, Reference, Series, StackRow

APP_CSS = Path(charts.__file__).resolve().parents[1] / "static" / "zhifa" / "app.css"


def bar_widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect class="chart-bar[^"]*" x="0" y="\d+" width="([\d.]+)%"', svg)]


def segments(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(w)) for x, w in re.findall(r'<rect class="chart-seg" x="([\d.]+)%" y="\d+" width="([\d.]+)%"', svg)]


def percent_coordinates(svg: str) -> list[str]:
    return re.findall(r'(?:x|x1|x2|width)="([^"]*)%"', svg)


def test_user_text_is_escaped_everywhere():
    evil = '<script>alert("x")</script>示例局'
    for svg in (
        charts.bar_chart([(evil, 3)], title=evil, reference=Reference(1, evil)),
        charts.stacked_bars([StackRow(evil, (1, 2))], [Series(evil, "ok"), ("b", "warn")], title=evil),
        charts.stacked_bar([(evil, 1, "ok")], title=evil),
        charts.progress_bar(1, 2, title=evil, reference=Reference(1, evil)),
        charts.empty(evil),
    ):
        assert "<script>" not in svg and 'alert("x")' not in svg
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;示例局" in svg


def test_empty_data_says_no_data():
    assert "暂无数据" in charts.bar_chart([], title="联合抽查占比")
    assert "暂无数据" in charts.stacked_bars([], [Series("已公示", "ok")], title="任务进度")
    assert "暂无数据" in charts.stacked_bar([("未发现问题", 0, "ok"), ("待检查", 0, "pending")], title="检查结果")
    assert 'aria-label="检查结果：暂无数据"' in charts.stacked_bar([], title="检查结果")
    # zero values are data: the rows are drawn, with empty bars
    zero = charts.bar_chart([("甲", 0)], title="t")
    assert "暂无数据" not in zero and bar_widths(zero) == []


def test_bar_widths_are_proportional_to_the_values():
    svg = charts.bar_chart([("甲", 10), ("乙", 5), ("丙", Decimal("2.5"))], title="t", max_value=20)
    assert bar_widths(svg) == [50.0, 25.0, 12.5]
    # default scale: the round number at or above the largest value (30 → 50)
    svg = charts.bar_chart([("甲", 30), ("乙", 15)], title="t")
    assert bar_widths(svg) == [60.0, 30.0]
    # values beyond max_value are clamped to the full width
    assert bar_widths(charts.bar_chart([("甲", 40)], title="t", max_value=20)) == [100.0]


def test_value_labels_and_percentages():
    svg = charts.bar_chart([Bar("甲", Decimal("0.125"), note=""), Bar("乙", 1)], title="t", percent=True)
    assert ">12.5%</text>" in svg and ">100%</text>" in svg
    assert charts.fmt(12345) == "12,345" and charts.fmt(3, unit="户") == "3户" and charts.fmt(0.1, percent=True) == "10%"
    assert ">1/8 · 12.5%</text>" in charts.bar_chart([Bar("甲", 0.125, "danger", "1/8 · 12.5%")], title="t")


def test_reference_line_sits_at_its_value():
    svg = charts.bar_chart([("甲", 0.4), ("乙", 0.05, "danger")], title="t", percent=True, max_value=0.5,
                           reference=Reference(Decimal("0.10"), "底线 10%"))
    ticks = re.findall(r'<line class="chart-ref" x1="([\d.]+)%" x2="([\d.]+)%"', svg)
    assert ticks == [("20.00", "20.00")] * 2  # one tick per bar, at 0.10 / 0.5
    assert 'x="20.00%"' in svg and "▾ 底线 10%" in svg
    assert bar_widths(svg) == [80.0, 10.0]
    # by default the scale leaves room beyond the floor (0.1 / 0.8 → 0.2), so the line is not on the edge
    svg = charts.bar_chart([("甲", 0.05)], title="t", percent=True, reference=Reference(0.1, "底线"))
    assert re.search(r'<line class="chart-ref" x1="50.00%"', svg) and bar_widths(svg) == [25.0]
    # the reference is in the table of numbers too
    assert "<th scope=\"row\">底线</th><td>10%</td>" in svg


def test_stacked_bars_stack_on_a_common_scale():
    svg = charts.stacked_bars([StackRow("任务一", (2, 3, 5)), StackRow("任务二", (1, 0, 4))],
                              [Series("已公示", "ok"), Series("已录入", "primary"), Series("待检查", "pending")], title="t")
    assert segments(svg) == [(0.0, 20.0), (20.0, 30.0), (50.0, 50.0), (0.0, 10.0), (10.0, 40.0)]
    assert 'class="chart-legend"' in svg and "已公示" in svg
    assert "<th scope=\"row\">任务一</th><td>2</td><td>3</td><td>5</td><td>10</td>" in svg


def test_stacked_bar_shows_shares_of_the_whole():
    svg = charts.stacked_bar([("未发现问题", 6, "ok"), ("当场整改", 2, "primary"), ("立案查处", 0, "danger"), ("待检查", 4, "pending")],
                             title="检查结果分布", unit="户")
    assert segments(svg) == [(0.0, 50.0), (50.0, 16.67), (66.67, 33.33)]
    assert "未发现问题 6户（50%）" in svg and "立案查处 0户（0%）" in svg  # zero parts stay in the legend
    assert "<th scope=\"row\">合计</th><td>12户</td><td>100%</td>" in svg


def test_progress_bar():
    svg = charts.progress_bar(3, 12, title="覆盖率", reference=Reference(6, "目标"))
    assert bar_widths(svg) == [25.0] and 'x1="50.00%"' in svg and 'aria-label="覆盖率：25%；目标"' in svg
    assert bar_widths(charts.progress_bar(0, 0, title="覆盖率")) == []


def test_accessible_svg_with_title_and_hidden_table():
    svg = charts.bar_chart([("示例市市场监督管理局", 2)], title="联合抽查占比", description="1 个主体低于底线")
    assert re.search(r'<svg [^>]*role="img" aria-label="联合抽查占比：1 个主体低于底线"', svg)
    assert "<title>联合抽查占比</title>" in svg and '<div class="sr-only"><table><caption>联合抽查占比</caption>' in svg
    assert 'width="100%"' in svg and "viewBox" not in svg  # bars stretch, text keeps the page's size


def test_long_labels_are_shortened_with_the_full_text_as_tooltip():
    label = "餐饮服务单位食品安全随机抽查（示范镇）附加的很长很长的说明文字"
    svg = charts.bar_chart([(label, 1, "primary", "录入 13/20 户")], title="t")
    assert f"<title>{label}</title>" in svg and "…</text>" in svg
    short = re.search(r'<text [^>]*class="chart-label-short"><title>[^<]*</title>([^<]*)</text>', svg).group(1)
    assert charts.text_em(short) + charts.text_em("录入 13/20 户") <= charts.LABEL_BUDGET
    # a wide chart shows a longer version (app.css, container query); hidden unless the CSS says so
    wide = re.search(r'<text [^>]*class="chart-label-wide" display="none"><title>[^<]*</title>([^<]*)</text>', svg).group(1)
    assert len(wide) > len(short) and charts.text_em(wide) + charts.text_em("录入 13/20 户") <= charts.WIDE_BUDGET
    # a label that fits is written once
    assert charts.bar_chart([("示例市市场监督管理局", 1)], title="t").count("示例市市场监督管理局</text>") == 1
    assert f'<th scope="row">{label}</th>' in svg  # the table keeps the whole label


def test_palette_is_the_palette_of_app_css():
    css = APP_CSS.read_text(encoding="utf-8")
    for name, colour in charts.PALETTE.items():
        assert colour in css, name


def test_nice_max():
    assert [charts.nice_max(v) for v in (0, 0.07, 0.1, 0.125, 0.3, 1, 13, 20, 26, 99, 101)] == \
        [1.0, 0.1, 0.1, 0.2, 0.5, 1.0, 20.0, 20.0, 50.0, 100.0, 200.0]


def test_template_tags_render_the_same_charts():
    rows = [Bar("<b>甲</b>", 0.05, "danger", "1/20 · 5% 未达标")]
    html = Template(
        '{% load charts %}{% bar_chart rows title="联合抽查占比" percent=True reference=0.1 reference_label="底线 10%" %}'
        '{% stacked_bar parts title="检查结果" unit="户" %}{% progress_bar 1 4 title="覆盖率" %}{% bar_chart none title="空" %}'
    ).render(Context({"rows": rows, "parts": [("未发现问题", 1, "ok")]}))
    assert html.count("<svg ") == 3 and "&lt;b&gt;甲&lt;/b&gt;" in html and "<b>" not in html
    assert "▾ 底线 10%" in html and "暂无数据" in html


numbers = st.one_of(
    st.floats(min_value=0, allow_nan=False),  # infinity included
    st.integers(min_value=0, max_value=10**18),
    st.decimals(min_value=0, max_value=10**12, allow_nan=False, allow_infinity=False),
)


def assert_drawable(svg: str) -> None:
    for text in percent_coordinates(svg):
        value = float(text)
        assert math.isfinite(value) and 0 <= value <= 100, text
    assert "nan" not in svg.lower().replace("nanjing", "") and "inf%" not in svg


@given(values=st.lists(numbers, max_size=12), maximum=st.one_of(st.none(), numbers), ref=st.one_of(st.none(), numbers))
def test_no_nan_or_negative_width_for_any_non_negative_input(values, maximum, ref):
    reference = Reference(ref, "参考") if ref is not None else None
    svg = charts.bar_chart([(f"第{i}项", v) for i, v in enumerate(values)], title="t", max_value=maximum, reference=reference)
    assert_drawable(svg)
    assert len(bar_widths(svg)) <= len(values)
    stack = charts.stacked_bars([StackRow(f"第{i}项", (v, v, v)) for i, v in enumerate(values)],
                                [("a", "ok"), ("b", "primary"), ("c", "pending")], title="t", max_value=maximum)
    assert_drawable(stack)
    parts = charts.stacked_bar([(f"第{i}项", v, "ok") for i, v in enumerate(values)], title="t")
    assert_drawable(parts)
    assert sum(w for _, w in segments(parts)) <= 100.05
    for v in values[:2]:
        assert_drawable(charts.progress_bar(v, maximum if maximum is not None else 1, title="t", reference=reference))


@given(values=st.lists(st.floats(allow_nan=True), max_size=6))
def test_junk_values_draw_as_zero(values):
    assert_drawable(charts.bar_chart([("x", v) for v in values], title="t"))
    assert charts.clean(float("nan")) == 0 and charts.clean(-3) == 0 and charts.clean("abc") == 0 and charts.clean(None) == 0
