"""Deflators from the real reference files, real-terms analysis, per-unit figures."""


import pandas as pd
import pytest

from briefing import deflators, funding
from briefing.errors import InputError
from briefing.extract import extract_text
from briefing.stages import run_funding
from briefing.text import read_article
from conftest import ARTICLES, REFERENCE


def test_cpi_financial_year_means_match_ons_monthly_rows():
    cpi = deflators.load_deflator("cpi", REFERENCE).set_index("financial_year")["index"]
    assert cpi["2006-07"] == pytest.approx(80.5000, abs=5e-5)
    assert cpi["2013-14"] == pytest.approx(98.9417, abs=5e-5)
    assert cpi["2024-25"] == pytest.approx(134.7833, abs=5e-5)
    assert "2025-26" not in cpi.index  # only 11 months published by March 2026


def test_gdp_deflator_and_default_base_years():
    gdp = deflators.load_deflator("gdp", REFERENCE)
    assert deflators.default_base_year(gdp) == "2024-25"
    assert set(gdp.loc[gdp["financial_year"] >= "2025-26", "status"]) == {"forecast"}
    assert deflators.default_base_year(deflators.load_deflator("cpi", REFERENCE)) == "2024-25"


def test_unknown_deflator_and_base_year_list_valid_values():
    with pytest.raises(InputError, match="gdp, cpi"):
        deflators.load_deflator("rpi", REFERENCE)
    gdp = deflators.load_deflator("gdp", REFERENCE)
    with pytest.raises(InputError, match="2000-01 to 2030-31"):
        deflators.check_base_year(gdp, "1990-91", "gdp")


def test_malformed_and_truncated_reference_files(tmp_path):
    bad = tmp_path / "hmt.csv"
    bad.write_text("financial_year,gdp_deflator,status\n2000-01,54.3,outturn\n2001-02,abc,outturn\n")
    with pytest.raises(InputError, match="line 3.*not a number"):
        deflators.read_gdp_deflator(bad)
    src = (REFERENCE / "ons_cpi_d7bt_2026-03-25.csv").read_text(encoding="utf-8").splitlines()
    truncated = tmp_path / "cpi.csv"
    truncated.write_text("\n".join(src[:8]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="no monthly rows"):
        deflators.read_ons_series(truncated)
    gap = tmp_path / "gap.csv"
    gap.write_text("\n".join(l for l in src if '"2010 MAY"' not in l) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="not consecutive"):
        deflators.read_ons_series(gap)
    notons = tmp_path / "x.csv"
    notons.write_text('"a","b"\n"2010 JAN","1.0"\n')
    with pytest.raises(InputError, match="not an ONS"):
        deflators.read_ons_series(notons)


@pytest.fixture(scope="module")
def seed_figures(seed_extraction):
    return seed_extraction.tables["figures"]


def test_seed_series_in_real_terms_gdp(seed_figures):
    series = funding.find_series(funding.link_periods(seed_figures))
    assert len(series) == 1
    s = series[0]
    assert s.label == "The budget for children’s services in Oxfordshire"
    assert [p["financial_year"] for p in s.points] == ["2006-07", "2013-14"]
    t = funding.analyse_series(s, deflators.load_deflator("gdp", REFERENCE), "2024-25")
    assert round(t.iloc[0]["real"] / 1e6, 2) == 37.97
    assert round(t.iloc[1]["real"] / 1e6, 2) == 65.72
    g = funding.growth(t)
    assert round(g["real_pct"], 1) == 73.1
    assert round(g["nominal_cagr_pct"], 1) == 10.4
    assert round(g["real_cagr_pct"], 1) == 8.2
    assert g["years"] == 7


def test_seed_series_in_real_terms_cpi(seed_figures):
    s = funding.find_series(funding.link_periods(seed_figures))[0]
    t = funding.analyse_series(s, deflators.load_deflator("cpi", REFERENCE), "2024-25")
    assert round(funding.growth(t)["real_pct"]) == 63


def test_per_unit_and_share(seed_figures):
    series = funding.find_series(funding.link_periods(seed_figures))
    u = funding.per_unit(seed_figures, series)
    assert len(u) == 1
    row = u.iloc[0]
    assert row["text"] == "£7m" and row["count"] == 4 and row["per"] == "home"
    assert row["per_unit"] == 1_750_000
    assert round(row["share_pct"], 1) == 14.6 and row["share_of"] == "£48m"


def test_financial_year_spellings_are_one_period():
    text = ("Spending rose from £10m in 2006/07 to £12m in 2007-08 and £13m in 2008/2009. "
            "Capital was £3m in 2009/10.")
    f = extract_text(text)["figures"]
    links = funding.link_periods(f)
    assert list(links["financial_year"]) == ["2006-07", "2007-08", "2008-09", "2009-10"]
    series = funding.find_series(links)
    assert len(series) == 1 and len(series[0].points) == 3


def test_council_budget_article_series():
    art = read_article(ARTICLES / "council-budget.txt")
    f = extract_text(art.text)["figures"]
    series = funding.find_series(funding.link_periods(f))
    assert len(series) == 1
    assert [p["nominal"] for p in series[0].points] == [310_000_000, 402_000_000]
    t = funding.analyse_series(series[0], deflators.load_deflator("gdp", REFERENCE), "2024-25")
    assert t["real"].notna().all()


def test_sums_without_periods_and_periods_outside_the_deflator():
    f = extract_text("The charity raised £3m. In 1988/89 the fund held £2m and in 1990/91 £4m.")["figures"]
    links = funding.link_periods(f)
    assert links.set_index("text").loc["£3m", "financial_year"] == ""
    s = funding.find_series(links)[0]
    t = funding.analyse_series(s, deflators.load_deflator("gdp", REFERENCE), "2024-25")
    assert t["real"].isna().all() and set(t["deflator_status"]) == {"outside the deflator's range"}
    g = funding.growth(t)
    assert g["nominal_pct"] == 100 and g["real_pct"] != g["real_pct"]  # NaN: no deflator for 1988-89


def test_forecast_years_are_flagged():
    f = extract_text("Funding will rise from £10m in 2024/25 to £12m in 2026/27.")["figures"]
    s = funding.find_series(funding.link_periods(f))[0]
    t = funding.analyse_series(s, deflators.load_deflator("gdp", REFERENCE), "2024-25")
    assert list(t["deflator_status"]) == ["outturn", "forecast"]


def test_run_funding_with_no_money(tmp_path):
    from briefing.extract import extract_article, write_tables

    write_tables(extract_article(ARTICLES / "no-numbers.txt"), tmp_path / "p")
    res = run_funding(tmp_path / "p", REFERENCE)
    assert res.tables == [] and res.findings == [] and res.per_unit.empty
    assert (tmp_path / "p" / "funding" / "findings.json").exists()
    assert pd.read_csv(tmp_path / "p" / "funding" / "links.csv").empty


def test_run_funding_switches_deflator_and_base(tmp_path, seed_extraction):
    from briefing.extract import write_tables

    write_tables(seed_extraction, tmp_path / "p")
    gdp = run_funding(tmp_path / "p", REFERENCE, "gdp", "")
    cpi = run_funding(tmp_path / "p", REFERENCE, "cpi", "2013-14")
    assert gdp.base_year == "2024-25" and cpi.base_year == "2013-14"
    assert "73%" in gdp.findings[0]["text"] and "GDP deflator" in gdp.findings[0]["text"]
    assert "CPI" in cpi.findings[0]["text"] and "2013-14 prices" in cpi.findings[0]["text"]
