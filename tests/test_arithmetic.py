"""The article's own arithmetic (briefing.extract.arithmetic): relations, verdicts, misprints, and caution."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from briefing.extract import extract_text
from briefing.extract.arithmetic import Fig, precision, verdict_of
from briefing.text import read_article
from conftest import ROOT, all_articles

ARITH = ROOT / "tests" / "fixtures" / "arithmetic"
EXPECTED = yaml.safe_load((ARITH / "expected.yaml").read_text(encoding="utf-8"))


def checks(text: str):
    return extract_text(text)["checks"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_article_gives_exactly_the_expected_checks(name):
    text = read_article(ARITH / name).text
    c = checks(text)
    got = {(r.claim_text, r.relation, r.verdict) for r in c.itertuples()}
    assert got == {(i["claim"], i["relation"], i["verdict"]) for i in EXPECTED[name]}
    for r in c.itertuples():
        assert text[r.claim_start:r.claim_end] == r.claim_text
        assert r.explanation.endswith(".") and "\n" not in r.explanation


def test_every_relation_verdict_and_misprint_is_covered():
    rows = [i for items in EXPECTED.values() for i in items]
    assert {i["relation"] for i in rows} == {"difference", "total", "share", "change", "span",
                                               "approximation", "parts", "per_unit"}
    assert {i["verdict"] for i in rows} == {"consistent", "within_rounding", "likely_typo", "inconsistent"}
    assert sum(not items for items in EXPECTED.values()) >= 2  # articles where nothing may be checked
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("text, reading", [
    ("It spent £96.410m against a budget of £81.250m, an overspend of £15,160m.", "a comma printed for a decimal point"),
    ("The overspend was £15, 160m after spending £96.410m against a budget of £81.250m.", "a number split in two"),
    ("It spent £1.8m against a budget of £1.2m, surpassing it by £0.6bn.", "bn for m"),
    ("It spent £12,500 against a budget of £8,000, an overspend of £45,000.", "an extra zero"),
    ("It spent £125,000 against a budget of £80,000, an overspend of £4,500.", "a dropped zero"),
    ("Grants of £1.2bn, £0.5bn and £0.3bn were given, a total of £2m.", "m for bn"),
])
def test_each_misprint_is_named(text, reading):
    c = checks(text)
    assert list(c["verdict"]) == ["likely_typo"] and reading in c["explanation"].iloc[0]


@pytest.mark.parametrize("text", [
    "He was jailed for eight years for offences committed between 2003 and 2015.",
    "Harwick and Wexmoor councils will contribute £70,000 to the study.",
    "Three charities will receive £20,000 each, £60,000 in all.",
    "Some 87 councils spent more than planned, while 61 spent less.",
    "The council spent £5m on roads, up from £4m, a total of £9m over two years.",
    "Referrals rose 30 per cent, the council said, to 1,200 from a year earlier.",
    # an earlier estimate beside the exact figure is not an error; an approximation is judged only when it holds
    "The hospice first estimated its losses at about £90,000. The exact figure was £146,500.",
    # parts that fall short of the whole are a list left incomplete unless the wording closes it
    "Of the 48 councils asked, 29 said they would miss the target, while 15 said they were on course.",
    "The trust will put £1.5m a year into 30 wards.",  # a rate over time, not a sum per ward
    "It spent £4m on 200 homes and £3m on 100 flats, or £20,000 per home.",  # two sums: which one?
    "The agency overspend would represent 57 per cent of the planned sum.",  # no sum named nearby
])
def test_ambiguous_or_unrelated_wording_gives_no_check(text):
    assert checks(text).empty


def test_the_seed_and_every_other_fixture_raise_no_false_alarm():
    for path in all_articles():
        c = checks(read_article(path).text)
        assert not (c["verdict"] == "inconsistent").any(), path.name


def test_written_precision():
    def fig(text, value, q=""):
        return Fig("F1", "money", text, value, "GBP", q, 0, len(text), 0, 0)

    assert precision(fig("£325m", 325e6)) == 1e6
    assert precision(fig("£2.1m", 2.1e6)) == pytest.approx(1e5)
    assert precision(fig("£700,000", 700_000)) == 1000
    assert precision(Fig("F1", "percentage", "80 per cent", 80, "%", "", 0, 1, 0, 0)) == 10
    assert verdict_of(80, 79.3, 10, "almost") == "within_rounding"
    assert verdict_of(80, 81, 10, "almost") == "within_rounding"  # 81 rounds to 80
    assert verdict_of(80, 85.1, 10, "almost") is None


# --- property-based: generated figures and wording ---------------------------------------------------------

amount = st.integers(min_value=1_000, max_value=999_999).map(lambda n: n / 1000)  # £1.000m to £999.999m
DIFFERENCE = ["The council spent £{a}m against a budget of £{b}m, an overspend of £{d}m.",
              "Spending reached £{a}m, £{d}m over its budget of £{b}m.",
              "The trust spent £{a}m, compared with a budget of £{b}m, surpassing it by £{d}m."]


def money(x: float, places: int) -> str:
    return f"{x:,.{places}f}".replace(",", "")


def difference_checks(template: str, a: float, b: float, d: float, places: int):
    """The checks of a generated sentence: spent ``a`` against ``b`` (in £m, to 3 places), a difference ``d``."""
    text = template.format(a=money(a, 3), b=money(b, 3), d=money(d, places))
    return text, checks(text)


@settings(max_examples=200, deadline=None)
@given(amount, amount, st.sampled_from(DIFFERENCE), st.integers(min_value=0, max_value=3))
def test_a_consistent_difference_is_never_called_inconsistent(a, b, template, places):
    a, b = max(a, b), min(a, b)
    if a - b < 0.05:
        return
    text, c = difference_checks(template, a, b, round(a - b, places), places)
    assert len(c) == 1 and c["verdict"].iloc[0] in ("consistent", "within_rounding"), (text, c.to_dict("records"))


@settings(max_examples=200, deadline=None)
@given(amount, amount, st.sampled_from(DIFFERENCE), st.floats(min_value=1.3, max_value=1.9))
def test_a_difference_off_beyond_its_precision_is_always_inconsistent(a, b, template, factor):
    a, b = max(a, b), min(a, b)
    if a - b < 1:
        return
    text, c = difference_checks(template, a, b, round((a - b) * factor, 1), 1)
    assert list(c["verdict"]) == ["inconsistent"], (text, c.to_dict("records"))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=900), min_size=2, max_size=4), st.booleans())
def test_totals(parts, right):
    total = sum(parts) if right else sum(parts) * 2 + 7
    listed = ", ".join(f"£{p}m for scheme {i + 1}" for i, p in enumerate(parts[:-1]))
    text = f"The council gave {listed} and £{parts[-1]}m for scheme {len(parts)}, a total of £{total}m."
    c = checks(text)
    assert list(c["verdict"]) == (["consistent"] if right else ["inconsistent"]), text


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=2, max_value=5000), st.integers(min_value=1, max_value=5000))
def test_shares(whole, part):
    if part > whole:
        part, whole = whole, part
    share = part / whole * 100
    text = f"Some {part:,} – {share:.1f} per cent – of the {whole:,} schools were inspected."
    c = checks(text)
    assert list(c["verdict"]) in (["consistent"], ["within_rounding"]), text


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=400), min_size=2, max_size=3), st.integers(min_value=1, max_value=60),
       st.integers(min_value=-1, max_value=3))
def test_parts_of_a_whole(parts, rest, off):
    """Parts that add up are never inconsistent; a closed list ("the remaining N") that does not add up always is,
    and one left open is not judged."""
    whole = sum(parts) + rest
    said = whole + off * 10 if off >= 0 else whole - 1
    assume(said > max(parts + [rest]))  # every part smaller than the whole it is part of
    listed = ", ".join(f"{p} said yes" for p in parts[:-1]) + f" and {parts[-1]} said no"
    closed = checks(f"Of the {said:,} councils asked, {listed}. The remaining {rest} did not reply.")
    assert list(closed["verdict"]) == (["consistent"] if off == 0 else ["inconsistent"]), (said, parts, rest)
    open_list = checks(f"Of the {said:,} councils asked, {listed}.")
    assert open_list.empty or list(open_list["verdict"]) == ["consistent"]


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=2, max_value=2000), st.integers(min_value=1, max_value=90), st.booleans())
def test_amount_per_unit(count, each_thousands, right):
    total = count * each_thousands * 1000
    each = each_thousands * 1000 if right else each_thousands * 1000 * 2 + 500
    c = checks(f"The council will spend £{total:,} on {count:,} new homes, or £{each:,} per home.")
    assert list(c["verdict"]) == (["consistent"] if right else ["inconsistent"]), (total, count, each)


@pytest.mark.parametrize("said, verdict", [("three", "consistent"), ("five", "inconsistent"), ("30", "likely_typo")])
def test_a_share_of_sums_named_in_earlier_sentences(said, verdict):
    c = checks("The council expects an overspend of £2.1m this year. Its budget of £70m was set in February. "
               f"The overspend would represent {said} per cent of the total budget, the report said.")
    assert list(c["relation"]) == ["share"] and list(c["verdict"]) == [verdict]
    assert "£2.1m ÷ £70m" in c["formula"].iloc[0]
