"""Structure a plain-text news article into tidy tables whose rows all point back into the text.

``extract_article(path, meta)`` returns the tables as pandas DataFrames; ``write_tables`` validates
them against :mod:`briefing.extract.schemas` and writes them (CSV + JSON) into a folder, atomically.
"""

from __future__ import annotations

import bisect
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import __version__, nofollow, slugs
from ..errors import InputError
from ..meta import ArticleMeta, load_meta, sidecar_for
from ..text import read_article, sentence_spans, split_paragraphs, strip_unprintable
from . import arithmetic, court
from .years import money_years
from .dates import find_dates
from .entities import Organisation, Person, find_organisations, find_people
from .figures import extract_figures
from .marks import quotation_view
from .quotes import attribute, find_quote_spans
from .schemas import COLUMNS

TABLES = ["paragraphs", "figures", "quotes", "people", "organisations", "dates", "checks", "defendants", "court"]
CONTEXT_CHARS = 600  # the longest sentence kept whole in figures.csv (real ones are under 400 characters)


@dataclass
class Extraction:
    article: dict
    text: str
    tables: dict[str, pd.DataFrame]
    warnings: list[str]


def add_speakers(people: list[Person], orgs: list[Organisation], speakers) -> None:
    """After attribution: the resolver has added speakers named only in a reporting clause ("Mr Justice Harding
    said", "Water UK, which represents ...") to ``people`` and ``orgs`` as it met them; an organisation known
    before gains the mention it was named by as a speaker, and both lists go back into reading order."""
    from .speakers import ORGANISATION

    by_name = {o.name: o for o in orgs}
    for sp in speakers:
        org = by_name.get(sp.name) if sp.type == ORGANISATION else None
        if org is not None and sp.start not in org.positions:
            org.positions.append(sp.start)
            org.positions.sort()
    people.sort(key=lambda p: p.positions[0])
    orgs.sort(key=lambda o: o.positions[0])


