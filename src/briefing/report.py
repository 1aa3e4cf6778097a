"""The briefing's sections as HTML, built from the processed folder (notebooks 01-03).

All article and reference text is escaped with :func:`html.escape`; nothing from an article is ever
interpreted as markup or as a template. Every number taken from the article carries a numbered
note pointing to the sentence it came from (a link in HTML, a footnote-style list in the PDF).
"""

from __future__ import annotations

import base64
import bisect
import json
import platform
import re
from dataclasses import dataclass, field, replace
from html import escape, unescape
from pathlib import Path

import pandas as pd

from . import __version__, chart
from .extract import read_tables
from .court_record import SOURCE as RECORD_SOURCE
from .format import in_years, number, pct
from .text import sentence_spans, split_paragraphs


def e(x) -> str:
    return escape("" if x is None else str(x), quote=True)


# A section lists at most this many of the article's items (sums, quotes, dates, ...), so that a briefing of a
# very long article stays readable and its HTML and PDF take bounded time (a 1 MB article once printed 2,000
# pages); the rest are counted, and all of them are in the tables.
MAX_LISTED = 50


def listed(df: pd.DataFrame, render, what: str, table: str) -> tuple[list, str]:
    """``render`` applied to the first MAX_LISTED rows only (each cites notes: none for rows not shown), and a
    line saying how many more there are and where they are."""
    shown = [render(r) for _, r in df.head(MAX_LISTED).iterrows()]
    if len(df) <= MAX_LISTED:
        return shown, ""
    return shown, (f'<p class="more">The briefing lists the first {MAX_LISTED} {what} of {len(df):,}; the '
                   f'other {len(df) - MAX_LISTED:,} are in <code>{e(table)}</code> with the tables.</p>')


@dataclass
class Notes:
    """Numbered references from figures in the briefing to sentences of the article."""
    text: str
    items: list[tuple[str, int, int]] = field(default_factory=list)  # (note id, start, end)
    _spans: list[tuple[int, int]] | None = field(default=None, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)
    _numbers: dict[tuple[int, int], int] = field(default_factory=dict, repr=False)  # (start, end) -> first note

    def cite(self, start: int, end: int) -> str:
        # notes by their span, not a scan of every note for each citation (quadratic in a long briefing)
        for i in range(len(self._numbers), len(self.items)):
            self._numbers.setdefault(self.items[i][1:], i + 1)
        i = self._numbers.get((start, end))
        if i is not None:
            return f'<a class="note" href="#{self.items[i - 1][0]}" aria-label="source note {i}">[{i}]</a>'
        nid = f"note-{len(self.items) + 1}"
        self.items.append((nid, start, end))
        return f'<a class="note" href="#{nid}" aria-label="source note {len(self.items)}">[{len(self.items)}]</a>'

    def sentence_of(self, start: int, end: int) -> tuple[str, int, int]:
        """The sentence around [start, end) as the extractor splits sentences (the figures' ``context``):
        (sentence, offset of the span in it, end offset in it)."""
        if self._spans is None:
            self._spans = sentence_spans(self.text, split_paragraphs(self.text))
            self._starts = [s for s, _ in self._spans]
        if not self._spans:
            return self.text[start:end], 0, end - start
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        s, e = self._spans[i]
        while e < end and i + 1 < len(self._spans):  # a span that runs over a sentence end
            i += 1
            e = self._spans[i][1]
        s = min(s, start)
        return self.text[s:max(e, end)], start - s, end - s


@dataclass
class Briefing:
    article: dict
    text: str
    tables: dict
    funding: dict | None
    funding_findings: dict | None
    sentencing: dict | None
    params: dict
    notes: Notes
    processed: Path
    _figures_by_id: tuple | None = field(default=None, repr=False)  # (figures table, figure_id -> row number)


def _optional_csv(path: Path, numeric: list[str]) -> pd.DataFrame:
    """A table notebook 02 writes since budget stories were analysed; empty when an older run did not."""
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, keep_default_na=False, na_values={c: [""] for c in numeric})


