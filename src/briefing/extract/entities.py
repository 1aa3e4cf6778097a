"""People (with role and organisation) and organisations named in an article.

Capitalised runs are candidates. A run is a person only with evidence: a title ("Chief Constable",
"Ms"), a role phrase before it ("Oxford East MP"), an age or role after it ("Jane Roe, 34,";
"Jane Roe, a spokeswoman for ..."), or a speech verb ("... said"). A run ending in an institution
word ("Police", "Council", "Service") is an organisation, never a person.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

NAME_TOKEN = r"(?:[A-Z][a-z]*['’][A-Z][a-z]+|(?:Mc|Mac)[A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
HONORIFICS = {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Dame", "Lord", "Lady", "Baroness", "Baron", "Rev",
              "Revd", "Prof", "Professor", "Cllr", "Councillor", "Coun"}
# titles that stay in a person's name (the article calls a knight "Sir Robert", a peer "Baroness Ellis")
STYLED = {"Sir", "Dame", "Lord", "Lady", "Baroness", "Baron"}
TITLE_WORDS = {
    "Chief", "Constable", "Detective", "Superintendent", "Inspector", "Sergeant", "Sgt", "Insp", "Supt", "PC", "DC",
    "DS", "DI", "DCI", "DSupt", "Det", "Judge", "Justice", "Recorder", "Deputy", "Assistant", "Commissioner",
    "President", "Senator", "Governor", "Mayor", "Minister", "Secretary", "Chancellor", "Bishop", "Father",
    "Officer", "Captain", "Colonel", "Commander", "Chairman", "Chairwoman", "Leader",
    "Director", "Councillor", "Cllr", "Prosecutor", "Coroner", "Sheriff", "Rabbi", "Imam", "Canon", "Sister",
    "Headteacher", "Alderman", "Reverend", "Prime", "Home", "Health", "Education",
    "Justice", "Shadow", "Foreign", "Attorney", "Solicitor", "Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord",
    "Lady", "Professor", "Prof", "Baroness", "Coun", "Rev", "Revd",
} | HONORIFICS
ROLE_END = re.compile(
    r"(?:MP|MEP|MSP|AM|MS|QC|KC|executive|officer|constable|leader|minister|secretary|judge|spokesman|spokeswoman|"
    r"spokesperson|director|councillor|superintendent|inspector|detective|sergeant|chairman|chairwoman|chair|head|"
    r"president|manager|professor|commissioner|mayor|prosecutor|barrister|lawyer|solicitor|governor|editor|"
    r"campaigner|founder|member|worker|teacher|headteacher|doctor|nurse|coordinator|co-ordinator|senator|"
    r"sheriff|deputy|adviser|advisor|analyst|economist|chief|boss|owner|resident|mother|father|spokesperson|"
    r"researcher|scientist|official|organiser|volunteer|trustee|coroner|recorder|investigator|expert|author|"
    r"consultant|treasurer|clerk|principal|dean|vicar|priest|pastor|rabbi|imam|lecturer|surgeon|paramedic|parent|"
    r"grandparent|grandmother|grandfather|pensioner|student|neighbour|witness|shopkeeper|landlord|tenant|"
    r"businessman|businesswoman|farmer|chairs?|chairwoman|chief executive|landlady|publican|driver|victim|wife|"
    r"husband|son|daughter|brother|sister|partner)$",
    re.IGNORECASE,
)
ORG_WORDS = (
    r"Police|Constabulary|Council|Service|Services|Court|Courts|Prosecution|Government|Department|Ministry|Office|"
    r"Agency|Authority|Board|Trust|Commission|Committee|University|College|School|Academy|Hospital|NHS|Party|"
    r"Parliament|Assembly|Church|Foundation|Charity|Society|Association|Union|Institute|Council|Bank|Group|"
    r"Company|Ltd|plc|Inc|Partnership|Network|Alliance|Federation|Stadium|Arena|Centre|Center|Hall|Prison|"
    r"Inquiry|Review|Tribunal|Chambers|Unit|Team|Force|Executive|Treasury|Cabinet|Barnardo's|NSPCC|Utilities|Water|"
    r"Energy|Airways|Airlines|Holdings|Partners|Media|News|Insurance|Motors|Systems|Technologies|Solutions|Industries|"
    r"International|Corporation|Corp|Festival|Club|Museum|Library|Theatre|Gallery|Institute|Council|Clinic|Practice|"
    r"Homes|Coalition|Buses|Railway|Railways"
)
KNOWN_ORGS = ("Old Bailey", "Home Office", "Downing Street", "Whitehall", "Crown Prosecution Service",
              "Government", "Parliament", "Ofsted")
NOT_NAMES = set("""
The A An In On At By For From With After Before But And Or When While Since During Last Next This That These Those
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Street Road Lane Avenue Square Park North South East West Northern Southern
""".split())
HEADLINE_CAPS = {"A", "I", "THE", "YEAR", "AND", "OF", "IN", "TO", "ON", "AT", "FOR", "BY", "WITH", "IS", "IT"}


@dataclass
class Person:
    name: str
    role: str = ""
    organisation: str = ""
    positions: list[int] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass
class Organisation:
    name: str
    positions: list[int] = field(default_factory=list)


COURTESY_TITLES = {"Cllr", "Councillor", "Professor", "Prof", "Lord", "Baroness", "Dr"}


def _appositive(after: str) -> dict | None:
    """What follows a name between commas: an age ("34", "aged 51"), a role ("a spokeswoman for the agency",
    "cabinet member for finance") or an organisation ("of Wexmoor Police")."""
    m = re.match(r",\s+(?:aged\s+)?(?P<age>\d{1,3})\s*(?=[,.;:)–—]|$|\s+(?:said|says|told|added|of|from|and|who|was|is)\b)", after)
    if m:
        return {"age": int(m.group("age"))}
    m = re.match(rf",\s+(?:of|from|at)\s+(?:the\s+)?(?P<org>(?:{NAME_TOKEN}\s+){{0,5}}(?:{ORG_WORDS}))\s*(?=[,.;:]|$)", after)
    if m:
        return {"org": m.group("org")}
    m = re.match(r",\s+(?:(?:a|an|the)\s+)?(?P<role>[A-Za-z][^,.;:“”\"()]{2,80}?)\s*(?=[,.;:]|$|\s+(?:said|says|told|added)\b)", after)
    if m:
        role = m.group("role").strip()
        words = role.split()
        if len(words) > 9 or re.search(r"\b\w+ed\b|\bwho\b|\bwhich\b", role):
            return None
        head = re.split(r"\s+(?:for|of|at|with|in|on)\s+", role)[0].split()[-1]
        if ROLE_END.search(head) or ROLE_END.search(words[-1]):
            return {"role": role}
    return None


def split_role_name(phrase: str) -> tuple[str, str]:
    """'Oxford East MP Andrew Smith' -> ('Oxford East MP', 'Andrew Smith'); 'Mr Smith' -> ('', 'Mr Smith')."""
    phrase = re.sub(r"\s+", " ", phrase.strip())
    m = re.search(rf"((?:(?:[A-Z]\.|{NAME_TOKEN}\.?)\s)*{NAME_TOKEN})$", phrase)
    if not m:
        return phrase if ROLE_END.search(phrase) else "", ""
    tokens = m.group(1).split()
    role_prefix = phrase[:m.start()].strip()
    # a title inside the run starts another name ("... Sara Thornton Mr Smith" -> "Mr Smith")
    later = [i for i, t in enumerate(tokens)
             if i > 0 and t.rstrip(".") in TITLE_WORDS and tokens[i - 1].rstrip(".") not in TITLE_WORDS]
    if later:
        role_prefix, tokens = "", tokens[later[-1]:]
    honor = ""
    # leading title words belong to the role; a lone honorific stays with a surname
    # "Ringleaders Jason Pyle", "Campaigners Ann Lee": a plural noun opening the run is what they are
    while len(tokens) > 2 and (ROLE_END.search(tokens[0]) or PLURAL_NOUN.fullmatch(tokens[0])) \
            and tokens[0] not in TITLE_WORDS:
        role_prefix = f"{role_prefix} {tokens.pop(0)}".strip()  # "Campaigner Janet Ellery"
    styled = ""
    while len(tokens) > 1 and tokens[0].rstrip(".") in TITLE_WORDS:
        t = tokens.pop(0).rstrip(".")
        if t in STYLED and not styled:
            styled = t  # part of the name: "Sir Robert Vane", "Baroness Ellis"
        elif t in HONORIFICS and t not in ("Professor", "Prof", "Cllr", "Councillor", "Coun", "Lord", "Baroness"):
            honor = t
        else:
            role_prefix = f"{role_prefix} {t}".strip()
    if len(tokens) > 4:
        return "", ""
    if tokens and tokens[0].rstrip(".") in TITLE_WORDS and len(tokens) == 1:
        return phrase, ""
    name = " ".join(tokens)
    if styled:
        name = f"{styled} {name}"
    elif honor and len(tokens) == 1:
        name = f"{honor} {name}"
    if role_prefix and not ROLE_END.search(role_prefix.split(",")[-1].strip()) and not _ends_with_title(role_prefix):
        role_prefix = ""
    role = role_prefix.split(",")[-1].strip()
    role = re.sub(r"^(?:and|but|while|as|after|the|then)\s+", "", role, flags=re.IGNORECASE)
    return role, name


PLURAL_NOUN = re.compile(r"[A-Z][a-z]+(?:ers|ists|ants|ents|ors|ians)")


# surnames that are also the last word of organisations' names ("Joan Hall", "Carol Church")
SURNAME_ORG_WORDS = {"Hall", "Church", "Bank", "Banks", "Field", "House", "Court"}


def _person_with_org_surname(run: str, before: str) -> bool:
    """"landlady Joan Hall", "Mrs Ann Church": two names after a role word or an honorific are a person, though
    "Hall" ends organisations' names too."""
    tokens = run.split()
    if len(tokens) != 2 or tokens[1] not in SURNAME_ORG_WORDS or tokens[0] in NOT_NAMES:
        return False
    prev = re.search(r"([A-Za-z]+)\.?\s+$", before)
    return bool(prev) and (prev.group(1) in HONORIFICS or (prev.group(1).islower() and bool(ROLE_END.search(prev.group(1)))))


