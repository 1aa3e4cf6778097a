"""Exact expectations for the seed article (Oxford Times, January 2014)."""

import math

import pytest

FIGURES = [
    # text, kind, value, value_max, unit, qualifier, vague
    ("A YEAR", "duration", 1, None, "years", "", False),
    ("millions of pounds", "money", None, None, "GBP", "", True),
    ("18-week", "duration", 18, None, "weeks", "", False),
    ("seven gang members", "count", 7, None, "gang members", "", False),
    ("95 years", "duration", 95, None, "years", "", False),
    ("about eight years", "duration", 8, None, "years", "about", False),
    ("more than 100,000 supporters", "count", 100000, None, "supporters", "more than", False),
    ("About 160 people", "count", 160, None, "people", "about", False),
    ("12-strong team", "count", 12, None, "team", "", False),
    ("£24m", "money", 24_000_000, None, "GBP", "", False),
    ("2006/7", "period", 2006, 2007, "years", "", False),
    ("£48m", "money", 48_000_000, None, "GBP", "", False),
    ("2013/14", "period", 2013, 2014, "years", "", False),
    ("£7m", "money", 7_000_000, None, "GBP", "", False),
    ("four new children’s homes", "count", 4, None, "homes", "", False),
]


def _v(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def test_every_seed_figure_exactly(seed_extraction):
    f = seed_extraction.tables["figures"]
    got = [(r.text, r.kind, _v(r.value), _v(r.value_max), r.unit, r.qualifier, bool(r.vague)) for r in f.itertuples()]
    assert got == FIGURES


def test_seed_figures_know_their_paragraph_and_quote(seed_extraction):
    f = seed_extraction.tables["figures"].set_index("text")
    assert f.loc["£48m", "paragraph"] == 17
    assert f.loc["£48m", "context"] == ("The budget for children’s services in Oxfordshire has increased from "
                                        "£24m in 2006/7 to £48m in 2013/14")
    assert not f["in_quote"].any()  # the seed's figures are all in the reporter's words


def test_seed_quotes(seed_extraction):
    q = seed_extraction.tables["quotes"]
    assert list(q["speaker"]) == ["Andrew Smith", "Andrew Smith", "Sara Thornton", "Joanna Simons"]
    assert list(q["role"]) == ["Oxford East MP", "Oxford East MP", "Chief Constable", "County council chief executive"]
    assert list(q["kind"]) == ["direct"] * 4
    assert list(q["attribution"]) == ["before", "pronoun", "before", "before"]
    # one over two paragraphs for each of Smith (first), Thornton and Simons
    spans = list(zip(q["paragraph_start"], q["paragraph_end"]))
    assert spans == [(5, 6), (8, 8), (12, 13), (14, 15)]
    assert q.iloc[0]["text"].startswith("In the meantime some good things have been done.")
    assert q.iloc[0]["text"].endswith("being groomed and abused in this way.")
    assert q.iloc[2]["text"].endswith("I am grateful to all the speakers who contributed time and experiences.")


def test_seed_people_and_roles(seed_extraction):
    p = seed_extraction.tables["people"]
    assert list(p["name"]) == ["Andrew Smith", "Nicola Blackwood", "Sara Thornton", "Joanna Simons"]
    assert dict(zip(p["name"], p["role"])) == {
        "Andrew Smith": "Oxford East MP",
        "Nicola Blackwood": "Oxford West and Abingdon MP",
        "Sara Thornton": "Chief Constable",
        "Joanna Simons": "County council chief executive",
    }


def test_seed_organisations(seed_extraction):
    names = set(seed_extraction.tables["organisations"]["name"])
    assert {"Thames Valley Police", "Crown Prosecution Service", "Operation Bullfinch", "Old Bailey",
            "Kassam Stadium"} <= names
    o = seed_extraction.tables["organisations"].set_index("name")
    assert o.loc["Thames Valley Police", "mentions"] == 2


def test_seed_dates_resolved_against_publication(seed_extraction):
    d = seed_extraction.tables["dates"]
    got = {r.text: (r.date, r.precision, bool(r.relative)) for r in d.itertuples()}
    assert got == {
        "This week last year": ("2013-01-14", "week", True),   # the trial opened on 15 Jan 2013
        "later this year": ("2014", "year", True),
        "last Tuesday": ("2014-01-07", "day", True),          # the conference of Tuesday 7 January 2014
        "In July": ("2013-07", "month", True),
    }


def test_seed_article_json(seed_extraction):
    a = seed_extraction.article
    assert a["slug"] == "oxford-times-2014-01-13-mp-urges-vigilance"
    assert a["outlet"] == "Oxford Times" and a["published"] == "2014-01-13"
    assert a["paragraphs"] == 20 and a["characters"] == len(seed_extraction.text)
    assert len(a["sha256"]) == 64


@pytest.mark.parametrize("table", ["paragraphs", "figures", "quotes", "dates"])
def test_seed_offsets_point_at_text(seed_extraction, table):
    df = seed_extraction.tables[table]
    text = seed_extraction.text
    assert len(df)
    assert all(text[s:e] == t for s, e, t in zip(df["start"], df["end"], df["text"]))


def test_reader_column_types_match_the_pandera_schemas():
    from briefing.extract.schemas import COLUMNS, schemas

    for name, schema in schemas().items():
        assert list(COLUMNS[name]) == list(schema.columns), name
        for col, spec in schema.columns.items():
            assert str(spec.dtype).startswith(COLUMNS[name][col].__name__.replace("str", "str")), (name, col)


@pytest.mark.slow
def test_warm_up_compiles_the_patterns_an_article_needs():
    """briefing.extract.warm_up (run once in a batch's kernel template) leaves few patterns for an article's own
    extraction to compile; without it, that extraction compiles well over a hundred."""
    import subprocess
    import sys

    from conftest import SEED

    code = ("import re, sys, briefing.extract as e\n"
            "if sys.argv[1] == 'warm': e.warm_up()\n"
            "n = len(re._cache); e.extract_article(sys.argv[2]); print(len(re._cache) - n)")
    compiled = {mode: int(subprocess.run([sys.executable, "-c", code, mode, str(SEED)], capture_output=True, text=True,
                                         check=True).stdout) for mode in ("cold", "warm")}
    assert compiled["cold"] > 100 and compiled["warm"] < compiled["cold"] / 5
