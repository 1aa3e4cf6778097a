"""Analysis passes stay linear in the input (issue 25, items 6 and 7), tested without a clock.

Each test measures work that does not depend on the machine: characters a search looks through, people a lookup
looks at, or lines of Python executed (``sys.settrace``, which counts pandas' own lines too, so a DataFrame filtered
once per row shows). An input four times as long must cost about four times as much; a quadratic pass would cost
sixteen. Other tests check that what comes out of such inputs is sensible. ``benchmarks/analysis.py`` prints the
times.
"""

from __future__ import annotations

import random
import re
import sys

import pandas as pd
import pytest

from briefing import budget, funding, report
from briefing.extract import extract_text, quotes, spans
from briefing.extract.entities import find_organisations, find_people, mask_abbreviations
from briefing.extract.quotes import attribute, find_quote_spans
from briefing.stages import MAX_CHART_ROWS, MAX_SERIES_CHARTS, run_funding
from briefing.text import normalise, sentence_spans, split_paragraphs

from conftest import REFERENCE

# an input of 4n costs this many times what an input of n costs, at most: 4 for a linear pass (and a little more
# for n log n), 16 for a quadratic one
LINEAR = 6.0


def lines_run(fn, *args, **kwargs) -> tuple[int, object]:
    """Lines of Python executed by ``fn(*args, **kwargs)`` (any module), and its result."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: local)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return count, result


def growth(cost_of, n: int) -> float:
    """cost_of(4n) / cost_of(n), after a run that warms caches up."""
    cost_of(n)
    return cost_of(4 * n) / cost_of(n)


# --- hostile shapes ------------------------------------------------------------------------------------------

FIRST = ["Jane", "Tom", "Sue", "Paul", "Helen", "Ian", "Mary", "John", "Anne", "Peter", "Sarah", "David", "Emma",
         "Mark", "Lucy", "James", "Kate", "Simon", "Ruth", "Alan"]
LAST = ["Smith", "Reeve", "Bright", "Marsh", "Crabtree", "Abbott", "Baker", "Carter", "Dawson", "Ellis", "Fletcher",
        "Gibson", "Harper", "Irving", "Jarvis", "Kendall", "Lawson", "Mercer", "Norris", "Osborne"]


def unbalanced(n: int) -> str:
    return "“" * n + " then some text, said Mr Smith. " + '"' * n


def unclosed_lines(n: int) -> str:
    """Lines that open a quotation and never close it, in one paragraph."""
    return "Residents said:\n\n" + "\n".join(f"“We have been let down again by the council, line {i}."
                                             for i in range(n))


def many_speakers(n: int) -> str:
    """Quotations by n different people, each named once, a pronoun quote after each."""
    return "\n\n".join(f"“We will not stand for this,” said {FIRST[i % 20]} {LAST[i // 20 % 20]}-{LAST[i // 400 % 20]}, "
                       f"a resident of Mill Lane. “Nor will our neighbours,” she added." for i in range(n))


def budget_paragraphs(n: int) -> str:
    """n paragraphs, each a spend against a budget and the difference: a comparison and a check each."""
    out = []
    for i in range(n):
        a, b = 40 + i % 7, 30 + i % 9
        y = 2000 + i % 24
        out.append(f"The council spent £{a / 10:.1f}m in {y}/{(y + 1) % 100:02d} against a budget of "
                   f"£{b / 10:.1f}m, an overspend of £{(a - b) / 10:.1f}m.")
    return "\n\n".join(out)


def series_paragraphs(n: int) -> str:
    """n paragraphs, each a sum at two financial years: a series each."""
    out = []
    for i in range(n):
        y = 2000 + i % 20
        out.append(f"The budget rose from £{3 + i % 9}.{i % 10}m in {y}/{(y + 1) % 100:02d} to £{5 + i % 7}.2m in "
                   f"{y + 3}/{(y + 4) % 100:02d}.")
    return "\n\n".join(out)


def the_council_spent(n: int) -> str:
    """The issue's paragraph: two sums and a difference ("up from", "an increase of")."""
    return "\n\n".join(f"The council spent £{4 + i % 5}.2m in {2000 + i % 24}, up from £3.1m, an increase of "
                       f"£{1 + i % 5}.1m." for i in range(n))


# --- item 6: quotation marks ---------------------------------------------------------------------------------

class CountingText(str):
    """A text that adds up how many characters ``find`` looks through (up to what it finds, or to the end)."""

    scanned = 0

    def find(self, sub, start=None, end=None):
        s = 0 if start is None else start
        e = len(self) if end is None else end
        k = str.find(self, sub, s, e)
        CountingText.scanned += max(0, (k + len(sub) if k >= 0 else e) - s)
        return k