def _ends_with_title(s: str) -> bool:
    return bool(s) and s.split()[-1] in TITLE_WORDS


def is_org_name(run: str) -> bool:
    return bool(re.search(rf"\b(?:{ORG_WORDS})$", run)) or run in KNOWN_ORGS or run.startswith("Operation ")


# titles written with a full stop before a name ("Dr. Helen Okafor")
TITLE_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Rev", "Revd", "Coun", "Cllr", "Sgt", "Insp", "Supt", "Det",
                       "Capt", "Col", "Gen", "Lt", "St")
ABBREVIATED = re.compile(rf"\b({'|'.join(TITLE_ABBREVIATIONS)})\.(?=\s+[A-Z])")
# a High Court judge, named by style alone: "Mr Justice Pennock", "Lady Justice Hale"
JUDGE_STYLE = re.compile(rf"\b(?P<title>(?:Mr|Mrs|Ms|Lord|Lady)\s+Justice)\s+(?P<name>{NAME_TOKEN}(?:\s+{NAME_TOKEN})?)"
                         rf"(?![\w’'-])")


def mask_abbreviations(text: str) -> str:
    """"Dr. Helen Okafor" read as "Dr  Helen Okafor": a title's full stop is not a sentence's (same length, so
    every offset still points into the original text)."""
    return ABBREVIATED.sub(lambda m: m.group(1) + " ", text)


