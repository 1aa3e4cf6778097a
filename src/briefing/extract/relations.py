"""Relations between an article's figures that its wording states: differences, totals, shares, changes,
multiples, spans of years, approximations, parts of a whole and amounts per unit. Each finder returns a
``Check`` (claim, computed value, operands, formula) or None when the operands are not unambiguous."""

from __future__ import annotations

import bisect
import re

from .verdicts import ABOUT, ALMOST, LESS, MORE, Check, Fig, _fmt, _op, judge, precision, verdict_of

AMOUNTS = ("money", "count", "duration")
# a sentence that reports a sentence (a prison term) is not a span of years to check
SENTENCING = re.compile(r"\b(?:jail\w*|sentenc\w*|prison|custody|term|served|serve|imprison\w*|detention)\b", re.I)
DIFF_BEFORE = re.compile(r"\b(?:overspend|underspend|overspent|underspent|surpass\w*|exceed\w*|overshot|overshoot\w*|"
                         r"gap|shortfall|difference|deficit|surplus|more|less|higher|lower)\s+(?:\w+\s+){0,3}?"
                         r"(?:by|of|was|is|were|will\s+be|would\s+be|stood\s+at|came\s+to|at)\s+$", re.I)
DIFF_AFTER = re.compile(r"^\s+(?:over|above|under|below|more\s+than|less\s+than|short\s+of)\s+(?:its|the|their|a|an|"
                        r"his|her)\s+(?:[\w-]+\s+){0,2}?(?:budget|target|plan|forecast|allocation|estimate)s?\b|"
                        r"^\s+(?:overspend|underspend|difference|gap|shortfall|deficit)\b", re.I)
TOTAL_BEFORE = re.compile(r"\b(?:a\s+total\s+of|totall?ing|in\s+total|combined|altogether)\s+$", re.I)
TOTAL_AFTER = re.compile(r"^\s+(?:in\s+total|in\s+all|altogether|between\s+them|combined)\b", re.I)
NOT_PARTS = re.compile(r"\b(?:up|down)\s+from\b|\bcompared\s+with\b|\b(?:rose|fell|risen|fallen|increase\w*|"
                       r"decrease\w*|than|from\b.*\bto\b)|\bper\b|\beach\b|\ba\s+(?:year|month|week)\b", re.I)
CHANGE_UP = r"rose|risen|rise|rising|increased?|increasing|grew|grown|up|climbed|jumped|soared|went\s+up"
CHANGE_DOWN = r"fell|fallen|fall|falling|decreased?|decreasing|dropped|down|cut|slumped|declined|went\s+down"
CHANGE_BEFORE = re.compile(rf"\b(?P<dir>{CHANGE_UP}|{CHANGE_DOWN})\s+(?:by\s+|of\s+)?$", re.I)
MAX_FIGURES_IN_SENTENCE = 30
APPROXIMATE = set(ALMOST + ABOUT + MORE + LESS) - {"over", "under", "up to", "as many as", "as much as"}
RELATION_WORDS = re.compile(r"\b(?:from\b[^.]*\bto|than|compared|against|of\s+which|out\s+of|total\w*|each|per|a\s+year|"
                            r"rose|fell|up|down|increase\w*|decrease\w*|cut|more|less|over|under|budget\w*|"
                            r"instead|rather|while|whereas|but)\b", re.I)
TIME_WORDS = ("year", "month", "week", "day", "hour", "annum", "decade")
PER_UNIT = re.compile(r"^,?\s*(?:per|a|an|for\s+each|for\s+every|for\s+every\s+single)\s+(?P<w>[a-z][\w-]*)\b", re.I)
EXHAUSTIVE = re.compile(r"\b(?:the\s+(?:remaining|other|rest)|remaining|the\s+rest\s+of)\s+$", re.I)


def _same(a: Fig, b: Fig) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind == "money":
        return a.unit == b.unit
    if a.kind == "duration":
        return a.unit == b.unit
    return True  # counts: "87 … of the 152 councils" (the unit is on one of them only)


