"""What notebooks 02 and 03 compute and save for the briefing, as plain functions.

Each ``run_*`` reads the processed folder written by notebook 01 (and reference files), writes its
own subfolder (``funding/`` or ``sentencing/``) with CSV tables, ``findings.json`` and chart files,
and returns the same objects for the notebook to show.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import budget, court_record, deflators, funding, sentencing
from .chart import Chart
from .extract import court_json, read_tables


def _save_chart(folder: Path, name: str, chart: Chart) -> None:
    (folder / f"{name}.svg").write_text(chart.svg, encoding="utf-8")
    (folder / f"{name}.json").write_text(json.dumps({k: v for k, v in asdict(chart).items() if k != "svg"}, indent=2,
                                                    ensure_ascii=False) + "\n", encoding="utf-8")


def load_chart(folder: Path, name: str) -> Chart | None:
    svg, meta = folder / f"{name}.svg", folder / f"{name}.json"
    if not svg.exists():
        return None
    return Chart(svg=svg.read_text(encoding="utf-8"), **json.loads(meta.read_text(encoding="utf-8")))


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# Charts are drawn for what a reader can take in; the tables hold everything. An article of thousands of sums once
# spent minutes drawing a chart per series and a bar per comparison (1,000 bars took 14 s).
MAX_SERIES_CHARTS = 12  # series charted, in the order the article gives them
MAX_CHART_ROWS = 40     # bars in one chart: the budget chart's comparisons, a series chart's years


def _first_rows(table: pd.DataFrame, what: str) -> tuple[pd.DataFrame, str]:
    """The first MAX_CHART_ROWS rows of a chart's table, and a sentence for its caption when that is not all."""
    if len(table) <= MAX_CHART_ROWS:
        return table, ""
    return table.head(MAX_CHART_ROWS), (f" The chart shows the first {MAX_CHART_ROWS} {what} of {len(table):,}; "
                                        f"the table lists all of them.")


@dataclass
class FundingResult:
    deflator: str
    base_year: str
    links: pd.DataFrame
    series: list
    tables: list = field(default_factory=list)   # (Series, analysis table, growth dict)
    per_unit: pd.DataFrame | None = None
    findings: list = field(default_factory=list)
    charts: list = field(default_factory=list)
    sums: pd.DataFrame | None = None         # every sum: role, entity, year, real terms
    comparisons: pd.DataFrame | None = None  # spend against budget per entity