def scanned_by_quote_spans(text: str) -> int:
    CountingText.scanned = 0
    text = CountingText(text)
    find_quote_spans(text, split_paragraphs(text))
    return CountingText.scanned


@pytest.mark.parametrize("shape", [unbalanced, unclosed_lines])
def test_closing_marks_are_looked_for_in_one_pass_over_a_paragraph(shape):
    # before: each opening mark searched to the end of its paragraph for a closing one
    ratio = scanned_by_quote_spans(shape(8000)) / scanned_by_quote_spans(shape(2000))
    assert ratio < LINEAR
    assert scanned_by_quote_spans(shape(8000)) < 10 * len(shape(8000))


def test_unbalanced_marks_make_no_quotation_of_marks():
    text = unbalanced(3000)
    q = extract_text(text)["quotes"]
    # the last opening mark opens the one quotation there is: its words run to the paragraph's end (as any
    # unclosed quotation does); the 2,999 marks before it, and the straight marks in pairs, make none
    assert len(q) == 1
    assert q["text"][0].startswith("then some text")
    assert all(re.search(r"[A-Za-z]", t) for t in q["text"])
    for only_marks in ("“" * 3000, '"' * 3000, "“" * 3000 + "\n\n" + "”" * 3000, "‘" * 3000):
        assert extract_text(only_marks)["quotes"].empty, only_marks[:3]


def test_unclosed_lines_each_end_where_the_next_opens():
    text = unclosed_lines(300)
    q = extract_text(text)["quotes"]
    assert len(q) == 300
    assert all(t.startswith("We have been let down") and "“" not in t for t in q["text"])
    assert list(q["start"]) == sorted(q["start"]) and (q["end"].iloc[:-1].values <= q["start"].iloc[1:].values).all()


def test_a_word_before_a_full_stop_is_read_from_a_few_characters():
    # "Dr. Okafor said" is not a sentence end: the word before each stop decides, found in the 40 characters
    # before it (it was searched for from the start of the window, for every stop: a window's length squared)
    spans_seen = []

    class Recording:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, s, pos=0, endpos=sys.maxsize):
            spans_seen.append(min(endpos, len(s)) - pos)
            return self.pattern.search(s, pos, endpos)

    original = quotes._LAST_WORD
    quotes._LAST_WORD = Recording(original)
    try:
        window = "It was late. " * 70 + "Dr. Okafor said, "
        assert window[quotes._last_sentence_start(window):] == "Dr. Okafor said, "
    finally:
        quotes._LAST_WORD = original
    assert len(spans_seen) >= 70 and max(spans_seen) <= 40


class CountingList(list):
    """A list that counts the items its iterations hand out (a scan of every person for each quote shows)."""

    handed = 0

    def __iter__(self):
        for x in list.__iter__(self):
            CountingList.handed += 1
            yield x


def people_looked_at(text: str) -> int:
    paras = split_paragraphs(text)
    masked = mask_abbreviations(text)
    people, orgs = CountingList(find_people(masked)), CountingList(find_organisations(masked))
    qs = find_quote_spans(text, paras)
    CountingList.handed = 0
    attribute(text, paras, qs, people, orgs)
    return CountingList.handed


def test_speakers_are_found_by_index_not_by_scanning_every_name():
    # before: every quote compared its speaker with every person named (and re-sorted every mention for each
    # new one), so 4,000 speakers cost 16 times what 1,000 did
    assert people_looked_at(many_speakers(1600)) <= 4 * people_looked_at(many_speakers(400)) + 100
    assert growth(lambda n: lines_run(people_looked_at, many_speakers(n))[0], 100) < LINEAR


def test_thousands_of_speakers_are_each_given_their_quotes():
    q = extract_text(many_speakers(500))["quotes"]
    assert len(q) == 1000
    named = q.iloc[::2]
    assert list(named["speaker"]) == [f"{FIRST[i % 20]} {LAST[i // 20 % 20]}-{LAST[i // 400 % 20]}" for i in range(500)]
    assert (q.iloc[1::2]["speaker"].values == named["speaker"].values).all()  # "she added": the one just named