def find_checks(text: str, figs: list[Fig], sentences: list[tuple[int, int]] | None = None) -> list[Check]:
    by_sentence: dict[int, list[Fig]] = {}
    by_paragraph: dict[tuple, list[Fig]] = {}  # (paragraph, kind and unit): the figures ``_same`` pairs
    for f in figs:
        by_sentence.setdefault(f.sentence, []).append(f)
        by_paragraph.setdefault((f.paragraph, _kind(f)), []).append(f)
    checks: list[Check] = []
    used_claims: set[str] = set()

    def add(c: Check | None) -> None:
        if c is not None and c.claim.id not in used_claims:
            used_claims.add(c.claim.id)
            judged = judge(c)
            if judged is not None:
                checks.append(judged)

    for group in by_sentence.values():
        if len(group) > MAX_FIGURES_IN_SENTENCE:
            continue  # a list or a table run together, not a sentence whose figures relate (and each test is
            # linear in the sentence's figures: a hostile text of thousands would make them quadratic)
        for f in group:
            before = text[max(0, f.start - 80):f.start]
            after = text[f.end:f.end + 80]
            if f.kind in AMOUNTS and (DIFF_BEFORE.search(before) or DIFF_AFTER.search(after)):
                add(_difference(f, group, by_paragraph[(f.paragraph, _kind(f))]))
            elif f.kind in ("money", "count") and (TOTAL_BEFORE.search(before) or TOTAL_AFTER.search(after)):
                add(_total(text, f, group))
            elif f.kind == "percentage" and CHANGE_BEFORE.search(before):
                add(_change(text, f, group, CHANGE_BEFORE.search(before).group("dir")))
            elif f.kind == "percentage":
                add(_share(text, f, group))
            elif f.kind == "duration" and f.unit == "years":
                s, e = sentences[f.sentence] if sentences and 0 <= f.sentence < len(sentences) else (
                    group[0].start, group[-1].end)
                add(_span(text, f, group, text[s:e]))
            elif f.kind == "money" and PER_UNIT.match(after):
                add(_per_unit(text, f, group, PER_UNIT.match(after).group("w")))
            elif f.kind in ("money", "count") and f.qualifier in APPROXIMATE:
                add(_approximation(text, f, _window(by_sentence, f, 1, across_paragraphs=True)))
        for f in group:
            if f.kind == "count" and f.unit and f.unit != "age_years" and f.id not in used_claims:
                add(_parts(text, f, _window(by_sentence, f, 3)))
    for group in by_sentence.values():
        for f in group:  # a share of a whole named in an earlier sentence ("… three per cent of the total budget")
            if f.kind == "percentage" and f.id not in used_claims and len(group) <= MAX_FIGURES_IN_SENTENCE:
                add(_share_of_named(text, f, group, _window(by_sentence, f, 0, before=2)))
    starts = [f.start for f in figs]
    for m in MULTIPLE_RE.finditer(text):
        add(_multiple(text, m, figs, starts, by_sentence))
    checks.sort(key=lambda c: c.claim.start)
    return checks


def _kind(f: Fig) -> tuple:
    """What :func:`_same` compares: two figures are the same kind of quantity when these are equal."""
    return f.kind, f.unit if f.kind in ("money", "duration") else None


def _difference(d: Fig, sentence: list[Fig], paragraph: list[Fig]) -> Check | None:
    """``paragraph``: the figures of ``d``'s paragraph of its kind (not the whole paragraph, which a text
    without paragraph breaks made as long as the article, for every difference)."""
    others = [f for f in sentence if f is not d and _same(f, d)]
    if len(others) == 1 and len(paragraph) == 3:  # the other operand in an earlier sentence of the paragraph
        earlier = [f for f in paragraph if f is not d and f.start < d.start and f not in others]
        if len(earlier) == 1:
            others = earlier + others
    if len(others) != 2:
        return None
    a, b = others
    computed = abs(a.value - b.value)
    hi, lo = (a, b) if a.value >= b.value else (b, a)
    return Check("difference", d, computed, [a, b], f"{_op(hi)} − {_op(lo)} = {_fmt(computed, d)}")