# Court copy names a defendant with nothing but what the court did: "Anton Beck (36) … was jailed", "Tanner
# Groves has been jailed for life", "Darren Pike (33), Millbrook, Harwick, had pleaded guilty". A criminal-justice
# verb (not "given", "fined" or "charged", which teams and companies get too) or an age in brackets is evidence of
# a person, after an appositive between commas or brackets
_AGE_AFTER = r"(?:\s*\((?:aged\s+)?\d{1,3}\)|,\s+(?:aged\s+)?\d{1,3},?)?"
COURT_AFTER = re.compile(
    # the name may open a list whose last member the verb follows: "A (37), B (40) and C (35) were all jailed"
    rf"{_AGE_AFTER}(?:(?:,\s+|,?\s+and\s+)(?:{NAME_TOKEN}\s+){{1,3}}{NAME_TOKEN}{_AGE_AFTER}){{0,6}}"
    # an appositive between commas (an address, "both from London"), but not a list of names ("X, Y and Z,")
    r"(?:,(?:(?!\s+and\s+[A-Z])[^.;:“”\"()]){0,100}?,|,\s+(?:who|whose)\b[^.;:“”\"()]{0,140}?,)?"
    r",?\s+(?:(?:has|have|had|was|were|is|are|will|must)\s+)?"
    r"(?:been\s+)?(?:(?:also|each|both|all|later|now|previously|already|since|today|yesterday)\s+)*"
    r"(?:jailed|sentenced|convicted|imprisoned|locked\s+up|pleaded\s+guilty|pled\s+guilty|admitted|denied|"
    r"acquitted|found\s+(?:not\s+)?guilty|remanded|serving|spend\s+[^.;]{0,30}?\b(?:in\s+(?:prison|jail|custody)|"
    r"behind\s+bars))\b")
