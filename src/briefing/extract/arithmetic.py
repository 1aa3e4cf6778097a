"""The article's own arithmetic: figures its sentences relate to each other, and whether the relation holds.

A relation is looked for only where the wording states it and names every operand in the same sentence (or, for
a difference, the same paragraph): "spent £4.512bn …, compared with a budget figure of £4.187bn, surpassing their
budgets by £325m" (difference), "… a total of £6m" (total), "87 – 57 per cent – of the 152 councils" (share),
"rose almost 80 per cent …, to more than 92,000 …, compared with 51,300" (change), "over 12 years … between 2003
and 2015" (span of years). Operands agree in kind and unit: never money against people.

Verdicts, for the claimed figure against the computed one:

- ``consistent``: equal;
- ``within_rounding``: equal once the computed value is rounded or truncated to the precision the claim is
  written with ("£325m" to the million, "£2.1m" to the hundred thousand, "80 per cent" to ten), or a qualifier the
  claim carries holds ("almost 80 per cent" of 79.3, "more than 92,000");
- ``likely_typo``: inconsistent as printed but consistent under one standard misprint, named: a thousands
  separator for a decimal point ("£15,160m" for £15.160m), m for bn or bn for m, a dropped or an extra zero;
- ``inconsistent``: none of these.

Caution first: a relation whose operands are not unambiguous gives no check; a false "inconsistent" is the worst
thing this module could print.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from ..format import SYMBOLS
from .figures import MULT_VALUES

CONSISTENT, ROUNDING, TYPO, INCONSISTENT = "consistent", "within_rounding", "likely_typo", "inconsistent"
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
ALMOST = ("almost", "nearly", "just under", "close to")
ABOUT = ("about", "around", "approximately", "roughly", "some", "an estimated")
MORE = ("more than", "over", "at least", "in excess of", "upwards of", "just over", "well over")
LESS = ("less than", "fewer than", "under", "up to", "as many as", "as much as")


@dataclass
class Fig:
    id: str
    kind: str
    text: str
    value: float
    unit: str
    qualifier: str
    start: int
    end: int
    paragraph: int
    sentence: int
    span: float | None = None  # a period such as "between 2003 and 2015": the years it spans
    after: str = ""            # the characters after it, for a number printed split ("£15, 160m")


@dataclass
class Check:
    relation: str
    claim: Fig
    computed: float
    operands: list[Fig]
    formula: str
    verdict: str = ""
    explanation: str = ""
    reading: str = ""
    extra: dict = field(default_factory=dict)


# --- precision and verdicts ---------------------------------------------------------------------------------

def _number_token(text: str) -> str:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    return m.group(0) if m else ""


def _multiplier(f: Fig) -> float:
    for pattern, mult in ((r"bn|billion", 1e9), (r"m|mn|million", 1e6), (r"k|thousand", 1e3)):
        if re.search(rf"\d\s*(?:{pattern})\b", f.text, re.I):
            return mult
    token = _number_token(f.text)
    if not token:
        return 1.0
    try:
        written = float(token.replace(",", ""))
    except ValueError:
        return 1.0
    return f.value / written if written else 1.0


def precision(f: Fig) -> float:
    """The place value of the last digit the claim is written with, in the claim's own units: "£325m" 1e6,
    "£2.1m" 1e5, "80 per cent" 10 and "£700,000" 1,000 (trailing zeros of a whole number are read as rounding,
    to the ten or the thousand at most), "three" 1."""
    token = _number_token(f.text)
    if not token:
        return 1.0
    mult = _multiplier(f)
    if "." in token:
        return 10 ** -len(token.split(".")[1]) * mult
    if mult != 1:
        return mult  # "£20m": to the million
    digits = token.replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
    # "£700,000" is read to the thousand at most, "80 per cent" to the ten: a round number may be exact
    return 10 ** min(zeros, 3 if "," in token else 1)


def verdict_of(claimed: float, computed: float, p: float, qualifier: str) -> str | None:
    """consistent or within_rounding, or None when neither holds."""
    if computed is None or not math.isfinite(computed):
        return None
    tiny = 1e-9 * max(1.0, abs(claimed), abs(computed))
    if abs(claimed - computed) <= tiny:
        return CONSISTENT
    q = (qualifier or "").lower().strip()
    if q in ALMOST or q.startswith("just under"):
        floor = 0.8 if p >= 0.1 * claimed else 0.9  # "almost trebled" is said of 2.5 times; "almost £150,000" is not £120,000
        return ROUNDING if claimed * floor - tiny <= computed <= claimed + p / 2 + tiny else None
    if q in ABOUT:
        return ROUNDING if abs(computed - claimed) <= max(p, 0.1 * abs(claimed)) + tiny else None
    if q in MORE or q.startswith("more than"):
        return ROUNDING if claimed - p / 2 - tiny <= computed <= claimed * 1.5 + p else None
    if q in LESS:
        return ROUNDING if claimed * 0.5 - p <= computed <= claimed + p / 2 + tiny else None
    if abs(computed - claimed) <= p / 2 + tiny:  # rounded to the written precision
        return ROUNDING
    if claimed - tiny <= abs(computed) < claimed + p - tiny and computed >= 0:  # truncated
        return ROUNDING
    return None


def typo_readings(f: Fig) -> list[tuple[str, float, str]]:
    """Other values the printed claim may have been meant as: (a plain description, the value, what is printed)."""
    out = []
    token = _number_token(f.text)
    mult = _multiplier(f)
    if re.fullmatch(r"\d{1,3},\d{3}", token) and mult >= 1e6:
        value = float(token.replace(",", ".")) * mult
        out.append(("a comma printed for a decimal point", value, f.text))
    if re.search(r"\d\s*(?:m|million)\b", f.text):
        out.append(("m for bn", f.value * 1000, f.text))
    if re.search(r"\d\s*(?:bn|billion)\b", f.text):
        out.append(("bn for m", f.value / 1000, f.text))
    split = re.match(r",?\s(?P<d>\d{3})\s?(?P<m>m|bn|million|billion)\b", f.after)
    if split and f.kind == "money" and re.fullmatch(r"\d{1,3}", token):
        mult = MULT_VALUES[split.group("m")]
        out.append(("a number split in two", float(f"{token}.{split.group('d')}") * mult,
                    f.text + f.after[:split.end()]))
    out.append(("an extra zero", f.value / 10, f.text))
    out.append(("a dropped zero", f.value * 10, f.text))
    return out


def judge(c: Check) -> Check | None:
    """The verdict; None (no check) when the claim does not hold as printed but an operand is itself approximate
    ("more than 92,000"): the text does not give enough to call it wrong."""
    f = c.claim
    p = precision(f) if f.kind != "multiple" else 0.1 * f.value  # "doubled" is said of 1.95 times as well
    v = verdict_of(f.value, c.computed, p, f.qualifier)
    if v is None and c.relation == "span" and f.value == c.computed + 1:
        v = ROUNDING  # "13 years, from 2003 to 2015": both end years counted
    if v is not None:
        c.verdict = v
        return c
    for reading, value, printed in (typo_readings(f) if f.kind != "multiple" else []):
        if verdict_of(value, c.computed, p * value / f.value if f.value else p, "") is not None:
            c.verdict, c.reading = TYPO, reading
            c.extra.update(meant=value, printed=printed)
            return c
    if any(op.qualifier for op in c.operands):
        return None
    c.verdict = INCONSISTENT
    return c


# --- finding relations --------------------------------------------------------------------------------------

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
    by_paragraph: dict[int, list[Fig]] = {}
    for f in figs:
        by_sentence.setdefault(f.sentence, []).append(f)
        by_paragraph.setdefault(f.paragraph, []).append(f)
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
                add(_difference(f, group, by_paragraph[f.paragraph]))
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
    for m in MULTIPLE_RE.finditer(text):
        add(_multiple(text, m, figs, by_sentence))
    checks.sort(key=lambda c: c.claim.start)
    return checks


def _difference(d: Fig, sentence: list[Fig], paragraph: list[Fig]) -> Check | None:
    others = [f for f in sentence if f is not d and _same(f, d)]
    if len(others) == 1:  # the other operand in an earlier sentence of the paragraph
        earlier = [f for f in paragraph if f is not d and _same(f, d) and f.start < d.start and f not in others]
        if len(earlier) == 1 and len([f for f in paragraph if _same(f, d)]) == 3:
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
    return None


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


def _multiple(text: str, m: re.Match, figs: list[Fig], by_sentence: dict) -> Check | None:
    """"doubled from £24m to £48m": the ratio of the two, against the word."""
    starts = [f.start for f in figs]
    i = bisect.bisect_left(starts, m.end())
    if i >= len(figs):
        return None
    sentence = by_sentence[figs[i].sentence]
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


def _op(f: Fig) -> str:
    """An operand as a formula shows it: the figure as printed, without its qualifier or the words counted."""
    if f.kind == "money":
        return re.sub(rf"^(?:{'|'.join(ALMOST + ABOUT + MORE + LESS)})\s+", "", f.text, flags=re.I)
    if f.kind == "duration":
        return f"{f.value:g} {f.unit}"
    if f.kind == "period":
        return f.text
    return f"{f.value:,.0f}" if float(f.value).is_integer() else f"{f.value:,}"


def _fmt(value: float, like: Fig) -> str:
    """``value`` written the way the article writes ``like``: "£15.16m", "£325m", "92,000"."""
    if like.kind == "money":
        sym = SYMBOLS.get(like.unit, "")
        for size, suffix in ((1e9, "bn"), (1e6, "m")):
            if abs(value) >= size:
                return f"{sym}{value / size:,.3f}".rstrip("0").rstrip(".") + suffix
        return f"{sym}{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,.1f}".rstrip("0").rstrip(".")


# --- explanation --------------------------------------------------------------------------------------------

def explain(c: Check) -> str:
    f = c.claim
    if c.verdict == CONSISTENT:
        return f"{c.formula}: as the article says ({f.text})."
    if c.verdict == ROUNDING:
        how = f"with its qualifier “{f.qualifier}”" if f.qualifier else "rounded to the precision it is written with"
        return f"{c.formula}; the article's {f.text} matches {how}."
    if c.verdict == TYPO:
        meant = c.extra["meant"]
        return (f"{c.formula}; the article prints {c.extra['printed']}, which reads as {_fmt(f.value, f)}: most "
                f"likely a typo ({c.reading}) for {_fmt(meant, f)}.")
    return f"{c.formula}, not {f.text} as the article says."


# --- the table ----------------------------------------------------------------------------------------------

def check_rows(text: str, figure_rows: list[dict], sentences: list[tuple[int, int]]) -> list[dict]:
    """Rows of ``checks.csv`` from the rows of ``figures.csv`` (see extract_text)."""
    sentence_starts = [s for s, _ in sentences]
    figs = []
    for r in figure_rows:
        if r["vague"] or r["value"] is None or (r["value_max"] is not None and r["kind"] != "period"):
            continue  # ranges ("between four and 12 years") are not operands
        span = None
        if r["kind"] == "period" and r["value_max"] is not None and re.match(r"(?:between|from)\b", r["text"], re.I):
            span = float(r["value_max"] - r["value"])
        figs.append(Fig(r["figure_id"], r["kind"], r["text"], float(r["value"]), r["unit"], r["qualifier"] or "",
                        r["start"], r["end"], r["paragraph"], bisect.bisect_right(sentence_starts, r["start"]) - 1,
                        span, text[r["end"]:r["end"] + 12]))
    rows = []
    for i, c in enumerate(find_checks(text, figs, sentences)):
        rows.append({
            "check_id": f"C{i + 1:03d}", "relation": c.relation,
            "claim_figure_id": c.claim.id if c.claim.kind != "multiple" else "",
            "claim_text": c.extra.get("printed", c.claim.text), "claim_start": c.claim.start,
            "claim_end": c.claim.start + len(c.extra.get("printed", c.claim.text)),
            "claimed_value": c.claim.value, "computed_value": float(c.computed),
            "operands": ";".join(f.id for f in c.operands), "formula": c.formula, "verdict": c.verdict,
            "explanation": explain(c),
        })
    return rows