def load(processed_dir: str | Path, params: dict | None = None) -> Briefing:
    processed = Path(processed_dir)
    article, text, tables = read_tables(processed)
    fdir, sdir = processed / "funding", processed / "sentencing"
    funding = None
    findings = None
    if fdir.exists():
        findings = json.loads((fdir / "findings.json").read_text(encoding="utf-8"))
        funding = {
            "series": pd.read_csv(fdir / "series.csv", keep_default_na=False, na_values={"real": [""], "deflator": [""]}),
            "sums": _optional_csv(fdir / "sums.csv", ["real", "deflator"]),
            "budget": _optional_csv(fdir / "budget.csv", ["pct_of_budget"]),
            "growth": json.loads((fdir / "growth.json").read_text(encoding="utf-8")),
            "per_unit": pd.read_csv(fdir / "per_unit.csv", keep_default_na=False, na_values={"share_pct": [""]}),
            "dir": fdir,
        }
    sent = None
    if sdir.exists():
        sent = {
            "claims": pd.read_csv(sdir / "claims.csv", keep_default_na=False),
            "article_sentences": pd.read_csv(sdir / "article_sentences.csv", keep_default_na=False),
            "dir": sdir,
        }
        if (sdir / "case.json").exists():
            sent["case"] = json.loads((sdir / "case.json").read_text(encoding="utf-8"))
            sent["sentences"] = pd.read_csv(sdir / "sentences.csv", keep_default_na=False)
        if (sdir / "record.json").exists():
            sent["record"] = json.loads((sdir / "record.json").read_text(encoding="utf-8"))
        if (sdir / "comparators.csv").exists():
            sent["comparators"] = pd.read_csv(sdir / "comparators.csv", keep_default_na=False,
                                              na_values={"total_years": [""], "years_per_convicted": [""]})
    return Briefing(article, text, tables, funding, findings, sent, params or {}, Notes(text), processed)


def _fig(b: Briefing, figure_id: str) -> pd.Series | None:
    """The first figures row with this id (looked up in an index made once, not by filtering the table for every
    citation: quadratic in an article of many figures)."""
    f = b.tables["figures"]
    if b._figures_by_id is None or b._figures_by_id[0] is not f:
        index: dict = {}
        for i, fid in enumerate(f["figure_id"]):
            index.setdefault(fid, i)
        b._figures_by_id = (f, index)
    i = b._figures_by_id[1].get(figure_id)
    return f.iloc[i] if i is not None else None


def cited(b: Briefing, figure_id: str, shown: str | None = None) -> str:
    f = _fig(b, figure_id)
    if f is None:
        return e(shown or "")
    return f'{e(shown if shown is not None else f["text"])}{b.notes.cite(int(f["start"]), int(f["end"]))}'


def figure_html(chart, fig_id: str) -> str:
    if chart is None:
        return ""
    data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return (f'<figure class="chart" id="{e(fig_id)}"><img src="data:image/svg+xml;base64,{data}" alt="{e(chart.alt)}">'
            f'<figcaption>{e(chart.caption)} <span class="source">{e(chart.source)}</span></figcaption></figure>')


# a table of at most this many rows is kept on one page; a longer one breaks between rows, its header repeated
SHORT_TABLE_ROWS = 8


def table_html(caption: str, header: list[str], rows: list[list[str]], cls: str = "") -> str:
    """``rows`` hold HTML already escaped by the caller (cells may contain note links).

    Each cell carries its column's name (``data-label``) so that on a phone the stylesheet can show every row as a
    block of labelled lines instead of a table scrolled sideways; the ARIA roles keep it a table for screen
    readers when its display is changed."""
    head = "".join(f'<th scope="col" role="columnheader">{e(h)}</th>' for h in header)
    body = "".join('<tr role="row">' + "".join(f'<td role="cell" data-label="{e(h)}">{c}</td>' for h, c in zip(header, r))
                   + "</tr>" for r in rows)
    cls = f"{cls} short".strip() if len(rows) <= SHORT_TABLE_ROWS else cls
    return (f'<table class="{e(cls)}" role="table"><caption>{e(caption)}</caption>'
            f'<thead role="rowgroup"><tr role="row">{head}</tr></thead><tbody role="rowgroup">{body}</tbody></table>')