# "into Norwich and Great Yarmouth have been jailed", "of Oak Row, Brenton, was found guilty": places
PLACE_BEFORE = re.compile(r"\b(?:of|in|into|at|from|near|on|to|across|around|between)\s+(?:(?:[A-Z][\w'’-]*,?\s+)+and\s+)?$")
PAREN_AGE = re.compile(r"\s*\((?:aged\s+)?\d{1,3}\)")


def _descriptor_and_surname(name: str, people: dict, text: str, pos: int) -> bool:
    """"Roofer Groves was jailed …" opening a sentence after "Tanner Groves": a word for what he is, and his
    surname; not a second person. (Without other evidence, a sibling "Gail Rowe was jailed" after "Peter Rowe"
    is left out too: a missing row, never a wrong one.)"""
    tokens = name.split()
    if len(tokens) != 2 or not re.search(r"(?:^|[.!?]\s+|\n)$", text[max(0, pos - 3):pos]):
        return False
    return any(p.surname == tokens[1] and p.name.split()[0] != tokens[0] for p in people.values())


def find_people(text: str) -> list[Person]:
    text = mask_abbreviations(text)
    people: dict[str, Person] = {}
    run_re = re.compile(rf"(?<![\w’'-])(?=[A-Z])((?:(?:[A-Z]\.|{NAME_TOKEN}) ){{0,4}}{NAME_TOKEN})(?![\w’'-])")
    for m in run_re.finditer(text):
        run = m.group(1)
        if is_org_name(run) and not _person_with_org_surname(run, text[max(0, m.start() - 40):m.start()]):
            continue
        # "Calder Community Council Owen Hart": an organisation's name, then the person's
        org_first = re.match(rf"(?:.*\s)?(?:{ORG_WORDS})\s+(?=(?:{NAME_TOKEN}\s+){{1,2}}{NAME_TOKEN}$)", run)
        if org_first:
            run = run[org_first.end():]
        # a title at the start of the run stays with the role
        role_in_run, name = split_role_name(run)
        first = name.split()[0] if name else ""
        if not name or len(name.split()) < 2 or (first in HONORIFICS and first not in STYLED) or first in NOT_NAMES \
                or name.split()[-1] in NOT_NAMES:
            continue
        found = list(re.finditer(r"\s+".join(map(re.escape, name.split())), run))
        if not found:
            continue
        name_start = m.start(1) + found[-1].start()
        name_end = m.start(1) + found[-1].end()
        before = text[max(0, m.start() - 120):m.start()]
        after = text[m.end():m.end() + 120]
        line_before = re.split(r"[\n.;:!?“”\"]", before)[-1]
        role = role_in_run
        prefix = line_before.split(",")[-1]
        if not role or role in COURTESY_TITLES:
            if prefix.strip() and ROLE_END.search(prefix.strip()):
                role = re.sub(r"^(?:(?:and|but|while|as|after|the|then|said|says|added|told|according\s+to)\s+)+",
                              "", prefix.strip(), flags=re.IGNORECASE)
        appositive = _appositive(after)
        # "Dunmere County Council’s chief executive, Dame Philippa Rowe, said": the role before, between commas
        lb = re.sub(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Coun|Councillor|Professor|Prof)\.?\s*$", "", line_before)
        if (not role or role in HONORIFICS) and re.match(r"\s*,", after) and lb.rstrip().endswith(","):
            parts = lb.rstrip().rstrip(",").split(",")
            if parts and ROLE_END.search(parts[-1].strip()):
                role = re.sub(r"^(?:(?:and|but|while|as|after|the|then|said|says)\s+)+", "", parts[-1].strip(),
                              flags=re.IGNORECASE)
        speech = re.match(r"(?:,\s+(?:who|whose|which)\b[^.;“”\"]{0,140}?,)?,?\s+(?:has\s+|had\s+)?(?:said|says|told|added|"
                          r"explained|warned|insisted|admitted|described|urged|launched|announced|argued|claimed|"
                          r"wrote|pledged|promised|stated|replied|vowed)\b", after)
        court = (COURT_AFTER.match(after) and not PLACE_BEFORE.search(before)
                 and not _descriptor_and_surname(name, people, text, m.start())) or PAREN_AGE.match(after)
        inverted = re.search(r"\b(?:said|says|added|according\s+to)\s+$", before)
        honor = re.search(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Professor|Prof|Cllr|Councillor|Judge|Justice)\.?\s+$", before)
        if not (role or appositive or speech or court or inverted or honor or role_in_run):
            continue
        if appositive and appositive.get("role") and (not role or role in COURTESY_TITLES):
            role = appositive["role"]
        if honor and honor.group(0).strip().rstrip(".") in ("Judge", "Justice", "Professor", "Prof", "Cllr", "Councillor", "Lord", "Lady", "Baroness"):
            role = role or honor.group(0).strip()
        p = people.get(name)
        if p is None:
            p = people[name] = Person(name, role)
        elif not p.role and role:
            p.role = role
        if appositive and appositive.get("org") and not p.organisation:
            p.organisation = appositive["org"]
        p.positions.append(name_start)
        p.spans.append((name_start, name_end))
    # High Court judges are named by their style alone: "Mr Justice Pennock"
    for m in JUDGE_STYLE.finditer(text):
        name = re.sub(r"\s+", " ", m.group(0))
        p = people.setdefault(name, Person(name, ""))
        p.positions.append(m.start())
        p.spans.append((m.start(), m.end()))
    for p in people.values():
        if p.role in HONORIFICS - STYLED - {"Dr", "Professor", "Prof", "Cllr", "Councillor", "Coun", "Rev", "Revd"}:
            p.role = ""  # "Ms" is how the article addresses her, not what she does
    # later mentions: the full name again, "Ms Simons", or the surname alone
    full_spans = sorted((a, b, id(o)) for o in people.values() for a, b in o.spans)
    full_starts = [a for a, _, _ in full_spans]

    def inside_other(pos: int, owner) -> bool:
        i = bisect.bisect_right(full_starts, pos) - 1
        while i >= 0 and full_spans[i][0] > pos - 200:
            a, b, oid = full_spans[i]
            if a <= pos < b and oid != id(owner):
                return True
            i -= 1
        return False

    by_surname: dict[str, list[Person]] = {}
    for p in people.values():
        by_surname.setdefault(p.surname, []).append(p)
    seen = {id(p): set(p.positions) for p in people.values()}
    if by_surname:
        # one pass over the text for all surnames (not one per person)
        alts = "|".join(re.escape(n) for n in sorted(by_surname, key=len, reverse=True))
        mention_re = re.compile(rf"(?<![\w’'-])(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Professor|Prof|Cllr|Judge)\.?\s+)?"
                                rf"(?P<s>{alts})(?![\w’'-])")
        for m in mention_re.finditer(text):
            pos = m.start("s")
            for p in by_surname[m.group("s")]:
                full_start = pos - len(p.name) + len(p.surname)
                if full_start in seen[id(p)] or pos in seen[id(p)]:
                    continue
                # the surname inside another person's full name is not a mention of this one
                if inside_other(pos, p):
                    continue
                p.positions.append(m.start())
                seen[id(p)].add(m.start())
    # "Sir Robert" after "Sir Robert Vane": the same knight, not another person
    for short in [p for p in people.values() if len(p.name.split()) == 2 and p.name.split()[0] in STYLED]:
        fuller = [p for p in people.values() if p.name.startswith(short.name + " ")]
        if len(fuller) == 1:
            fuller[0].positions.extend(short.positions)
            del people[short.name]
    for p in people.values():
        p.positions.sort()
        p.organisation = p.organisation or _organisation_of(p.role)
    return sorted(people.values(), key=lambda p: p.positions[0])


