"""Numbers written in digits or in words ("twenty-one", "a dozen", "three hundred", "half a billion")."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
SPECIAL = {"dozen": 12, "score": 20, "half": 0.5, "a": 1, "an": 1}

_unit = "|".join(sorted(UNITS, key=len, reverse=True))
_tens = "|".join(TENS)
_scale = "|".join(SCALES)
_cardinal = rf"(?:(?:{_tens})(?:[-\s](?:{_unit}))?|(?:{_unit}))"
# "twenty-one", "three hundred", "one hundred and twenty", "a dozen", "a hundred", "half a billion", "two million"
NUMBER_WORDS = (
    rf"(?:half\s+an?\s+(?:{_scale})"
    rf"|an?\s+(?:dozen|hundred|thousand|million|billion)"
    rf"|{_cardinal}(?:\s+(?:{_scale})(?:\s+(?:and\s+)?{_cardinal})?)*(?:\s+dozen)?)"
)
DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
NUMBER = rf"(?:{DIGITS}|\b{NUMBER_WORDS}\b)"


def parse_number(s: str) -> float:
    """Parse digits ("1,200.5") or number words ("twenty-one", "a dozen", "half a billion")."""
    t = s.strip().lower().replace(",", "")
    try:
        return float(t)
    except ValueError:
        pass
    words = [w for w in re.split(r"[\s-]+", t) if w and w != "and"]
    total = 0.0
    current = 0.0
    seen = False
    prev = ""
    for w in words:
        if w in ("a", "an") and prev == "half":
            prev = w
            continue
        prev = w
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in ("a", "an"):
            current += 1
        elif w == "half":
            current += 0.5
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "score":
            current = (current or 1) * 20
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            raise ValueError(f"not a number: {s!r}")
        seen = True
    if not seen:
        raise ValueError(f"not a number: {s!r}")
    return total + current


def clean_value(v: float) -> float | int:
    """Whole numbers as int (so 24000000 prints as such), others rounded to 6 places."""
    if v is None:
        return None
    r = round(v, 6)
    return int(r) if float(r).is_integer() else r
