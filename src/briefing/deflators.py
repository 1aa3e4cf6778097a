"""Price indices from the reference files as published: HM Treasury's GDP deflator and ONS CPI (D7BT).

Both are returned as a financial-year table: ``financial_year`` ('2006-07'), ``index`` and ``status``
('outturn' or 'forecast'). Financial-year CPI is the mean of the twelve monthly values April-March;
a year with fewer than twelve published months has no value.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from .errors import InputError

DEFLATORS = {
    "gdp": ("hmt_gdp_deflator_fy_2026-03.csv", "HM Treasury GDP deflator at market prices (March 2026), 2024-25 = 100"),
    "cpi": ("ons_cpi_d7bt_2026-03-25.csv", "ONS CPI all items (D7BT, MM23, 25 Mar 2026), 2015 = 100; financial-year means"),
}
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
FY_RE = re.compile(r"^(?P<y>(?:19|20)\d\d)-(?P<y2>\d\d)$")


def short_name(name: str) -> str:
    """The deflator as a finding names it: "GDP deflator" or "CPI"."""
    return "GDP deflator" if name == "gdp" else "CPI"


def fy_label(first_year: int) -> str:
    return f"{first_year}-{(first_year + 1) % 100:02d}"


def fy_first_year(label: str) -> int:
    m = FY_RE.match(str(label).strip())
    if not m or (int(m.group("y")) + 1) % 100 != int(m.group("y2")):
        raise ValueError(f"not a financial year like 2024-25: {label!r}")
    return int(m.group("y"))


def _frame(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["financial_year", "index", "status"])


def gdp_rows(path: str | Path) -> list[tuple[str, float, str]]:
    """HM Treasury's GDP deflator as (financial_year, index, status) rows; pandas-free so checks stay fast."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            table = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read the GDP deflator ({exc})") from None
    need = ["financial_year", "gdp_deflator", "status"]
    if not table or table[0] != need:
        raise InputError(f"{path}: expected columns {', '.join(need)}, found {', '.join(table[0]) if table else 'nothing'}")
    if len(table) < 2:
        raise InputError(f"{path}: the GDP deflator file has no rows")
    rows = []
    for line, cells in enumerate(table[1:], 2):
        if len(cells) != 3:
            raise InputError(f"{path}, line {line}: expected 3 fields, found {len(cells)}")
        r = dict(zip(need, cells))
        try:
            fy_first_year(r["financial_year"])
        except ValueError as exc:
            raise InputError(f"{path}, line {line}: {exc}") from None
        try:
            value = float(r["gdp_deflator"])
        except ValueError:
            raise InputError(f"{path}, line {line}: gdp_deflator {r['gdp_deflator']!r} is not a number") from None
        if r["status"] not in ("outturn", "forecast"):
            raise InputError(f"{path}, line {line}: status must be outturn or forecast, not {r['status']!r}")
        rows.append((r["financial_year"], value, r["status"]))
    years = [fy_first_year(r[0]) for r in rows]
    if years != list(range(years[0], years[0] + len(years))):
        raise InputError(f"{path}: financial years are not consecutive (a row is missing or out of order)")
    return rows


def read_gdp_deflator(path: str | Path):
    return _frame(gdp_rows(path))


def read_ons_series(path: str | Path):
    """An ONS time-series CSV: (header fields, monthly rows with columns year, month, value)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the ONS series ({exc})") from None
    header: dict[str, str] = {}
    monthly = []
    for n, row in enumerate(rows, 1):
        if not row or not any(c.strip() for c in row):
            continue
        key = row[0].strip()
        val = row[1].strip() if len(row) > 1 else ""
        if re.fullmatch(r"\d{4}", key) or re.fullmatch(r"\d{4} Q[1-4]", key):
            _num(path, n, val)
            continue
        m = re.fullmatch(r"(\d{4}) ([A-Z]{3})", key)
        if m:
            if m.group(2) not in MONTHS:
                raise InputError(f"{path}, line {n}: unknown month {m.group(2)!r}")
            monthly.append((int(m.group(1)), MONTHS.index(m.group(2)) + 1, _num(path, n, val)))
            continue
        if monthly:
            raise InputError(f"{path}, line {n}: unexpected row {key!r} among the data rows")
        header[key] = val
    for k in ("Title", "CDID"):
        if k not in header:
            raise InputError(f"{path}: not an ONS time-series CSV (no {k!r} row in the header block)")
    if not monthly:
        raise InputError(f"{path}: no monthly rows (is the file truncated?)")
    # months must be consecutive: a gap means a damaged file
    order = [y * 12 + m for y, m, _ in monthly]
    if any(b - a != 1 for a, b in zip(order, order[1:])):
        raise InputError(f"{path}: monthly rows are not consecutive (a month is missing or repeated)")
    return header, monthly


def _num(path: Path, line: int, s: str) -> float:
    try:
        return float(s)
    except ValueError:
        raise InputError(f"{path}, line {line}: value {s!r} is not a number") from None


def cpi_fy_rows(path: str | Path) -> list[tuple[str, float, str]]:
    """Financial-year CPI: the mean of April-March monthly values, for years with all twelve months."""
    _, monthly = read_ons_series(path)
    sums: dict[int, list[float]] = {}
    for y, m, v in monthly:
        sums.setdefault(y if m >= 4 else y - 1, []).append(v)
    return [(fy_label(fy), round(sum(v) / 12, 6), "outturn") for fy, v in sorted(sums.items()) if len(v) == 12]


def read_cpi_fy(path: str | Path):
    return _frame(cpi_fy_rows(path))


def deflator_rows(name: str, reference_dir: str | Path) -> list[tuple[str, float, str]]:
    if name not in DEFLATORS:
        raise InputError(f"deflator: unknown value {name!r}; choose one of {', '.join(DEFLATORS)}")
    path = Path(reference_dir) / DEFLATORS[name][0]
    if not path.is_file():
        raise InputError(f"deflator: reference file {path} not found")
    return gdp_rows(path) if name == "gdp" else cpi_fy_rows(path)


def deflator_file(name: str, reference_dir: str | Path) -> Path:
    return Path(reference_dir) / DEFLATORS[name][0]


def load_deflator(name: str, reference_dir: str | Path):
    """The deflator as a DataFrame: financial_year, index, status."""
    return _frame(deflator_rows(name, reference_dir))


def _rows_of(series) -> list[tuple[str, float, str]]:
    if isinstance(series, list):
        return series
    return list(zip(series["financial_year"], series["index"], series["status"]))


def default_base_year(series) -> str:
    """The latest outturn financial year of a series (rows or DataFrame)."""
    return str([fy for fy, _, st in _rows_of(series) if st == "outturn"][-1])


def check_base_year(series, base_year: str, name: str) -> str:
    rows = _rows_of(series)
    if not base_year:
        return default_base_year(rows)
    if base_year not in {fy for fy, _, _ in rows}:
        first, last = rows[0][0], rows[-1][0]
        raise InputError(f"base_year: {base_year!r} is not in the {name} series; choose a financial year "
                         f"from {first} to {last} (written like 2024-25)")
    return base_year
