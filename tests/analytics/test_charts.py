"""The SVG charts: escaped, readable without colour, sane at the edges."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from analytics.charts import Bar, Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _bars(values: list[float | None]) -> list[Bar]:
    return [Bar(v, "—" if v is None else str(v), f"столбец {v}") for v in values]


def _svg(chart) -> ElementTree.Element:
    # The legend (for two series) follows the <svg>; parse the drawing alone.
    svg = str(chart.svg).split("</svg>", 1)[0].replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
    return ElementTree.fromstring(svg + "</svg>")


def test_one_series_draws_a_bar_per_value_with_its_tooltip():
    chart = bar_chart(
        chart_id="c",
        title="Темы",
        description="Темы по неделям",
        labels=["1", "2", "3"],
        series=[Series("Темы", _bars([1, 0, 4]))],
    )
    rects = [r for r in _svg(chart).iter(f"{SVG}rect") if "chart-bar" in r.get("class", "")]
    assert [r.find(f"{SVG}title").text for r in rects] == ["столбец 1", "столбец 0", "столбец 4"]
    heights = [float(r.get("height")) for r in rects]
    assert heights[2] == max(heights) and heights[1] < heights[0] < heights[2]
    assert chart.title == "Темы"
    assert 'aria-labelledby="c-title c-desc"' in chart.svg


def test_second_series_is_hatched_and_named_in_a_legend():
    chart = bar_chart(
        chart_id="r",
        title="Доля",
        description="Две серии",
        labels=["1 кв. 2025"],
        series=[Series("С наставником", _bars([10])), Series("Без наставника", _bars([20]))],
    )
    assert '<pattern id="r-hatch"' in chart.svg
    assert chart.svg.count('fill="url(#r-hatch)"') == 2  # the bar and its legend swatch
    legend = str(chart.svg).split("</svg>", 1)[1]
    assert "С наставником" in legend and "Без наставника" in legend


def test_text_is_escaped_everywhere():
    evil = '<script>alert("x")</script>'
    chart = bar_chart(
        chart_id="e",
        title=evil,
        description=evil,
        labels=[evil],
        series=[Series(evil, [Bar(1, evil, evil)]), Series(evil, [Bar(2, evil, evil)])],
    )
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg


def test_values_are_printed_only_when_the_bars_are_wide_enough():
    few = bar_chart(
        chart_id="f",
        title="t",
        description="d",
        labels=list("abc"),
        series=[Series("s", _bars([1, 2, 3]))],
    )
    many = bar_chart(
        chart_id="m",
        title="t",
        description="d",
        labels=[str(n) for n in range(60)],
        series=[Series("s", _bars(list(range(60))))],
    )
    assert few.svg.count('class="chart-value"') == 3
    assert many.svg.count('class="chart-value"') == 0
    assert many.svg.count("<title>") == 60  # every bar keeps its tooltip


def test_long_series_label_every_few_bars_and_two_line_labels_break():
    chart = bar_chart(
        chart_id="l",
        title="t",
        description="d",
        labels=[f"Q{n}\n2025" for n in range(48)],
        series=[Series("s", _bars([1] * 48))],
    )
    assert chart.svg.count('class="chart-label"') == 12
    assert len(re.findall(r'<tspan x="[\d.]+" dy="1.2em">2025</tspan>', chart.svg)) == 12


def test_all_zero_and_missing_values_draw_without_dividing_by_zero():
    chart = bar_chart(
        chart_id="z",
        title="t",
        description="d",
        labels=["a", "b"],
        series=[Series("s", _bars([0, None]))],
    )
    rects = [r for r in _svg(chart).iter(f"{SVG}rect") if "chart-bar" in r.get("class", "")]
    assert len(rects) == 1  # a missing value has no bar
    assert 'class="chart-tick" x="36" y="28"></text>' in chart.svg  # no "max" label for 0
    empty = bar_chart(chart_id="n", title="t", description="d", labels=[], series=[Series("s", [])])
    assert "<svg" in empty.svg