def _organisation_of(role: str) -> str:
    m = re.search(r"\b(?:for|of|at|with)\s+(?P<org>(?:the\s+[^,;]+|[A-Z][^,;]+))$", role)
    if m:
        return m.group("org").strip()
    m = re.search(rf"((?:{NAME_TOKEN}\s+)+(?:{ORG_WORDS}))", role)
    if m:
        return m.group(1)
    m = re.search(r"\b((?:county|city|district|borough|town|parish)\s+council|police|council)\b", role, re.IGNORECASE)
    return m.group(1) if m else ""


def resolve_name(name: str, people: list[Person], pos: int | None = None) -> str:
    """The full name of a person mentioned as 'Mr Smith', 'Smith' or 'Andrew Smith'; '' if unknown."""
    name = re.sub(r"\s+", " ", name.strip())
    bare = re.sub(r"^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Professor|Prof|Cllr|Judge)\.?\s+)+", "", name)
    for p in people:
        if p.name == bare or p.name == name:
            return p.name
    if bare and len(bare.split()) == 1:
        for p in people:
            if p.surname == bare:
                return p.name
    if re.fullmatch(rf"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Professor|Prof|Cllr|Judge)\.?\s+)?{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,3}}", name):
        return name if (len(bare.split()) >= 2 or bare != name) else ""
    return ""


