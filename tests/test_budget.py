"""Budget stories (briefing.budget): each sum's year and role, real terms for every dated sum, spend against
budget per body, findings, the chart's data and the Funding section, on articles written for the tests."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml

from briefing import budget
from briefing.extract import extract_article, write_tables
from briefing.stages import run_funding
from conftest import REFERENCE, ROOT, SEED

BUDGETS = ROOT / "tests" / "fixtures" / "budgets"
EXPECTED = yaml.safe_load((BUDGETS / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def funded(tmp_path_factory):
    """Each budget article extracted and run through notebook 02's stage, once."""
    root = tmp_path_factory.mktemp("budgets")
    out = {}
    for name in EXPECTED:
        folder = write_tables(extract_article(BUDGETS / name), root / name)
        out[name] = (folder, run_funding(folder, REFERENCE))
    return out


def _body_row(sums: pd.DataFrame, text: str) -> pd.Series:
    rows = sums[sums["text"] == text]
    assert len(rows), f"{text} not among the sums"
    return rows.iloc[-1] if rows["paragraph"].iloc[0] == 0 and len(rows) > 1 else rows.iloc[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_years_and_roles(funded, name):
    _, res = funded[name]
    for text, want in EXPECTED[name]["sums"].items():
        row = _body_row(res.sums, text)
        assert (row["year"], row["role"]) == (want["year"], want["role"]), (name, text)
        # every sum with a year is in real terms, single sums included, unless the deflator does not reach its year
        if want["year"]:
            assert row["deflated_as"] and (not math.isnan(row["real"]) or row["deflator_status"]), (name, text)
        else:
            assert math.isnan(row["real"]), (name, text)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_spend_against_budget(funded, name):
    _, res = funded[name]
    got = res.comparisons
    want = EXPECTED[name]["comparisons"]
    assert list(got["entity"]) == [w["entity"] for w in want]
    for (_, c), w in zip(got.iterrows(), want):
        assert c["year"] == w["year"]
        assert round(c["pct_of_budget"], 1) == w["pct"]
        assert math.isclose(c["difference"], c["spend"] - c["budget"])
        assert c["spend_kind"] == w.get("kind", "outturn")
        assert c["stated_text"] == w.get("stated", "") and c["stated_verdict"] == w.get("verdict", "")


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if EXPECTED[n].get("findings")))
def test_findings_in_plain_words(funded, name):
    _, res = funded[name]
    text = " ".join(f["text"] for f in res.findings)
    pos = 0
    for words in EXPECTED[name]["findings"]:
        assert words in text[pos:], (name, words, text)
        pos = text.index(words, pos)


def test_the_chart_holds_the_comparisons(funded):
    folder, res = funded["wales-childrens-services.txt"]
    chart = next(c for c in res.charts if "share of budget" in c.alt)
    assert "Councils in Wales (2018-19): budget £1.106bn, spend £1.214bn, 9.8% over" in chart.alt
    assert "Bridgend County Borough Council (2018-19): budget £55.020m, spend £64.310m, 16.9% over" in chart.alt
    assert (folder / "funding" / "chart-budget.svg").exists()
    assert "16.9% over" in (folder / "funding" / "chart-budget.svg").read_text(encoding="utf-8")
    # a lone sum gets no chart
    _, lone = funded["underspend-committed.txt"]
    assert lone.charts == []


def test_tables_are_written_for_the_briefing(funded):
    folder, _ = funded["county-projected-overspend.txt"]
    b = pd.read_csv(folder / "funding" / "budget.csv", keep_default_na=False)
    assert list(b["spend_kind"]) == ["projected", "projected"]
    s = pd.read_csv(folder / "funding" / "sums.csv", keep_default_na=False)
    assert {"role", "entity", "year", "year_basis", "deflated_as", "real"} <= set(s.columns)


@pytest.mark.parametrize("text, role", [
    ("It spent more: £1m over its budget of £4m.", "overspend"),
    ("There was an underspend of £420,000.", "underspend"),
    ("It faces a £1.5bn funding gap.", "gap"),
    ("The budget has increased from £24m to £48m.", "budget"),  # "increased" is a verb here, not the sum's role
    ("The trust was handed a cut of £3m.", "cut"),
    ("It received £3m in grants.", "grant"),  # the noun right after the sum names it
    ("Some placements now cost more than £10,000 a week.", ""),  # a price, not a spend
    ("Councils surpassed their budgets by £108m.", "overspend"),
])
def test_role_of_a_sum(text, role):
    start = text.index("£")
    end = start + len(text[start:].split()[0].rstrip(".,"))
    assert budget.role_of(text, start, end) == role


