"""Budget stories: what each sum of money is (a budget, a spend, an overspend, a gap…), every sum with a year in
real terms, and spend set against budget per entity ("Councils in Wales", "Bridgend council").

It reads the tables of ``briefing extract``: the year of each sum from ``figures.csv`` and the differences the
article states from ``checks.csv`` (the arithmetic module's relations), so no sentence is parsed here twice.
Caution first: a sum's role comes from the words of its own clause; a pair is made only where a clause names one
spend and one budget in the same currency (or a sentence names one and the next, starting "Its" or "Their",
names the other). Anything less clear is listed without a role, not guessed.
"""

from __future__ import annotations

import re

import pandas as pd

from .deflators import fy_label
from .format import money
from .funding import deflator_lookup

ROLES = ("budget", "spend", "overspend", "underspend", "gap", "cut", "increase", "grant", "saving")
# cue words, looked for in the sum's clause; the nearest cue before the sum wins, a cue right after it first
CUES = {
    # "surpassing their budgets by £108m": a budget noun followed by "by" names the difference, not the budget
    "overspend": r"overspen[dt]\w*|over[-\s]budget|surpass\w*|exceed\w*|overshoot|overshot|budgets?\s+by",
    "underspend": r"under[-\s]?spen[dt]\w*|under[-\s]budget",
    "gap": r"(?:funding\s+)?gap|shortfall|deficit|black\s+hole",
    "budget": r"budget\w*|allocat\w*|set\s+aside|(?:was|were|been)\s+set|planned|forecast",
    "spend": r"spen[dt]\w*|outturn|costs?|costing|projected|expenditure",
    # a cut or an increase names the sum only as a noun ("a £5m cut", "an increase of £2m"): "increased from £24m"
    # is a budget at two dates
    "cut": r"(?:an?|the|its|their)\s+(?:[\w-]+\s+)?(?:cut|reduction)\s+(?:of|worth)|cuts\s+of|"
           r"(?:to|will|would|plans?\s+to)\s+cut",
    "increase": r"(?:an?|the|its|their)\s+(?:[\w-]+\s+)?(?:increase|rise|uplift|boost)\s+(?:of|worth)",
    "grant": r"grants?|award\w*|fund(?:ed|ing)?\s+(?:of|worth)|funding\s+of",
    "saving": r"savings?",
}
AFTER = {
    "overspend": r"^\s*(?:(?:over|above|more\s+than)\s+(?:its|the|their|a|his|her)\s+(?:[\w-]+\s+)?budget|overspend)",
    "underspend": r"^\s*(?:(?:under|below|less\s+than)\s+(?:its|the|their|a|his|her)\s+(?:[\w-]+\s+)?budget|underspend)",
    "gap": r"^\s*(?:funding\s+)?(?:gap|shortfall|deficit|black\s+hole)\b",
    "budget": r"^\s*(?:(?:annual\s+|total\s+)?budget\b|(?:it|they|the\s+\w+)\s+had\s+(?:set\s+aside|budgeted|allocated))",
    "cut": r"^\s*(?:cuts?|reduction)\b",
    "increase": r"^\s*(?:increase|rise|uplift|boost)\b",
    "grant": r"^\s*(?:[\w-]+\s+){0,3}grants?\b",
    "saving": r"^\s*savings?\b",
}
MAX_LONE_FINDINGS = 5  # the sums table lists every one; findings are for reading
PROJECTED = re.compile(r"\b(?:projected|forecast|expected|will\s+(?:have\s+)?spen[dt]|set\s+to|on\s+course)\b", re.I)
SUBJECT_VERB = re.compile(r"\b(?:will\s+(?:have\s+)?(?:been\s+)?|(?:has|have|had)\s+(?:been\s+)?|is\s+|are\s+|was\s+|"
                          r"were\s+)?"
                          r"(?:spent|spend|spends|overspent|underspent|set|received|receives?|given|allocated|has\s+an?|"
                          r"faces?|expects?|projected|projects?|reported|cost|costs)\b", re.I)
# "The force's budget for 2022/23": the body is the possessor of the sum's noun
POSSESSOR = re.compile(r"^(?P<who>.+?)['’]s?\s+(?:[\w-]+\s+)?(?:budget|spending|spend|deficit|overspend|underspend|"
                       r"costs?|accounts?|grant)\b", re.I)
