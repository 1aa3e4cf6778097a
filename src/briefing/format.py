"""Formatting numbers for readers: £48m, £1.75m, £350,000, 73.1%."""

from __future__ import annotations

import math

SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥"}


def money(value: float, currency: str = "GBP", digits: int | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sym = SYMBOLS.get(currency, "")
    suffix = "" if sym else f" {currency}"
    a = abs(value)
    sign = "-" if value < 0 else ""
    if a >= 1e9:
        s = f"{_trim(a / 1e9, digits)}bn"
    elif a >= 1e6:
        s = f"{_trim(a / 1e6, digits)}m"
    elif a >= 1e4:
        s = f"{a:,.0f}"
    else:
        s = f"{a:,.2f}".rstrip("0").rstrip(".") if a % 1 else f"{a:,.0f}"
    return f"{sign}{sym}{s}{suffix}"


def _trim(x: float, digits: int | None) -> str:
    if digits is not None:
        return f"{x:.{digits}f}"
    s = f"{x:.2f}"
    return s.rstrip("0").rstrip(".")


def pct(value: float, digits: int = 1, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:+.{digits}f}%" if signed else f"{value:.{digits}f}%"


def number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def in_years(value: float) -> str:
    """A length in years as prose says it: "1 year", "104.25 years", "0.5 years"."""
    return f"{number(value)} {'year' if float(value) == 1 else 'years'}"
