"""The court record drafted from the article itself, in the case-file format, for a court story with no case file.

``draft_case`` turns ``defendants.csv`` and ``court.json`` into the mapping a case file holds (``briefing
case-draft`` writes it as YAML for a reporter to correct); every fact says ``source: article`` with the words and
offsets it came from, and ``confidence: article``. ``article_claims`` checks the article's stated totals and counts
against its own per-defendant sentences. A record from the article is labelled as such wherever it appears.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import yaml

from . import sentencing
from .format import number

ARTICLE = "article"
LABEL = "as reported in the article; not checked against the court record"
SOURCE = "the article, as reported; not checked against the court record"  # as a source line names it
CUSTODY = ("life", "determinate")


def _source(text: str, start: int, end: int) -> str:
    return f"article, characters {start}-{end}: '{text}'"


def _value(record: dict, key: str) -> dict | None:
    f = record.get(key)
    if not f:
        return None
    return {"value": f["value"], "source": _source(f["text"], f["start"], f["end"]), "confidence": ARTICLE}


def draft_case(article: dict, defendants: pd.DataFrame, record: dict) -> dict:
    """The case-file mapping (see ``briefing.sentencing``) for what the article says; custodial sentences with a
    term go under ``defendants``, everyone else under ``other_outcomes`` (which the loader does not read)."""
    title = article.get("title") or article.get("slug") or "the article"
    case: dict = {"name": f"Court case reported in {title}", "from_article": True, "note": LABEL}
    for key, field in (("court", "court"), ("judge", "judge")):
        if record.get(key):
            case[field] = str(record[key]["value"])
    for key, field in (("convicted", "convicted_count"), ("reported_total_years", "reported_total_years"),
                       ("charges_proved", "charges_proved"), ("victims", "victims_in_trial")):
        v = _value(record, key)
        if v is not None:
            case[field] = v
    for key in ("trial_weeks", "life_sentences", "acquitted", "on_trial", "term_range_years", "appeal"):
        v = _value(record, key)
        if v is not None:
            case[f"article_{key}"] = v  # kept for the reader; the case-file loader does not read these
    rows, others = [], []
    for _, d in defendants.iterrows():
        entry = {"name": d["name"]}
        if not _nan(d["age"]):
            entry["age"] = int(d["age"])
        term = d["minimum_term_years"] if d["sentence"] == "life" else d["term_years"]
        entry.update({"offences": d["offences"].replace(";", "; ") or "not given in the article",
                      "source": _source(d["text"], int(d["start"]), int(d["end"])), "confidence": ARTICLE})
        if d["sentence"] in CUSTODY and not _nan(term) and term > 0:
            entry["sentence"] = d["sentence"]
            entry["minimum_term_years" if d["sentence"] == "life" else "term_years"] = _num(term)
            rows.append(entry)
        else:
            entry.update(outcome=d["outcome"], sentence=d["sentence"])
            for k in ("term_years", "suspended_years"):
                if not _nan(d[k]):
                    entry[k] = _num(d[k])
            others.append(entry)
    out = {"case": case, "defendants": rows}
    if others:
        out["other_outcomes"] = others
    return out


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _num(v: float) -> float | int:
    v = round(float(v), 4)
    return int(v) if v.is_integer() else v


HEADER = ("# Court record drafted by `briefing case-draft` from the article alone: {label}.\n"
          "# Correct it against the court record, set each `confidence` (high, medium, reported) and `source`, set\n"
          "# `from_article: false`, then render with `-p case THIS_FILE`. While `from_article` is true the briefing\n"
          "# labels every figure as the article's own. Keys starting `article_` and `other_outcomes` are for the\n"
          "# reader only.\n")


def write_draft(draft: dict, path: Path | None) -> str:
    text = HEADER.format(label=LABEL) + yaml.safe_dump(draft, sort_keys=False, allow_unicode=True, width=110)
    if path is not None:
        path.write_text(text, encoding="utf-8")
    return text


def load_draft(draft: dict, folder: Path) -> sentencing.Case | None:
    """The draft as a :class:`sentencing.Case`, through the same loader and checks as a case file; None when the
    article gives no custodial term for any one defendant (a case file needs at least one), or more than a case
    file may list (``sentencing.MAX_DEFENDANTS``: a list that long is a table pasted into the text, not a court
    report; its defendants are still in defendants.csv and the briefing's list of them)."""
    if not draft["defendants"] or len(draft["defendants"]) > sentencing.MAX_DEFENDANTS:
        return None
    path = folder / "case-from-article.yaml"
    write_draft(draft, path)
    return sentencing.load_case(path)


def article_claims(record: dict, table: pd.DataFrame | None) -> pd.DataFrame:
    """The article's totals and counts against its own per-defendant sentences: "a total of 61 years" against
    the terms it gives one by one; "four of whom were jailed for life" against the life rows. A total may cover
    only the fixed terms ("his six co-defendants … a total of 61 years"); a count is checked only when the article
    names as many defendants as it counts."""
    cols = ["figure_id", "claim", "article_text", "article_value", "start", "end", "fact", "reference_value",
            "reference_detail", "source", "confidence", "verdict", "tolerance"]
    rows = []

    def add(key: str, fact: str, reference: float | None, detail: str, verdict: str) -> None:
        f = record[key]
        rows.append({"figure_id": f["figure_id"], "claim": f["text"], "article_text": f["text"],
                     "article_value": float(f["value"]), "start": f["start"], "end": f["end"], "fact": fact,
                     "reference_value": float("nan") if reference is None else float(reference),
                     "reference_detail": detail, "source": "the article's own per-defendant sentences",
                     "confidence": ARTICLE, "verdict": verdict, "tolerance": ""})

    if table is None or table.empty:
        return pd.DataFrame(rows, columns=cols)
    terms = table["years_counted"].tolist()
    fixed = table.loc[table["sentence"] == "determinate", "years_counted"].tolist()
    if "reported_total_years" in record:
        said = float(record["reported_total_years"]["value"])
        every = "+".join(number(y) for y in terms) + f" = {number(sum(terms))}"
        at_least = re.match(r"(?:more\s+than|over|at\s+least|in\s+excess\s+of)\b", record["reported_total_years"]["text"],
                            re.I)
        if math.isclose(said, sum(terms)):
            add("reported_total_years", "total years of custody", sum(terms), every, "consistent")
        elif at_least and sum(terms) >= said:
            # "a total of more than 100 years": the terms it names already pass 100, and anyone it does not name
            # could only add to them
            add("reported_total_years", "total years of custody", sum(terms),
                f"{every}, more than {number(said)} as the article says", "consistent")
        elif fixed and len(fixed) < len(terms) and math.isclose(said, sum(fixed)):
            add("reported_total_years", "total of the fixed terms", sum(fixed),
                "+".join(number(y) for y in fixed) + f" = {number(sum(fixed))} (the fixed terms only)", "consistent")
        else:
            add("reported_total_years", "total years of custody", sum(terms),
                f"{every}; the article may count people it does not name one by one", "not checkable")
    named = len(table)
    if "convicted" in record:
        said = float(record["convicted"]["value"])
        verdict = "consistent" if said == named else "not checkable"
        add("convicted", "people convicted", named, f"{named} named with a sentence", verdict)
    if "life_sentences" in record:
        said = float(record["life_sentences"]["value"])
        life = int((table["sentence"] == "life").sum())
        complete = "convicted" in record and float(record["convicted"]["value"]) == named
        verdict = "consistent" if said == life else ("inconsistent" if complete else "not checkable")
        add("life_sentences", "life sentences", life, f"{life} of the {named} named sentences are life", verdict)
    return pd.DataFrame(rows, columns=cols)
