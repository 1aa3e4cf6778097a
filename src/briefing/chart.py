"""A chart as the briefing stores it: SVG text with its alt text, caption and source line."""

from dataclasses import dataclass


@dataclass
class Chart:
    svg: str
    alt: str
    caption: str
    source: str


# How the charts mark a figure that is not exact. The drawing, its legend, its caption and the method section
# all take their words from here, so that none can describe the chart differently (the method section once said
# "open circles" of bars drawn hatched).
HATCH = "////"
HATCHED = "hatched bars"
PARTIAL_TOTAL = "Bound or partial total"
LESS_CERTAIN = "Less certain figure"
