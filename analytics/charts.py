"""Bar charts drawn on the server as SVG: no script, no library, nothing fetched.

Charts must read without colour: a second series is hatched and named in a legend, values are
printed on the bars when they fit, and every bar carries a tooltip. The table under each chart
holds the same numbers for screen readers and for copying.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

HEIGHT = 220
TOP, BOTTOM, LEFT, RIGHT = 24, 40, 40, 8
MAX_X_LABELS = 12
# A value printed above a narrower bar would run into its neighbour's.
VALUE_LABEL_MIN_WIDTH = 26


@dataclass(frozen=True)
class Bar:
    value: float | None
    text: str  # the value as people read it, "12" or "8 %"
    hint: str  # the tooltip: what the bar is, and its value


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString


@dataclass(frozen=True)
class Series:
    name: str
    bars: list[Bar]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    series: list[Series],
    width: int = 640,
) -> Chart:
    """Bars for one series, or side-by-side bars (the second hatched) for two.

    `chart_id` must be unique on the page: the hatch pattern and the labels refer to it. A
    label may hold a line break. A wider chart draws its text smaller, its bars wider.
    """
    bars = [bar for s in series for bar in s.bars]
    top = max((bar.value or 0 for bar in bars), default=0) or 1
    slot = (width - LEFT - RIGHT) / max(len(labels), 1)
    show_values = slot * 0.8 / len(series) >= VALUE_LABEL_MIN_WIDTH
    shapes = SafeString(
        "".join(
            _bar(chart_id, bar, bar.value, index, position, len(series), slot, top, show_values)
            for index, s in enumerate(series)
            for position, bar in enumerate(s.bars)
            if bar.value is not None
        )
    )
    return Chart(
        title,
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}{}{}</svg>{}',
            width,
            HEIGHT,
            chart_id,
            chart_id,
            chart_id,
            title,
            chart_id,
            description,
            _hatch(chart_id),
            _axis(bars, width),
            shapes,
            _x_labels(labels, slot),
            _legend(chart_id, series),
        ),
    )


def _bar(
    chart_id: str,
    bar: Bar,
    value: float,
    index: int,
    position: int,
    count: int,
    slot: float,
    top: float,
    show_value: bool,
) -> SafeString:
    """The `position`th bar of the `index`th series, its value printed above when asked."""
    plot_height = HEIGHT - TOP - BOTTOM
    width = slot * 0.8 / count
    height = plot_height * value / top
    x = LEFT + slot * position + slot * 0.1 + width * index
    y = TOP + plot_height - height
    rect = format_html(
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"{}><title>{}</title></rect>',
        _bar_class(index),
        _n(x),
        _n(y),
        _n(width),
        _n(max(height, 0.5)),
        _fill(chart_id, index),
        bar.hint,
    )
    if not show_value:
        return rect
    return format_html(
        '{}<text class="chart-value" x="{}" y="{}">{}</text>',
        rect,
        _n(x + width / 2),
        _n(y - 4),
        bar.text,
    )


def _bar_class(index: int) -> str:
    return "chart-bar chart-bar-alt" if index else "chart-bar"


def _fill(chart_id: str, index: int) -> SafeString:
    """The second series is hatched, so that it differs from the first without colour."""
    return format_html(' fill="url(#{}-hatch)"', chart_id) if index else SafeString("")


def _n(number: float) -> str:
    return f"{number:.1f}"


def _hatch(chart_id: str) -> SafeString:
    return format_html(
        '<defs><pattern id="{}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect class="chart-hatch-ground" width="6" height="6"/>'
        '<line class="chart-hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>',
        chart_id,
    )


def _axis(bars: list[Bar], width: int) -> SafeString:
    """The baseline and a gridline at the highest value, labelled the way the bars are."""
    highest = max(
        (bar for bar in bars if bar.value is not None),
        key=lambda bar: bar.value or 0.0,
        default=None,
    )
    base = HEIGHT - BOTTOM
    return format_html(
        '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<line class="chart-gridline" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="chart-tick" x="{}" y="{}">{}</text>',
        LEFT,
        base,
        width - RIGHT,
        base,
        LEFT,
        TOP,
        width - RIGHT,
        TOP,
        LEFT - 4,
        TOP + 4,
        highest.text if highest and highest.value else "",
    )


def _x_labels(labels: list[str], slot: float) -> SafeString:
    every = -(-len(labels) // MAX_X_LABELS)
    return format_html_join(
        "",
        '<text class="chart-label" y="{}">{}</text>',
        (
            (
                HEIGHT - BOTTOM + 16,
                format_html_join(
                    "",
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    (
                        (
                            _n(LEFT + slot * (position + 0.5)),
                            "0" if line_number == 0 else "1.2em",
                            line,
                        )
                        for line_number, line in enumerate(label.split("\n"))
                    ),
                ),
            )
            for position, label in enumerate(labels)
            if position % every == 0
        ),
    )


def _legend(chart_id: str, series: list[Series]) -> SafeString:
    if len(series) < 2:
        return SafeString("")
    return format_html(
        '<ul class="chart-legend">{}</ul>',
        format_html_join(
            "",
            '<li><svg width="14" height="14" aria-hidden="true">'
            '<rect class="{}" width="14" height="14"{}/></svg> {}</li>',
            ((_bar_class(index), _fill(chart_id, index), s.name) for index, s in enumerate(series)),
        ),
    )
