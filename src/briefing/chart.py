"""A chart as the briefing stores it: SVG text with its alt text, caption and source line."""

from dataclasses import dataclass


@dataclass
class Chart:
    svg: str
    alt: str
    caption: str
    source: str