def section(sid: str, title: str, body: str) -> str:
    return f'<section id="{e(sid)}" class="section"><h2>{e(title)}</h2>{body}</section>'


# --- sections ----------------------------------------------------------------------------------------------

def header(b: Briefing) -> str:
    a = b.article
    title = a.get("title") or a.get("slug", "Briefing")
    meta = " · ".join(x for x in (a.get("outlet"), _date_text(a.get("published")), ) if x)
    summary = summary_text(b)
    return (f'<header class="masthead"><p class="kicker">Briefing</p><h1>{e(title)}</h1>'
            f'<p class="dek {"source" if meta else "no-source"}">{e(meta) if meta else "Source and date not given"}</p>'
            f'<p class="summary">{summary}</p></header>')


def _date_text(iso: str | None) -> str:
    if not iso:
        return ""
    import datetime as dt
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


def summary_text(b: Briefing) -> str:
    parts = []
    s = b.sentencing or {}
    claims = s.get("claims")
    case = s.get("case")
    if case and case.get("from_article"):
        t = case["totals"]
        life = f", {e(number(t['life']))} of them to life" if t["life"] else ""
        parts.append(f"The article names {e(number(t['defendants']))} "
                     f"{'person' if t['defendants'] == 1 else 'people'} sentenced to custody{life}; their terms "
                     f"(minimum terms for life) add up to {e(in_years(t['custody_years']))}, as reported in the "
                     f"article and not checked against the court record.")
    elif not case and (b.tables["defendants"]["outcome"] != "unknown").any():
        d = b.tables["defendants"]
        outcomes = ", ".join(f"{number(n)} {o}" for o, n in d["outcome"].value_counts(sort=False).items() if o != "unknown")
        parts.append(f"The article names {_count(len(d), 'defendant')} ({e(outcomes)}), with no custodial term for "
                     f"any one of them; as reported, not checked against the court record.")
    elif not case and s.get("record", {}).get("facts"):
        facts = s["record"]["facts"]
        said = [f"{number(facts[k]['value'])} {w}" for k, w in (("convicted", "people convicted"),
                                                                 ("reported_total_years", "years in total"),
                                                                 ("trial_weeks", "weeks of trial"))
                if isinstance((facts.get(k) or {}).get("value"), (int, float))]
        if said:
            parts.append(f"The article reports {e(', '.join(said))}, with no sentence given person by person "
                         f"(not checked against the court record).")
    elif case:
        t = case["totals"]
        parts.append(f"The court case behind the article, {e(case['operation'] or case['name'])}, ended with "
                     f"{e(number(t['defendants']))} people sentenced; {e(number(t['life']))} received life sentences, "
                     f"and the reported total of {e(number(t['custody_years']))} years adds their minimum terms to the fixed terms.")
    if b.funding_findings and b.funding_findings["findings"]:
        parts.append(e(b.funding_findings["findings"][0]["text"]))
    if claims is not None and len(claims):
        checked = claims[claims["verdict"] != "not checkable"]
        ok = int(checked["verdict"].str.startswith("consistent").sum())
        if len(checked):
            against = "its own per-defendant sentences" if (case or {}).get("from_article") else "the court record"
            parts.append(f"Of the article's {_count(len(checked), 'checkable claim')}, {ok} "
                         f"{'agrees' if ok == 1 else 'agree'} with {against}.")
    arithmetic = arithmetic_summary(b)
    if arithmetic:
        parts.append(arithmetic)
    if not parts:
        f = b.tables["figures"]
        q = b.tables["quotes"]
        parts.append(f"The article has {_count(len(f), 'figure')} and {_count(len(q), 'quotation')}; no funding series "
                     f"or court record was available to analyse them against.")
    speakers = list(dict.fromkeys(s for s in b.tables["quotes"]["speaker"] if s))
    if speakers and not (b.sentencing or {}).get("case"):
        named = ", ".join(e(s) for s in speakers[:4]) + (f" and {len(speakers) - 4} more" if len(speakers) > 4 else "")
        parts.append(f"It quotes {named}.")
    return " ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