NOT_A_BODY = {"which", "that", "who", "it", "they", "this", "these", "those", "what", "and", "but"}
DETERMINER = re.compile(r"\b(?:the|its|their|this|one|each)\s+", re.I)
PRONOUN_START = re.compile(r"^\s*(?:Its|Their|It|They|The\s+department's|The\s+council's)\b")


BY_TO = re.compile(r"\b(?:rising|rise|rose|risen|increas\w+|grow\w*|grew|up|falling|fall|fell|reduced?|cut|down)\s+"
                   r"by\s+\S+\s+to\s+$", re.I)
RATE_AFTER = re.compile(r"^\s+(?:a|an|per|each)\s+(?:week|month|day|year|head|person|pupil|child|resident|night|"
                        r"placement|household|property)\b|^\s+for\s+a\s+Band\s+[A-H]\b", re.I)


def role_of(text: str, start: int, end: int) -> str:
    """The role the words of a sum's own clause give it, or '' when they give none (a rate such as "£10,000 a
    week" is a price, not a budget's spend)."""
    right = re.match(r"(?:[^.;,–—(\n]|[.,](?=\d)){0,50}", text[end:end + 50]).group(0)
    if RATE_AFTER.match(right):
        return "increase" if re.search(r"\b(?:increase|rise|rising|up)\s+by\s+$", text[max(0, start - 20):start],
                                       re.I) else ""
    for role, pattern in AFTER.items():
        if re.match(pattern, right, re.I):
            return role
    # the clause: a full stop inside a number ("£5.8m") does not end it
    left = re.search(r"(?:[^.;–—(\n]|\.(?=\d)){0,70}$", text[max(0, start - 70):start]).group(0)
    # "rising by £5.8m", "will fall by £2m": the change itself, only right before the sum
    if re.search(r"\b(?:rising|rise|rose|risen|increas\w+|grow\w*|grew|up)\s+by\s+$", left, re.I):
        return "increase"
    if re.search(r"\b(?:falling|fall|fell|reduced?|cut|down)\s+by\s+$", left, re.I):
        return "cut"
    by_to = BY_TO.search(left)
    if by_to:  # "the grant rising by £5.8m to £180.2m": the new level is the grant, not the increase
        left = left[:by_to.start()]
        return next((r for r in ("budget", "grant", "spend", "gap") if re.search(rf"\b(?:{CUES[r]})\b", left, re.I)), "")
    best, where = "", -1
    for role, pattern in CUES.items():
        for m in re.finditer(rf"\b(?:{pattern})\b", left, re.I):
            if m.start() > where:
                best, where = role, m.start()
    return best


SENTENCE_REACH = 1500  # characters looked through for a sentence's ends: a text without full stops stays linear


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    lo, hi = max(0, pos - SENTENCE_REACH), min(len(text), pos + SENTENCE_REACH)
    s = max(text.rfind(". ", lo, pos), text.rfind("\n", lo, pos))
    e = min([i for i in (text.find(". ", pos, hi), text.find("\n", pos, hi)) if i >= 0] or [hi])
    return s + 1 if s >= 0 else lo, e


def entity_of(text: str, start: int) -> str:
    """Who spends or budgets: the subject of the sum's sentence, from its last determiner to its verb ("the county
    council"), or its whole head when short ("Councils in Wales")."""
    s, _ = _sentence_bounds(text, start)
    head = text[s:start]
    m = None
    for m in SUBJECT_VERB.finditer(head):
        break
    if m is None:
        return ""
    subject = head[:m.start()].strip(" ,")
    subject = subject.rsplit(",", 1)[-1].strip()
    owner = POSSESSOR.match(subject)
    if owner:
        subject = owner.group("who")
    # the last determiner starts the subject ("By the end of March the county council"), unless a preposition
    # puts it inside a longer one ("The public inquiry into the collapse of the flats")
    d = [m for m in DETERMINER.finditer(subject)
         if not re.search(r"\b(?:into|of|for|on|about|with|from|by|over|in|at)\s+$", subject[:m.start()], re.I)]
    if d:
        subject = subject[d[-1].start():]
    subject = re.split(r"\s+(?:into|about|over|on|with)\s+", subject, maxsplit=1)[0]
    words = subject.split()
    if not words or len(words) > 8 or PRONOUN_START.match(subject) or words[0].lower() in NOT_A_BODY:
        return ""
    return " ".join(words)


