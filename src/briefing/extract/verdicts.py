"""Verdicts on the article's arithmetic: the precision a figure is written with, whether a computed value
matches the claim (exactly, within rounding, under a qualifier or under one standard misprint), and the plain
sentence that says so. The relations themselves are found in ``relations``."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..format import SYMBOLS
from .figures import MULT_VALUES

CONSISTENT, ROUNDING, TYPO, INCONSISTENT = "consistent", "within_rounding", "likely_typo", "inconsistent"
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
    if c.relation == "parts":
        p = 1.0  # a whole counted from its parts is exact: "50 councils" asked is not "about 50"
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



# --- writing figures ---------------------------------------------------------------------------------------

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
    if c.relation == "approximation":  # judged only when it holds
        return f"The article gives the exact figure, {_op(c.operands[0])}, and rounds it as {f.text}: they agree."
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
