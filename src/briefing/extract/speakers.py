"""Who is speaking: the subject of a reporting clause, resolved to a person or an organisation the article names.

The phrase comes from around a quotation ("Mr Crabtree said", "said campaigner Sue Bright", "the judge told
them", "a trust has promised", "A Department for Levelling Up spokesman said", "Water UK, which represents the
industry, warned that"). It is resolved with the people and organisations found in the article, and with
nothing else: a phrase that could name two of them, or none, resolves to nobody (precision before recall; see
README, "Quotations"). Pronouns are resolved by the caller, which knows the sentences around the quote.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from .entities import (DESCRIPTOR_RE, HONORIFICS, JUDGE_STYLE, NAME_TOKEN, STYLED, TITLE_WORDS, Organisation, Person,
                       is_org_name, resolve_name, split_role_name)
from .spans import SortedList

PERSON, ORGANISATION = "person", "organisation"
PRONOUNS = {"he", "she"}
# a plural or impersonal subject says nobody in particular: "they said", "it said", "we were told"
NOBODY = {"they", "it", "we", "i", "you", "one of them", "some", "others", "critics", "sources", "inspectors",
          "residents", "campaigners", "officials", "police", "officers", "witnesses", "experts", "parents"}
# the head nouns of bodies that speak through statements, reports and decisions ("the review said")
BODY_NOUNS = {"trust", "council", "authority", "company", "firm", "government", "department", "ministry", "review",
              "report", "inquiry", "regulator", "board", "committee", "court", "tribunal", "charity", "force",
              "service", "school", "academy", "college", "university", "club", "union", "network", "group",
              "coalition", "association", "partnership", "agency", "commission", "watchdog", "developer", "party",
              "organisation", "organization", "hospital", "society", "foundation", "body", "panel", "statement",
              "operator", "landlord", "retailer", "bank", "insurer", "airline"}
SPOKES = r"spokes(?:man|woman|person)|representative"
# titles kept in a person's name: the article calls a knight "Sir Robert", a peer "Baroness Ellis", a High Court
# judge "Mr Justice Harding"; everyone else is named plainly, their title going to ``role``
STYLED_TITLES = "|".join(sorted(STYLED))
_LEADING = re.compile(r"^(?:and|but|while|as|after|then|so|yet|also|later|meanwhile|however)\s+", re.IGNORECASE)
_DETAIL = re.compile(r"^(?:who|whose|whom|which|that|of|from|at|in|on|for|with|aged|\d|published|speaking|"
                     r"writing|giving|appearing|sitting|formerly|now|also|himself|herself|itself)\b", re.IGNORECASE)


@dataclass
class Speaker:
    name: str
    type: str
    role: str = ""
    how: str = ""            # set when the phrase itself says how: role, organisation; else the caller's
    start: int = -1          # where the name is in the text, when it is written there (for people/orgs tables)
    end: int = -1


def _role_words(p: Person) -> set[str]:
    out = {w.lower() for w in re.findall(r"[A-Za-z]+", p.role)}
    if out & {"justice", "recorder"} or p.name.split()[:2][-1:] == ["Justice"]:
        out.add("judge")  # "Mr Justice Harding" is the judge
    if out & {"cllr", "coun"}:
        out.add("councillor")
    return out


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


class _Known:
    """The people and organisations a phrase is resolved against, indexed, so that a lookup costs what it finds and
    not a pass over every name (an article naming thousands of speakers made attribution quadratic).

    Each lookup gives *candidates*, a superset of what the resolver's own test accepts, in list order; the resolver
    then applies its test to them, so the answers are those of a scan of the whole list. The lists only grow (the
    resolver appends the speakers it meets), and what was appended is indexed at the next lookup. "Named before the
    quote" is answered from the names whose first mention is before the furthest quote seen so far: quotes are
    attributed in reading order, so these are exactly the names before this one (an earlier quote would get more
    candidates, filtered by the test, never fewer)."""

    def __init__(self, people: list[Person], orgs: list[Organisation]) -> None:
        self.people, self.orgs = people, orgs
        self.n_people = self.n_orgs = 0
        self.person_names: dict[str, list[int]] = {}
        self.surnames: dict[str, int] = {}             # surname -> first person with it
        self.name_starts: dict[str, list[int]] = {}    # each name's words before a space: "Sir Robert" for
                                                       # "Sir Robert Vane"
        self.people_due: list[tuple[int, int]] = []    # (first mention, index), not yet "named before"
        self.role_index: dict[str, list[int]] = {}     # role word -> people named before the furthest quote
        self.org_names: dict[str, list[int]] = {}
        self.org_suffixes: dict[str, list[int]] = {}   # the words after each space of a name -> orgs
        self.acronyms: dict[str, list[int]] = {}
        self.orgs_due: list[tuple[int, int]] = []
        self.orgs_reversed = SortedList()               # (lower-case name backwards, index), orgs in reach

    def _sync(self) -> None:
        for i in range(self.n_people, len(self.people)):
            p = self.people[i]
            self.person_names.setdefault(p.name, []).append(i)
            self.surnames.setdefault(p.surname, i)
            for k, ch in enumerate(p.name):
                if ch == " ":
                    self.name_starts.setdefault(p.name[:k], []).append(i)
            if p.positions:
                heapq.heappush(self.people_due, (p.positions[0], i))
        self.n_people = len(self.people)
        for i in range(self.n_orgs, len(self.orgs)):
            o = self.orgs[i]
            self.org_names.setdefault(o.name, []).append(i)
            for k, ch in enumerate(o.name):
                if ch == " ":
                    self.org_suffixes.setdefault(o.name[k + 1:], []).append(i)
            self.acronyms.setdefault(_acronym(o.name), []).append(i)
            if o.positions:
                heapq.heappush(self.orgs_due, (o.positions[0], i))
        self.n_orgs = len(self.orgs)

    # --- people --------------------------------------------------------------------------------------------
    def named(self, name: str) -> list[Person]:
        self._sync()
        return [self.people[i] for i in self.person_names.get(name, ())]

    def has_name_or_surname(self, name: str) -> bool:
        self._sync()
        return name in self.person_names or name in self.surnames

    def for_full_name(self, name: str) -> list[Person]:
        """Candidates for :func:`entities.resolve_name`: the people named by any tail of the phrase ("Mr Andrew
        Smith", "Andrew Smith", "Smith") and the first with each tail as surname."""
        self._sync()
        name = re.sub(r"\s+", " ", name.strip())
        tails = [name] + [name[k + 1:] for k, ch in enumerate(name) if ch == " "]
        found = {i for t in tails for i in self.person_names.get(t, ())}
        found |= {self.surnames[t] for t in tails if t in self.surnames}
        return [self.people[i] for i in sorted(found)]

    def styled(self, name: str) -> list[Person]:
        """Candidates named ``name`` or ``name`` and more words: the first two of each (one is all the caller
        accepts)."""
        self._sync()
        found = set(self.person_names.get(name, [])[:2]) | set(self.name_starts.get(name, [])[:2])
        return [self.people[i] for i in sorted(found)]

    def with_role_words(self, words: set[str], pos: int) -> list[Person]:
        """People first named before ``pos`` whose role has every one of ``words``: candidates, from the rarest
        word's list."""
        self._sync()
        while self.people_due and self.people_due[0][0] < pos:
            _, i = heapq.heappop(self.people_due)
            for w in _role_words(self.people[i]):
                self.role_index.setdefault(w, []).append(i)
        lists = [self.role_index.get(w, []) for w in words]
        return [self.people[i] for i in min(lists, key=len)] if lists else []

    # --- organisations -------------------------------------------------------------------------------------
    def org_named(self, name: str) -> list[Organisation]:
        """Candidates for "the organisation called ``name``": the same name, one ending in " ``name``", one
        that ``name`` ends with after a space."""
        self._sync()
        lists = [self.org_names.get(name), self.org_suffixes.get(name)]
        lists += [self.org_names.get(name[k + 1:]) for k, ch in enumerate(name) if ch == " "]
        # every one in these lists is such an organisation: the first of each is enough to find the first of all
        return [self.orgs[i] for i in sorted({found[0] for found in lists if found})]

    def org_named_exactly(self, name: str) -> bool:
        self._sync()
        return name in self.org_names

    def with_acronym(self, acronym: str):
        self._sync()
        return (self.orgs[i] for i in self.acronyms.get(acronym, ()))

    def ending(self, text: str) -> list[Organisation]:
        """Candidates whose name ``text`` ends with (at any character)."""
        self._sync()
        found = {i for k in range(len(text) + 1) for i in self.org_names.get(text[k:], ())}
        return [self.orgs[i] for i in sorted(found)]

    def ending_lower(self, noun: str, reach: int):
        """Organisations first named before ``reach`` whose lower-case name ends with ``noun``, in the order of
        their names written backwards: candidates, to be read only as far as the caller needs."""
        self._sync()
        while self.orgs_due and self.orgs_due[0][0] < reach:
            _, i = heapq.heappop(self.orgs_due)
            self.orgs_reversed.add((self.orgs[i].name.lower()[::-1], i))
        key = noun[::-1]
        for backwards, i in self.orgs_reversed.from_((key, -1)):
            if not backwards.startswith(key):
                return
            yield self.orgs[i]


class Resolver:
    def __init__(self, text: str, people: list[Person], orgs: list[Organisation]):
        self.text, self.people, self.orgs = text, people, orgs
        self.known = _Known(people, orgs)

    # --- the phrase ----------------------------------------------------------------------------------------
    def resolve(self, phrase: str, offset: int, pos: int) -> Speaker | None:
        """``phrase`` written at ``offset`` in the text, for a quote at ``pos``. None: nobody, or a pronoun
        (see :func:`is_pronoun`). A person or organisation named here for the first time joins the lists, so
        that later quotes can point back to them ("the judge said")."""
        sp = self._resolve(phrase, offset, pos)
        if sp is not None and sp.start >= 0:
            if sp.type == PERSON and not self.known.named(sp.name):
                self.people.append(Person(sp.name, sp.role, "", [sp.start], [(sp.start, sp.end)]))
            elif sp.type == ORGANISATION and not self.known.org_named_exactly(sp.name):
                self.orgs.append(Organisation(sp.name, [sp.start]))
        return sp

    def _resolve(self, phrase: str, offset: int, pos: int) -> Speaker | None:
        # "Judge Simon Tate QC", "Ruth Mayo of the Harwick Housing Forum": the name without the letters after it or the body
        # it speaks for (a body named after the name is its affiliation; the person speaks)
        tail = re.search(r"(?:\s+(?:QC|KC|MP|MSP|MEP|AM|MLA|JP|OBE|MBE|CBE))+\s*$|(?<=[a-z])\s+(?:of|from|at)\s+[A-Za-z][^,]*$",
                         phrase)
        head = phrase[:tail.start()] if tail else ""
        if tail and re.search(r"[A-Z][\w’'-]+\s+[A-Z][\w’'-]+$", head) and not re.match(r"\s*(?:The|A|An)\s", head) \
                and not is_org_name(head.split(",")[-1].strip()):
            phrase = phrase[:tail.start()]
        parts = self._parts(phrase, offset)
        if not parts:
            return None
        org_hint = any(re.match(r"which\b", p, re.IGNORECASE) for p, _ in self._all_parts(phrase, offset))
        if re.search(r"\bsources?\b|\binsiders?\b", phrase, re.IGNORECASE):
            return None  # "a senior government source said": unnamed on purpose
        # the first part that is a name is the subject: the parts before it set the scene or describe ("In
        # mitigation, Ms Dunmore’s solicitor, Ian Crabtree,"; "The regulator, Ofwat,"), those after it describe
        # ("Paul Brannigan, chief executive of Kingsmere Hospitals NHS Foundation Trust,")
        statement = bool(re.match(r"\s*(?:said|says)\s+in\s+a\s+statement", self.text[offset + len(phrase):offset + len(phrase) + 30]))
        for i, (part, at) in enumerate(parts):
            if not _names_something(part, last=i == len(parts) - 1):
                continue
            prev = parts[i - 1][0].lower().split() if i > 0 else []
            prev_body = len(prev) >= 2 and prev[0] in ("the", "a", "an") and prev[-1] in BODY_NOUNS
            sp = self._named(part, at, pos, org_hint or prev_body or statement)
            if sp is not None:
                return sp
            if part.lower() in NOBODY:
                return None
            break  # a name that is nobody the article knows: do not guess at the parts after it
        # no name: the last part describes the speaker ("the judge", "a trust", "A ... spokesman")
        part, at = parts[-1]
        low = part.lower()
        if low in PRONOUNS or low in NOBODY:
            return None
        sp = self._spokesperson(part, at, pos)
        if sp is not None:
            return sp if sp.name else None
        if re.match(r"(?:a|an|one|another|some|two|three|several)\s", low):
            return self._body(part, at, pos) if low.split()[-1] in BODY_NOUNS else None  # "a councillor": somebody
        words = re.sub(r"[^a-z -]", "", low).split()
        if words and (words[0] in ("the", "its", "their", "his", "her") or (len(words) == 1 and words[0] in BODY_NOUNS)):
            if "’s " in part or "'s " in part:
                return None  # "the charity’s chairwoman" alone: whose, not who
            return self._body(part, at, pos) if words[-1] in BODY_NOUNS else self._by_role(part, pos)
        return None

    def _all_parts(self, phrase: str, offset: int) -> list[tuple[str, int]]:
        out, pos = [], 0
        for chunk in re.split(r"(,)", phrase):
            if chunk != ",":
                stripped = chunk.strip()
                if stripped:
                    out.append((stripped, offset + pos + chunk.index(stripped)))
            pos += len(chunk)
        return out

    def _parts(self, phrase: str, offset: int) -> list[tuple[str, int]]:
        """The comma-separated parts that can name the speaker: not "who has led ...", "of Mill Lane", "34"."""
        out = []
        for part, at in self._all_parts(phrase, offset):
            if _DETAIL.match(part):
                continue
            m = _LEADING.match(part)
            if m:
                part, at = part[m.end():], at + m.end()
            if part:
                out.append((part, at))
        return out

    # --- organisations -------------------------------------------------------------------------------------
    def _spokesperson(self, part: str, at: int, pos: int) -> Speaker | None:
        """"A Department for Levelling Up spokesman", "a spokeswoman for Harwick Council": the organisation
        speaks. Returns Speaker("") for a spokesman of nobody named (a spokesman, but whose?)."""
        m = re.fullmatch(rf"(?:an?|the)\s+(?:(?P<org1>.+?)\s+)?(?P<role>{SPOKES})(?:\s+(?:for|at|from|of|with)\s+"
                         rf"(?:the\s+)?(?P<org2>.+))?", part, re.IGNORECASE)
        if not m:
            return None
        org = (m.group("org1") or m.group("org2") or "").strip()
        if not org:
            return Speaker("", ORGANISATION)
        start = at + (m.start("org1") if m.group("org1") else m.start("org2"))
        if org[:1].isupper():
            named = self._org_named(org)
            return Speaker(named or org, ORGANISATION, m.group("role").lower(), "organisation", start, start + len(org))
        sp = self._body(org, start, pos)
        if sp is not None:
            sp.role = m.group("role").lower()
        return sp or Speaker("", ORGANISATION)

    def _org_named(self, name: str) -> str:
        name = re.sub(r"^the\s+", "", name)
        if re.fullmatch(r"[A-Z]{2,6}", name):  # "the CPS" after "the Crown Prosecution Service"
            full = []
            for o in self.known.with_acronym(name):
                if _acronym(o.name) == name and len(o.name) > len(name):
                    full.append(o.name)
                    if len(full) == 2:
                        break  # one is all that is accepted
            if len(full) == 1:
                return full[0]
        for o in self.known.org_named(name):
            if o.name == name or o.name.endswith(" " + name) or name.endswith(" " + o.name):
                return o.name
        return ""

    def _body(self, phrase: str, at: int, pos: int) -> Speaker | None:
        """"the trust", "a trust", "the county council": the one organisation the article names with that head
        noun, else the phrase as written ("the review"), which says what spoke without naming it."""
        words = re.sub(r"[^a-z -]", "", phrase.lower()).split()
        head = words[-1]
        noun = " ".join(w for w in words if w not in ("the", "a", "an", "its", "their"))
        if head == "statement":
            return None
        matches: set[str] = set()
        for o in self.known.ending_lower(noun, pos + 2000):
            if o.name.lower().endswith(noun) and o.positions and o.positions[0] < pos + 2000:
                matches.add(o.name)
                if len(matches) == 2:
                    break  # one is all that is accepted
        if len(matches) == 1:
            return Speaker(matches.pop(), ORGANISATION, "", "organisation")
        written = re.sub(r"^(?:a|an|its|their)\s+", "the ", phrase.strip(), flags=re.IGNORECASE)
        written = written[0].lower() + written[1:]
        if not written.startswith("the "):
            written = "the " + written
        return Speaker(written, ORGANISATION, "", "organisation")

    # --- people --------------------------------------------------------------------------------------------
    def _by_role(self, phrase: str, pos: int) -> Speaker | None:
        """"the judge", "the chief executive": the one person named earlier with that role, else nobody."""
        words = {w for w in re.findall(r"[a-z]+", phrase.lower())} - {"the", "a", "an", "his", "her", "their", "its"}
        if not words:
            return None

        found = []
        for p in self.known.with_role_words(words, pos):
            if p.positions and p.positions[0] < pos and words <= _role_words(p):
                found.append(p)
                if len(found) == 2:
                    break  # one is all that is accepted
        if len(found) != 1:
            return None
        return Speaker(found[0].name, PERSON, found[0].role, "role")

    def _named(self, part: str, at: int, pos: int, org_hint: bool) -> Speaker | None:
        part = re.sub(r"\s+", " ", part.strip())
        staff = re.fullmatch(r"(?:the\s+)?(?P<org>[A-Z][\w’'&. -]*?)\s+(?:inspectors|officials|officers|staff|bosses|"
                             r"chiefs|leaders|spokesmen|spokeswomen|lawyers|auditors|report|review|statement|"
                             r"inspection\s+report|letter|ruling|judgment)", part)
        if staff and not self._person_named(staff.group("org")):  # "Ofsted inspectors said", "the Ofsted report"
            org = self._org_named(staff.group("org")) or staff.group("org")
            s = at + staff.start("org")
            return Speaker(org, ORGANISATION, "", "organisation", s, s + len(staff.group("org")))
        if part.startswith("the "):
            named = self._org_named(part)
            if named:
                return Speaker(named, ORGANISATION, "", "organisation")
        m = re.search(rf"(?:{NAME_TOKEN}|[A-Z]{{2,6}})(?:\s+(?:{NAME_TOKEN}|[A-Z]{{2,6}}|of|for|and|&|the))*"
                      rf"\s+(?:{NAME_TOKEN}|[A-Z]{{2,6}})$|(?:{NAME_TOKEN}|[A-Z]{{2,6}})$", part)
        if not m:
            return None
        run = DESCRIPTOR_RE.sub("", m.group(0))
        # an organisation: one the article names, a name ending like one ("... Homes", "... Trust"), or
        # "X, which ..." / "The regulator, X,"
        org = self._org_named(run) or (run if is_org_name(run) else "")
        if not org:
            for o in self.known.ending(run):  # "Developer Castlegate Homes": the known name inside the run
                if run.endswith(o.name):
                    org = o.name
                    break
        if not org and org_hint and not any(t in TITLE_WORDS for t in run.split()) \
                and not any(p.role for p in self.known.named(run)):
            # ("… said in a statement": a body, unless the run is a person the article gives a role)
            org = re.sub(r"^(?:The|Developer|Regulator|Charity|Firm|Company)\s+", "", run)
        if org:
            s = at + part.rfind(org)
            return Speaker(org, ORGANISATION, "", "", s, s + len(org))
        judge = next((m for m in JUDGE_STYLE.finditer(part) if m.end() == len(part)), None)
        if judge:
            name = f"{judge.group('title')} {judge.group('name')}"
            s = at + judge.start()
            known = next(iter(self.known.named(name)), None)
            return Speaker(name, PERSON, known.role if known else judge.group("title"), "", s, s + len(name))
        styled = re.search(rf"\b(?P<t>{STYLED_TITLES})\s+(?P<first>{NAME_TOKEN})(?:\s+(?P<rest>{NAME_TOKEN}))?$",
                           part)
        if styled:
            person = self._styled(styled.group("t"), styled.group("first"), styled.group("rest"))
            if person is not None:
                return Speaker(person.name, PERSON, person.role, "")
        role, name = split_role_name(part)
        if not name:
            return None
        full = resolve_name(name, self.known.for_full_name(name), pos)
        if not full:
            return None
        if len(full.split()) < 2 and not full.split()[0] in HONORIFICS:
            return None
        person = next(iter(self.known.named(full)), None)
        s = at + part.rfind(name)
        return Speaker(full, PERSON, role or (person.role if person else ""), "", s, s + len(name))

    def _person_named(self, name: str) -> bool:
        return self.known.has_name_or_surname(name)

    def _styled(self, title: str, first: str, rest: str | None) -> Person | None:
        """"Sir Robert" or "Sir Robert Vane": the person the article named so ("Sir Robert Vane")."""
        name = f"{title} {first}" + (f" {rest}" if rest else "")
        candidates = self.known.styled(name)
        found = [p for p in candidates if p.name == name or p.name.startswith(name + " ")]
        if not found and rest is None:  # "Baroness Ellis": a peer is named by title and surname
            found = [p for p in candidates if p.name == name]
        return found[0] if len(found) == 1 else None


_SCENE = re.compile(r"(?:In|On|At|After|Before|Outside|Inside|Speaking|Writing|Giving|Passing|Sentencing|Defending|"
                    r"Prosecuting|Mitigating|Responding|Asked|Later|Earlier|Meanwhile|However|But|And|Today|"
                    r"Yesterday|Last|This|Following|During|Addressing|Opening|Closing|Summing|Explaining)\b")


def _names_something(part: str, last: bool = True) -> bool:
    """A part that can name the speaker: capitalised, not a scene-setting phrase ("In mitigation", "Defending
    Shah"), not a description ("The regulator", "Ms Dunmore’s solicitor", "chief executive of X")."""
    if re.match(r"the\s+[A-Z]", part):
        return True  # "the CQC", "the Environment Agency"
    if not part[:1].isupper():
        # "judge Marsh", "council leader Tom Reeve", "campaigner Sue Bright"; not "chief executive of X"
        lead = re.match(r"((?:[a-z][\w’'-]*\s+){1,4})[A-Z]", part)
        return bool(lead) and not re.search(r"\b(?:of|for|at|with|in|on|to|from|by|the|a|an|who|which)\b",
                                            lead.group(1))
    if _SCENE.match(part) or (not last and re.match(r"[A-Z][a-z]+ing\s", part)):  # "Jailing Petchey, judge X said"
        return False
    if re.match(r"(?:The|A|An|Its|His|Her|Their|Our|My)\s+[a-z]", part):
        return False
    # "Ms Dunmore’s solicitor" describes; "the victim's brother Tom Ashby" names, after the description
    return not re.search(r"[’']s\s+[a-z]", part) or bool(
        re.search(r"[’']s\s+[a-z]+(?:\s+[a-z]+)?\s+[A-Z][\w’'-]+\s+[A-Z][\w’'-]+$", part))


def is_pronoun(phrase: str) -> bool:
    parts = [p.strip() for p in phrase.split(",") if p.strip() and not _DETAIL.match(p.strip())]
    return bool(parts) and _LEADING.sub("", parts[-1]).lower() in PRONOUNS
