"""Tables as the notebooks show them: for a journalist, not a debugger.

Money as £24m and £37.97m (never 24000000.0 or 3.797366e+07), percentages with their sign, years as years,
text left-aligned and whole, human column labels, the column that matters first, a caption on every table; dicts
of results become small tables. The formats come from ``briefing.format``, which the briefing itself uses, so a
notebook and the briefing cannot disagree. Each function returns a pandas Styler (shown by JupyterLab and kept by
papermill as HTML) with a fixed ``uuid``, so an executed notebook's HTML does not change from run to run.
"""

from __future__ import annotations

import pandas as pd

from .format import money, number, pct

TEXT_STYLE = [{"selector": "td", "props": "text-align: left; vertical-align: top; white-space: pre-wrap;"},
              {"selector": "th", "props": "text-align: left;"},
              {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; "
                                               "padding-bottom: .4em;"}]


def _styled(df: pd.DataFrame, caption: str, labels: dict[str, str], formats: dict | None = None,
            uuid: str = "t"):
    cols = [c for c in labels if c in df.columns]
    view = df[cols].rename(columns=labels).reset_index(drop=True)
    fmt = {labels[c]: f for c, f in (formats or {}).items() if c in cols}
    return (view.style.set_uuid(f"briefing-{uuid}").hide(axis="index").format(fmt, na_rep="–")
            .set_caption(caption).set_table_styles(TEXT_STYLE))


def _money(currency: str = "GBP", digits: int | None = None):
    return lambda v: money(v, currency, digits)


def _oneline(text: str) -> str:
    return " ".join(str(text).split())


# --- notebook 01 -----------------------------------------------------------------------------------------------

def figures(df: pd.DataFrame):
    def value(row) -> str:
        if row["kind"] == "money" and row["value"] == row["value"]:
            return money(row["value"], row["unit"] or "GBP")
        if row["value"] != row["value"]:
            return "–"
        if row["kind"] == "period":  # years, not quantities: no thousands separator
            return f"{row['value']:.0f}" + (f"–{row['value_max']:.0f}" if row["value_max"] == row["value_max"] else "")
        v = number(row["value"]) + (f"–{number(row['value_max'])}" if row["value_max"] == row["value_max"] else "")
        return v + ("%" if row["unit"] == "%" else "")
    view = df.assign(shown=df.apply(value, axis=1))
    return _styled(view, "Figures in the article, in reading order (offsets into text.txt)", {
        "figure_id": "Id", "text": "As printed", "shown": "Value", "kind": "Kind", "unit": "Unit",
        "qualifier": "Qualifier", "in_quote": "In a quote", "start": "Start", "end": "End"}, uuid="figures")


def quotes(df: pd.DataFrame):
    view = df.assign(words=df["text"].map(_oneline))
    return _styled(view, "Quotations and who said them", {
        "speaker": "Speaker", "speaker_type": "Person or organisation", "role": "Role", "words": "Quotation",
        "kind": "Kind", "attribution": "Found by", "start": "Start"}, uuid="quotes")


def people(df: pd.DataFrame):
    return _styled(df, "People named in the article", {"name": "Name", "role": "Role", "organisation": "Organisation",
                                                       "mentions": "Mentions"}, uuid="people")


def organisations(df: pd.DataFrame):
    return _styled(df, "Organisations named in the article", {"name": "Name", "mentions": "Mentions"},
                   uuid="organisations")


def dates(df: pd.DataFrame):
    return _styled(df, "Dates (relative ones resolved against the publication date)", {
        "text": "As printed", "date": "Date", "precision": "Precision", "relative": "Relative"}, uuid="dates")


def checks(df: pd.DataFrame):
    return _styled(df, "The article's arithmetic: figures checked against each other", {
        "verdict": "Verdict", "claim_text": "Article says", "relation": "Relation", "explanation": "Check"},
        {"verdict": lambda v: v.replace("_", " ")}, uuid="checks")


# --- notebook 02 -----------------------------------------------------------------------------------------------

def links(df: pd.DataFrame, currency: str = "GBP"):
    view = df.assign(sentence=df["context"].map(_oneline))
    return _styled(view, "Each sum of money and the year its sentence gives it", {
        "text": "Sum", "nominal": "Value", "financial_year": "Financial year", "period_text": "Year as printed",
        "sentence": "Sentence"}, {"nominal": _money(currency)}, uuid="links")


def series(table: pd.DataFrame, label: str, base_year: str, currency: str = "GBP"):
    return _styled(table, f"{label}: cash and real terms ({base_year} prices)", {
        "financial_year": "Financial year", "text": "As printed", "nominal": "Cash", "real": f"Real ({base_year})",
        "deflator": "Deflator", "deflator_status": "Status"},
        {"nominal": _money(currency, 2), "real": _money(currency, 2), "deflator": "{:.4f}"}, uuid="series")


def growth(g: dict, currency: str = "GBP"):
    rows = [("Change", money(g["nominal_change"], currency, 2), money(g["real_change"], currency, 2)),
            ("Ratio", f"{g['nominal_ratio']:.2f}×", f"{g['real_ratio']:.2f}×"),
            ("Change, %", pct(g["nominal_pct"], signed=True), pct(g["real_pct"], signed=True)),
            (f"A year, over {g['years']} years", pct(g["nominal_cagr_pct"], signed=True),
             pct(g["real_cagr_pct"], signed=True))]
    df = pd.DataFrame(rows, columns=["measure", "cash", "real"])
    return _styled(df, f"Growth {g['from']} to {g['to']}", {"measure": "Measure", "cash": "Cash",
                                                             "real": "Real terms"}, uuid="growth")