def extract_text(text: str, meta: ArticleMeta | None = None) -> dict[str, pd.DataFrame]:
    """All tables for an already-normalised text."""
    paras = split_paragraphs(text)
    starts = [p.start for p in paras]

    def para_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    sentences = sentence_spans(text, paras)
    sent_starts = [s for s, _ in sentences]

    def context(pos: int) -> str:
        """The figure's sentence, at most CONTEXT_CHARS of it: a text of thousands of figures and no full stop
        once wrote its whole length into every row (50 kB of article, 1 GB of figures.csv)."""
        if not sentences:
            return ""
        s, e = sentences[max(0, bisect.bisect_right(sent_starts, pos) - 1)]
        return text[s:e] if e - s <= CONTEXT_CHARS else text[s:s + CONTEXT_CHARS - 1] + "…"

    people = find_people(text)
    orgs = find_organisations(text)
    view = quotation_view(text)  # straight single marks as the quotation marks or apostrophes they stand for
    quotes = find_quote_spans(view, paras)
    add_speakers(people, orgs, attribute(view, paras, quotes, people, orgs))
    quote_starts = [q.start for q in quotes]

    def in_quote(pos: int) -> bool:
        i = bisect.bisect_right(quote_starts, pos) - 1
        return i >= 0 and quotes[i].start <= pos < quotes[i].end
    figures = extract_figures(text)
    published = meta.published if meta else None
    period_spans = [(f.start, f.end) for f in figures if f.kind in ("period", "money")]
    dates = find_dates(text, published, exclude=period_spans)

    fig_rows = [{
        "figure_id": f"F{i + 1:03d}", "kind": f.kind, "text": text[f.start:f.end],
        "value": f.value, "value_max": f.value_max, "unit": f.unit, "qualifier": f.qualifier, "vague": f.vague,
        "start": f.start, "end": f.end, "paragraph": para_of(f.start),
        "in_quote": in_quote(f.start), "context": context(f.start),
    } for i, f in enumerate(figures)]
    quote_rows = [{
        "quote_id": f"Q{i + 1:03d}", "speaker": q.speaker, "speaker_type": q.speaker_type, "role": q.role,
        "text": text[q.start:q.end],
        "start": q.start, "end": q.end, "paragraph_start": para_of(q.start), "paragraph_end": para_of(q.end - 1),
        "kind": q.kind, "attribution": q.attribution,
    } for i, q in enumerate(quotes)]
    people_rows = [{
        "name": p.name, "role": p.role, "organisation": p.organisation, "first_start": p.spans[0][0],
        "first_end": p.spans[0][1], "mentions": len(p.positions),
    } for p in people]
    org_rows = [{"name": o.name, "mentions": len(o.positions), "first_start": o.positions[0],
                 "first_end": o.positions[0] + len(o.name)} for o in orgs]
    para_rows = [{"paragraph": p.index, "start": p.start, "end": p.end, "is_bullet": p.is_bullet, "text": p.text}
                 for p in paras]
    date_rows = [{"text": text[d.start:d.end], "date": d.date, "precision": d.precision, "relative": d.relative,
                  "start": d.start, "end": d.end} for d in dates]
    years = money_years(text, fig_rows, date_rows, sentences)
    for r in fig_rows:
        r["year"], r["year_basis"] = years.get(r["figure_id"], ("", ""))
    check_rows = arithmetic.check_rows(text, fig_rows, sentences)
    defendants = court.find_defendants(text, sentences, people, [(r["start"], r["value"]) for r in fig_rows
                                                                if r["unit"] == "age_years" and r["value"]])
    record = court.case_record(text, sentences, fig_rows, date_rows, people, defendants)  # may apply an appeal
    defendant_rows = [{
        "name": d.name, "age": d.age, "outcome": d.outcome, "sentence": d.sentence, "term_years": d.term_years,
        "minimum_term_years": d.minimum_term_years, "suspended_years": d.suspended_years,
        "offences": ";".join(d.offences), "text": text[d.start:d.end], "start": d.start, "end": d.end,
        "paragraph": para_of(d.start)} for d in defendants]
    court_rows = [{"fact": k, "value": json.dumps(v["value"], ensure_ascii=False), "figure_id": v["figure_id"],
                   "text": v["text"], "start": v["start"], "end": v["end"]} for k, v in record.items()]
    rows = {"paragraphs": para_rows, "figures": fig_rows, "quotes": quote_rows, "people": people_rows,
            "organisations": org_rows, "dates": date_rows, "checks": check_rows, "defendants": defendant_rows,
            "court": court_rows}
    from .schemas import schemas  # pandera is imported only where tables are made, not where they are read

    tables = {}
    for name in TABLES:
        schema = schemas()[name]
        df = pd.DataFrame(rows[name], columns=list(schema.columns))
        for col, spec in schema.columns.items():
            dtype = str(spec.dtype)
            if dtype.startswith("int"):
                df[col] = df[col].astype("int64")
            elif dtype.startswith("float"):
                df[col] = df[col].astype("float64")
            elif dtype == "bool":
                df[col] = df[col].astype("bool")
            else:
                df[col] = df[col].astype(object).where(df[col].notna(), "").astype(str)
        tables[name] = schema.validate(df)
    return tables


# A made-up article (none of it reaches a briefing) touching the extractor's main paths: sums of money in several
# notations, ranges, financial years, percentages, ages, sentences, number words, dates, a quote and its speaker.
_WARM_UP_TEXT = (
    "Thames Valley Police said on 13 January 2014 that seven men, aged between 18 and 38, were jailed for a total "
    "of 95 years at the Old Bailey. Mohammed Ali, 32, of Cowley Road, received 12 years.\n\n"
    "\u201cWe have learned a great deal,\u201d said Jane Smith, the leader of Oxfordshire County Council. "
    "'It is not enough,' she added.\n\n"
    "The budget rose from \u00a324m in 2006/07 to \u00a348.5 million in 2013-14, up 12 per cent (5%) a year, and "
    "$3.5bn was spent between 2010 and 2012. One in five children, some 17-year-olds, waited for decades; a four-bed "
    "home cost \u00a35m to \u00a37m, or 300,000 pounds each, last week.\n\n"
    "- Four new children's homes\n- 1,200 extra visits over two years\n")
_warmed = False


def warm_up() -> None:
    """Extract a made-up article once and throw the result away, so that this process has compiled the extractor's
    regular expressions (Python caches them per process) and built its table schemas. A kernel template that
    forks the kernels of many articles calls it once; each notebook 01 then saves some 0.3 CPU-seconds."""
    global _warmed
    if not _warmed:
        extract_text(_WARM_UP_TEXT)
        _warmed = True


