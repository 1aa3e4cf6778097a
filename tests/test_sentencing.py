"""Case files, the sentences table, comparators and claim checks."""

import pytest

from briefing.errors import InputError
from briefing.extract import extract_article
from briefing.sentencing import check_claims, explain_total, load_case, load_comparators, sentences_table, totals
from conftest import CASES, REFERENCE

BULLFINCH = REFERENCE / "bullfinch_case.yaml"


@pytest.fixture(scope="module")
def bullfinch():
    c = load_case(BULLFINCH)
    return c, sentences_table(c)


def test_bullfinch_totals(bullfinch):
    _, t = bullfinch
    tot = totals(t)
    assert tot["custody_years"] == 95
    assert (tot["life"], tot["determinate"], tot["defendants"]) == (5, 2, 7)
    assert tot["median"] == 15 and round(tot["mean"], 2) == 13.57
    assert list(t["years_counted"]) == [17, 17, 20, 15, 12, 7, 7]
    assert not t["certain"].any()  # every minimum term or fixed term is below 'high' confidence


def test_bullfinch_explanation_says_what_a_life_minimum_term_is(bullfinch):
    c, t = bullfinch
    text = explain_total(c, t)
    assert "17+17+20+15+12+7+7" in text and "95 years" in text
    assert "Five of the seven" in text and "minimum term" in text and "Parole Board" in text


def test_bullfinch_claim_verdicts(seed_extraction, bullfinch):
    c, t = bullfinch
    claims = check_claims(seed_extraction.tables["figures"], c, t).set_index("article_text")
    assert claims.loc["seven gang members", "verdict"] == "consistent"
    assert claims.loc["95 years", "verdict"] == "consistent"
    assert claims.loc["95 years", "reference_detail"] == "17+17+20+15+12+7+7 = 95"
    assert claims.loc["18-week", "verdict"] == "consistent within tolerance"
    assert claims.loc["18-week", "tolerance"] == "one week"
    assert claims.loc["18-week", "reference_value"] == 17
    assert claims.loc["about eight years", "verdict"] == "consistent"
    assert "A YEAR" not in claims.index  # "A YEAR after the start ..." is a point in time
    assert set(claims["verdict"]) <= {"consistent", "consistent within tolerance"}
    text = seed_extraction.text
    assert all(text[s:e] == w for w, s, e in zip(claims.index, claims["start"], claims["end"]))


def test_determinate_case_flags_the_inconsistent_total():
    ex = extract_article(CASES / "harbourside-fraud.txt")
    c = load_case(CASES / "harbourside-case.yaml")
    t = sentences_table(c)
    assert totals(t)["life"] == 0 and totals(t)["custody_years"] == 38
    v = check_claims(ex.tables["figures"], c, t).set_index("article_text")["verdict"].to_dict()
    assert v == {"Five men": "consistent", "40 years": "inconsistent", "nine-week": "consistent",
                 "14 charges": "not checkable"}
    assert "does not match" in explain_total(c, t)


def test_no_case_file_gives_no_claims(seed_extraction):
    assert check_claims(seed_extraction.tables["figures"], None, None).empty


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.replace("sentence: life\n    minimum_term_years: 17", "sentence: life\n    minimum_term_years: -3", 1),
     "defendants[0].minimum_term_years"),
    (lambda d: d.replace("sentence: determinate", "sentence: suspended", 1), "defendants[5].sentence"),
    (lambda d: d.replace("  name: Oxford grooming-gang trial\n", ""), "case.name"),
    (lambda d: d.replace("convicted_count: {value: 7,", "convicted_count: {value: seven,"), "case.convicted_count.value"),
    (lambda d: d.replace("verdicts: {date: 2013-05-14", "verdicts: {date: 14/05/2013"), "case.verdicts.date"),
])
def test_malformed_case_files_name_the_field(tmp_path, mutate, field):
    bad = tmp_path / "case.yaml"
    bad.write_text(mutate(BULLFINCH.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_case(bad)
    assert field in str(e.value)


def test_malformed_case_file_exits_2_through_the_cli(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "case.yaml"
    bad.write_text("case: [not, a, mapping]\n")
    r = subprocess.run([sys.executable, "-m", "briefing.cli", "render", "--out", str(tmp_path / "r"), "-p", "case", str(bad)],
                       capture_output=True, text=True)
    # the case file is parsed by notebook 03; bad files are caught before the render starts
    assert r.returncode == 2, r.stderr
    assert "case" in r.stderr and "Traceback" not in r.stderr


def test_comparators_table():
    df = load_comparators(REFERENCE / "uk_group_cse_cases.csv")
    assert len(df) == 14
    ox = df.set_index("case").loc["Oxford 2013"]
    assert ox["total_years"] == 95 and bool(ox["exact"]) and ox["convicted"] == 7
    assert not df.set_index("case").loc["Newcastle 2017", "exact"]


def test_victims_are_never_named(seed_extraction, bullfinch):
    c, t = bullfinch
    names = set(t["defendant"])
    assert names == {d["name"] for d in c.data["defendants"]}
