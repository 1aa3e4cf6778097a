"""The article's own arithmetic: figures its sentences relate to each other, and whether the relation holds.

A relation is looked for only where the wording states it and names every operand in the same sentence (or, for
a difference, the same paragraph): "spent £4.512bn …, compared with a budget figure of £4.187bn, surpassing their
budgets by £325m" (difference), "… a total of £6m" (total), "87 – 57 per cent – of the 152 councils" (share),
"rose almost 80 per cent …, to more than 92,000 …, compared with 51,300" (change), "over 12 years … between 2003
and 2015" (span of years). Operands agree in kind and unit: never money against people.

Verdicts, for the claimed figure against the computed one:

- ``consistent``: equal;
- ``within_rounding``: equal once the computed value is rounded or truncated to the precision the claim is
  written with ("£325m" to the million, "£2.1m" to the hundred thousand, "80 per cent" to ten), or a qualifier the
  claim carries holds ("almost 80 per cent" of 79.3, "more than 92,000");
- ``likely_typo``: inconsistent as printed but consistent under one standard misprint, named: a thousands
  separator for a decimal point ("£15,160m" for £15.160m), m for bn or bn for m, a dropped or an extra zero;
- ``inconsistent``: none of these.

Caution first: a relation whose operands are not unambiguous gives no check; a false "inconsistent" is the worst
thing this module could print.
"""
from __future__ import annotations

import bisect
import re

from .relations import find_checks
from .verdicts import CONSISTENT, INCONSISTENT, ROUNDING, TYPO, Check, Fig, explain, precision, verdict_of

__all__ = ["CONSISTENT", "INCONSISTENT", "ROUNDING", "TYPO", "Check", "Fig", "check_rows", "find_checks",
           "precision", "verdict_of"]


# --- the table ----------------------------------------------------------------------------------------------

def check_rows(text: str, figure_rows: list[dict], sentences: list[tuple[int, int]]) -> list[dict]:
    """Rows of ``checks.csv`` from the rows of ``figures.csv`` (see extract_text)."""
    sentence_starts = [s for s, _ in sentences]
    figs = []
    for r in figure_rows:
        if r["vague"] or r["value"] is None or (r["value_max"] is not None and r["kind"] != "period"):
            continue  # ranges ("between four and 12 years") are not operands
        span = None
        if r["kind"] == "period" and r["value_max"] is not None and re.match(r"(?:between|from)\b", r["text"], re.I):
            span = float(r["value_max"] - r["value"])
        figs.append(Fig(r["figure_id"], r["kind"], r["text"], float(r["value"]), r["unit"], r["qualifier"] or "",
                        r["start"], r["end"], r["paragraph"], bisect.bisect_right(sentence_starts, r["start"]) - 1,
                        span, text[r["end"]:r["end"] + 12]))
    rows = []
    for i, c in enumerate(find_checks(text, figs, sentences)):
        rows.append({
            "check_id": f"C{i + 1:03d}", "relation": c.relation,
            "claim_figure_id": c.claim.id if c.claim.kind != "multiple" else "",
            "claim_text": c.extra.get("printed", c.claim.text), "claim_start": c.claim.start,
            "claim_end": c.claim.start + len(c.extra.get("printed", c.claim.text)),
            "claimed_value": c.claim.value, "computed_value": float(c.computed),
            "operands": ";".join(f.id for f in c.operands), "formula": c.formula, "verdict": c.verdict,
            "explanation": explain(c),
        })
    return rows