def extract_article(path: str | Path, meta_path: str | Path | None = None) -> Extraction:
    art = read_article(path)
    meta = load_meta(meta_path, article_path=path)
    tables = extract_text(art.text, meta)
    paras = tables["paragraphs"]
    slug = slugs.article_slug(path, meta.slug if meta else "", meta_path or sidecar_for(path))
    article = {
        "slug": slug,
        "title": meta.title if meta else "",
        "outlet": meta.outlet if meta else "",
        "url": meta.url if meta else "",
        "published": meta.published.isoformat() if meta and meta.published else "",
        "published_note": meta.published_note if meta else "",
        "source_file": strip_unprintable(Path(path).name)[0],
        "sha256": art.sha256,
        "encoding": art.encoding,
        "characters": len(art.text),
        "paragraphs": int(len(paras)),
        "extractor_version": __version__,
    }
    return Extraction(article, art.text, tables, art.warnings + list(meta.warnings))


# what a tables folder holds: notebook 01's files and the subfolders notebooks 02-04 write
_TABLE_FILES = {"article.json", "text.txt", "court.json"} | {f"{t}.csv" for t in TABLES}
_TABLE_DIRS = {"funding", "sentencing", "briefing"}


def _only_tables(folder: Path) -> bool:
    """Empty, or nothing but an earlier run's tables (an article.json alone does not make a tables folder)."""
    entries = list(folder.iterdir())
    if not entries:
        return True
    names = {p.name for p in entries}
    return ("article.json" in names and "text.txt" in names
            and all(p.name in _TABLE_FILES or (p.is_dir() and p.name in _TABLE_DIRS) for p in entries))


def write_tables(ex: Extraction, out_dir: str | Path) -> Path:
    """Write article.json, text.txt and the CSVs into ``out_dir``, replacing it only when all are written."""
    out_dir = Path(os.path.abspath(out_dir))
    nofollow.refuse_links(out_dir, "--out")  # the folder is replaced whole: never through a link
    out_dir = out_dir.parent.resolve() / out_dir.name
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: is a file; name a folder for the tables")
    if out_dir.is_dir() and not _only_tables(out_dir):
        # the folder is replaced whole: never one that holds something other than an earlier run's tables
        raise InputError(f"{out_dir}: holds other files, and the tables replace the whole folder; name a new one")
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot be made ({exc.strerror or exc})") from None
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        (tmp / "text.txt").write_text(ex.text, encoding="utf-8", newline="\n")
        (tmp / "article.json").write_text(json.dumps(ex.article, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for name, df in ex.tables.items():
            df.to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n")
        (tmp / "court.json").write_text(json.dumps(court_json(ex.tables["court"]), indent=2, ensure_ascii=False)
                                        + "\n", encoding="utf-8")
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out_dir, old)
            os.replace(tmp, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def court_json(table: pd.DataFrame) -> dict:
    """The court record as ``court.json`` holds it: fact -> {value, figure_id, text, start, end}; {} when the
    article is not a court story."""
    return {r["fact"]: {"value": json.loads(r["value"]), "figure_id": r["figure_id"], "text": r["text"],
                        "start": int(r["start"]), "end": int(r["end"])} for _, r in table.iterrows()}


def read_tables(folder: str | Path) -> tuple[dict, str, dict[str, pd.DataFrame]]:
    """Read what :func:`write_tables` wrote: (article, text, tables)."""
    folder = Path(folder)
    if not (folder / "article.json").exists():
        raise InputError(f"{folder}: no article.json here; run notebook 01 (or 'briefing extract') first")
    article = json.loads((folder / "article.json").read_text(encoding="utf-8"))
    text = (folder / "text.txt").read_text(encoding="utf-8")
    tables = {}
    for name in TABLES:
        df = pd.read_csv(folder / f"{name}.csv", keep_default_na=False, na_values={"value": [""], "value_max": [""]})
        for col, dtype in COLUMNS[name].items():
            if dtype is str:
                df[col] = df[col].astype(str)
            elif dtype is float:
                df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
        tables[name] = df
    return article, text, tables


__all__ = ["extract_article", "extract_text", "write_tables", "read_tables", "Extraction", "TABLES"]