def _total(text: str, t: Fig, sentence: list[Fig]) -> Check | None:
    parts = [f for f in sentence if f is not t and _same(f, t) and f.start < t.start]
    if len(parts) < 2:
        return None
    span = text[parts[0].start:t.start]
    if NOT_PARTS.search(span):
        return None
    computed = sum(f.value for f in parts)
    return Check("total", t, computed, parts, " + ".join(_op(f) for f in parts) + f" = {_fmt(computed, t)}")


def _share(text: str, n: Fig, sentence: list[Fig]) -> Check | None:
    """"87 – 57 per cent – of the 152 councils" / "87 of the 152 councils (57 per cent)"."""
    counts = [f for f in sentence if f.kind == "count" and f.unit != "age_years"]
    after = text[n.end:n.end + 30]
    for i, part in enumerate(counts):
        for whole in counts[i + 1:]:
            gap = text[part.end:whole.start]
            # the percentage between them, set off by dashes or brackets, then "of (the)" the whole
            inside = part.end <= n.start and n.end <= whole.start and re.fullmatch(
                r"\s*[–—(-]\s*", text[part.end:n.start]) and re.fullmatch(r"\s*[–—)-]\s*of\s+(?:the\s+|all\s+)?",
                                                                      text[n.end:whole.start])
            bracket_after = (whole.end <= n.start and re.fullmatch(r"\s+of\s+(?:the\s+|all\s+)?", gap)
                             and re.fullmatch(r"\s*\(\s*", text[whole.end:n.start]) and after.lstrip().startswith(")"))
            if inside or bracket_after:
                if whole.value <= 0 or part.value > whole.value:
                    return None
                computed = part.value / whole.value * 100
                return Check("share", n, computed, [part, whole],
                             f"{_op(part)} ÷ {_op(whole)} = {computed:.1f}%")
    return _share_of_sum(text, n, sentence)


def _share_of_sum(text: str, n: Fig, sentence: list[Fig]) -> Check | None:
    """"a £2.1m overspend, or three per cent of its £70m budget": the only sum before the percentage over the sum
    named right after its "of"."""
    whole = next((f for f in sentence if f.kind == "money" and f.start > n.end and re.fullmatch(
        r"\s+of\s+(?:the|its|their|his|her|a|an)?\s*(?:[\w-]+\s+){0,3}?", text[n.end:f.start], re.I)), None)
    parts = [f for f in sentence if f.kind == "money" and f.end <= n.start]
    if whole is None or n.unit != "%" or len(parts) != 1 or not _same(parts[0], whole) or whole.value <= 0:
        return None
    part = parts[0]
    if part.value > whole.value or RELATION_WORDS.search(text[part.end:n.start]) and not re.search(
            r"\b(?:overspend|underspend|cut|increase|gap)\b", text[part.end:n.start], re.I):
        return None
    computed = part.value / whole.value * 100
    return Check("share", n, computed, [part, whole], f"{_op(part)} ÷ {_op(whole)} = {computed:.1f}%")


def _change(text: str, n: Fig, sentence: list[Fig], direction: str) -> Check | None:
    """"rose 80 per cent … to 92,000 …, compared with 51,300" / "from £24m to £48m, a rise of 100 per cent"."""
    amounts = [f for f in sentence if f.kind in ("money", "count")]
    old = new = None
    for f in amounts:
        before = text[max(0, f.start - 40):f.start]
        if re.search(r"\b(?:from|compared\s+with|against|up\s+from|down\s+from)\s+(?:a\s+\w+\s+of\s+|just\s+)?$",
                     before, re.I):
            old = f if old is None else "many"
        elif re.search(r"\bto\s+(?:a\s+\w+\s+of\s+|just\s+)?$", before, re.I):
            new = f if new is None else "many"
    if not isinstance(old, Fig) or not isinstance(new, Fig) or not _same(old, new) or old.value <= 0:
        return None
    computed = (new.value - old.value) / old.value * 100
    up = re.fullmatch(CHANGE_UP, direction, re.I) is not None
    signed = computed if up else -computed
    return Check("change", n, signed, [old, new],
                 f"({_op(new)} − {_op(old)}) ÷ {_op(old)} = {computed:+.1f}%")


