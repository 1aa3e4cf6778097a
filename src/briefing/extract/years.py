"""The year each sum of money refers to, when the text gives one.

A sum takes a financial year ("in 2018/19", "for the year 2019/20") or a calendar year ("in 2013", "by 2025",
"in July", resolved with the publication date by ``dates``) from its own sentence, or one carried from an earlier
sentence by "during this period", "over the same period", "that year". Caution first: a sentence with several
years pairs each sum with the nearest year that no other sum stands between; a sum after "now" or "this year"
in a sentence about another year takes none; a sum with no year stays without one (a blank, not a guess).
"""

from __future__ import annotations

import bisect
import re

FINANCIAL, CALENDAR = "financial", "calendar"
CARRY = re.compile(r"\b(?:during|over|in|for|across)\s+(?:this|that|the\s+same)\s+(?:period|time|year)\b|"
                   r"\bthat\s+year\b|\bthe\s+same\s+year\b", re.I)
# a present or future marker between a year and a sum: "in 2013 it spent £5m; it now spends £8m"
NOT_THAT_YEAR = re.compile(r"\b(?:now|currently|today|this\s+year|next\s+year|last\s+year|since|"
                           r"(?:up|down|rising|falling|increased?|decreased?|risen|fallen)\s+from)\b|"
                           # "a gap of £23.5m by 2026/27, and plans to cut £4m": another clause, about what is planned
                           r",\s+and\s+(?:\w+\s+){0,3}(?:plans?|will|would|intends?|expects?|aims?|hopes?)\b", re.I)
# a sum that carries its own time: "savings of £1.1m next year", "£5m a year"
OWN_TIME = re.compile(r"^\s+(?:next|this|last|each|every|a|per)\s+(?:year|month|week)\b", re.I)


def _fy(first: int) -> str:
    return f"{first}-{(first + 1) % 100:02d}"


def year_marks(figure_rows: list[dict], date_rows: list[dict]) -> list[tuple[int, int, str, str]]:
    """(start, end, year, basis) of every year the text gives: financial years among the period figures (a span
    of one year boundary written as 2018/19, 2018-19 or 2018/2019), calendar years among the resolved dates."""
    marks = []
    for r in figure_rows:
        if r["kind"] == "period" and r["value"] is not None and r["value_max"] is not None \
                and r["value_max"] - r["value"] == 1 and not re.match(r"(?:between|from)\b", r["text"], re.I):
            marks.append((r["start"], r["end"], _fy(int(r["value"])), FINANCIAL))
    for d in date_rows:
        if d["date"]:
            marks.append((d["start"], d["end"], d["date"][:4], CALENDAR))
    return sorted(marks)


def money_years(text: str, figure_rows: list[dict], date_rows: list[dict],
                sentences: list[tuple[int, int]]) -> dict[str, tuple[str, str]]:
    """figure_id -> (year, basis) for the sums of money whose year the text gives."""
    starts = [s for s, _ in sentences]

    def sentence_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    marks_by_sentence: dict[int, list] = {}
    for m in year_marks(figure_rows, date_rows):
        marks_by_sentence.setdefault(sentence_of(m[0]), []).append(m)
    sums = [r for r in figure_rows if r["kind"] == "money" and not r["vague"] and r["value"] is not None]
    sums_by_sentence: dict[int, list] = {}
    for r in sums:
        sums_by_sentence.setdefault(sentence_of(r["start"]), []).append(r)
    out: dict[str, tuple[str, str]] = {}
    last: tuple[str, str] | None = None  # the most recent year given to a sum, for "during this period"
    for i in sorted(sums_by_sentence):
        group = sums_by_sentence[i]
        marks = marks_by_sentence.get(i, [])
        chosen = _pair(text, group, marks)
        s, e = sentences[i] if sentences else (0, len(text))
        if not chosen and last and CARRY.search(text[s:e]):
            chosen = {r["figure_id"]: last for r in group}
        out.update(chosen)
        for r in group:
            if r["figure_id"] in chosen:
                last = chosen[r["figure_id"]]
    return out


def _pair(text: str, group: list[dict], marks: list) -> dict[str, tuple[str, str]]:
    if not marks:
        return {}
    if len({(m[2], m[3]) for m in marks}) == 1:
        # one year in the sentence: every sum in it ("spent £1.214bn in 2018/19, compared with a budget of £1.106bn")
        start, end, year, basis = marks[0]

        def between(r: dict) -> str:  # the words between the sum and the year, neither included
            return text[r["end"]:start] if start >= r["end"] else text[end:r["start"]]

        return {r["figure_id"]: (year, basis) for r in group
                if not NOT_THAT_YEAR.search(between(r)) and not OWN_TIME.match(text[r["end"]:r["end"] + 20])}
    # several years: nearest first, never across another sum, each year and each sum used once. Sums and years
    # never overlap, so a year can pair only with the last sum before it and the first after it (trying every sum
    # with every year, each pair against every sum, was cubic in a sentence listing many)
    group = sorted(group, key=lambda r: r["start"])
    starts = [r["start"] for r in group]
    cands = []
    for k, m in enumerate(marks):
        i = bisect.bisect_left(starts, m[0]) - 1  # the last sum that starts before the year
        if i >= 0 and m[0] >= group[i]["end"]:
            r = group[i]
            cands.append((m[0] - r["end"], 0, r["figure_id"], m, (r["start"], k)))
        j = bisect.bisect_left(starts, m[1])  # the first sum that starts after it
        if j < len(group) and m[0] < group[j]["end"]:
            r = group[j]
            cands.append((r["start"] - m[1], 1, r["figure_id"], m, (r["start"], k)))
    out, used = {}, set()
    # ties in the order every sum was once tried with every year: sum, then year
    for _, _, fid, m, _ in sorted(cands, key=lambda c: c[:3] + c[4:]):
        if fid in out or m in used:
            continue
        out[fid] = (m[2], m[3])
        used.add(m)
    return out
