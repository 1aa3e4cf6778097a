"""Shared fixtures. Slow tests (real kernels, WeasyPrint, Chromium) are marked ``slow``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "fixtures" / "articles"
CASES = ROOT / "tests" / "fixtures" / "cases"
SEED = ROOT / "data" / "raw" / "oxford-times-2014-01-13-mp-urges-vigilance.txt"
REFERENCE = ROOT / "data" / "reference"
SLUG = SEED.stem

os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")


def all_articles() -> list[Path]:
    return sorted(ARTICLES.glob("*.txt")) + sorted(CASES.glob("*.txt")) + [SEED]


@pytest.fixture(scope="session")
def seed_extraction():
    from briefing.extract import extract_article

    return extract_article(SEED)


@pytest.fixture(scope="session")
def seed_render(tmp_path_factory):
    """The seed rendered once for the whole session, through the real pipeline."""
    from briefing.render import render

    base = tmp_path_factory.mktemp("seed-render")
    return render(SEED, out=base / "reports", processed_root=base / "processed", quiet=True)


def assert_offsets(text: str, tables: dict) -> None:
    """Every row's start/end (first_start/first_end for people and organisations) points at its text."""
    for name in ("paragraphs", "figures", "quotes", "dates"):
        df = tables[name]
        assert all(text[s:e] == x for s, e, x in zip(df["start"], df["end"], df["text"])), name
    for name in ("people", "organisations"):
        df = tables[name]
        assert all(text[s:e] == x for s, e, x in zip(df["first_start"], df["first_end"], df["name"])), name