def sums_table(figures: pd.DataFrame, text: str, deflator: pd.DataFrame, base_year: str) -> pd.DataFrame:
    """Every sum of money with its role, year and, when it has a year, its value in base-year prices."""
    lookup = deflator_lookup(deflator)
    base = lookup[base_year][0] if base_year in lookup else float("nan")
    rows = []
    first = text.split("\n", 1)[0].strip()
    headline = "\n" in text and bool(first) and not first.endswith((".", "!", "?", "\"", "”"))  # a headline's subject is
    # cut short ("Potholes budget blown as council"): it names no body
    money_rows = figures[(figures["kind"] == "money") & ~figures["vague"].astype(bool) & figures["value"].notna()]
    for f in money_rows.to_dict("records"):  # rows as dicts: iterrows made a Series of every row
        year, basis = f.get("year", ""), f.get("year_basis", "")
        fy = year if basis == "financial" else (fy_label(int(year)) if basis == "calendar" and year else "")
        real, d, status = float("nan"), float("nan"), ""
        if fy and fy in lookup:
            d, status = lookup[fy]
            real = float(f["value"]) * base / d
        elif fy:
            status = "outside the deflator's range"
        rows.append({"figure_id": f["figure_id"], "text": f["text"], "nominal": float(f["value"]),
                     "currency": f["unit"], "role": role_of(text, int(f["start"]), int(f["end"])),
                     "entity": "" if int(f["paragraph"]) == 0 and headline else entity_of(text, int(f["start"])), "year": year, "year_basis": basis,
                     "deflated_as": fy, "deflator": d, "real": real, "deflator_status": status,
                     "start": int(f["start"]), "end": int(f["end"]), "paragraph": int(f["paragraph"])})
    return pd.DataFrame(rows, columns=["figure_id", "text", "nominal", "currency", "role", "entity", "year",
                                       "year_basis", "deflated_as", "deflator", "real", "deflator_status", "start",
                                       "end", "paragraph"])


def _sentence_id(text: str, pos: int) -> int:
    return _sentence_bounds(text, pos)[0]


def comparisons(sums: pd.DataFrame, checks: pd.DataFrame, text: str) -> pd.DataFrame:
    """Spend against budget, one row per pair the text makes: in one sentence, or a budget in one sentence and a
    spend in the next of the paragraph when that one starts "Its"/"Their" (or the other way round)."""
    rows = []
    sums = sums.assign(sentence=[_sentence_id(text, s) for s in sums["start"]])
    stated = _stated_differences(checks)
    used: set[str] = set()
    groups: dict[int, list[dict]] = {}
    for r in sums.to_dict("records"):  # plain rows: a DataFrame filtered per sentence cost a millisecond each
        groups.setdefault(r["sentence"], []).append(r)
    by_sentence = sorted(groups.items(), key=lambda kv: kv[0])

    def of_role(grp: list[dict], role: str) -> list[dict]:
        return [r for r in grp if r["role"] == role]

    for i, (sid, grp) in enumerate(by_sentence):
        budgets, spends = of_role(grp, "budget"), of_role(grp, "spend")
        pair = None
        if len(budgets) == 1 and len(spends) == 1:
            pair = budgets[0], spends[0]
        elif i + 1 < len(by_sentence) and (len(budgets), len(spends)) in ((1, 0), (0, 1)):
            nid, nxt = by_sentence[i + 1]
            same_para = bool(nxt) and nxt[0]["paragraph"] == grp[0]["paragraph"]
            nb, ns = of_role(nxt, "budget"), of_role(nxt, "spend")
            if same_para and PRONOUN_START.match(text[nid:nid + 40]):
                if len(budgets) == 1 and len(ns) == 1 and not nb:
                    pair = budgets[0], ns[0]
                elif len(spends) == 1 and len(nb) == 1 and not ns:
                    pair = nb[0], spends[0]
        if pair is None:
            continue
        b, s = pair
        if b["currency"] != s["currency"] or b["nominal"] <= 0 or b["figure_id"] in used or s["figure_id"] in used:
            continue
        used.update((b["figure_id"], s["figure_id"]))
        entity = s["entity"] or b["entity"] or ""
        claimed = stated.get(frozenset((b["figure_id"], s["figure_id"])), {})
        diff = s["nominal"] - b["nominal"]
        rows.append({
            "entity": entity, "year": s["year"], "currency": b["currency"],  # the year of the spend, not of the budget
            "budget_id": b["figure_id"], "budget_text": b["text"], "budget": b["nominal"],
            "spend_id": s["figure_id"], "spend_text": s["text"], "spend": s["nominal"],
            "spend_kind": "projected" if PROJECTED.search(text[max(0, s["start"] - 80):s["start"]]) else "outturn",
            "difference": diff, "pct_of_budget": diff / b["nominal"] * 100,
            "direction": "over" if diff > 0 else ("under" if diff < 0 else "on budget"),
            "stated_id": claimed.get("claim_figure_id", ""), "stated_text": claimed.get("claim_text", ""),
            "stated_verdict": claimed.get("verdict", ""),
        })
    return pd.DataFrame(rows, columns=["entity", "year", "currency", "budget_id", "budget_text", "budget", "spend_id",
                                       "spend_text", "spend", "spend_kind", "difference", "pct_of_budget",
                                       "direction", "stated_id", "stated_text", "stated_verdict"])