MULTIPLE_RE = re.compile(r"\b(?P<q>(?:more|less)\s+than\s+|almost\s+|nearly\s+|over\s+)?"
                         r"(?P<w>doubled|doubling|trebled|tripled|quadrupled|halved|halving)\b", re.I)
MULTIPLES = {"doubl": 2.0, "trebl": 3.0, "tripl": 3.0, "quadrupl": 4.0, "halv": 0.5}


def _multiple(text: str, m: re.Match, figs: list[Fig], starts: list[int], by_sentence: dict) -> Check | None:
    """"doubled from £24m to £48m": the ratio of the two, against the word (``starts``: the figures' starts)."""
    i = bisect.bisect_left(starts, m.end())
    if i >= len(figs):
        return None
    sentence = by_sentence[figs[i].sentence]
    if len(sentence) > MAX_FIGURES_IN_SENTENCE:
        return None  # a list run together, as for the other relations (and each word would read the whole list)
    after = [f for f in sentence if f.start >= m.end() and f.kind in ("money", "count")]
    old = next((f for f in after if re.search(r"\bfrom\s+$", text[max(0, f.start - 8):f.start], re.I)), None)
    new = next((f for f in after if re.search(r"\bto\s+$", text[max(0, f.start - 6):f.start], re.I)), None)
    if old is None or new is None or not _same(old, new) or old.value <= 0 or new.start < old.start:
        return None
    factor = next(v for k, v in MULTIPLES.items() if m.group("w").lower().startswith(k))
    q = (m.group("q") or "").strip().lower()
    claim = Fig(f"W{m.start()}", "multiple", m.group(0), factor, "×", q, m.start(), m.end(), old.paragraph, old.sentence)
    ratio = new.value / old.value
    return Check("change", claim, ratio, [old, new], f"{_op(new)} ÷ {_op(old)} = {ratio:.2f}×")


def _span(text: str, d: Fig, sentence: list[Fig], sentence_text: str) -> Check | None:
    """"over 12 years … between 2003 and 2015": the years a period spans."""
    periods = [f for f in sentence if f.kind == "period" and f.span]
    if len(periods) != 1 or SENTENCING.search(sentence_text):
        return None
    during = d.qualifier.lower() == "over" or re.search(r"\b(?:over|for|during|across|spanning|in)\s+(?:the\s+)?"
                                                         r"(?:course\s+of\s+)?$", text[max(0, d.start - 30):d.start], re.I)
    if not during:
        return None
    p = periods[0]
    # "over 12 years, between 2003 and 2015": "over" is "during" here, not "more than"
    claim = Fig(d.id, d.kind, d.text, d.value, d.unit, "", d.start, d.end, d.paragraph, d.sentence)
    return Check("span", claim, p.span, [p], f"{_op(p)}: {p.span:g} years")


def _window(by_sentence: dict[int, list[Fig]], f: Fig, after: int, before: int = 1,
            across_paragraphs: bool = False) -> list[Fig]:
    """The figures of ``f``'s sentence and its neighbours (within the same paragraph unless told): a bounded
    window, so each relation is looked for in constant time whatever the length of a paragraph."""
    out = []
    for i in range(f.sentence - before, f.sentence + after + 1):
        out.extend(g for g in by_sentence.get(i, ()) if across_paragraphs or g.paragraph == f.paragraph)
    return out


def _approximation(text: str, a: Fig, window: list[Fig]) -> Check | None:
    """"almost £150,000 … £146,500": an approximate figure against the only exact figure of the same kind and unit
    in the sentences around it, of a size that makes them the same quantity. Reported only where the qualifier
    holds: an approximate figure beside an exact one that it does not match is as often an earlier estimate, or
    another quantity, as an error."""
    near = [f for f in window if f is not a and _same(f, a) and (f.kind != "count" or f.unit == a.unit)]
    if len(near) != 1 or near[0].qualifier or a.value <= 0 or not 0.8 <= near[0].value / a.value <= 1.25:
        return None
    exact = near[0]
    lo, hi = sorted((a, exact), key=lambda f: f.start)
    between = text[lo.end:hi.start]
    if RELATION_WORDS.search(between) or len(between) > 400:
        return None
    if verdict_of(a.value, exact.value, precision(a), a.qualifier) is None:
        return None
    return Check("approximation", a, exact.value, [exact], f"{_op(exact)} against {a.text}")


