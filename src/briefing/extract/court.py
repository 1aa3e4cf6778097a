"""Court stories: who was convicted of what and for how long, and what the article says about the case as a whole.

Court reporting follows strong conventions, and this module reads only those: a sentencing phrase ("was jailed for
eight years", "was given life with a minimum term of 14 years", "a sentence of 18 months, suspended for two
years"), its subject (the people named before it in its clause, or "He"/"She" for the last defendant named), or its
object after an active verb ("Judge X jailed Price for 14 years, and Shah and Barton both for six years"); a
verdict phrase ("was convicted of …", "admitted …", "was acquitted"); and whole-case statements ("jailed for a
total of 95 years", "after an 18-week trial", "four of whom were jailed for life"). Caution first: a sentence
whose subject is not one named person (or a list of them with "each", "both" or a plural verb) gives no row; a
total or a range ("for between four and 12 years") is a fact of the case, never divided among defendants.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .numbers import NUMBER, parse_number

OUTCOMES = ("convicted", "pleaded guilty", "acquitted", "no verdict", "awaiting sentence", "unknown")  # "no verdict" is
# in the table's vocabulary but never given: "the jury failed to reach verdicts" names no one in the articles read
SENTENCES = ("life", "determinate", "suspended", "indefinite", "other", "none")
N = rf"(?P<n>{NUMBER})"
UNIT = r"(?P<u>years?|months?|weeks?)"
VERB = (r"(?P<aux>(?:was|were|has\s+been|have\s+been|is|are|had\s+been|will|must|would)\s+)?(?P<dist>(?:(?:each|both|all|also|"
        r"later|subsequently|then|originally|initially|previously|finally|now|today|yesterday)\s+)+)?"
        r"(?P<verb>jailed|sentenced|imprisoned|given|handed|detained|locked\s+up|ordered\s+to\s+(?:serve|carry\s+out|"
        r"complete|do|undertake|perform)|made\s+the\s+subject\s+of|received|receives|got|serving|spend|serve|imposed)\b")
VERB_RE = re.compile(VERB, re.I)
LIFE = re.compile(r"^\s*(?:to\s+|for\s+|with\s+)?(?:a\s+)?life(?:\s+sentence|\s+imprisonment)?\b"
                  r"(?:[^.;]{0,60}?\b(?:minimum\s+(?:term|tariff)\s+of|to\s+serve\s+(?:a\s+minimum\s+of\s+|at\s+least\s+)?|"
                  r"serve\s+(?:a\s+minimum\s+of\s+|at\s+least\s+))\s*(?P<min>" + NUMBER + r")\s+years)?", re.I)
INDEFINITE = re.compile(r"^\s*(?:to\s+|for\s+|with\s+)?(?:indefinitely|an?\s+indeterminate\s+sentence|"
                        r"imprisonment\s+for\s+public\s+protection)", re.I)
HOSPITAL = re.compile(r"^\s*(?:to\s+|with\s+)?(?:an?\s+)?(?:indefinite\s+)?hospital\s+order|"
                      r"^\s*(?:to\s+|with\s+)?(?:an?\s+)?(?:[\w-]+[-\s]+(?:month|year)\s+)?(?:community|youth\s+rehabilitation|"
                      r"supervision)\s+orders?|"
                      r"^\s*(?:with\s+)?(?:an?\s+)?(?:[\w-]+[-\s]+(?:month|year)\s+)?(?:conditional|absolute)\s+discharge|"
                      # "ordered to carry out 150 hours' community punishment each", "80 hours of unpaid work"
                      r"^\s*(?:to\s+)?" + NUMBER + r"\s+hours['’]?\s+(?:of\s+)?(?:community\s+(?:punishment|service|work)|"
                      r"unpaid\s+work)", re.I)
# "a two-year suspended sentence", "a six-year jail term"
TERM_ADJ = re.compile(rf"^\s*(?:to\s+|with\s+)?an?\s+{N}[-\s]+(?P<u>year|month|week)s?(?P<susp>\s+suspended)?\s+"
                      rf"(?:jail\s+|prison\s+|custodial\s+)?(?:sentence|term)\b", re.I)
# "must serve at least 20 years", "to serve a minimum of 23 years": a life sentence's minimum term, said apart
MINIMUM = re.compile(rf"^\s*(?:at\s+least|a\s+minimum\s+(?:term\s+)?of)\s+{N}\s+years\b", re.I)
# "will spend nine years in prison": the term, then where it is spent
SPENT_IN = re.compile(r"^\s*(?:in\s+(?:prison|jail|custody)|behind\s+bars)\b", re.I)
TERM = re.compile(rf"^\s*(?:to\s+|for\s+)?(?:a\s+(?:jail\s+|prison\s+|custodial\s+)?(?:sentence|term)\s+of\s+)?"
                  rf"{N}(?P<half>\s+and\s+a\s+half)?\s+{UNIT}(?:(?:\s+and|,)\s+(?P<n2>{NUMBER})\s+(?P<u2>months?))?"
                  rf"(?:[,\s]+(?:which\s+was\s+|that\s+was\s+)?suspended\s+for\s+(?P<sn>{NUMBER})\s+(?P<su>years?|months?))?",
                  re.I)
GROUP_TERM = re.compile(r"^\s*(?:to\s+|for\s+)?(?:a\s+(?:total|combined)\s+(?:of\s+)?|between\s+|a\s+total\s+of\s+)", re.I)
PRONOUN = re.compile(r"(?:^|[.;]\s+|,\s+and\s+)(?P<p>He|She|he|she)\s+(?:(?:was|were|is|has\s+been|had\s+been)\s+)?"
                     r"(?:[a-z]+ly\s+)?$")
# "Joanne Pike, 38, of Canal Street, Harlow Green, admitted …": a place after "of" is an address, not a second name
ADDRESS_BEFORE = re.compile(r"\bof\s+(?:[A-Z0-9][\w'’-]*\s+){0,4}?(?:[A-Z][\w'’-]*,\s+)?$|\bof\s+$")
# another case than the article's: its defendants are not this case's
OTHER_CASE = re.compile(r"\bin\s+(?:a|an)\s+(?:separate|unrelated|earlier|previous|different)\s+case\b|"
                        r"\banother\s+[a-z]+,\s+[A-Z]|\b(?:for|in)\s+a\s+similar\s+(?:case|crash|crime|offence|attack)\b",
                        re.I)
# a speaker or a barrister is not who "He was jailed" is about
SPEAKS_AFTER = re.compile(r"^\s+(?:said|says|told|added|argued|explained|claimed|asked|urged|described)\b")
COUNSEL_BEFORE = re.compile(r"\b(?:Mitigating|Defending|Prosecuting|Representing\s+\w+),\s+$")
GROUP_SUBJECT = re.compile(r"(?:^|[.;]\s+)(?P<g>Both\s+(?:men|women|defendants)?|The\s+(?:two|pair|brothers|sisters|couple|trio)"
                           r"(?:\s+men|\s+women)?|They|The\s+(?:men|women|defendants)|(?:All|The)\s+(?P<n>two|three|four|five|six|"
                           r"seven|eight|nine|ten)(?:\s+(?:men|women|defendants))?)\s+(?:(?:were|have\s+been|had\s+been)\s+)?"
                           r"(?:(?:each|both|all)\s+)?$")
PAIR = re.compile(r"^(?:Both|The\s+(?:two|pair|brothers|sisters|couple))\b", re.I)
CONVICT = re.compile(r"\b(?P<v>convicted|found\s+guilty|admitted|admitting|pleaded\s+guilty|pleading\s+guilty|"
                     r"pled\s+guilty|acquitted|cleared|found\s+not\s+guilty)\b(?=(?:\s+(?:of|to))?\s*(?P<what>[^.;]{0,160}))",
                     re.I)  # what follows is looked at, not consumed: "cleared of X but found guilty of Y" has two
AWAITING = re.compile(r"\b(?:will\s+be|are\s+(?:due\s+)?to\s+be|is\s+(?:due\s+)?to\s+be|were\s+remanded\s+in\s+custody\s+"
                      r"to\s+be|was\s+remanded\s+in\s+custody\s+to\s+be)\s+sentenced\b", re.I)
OFFICIALS = re.compile(r"judge|justice|recorder|magistrate|detective|officer|constable|inspector|superintendent|"
                       r"prosecut|defen[cd]|barrister|solicitor|counsel|qc|kc|spokes|chief|sergeant|police", re.I)


@dataclass
class Defendant:
    name: str
    start: int                  # the sentencing (or verdict) phrase
    end: int
    age: float | None = None
    outcome: str = "unknown"
    sentence: str = "none"
    term_years: float | None = None
    minimum_term_years: float | None = None
    suspended_years: float | None = None
    offences: list[str] = field(default_factory=list)


def _years(n: str, unit: str) -> float:
    v = parse_number(n)
    u = unit.lower()
    return v if u.startswith("year") else v / 12 if u.startswith("month") else v / 52


def parse_sentence(after: str, verb: str = "") -> tuple[str, float | None, float | None, float | None, int] | None:
    """The sentence a phrase gives, read from the words right after its verb: (kind, term in years, minimum term,
    years suspended for, characters read); None when the words are not a sentence of one person. After "serve" or
    "spend" only a minimum term ("at least 20 years": kind ``minimum``) or a term spent "in prison" count."""
    if GROUP_TERM.match(after):
        return None
    verb = verb.lower()
    if verb in ("serve", "spend"):
        m = MINIMUM.match(after)
        if m and verb == "serve":
            return "minimum", None, parse_number(m["n"]), None, m.end()
        m = TERM.match(after)
        if m and not m["sn"] and SPENT_IN.match(after[m.end():]):
            return "determinate", round(_years(m["n"], m["u"]) + (_years(m["n2"], m["u2"]) if m["n2"] else 0)
                                        + (_years("1", m["u"]) / 2 if m["half"] else 0), 4), None, None, m.end()
        return None
    m = LIFE.match(after)
    if m:
        return "life", None, (parse_number(m["min"]) if m["min"] else None), None, m.end()
    m = INDEFINITE.match(after)
    if m:
        return "indefinite", None, None, None, m.end()
    m = HOSPITAL.match(after)
    if m:
        return "other", None, None, None, m.end()
    m = TERM_ADJ.match(after)
    if m:
        return ("suspended" if m["susp"] else "determinate"), round(_years(m["n"], m["u"]), 4), None, None, m.end()
    m = TERM.match(after)
    if m:
        years = _years(m["n"], m["u"]) + (_years(m["n2"], m["u2"]) if m["n2"] else 0)
        if m["half"]:  # "three and a half years"
            years += _years("1", m["u"]) / 2
        if m["sn"]:
            return "suspended", round(years, 4), None, _years(m["sn"], m["su"]), m.end()
        return "determinate", round(years, 4), None, None, m.end()
    return None


class Mentions:
    """Every mention of a person (full name or surname), in reading order, with the person's full name."""

    def __init__(self, text: str, people):
        self.text = text
        self.items: list[tuple[int, int, str, str]] = []  # start, end, name, role
        by_surname: dict[str, list] = {}
        for p in people:
            by_surname.setdefault(p.surname, []).append(p)
        for p in people:
            for pos in p.positions:
                if text.startswith(p.name, pos):
                    self.items.append((pos, pos + len(p.name), p.name, p.role))
                    continue
                # a surname: whose? "Ashley Morton" written out is Ashley's; a bare "Morton" when two people share the
                # name is nobody's (the brothers Ashley and Nathan Morton)
                owner = [q for q in by_surname.get(p.surname, []) if q.name != q.surname
                         and text.endswith(q.name[:-len(q.surname)], 0, pos)]
                if owner and owner[0] is not p:
                    continue
                if not owner and len(by_surname.get(p.surname, [])) > 1:
                    continue
                start = pos - (len(p.name) - len(p.surname)) if owner else pos
                self.items.append((start, pos + len(p.surname), p.name, p.role))
        self.items = sorted(set(self.items))
        self.items.sort()
        self.starts = [m[0] for m in self.items]  # looked up by bisection: each query costs what it returns
        self.first = {}
        for m in self.items:
            self.first.setdefault(m[2], m)

    def _range(self, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
        return self.items[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]

    def between(self, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
        return [m for m in self._range(lo, hi) if m[1] <= hi
                and not ADDRESS_BEFORE.search(self.text[max(0, m[0] - 50):m[0]])]

    def last_before(self, pos: int, lo: int) -> tuple[int, int, str, str] | None:
        """Who "He"/"She" is: the last person named before ``pos`` who is not an official, a speaker ("Sophie
        Ramsbottom said …"), counsel ("Mitigating, …") or an address ("of Canal Street, Harlow Green")."""
        found = [m for m in self._range(lo, pos) if not OFFICIALS.search(m[3] or "")
                 and not SPEAKS_AFTER.match(self.text[m[1]:m[1] + 14])
                 and not COUNSEL_BEFORE.search(self.text[max(0, m[0] - 30):m[0]])
                 and not ADDRESS_BEFORE.search(self.text[max(0, m[0] - 50):m[0]])]
        return found[-1] if found else None


def _clause_start(text: str, sent_start: int, pos: int, after: int = 0) -> int:
    """Where the clause of a phrase at ``pos`` begins: its sentence start, the end of the phrase before it in the
    sentence (``after``), or just after a semicolon; never at a comma, which also joins the names of a list."""
    lo = max(sent_start, after)
    cuts = [m.end() for m in CLAUSE_CUT.finditer(text[lo:pos])]
    return lo + (cuts[-1] if cuts else 0)


def find_defendants(text: str, sentences: list[tuple[int, int]], people, ages: list[tuple[int, float]]) -> list[Defendant]:
    """Defendants with their sentences and verdicts, in the order the article first names them."""
    mentions = Mentions(text, people)
    ages_at = dict(ages)
    rows: dict[str, Defendant] = {}
    order: list[str] = []
    first_at: dict[str, tuple[int, int]] = {}  # a name the article never writes out whole ("Sandra and Keith Moffat")

    def row(name: str, start: int, end: int) -> Defendant:
        if name not in rows:
            rows[name] = Defendant(name, start, end)
            order.append(name)
        return rows[name]

    def give(name: str, start: int, end: int, sent: tuple, context_lo: int) -> None:
        """Record a sentence for ``name``: the first one given stands (a later "originally …" is history), but a
        life sentence takes the minimum term said apart ("…must serve at least 20 years")."""
        kind, term, minimum, suspended = sent[:4]
        d = rows.get(name)
        if kind == "minimum":
            if d is not None and d.sentence == "life" and d.minimum_term_years is None:
                d.minimum_term_years = minimum
                return
            if (d is None or d.sentence == "none") and re.search(r"\blife\b", text[context_lo:start], re.I):
                kind = "life"  # "A man was jailed for life today. X, 31, was told he must serve at least 19 years"
            else:
                return
        d = row(name, start, end)
        if d.sentence == "none":
            d.start, d.end = start, end
            d.sentence, d.term_years, d.minimum_term_years, d.suspended_years = kind, term, minimum, suspended
            d.outcome = "convicted" if d.outcome == "unknown" else d.outcome
        elif d.sentence == "life" and d.minimum_term_years is None and kind == "life" and minimum is not None:
            d.minimum_term_years = minimum

    for s, e in sentences:
        sentence = text[s:e]
        if not re.search(r"jail|sentenc|prison|guilty|convicted|acquitted|cleared|admitted|life|order|detained|receiv|"
                         r"given|handed|serv|spend|got\b|communit", sentence, re.I) or OTHER_CASE.search(sentence):
            continue
        prev_end = s
        taken: set[str] = set()  # given a term elliptically in this sentence ("; Lune, 29, for four years")
        for m in VERB_RE.finditer(sentence):
            after = sentence[m.end():]
            skip = 0
            obj = re.match(r"\s+(?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+(?=\s+(?:to|for)\s)", after) \
                if not m["aux"] else None
            if obj:  # "Mr Justice Hale sentenced Marsh to life …": the term follows the object
                skip = obj.end()
            elif m["verb"].lower() == "handed" and re.match(r"\s+down\b", after):
                skip = re.match(r"\s+down\b", after).end()  # "He handed down a 15-month jail term to Lee Garth"
            parsed = parse_sentence(after[skip:], m["verb"])
            if parsed is None:
                continue
            kind, term, minimum, suspended, used = parsed
            used += skip
            vs, ve = s + m.start(), s + m.end() + used
            active = not m["aux"] and m["verb"].lower() in ("jailed", "sentenced", "imprisoned", "detained")
            to = re.match(r"\s+to\s+" if m["verb"].lower() == "handed" else r"\s+on\s+(?:condition\s+that\s+)?",
                          sentence[m.end() + used:]) if m["verb"].lower() in ("handed", "imposed") and not m["aux"] else None
            if m["verb"].lower() == "imposed" and not to:
                continue  # "the judge imposed a curfew": a sentence only with the person it is imposed on
            if to:  # "handed down a 15-month jail term to Lee Garth, 22", "imposed a suspended sentence on Pike"
                # (or "… on condition that Pike keep the peace": the condition binds the person sentenced)
                lo = s + m.end() + used + to.end()
                obj_names = [o for o in mentions.between(lo, lo + 60) if o[0] == lo and not _official(o[3])]
                names = [obj_names[0][2]] if obj_names else None
            else:
                names = _subjects(text, mentions, s, vs, m, active, prev_end, taken, first_at)
            if names is None:
                names = _group(text, mentions, s, vs, prev_end, rows)
            prev_end = ve
            if names is None:
                continue
            # "Lusk and Docherty were given six years and five and a half years respectively"
            second = re.match(r"\s+and\s+", sentence[m.end() + used:])
            more = parse_sentence(sentence[m.end() + used + second.end():]) if second else None
            if more and len(names) == 2 and re.match(r"\s*,?\s+respectively\b",
                                                       sentence[m.end() + used + second.end() + more[4]:]):
                for name, sent in zip(names, (parsed, more)):
                    give(name, vs, ve, sent, max(0, s - 600))
                continue
            for name in names:
                give(name, vs, ve, parsed, max(0, s - 600))
            # "…, and Shah and Barton both for six years", "…; Lune, 29, for four years, and …": the same verb,
            # more people, each with a term of their own
            pos = m.end() + used
            while True:
                t = ELLIPSIS.match(sentence, pos)
                if not t:
                    break
                more = parse_sentence(sentence[t.end():])
                if more is None:
                    break
                lo, hi = s + t.start("who"), s + t.end("who")
                for mm in mentions.between(lo, hi):
                    if not _official(mm[3]):
                        give(mm[2], lo, hi, more, max(0, s - 600))
                        taken.add(mm[2])
                pos = t.end() + more[4]
        # "Sentencing both to nine years and two months, Judge X said": the two people just named
        for g in re.finditer(r"\bSentencing\s+(?:both|the\s+pair|the\s+two(?:\s+men|\s+women)?)\s+(?=to\s)", sentence):
            parsed = parse_sentence(sentence[g.end():])
            named = list(dict.fromkeys(mm[2] for mm in mentions.between(max(0, s - 600), s + g.start())
                                       if not _official(mm[3]) and not SPEAKS_AFTER.match(text[mm[1]:mm[1] + 14])))
            if parsed and len(named) == 2:
                for name in named:
                    give(name, s + g.start(), s + g.end() + parsed[4], parsed, max(0, s - 600))
        prev_end, last_names = s, []
        for m in CONVICT.finditer(sentence):
            vs = s + m.start()
            lo = _clause_start(text, s, vs, prev_end)
            prev_end = s + m.end("v")
            names = [mm for mm in mentions.between(lo, vs) if not _official(mm[3])]
            if re.search(r"\b[Tt]he\s+(?:jury|jurors|court|judge|magistrates)\s+(?:(?:unanimously|also|later)\s+)?$",
                         text[lo:vs]):
                # "the jury convicted John Smith, 40, of murder": the object, right after the verb
                obj = [mm for mm in mentions.between(s + m.end("v"), s + m.end("v") + 40)
                       if re.fullmatch(r"\s*", text[s + m.end("v"):mm[0]])]
                names = obj[:1]
                m_what = re.match(r"[^.;]*?\bof\s+([^.;]{0,160})", text[obj[0][1]:e]) if obj else None
                what_text = m_what.group(1) if m_what else ""
            else:
                what_text = m["what"]
            if not names and last_names and re.fullmatch(r"[^.;]*?\b(?:but|and)\s+(?:was\s+|were\s+)?",
                                                         text[lo:vs]):
                names = last_names  # "was cleared of X but found guilty of Y": the same people
            if not names:
                p = PRONOUN.search(text[lo:vs])
                last = mentions.last_before(vs, max(0, s - 600)) if p else None
                names = [last] if last else []
            last_names = names
            verb = m["v"].lower()
            outcome = ("acquitted" if verb.startswith(("acquitted", "cleared", "found not")) else
                       "pleaded guilty" if verb.startswith(("admit", "plead", "pled")) else "convicted")
            for mm in {x[2]: x for x in names}.values():
                d = row(mm[2], vs, s + m.end())
                # "cleared of causing death … but found guilty of dangerous driving": convicted of the lesser offence
                if d.outcome in ("unknown", "acquitted") or (d.outcome == "convicted" and outcome == "pleaded guilty"):
                    d.outcome = outcome
                what = _offences(what_text) if outcome != "acquitted" else []
                d.offences.extend(o for o in what if o not in d.offences)
    if AWAITING.search(text):  # "They will be sentenced next month": the convicted with no sentence yet
        for d in rows.values():
            if d.outcome in ("convicted", "pleaded guilty") and d.sentence == "none":
                d.outcome = "awaiting sentence"
    for name, d in rows.items():
        first = mentions.first.get(name) or first_at[name]
        d.age = ages_at.get(next((p for p in range(first[1], first[1] + 5) if p in ages_at), -1))
    return [rows[n] for n in sorted(order, key=lambda n: (mentions.first.get(n) or first_at[n])[0])]


def _group(text: str, mentions: Mentions, s: int, vs: int, after: int, rows: dict) -> list[str] | None:
    """"Both men were jailed for five years", "They were each jailed …": the defendants the sentence before names,
    when they are as many as the words say (two for "both" or "the pair"); None otherwise."""
    lo = _clause_start(text, s, vs, after)
    g = GROUP_SUBJECT.search(text[lo:vs])
    if not g:
        return None
    named = list(dict.fromkeys(m[2] for m in mentions.between(max(0, s - 400), s) if m[2] in rows))
    want = 3 if g["g"].lower().endswith("trio") else parse_number(g["n"]) if g["n"] else None
    if len(named) < 2 or (PAIR.match(g["g"]) and len(named) != 2) or (want is not None and len(named) != want):
        return None
    return named


# "Gary Hollis and his nephew, Dean Hollis, …" then "The nephew was given …": a relation or job noun the article
# gives one named person, standing for that person later
RELATION_NOUNS = (r"son|daughter|brother|sister|nephew|niece|cousin|uncle|aunt|father|mother|stepfather|stepmother|"
                  r"wife|husband|partner|girlfriend|boyfriend|driver|passenger|landlord|landlady|teenager|accomplice")
RELATION_BEFORE = re.compile(rf"\b(?:his|her|their)\s+(?P<noun>{RELATION_NOUNS}),?\s+(?=[A-Z])")
RELATION_SUBJECT = re.compile(rf"(?:^|[.;]\s+|,\s+)[Tt]he\s+(?P<noun>{RELATION_NOUNS})\s+(?:(?:was|has\s+been|had\s+been)\s+)?"
                              r"(?:(?:also|later|then)\s+)?$")


def _by_relation(text: str, mentions: Mentions, s: int, lo: int, vs: int) -> list[str] | None:
    """Who "the nephew" is: the one person the article has called "his nephew, NAME" before; None when the noun
    is not in the clause or names nobody, or more than one person."""
    r = RELATION_SUBJECT.search(text[lo:vs])
    if not r:
        return None
    who = set()
    for b in RELATION_BEFORE.finditer(text, max(0, s - 2000), lo):
        if b["noun"].lower() != r["noun"].lower():
            continue
        named = [m for m in mentions.between(b.end(), b.end() + 40) if m[0] == b.end()]
        who.update(m[2] for m in named)
    return [who.pop()] if len(who) == 1 else None


def _official(role: str | None) -> bool:
    """A judge, officer or lawyer, not a defendant ("former magistrate" is what she was)."""
    return bool(role) and bool(OFFICIALS.search(role)) and not re.match(r"(?:a\s+|the\s+)?former\b", role, re.I)


# a subject the sentence does not name stands between the names and the verb: "…; Lune, 29, for four years, and
# a fourth man, who cannot be identified, was jailed for five years"
UNNAMED_SUBJECT = re.compile(r"(?:^|,|;|\band\b)\s+(?:one|a|an|another|the)\s+(?:(?:other|second|third|fourth|fifth|"
                             r"sixth|last|remaining|final)\s+)?(?:man|woman|boy|girl|person|defendant|teenager|youth|youngster|"
                             r"juvenile|\d{1,2}-year-old)\b", re.I)
# a list item before the clause, after a semicolon: "Carl Penrose, 24, of Mill Close, Brayton;"
LIST_ITEM = re.compile(r"\s*(?:and\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3}(?:,\s+\d{1,3})?"
                       r"(?:,?\s+of\s+(?:[\dA-Z][\w'’-]*,?\s*)+)?\s*")
# more people for the same verb: "…, and Shah and Barton both for six years", "…; Lune, 29, for four years"
ELLIPSIS = re.compile(r"(?:\s*[;,]\s*(?:and\s+)?|\s+and\s+)(?P<who>(?:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
                      r"(?:,\s+|\s+and\s+)?)+?)(?:,\s+\d{1,3},?|\s+\(\d{1,3}\))?\s+(?:both\s+|each\s+)?(?=(?:for|to)\s)")
CLAUSE_CUT = re.compile(r";\s*|,\s+(?:while|whereas|but|although)\s+")


def _subjects(text: str, mentions: Mentions, s: int, vs: int, m: re.Match, active: bool,
              after: int, taken: set[str] = frozenset(), first_at: dict | None = None) -> list[str] | None:
    """Who a sentencing phrase is about; None when it is not clear."""
    if active:  # "Judge X jailed Price for 14 years": the object, between the verb and its term
        obj = mentions.between(s + m.end(), s + m.end() + 60)
        obj = [o for o in obj if text[s + m.end():o[0]].strip(" ,") == "" or re.fullmatch(r"\s*(?:[A-Z][\w'’-]+\s*)*",
                                                                                           text[s + m.end():o[0]])]
        return [obj[0][2]] if obj and not _official(obj[0][3]) else None
    lo = _clause_start(text, s, vs, after)
    lo = _list_start(text, max(s, after), lo)
    # "Victor Nash, whose clients included Marcus Fell and Ian Grey, will spend …": a relative clause that runs to
    # the verb names no subject
    rel = re.search(r",\s+(?:who|whose)\b[^;]*,\s*$", text[lo:vs])
    subj = [mm for mm in mentions.between(lo, lo + rel.start() if rel else vs) if not _official(mm[3])]
    if subj and UNNAMED_SUBJECT.search(text[subj[-1][1]:vs]):
        return None
    subj = [mm for mm in subj if mm[2] not in taken]
    # a name inside a relative clause or after "with"/"and the judge" is not the subject: keep names the subject
    # list is made of (joined by commas and "and", with ages and addresses between)
    names = list(dict.fromkeys(mm[2] for mm in subj))
    if not names:
        related = _by_relation(text, mentions, s, lo, vs)
        if related:
            return related
        p = PRONOUN.search(text[lo:vs])
        if p and not taken:
            last = mentions.last_before(vs, max(0, s - 600))
            return [last[2]] if last else None
        return None
    plural = bool(m["aux"]) and m["aux"].strip().lower().startswith(("were", "have", "are"))
    distributive = bool(m["dist"]) and bool(re.search(r"\b(?:each|both)\b", m["dist"], re.I))
    couple = _couple(text, subj[0], lo) if len(names) == 1 and first_at is not None else None
    if couple:  # "Sandra and Keith Moffat, of Beech Close, were sentenced": two people, one surname
        first_at.setdefault(couple[0], couple[1])
        names = [couple[0]] + names
    if len(names) == 1:
        return None if plural and not distributive and _group_noun(text[lo:vs]) else names
    return names if plural or distributive else None


def _couple(text: str, mention: tuple, lo: int) -> tuple[str, tuple[int, int]] | None:
    """"Sandra and Keith Moffat": the first given name shares the full name's surname."""
    full = mention[2].split()
    if len(full) < 2 or not text.startswith(full[0], mention[0]):
        return None
    c = re.search(r"(?:^|[\s(])(?P<first>[A-Z][a-z]+)\s+and\s+$", text[max(lo, mention[0] - 30):mention[0]])
    if not c or c["first"] in ("The", "Both", "Judge", "Mr", "Mrs", "Ms", "Miss", "Dr"):
        return None
    start = max(lo, mention[0] - 30) + c.start("first")
    return f"{c['first']} {full[-1]}", (start, start + len(c["first"]))


def _list_start(text: str, floor: int, lo: int) -> int:
    """Where a subject list that runs over semicolons begins: "A, 24, of X; B, 22, of Y and C, 21, were ordered …"
    (each earlier item a name, an age and an address, and nothing else)."""
    while lo > floor:
        semi = text.rfind(";", floor, lo)
        if semi < 0 or text[semi + 1:lo].strip():
            break
        cut = text.rfind(";", floor, semi)
        start = cut + 1 if cut >= 0 else floor
        if not LIST_ITEM.fullmatch(text, start, semi):
            break
        lo = start
    return lo


def _group_noun(head: str) -> bool:
    """"Patel and six other men were jailed for …": the names are part of a larger group."""
    return bool(re.search(r"\b(?:others?|men|women|people|gang|members|co-defendants)\b", head, re.I))


def _offences(what: str) -> list[str]:
    """"conspiracy to supply class A drugs and attempted murder after a trial" -> two offences, as written."""
    what = re.split(r"\s+(?:after|following|at|in|on|and\s+(?:was|were|has|had)|but|when|while|,\s+which|"
                    r"between|over|during|by\s+(?:a|the)\s+jury|was|were|will|is|has|had|who)\s+|,\s+", what,
                    maxsplit=1)[0]
    what = what.strip(" ,")
    if not what or len(what) < 4 or re.match(r"(?:him|her|them|the\s+men|all|both|after|following|at|in|on|by|"
                                             r"when|while|during)\b", what, re.I):  # "convicted after a trial"
        return []
    parts = re.split(r",\s+|\s+and\s+(?=[a-z])", what)
    return [p.strip() for p in parts if len(p.strip()) >= 4][:8]


# --- the case as a whole ------------------------------------------------------------------------------------

PERSONS = r"(?:men|women|people|defendants|members|brothers|sisters|teenagers|boys|girls|others|offenders|abusers|" \
          r"gang\s+members|co-defendants|adults|youths|friends)"
COURT_RE = re.compile(r"\b(?:[A-Z][\w'’-]+\s+){1,3}(?:Crown|Magistrates['’]?|Youth|County)\s+Court\b|\bthe\s+Old\s+Bailey\b|"
                      r"\bCentral\s+Criminal\s+Court\b|\bCourt\s+of\s+Appeal\b|\bHigh\s+Court\b")
APPEAL_RE = re.compile(r"\b(?:failed\s+(?:in\s+(?:a|an|his|her|their)\s+(?:bid|attempt|appeal)\s+)?to\s+(?:get|have)\s+"
                       r"(?:his|her|their)\s+sentences?\s+(?:cut|reduced|overturned|quashed)|lost\s+(?:an?|his|her|their)"
                       r"\s+appeal|appeal\s+(?:was|has\s+been)\s+(?:dismissed|rejected|refused))\b|"
                       # "had his sentence increased to", "Hollis’s sentence was increased to", "cut this term to"
                       r"\b(?:(?:had\s+(?:his|her|their)|[A-Z][\w'-]*['’]s?)\s+(?:jail\s+|prison\s+)?sentences?\s+"
                       r"(?:(?:was|were|has\s+been|had\s+been)\s+)?(?P<dir>increased|extended|cut|reduced)|"
                       r"(?P<dir2>increased|extended|cut|reduced)\s+(?:this|the|his|her|their)\s+(?:jail\s+|prison\s+)?"
                       r"(?:term|sentence))\s+to\s+(?P<term>" + NUMBER + r"\s+(?:years?|months?)(?:(?:\s+and|,)\s+" + NUMBER +
                       r"\s+months?)?)", re.I)
DATE_EVENTS = (("trial_date", r"\btrial\s+(?:began|opened|started)\b"),
               ("verdict_date", r"\b(?:convicted|found\s+guilty|verdicts?)\b"),
               ("sentence_date", r"\b(?:sentenced|jailed)\b"))
CONVICTED_VERBS = r"(?:convicted|found\s+guilty|jailed|sentenced|imprisoned|locked\s+up|given)"


def _count_before(figs: list[dict], pos: int, lo: int, units: str) -> dict | None:
    """The count of people right before a verb at ``pos`` ("Seven men … were jailed")."""
    found = [f for f in figs if f["kind"] == "count" and lo <= f["start"] < pos and f["value"] is not None
             and f["value_max"] is None and re.fullmatch(units, f["unit"] or "", re.I)]
    return found[-1] if found else None


def _fact(value, f: dict | None = None, start: int | None = None, end: int | None = None, text: str = "") -> dict:
    if f is not None:
        return {"value": value, "figure_id": f["figure_id"], "text": f["text"], "start": f["start"], "end": f["end"]}
    return {"value": value, "figure_id": "", "text": text, "start": start, "end": end}


def case_record(text: str, sentences: list[tuple[int, int]], figs: list[dict], dates: list[dict], people,
                defendants: list[Defendant]) -> dict:
    """What the article states about the case as a whole, each value with the figure or the words it came from;
    {} for an article that is not a court story."""
    out: dict = {}
    cue = re.compile(r"jail|sentenc|convicted|guilty|acquit|cleared|admitted|trial|court|judge|charge|bailey|appeal|"
                     r"verdict|jury|life|prison", re.I)
    if not defendants and not any(cue.search(text[s:e]) and re.search(r"jail|sentenc|convicted|guilty", text[s:e], re.I)
                                  for s, e in sentences):
        return {}
    fig_starts = [f["start"] for f in figs]  # figs and dates are in reading order: each sentence's by bisection
    dates = sorted(dates, key=lambda d: d["start"])
    date_starts = [d["start"] for d in dates]
    for s, e in sentences:
        sentence = text[s:e]
        if not cue.search(sentence):
            continue
        in_sentence = figs[bisect.bisect_left(fig_starts, s):bisect.bisect_left(fig_starts, e)]
        in_dates = dates[bisect.bisect_left(date_starts, s):bisect.bisect_left(date_starts, e)]
        # "saw seven gang members jailed": the count right before the verb
        for f in in_sentence:
            if f["kind"] == "count" and f["value"] is not None and f["value_max"] is None and "convicted" not in out \
                    and re.fullmatch(rf"(?:[\w-]+\s+)?{PERSONS}", f["unit"] or "", re.I) \
                    and re.match(rf"\s+(?:who\s+were\s+)?{CONVICTED_VERBS}\b", text[f["end"]:f["end"] + 40], re.I):
                out["convicted"] = _fact(f["value"], f)
        # "Seven men … were jailed"
        for m in re.finditer(rf"\b(?:were|have\s+been|had\s+been|are|was)\s+(?:all\s+|also\s+|each\s+)?"
                             rf"{CONVICTED_VERBS}\b", sentence, re.I):
            f = _count_before(in_sentence, s + m.start(), s, rf"(?:[\w-]+\s+)?{PERSONS}")
            if f and "convicted" not in out and not re.search(r"\bof\s+whom\s+$|\bother\b",
                                                             text[max(s, f["start"] - 12):f["start"]], re.I):
                out["convicted"] = _fact(f["value"], f)
        for m in re.finditer(r"\b(?:of\s+whom|of\s+them)\s+(?:were\s+|was\s+)?(?:jailed|sentenced|given|received)\s+"
                             r"(?:for\s+|to\s+)?life|\b(?:were|received|given)\s+life\s+sentences\b", sentence, re.I):
            w = re.search(rf"\b(?P<n>{NUMBER})\s+(?:of\s+whom|of\s+them|{PERSONS})?\s*$", sentence[:m.start()], re.I) \
                or re.search(rf"\b(?P<n>{NUMBER})\s+$", sentence[:m.start()], re.I)
            if w and "of" in m.group(0)[:9].lower():  # "four of whom were jailed for life": the number before it
                out.setdefault("life_sentences", _fact(parse_number(w["n"]), start=s + w.start("n"),
                                                       end=s + w.end("n"), text=w["n"]))
                continue
            f = next((g for g in reversed(in_sentence) if g["kind"] == "count" and g["start"] < s + m.start()
                      and g["value"] is not None), None)
            if f is not None:
                out.setdefault("life_sentences", _fact(f["value"], f))
        acq_lo = s
        for m in re.finditer(r"\b(?:acquitted|cleared|found\s+not\s+guilty)\b", sentence, re.I):
            f = _count_before(in_sentence, s + m.start(), acq_lo, rf"(?:[\w-]+\s+)?{PERSONS}|")
            acq_lo = s + m.end()
            w = re.search(rf"\b(?P<n>{NUMBER})\s+(?:{PERSONS}\s+)?(?:were|was|had\s+been)\s+(?:\w+\s+)?$",
                          sentence[:m.start()], re.I)
            one = re.search(r"\b(?:another|a|one)\s+(?:man|woman|defendant|person)\s+(?:was|had\s+been)\s+$",
                            sentence[:m.start()], re.I)
            value = f["value"] if f else parse_number(w["n"]) if w else 1 if one else None
            if value is not None:
                if f:
                    here = _fact(value, f)
                else:
                    a, z = (s + w.start("n"), s + w.end("n")) if w else (s + one.start(), s + one.end())
                    here = _fact(value, start=a, end=z, text=text[a:z])
                prev = out.get("acquitted")  # "Three were acquitted and another man was found not guilty": 3 + 1
                out["acquitted"] = here if prev is None else dict(prev, value=prev["value"] + value)
        for f in in_sentence:
            before = text[max(s, f["start"] - 40):f["start"]]
            after = text[f["end"]:f["end"] + 40]
            if f["kind"] == "duration" and f["unit"] == "years" and f["value"] is not None:
                if re.search(r"\b(?:a\s+total\s+of|total(?:ling)?|combined|between\s+them)\s+$", before, re.I) \
                        and re.search(r"jail|sentenc|prison", sentence, re.I):
                    out.setdefault("reported_total_years", _fact(f["value"], f))
                elif f["value_max"] is not None and re.search(r"jail|sentenc", sentence, re.I):
                    out.setdefault("term_range_years", _fact([f["value"], f["value_max"]], f))
            if f["kind"] == "duration" and f["unit"] in ("weeks", "days", "months") and f["value"] is not None \
                    and (re.match(r"\s*(?:-long\s+)?trial\b", after, re.I) or (
                        re.match(r"\s*(?:-long\s+)?(?:case|hearing)\b", after, re.I)
                        and re.search(r"jail|convicted|sentenc|guilty", sentence, re.I))):
                weeks = f["value"] if f["unit"] == "weeks" else f["value"] / 7 if f["unit"] == "days" else f["value"] * 52 / 12
                out.setdefault("trial_weeks", _fact(round(weeks, 2), f))
            if f["kind"] == "count" and f["value"] is not None and re.fullmatch(
                    r"(?:[\w-]+\s+)?(?:charges|counts|offences)", f["unit"] or ""):
                key = "charges_proved" if re.search(r"convicted|guilty|proved|admit", sentence, re.I) else "charges"
                out.setdefault(key, _fact(f["value"], f))
            if f["kind"] == "count" and f["value"] is not None and re.fullmatch(
                    r"(?:[\w-]+\s+)?(?:girls|boys|children|victims|women|teenagers)", f["unit"] or "") \
                    and re.search(r"victim|abus|against|relating\s+to|exploit|rape|assault", sentence, re.I):
                out.setdefault("victims", _fact(f["value"], f))
        for m in re.finditer(rf"\b(?P<n>{NUMBER})\s+(?:{PERSONS})\s+(?:went|stood|were\s+put)\s+on\s+trial", sentence, re.I):
            f = next((g for g in in_sentence if g["start"] == s + m.start()), None)
            out.setdefault("on_trial", _fact(parse_number(m["n"]), f) if f else
                           _fact(parse_number(m["n"]), start=s + m.start("n"), end=s + m.end("n"), text=m["n"]))
        c = COURT_RE.search(sentence)
        if c and "court" not in out:
            out["court"] = _fact(c.group(0).strip(), start=s + c.start(), end=s + c.end(), text=c.group(0).strip())
        a = APPEAL_RE.search(sentence)
        if a and "appeal" not in out:
            if a["dir"] or a["dir2"]:
                way = (a["dir"] or a["dir2"]).lower()
                outcome = "sentence increased" if way in ("increased", "extended") else "sentence reduced"
                value = {"outcome": outcome, "term_years": parse_sentence(" " + a["term"])[1]}
            else:
                value = {"outcome": "appeal dismissed"}
            out["appeal"] = _fact(value, start=s + a.start(), end=s + a.end(), text=a.group(0))
        # a date belongs to the event whose verb comes last before it ("jailed … on 14 March 2023 after being
        # convicted" is the sentencing date), or, with none before it, the first after it ("On 3 May, the jury
        # convicted …")
        for d in (d for d in in_dates if d["date"] and d["precision"] in ("day", "month")
                  and not re.search(r"\b(?:between|from|since|until|and|to)\s+$", text[max(s, d["start"] - 9):d["start"]])):
            verbs = sorted((s + m.start(), key) for key, pattern in DATE_EVENTS
                           for m in re.finditer(pattern, sentence, re.I))
            before = [v for v in verbs if v[0] < d["start"]]
            after = [v for v in verbs if v[0] >= d["end"]]
            pick = before[-1] if before else after[0] if after else None
            if pick:
                out.setdefault(pick[1], _fact(d["date"], start=d["start"], end=d["end"], text=d["text"]))
    appeal = out.get("appeal", {}).get("value", {})
    sentenced = [d for d in defendants if d.sentence in ("determinate", "suspended")]
    if appeal.get("term_years") and len(defendants) == 1 and len(sentenced) == 1:
        # "had her sentence increased to 12 years": the one defendant's sentence is now the new term (a suspended
        # sentence "increased to four years in prison" is one served)
        sentenced[0].term_years = appeal["term_years"]
        sentenced[0].sentence, sentenced[0].suspended_years = "determinate", None
        out["appeal"]["value"] = dict(appeal, applied_to=sentenced[0].name)
    judge = next((p for p in people if re.search(r"\b(?:judge|justice|recorder|hhj)\b", p.role or "", re.I)
                  or re.match(r"(?:Mrs?|Ms|Lord|Lady)\s+Justice\b|Judge\b|Recorder\b|HHJ\b", p.name)), None)
    if judge:
        pos = judge.spans[0] if judge.spans else (judge.positions[0], judge.positions[0] + len(judge.name))
        out["judge"] = _fact(f"{judge.role} {judge.name}".strip(), start=pos[0], end=pos[1], text=text[pos[0]:pos[1]])
    if defendants and "convicted" not in out:
        done = [d for d in defendants if d.outcome in ("convicted", "pleaded guilty")]
        if done:
            out["convicted_named"] = _fact(len(done), start=done[0].start, end=done[0].end,
                                           text=text[done[0].start:done[0].end])
    return out
