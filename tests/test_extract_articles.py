"""The extractor on varied articles written for the tests (tests/fixtures/articles/README.md)."""

import datetime as dt

import pytest

from briefing.extract import extract_text
from briefing.meta import ArticleMeta
from briefing.text import read_article
from conftest import ARTICLES, all_articles, assert_offsets


def tables(name, published=None):
    art = read_article(ARTICLES / name)
    return art, extract_text(art.text, ArticleMeta(published=published) if published else None)


def figs(t):
    return {r.text: r for r in t["figures"].itertuples()}


@pytest.mark.parametrize("path", all_articles(), ids=lambda p: p.name)
def test_every_offset_points_at_its_text(path):
    art = read_article(path)
    assert_offsets(art.text, extract_text(art.text, ArticleMeta(published=dt.date(2020, 6, 15))))


def test_council_budget_money_formats():
    _, t = tables("council-budget.txt")
    f = figs(t)
    expected = {"£1.2bn": 1_200_000_000, "half a billion pounds": 500_000_000, "£140.22m": 140_220_000,
                "£2.99 million": 2_990_000, "£310m": 310_000_000, "£402m": 402_000_000, "£350,000": 350_000,
                "£45k": 45_000}
    for text, value in expected.items():
        assert f[text].kind == "money" and f[text].value == value and f[text].unit == "GBP", text
    assert f["3.5 per cent"].kind == "percentage" and f["3.5 per cent"].value == 3.5
    assert f["14%"].value == 14
    periods = {r.text: (r.value, r.value_max) for r in t["figures"].itertuples() if r.kind == "period"}
    assert periods == {"2024/2025": (2024, 2025), "2022/23": (2022, 2023), "2023-24": (2023, 2024),
                       "2019/20": (2019, 2020), "2023/24": (2023, 2024)}


def test_council_budget_people_and_quotes():
    _, t = tables("council-budget.txt")
    q = t["quotes"]
    assert list(q["speaker"]) == ["Priya Nandra", "Gareth Lowe", "Gareth Lowe"]
    assert list(q["attribution"]) == ["before", "pronoun", "continuation"]
    roles = dict(zip(t["people"]["name"], t["people"]["role"]))
    assert roles["Priya Nandra"] == "cabinet member for finance"


def test_court_copy_ages_ranges_and_after_attribution():
    _, t = tables("court-sentencing-ranges.txt")
    f = t["figures"]
    ages = f[f["unit"] == "age_years"]
    assert sorted(ages["value"]) == [19, 25, 27, 29, 34, 40, 51]
    assert "aged 51" in set(ages["text"])
    r = figs(t)["between four and 12 years"]
    assert (r.kind, r.value, r.value_max, r.unit) == ("duration", 4, 12, "years")
    assert figs(t)["61 years"].value == 61
    assert (figs(t)["11-week"].kind, figs(t)["11-week"].unit) == ("duration", "weeks")
    q = t["quotes"]
    assert list(q["speaker"]) == ["Helen Marsh"] * 3 + ["Ruth Calloway"]
    people = t["people"].set_index("name")
    assert people.loc["Ruth Calloway", "role"] == "Detective Inspector"
    assert people.loc["Ruth Calloway", "organisation"] == "Wexmoor Police"
    assert "Patel" not in set(q["speaker"])  # named inside a quote, not a speaker


def test_wire_copy_straight_quotes_and_inversions():
    _, t = tables("wire-straight-quotes.txt")
    f = figs(t)
    assert (f["$4.5 million"].value, f["$4.5 million"].unit) == (4_500_000, "USD")
    assert (f["$120,000"].value, f["$120,000"].unit) == (120_000, "USD")
    assert (f["more than 300 people"].value, f["more than 300 people"].qualifier) == (300, "more than")
    q = t["quotes"]
    assert list(q["speaker"]) == ["Samuel Okafor", "Samuel Okafor", "Lena Brandt", "Lena Brandt", "Samuel Okafor"]
    assert list(q["kind"]) == ["direct"] * 5
    assert q.iloc[2]["role"] == "spokeswoman for the agency"
    assert "Brightwater Utilities" not in set(t["people"]["name"])
    assert "Tri-County Water Safety Agency" in set(t["organisations"]["name"])


def test_multi_paragraph_quote_is_one_row():
    _, t = tables("multi-paragraph-quote.txt")
    q = t["quotes"]
    assert len(q) == 2
    first = q.iloc[0]
    assert first["speaker"] == "Margaret Holt" and first["role"] == "Council leader"
    assert first["paragraph_end"] - first["paragraph_start"] == 2
    assert "We still have to find savings." in first["text"]
    assert first["text"].endswith("not simply presented to them.")
    assert q.iloc[1]["speaker"] == "Janet Ellery"