@pytest.mark.parametrize("text, entity", [
    ("By the end of March the county council will have spent £212.45m.", "the county council"),
    ("Councils in Wales spent £1.214bn.", "Councils in Wales"),
    ("The force's budget for 2022/23 has been set at £334.5m.", "The force"),
    ("The public inquiry into the collapse of the flats has cost £14.8m so far.", "The public inquiry"),
    ("A new play area, which will cost £30,000, is planned.", ""),
    ("It spent £5m.", ""),
])
def test_who_spends(text, entity):
    assert budget.entity_of(text, text.index("£")) == entity


def test_the_seed_keeps_its_numbers(tmp_path):
    folder = write_tables(extract_article(SEED), tmp_path / "seed")
    res = run_funding(folder, REFERENCE)
    s, t, g = res.tables[0]
    assert [round(x / 1e6, 2) for x in t["real"]] == [37.97, 65.72] and round(g["real_pct"], 1) == 73.1
    assert res.findings[0]["id"] == "S1-real" and res.comparisons.empty
    # the series' sums get no second real-terms finding of their own
    assert not any(f["id"] in ("F010-real", "F012-real") for f in res.findings)


@pytest.mark.parametrize("name, says_no_years", [("no-years-budget.txt", True), ("wales-childrens-services.txt", False),
                                                 ("underspend-committed.txt", False)])
def test_the_funding_section_says_no_years_only_when_no_sum_has_one(funded, name, says_no_years):
    from briefing import report

    folder, _ = funded[name]
    html = report.funding_section(report.load(folder))
    assert ("come without the years" in html) == says_no_years
    if name == "wales-childrens-services.txt":
        assert "Spend against budget" in html and 'id="fig-budget"' in html
        assert "9.8% more than their budget" in html and "+16.9%" in html
    if name == "underspend-committed.txt":  # a lone sum: in real terms, no chart
        assert "Every sum with a year" in html and "<svg" not in html and "2019-20" in html


@pytest.mark.parametrize("text, year, basis", [
    ("In July the council spent £2m on repairs.", "2019", "calendar"),  # resolved with the publication date
    ("The council spent £2m on repairs last year.", "2019", "calendar"),
    ("It expects a £1.5bn gap by 2025.", "2025", "calendar"),
    ("It has £3m from its underspend for the year 2019/20.", "2019-20", "financial"),
    ("It set its precept for 2024/25 at £85,000, up from £72,000.", "2024-25", "financial"),  # the first sum only
    ("The council now spends £8m a year.", "", ""),
])
def test_the_year_of_a_sum(text, year, basis):
    import datetime as dt

    from briefing.extract import extract_text
    from briefing.meta import ArticleMeta

    figs = extract_text(text, ArticleMeta(published=dt.date(2020, 3, 1)))["figures"]
    first = figs[figs["kind"] == "money"].iloc[0]
    assert (first["year"], first["year_basis"]) == (year, basis)
    if "up from" in text:
        assert figs[figs["kind"] == "money"].iloc[1]["year"] == ""


def test_blind_budget_articles():
    """Six budget stories a helper wrote without reading the code: each sum's year and role, and spend against
    budget. Measured: years 47 of 48, roles 47 of 48, comparisons 6 of 7 and none wrong."""
    from briefing import deflators
    from briefing.extract import extract_text
    from briefing.text import read_article

    blind = BUDGETS / "blind"
    expected = yaml.safe_load((blind / "expected.yaml").read_text(encoding="utf-8"))
    d = deflators.load_deflator("gdp", REFERENCE)
    base = deflators.check_base_year(d, "", "gdp")
    years = roles = n = found = wanted = 0
    for name, e in expected.items():
        text = read_article(blind / f"{name}.txt").text
        tables = extract_text(text)
        rows = budget.sums_table(tables["figures"], text, d, base).to_dict("records")
        used: set[int] = set()
        for w in e["sums"]:
            i = next(i for i, r in enumerate(rows) if i not in used and r["text"].endswith(w["text"]))
            used.add(i)
            n += 1
            years += rows[i]["year"] in (w["year"], w.get("soft_year"))
            roles += rows[i]["role"] == w["role"] or "soft_role" in w
        comps = budget.comparisons(pd.DataFrame(rows), tables["checks"], text)
        got = {(c["budget_text"], c["spend_text"]) for c in comps.to_dict("records")}
        want = {(c["budget"], c["spend"]) for c in e.get("comparisons", [])}
        assert got <= want, (name, got - want)  # never a pair the writer did not mean
        found += len(got & want)
        wanted += len(want)
    assert years / n >= 0.95 and roles / n >= 0.9 and found / wanted >= 0.8, (years, roles, n, found, wanted)
