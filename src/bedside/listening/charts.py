"""A server-rendered SVG chart: mentions a day, stacked by sentiment.

No JavaScript and no chart library; the page shows the same figures in a table
for screen readers and keyboard users (the SVG is `role="img"` with a summary).
"""

from __future__ import annotations

from dataclasses import dataclass

from bedside.listening.selectors import VolumeDay

WIDTH, HEIGHT, PAD = 640, 180, 24
COLOURS = {"negative": "#b42318", "neutral": "#8a94a6", "positive": "#1a7f37"}


@dataclass
class Bar:
    x: float
    width: float
    segments: list[tuple[str, float, float, int]]  # (sentiment, y, height, count)
    label: str
    title: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    peak: int
    summary: str
    colours: dict[str, str]


def volume_chart(days: list[VolumeDay]) -> Chart:
    peak = max((d.total for d in days), default=0)
    inner = HEIGHT - 2 * PAD
    step = (WIDTH - 2 * PAD) / max(len(days), 1)
    bars = []
    for i, d in enumerate(days):
        y = HEIGHT - PAD
        segments = []
        for name in ("negative", "neutral", "positive"):
            count = getattr(d, name)
            h = inner * count / peak if peak else 0
            y -= h
            segments.append((name, round(y, 1), round(h, 1), count))
        bars.append(
            Bar(
                x=round(PAD + i * step + step * 0.15, 1),
                width=round(step * 0.7, 1),
                segments=segments,
                label=d.day.strftime("%-d"),
                title=f"{d.day:%b %-d}: {d.total} mentions ({d.negative} negative, "
                f"{d.neutral} neutral, {d.positive} positive)",
            )
        )
    total = sum(d.total for d in days)
    negative = sum(d.negative for d in days)
    summary = (
        f"{total} mentions over {len(days)} days, {negative} negative; busiest day {peak}."
        if days
        else "No mentions."
    )
    return Chart(WIDTH, HEIGHT, bars, peak, summary, COLOURS)