# a capitalised common noun before an organisation's name, at a sentence's start: what it is, not its name
DESCRIPTOR_RE = re.compile(r"^(?:Developer|Developers|Regulator|Retailer|Charity|Watchdog|Operator|Housebuilder|Insurer|"
                           r"Airline|Supermarket|Firm|Broadcaster|Builder|Landlord|Lender|Carrier|Supplier|Provider|"
                           r"Contractor|Consultancy|Campaign\s+group|Pressure\s+group|Union|Council\s+contractor)\s+"
                           r"(?=[A-Z])")


def find_organisations(text: str) -> list[Organisation]:
    orgs: dict[str, Organisation] = {}

    def add(name: str, pos: int) -> None:
        o = orgs.setdefault(name, Organisation(name))
        if pos not in o.positions:
            o.positions.append(pos)

    conn = r"(?:\s+(?:of|and|for|the|on|&)){0,2}"
    org_re = re.compile(rf"(?<![\w’'-])((?:{NAME_TOKEN}|[A-Z]{{2,6}}){conn}(?:\s+(?:{NAME_TOKEN}|[A-Z]{{2,6}}){conn}){{0,5}}\s*)(?<=\s|\w)")
    for m in re.finditer(rf"(?<![\w’'-])(?=[A-Z])((?:(?:{NAME_TOKEN}|[A-Z]{{2,6}})(?:[ \t]+(?:of|for|on|&)[ \t]+|[ \t]+))*(?:{ORG_WORDS}))(?![\w-]|[’'](?!s\b))", text):
        name = m.group(1)
        name = re.sub(r"^(?:The|A|An|In|At|On|By|And|But|For|With|From|After)\s+", "", name)
        name = DESCRIPTOR_RE.sub("", name)  # "Developer Castlegate Homes": the developer is Castlegate Homes
        if len(name.split()) == 1 and name not in ("Government", "Parliament", "NHS", "NSPCC", "Treasury", "Cabinet"):
            continue
        add(name, m.start() + m.group(1).rfind(name))
    # "Association of Wraparound Providers", "Department for Education"
    for m in re.finditer(rf"\b(?:Association|Department|Ministry|Office|Institute|Society|Federation|Union|Board|Commission|"
                         rf"Bank|Church|University|College|Court|Council|House|League|Royal\s+College)\s+(?:of|for)\s+(?:the\s+)?"
                         rf"{NAME_TOKEN}(?:[ \t]+(?:and[ \t]+)?{NAME_TOKEN}){{0,4}}", text):
        add(m.group(0), m.start())
    for m in re.finditer(r"\bOperation\s+[A-Z][a-z]+\b", text):
        add(m.group(0), m.start())
    for m in re.finditer(rf"\b((?:{NAME_TOKEN}\s+){{0,3}}{NAME_TOKEN})\s+campaign\b", text):
        name = m.group(1)
        name = re.sub(r"^(?:The|A|Her|His|Their|Its)\s+", "", name)
        if name.split()[0] in ("The", "Her", "His"):
            continue
        add(name, m.start(1) + m.group(1).rfind(name))
    for known in KNOWN_ORGS:
        for m in re.finditer(rf"(?<![\w-]){re.escape(known)}(?![\w-])", text):
            if not any(known != o.name and known in o.name and any(p <= m.start() < p + len(o.name) for p in o.positions) for o in orgs.values()):
                add(known, m.start())
    # acronyms (CPS, NSPCC), not headline capitals ("A YEAR after")
    for m in re.finditer(r"(?<![\w’'-])[A-Z]{2,6}(?![\w’'-])", text):
        tok = m.group(0)
        if tok in HEADLINE_CAPS or tok in TITLE_WORDS or re.match(r"\s+[A-Z]{2,}\b", text[m.end():m.end() + 10]) \
                or re.search(r"\b[A-Z]{2,}\s+$", text[max(0, m.start() - 10):m.start()]):
            continue
        if tok in ("MP", "MEP", "MSP", "QC", "KC", "AM", "UK", "US", "USA", "EU", "OK", "TV", "PM", "GBP", "USD", "EUR"):
            continue
        add(tok, m.start())
    # drop an organisation that is only ever part of a longer one
    names = sorted(orgs, key=len, reverse=True)
    for n in names:
        o = orgs[n]
        longer = [orgs[x] for x in names if len(x) > len(n) and n in x]
        o.positions = [p for p in o.positions if not any(lp <= p < lp + len(lo.name) for lo in longer for lp in lo.positions)]
    out = [o for o in orgs.values() if o.positions]
    for o in out:
        o.positions.sort()
    return sorted(out, key=lambda o: o.positions[0])