MAX_CARDS = 6


def key_figures(b: Briefing) -> str:
    """Cards: each value comes from a figures row (with a note) or a reference row (naming its source).

    At most MAX_CARDS are shown, a likely typo first. A card's value is made (and its note numbered) only when the
    card is shown, in the order the cards are listed: an article of thousands of series once gave the briefing a
    note for every one of them, and made each card by filtering the whole series table (quadratic)."""
    cards = []  # (make the value's HTML, label, source)
    s = b.sentencing or {}
    claims = s.get("claims")
    if claims is not None and len(claims):
        for _, c in claims[claims["fact"].isin(["total years of custody", "people convicted"])].iterrows():
            label = "years in total, as reported" if c["fact"].startswith("total") else "people jailed"
            cards.append((lambda c=c: cited(b, c["figure_id"], number(c["article_value"])), label, "the article"))
    case = s.get("case")
    if case and case["totals"]["life"]:
        cards.append((lambda: e(number(case["totals"]["life"])), "life sentences among them",
                      "the article" if case.get("from_article") else f"case file {case['file']}"))
    if b.funding:
        ser = b.funding["series"]
        last_row = {sid: i for i, sid in enumerate(ser["series_id"])} if len(ser) else {}  # each series' last year
        for g in b.funding["growth"]:
            if len(cards) >= MAX_CARDS:
                break  # the rest would not be shown
            last = ser.iloc[last_row[g["series_id"]]]
            cards.append((lambda last=last: cited(b, last["figure_id"]), f"{g['label']}, {g['to']}", "the article"))
            if g["real_pct"] == g["real_pct"]:
                cards.append((lambda g=g: e(pct(g["real_pct"], 0, signed=True)),
                              f"real-terms change {g['from']} to {g['to']}", b.funding_findings["deflator_source"]))
        for _, u in b.funding["per_unit"].head(MAX_CARDS).iterrows():
            cards.append((lambda u=u: cited(b, u["figure_id"]), f"for {u['count_text']}", "the article"))  # _card escapes the label
        comps = b.funding.get("budget", pd.DataFrame())
        for _, c in comps.head(2).iterrows():
            who = c["entity"] or "spend"
            cards.append((lambda c=c: e(pct(c["pct_of_budget"], signed=True)),
                          f"{who[0].upper() + who[1:]}: spend against budget" + (f", {c['year']}" if c["year"] else ""),
                          "the article"))
    c = _checks(b)
    typos = [(lambda r=r: f'{e(r["claim_text"])}{b.notes.cite(int(r["claim_start"]), int(r["claim_end"]))}',
              "printed so, but most likely a typo: see “The article's arithmetic”", "the article")
             for _, r in c[c["verdict"] == "likely_typo"].head(2).iterrows()]  # a misprint a reader should not repeat
    if not cards and not typos:
        return ""
    # the values are made in the order listed (the notes' numbers follow it), the typos shown first, the last first
    made = [_card(make(), label, source) for make, label, source in cards[:max(0, MAX_CARDS - len(typos))] + typos]
    shown = made[len(made) - len(typos):][::-1] + made[:len(made) - len(typos)]
    return section("key-figures", "Key figures", '<div class="cards">' + "".join(shown[:MAX_CARDS]) + "</div>")