def test_pronouns_resolve_to_the_last_named_person():
    _, t = tables("pronoun-attribution.txt")
    q = t["quotes"]
    assert list(q["speaker"]) == ["Kevin Aldous", "Kevin Aldous", "Sarah Reyes", "Sarah Reyes", "Kevin Aldous", "Sarah Reyes"]
    people = t["people"].set_index("name")
    assert people.loc["Kevin Aldous", "mentions"] == 2  # "Detective Superintendent Kevin Aldous", "Mr Aldous"
    assert people.loc["Sarah Reyes", "mentions"] == 2


def test_number_words_and_compounds():
    _, t = tables("number-words.txt")
    f = figs(t)
    assert (f["40-bed"].value, f["40-bed"].unit) == (40, "beds")
    assert (f["seven young people"].value, f["seven young people"].unit) == (7, "people")
    assert (f["12-strong team"].value, f["12-strong team"].unit) == (12, "team")
    assert (f["nearly 2,000 families"].value, f["nearly 2,000 families"].qualifier) == (2000, "nearly")
    assert (f["up to 30 staff"].value, f["up to 30 staff"].qualifier) == (30, "up to")
    assert (f["at least 15 schools"].value, f["at least 15 schools"].qualifier) == (15, "at least")
    assert f["three hundred pupils"].value == 300
    assert f["A dozen of the beds"].value == 12
    assert (f["twenty-one weeks"].kind, f["twenty-one weeks"].value) == ("duration", 21)
    assert (f["almost a decade"].value, f["almost a decade"].unit, f["almost a decade"].qualifier) == (10, "years", "almost")
    assert (f["one in five"].kind, f["one in five"].value) == ("percentage", 20)


def test_vague_magnitudes_have_no_value():
    _, t = tables("vague-magnitudes.txt")
    f = t["figures"]
    vague = f[f["vague"]]
    assert set(vague["text"]) == {"millions of pounds", "dozens of offences", "hundreds of girls", "thousands of pages"}
    assert vague["value"].isna().all()
    assert set(vague["unit"]) == {"GBP", "offences", "girls", "pages"}
    assert figs(t)["£1.2m"].value == 1_200_000 and figs(t)["£3,400"].value == 3400


def test_no_numbers_gives_empty_tables_with_headers():
    _, t = tables("no-numbers.txt")
    assert t["figures"].empty and list(t["figures"].columns)[:3] == ["figure_id", "kind", "text"]
    assert t["dates"].empty
    assert list(t["quotes"]["speaker"]) == ["Rosa Linden"]


def test_relative_dates_resolved_against_publication():
    _, t = tables("relative-dates.txt", published=dt.date(2016, 3, 9))  # a Wednesday
    d = {r.text.lower(): (r.date, r.precision) for r in t["dates"].itertuples()}
    assert d["last tuesday"] == ("2016-03-08", "day")
    assert d["this week last year"] == ("2015-03-11", "week")
    assert d["on friday"] == ("2016-03-04", "day")
    assert d["next month"] == ("2016-04", "month")
    assert d["later this year"] == ("2016", "year")
    assert d["in july"] == ("2015-07", "month")
    assert d["3 march 2015"] == ("2015-03-03", "day")
    assert d["march 2011"] == ("2011-03", "month")
    assert d["2010"] == ("2010", "year") and d["2019"] == ("2019", "year")
    assert t["figures"].empty  # years used as dates are not counts


def test_relative_dates_without_publication_date_stay_unresolved():
    _, t = tables("relative-dates.txt")
    rel = t["dates"][t["dates"]["relative"]]
    assert len(rel) and (rel["date"] == "").all()


def test_single_quotes_backticks_partial_and_scare_quotes():
    _, t = tables("single-quotes-backticks.txt")
    q = t["quotes"]
    assert list(q["speaker"]) == ["Alison Pryce"] * 3 + ["Tom Garside"] * 2 + ["Kirsty Maddox"]
    assert q.iloc[0]["kind"] == "partial" and q.iloc[0]["text"] == "a turning point for families"
    assert q.iloc[2]["text"] == "This isn’t about replacing families. It’s about giving them a choice."
    assert q.iloc[3]["text"].startswith("It's a good headline")
    assert "flexible" not in set(q["text"])
    assert t["figures"].empty


def test_crlf_single_newline_paragraphs_and_bullets():
    art, t = tables("bullets-crlf.txt")
    assert "\r" not in art.text
    p = t["paragraphs"]
    assert p["is_bullet"].sum() >= 3
    f = t["figures"]
    assert (f["kind"] == "money").sum() == 6 and (f["kind"] == "percentage").sum() == 5
    assert set(f[f["kind"] == "percentage"]["qualifier"]) >= {"around", "up to"}


def test_a_year_as_a_date_is_not_a_count():
    art_text = "In 2014 the council spent £5m. Since 2010, 300 girls have been helped."
    t = extract_text(art_text)
    assert list(t["figures"]["text"]) == ["£5m", "300 girls"]
