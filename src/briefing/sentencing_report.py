"""The briefing's Sentencing and Claim checks sections: a case file's record, or the record drafted from the article
(labelled as reported, not checked) with every defendant it names."""

from __future__ import annotations

import pandas as pd

from .court_record import SOURCE as RECORD_SOURCE
from .format import number
from .report import Briefing, cited, e, figure_html, listed, section, table_html
from .stages import load_chart

RECORD_FACTS = [("convicted", "convicted", ""), ("on_trial", "went on trial", ""), ("acquitted", "acquitted", ""),
                ("life_sentences", "jailed for life", ""), ("reported_total_years", "years in total, as reported", ""),
                ("term_range_years", "range of terms", "years"), ("trial_weeks", "weeks of trial", ""),
                ("charges", "charges", ""), ("charges_proved", "charges proved", ""), ("victims", "victims", ""),
                ("court", "court", ""), ("judge", "judge", ""), ("appeal", "appeal", "")]


def record_facts(b: Briefing, facts: dict) -> str:
    """What the article says about a case with no case file and no per-defendant terms: each fact with its note."""
    items = []
    for key, label, unit in RECORD_FACTS:
        f = facts.get(key)
        if not f:
            continue
        v = f["value"]
        if isinstance(v, list):
            shown = f"{number(v[0])} to {number(v[1])} {unit}"
        elif isinstance(v, dict):
            shown = v.get("outcome", "") + (f", to {number(v['term_years'])} years" if v.get("term_years") else "")
        elif isinstance(v, (int, float)):
            shown = number(v)
        else:
            shown = str(v)
        items.append(f"<li><strong>{e(label.capitalize())}</strong>: {e(shown)}"
                     f"{b.notes.cite(int(f['start']), int(f['end']))}</li>")
    return (f"<p>No court record was supplied. What the article says about the case, {e(RECORD_SOURCE)}; it gives "
            f"no custodial term person by person, so there is no chart of terms.</p><ul>{''.join(items)}</ul>")


def sentence_words(r) -> str:
    """A defendants.csv row's sentence in words: "life, minimum 14 years", "18 months suspended for 2 years";
    a term the article does not give is left out, not guessed."""
    def known(v) -> bool:
        return v is not None and v == v

    def span(years: float) -> str:
        return f"{number(years)} years" if float(years).is_integer() or years >= 3 else f"{number(round(years * 12))} months"
    kind = r["sentence"]
    if kind == "life":
        return "life" + (f", minimum {span(r['minimum_term_years'])}" if known(r["minimum_term_years"]) else "")
    if kind == "determinate":
        return span(r["term_years"]) if known(r["term_years"]) else "a fixed term"
    if kind == "suspended":
        term = span(r["term_years"]) if known(r["term_years"]) else "a term"
        return f"{term}, suspended" + (f" for {span(r['suspended_years'])}" if known(r["suspended_years"]) else "")
    return {"indefinite": "indefinite", "other": "no prison term (community or hospital order, or discharge)", "none": "–"}[kind]


def defendants_table(b: Briefing, only_without_custody: bool = False) -> str:
    """Everyone the article names as a defendant, with outcome, sentence and offences, each row noted to its
    phrase; with a per-defendant chart above, only those it does not show (acquitted, suspended, awaiting …)."""
    d = b.tables.get("defendants")
    if d is None or d.empty:
        return ""
    if only_without_custody:
        d = d[~(((d["sentence"] == "life") & d["minimum_term_years"].notna())
                | ((d["sentence"] == "determinate") & d["term_years"].notna()))]
        if d.empty:
            return ""
    rows, more = listed(d, lambda r: [
        f'{e(r["name"])}{b.notes.cite(int(r["start"]), int(r["end"]))}',
        e(number(r["age"]) if r["age"] == r["age"] else "–"), e(r["outcome"]), e(sentence_words(r)),
        e(r["offences"].replace(";", "; ") or "–")], "defendants", "defendants.csv")
    caption = ("Others the article names as defendants" if only_without_custody else
               "Defendants the article names") + f" ({RECORD_SOURCE})"
    return table_html(caption, ["Defendant", "Age", "Outcome", "Sentence", "Offences"], rows, "defendants") + more


