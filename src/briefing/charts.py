"""Charts in the house style: Okabe-Ito colours (colour-blind safe), print-readable type, SVG output.

Each chart is returned as a :class:`Chart` with its SVG text, alt text, caption and source line, so that
the briefing can embed it as an accessible ``<figure>``. SVG output is byte-reproducible: a fixed
hash salt and no creation date.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .chart import HATCH, HATCHED, LESS_CERTAIN, PARTIAL_TOTAL, Chart  # noqa: E402
from .format import money, number  # noqa: E402

# Okabe & Ito (2008), "Color Universal Design"
BLUE, ORANGE, SKY, GREEN, YELLOW, VERMILION, PURPLE, GREY = (
    "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#D55E00", "#CC79A7", "#7f7f7f")
INK = "#1a1a1a"

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,           # charts are drawn at their print width, so 10 pt stays >= 9 pt on paper
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "svg.hashsalt": "briefing",
    "svg.fonttype": "none",  # text stays text: smaller files, faster PDF, selectable and searchable labels
    "figure.dpi": 100,
    # labels are names and titles from articles and case files: "$x^$" is text, never TeX for mathtext to parse
    "text.parse_math": False,
}
STYLE_AXES_TOP, STYLE_AXES_BOTTOM = 0.88, 0.11  # matplotlib's default subplot frame, as a fraction of the figure
WIDTH_IN = 6.3  # A4 text width at 2 cm margins, so sizes in points hold on paper


def _legend_under(ax, handles, **kw) -> None:
    """The legend in one row 0.62 in under the axis, past its label, for a chart with no free corner."""
    height = ax.figure.get_size_inches()[1]
    ax.legend(handles=handles, frameon=False, loc="upper left", ncol=len(handles),
              bbox_to_anchor=(0.0, -0.62 / (height * (STYLE_AXES_TOP - STYLE_AXES_BOTTOM))), **kw)


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "briefing"}, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def funding_chart(table, label: str, currency: str, deflator_name: str, base_year: str, source: str) -> Chart:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.1))
        xs = range(len(table))
        w = 0.38
        nom = ax.bar([x - w / 2 for x in xs], table["nominal"] / 1e6, w, color=SKY, label="Cash (nominal)")
        real = ax.bar([x + w / 2 for x in xs], table["real"] / 1e6, w, color=BLUE, label=f"Real terms, {base_year} prices")
        for bars, col in ((nom, "nominal"), (real, "real")):
            for b, v in zip(bars, table[col]):
                if v == v:
                    ax.annotate(money(v, currency, 1), (b.get_x() + b.get_width() / 2, b.get_height()),
                                ha="center", va="bottom", fontsize=9.5, xytext=(0, 2), textcoords="offset points")
        ax.set_xticks(list(xs), [f"{fy}" for fy in table["financial_year"]])
        ax.set_ylabel(f"{'£' if currency == 'GBP' else currency + ' '}m")
        ax.set_ylim(0, max(table["nominal"].max(), table["real"].max()) / 1e6 * 1.18)
        ax.legend(frameon=False, loc="upper left")
        ax.set_title(f"{label}: cash and real terms", loc="left", fontweight="bold")
        svg = _svg(fig)
    pts = "; ".join(f"{r.financial_year}: {money(r.nominal, currency)} cash, {money(r.real, currency, 1)} in {base_year} prices"
                    for r in table.itertuples())
    return Chart(svg, f"Bar chart: {label}, by financial year, cash and real terms. {pts}.",
                 f"{label}, cash and in real terms at {base_year} prices ({deflator_name}).", source)


def sentences_chart(table, case_name: str, source: str) -> Chart:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.42 * len(table) + 1.0))
        t = table.iloc[::-1]
        colors = [BLUE if s == "life" else ORANGE for s in t["sentence"]]
        bars = ax.barh(t["defendant"], t["years_counted"], color=colors, height=0.62)
        for b, certain in zip(bars, t["certain"]):
            if not certain:
                b.set_hatch(HATCH)
                b.set_edgecolor("white")
                b.set_linewidth(0)
        for b, v in zip(bars, t["years_counted"]):
            ax.annotate(number(v), (b.get_width(), b.get_y() + b.get_height() / 2), va="center", fontsize=9.5,
                        xytext=(3, 0), textcoords="offset points")
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, t["years_counted"].max() * 1.5)  # room at the right for the legend, clear of the bars
        ax.set_xlabel("Years (minimum term for life sentences; full term otherwise)")
        handles = [Patch(color=BLUE, label="Life: minimum term"), Patch(color=ORANGE, label="Fixed term")]
        if not t["certain"].all():
            handles.append(Patch(facecolor="#bbbbbb", hatch=HATCH, edgecolor="white", label=LESS_CERTAIN))
        if len(t) > 3:
            ax.legend(handles=handles, frameon=False, loc="lower right")
        else:  # a short chart has no free corner: the legend goes under it
            _legend_under(ax, handles)
        ax.set_title(f"{case_name}: sentence per defendant", loc="left", fontweight="bold")
        svg = _svg(fig)
    desc = "; ".join(f"{r.defendant}: {r.sentence}, {number(r.years_counted)} years" + ("" if r.certain else " (less certain)")
                     for r in table.itertuples())
    hatched = "" if table["certain"].all() else \
        f" {HATCHED.capitalize()}: figure from one secondary source or wide reporting."
    return Chart(svg, f"Horizontal bar chart of years counted per defendant. {desc}.",
                 f"Years counted per defendant, {case_name}.{hatched}", source)


def comparators_chart(df, highlight: str, source: str) -> Chart:
    """Years of custody per person convicted, one bar per case; bounds and partial totals drawn hatched."""
    d = df[df["total_years"].notna()].copy()
    d = d.sort_values("years_per_convicted")
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.3 * len(d) + 1.2))
        for y, r in enumerate(d.itertuples()):
            colour = VERMILION if r.case == highlight else BLUE
            if r.exact:
                ax.barh(y, r.years_per_convicted, color=colour, height=0.62)
            else:
                ax.barh(y, r.years_per_convicted, facecolor="white", edgecolor=colour, hatch=HATCH, linewidth=1.2,
                        height=0.62)
            label = f"{r.years_per_convicted:.1f}" + ("" if r.exact else " (at least)")
            ax.annotate(label, (r.years_per_convicted, y), va="center", fontsize=9, xytext=(3, 0), textcoords="offset points")
        ax.set_yticks(range(len(d)), [f"{c} ({n})" for c, n in zip(d["case"], d["convicted"])])
        for tick, case in zip(ax.get_yticklabels(), d["case"]):
            if case == highlight:
                tick.set_color(VERMILION)
                tick.set_fontweight("bold")
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, d["years_per_convicted"].max() * 1.3)
        ax.set_xlabel("Years of custody per person convicted (people convicted in brackets)")
        handles = [Patch(color=BLUE, label="Total reported exactly"),
                   Patch(facecolor="white", edgecolor=BLUE, hatch=HATCH, label=PARTIAL_TOTAL)]
        if highlight:
            handles.insert(0, Patch(color=VERMILION, label=highlight))
        ax.legend(handles=handles, frameon=False, loc="lower right")
        ax.set_title("UK group prosecutions: years per person convicted", loc="left", fontweight="bold")
        svg = _svg(fig)
    desc = "; ".join(f"{r.case}: {r.convicted} convicted, {r.total_years:g} years, {r.years_per_convicted:.1f} per person"
                     + ("" if r.exact else " (bound or partial total)") for r in d.itertuples())
    missing = df[df["total_years"].isna()]["case"].tolist()
    extra = f" Not shown (no total reported): {', '.join(missing)}." if missing else ""
    return Chart(svg, f"Horizontal bar chart of years of custody per person convicted. {desc}.{extra}",
                 "Years of custody per person convicted in UK group child-sexual-exploitation prosecutions; "
                 f"{HATCHED} are lower bounds or partial totals." + extra, source)


def budget_chart(comps, source: str) -> Chart:
    """Spend as a share of budget, one bar per body: bodies of any size on one scale (a county and the nation's
    councils differ a hundredfold in money, not in how far they overspent). The budget is the line at 100%;
    the part of a bar beyond it, the overspend, is vermilion; an underspend leaves the gap to the line outlined."""
    t = comps.iloc[::-1].reset_index(drop=True)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.5 * len(t) + 1.0))
        share = t["spend"] / t["budget"] * 100
        for y, (r, sh) in enumerate(zip(t.itertuples(), share)):
            projected = r.spend_kind == "projected"
            kw = {"hatch": HATCH, "edgecolor": "white", "linewidth": 0} if projected else {}
            ax.barh(y, min(sh, 100), color=BLUE, height=0.6, **kw)
            if sh > 100:
                ax.barh(y, sh - 100, left=100, color=VERMILION, height=0.6, **kw)
            elif sh < 100:
                ax.barh(y, 100 - sh, left=sh, facecolor="white", edgecolor=GREEN, linewidth=1.2, height=0.6)
            word = "over" if r.difference > 0 else "under"
            ax.annotate(f"{r.spend_text} against {r.budget_text} ({abs(r.pct_of_budget):.1f}% {word})",
                        (max(sh, 100), y), va="center", fontsize=9, xytext=(4, 0), textcoords="offset points",
                        color=VERMILION if r.difference > 0 else INK)
        ax.axvline(100, color=INK, linewidth=1)
        ax.set_yticks(range(len(t)), [_entity_label(r) for r in t.itertuples()])
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, max(share.max(), 100) * 1.9)
        ax.set_xlabel("Spend as a share of budget (%; the line is the budget)")
        handles = [Patch(color=BLUE, label="Spend within budget")]
        if (share > 100).any():
            handles.append(Patch(color=VERMILION, label="Overspend"))
        if (share < 100).any():
            handles.append(Patch(facecolor="white", edgecolor=GREEN, label="Underspend"))
        if (t["spend_kind"] == "projected").any():
            handles.append(Patch(facecolor=BLUE, hatch=HATCH, edgecolor="white", label="Projected, not yet spent"))
        # under the chart, not beside the bars, whose labels it would cover
        _legend_under(ax, handles, fontsize=8.5, handlelength=1.4, columnspacing=1.2)
        ax.set_axisbelow(True)
        ax.set_title("Spend against budget", loc="left", fontweight="bold")
        svg = _svg(fig)
    desc = "; ".join(f"{_entity_label(r)}: budget {r.budget_text}, "  # the sums as the article prints them
                     f"{'projected ' if r.spend_kind == 'projected' else ''}spend {r.spend_text}, "
                     f"{abs(r.pct_of_budget):.1f}% {'over' if r.difference > 0 else 'under'}" for r in comps.itertuples())
    return Chart(svg, f"Horizontal bar chart of spend as a share of budget per body. {desc}.",
                 "Spend against budget as the article reports them, as a share of each budget; the percentage is the "
                 "difference as a share of the budget.", source)


def _entity_label(r) -> str:
    name = r.entity or "Unnamed in the article"
    name = name[0].upper() + name[1:]
    return f"{name} ({r.year})" if r.year else name