def test_spans_match_one_sorted_list_and_stay_in_short_blocks(monkeypatch):
    monkeypatch.setattr(spans, "BLOCK", 4)
    rng = random.Random(25)
    for _ in range(200):
        s, flat = spans.Spans(), []  # flat: (start, end) in the order one sorted list keeps them
        for _ in range(rng.randint(0, 120)):
            a = rng.randint(0, 300)
            b = a + rng.randint(0, 12)
            i = next((k for k, (x, _) in enumerate(flat) if x > a), len(flat))
            free = not (i > 0 and flat[i - 1][1] > a) and not (i < len(flat) and flat[i][0] < b)
            assert s.free(a, b) == free
            if free or rng.random() < 0.2:
                s.take(a, b)
                flat.insert(i, (a, b))
        assert [x for block in s._starts for x in block] == [a for a, _ in flat]
        assert [x for block in s._ends for x in block] == [b for _, b in flat]
        assert all(len(block) <= 2 * spans.BLOCK for block in s._starts)  # a take moves one block, not the list


# --- item 7: the extraction's arithmetic and years --------------------------------------------------------------

def _rows(text: str) -> tuple[list[dict], list[dict], list[tuple[int, int]]]:
    """figures.csv and dates.csv rows as ``extract_text`` hands them to the arithmetic and the years."""
    t = extract_text(text)
    figs = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
            for r in t["figures"].to_dict("records")]
    dates = t["dates"].to_dict("records")
    return figs, dates, sentence_spans(text, split_paragraphs(text))


def one_sentence_of_years(n: int) -> str:
    """Sums and financial years listed in one sentence: each sum is paired with its year."""
    return "The council spent " + ", ".join(f"£{1 + i % 90}.{i % 10}m in {2000 + i % 20}/{(i % 20 + 1):02d} on roads"
                                            for i in range(n)) + "."


def one_paragraph_of_differences(n: int) -> str:
    """Differences whose other operand is in the sentence before, and multiples, in one long paragraph."""
    return " ".join(f"The council spent £{4 + i % 5}.2m. Its budget was £3.1m, an overspend of £{1 + i % 5}.1m. "
                    f"Costs doubled from £{1 + i % 9}m to £{2 + 2 * (i % 9)}m." for i in range(n))


def test_years_pair_with_sums_in_one_pass_over_a_sentence():
    from briefing.extract.years import money_years

    made = {}

    def cost(n: int) -> int:
        if n not in made:
            text = one_sentence_of_years(n)
            made[n] = (text, *_rows(text))
        text, figs, dates, sentences = made[n]
        return lines_run(money_years, text, figs, dates, sentences)[0]

    # before: every sum with every year, each pair tested against every sum: cubic in a sentence's sums
    assert growth(cost, 20) < LINEAR
    text = one_sentence_of_years(40)
    years = money_years(text, *_rows(text))
    assert len(years) == 40  # each sum has the year written right after it (nearer than the next sum)
    assert [y for y, _ in years.values()][:3] == ["2000-01", "2001-02", "2002-03"]


def test_relations_in_a_paragraph_of_many_figures_are_looked_for_near_them():
    from briefing.extract import arithmetic

    made = {}

    def cost(n: int) -> int:
        if n not in made:
            text = one_paragraph_of_differences(n)
            made[n] = (text, *_rows(text))
        text, figs, _, sentences = made[n]
        return lines_run(arithmetic.check_rows, text, figs, sentences)[0]

    # before: a difference read the whole paragraph's figures, a multiple ("doubled") the whole article's
    assert growth(cost, 15) < LINEAR
    text = one_paragraph_of_differences(10)
    checks = arithmetic.check_rows(text, *_rows(text)[::2])
    assert [c["relation"] for c in checks] == ["change"] * 10  # the doublings; a difference needs its paragraph
    assert all(c["verdict"] == "consistent" for c in checks)


# --- item 7: notebook 02's analysis ----------------------------------------------------------------------------

def _figures(text: str) -> tuple[str, dict]:
    text = normalise(text)
    return text, extract_text(text)


@pytest.fixture(scope="module")
def deflator():
    from briefing import deflators

    return deflators.load_deflator("gdp", REFERENCE)


def _sums_and_checks(n: int, deflator):
    text, t = _figures(budget_paragraphs(n))
    return text, t, budget.sums_table(t["figures"], text, deflator, "2024-25")


@pytest.mark.parametrize("step", ["sums_table", "comparisons", "link_periods", "link_periods in one sentence",
                                  "find_series", "per_unit"])
def test_notebook_02_passes_are_linear_in_the_number_of_sums(step, deflator):
    shape = {"find_series": series_paragraphs, "link_periods in one sentence": one_sentence_of_years}.get(
        step, budget_paragraphs)
    made = {}

    def cost(n: int) -> int:
        if n not in made:
            text, t = _figures(shape(n))
            made[n] = (text, t, budget.sums_table(t["figures"], text, deflator, "2024-25"),
                       funding.link_periods(t["figures"]))
        text, t, sums, links = made[n]
        call = {"sums_table": lambda: budget.sums_table(t["figures"], text, deflator, "2024-25"),
                "comparisons": lambda: budget.comparisons(sums, t["checks"], text),
                "link_periods": lambda: funding.link_periods(t["figures"]),
                "link_periods in one sentence": lambda: funding.link_periods(t["figures"]),
                "find_series": lambda: funding.find_series(links),
                "per_unit": lambda: funding.per_unit(t["figures"], funding.find_series(links))}[step]
        return lines_run(call)[0]

    # before: the article's stated difference was looked for among all checks for every pair, and every sum
    # of a sentence was tried with every year in it, each pair against every sum (cubic in one long sentence)
    assert growth(cost, 40) < LINEAR


