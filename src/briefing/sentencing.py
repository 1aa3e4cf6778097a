"""Court cases: the case-file format, the sentences table, comparators and claim checks.

Case file (YAML), see ``data/reference/bullfinch_case.yaml`` and docs in README ("Case files"):

- ``case``: ``name`` (required), ``trial_opened`` / ``verdicts`` / ``sentenced`` ({date, source, confidence}),
  ``abuse_period`` ({from, to, ...}), ``convicted_count`` / ``reported_total_years`` / ``charges_proved`` /
  ``victims_in_trial`` ({value, source, confidence, note}), ``acquitted`` (list).
- ``defendants``: list of {name, age, sentence: life|determinate, minimum_term_years (life) or
  term_years (determinate), offences, source, confidence: {sentence, minimum_term} or a string}.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from . import yamlfile
from .errors import InputError
from .format import in_years, number

CONFIDENCE = ("high", "medium", "reported", "low")


@dataclass
class Case:
    path: Path
    data: dict

    @property
    def info(self) -> dict:
        return self.data["case"]

    @property
    def name(self) -> str:
        return self.info["name"]


def _fail(path: Path, field: str, msg: str) -> InputError:
    return InputError(f"{path}: field '{field}' {msg}")


MAX_TERM_YEARS = 100   # the longest determinate terms and minimum terms passed in England and Wales are below this
MAX_COUNT = 100_000    # people, charges, victims or years in one case
MAX_DEFENDANTS = 200


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _number(path: Path, field: str, v, lo: float, hi: float) -> None:
    if not _finite(v) or not lo <= v <= hi:
        raise _fail(path, field, f"must be a number from {lo:g} to {hi:g}, not {v!r}")


def _is_year(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2100


_PARTIAL_DATE_RE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2}))?")


def _date(path: Path, field: str, d):
    """A date (YYYY-MM-DD), or a month (YYYY-MM) or year (YYYY) kept as text; one that does not exist is refused."""
    if isinstance(d, dt.datetime):
        d = d.date()
    if isinstance(d, dt.date):
        if not 1900 <= d.year <= 2100:
            raise _fail(path, field, f"must be a date from 1900 to 2100, not {d.isoformat()}")
        return d
    text = str(d).strip()
    try:
        if len(text) == 10:
            return _date(path, field, dt.date.fromisoformat(text))
    except ValueError:
        pass
    m = _PARTIAL_DATE_RE.fullmatch(text)
    if m and _is_year(int(m["y"])) and (m["m"] is None or 1 <= int(m["m"]) <= 12):
        return text
    raise _fail(path, field, f"must be a date that exists, as YYYY-MM-DD (or YYYY-MM, YYYY), not {d!r}")


def load_case(path: str | Path, warnings: list[str] | None = None) -> Case:
    path = Path(path)
    data = yamlfile.load(path, "case file", warnings)
    if not isinstance(data, dict):
        raise InputError(f"{path}: a case file is a mapping with 'case' and 'defendants'")
    info = data.get("case")
    if not isinstance(info, dict):
        raise _fail(path, "case", "is missing or not a mapping")
    if not isinstance(info.get("name"), str) or not info["name"].strip():
        raise _fail(path, "case.name", "is required (text)")
    for key in ("operation", "court", "place", "force", "note"):
        if info.get(key) is not None and not isinstance(info[key], str):
            raise _fail(path, f"case.{key}", f"must be text, not {type(info[key]).__name__}")
    for key in ("investigation_launched", "trial_opened", "verdicts", "sentenced"):
        if key in info:
            v = info[key]
            if not isinstance(v, dict) or "date" not in v:
                raise _fail(path, f"case.{key}", "must be a mapping with a 'date'")
            v["date"] = _date(path, f"case.{key}.date", v["date"])
    for key in ("convicted_count", "reported_total_years", "charges_proved", "victims_in_trial"):
        if key in info:
            v = info[key]
            if not isinstance(v, dict):
                raise _fail(path, f"case.{key}.value", "must be a number")
            _number(path, f"case.{key}.value", v.get("value"), 0, MAX_COUNT)
    if "abuse_period" in info:
        ap = info["abuse_period"]
        if not isinstance(ap, dict) or not all(_is_year(ap.get(k)) for k in ("from", "to")) or ap["to"] < ap["from"]:
            raise _fail(path, "case.abuse_period", "needs years 'from' and 'to' (1900-2100, from <= to)")
    scr = data.get("serious_case_review")
    if isinstance(scr, dict) and scr.get("published"):
        scr["published"] = _date(path, "serious_case_review.published", scr["published"])
    defs = data.get("defendants")
    if not isinstance(defs, list) or not defs:
        raise _fail(path, "defendants", "must be a non-empty list")
    if len(defs) > MAX_DEFENDANTS:
        raise _fail(path, "defendants", f"lists {len(defs)} people; at most {MAX_DEFENDANTS} are supported")
    for i, d in enumerate(defs):
        where = f"defendants[{i}]"
        if not isinstance(d, dict):
            raise _fail(path, where, "must be a mapping")
        for key in ("name", "offences", "source"):
            if key in d and not isinstance(d[key], (str, type(None))):
                raise _fail(path, f"{where}.{key}", f"must be text, not {d[key]!r}")
        if not isinstance(d.get("name"), str) or not d["name"].strip():
            raise _fail(path, f"{where}.name", "is required (text)")
        if len(d["name"]) > 200:
            raise _fail(path, f"{where}.name", "is longer than 200 characters")
        kind = d.get("sentence")
        if kind not in ("life", "determinate"):
            raise _fail(path, f"{where}.sentence", f"must be 'life' or 'determinate', not {kind!r}")
        key = "minimum_term_years" if kind == "life" else "term_years"
        v = d.get(key)
        if not _finite(v) or v <= 0 or v > MAX_TERM_YEARS:
            raise _fail(path, f"{where}.{key}", f"must be a number of years above 0 and at most {MAX_TERM_YEARS} "
                                                f"for a {kind} sentence, not {v!r}")
        if d.get("age") is not None:
            _number(path, f"{where}.age", d["age"], 10, 120)
        if "source" not in d:
            raise _fail(path, f"{where}.source", "is required: where the sentence was read")
    return Case(path, data)


def _conf(d: dict, key: str) -> str:
    c = d.get("confidence")
    if isinstance(c, dict):
        return str(c.get(key) or c.get("sentence") or "")
    return str(c or "")


def sentences_table(case: Case) -> "pd.DataFrame":
    import pandas as pd

    rows = []
    for d in case.data["defendants"]:
        life = d["sentence"] == "life"
        years = d["minimum_term_years"] if life else d["term_years"]
        conf = _conf(d, "minimum_term" if life else "sentence")
        rows.append({"defendant": d["name"], "age": d.get("age"), "sentence": d["sentence"],
                     "years_counted": float(years), "basis": "minimum term" if life else "fixed term",
                     # a record drafted from the article has one standing throughout, said in its source line
                     "confidence": conf, "certain": conf in ("high", "article"), "offences": d.get("offences", ""),
                     "source": d.get("source", "")})
    return pd.DataFrame(rows)


def totals(table) -> dict:
    yrs = table["years_counted"].tolist()
    return {"defendants": len(yrs), "custody_years": sum(yrs), "life": int((table["sentence"] == "life").sum()),
            "determinate": int((table["sentence"] == "determinate").sum()), "mean": statistics.mean(yrs),
            "median": statistics.median(yrs), "terms": yrs}


def explain_total(case: Case, table) -> str:
    t = totals(table)
    parts = "+".join(number(y) for y in t["terms"])
    life = t["life"]
    det = t["determinate"]
    if t["defendants"] == 1:  # one sentence: nothing to add up
        kind = "the minimum term of a life sentence" if life else "a fixed (determinate) term"
        text = f"One sentence is counted: {in_years(t['custody_years'])}, {kind}. "
        if life:
            text += ("A life sentence has no fixed end: the minimum term is the time served before the Parole Board "
                     "can consider release. ")
        if case.info.get("from_article"):
            return text + "It is as reported in the article; not checked against the court record."
        return text.strip()
    text = f"Counted sentence by sentence, the {_n(t['defendants'])} terms add up to {number(t['custody_years'])} years ({parts}). "
    reported = case.info.get("reported_total_years", {}).get("value")
    from_article = bool(case.info.get("from_article"))
    if reported is not None and float(reported) != t["custody_years"] and not from_article:
        text += (f"The total reported at the time, {float(reported):g} years, does not match this sum "
                 f"({t['custody_years']:g}). ")
    if life:
        text += (f"{_n(life).capitalize()} of the {_n(t['defendants'])} people sentenced received life sentences; for them the figure counted is "
                 f"the minimum term, the time they must serve before the Parole Board can consider release. "
                 f"A life sentence has no fixed end, so the total understates what the sentences can mean. ")
    if det:
        text += f"{_n(det).capitalize()} received fixed (determinate) terms, counted in full. "
    uncertain = table[~table["certain"]]
    if from_article:
        return (text + "Every term here is as reported in the article; not checked against the court record.").strip()
    if len(uncertain):
        share = f"All {_n(len(uncertain))}" if len(uncertain) == len(table) else _n(len(uncertain)).capitalize()
        verb = "rests" if len(uncertain) == 1 else "rest"
        text += (f"{share} of the terms counted {verb} on one secondary source or on wide reporting rather than on "
                 f"the court record (confidence below 'high'; marked in the chart).")
    return text.strip()


def _n(k: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    return words[k] if 0 <= k < len(words) else str(k)


COMPARATOR_COLUMNS = ("case", "convicted", "total_years", "total_is_exact", "source")


def check_comparators(path: str | Path) -> None:
    """Refuse a comparators table a chart could not draw (missing columns, counts that are not numbers, an
    infinite total; an empty total is "not reported"), naming the line; read with the csv module, so before any
    kernel starts."""
    import csv

    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size > yamlfile.MAX_BYTES:
            raise InputError(f"comparators: {path} must be a CSV file of at most {yamlfile.MAX_BYTES:,} bytes")
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows, header = list(reader), reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"comparators: {path} cannot be read ({exc})") from None
    missing = set(COMPARATOR_COLUMNS) - set(header)
    if missing:
        raise InputError(f"comparators: {path} lacks column(s) {', '.join(sorted(missing))}")
    if len(rows) > MAX_DEFENDANTS:
        raise InputError(f"comparators: {path} has {len(rows)} rows; at most {MAX_DEFENDANTS} are supported")
    for i, row in enumerate(rows, start=2):
        for key, lo in (("convicted", 1), ("total_years", 0)):
            if key == "total_years" and not (row[key] or "").strip():
                continue  # not reported: listed, not drawn
            try:
                v = float(row[key])
            except (TypeError, ValueError):
                v = math.nan
            if not math.isfinite(v) or not lo <= v <= MAX_COUNT:
                raise InputError(f"comparators: {path} line {i}: '{key}' must be a number from {lo} to "
                                 f"{MAX_COUNT:,}, not {row[key]!r}")


def load_comparators(path: str | Path) -> "pd.DataFrame":
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise InputError(f"comparators: {path} not found")
    df = pd.read_csv(path, dtype={"total_is_exact": str})
    need = {"case", "convicted", "total_years", "total_is_exact", "source"}
    missing = need - set(df.columns)
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    df["exact"] = df["total_is_exact"].str.strip().str.lower().eq("yes")
    df["years_per_convicted"] = df["total_years"] / df["convicted"]
    return df


def case_dates(case: Case) -> list[dict]:
    out = []
    labels = {"investigation_launched": "Investigation launched", "trial_opened": "Trial opened",
              "verdicts": "Verdicts", "sentenced": "Sentenced"}
    for key, label in labels.items():
        v = case.info.get(key)
        if isinstance(v, dict) and v.get("date"):
            out.append({"date": str(v["date"]), "event": label, "source": v.get("source", ""),
                        "confidence": v.get("confidence", "")})
    scr = case.data.get("serious_case_review")
    if isinstance(scr, dict) and scr.get("published"):
        out.append({"date": str(scr["published"]), "event": "Serious case review published",
                    "source": scr.get("source", ""), "confidence": scr.get("confidence", "")})
    return out


# --- claim checks -----------------------------------------------------------------------------------------

CASE_CUES = r"jail|sentenc|prison|custody|convict|guilty|trial|court|charge|acquit|defendant"
CONVICT_WORDS = r"jailed|convicted|sentenced|guilty|imprisoned|locked up|found guilty|men|members|defendants|offenders"


def case_facts(case: Case, table) -> list[dict]:
    """Checkable facts of a case, each with the figure kind/unit it can be compared with and its cue words."""
    info = case.info
    facts = []
    if "convicted_count" in info:
        v = info["convicted_count"]
        facts.append({"fact": "people convicted", "kind": "count", "units": r"member|men|man|people|defendant|offender|abuser|gang|person",
                      "cues": CONVICT_WORDS, "value": float(v["value"]), "tolerance": 0.0, "tol_text": "",
                      "source": v.get("source", ""), "confidence": v.get("confidence", ""), "detail": ""})
    t = totals(table)
    if "reported_total_years" in info or len(table):
        v = info.get("reported_total_years", {})
        detail = "+".join(number(y) for y in t["terms"]) + f" = {number(t['custody_years'])}"
        facts.append({"fact": "total years of custody", "kind": "duration", "units": r"^years$", "cues": r"total|combined|between them|jailed|sentenced",
                      "value": float(t["custody_years"]), "tolerance": 0.0, "tol_text": "",
                      "source": v.get("source", str(case.path.name)), "confidence": v.get("confidence", "high"),
                      "detail": detail})
    if isinstance(info.get("trial_opened"), dict) and isinstance(info.get("verdicts"), dict):
        d0, d1 = info["trial_opened"]["date"], info["verdicts"]["date"]
        if isinstance(d0, dt.date) and isinstance(d1, dt.date):
            weeks = (d1 - d0).days / 7
            facts.append({"fact": "length of the trial", "kind": "duration", "units": r"^weeks$", "cues": r"trial|case|hearing",
                          "value": round(weeks), "tolerance": 1.0, "tol_text": "one week",
                          "source": f"{info['trial_opened'].get('source', '')}; {info['verdicts'].get('source', '')}",
                          "confidence": min_conf(info["trial_opened"].get("confidence"), info["verdicts"].get("confidence")),
                          "detail": f"{d0:%-d %b %Y} to {d1:%-d %b %Y} is {(d1 - d0).days} days, {weeks:.1f} weeks"})
    if isinstance(info.get("abuse_period"), dict):
        ap = info["abuse_period"]
        span = ap["to"] - ap["from"]
        facts.append({"fact": "length of the abuse", "kind": "duration", "units": r"^years$", "cues": r"abus|groom|rap|exploit|prostitut",
                      "value": float(span), "tolerance": 1.0, "tol_text": "one year (the article says 'about')",
                      "source": ap.get("source", ""), "confidence": ap.get("confidence", ""),
                      "detail": f"{ap['from']}-{ap['to']}"})
    return facts


def min_conf(*cs) -> str:
    ranks = {c: i for i, c in enumerate(CONFIDENCE)}
    cs = [c for c in cs if c]
    return max(cs, key=lambda c: ranks.get(c, 99)) if cs else ""


def check_claims(figures: "pd.DataFrame", case: Case | None, table: "pd.DataFrame | None") -> "pd.DataFrame":
    import pandas as pd

    """Match the article's figures to the case file's facts by kind, unit and nearby words, then compare."""
    cols = ["figure_id", "claim", "article_text", "article_value", "start", "end", "fact", "reference_value",
            "reference_detail", "source", "confidence", "verdict", "tolerance"]
    if case is None:
        return pd.DataFrame(columns=cols)
    facts = case_facts(case, table)
    candidates = []
    for _, f in figures.iterrows():
        if f["vague"] or pd.isna(f["value"]) or f["in_quote"]:
            continue
        if f["kind"] == "duration" and _followed_by_time_word(f) \
                and not re.search(r"\b(?:for|of|to|total)\s+(?:\w+\s+)?$", _before(f)):
            continue  # "A year after the trial ...": a point in time, not a length
        window, at = _window(f["context"], f["text"])
        for k, fact in enumerate(facts):
            if f["kind"] != fact["kind"] or not re.search(fact["units"], f["unit"]):
                continue
            dists = [min(abs(m.start() - at), abs(m.end() - at)) for m in re.finditer(fact["cues"], window, re.IGNORECASE)]
            if dists:
                candidates.append((min(dists), int(f["start"]), k, f))
    rows, used_facts, used_figs = [], set(), set()
    for _, _, k, f in sorted(candidates, key=lambda c: (c[0], c[1], c[2])):
        fact = facts[k]
        if k in used_facts or f["figure_id"] in used_figs:
            continue
        used_facts.add(k)
        used_figs.add(f["figure_id"])
        value = float(f["value"])
        diff = abs(value - fact["value"])
        if diff == 0:
            verdict = "consistent"
        elif diff <= fact["tolerance"] + 1e-9:
            verdict = "consistent within tolerance"
        else:
            verdict = "inconsistent"
        rows.append({"figure_id": f["figure_id"], "claim": f["context"], "article_text": f["text"],
                     "article_value": value, "start": int(f["start"]), "end": int(f["end"]), "fact": fact["fact"],
                     "reference_value": fact["value"], "reference_detail": fact["detail"], "source": fact["source"],
                     "confidence": fact["confidence"], "verdict": verdict,
                     "tolerance": fact["tol_text"] if verdict == "consistent within tolerance" else ""})
    # figures the article gives about the case that no fact in the case file covers: listed, not judged
    for _, f in figures.iterrows():
        if (f["figure_id"] in used_figs or f["vague"] or pd.isna(f["value"]) or f["in_quote"]
                or f["kind"] not in ("count", "duration") or f["unit"] == "age_years"
                or not re.search(CASE_CUES, _window(f["context"], f["text"], 40)[0], re.IGNORECASE)):
            continue
        if f["kind"] == "duration" and _followed_by_time_word(f):
            continue
        rows.append({"figure_id": f["figure_id"], "claim": f["context"], "article_text": f["text"],
                     "article_value": float(f["value"]), "start": int(f["start"]), "end": int(f["end"]), "fact": "",
                     "reference_value": float("nan"), "reference_detail": "the case file records no matching fact",
                     "source": case.path.name, "confidence": "", "verdict": "not checkable", "tolerance": ""})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("start", kind="stable").reset_index(drop=True)


def _followed_by_time_word(f) -> bool:
    """'a year after ...', 'two weeks ago': a duration used to place an event in time."""
    return bool(re.match(r"\s*(?:after|before|ago|later|earlier|on)\b", _after(f)))


def _before(f) -> str:
    i = f["context"].find(f["text"])
    return f["context"][:i] if i >= 0 else ""


def _after(f) -> str:
    i = f["context"].find(f["text"])
    return f["context"][i + len(f["text"]):] if i >= 0 else ""


def _window(context: str, text: str, width: int = 60) -> tuple[str, int]:
    """The words around a figure in its sentence, and the figure's position in them."""
    i = context.find(text)
    if i < 0:
        return context, 0
    lo = max(0, i - width)
    return context[lo: i + len(text) + width], i - lo