def _per_unit(text: str, rate: Fig, sentence: list[Fig], word: str) -> Check | None:
    """"£1.2m on 400 new homes, or £3,000 per home": the only other sum of the sentence over the only count of
    the thing named after "per"."""
    w = word.lower()
    if w.startswith(TIME_WORDS):
        return None  # "£5m a year" is a rate over time, not a share of a sum
    sums = [f for f in sentence if f is not rate and _same(f, rate)]
    counts = [f for f in sentence if f.kind == "count" and f.unit and f.unit.split()[-1].rstrip("s") == w.rstrip("s")]
    if len(sums) != 1 or len(counts) != 1 or counts[0].value <= 0 or sums[0].start > rate.start:
        return None
    total, n = sums[0], counts[0]
    computed = total.value / n.value
    return Check("per_unit", rate, computed, [total, n], f"{_op(total)} ÷ {_op(n)} = {_fmt(computed, rate)}")


def _parts(text: str, whole: Fig, window: list[Fig]) -> Check | None:
    """"87 … of the 152 councils …, while 61 spent less. Four did not reply": counts that add up to a whole.
    Parts that fall short are usually a list left incomplete, so only a sum equal to the whole is reported, unless
    the wording closes the list ("the remaining 12")."""
    parts = [f for f in window if f is not whole and f.kind == "count" and f.unit != "age_years"
             and 0 < f.value < whole.value and (not f.unit or f.unit == whole.unit or not f.unit.endswith("s"))]
    if len(parts) < 2 or any(f.qualifier for f in parts + [whole]):
        return None
    computed = sum(f.value for f in parts)
    closed = any(EXHAUSTIVE.search(text[max(0, f.start - 20):f.start]) for f in parts)
    if computed != whole.value and not closed:
        return None
    return Check("parts", whole, computed, parts, " + ".join(_op(f) for f in parts) + f" = {_fmt(computed, whole)}")


SHARE_OF = re.compile(r"^\s+of\s+(?:the|its|their|his|her|a|an)\s+(?P<adj>(?:total|overall|whole|entire|annual|"
                      r"yearly|original|full)\s+)?(?P<noun>[a-z]+)\b", re.I)
SHARE_SUBJECT = re.compile(r"\b(?:the|this|that|its|their)\s+(?P<noun>overspend|underspend|shortfall|gap|deficit|"
                           r"surplus|cut|increase|savings?|difference)\b[^.;]{0,60}$", re.I)


def _share_of_named(text: str, n: Fig, sentence: list[Fig], window: list[Fig]) -> Check | None:
    """"The overspend would represent three per cent of the total budget": a percentage of two sums the text
    names in nearby sentences of the paragraph, each found by its noun ("an overspend of £2.1m", "a budget of
    £70m"), the only sum so named."""
    of = SHARE_OF.match(text[n.end:n.end + 60])
    subject = SHARE_SUBJECT.search(text[max(0, n.start - 120):n.start])
    if not of or not subject or any(f.kind == "money" for f in sentence) or n.unit != "%":
        return None

    def named(noun: str) -> Fig | None:
        noun = noun.lower().rstrip("s")
        def near(f: Fig) -> str:  # the words around the sum, within its own clause
            left = re.search(r"[^.;:]{0,30}$", text[max(0, f.start - 30):f.start]).group(0)
            right = re.match(r"[^.;:]{0,30}", text[f.end:f.end + 30]).group(0)
            return f"{left} {right}"

        hits = [f for f in window if f.kind == "money" and f.sentence < n.sentence
                and re.search(rf"\b{noun}s?\b", near(f), re.I)]
        return hits[0] if len(hits) == 1 else None

    part, whole = named(subject.group("noun")), named(of.group("noun"))
    if part is None or whole is None or part is whole or not _same(part, whole) or whole.value <= part.value:
        return None
    computed = part.value / whole.value * 100
    return Check("share", n, computed, [part, whole], f"{_op(part)} ÷ {_op(whole)} = {computed:.1f}%")