def test_every_comparison_finds_its_stated_difference(deflator):
    text, t, sums = _sums_and_checks(300, deflator)
    comps = budget.comparisons(sums, t["checks"], text)
    assert len(comps) == 300 and len(t["checks"]) == 300
    assert (comps["stated_verdict"] == "consistent").all()
    assert set(comps["stated_id"]) == set(t["checks"]["claim_figure_id"])


@pytest.mark.parametrize("shape", [budget_paragraphs, series_paragraphs, the_council_spent])
def test_a_long_list_of_sums_draws_a_bounded_number_of_charts(tmp_path, shape):
    from briefing.extract import Extraction, write_tables
    from briefing.stages import load_chart

    n = 150
    text = normalise(shape(n))
    folder = write_tables(Extraction({"slug": "x"}, text, extract_text(text), []), tmp_path / "x")
    res = run_funding(folder, REFERENCE)
    out = folder / "funding"
    assert len(res.sums) == (2 if shape is series_paragraphs else 3) * n  # every sum is in the table
    assert len(list(out.glob("chart-S*.svg"))) <= MAX_SERIES_CHARTS
    assert pd.read_csv(out / "sums.csv")["figure_id"].tolist() == res.sums["figure_id"].tolist()
    if shape is series_paragraphs:
        assert len(res.series) == n and len(pd.read_csv(out / "series.csv")) == 2 * n
        last = load_chart(out, f"chart-S{MAX_SERIES_CHARTS}")
        assert f"first {MAX_SERIES_CHARTS} series of {n}" in last.caption
    if shape is budget_paragraphs:
        chart = load_chart(out, "chart-budget")
        assert len(res.comparisons) == n
        assert f"first {MAX_CHART_ROWS} comparisons of {n}" in chart.caption
        assert chart.svg.count("against £") <= MAX_CHART_ROWS  # one label a bar


# --- notebook 04 ---------------------------------------------------------------------------------------------

def test_notes_are_numbered_by_lookup_not_by_scanning_every_note():
    def cost(n: int) -> int:
        notes = report.Notes("x" * (10 * n))
        spans = [(10 * i, 10 * i + 5) for i in range(n)]
        return lines_run(lambda: [notes.cite(s, e) for s, e in spans + spans])[0]

    # before: each citation compared its span with every note made so far
    assert growth(cost, 100) < LINEAR
    notes = report.Notes("x" * 100)
    assert [notes.cite(*s) for s in ((0, 5), (10, 15), (0, 5))][2] == notes.cite(0, 5)
    assert len(notes.items) == 2 and '[1]' in notes.cite(0, 5) and '[2]' in notes.cite(10, 15)


def test_a_figure_is_found_by_its_id_without_filtering_the_table(tmp_path, monkeypatch):
    from briefing.extract import Extraction, write_tables

    text = normalise(series_paragraphs(60))
    folder = write_tables(Extraction({"slug": "x"}, text, extract_text(text), []), tmp_path / "x")
    b = report.load(folder, {})
    ids = list(b.tables["figures"]["figure_id"])
    filtered = []
    eq = pd.Series.__eq__
    monkeypatch.setattr(pd.Series, "__eq__", lambda self, other: filtered.append(1) or eq(self, other))
    cited = [report.cited(b, i) for i in ids]
    # before: the figures table was compared with each id (every row, for every citation)
    assert len(filtered) <= 1
    assert all(c.startswith(report.e(t)) for c, t in zip(cited, b.tables["figures"]["text"]))


def test_key_figures_number_notes_only_for_cards_shown(tmp_path):
    from briefing.extract import Extraction, write_tables

    text = normalise(series_paragraphs(100))
    folder = write_tables(Extraction({"slug": "x"}, text, extract_text(text), []), tmp_path / "x")
    run_funding(folder, REFERENCE)
    b = report.load(folder, {})
    html = report.key_figures(b)
    assert html.count('class="card"') == report.MAX_CARDS
    assert len(b.notes.items) == html.count('class="note"') == report.MAX_CARDS // 2  # a sum and its real change
