"""The briefing's Funding section: what notebook 02 found, in the order a reader needs it.

A series of the same quantity over years (cash and real terms, growth); spend against budget per body, with the
article's own statement of the difference checked; every sum of money with its year, role and real-terms value;
sums per unit. "No years" is said only when no sum has one.
"""

from __future__ import annotations

import pandas as pd

from .format import money, pct
from .report import Briefing, cited, e, figure_html, listed, section, table_html
from .stages import load_chart

ROLE_WORDS = {"budget": "budget", "spend": "spend", "overspend": "overspend", "underspend": "underspend",
              "gap": "funding gap", "cut": "cut", "increase": "increase", "grant": "grant", "saving": "saving"}


def funding_section(b: Briefing) -> str:
    f = b.funding
    if not f:
        return ""
    sums = f.get("sums", pd.DataFrame())
    # a series' sums are in its own cash-and-real table; beside a series, a sum per unit is read against the
    # series (its share of the latest figure) in the per-unit table, not again here
    shown = set(f["series"].get("figure_id", []))
    if f["growth"]:
        shown |= set(f["per_unit"].get("figure_id", []))
    dated = sums[(sums["year"].astype(str) != "") & ~sums["figure_id"].isin(shown)] if not sums.empty else sums
    comps = f.get("budget", pd.DataFrame())
    if not f["growth"] and f["per_unit"].empty and dated.empty and comps.empty:
        figs = b.tables["figures"]
        money_figs = figs[figs["kind"] == "money"]
        if money_figs.empty:
            return ""  # listed in absent_section
        items, more = listed(money_figs, lambda r: f"<li>{cited(b, r['figure_id'])}</li>", "sums", "figures.csv")
        return section("funding", "Funding", "<p>The article's sums of money come without the years needed to put "
                       "them in real terms:</p><ul>" + "".join(items) + "</ul>" + more)
    body = _series(b) + _budget(b, comps) + _sums(b, dated) + _per_unit(b)
    return section("funding", "Funding", body)


def _finding(b: Briefing, fid: str) -> str:
    return next((x["text"] for x in b.funding_findings["findings"] if x["id"] == fid), "")


def _series(b: Briefing) -> str:
    f, ff = b.funding, b.funding_findings
    body = ""
    for g in f["growth"]:
        t = f["series"][f["series"]["series_id"] == g["series_id"]]
        lede = _finding(b, g["series_id"] + "-real")
        body += f'<p class="lede">{e(lede)}</p>' if lede else ""
        body += figure_html(load_chart(f["dir"], f"chart-{g['series_id']}"), f"fig-{g['series_id']}")
        rows = [[e(r["financial_year"]), cited(b, r["figure_id"]), e(money(r["real"], g["currency"], 2)),
                 e(f"{r['deflator']:.4f}" if r["deflator"] == r["deflator"] else "–"),
                 e(r["deflator_status"])] for _, r in t.iterrows()]
        body += table_html(f"{g['label']} in cash and real terms ({ff['base_year']} prices; {ff['deflator_source']})",
                           ["Financial year", "Cash", f"Real ({ff['base_year']} prices)", "Deflator", "Status"], rows,
                           "funding")
        body += table_html("Growth over the period", ["Measure", "Cash", "Real terms"], [
            ["Change", e(money(g["nominal_change"], g["currency"], 2)), e(money(g["real_change"], g["currency"], 2))],
            ["Ratio", e(f"{g['nominal_ratio']:.2f}×"), e(f"{g['real_ratio']:.2f}×")],
            ["Change, %", e(pct(g["nominal_pct"])), e(pct(g["real_pct"]))],
            [f"Growth a year over {int(g['years'])} years", e(pct(g["nominal_cagr_pct"])), e(pct(g["real_cagr_pct"]))],
        ], "growth")
    return body


def _budget(b: Briefing, comps: pd.DataFrame) -> str:
    if comps.empty:
        return ""
    found = [x["text"] for x in b.funding_findings["findings"] if x["id"].endswith("-budget")]
    body = "".join(f'<p class="lede">{e(t)}</p>' for t in found[:3])
    body += figure_html(load_chart(b.funding["dir"], "chart-budget"), "fig-budget")

    def row(c) -> list:
        who = c["entity"] or "Not named in the article"
        stated = cited(b, c["stated_id"]) + f" ({e(c['stated_verdict'].replace('_', ' '))})" if c["stated_id"] else "–"
        return [e(who[0].upper() + who[1:]), e(c["year"] or "–"), cited(b, c["budget_id"]),
                cited(b, c["spend_id"]) + (" (projected)" if c["spend_kind"] == "projected" else ""),
                e(("+" if c["difference"] > 0 else "") + money(c["difference"], c["currency"])),
                e(pct(c["pct_of_budget"], signed=True)), stated]

    rows, more = listed(comps, row, "comparisons", "funding/budget.csv")
    return body + table_html("Spend against budget, as the article reports them (source: the article)",
                             ["Body", "Year", "Budget", "Spend", "Difference", "% of budget", "Article says"],
                             rows, "budget") + more


def _sums(b: Briefing, dated: pd.DataFrame) -> str:
    if dated.empty:
        return ""
    ff = b.funding_findings

    def row(s) -> list:
        note = "" if s["year_basis"] == "financial" else f"calendar year, deflated as {s['deflated_as']}"
        if s["deflator_status"] and s["deflator_status"] != "outturn":
            note = "; ".join(x for x in (note, str(s["deflator_status"])) if x)
        return [cited(b, s["figure_id"]), e(ROLE_WORDS.get(s["role"], "–")), e(s["year"]),
                e(money(s["real"], s["currency"], 2)), e(note or "–")]

    rows, more = listed(dated, row, "sums", "funding/sums.csv")
    undated = int((b.funding["sums"]["year"].astype(str) == "").sum())
    tail = (f"<p>{undated} other {'sum has' if undated == 1 else 'sums have'} no year in the article and "
            f"{'is' if undated == 1 else 'are'} not put in real terms.</p>") if undated else ""
    return table_html(f"Other sums with a year, in {ff['base_year']} prices ({ff['deflator_source']})"
                      if b.funding["growth"] else f"Every sum with a year, in {ff['base_year']} prices "
                                                  f"({ff['deflator_source']})",
                      ["Sum", "What it is", "Year", f"Real ({ff['base_year']} prices)", "Note"], rows,
                      "sums") + more + tail


def _per_unit(b: Briefing) -> str:
    f = b.funding
    if f["per_unit"].empty:
        return ""
    rows, more = listed(f["per_unit"], lambda u: [
        cited(b, u["figure_id"]), cited(b, u["count_id"]), e(f"{money(u['per_unit'], u['currency'])} a {u['per']}"),
        e(pct(u["share_pct"]) + f" of {u['share_of']}" if u["share_of"] else "–")], "sums per unit",
        "funding/per_unit.csv")
    return table_html("Sums per unit (from the article's own figures)", ["Sum", "For", "Per unit", "Share of latest budget"],
                      rows, "per-unit") + more
