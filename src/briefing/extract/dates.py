"""Absolute and relative dates, resolved against the publication date when it is known."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .spans import Spans

MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_NAMES.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTH_NAMES["sept"] = 9
DAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_month = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_year = r"(?P<year>(?:1[89]|20)\d\d)"
_dayname = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"


@dataclass
class DateMention:
    start: int
    end: int
    date: str        # ISO: YYYY-MM-DD, YYYY-MM or YYYY ('' when it cannot be resolved)
    precision: str   # day, week, month, year
    relative: bool


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if d:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if m:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}"


def find_dates(text: str, published: dt.date | None, exclude: list[tuple[int, int]] = ()) -> list[DateMention]:
    taken = Spans(exclude)
    out: list[DateMention] = []

    def add(s: int, e: int, date: str, precision: str, relative: bool) -> None:
        if not taken.free(s, e):
            return
        taken.take(s, e)
        out.append(DateMention(s, e, date, precision, relative))

    f = re.IGNORECASE
    # absolute: "Tuesday 7 January 2014", "3 March 2015", "March 3, 2015", "2014-01-13", "March 2011"
    for m in re.finditer(rf"\b(?:{_dayname},?\s+)?{_day}\s+{_month},?\s+{_year}\b", text):
        _add_valid(add, m, int(m.group("year")), MONTH_NAMES[m.group("month").lower().rstrip(".")], int(m.group("day")))
    for m in re.finditer(rf"\b(?:{_dayname},?\s+)?{_month}\s+{_day},?\s+{_year}\b", text):
        _add_valid(add, m, int(m.group("year")), MONTH_NAMES[m.group("month").lower().rstrip(".")], int(m.group("day")))
    for m in re.finditer(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", text):
        _add_valid(add, m, int(m.group("year")), int(m.group("m")), int(m.group("d")))
    for m in re.finditer(rf"\b{_month}\s+{_year}\b", text):
        add(m.start(), m.end(), _iso(int(m.group("year")), MONTH_NAMES[m.group("month").lower().rstrip(".")]), "month", False)
    # relative to publication
    pub = published
    rel_patterns = [
        (r"\bthis\s+week\s+last\s+year\b", lambda m: (pub - dt.timedelta(weeks=52), "week")),
        (r"\blast\s+year\b", lambda m: (dt.date(pub.year - 1, 1, 1), "year")),
        (r"\b(?:later\s+|earlier\s+)?this\s+year\b", lambda m: (dt.date(pub.year, 1, 1), "year")),
        (r"\bnext\s+year\b", lambda m: (dt.date(pub.year + 1, 1, 1), "year")),
        (r"\blast\s+month\b", lambda m: (_add_months(pub, -1), "month")),
        (r"\b(?:later\s+|earlier\s+)?this\s+month\b", lambda m: (pub, "month")),
        (r"\bnext\s+month\b", lambda m: (_add_months(pub, 1), "month")),
        (r"\blast\s+week\b", lambda m: (pub - dt.timedelta(weeks=1), "week")),
        (r"\bthis\s+week\b", lambda m: (pub, "week")),
        (r"\bnext\s+week\b", lambda m: (pub + dt.timedelta(weeks=1), "week")),
        (r"\byesterday\b", lambda m: (pub - dt.timedelta(days=1), "day")),
        (r"\btoday\b", lambda m: (pub, "day")),
        (r"\btomorrow\b", lambda m: (pub + dt.timedelta(days=1), "day")),
        (rf"\blast\s+{_dayname}\b", lambda m: (_weekday_before(pub, DAYS[m.group('wd').lower()], strict=True), "day")),
        (rf"\bnext\s+{_dayname}\b", lambda m: (_weekday_after(pub, DAYS[m.group('wd').lower()]), "day")),
        (rf"\b(?:on|this)\s+{_dayname}\b", lambda m: (_weekday_before(pub, DAYS[m.group('wd').lower()], strict=False), "day")),
        (rf"\b(?:in|last|since|by|until|from|during|next)\s+{_month}(?!\s+(?:[0-3]?\d|(?:19|20)\d\d))\b",
         lambda m: (_month_near(pub, MONTH_NAMES[m.group("month").lower().rstrip(".")], m.group(0).split()[0].lower()), "month")),
    ]
    for pattern, resolve in rel_patterns:
        for m in re.finditer(pattern, text, f):
            if pub is None:
                add(m.start(), m.end(), "", "", True)
                continue
            d, precision = resolve(m)
            iso = d.isoformat() if precision in ("day", "week") else (_iso(d.year, d.month) if precision == "month" else _iso(d.year))
            add(m.start(), m.end(), iso, precision, True)
    # a year on its own: "in 2019", "since 2010"
    for m in re.finditer(r"(?<![\w/£$€.,-])(?P<year>(?:1[89]|20)\d\d)(?![\w/%-]|[.,]\d)", text):
        add(m.start(), m.end(), m.group("year"), "year", False)
    out.sort(key=lambda d: d.start)
    return out


def _add_valid(add, m, y, mo, d):
    try:
        dt.date(y, mo, d)
    except ValueError:
        return
    add(m.start(), m.end(), _iso(y, mo, d), "day", False)


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


def _weekday_before(d: dt.date, wd: int, strict: bool) -> dt.date:
    delta = (d.weekday() - wd) % 7
    if strict and delta == 0:
        delta = 7
    return d - dt.timedelta(days=delta)


def _weekday_after(d: dt.date, wd: int) -> dt.date:
    delta = (wd - d.weekday()) % 7 or 7
    return d + dt.timedelta(days=delta)


def _month_near(pub: dt.date, month: int, word: str) -> dt.date:
    """'in July' in a January article is last July; 'next March' is the coming one."""
    if word in ("next", "until", "by"):
        return dt.date(pub.year if month > pub.month else pub.year + 1, month, 1)
    return dt.date(pub.year if month <= pub.month else pub.year - 1, month, 1)