def sentencing_section(b: Briefing) -> str:
    s = b.sentencing
    if not s:
        return ""
    case = s.get("case")
    body = ""
    if case:
        body += f'<p class="lede">{e(case["explanation"])}</p>'
        body += figure_html(load_chart(s["dir"], "chart-sentences"), "fig-sentences")
        t = s["sentences"]
        rows = [[e(r["defendant"]), e(_age(r["age"])), e("Life" if r["sentence"] == "life" else "Fixed term"),
                 e(number(float(r["years_counted"]))), e(r["basis"]), e(r["confidence"])] for _, r in t.iterrows()]
        tot = case["totals"]
        rows.append(["<strong>Total</strong>", "", "", f"<strong>{e(number(tot['custody_years']))}</strong>",
                     e(f"mean {tot['mean']:.1f}, median {number(tot['median'])}"), ""])
        source = RECORD_SOURCE if case.get("from_article") else f"case file {case['file']}"
        body += table_html(f"Sentences, {case['operation'] or case['name']} (source: {source})",
                           ["Defendant", "Age", "Sentence", "Years counted", "Basis", "Confidence"], rows, "sentences")
        if case.get("from_article"):
            body += defendants_table(b, only_without_custody=True)
        comp = s.get("comparators")
        if comp is not None:
            body += "<h3>Beside other UK cases</h3>"
            body += figure_html(load_chart(s["dir"], "chart-comparators"), "fig-comparators")
            crow = []
            for _, r in comp.iterrows():
                total = "not reported" if pd.isna(r["total_years"]) else f"{r['total_years']:g}" + ("" if str(r["total_is_exact"]) == "yes" else " (bound or partial)")
                name = f"<strong>{e(r['case'])}</strong>" if str(r.get("highlight")) == "True" else e(r["case"])
                crow.append([name, e(r["convicted"]), e(total), e(r["source"])])
            body += table_html("UK group prosecutions compared (source per row)", ["Case", "Convicted", "Total years", "Source"],
                               crow, "comparators")
    elif s.get("record", {}).get("facts") or not b.tables["defendants"].empty:
        body += record_facts(b, (s.get("record") or {}).get("facts", {})) + defendants_table(b)
        comp = s.get("comparators")
        if comp is not None:
            body += "<h3>Beside other UK cases</h3>"
            body += figure_html(load_chart(s["dir"], "chart-comparators"), "fig-comparators")
    else:
        a = s["article_sentences"]
        if len(a) == 0:
            return ""
        body += ("<p>No court record was supplied for this article, so its sentencing figures are shown as the "
                 "article gives them, unchecked.</p>")
        items, more = listed(a, lambda r: f"<li>{cited(b, r['figure_id'])}</li>", "sentencing figures", "figures.csv")
        body += "<ul>" + "".join(items) + "</ul>" + more
    return section("sentencing", "Sentencing", body)


def claims_section(b: Briefing) -> str:
    s = b.sentencing or {}
    c = s.get("claims")
    if c is None or c.empty:
        if not s.get("case"):
            return ""  # listed in absent_section
        if s["case"].get("from_article"):
            return section("claims", "Claim checks", "<p>Nothing to check: the article states no total or count "
                                                     "to set against its own per-defendant sentences.</p>")
        return section("claims", "Claim checks",
                       "<p>Nothing to check: no figure in the article matched a fact in the case file.</p>")
    def row(r) -> list:
        verdict = r["verdict"] + (f" ({r['tolerance']})" if r["tolerance"] else "")
        if r["verdict"] == "not checkable":
            ref = r["reference_detail"]
        else:
            ref = f"{float(r['reference_value']):g}" + (f" ({r['reference_detail']})" if r["reference_detail"] else "")
        cls = "ok" if r["verdict"].startswith("consistent") else ("bad" if r["verdict"] == "inconsistent" else "na")
        src = f"{r['source']} ({r['confidence']})" if r["confidence"] else r["source"]
        said = cited(b, r["figure_id"]) if r["figure_id"] else \
            f'{e(r["article_text"])}{b.notes.cite(int(r["start"]), int(r["end"]))}'
        return [said, e(r["fact"] or "–"), e(ref), e(src), f'<span class="verdict {cls}">{e(verdict)}</span>']

    rows, more = listed(c, row, "claim checks", "sentencing/claims.csv")
    own = (s.get("case") or {}).get("from_article")
    caption = ("The article's totals and counts against its own per-defendant sentences" if own else
               "The article's figures against the court record")
    return section("claims", "Claim checks", table_html(
        caption, ["Article says", "Fact", "Record" if not own else "Per-defendant sentences", "Source (confidence)",
                  "Verdict"], rows, "claims") + more)


def _age(value) -> str:
    """An age as the article gives it ("37", not the "37.0" a column with a missing age is read as); "" if none."""
    if value is None or value == "" or value != value:
        return ""
    try:
        return number(float(value))
    except (TypeError, ValueError):
        return str(value)