def per_unit(df: pd.DataFrame):
    view = df.assign(each=[money(v, c) + f" a {p}" for v, c, p in zip(df["per_unit"], df["currency"], df["per"])],
                     share=[pct(s) + f" of {o}" if o else "–" for s, o in zip(df["share_pct"], df["share_of"])])
    return _styled(view, "Sums per unit, from the article's own figures", {
        "each": "Per unit", "text": "Sum", "count_text": "For", "share": "Share of the latest budget"},
        uuid="per-unit")


def sums(df: pd.DataFrame, base_year: str):
    view = df.assign(cash=[money(v, c) for v, c in zip(df["nominal"], df["currency"])],
                     real_shown=[money(v, c, 2) for v, c in zip(df["real"], df["currency"])])
    return _styled(view, f"Every sum of money: what it is, its year, and in {base_year} prices", {
        "text": "As printed", "role": "What it is", "entity": "Whose", "year": "Year", "year_basis": "Year basis",
        "deflated_as": "Deflated as", "real_shown": f"Real ({base_year})", "deflator_status": "Status"}, uuid="sums")


def budget(df: pd.DataFrame):
    view = df.assign(diff=[("+" if d > 0 else "") + money(d, c) for d, c in zip(df["difference"], df["currency"])],
                     share=[pct(p, signed=True) for p in df["pct_of_budget"]])
    return _styled(view, "Spend against budget, as the article reports them", {
        "entity": "Body", "year": "Year", "budget_text": "Budget", "spend_text": "Spend", "spend_kind": "Spend is",
        "diff": "Difference", "share": "% of budget", "stated_text": "Article says", "stated_verdict": "Check"},
        uuid="budget")


def findings(items: list[dict]):
    """Findings as a Markdown list (each with its source)."""
    from IPython.display import Markdown

    if not items:
        return Markdown("_No findings: the article gives nothing to compute them from._")
    return Markdown("\n".join(f"- {f['text']} _(source: {f['source']})_" for f in items))


# --- notebook 03 -----------------------------------------------------------------------------------------------

def sentences(df: pd.DataFrame):
    return _styled(df, "Sentences, defendant by defendant (the case file)", {
        "defendant": "Defendant", "age": "Age", "sentence": "Sentence", "years_counted": "Years counted",
        "basis": "Basis", "confidence": "Confidence"}, {"years_counted": number, "age": "{:g}"}, uuid="sentences")


def totals(t: dict):
    rows = [("People sentenced", number(t["defendants"])), ("Life sentences", number(t["life"])),
            ("Fixed terms", number(t["determinate"])), ("Years in total", number(t["custody_years"])),
            ("Mean", f"{t['mean']:.1f} years"), ("Median", f"{t['median']:g} years")]
    return _styled(pd.DataFrame(rows, columns=["measure", "value"]), "Totals", {"measure": "Measure", "value": "Value"},
                   uuid="totals")


def claims(df: pd.DataFrame):
    def record(r, d) -> str:
        try:
            shown = f"{float(r):g}" if float(r) == float(r) else "–"
        except (TypeError, ValueError):
            shown = "–"
        return shown + (f" ({d})" if d else "")

    view = df.assign(record=[record(r, d) for r, d in zip(df["reference_value"], df["reference_detail"])],
                     verdict_shown=[v + (f" ({t})" if t else "") for v, t in zip(df["verdict"], df["tolerance"])])
    return _styled(view, "The article's figures against the court record", {
        "verdict_shown": "Verdict", "article_text": "Article says", "fact": "Fact", "record": "Record",
        "source": "Source", "confidence": "Confidence"}, uuid="claims")


def defendants(df: pd.DataFrame):
    view = df.assign(age_shown=[number(a) if a == a else "–" for a in df["age"]],
                     term=[number(t) if t == t else "–" for t in df["term_years"]],
                     minimum=[number(t) if t == t else "–" for t in df["minimum_term_years"]])
    return _styled(view, "Defendants the article names, with outcome and sentence (defendants.csv)", {
        "name": "Defendant", "age_shown": "Age", "outcome": "Outcome", "sentence": "Sentence", "term": "Term, years",
        "minimum": "Minimum term, years", "offences": "Offences", "text": "Phrase"}, uuid="defendants")


def court_record(record: dict):
    """court.json: what the article says about the case as a whole, with the words each fact came from."""
    rows = [{"fact": k.replace("_", " "), "value": ", ".join(f"{a}: {b}" for a, b in v["value"].items())
             if isinstance(v["value"], dict) else " to ".join(number(x) for x in v["value"])
             if isinstance(v["value"], list) else number(v["value"]) if isinstance(v["value"], (int, float))
             else str(v["value"]), "text": v["text"], "figure_id": v["figure_id"], "start": v["start"]}
            for k, v in record.items()]
    df = pd.DataFrame(rows, columns=["fact", "value", "text", "figure_id", "start"])
    return _styled(df, "The case as the article reports it (court.json)", {
        "fact": "Fact", "value": "Value", "text": "As printed", "figure_id": "Figure", "start": "Offset"},
        uuid="court-record")


def article_sentences(df: pd.DataFrame):
    return _styled(df, "Sentencing figures as the article gives them (no court record to check them)", {
        "text": "As printed", "value": "Value", "unit": "Unit"},
        {"value": lambda v: number(v)}, uuid="article-sentences")