def run_funding(processed_dir: str | Path, reference_dir: str | Path, deflator: str = "gdp", base_year: str = "") -> FundingResult:
    from . import charts

    processed_dir, reference_dir = Path(processed_dir), Path(reference_dir)
    _, text, tables = read_tables(processed_dir)
    series_df = deflators.load_deflator(deflator, reference_dir)
    base_year = deflators.check_base_year(series_df, base_year, deflator)
    figs = tables["figures"]
    links = funding.link_periods(figs)
    series = funding.find_series(links)
    res = FundingResult(deflator, base_year, links, series)
    out = _fresh(processed_dir / "funding")
    rows = []
    charted = 0
    lookup = funding.deflator_lookup(series_df)
    for s in series:
        t = funding.analyse_series(s, series_df, base_year, lookup)
        g = funding.growth(t)
        res.tables.append((s, t, g))
        rows.extend(dict(r, label=s.label, currency=s.unit) for r in t.to_dict("records"))
        if t["real"].notna().any() and charted < MAX_SERIES_CHARTS:
            shown, note = _first_rows(t, "years")
            ch = charts.funding_chart(shown, s.label, s.unit, deflators.DEFLATORS[deflator][1], base_year,
                                      f"Source: the article (amounts); {deflators.DEFLATORS[deflator][1]}.")
            charted += 1
            if charted == MAX_SERIES_CHARTS and len(series) > MAX_SERIES_CHARTS:
                note += (f" Charts are drawn for the first {MAX_SERIES_CHARTS} series of {len(series):,}; every "
                         f"series is in the tables.")
            ch = replace(ch, caption=ch.caption + note) if note else ch
            res.charts.append(ch)
            _save_chart(out, f"chart-{s.series_id}", ch)
    res.per_unit = funding.per_unit(figs, series)
    dname, dsource = deflators.short_name(deflator), deflators.DEFLATORS[deflator][1]
    res.sums = budget.sums_table(figs, text, series_df, base_year)
    res.comparisons = budget.comparisons(res.sums, tables["checks"], text)
    if not res.comparisons.empty:
        shown, note = _first_rows(res.comparisons, "comparisons")
        ch = charts.budget_chart(shown, "Source: the article.")
        ch = replace(ch, caption=ch.caption + note) if note else ch
        res.charts.append(ch)
        _save_chart(out, "chart-budget", ch)
    # the series' findings come first: the briefing's summary quotes the first finding
    series_findings = funding.findings(res.tables, res.per_unit, deflator, base_year)
    unit_findings = [f for f in series_findings if f["id"].endswith("-per-unit")]
    res.findings = ([f for f in series_findings if f not in unit_findings]
                    + budget.findings(res.comparisons, res.sums, dname, base_year, dsource,
                                     {p["figure_id"] for s in series for p in s.points}) + unit_findings)
    res.sums.to_csv(out / "sums.csv", index=False, lineterminator="\n")
    res.comparisons.to_csv(out / "budget.csv", index=False, lineterminator="\n")
    pd.DataFrame(rows).to_csv(out / "series.csv", index=False, lineterminator="\n") if rows else \
        pd.DataFrame(columns=["series_id"]).to_csv(out / "series.csv", index=False)
    (out / "growth.json").write_text(json.dumps([{"series_id": s.series_id, "label": s.label, "currency": s.unit,
                                                   **{k: float(v) if not isinstance(v, str) else v for k, v in g.items()}}
                                                  for s, _, g in res.tables], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    links.to_csv(out / "links.csv", index=False, lineterminator="\n")
    res.per_unit.to_csv(out / "per_unit.csv", index=False, lineterminator="\n")
    (out / "findings.json").write_text(json.dumps({"deflator": deflator, "deflator_source": deflators.DEFLATORS[deflator][1],
                                                   "base_year": base_year, "findings": res.findings}, indent=2,
                                                  ensure_ascii=False, default=float) + "\n", encoding="utf-8")
    return res


@dataclass
class SentencingResult:
    case: sentencing.Case | None
    table: pd.DataFrame | None
    totals: dict | None
    explanation: str
    comparators: pd.DataFrame | None
    claims: pd.DataFrame
    article_sentences: pd.DataFrame
    charts: dict = field(default_factory=dict)
    record: dict = field(default_factory=dict)  # court.json: what the article says about the case as a whole


SENTENCE_CUES = r"jail|sentenc|prison|custody|convicted|guilty|life|minimum term|trial|court"


def run_sentencing(processed_dir: str | Path, case: str | Path | None, comparators: str | Path | None) -> SentencingResult:
    from . import charts

    processed_dir = Path(processed_dir)
    article, text, tables = read_tables(processed_dir)
    figs = tables["figures"]
    mask = figs["context"].str.contains(SENTENCE_CUES, case=False, regex=True) & figs["kind"].isin(["duration", "count"])
    article_sentences = figs[mask & (figs["unit"] != "age_years")][["figure_id", "text", "value", "unit", "context", "start", "end"]]
    out = _fresh(processed_dir / "sentencing")
    c = sentencing.load_case(case) if case else None
    res = SentencingResult(c, None, None, "", None, sentencing.check_claims(figs, None, None), article_sentences)
    record = court_json(tables["court"])
    if c is None and (record or not tables["defendants"].empty):
        # no case file: the record the article itself gives, labelled as such wherever it appears
        draft = court_record.draft_case(article, tables["defendants"], record)
        c = court_record.load_draft(draft, out)
        res.case, res.record = c, record
        (out / "record.json").write_text(json.dumps({"label": court_record.LABEL, "facts": record}, indent=2,
                                                    ensure_ascii=False) + "\n", encoding="utf-8")
    if c is not None:
        from_article = bool(c.info.get("from_article"))
        t = sentencing.sentences_table(c)
        res.table, res.totals, res.explanation = t, sentencing.totals(t), sentencing.explain_total(c, t)
        res.claims = court_record.article_claims(record, t) if from_article else sentencing.check_claims(figs, c, t)
        src = (f"Source: the article ({court_record.LABEL})." if from_article else
               f"Source: case file {c.path.name} (sources per defendant in the table).")
        res.charts["sentences"] = charts.sentences_chart(t, c.info.get("operation") or c.name, src)
        t.to_csv(out / "sentences.csv", index=False, lineterminator="\n")
        (out / "case.json").write_text(json.dumps({"name": c.name, "operation": c.info.get("operation", ""),
                                                   "file": "" if from_article else c.path.name,
                                                   "from_article": from_article, "totals": res.totals,
                                                   "explanation": res.explanation,
                                                   "dates": sentencing.case_dates(c)}, indent=2, default=str,
                                                  ensure_ascii=False) + "\n", encoding="utf-8")
        if comparators and not from_article:
            comp = sentencing.load_comparators(comparators)
            res.comparators = comp
            highlight = _matching_case(comp, c)
            res.charts["comparators"] = charts.comparators_chart(
                comp, highlight, f"Source: {Path(comparators).name} (news reports named per row).")
            comp.assign(highlight=comp["case"] == highlight).to_csv(out / "comparators.csv", index=False, lineterminator="\n")
    if comparators and res.record and (res.case is None or res.case.info.get("from_article")):
        _place_among_comparators(res, out, text, comparators, article)
    for name, ch in res.charts.items():
        _save_chart(out, f"chart-{name}", ch)
    res.claims.to_csv(out / "claims.csv", index=False, lineterminator="\n")
    article_sentences.to_csv(out / "article_sentences.csv", index=False, lineterminator="\n")
    return res


# the comparators are UK group child-sexual-exploitation prosecutions: a case is placed among them only when its
# article is about one
CSE = r"groom|sexual\s+exploitation|child\s+sex|sexually\s+exploit|abus\w+\s+(?:girls|children)"


def _place_among_comparators(res: SentencingResult, out: Path, text: str, comparators, article: dict) -> None:
    """Years per person convicted for the article's case beside the comparators, when the article gives both a
    total and a count of people convicted and is about the same kind of case."""
    import re

    from . import charts

    total, convicted = res.record.get("reported_total_years"), res.record.get("convicted")
    if not total or not convicted or not re.search(CSE, text, re.I):
        return
    comp = sentencing.load_comparators(comparators)
    name = "This article's case"
    row = {"case": name, "convicted": int(convicted["value"]), "total_years": float(total["value"]),
           "total_is_exact": "yes", "source": f"the article ({court_record.LABEL})", "exact": True,
           "years_per_convicted": float(total["value"]) / float(convicted["value"])}
    comp = pd.concat([comp, pd.DataFrame([row])], ignore_index=True)
    res.comparators = comp
    res.charts["comparators"] = charts.comparators_chart(
        comp, name, f"Source: {Path(comparators).name} (news reports named per row); this case: the article.")
    comp.assign(highlight=comp["case"] == name).to_csv(out / "comparators.csv", index=False, lineterminator="\n")


def _matching_case(comp: pd.DataFrame, case: sentencing.Case) -> str:
    op = case.info.get("operation", "")
    sentenced = case.info.get("sentenced", {}).get("date") if isinstance(case.info.get("sentenced"), dict) else None
    year = getattr(sentenced, "year", None)
    m = comp[(comp.get("operation", pd.Series(dtype=str)) == op) & ((comp["year_sentenced"] == year) if year else True)]
    return str(m.iloc[0]["case"]) if len(m) else ""