def _stated_differences(checks: pd.DataFrame) -> dict[frozenset, dict]:
    """The article's own statements of differences, as the arithmetic checks found them, by their two operands
    (the first check of a pair; looked up once per pair, where scanning every check for each pair was quadratic)."""
    out: dict[frozenset, dict] = {}
    if checks is None or checks.empty:
        return out
    for c in checks[checks["relation"] == "difference"].to_dict("records"):
        out.setdefault(frozenset(str(c["operands"]).split(";")), c)
    return out


def _plural(entity: str) -> bool:
    """"Councils in Wales" take "their budget"; "the county council" takes "its"."""
    head = re.split(r"\s+(?:in|of|for|across|at)\s+", entity, maxsplit=1)[0].split()
    return bool(head) and head[-1].lower().endswith("s") and not head[-1].lower().endswith(("ss", "'s", "’s"))


def findings(comps: pd.DataFrame, sums: pd.DataFrame, deflator_name: str, base_year: str, source: str,
             in_series: set[str] = frozenset()) -> list[dict]:
    """Plain sentences from the numbers: spend against budget per entity, then each lone sum with a role in real
    terms (sums of a series have their own finding)."""
    out = []
    for i, c in comps.iterrows():
        when = f" in {c['year']}" if c["year"] else ""
        its = "their" if _plural(c["entity"]) else "its"
        if c["entity"]:
            who = c["entity"][0].upper() + c["entity"][1:]
            verb = "is projected to spend" if c["spend_kind"] == "projected" else "spent"
            head = f"{who} {verb} {c['spend_text']}{when} against a budget of {c['budget_text']}"
        else:  # no body named: the sums alone
            kind = "Projected spend" if c["spend_kind"] == "projected" else "Spend"
            head, its = f"{kind} of {c['spend_text']}{when} against a budget of {c['budget_text']}", "the"
        if c["direction"] == "on budget":
            text = f"{head}: exactly {its} budget."
        else:
            stated = ""
            if c["stated_text"]:
                agrees = c["stated_verdict"] in ("consistent", "within_rounding")
                stated = (f"; the article's {c['stated_text']} agrees" if agrees else
                          f"; the article's {c['stated_text']} does not match ({c['stated_verdict'].replace('_', ' ')})")
            over = c["difference"] > 0
            text = (f"{head}: {abs(c['pct_of_budget']):.1f}% {'more' if over else 'less'} than {its} budget "
                    f"({'an overspend' if over else 'an underspend'} of {money(abs(c['difference']), c['currency'])})"
                    f"{stated}.")
        out.append({"id": f"B{i + 1}-budget", "text": text, "value": round(float(c["pct_of_budget"]), 1),
                    "figure_ids": [c["spend_id"], c["budget_id"]], "source": "the article"})
    paired = set(comps["budget_id"]) | set(comps["spend_id"]) | set(comps["stated_id"]) | set(in_series)
    lone = sums[sums["real"].notna() & ~sums["figure_id"].isin(paired) & (sums["role"] != "")]
    lone = lone.drop_duplicates(["text", "year", "role"])  # a headline repeats the sum its story gives
    for _, s in lone.head(MAX_LONE_FINDINGS).iterrows():
        stated = "" if s["year_basis"] == "financial" else f", deflated as the financial year {s['deflated_as']}"
        head = f"The {s['role']} of {s['text']}"
        out.append({
            "id": f"{s['figure_id']}-real",
            "text": (f"{head} in {s['year']} is {money(s['real'], s['currency'], 2)} in {base_year} prices "
                     f"({deflator_name}{stated})."),
            "value": round(float(s["real"]), 2), "figure_ids": [s["figure_id"]], "source": source,
        })
    return out