def save_summary(b: Briefing) -> dict:
    """Write ``briefing/summary.json`` (title, outlet, date, key figures as text) into the processed folder, for the
    index page of a batch; returns it."""
    a = b.article
    summary = {"slug": a.get("slug", ""), "title": a.get("title") or a.get("slug", ""), "outlet": a.get("outlet", ""),
               "published": a.get("published", ""), "key_figures": key_figure_texts(b)}
    folder = b.processed / "briefing"  # not beside notebook 01's tables, whose hash keys the later stages
    folder.mkdir(exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary


def key_figure_texts(b: Briefing) -> list[str]:
    """The key-figure cards as plain text ("95: years in total, as reported")."""
    html = key_figures(replace(b, notes=Notes(b.text)))  # fresh notes: the briefing's numbering stays untouched
    out = []
    for value, label in re.findall(r'<p class="value">(.*?)</p><p class="label">(.*?)</p>', html, re.S):
        value = re.sub(r"<a [^>]*>.*?</a>", "", value)
        out.append(f"{unescape(value)}: {unescape(label)}")
    return out


def _card(value_html: str, label: str, source: str) -> str:
    return (f'<div class="card"><p class="value">{value_html}</p><p class="label">{e(label)}</p>'
            f'<p class="card-source">Source: {e(source)}</p></div>')


def sentencing_section(b: Briefing) -> str:
    """Sentencing: the case file's record, or the one drafted from the article (``sentencing_report``)."""
    from .sentencing_report import sentencing_section as section_html

    return section_html(b)


def funding_section(b: Briefing) -> str:
    """Funding: series in real terms, spend against budget, every sum with its year (``funding_report``)."""
    from .funding_report import funding_section as section_html

    return section_html(b)


# an unattributed quotation of fewer words than this is a phrase in quotation marks, not a voice
MIN_UNATTRIBUTED_WORDS = 8


def _voices(b: Briefing) -> pd.DataFrame:
    q = b.tables["quotes"]
    return q[q["speaker"].astype(bool) | (q["text"].str.split().str.len() >= MIN_UNATTRIBUTED_WORDS)]


def voices_section(b: Briefing) -> str:
    """Direct and partial quotations, grouped by speaker in the order they first speak; quotations the article
    gives no speaker for last, and only those longer than a phrase."""
    q = _voices(b)
    if q.empty:
        return ""  # listed in absent_section
    q = q.assign(_order=q["speaker"].map({s: i for i, s in enumerate(dict.fromkeys(q["speaker"]))}))
    q.loc[q["speaker"] == "", "_order"] = len(q) + 1

    def quote(r) -> tuple:
        words = " ".join(part.strip().lstrip("“\"‘`").strip() for part in r["text"].split("\n\n"))
        if r["kind"] == "partial":
            body = (f'<p>…“{e(words)}”…{b.notes.cite(int(r["start"]), int(r["end"]))}</p>'
                    '<footer>part of a sentence; the note gives the whole of it</footer>')
        else:
            body = f"<p>“{e(words)}”</p>"
        return r["_order"], r["speaker"], r["role"], r["speaker_type"], \
            f'<blockquote class="quote {e(r["kind"])}">{body}</blockquote>'

    items, more = listed(q, quote, "quotations", "quotes.csv")
    groups: dict = {}
    for order, speaker, role, stype, html in sorted(items, key=lambda t: t[0]):
        groups.setdefault((order, speaker, role, stype), []).append(html)
    out = []
    for (_, speaker, role, stype), quotes in groups.items():
        if speaker:
            who = f"<strong>{e(speaker)}</strong>" + (f', <span class="role">{e(role)}</span>' if role else "") \
                + (' <span class="stype">(organisation)</span>' if stype == "organisation" else "")
        else:
            who = "<strong>Speaker not named in the article</strong>"
        out.append(f'<div class="voice"><p class="who">{who}</p>{"".join(quotes)}</div>')
    return section("voices", "Voices", "".join(out) + more)


def timeline_section(b: Briefing) -> str:
    d = b.tables["dates"]

    def row(r) -> tuple:
        what = b.notes.sentence_of(int(r["start"]), int(r["end"]))[0]
        return (r["date"], f'{e(r["text"])}{b.notes.cite(int(r["start"]), int(r["end"]))}'
                + (f' <span class="resolved">(resolved to {e(_precise(r["date"], r["precision"]))})</span>' if r["relative"] else ""),
                e(_shorten(what)), "article")

    rows, more = listed(d[d["date"].astype(bool)], row, "dates", "dates.csv")
    case = (b.sentencing or {}).get("case")
    if case:
        for ev in case.get("dates", []):
            rows.append((ev["date"], e(ev["event"]), e(f"Source: {ev['source']}"), "case"))
    if not rows:
        return ""  # listed in absent_section
    rows.sort(key=lambda r: r[0])
    items = "".join(f'<li class="{e(k)}"><time datetime="{e(dte)}">{e(_precise(dte, None))}</time>'
                    f'<span class="what">{what}</span><span class="ctx">{ctx}</span></li>' for dte, what, ctx, k in rows)
    return section("timeline", "Timeline", f'<ol class="timeline">{items}</ol>{more}')


def _precise(iso: str, precision: str | None) -> str:
    import datetime as dt
    parts = iso.split("-")
    if len(parts) == 3:
        d = dt.date.fromisoformat(iso)
        return (f"week of {d.day} {d:%b %Y}" if precision == "week" else f"{d.day} {d:%b %Y}")
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
    return iso


def _shorten(s: str, n: int = 140) -> str:
    return s if len(s) <= n else s[: n - 1].rsplit(" ", 1)[0] + "…"


def claims_section(b: Briefing) -> str:
    """Claim checks against the court record, or the article's own sentences (``sentencing_report``)."""
    from .sentencing_report import claims_section as section_html

    return section_html(b)


VERDICT_WORDS = {"consistent": "consistent", "within_rounding": "within rounding", "likely_typo": "likely typo",
                 "inconsistent": "inconsistent"}


RELATION_WORDS = {"difference": "difference", "total": "total", "share": "share", "change": "change",
                  "span": "span of years", "approximation": "rounded figure", "parts": "parts of a whole",
                  "per_unit": "amount per unit"}


def _checks(b: Briefing) -> pd.DataFrame:
    c = b.tables.get("checks")
    return c if c is not None else pd.DataFrame(columns=["verdict"])


def arithmetic_section(b: Briefing) -> str:
    """The article's figures checked against each other (checks.csv): one row a relation, its sum, a verdict."""
    c = _checks(b)
    if c.empty:
        return ""  # listed in absent_section

    def row(r) -> list:
        cls = {"consistent": "ok", "within_rounding": "ok", "likely_typo": "bad", "inconsistent": "bad"}[r["verdict"]]
        claim = f'{e(r["claim_text"])}{b.notes.cite(int(r["claim_start"]), int(r["claim_end"]))}'
        return [claim, e(RELATION_WORDS.get(r["relation"], r["relation"])), e(r["explanation"]),
                f'<span class="verdict {cls}">{e(VERDICT_WORDS[r["verdict"]])}</span>']

    rows, more = listed(c, row, "checks", "checks.csv")
    return section("arithmetic", "The article's arithmetic", table_html(
        "The article's figures checked against each other", ["Article says", "Relation", "Check", "Verdict"],
        rows, "arithmetic") + more)


def arithmetic_summary(b: Briefing) -> str:
    """One sentence: how many figures were checked against the others, and which fail ("£15,160m looks like a
    typo")."""
    c = _checks(b)
    if c.empty:
        return ""
    ok = int(c["verdict"].isin(["consistent", "within_rounding"]).sum())
    n = len(c)
    parts = [("all add up" if ok == n else f"{ok} {'adds' if ok == 1 else 'add'} up")] if ok else []
    for verdict, one, many in (("likely_typo", "looks like a typo", "look like typos"),
                               ("inconsistent", "does not add up", "do not add up")):
        bad = list(c.loc[c["verdict"] == verdict, "claim_text"])
        if bad:
            names = ", ".join(e(t) for t in bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
            parts.append(f"{names} {one if len(bad) == 1 else many}")
    head = "One of the article's figures" if n == 1 else f"{n} of the article's figures"
    return f"{head} can be checked against its others: " + "; ".join(parts) + "."


def absent_section(b: Briefing) -> str:
    """What the article does not have, in one line, instead of a heading and a sentence for each: a two-page
    briefing once spent half its first page on empty sections."""
    figs = b.tables["figures"]
    dates = b.tables["dates"]
    missing = []
    if b.funding is not None and figs[figs["kind"] == "money"].empty:
        missing.append("sums of money")
    if _voices(b).empty:
        missing.append("quotations")
    if not dates["date"].astype(bool).any() and not (b.sentencing or {}).get("case"):
        missing.append("dates")
    if not (b.sentencing or {}).get("case"):
        missing.append("a court record to check its figures against")
    if _checks(b).empty:
        missing.append("figures that can be checked against each other")
    if not missing:
        return ""
    return (f'<section id="absent" class="section absent"><p><strong>Not in this article:</strong> '
            f'{e(", ".join(missing))}.</p></section>')


def method_section(b: Briefing, versions: dict[str, str]) -> str:
    a = b.article
    ff = b.funding_findings
    items = [f"<li><strong>Article</strong>: {e(a.get('outlet') or 'unknown outlet')}, "
             f"{e(a.get('title') or a.get('source_file'))}"
             + (f", {e(a['url'])}" if a.get("url") else "") + f" (file {e(a['source_file'])}, sha256 {e(a['sha256'][:12])}…).</li>"]
    if a.get("published_note"):
        items.append(f"<li><strong>Publication date</strong> {e(a['published'])}: {e(a['published_note'])}</li>")
    if ff:
        items.append(f"<li><strong>Deflator</strong>: {e(ff['deflator_source'])}; real terms in {e(ff['base_year'])} prices, "
                     f"computed as cash × deflator({e(ff['base_year'])}) ÷ deflator(year). Forecast years are flagged.</li>")
    case = (b.sentencing or {}).get("case")
    if case and case.get("from_article") or (b.sentencing or {}).get("record"):
        items.append("<li><strong>Court record</strong>: no case file was given, so the record is drafted from the "
                     "article itself (who was convicted of what, each sentence, the stated totals and counts), "
                     f"{e(RECORD_SOURCE)}. <code>briefing case-draft</code> writes it as a case file for a reporter "
                     "to correct and render with.</li>")
        if (b.sentencing or {}).get("comparators") is not None:
            items.append("<li><strong>Comparators</strong>: totals are press aggregates; this article's case is "
                         "placed by its reported total over the people it says were convicted.</li>")
    elif case:
        items.append(f"<li><strong>Court record</strong>: case file {e(case['file'])}; each sentence carries its source and "
                     f"confidence (high: primary or two independent sources; medium: one secondary source or a stated "
                     f"inference; reported: widely reported, not verified). Minimum terms marked below 'high' are uncertain.</li>")
        items.append("<li><strong>Comparators</strong>: totals are press aggregates; bounds and partial totals are drawn as "
                     f"{chart.HATCHED}.</li>")
    items.append("<li><strong>Extraction</strong>: figures, quotations, people and dates are found by the briefing package's "
                 "rule-based extractor; each number from the article is linked to its sentence in the notes below.</li>")
    params = "".join(f"<li><code>{e(k)}</code> = <code>{e(v)}</code></li>" for k, v in sorted(b.params.items()))
    soft = ", ".join(f"{e(k)} {e(v)}" for k, v in versions.items())
    body = (f"<ul>{''.join(items)}</ul><h3>Parameters of this render</h3><ul class=\"params\">{params or '<li>defaults</li>'}</ul>"
            f"<h3>Software</h3><p class=\"software\">{soft}</p>")
    return section("method", "Method and sources", body)


def notes_section(b: Briefing) -> str:
    if not b.notes.items:
        return ""
    items = []
    for nid, s, en in b.notes.items:
        sent, a, z = b.notes.sentence_of(s, en)
        quoted = f"{e(sent[:a])}<mark>{e(sent[a:z])}</mark>{e(sent[z:])}" if 0 <= a < z <= len(sent) else e(sent)
        items.append(f'<li id="{e(nid)}">“{quoted}” <span class="offsets">(article characters {s}–{en})</span></li>')
    return section("notes", "Notes: where each figure comes from", f'<ol class="notes">{"".join(items)}</ol>')


def versions() -> dict[str, str]:
    from importlib.metadata import version
    out = {"briefing": __version__, "Python": platform.python_version()}
    for pkg in ("pandas", "matplotlib", "papermill", "nbconvert", "weasyprint"):
        try:
            out[pkg] = version(pkg)
        except Exception:  # pragma: no cover
            out[pkg] = "?"
    return out
