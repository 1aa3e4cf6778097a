"""Money figures in real terms: amounts linked to periods, series, growth rates, per-unit figures.

Everything is driven by the figures table of notebook 01; nothing here knows the seed's wording.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .deflators import DEFLATORS, fy_label, short_name
from .format import money

VERBS = r"\b(?:has|have|had|was|were|is|are|will|would|rose|rises|fell|falls|increased|increases|decreased|grew|grown|" \
        r"went|jumped|dropped|doubled|halved|climbed|reached|stood|totalled|cost|costs)\b"


@dataclass
class Series:
    series_id: str
    label: str
    unit: str
    points: list[dict] = field(default_factory=list)  # each: figure_id, period_id, financial_year, nominal, text, start, end


def money_rows(figures: pd.DataFrame) -> pd.DataFrame:
    return figures[(figures["kind"] == "money") & ~figures["vague"].astype(bool) & figures["value"].notna()]


def _fy_of_period(row) -> str | None:
    """A period figure spanning one year boundary (2006/7, 2006-07, 2006/2007) is a financial year."""
    if pd.isna(row["value_max"]) or int(row["value_max"]) - int(row["value"]) != 1:
        return None
    return fy_label(int(row["value"]))


def link_periods(figures: pd.DataFrame) -> pd.DataFrame:
    """Pair each money figure with the financial year its sentence gives it.

    Within a sentence, amount-period pairs are matched closest first (ties go to the period after the
    amount, as in "£24m in 2006/7"); a pair may not have another amount between them, and each period
    and each amount is used once. "from £24m in 2006/7 to £48m in 2013/14" gives two pairs.

    Figures never overlap, so a period can pair only with the last amount before it and the first after it:
    each sentence costs its figures times log their number (trying every amount with every period, and each
    pair against every amount, was cubic in a sentence of many sums).
    """
    money = money_rows(figures)
    money_recs = money.to_dict("records")
    periods = figures[figures["kind"] == "period"].to_dict("records")
    by_sentence: dict[tuple, list[dict]] = {}
    for p in periods:
        by_sentence.setdefault((p["context"], p["paragraph"]), []).append(p)
    groups: dict[tuple, list[dict]] = {}
    for m in money_recs:
        groups.setdefault((m["context"], m["paragraph"]), []).append(m)
    chosen: dict[str, dict] = {}
    for key, grp in groups.items():
        same = by_sentence.get(key)
        if same is None:
            continue
        grp = sorted(grp, key=lambda m: m["start"])
        starts = [m["start"] for m in grp]
        cands = []
        for p in same:
            i = bisect.bisect_left(starts, p["start"])  # amounts before the period: grp[:i]
            if i > 0 and p["start"] >= grp[i - 1]["end"]:
                m = grp[i - 1]
                cands.append((p["start"] - m["end"], 0, m["figure_id"], p["figure_id"], p))
            j = bisect.bisect_left(starts, p["end"])  # the first amount after it
            if j < len(grp) and p["start"] < grp[j]["end"]:
                m = grp[j]
                cands.append((m["start"] - p["end"], 1, m["figure_id"], p["figure_id"], p))
        used_p: set[str] = set()
        for _, _, mid, pid, p in sorted(cands, key=lambda c: (c[0], c[1], c[2], c[3])):
            if mid in chosen or pid in used_p:
                continue
            chosen[mid] = p
            used_p.add(pid)
    rows = []
    for m in money_recs:
        p = chosen.get(m["figure_id"])
        fy = _fy_of_period(p) if p is not None else None
        rows.append({
            "figure_id": m["figure_id"], "text": m["text"], "nominal": float(m["value"]), "unit": m["unit"],
            "start": int(m["start"]), "end": int(m["end"]), "period_id": p["figure_id"] if p is not None else "",
            "period_text": p["text"] if p is not None else "", "financial_year": fy or "",
            "context": m["context"], "paragraph": int(m["paragraph"]),
        })
    return pd.DataFrame(rows, columns=["figure_id", "text", "nominal", "unit", "start", "end", "period_id",
                                       "period_text", "financial_year", "context", "paragraph"])


def find_series(links: pd.DataFrame) -> list[Series]:
    """The same quantity at two or more periods: amounts in one sentence, same currency, distinct years."""
    out = []
    groups: dict[tuple, list[dict]] = {}
    for r in links[links["financial_year"] != ""].to_dict("records"):  # plain rows: a groupby of thousands of
        groups.setdefault((r["context"], r["unit"]), []).append(r)     # sentences cost a millisecond a group
    for (ctx, unit), grp in groups.items():
        if len({r["financial_year"] for r in grp}) < 2:
            continue
        # the order pandas' sort_values gives (numpy's quicksort), which this module always used
        order = np.array([r["financial_year"] for r in grp], dtype=object).argsort(kind="quicksort")
        grp = [grp[i] for i in order]
        first = min(grp, key=lambda r: r["start"])
        label = _label(ctx, ctx.find(first["text"]))  # the sentence up to its first sum
        s = Series(f"S{len(out) + 1}", label, unit)
        for r in grp:
            s.points.append({"figure_id": r["figure_id"], "period_id": r["period_id"], "financial_year": r["financial_year"],
                             "nominal": r["nominal"], "text": r["text"], "period_text": r["period_text"],
                             "start": r["start"], "end": r["end"]})
        out.append(s)
    return out


def _label(ctx: str, upto: int) -> str:
    """The quantity a series measures: the sentence up to its verb ("The budget for children's services ...")."""
    head = ctx[:max(upto, 0)]
    m = re.search(VERBS, head)
    label = head[:m.start()] if m else head
    label = re.sub(r"\s+(?:from|of|at|by|to)\s*$", "", label.strip(" ,:;-–"))
    return label.strip() or "Amount"


def deflator_lookup(deflator: pd.DataFrame) -> dict[str, tuple[float, str]]:
    """financial year -> (index, status), made once: a lookup per sum in the DataFrame cost more than the rest."""
    return {str(fy): (float(i), str(st)) for fy, i, st in
            zip(deflator["financial_year"], deflator["index"], deflator["status"])}


def analyse_series(series: Series, deflator: pd.DataFrame, base_year: str,
                   lookup: dict[str, tuple[float, str]] | None = None) -> pd.DataFrame:
    """The series' points in cash and real terms; ``lookup`` is :func:`deflator_lookup` of ``deflator``, when the
    caller has it already."""
    idx = deflator_lookup(deflator) if lookup is None else lookup
    base = idx[base_year][0]
    rows = []
    for p in series.points:
        fy = p["financial_year"]
        if fy in idx:
            d, status = idx[fy]
            real = p["nominal"] * base / d
        else:
            d, real, status = float("nan"), float("nan"), "outside the deflator's range"
        rows.append({"series_id": series.series_id, "financial_year": fy, "period_text": p["period_text"],
                     "figure_id": p["figure_id"], "text": p["text"], "start": p["start"], "end": p["end"],
                     "nominal": p["nominal"], "deflator": d, "real": real, "deflator_status": status})
    return pd.DataFrame(rows)


def growth(table: pd.DataFrame) -> dict:
    """Change from the first to the last point: absolute, ratio, %, CAGR nominal and real."""
    cols = ("financial_year", "nominal", "real")
    first = {c: table[c].iat[0] for c in cols}  # the values iloc gives, without a Series of the whole row
    last = {c: table[c].iat[-1] for c in cols}
    years = int(last["financial_year"][:4]) - int(first["financial_year"][:4])
    out = {"from": first["financial_year"], "to": last["financial_year"], "years": years,
           "nominal_change": last["nominal"] - first["nominal"], "nominal_ratio": last["nominal"] / first["nominal"],
           "real_change": last["real"] - first["real"], "real_ratio": last["real"] / first["real"]}
    out["nominal_pct"] = (out["nominal_ratio"] - 1) * 100
    out["real_pct"] = (out["real_ratio"] - 1) * 100
    out["nominal_cagr_pct"] = (out["nominal_ratio"] ** (1 / years) - 1) * 100 if years > 0 else float("nan")
    out["real_cagr_pct"] = (out["real_ratio"] ** (1 / years) - 1) * 100 if years > 0 and out["real_ratio"] == out["real_ratio"] else float("nan")
    return out


def per_unit(figures: pd.DataFrame, series: list[Series]) -> pd.DataFrame:
    """A sum with a count of things in the same sentence after it ("£7m plans to build four new homes")."""
    money = money_rows(figures)
    counts = figures[(figures["kind"] == "count") & figures["value"].notna() & (figures["unit"] != "")
                     & (figures["unit"] != "age_years")]
    latest = None
    if series:
        pts = [p for s in series for p in s.points]
        latest = max(pts, key=lambda p: p["financial_year"])
    in_series = {p["figure_id"] for s in series for p in s.points}
    latest_unit = figures.set_index("figure_id").loc[latest["figure_id"], "unit"] if latest is not None else None
    counts_by_sentence: dict[tuple, list[dict]] = {}
    for c in counts.to_dict("records"):  # plain rows, not a Series made of every sum
        counts_by_sentence.setdefault((c["context"], c["paragraph"]), []).append(c)
    starts_by_sentence = {}
    for key, grp in counts_by_sentence.items():
        grp.sort(key=lambda c: c["start"])  # figures never share a start: any sort gives this order
        starts_by_sentence[key] = [c["start"] for c in grp]
    rows = []
    for m in money.to_dict("records"):
        if m["figure_id"] in in_series:
            continue
        c = counts_by_sentence.get((m["context"], m["paragraph"]))
        if c is None:
            continue
        i = bisect.bisect_right(starts_by_sentence[(m["context"], m["paragraph"])], m["end"])  # the first count after
        if i == len(c) or c[i]["start"] - m["end"] >= 60 or float(c[i]["value"]) <= 0:
            continue
        c = c[i]
        unit = c["unit"]
        row = {"figure_id": m["figure_id"], "text": m["text"], "amount": float(m["value"]), "currency": m["unit"],
               "count_id": c["figure_id"], "count_text": c["text"], "count": float(c["value"]), "per": _singular(unit),
               "per_unit": float(m["value"]) / float(c["value"]), "share_of": "", "share_of_id": "", "share_pct": float("nan")}
        if latest is not None and m["unit"] == latest_unit:
            row.update(share_of=latest["text"], share_of_id=latest["figure_id"],
                       share_pct=float(m["value"]) / latest["nominal"] * 100)
        rows.append(row)
    return pd.DataFrame(rows, columns=["figure_id", "text", "amount", "currency", "count_id", "count_text", "count", "per",
                                       "per_unit", "share_of", "share_of_id", "share_pct"])


def _singular(unit: str) -> str:
    last = unit.split()[-1] if unit else unit
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return " ".join(unit.split()[:-1] + [last]) if unit else unit


def findings(series_tables: list[tuple[Series, pd.DataFrame, dict]], units: pd.DataFrame, deflator: str,
             base_year: str) -> list[dict]:
    """Short statements generated from the numbers, for the briefing."""
    out = []
    dname = short_name(deflator)
    for s, t, g in series_tables:
        if g["real_ratio"] != g["real_ratio"]:
            continue
        out.append({
            "id": f"{s.series_id}-real",
            "text": (f"{s.label}: {money(t.iloc[0]['nominal'], s.unit)} in {g['from']} to {money(t.iloc[-1]['nominal'], s.unit)} "
                     f"in {g['to']} is a {g['nominal_pct']:.0f}% rise in cash terms but {g['real_pct']:.0f}% after inflation "
                     f"({dname}, {base_year} prices): {g['real_cagr_pct']:.1f}% a year in real terms over {g['years']} years."),
            "value": round(g["real_pct"], 1), "figure_ids": [p["figure_id"] for p in s.points],
            "source": DEFLATORS[deflator][1],
        })
    for _, u in units.iterrows():
        share = f", {u['share_pct']:.1f}% of the {u['share_of']} figure" if u["share_of"] else ""
        out.append({
            "id": f"{u['figure_id']}-per-unit",
            "text": f"{u['text']} for {u['count_text']} is {money(u['per_unit'], u['currency'])} a {u['per']}{share}.",
            "value": u["per_unit"], "figure_ids": [u["figure_id"], u["count_id"]] + ([u["share_of_id"]] if u["share_of_id"] else []),
            "source": "the article",
        })
    return out
