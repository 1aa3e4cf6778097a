"""Direct and partial quotations, with their speakers.

Quote spans are found by a small state machine over the paragraphs, so that a British-style
quotation running over several paragraphs (an opening mark at the start of each, a closing mark
only at the end of the last) is one row. Speakers are found before the quote ("X said: “…”"),
after it ("“…,” X said" / "“…,” said X"), by pronoun ("He said: “…”" → the last person named
before the quote) and by continuation (an unattributed quote straight after one of the same speaker).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..text import Paragraph
from .entities import TITLE_ABBREVIATIONS, Person, mask_abbreviations
from .spans import SortedList

# opening mark -> closing mark
PAIRS = {"“": "”", "``": "''", "‘": "’", "«": "»", "„": "“"}
SPEECH_VERBS = (r"said|says|say|added|adds|told|tells|explained|explains|warned|warns|claimed|claims|insisted|"
                r"insists|stated|states|asked|asks|urged|urges|commented|remarked|continued|continues|argued|"
                r"argues|admitted|admits|noted|notes|wrote|writes|declared|declares|announced|announces|replied|"
                r"replies|recalled|recalls|described|describes|called|calls|acknowledged|conceded|confirmed|"
                r"pointed out|went on")
PRONOUNS = {"he", "she", "they", "we", "i"}
# how far before and after a quote its speaker is looked for: longer than any attribution these patterns match
# (160 characters of name and role, a verb, an object) and than all but the longest sentences
WINDOW = 1000


@dataclass
class Quote:
    start: int   # offsets of the quoted words, without the marks
    end: int
    open_mark: str
    speaker: str = ""
    role: str = ""
    kind: str = "direct"
    attribution: str = ""
    speaker_type: str = ""   # person, organisation
    close_len: int = 0       # length of the closing mark after ``end`` (0: closed by a paragraph or a new quote)


class _Next:
    """Where ``needle`` next occurs in ``text[.., end)``, for searches from positions that only grow: a search
    from inside the stretch the last one looked through answers from memory, so the searches of a paragraph cost
    one pass over it together. (A paragraph of 200,000 opening marks that are never closed once searched to its
    end for each of them: quadratic.)"""

    __slots__ = ("text", "needle", "end", "at", "hit")

    def __init__(self, text: str, needle: str, end: int) -> None:
        self.text, self.needle, self.end = text, needle, end
        self.at, self.hit = -1, -1

    def __call__(self, start: int, bound: int | None = None) -> int:
        """``text.find(needle, start, bound or end)``."""
        if start < self.at or self.at < 0 or (self.hit >= 0 and start > self.hit):
            self.at, self.hit = start, self.text.find(self.needle, start, self.end)
        k = self.hit
        return -1 if k < 0 or (bound is not None and k + len(self.needle) > bound) else k


def find_quote_spans(text: str, paragraphs: list[Paragraph]) -> list[Quote]:
    quotes: list[Quote] = []
    i_par = 0
    open_q: tuple[str, int] | None = None  # (mark, start of words)
    while i_par < len(paragraphs):
        p = paragraphs[i_par]
        pos = p.start
        finders: dict[str, _Next] = {}

        def find(needle: str, start: int, bound: int | None = None) -> int:
            f = finders.get(needle)
            if f is None:
                f = finders[needle] = _Next(text, needle, p.end)
            return f(start, bound)

        if open_q:
            mark = open_q[0]
            cont = text.startswith(_cont_mark(mark), p.start)
            if not cont:
                # unterminated at the previous paragraph's end: close it there
                prev = paragraphs[i_par - 1]
                _add(quotes, text, open_q, prev.end)
                open_q = None
            else:
                pos = p.start + len(_cont_mark(mark))
        while pos < p.end:
            if open_q is None:
                m = _OPENING.search(text, pos, p.end)
                if not m:
                    break
                mark = m.group(0)
                if mark == "‘" and not _single_opens(text, m.start()):
                    pos = m.end()
                    continue
                open_q = (mark, m.end())
                pos = m.end()
            else:
                mark, qs = open_q
                close = PAIRS.get(mark, mark)
                j = pos
                found = -1
                while True:
                    k = find(close, j)
                    if mark == "“":  # a closing pair of apostrophes, as typed: “…''
                        k2 = find("''", j, k if k >= 0 else None)
                        if k2 >= 0:
                            k, close = k2, "''"
                    if k < 0:
                        break
                    if close == "’" and k + 1 < len(text) and text[k + 1].isalpha():
                        j = k + 1  # an apostrophe inside the quote ("doesn’t")
                        continue
                    found = k
                    break
                # a curly opening mark before the close: the first quote was never closed, and ends where the
                # next one opens (an opening mark cannot stand inside a quote; nested ones are ‘single’)
                reopen = find(mark, pos, found if found >= 0 else None) if mark in ("“", "``") else -1
                if reopen >= 0:
                    _add(quotes, text, open_q, reopen, 0)
                    open_q = None
                    pos = reopen
                    continue
                if found < 0:
                    pos = p.end
                    break
                _add(quotes, text, open_q, found, len(close))
                open_q = None
                pos = found + len(close)
        i_par += 1
    if open_q:
        _add(quotes, text, open_q, paragraphs[-1].end)
    return quotes


_OPENING = re.compile(r"“|``|‘|«|„|\"")


def _cont_mark(mark: str) -> str:
    return "“" if mark == "„" else mark


def _single_opens(text: str, i: int) -> bool:
    """A ‘ opens a quote when it follows a space, a paragraph start or an opening bracket."""
    return i == 0 or text[i - 1] in " \n(—–-“"


def _add(quotes: list[Quote], text: str, open_q: tuple[str, int], end: int, close_len: int = 0) -> None:
    mark, s = open_q
    e = end
    while e > s and text[e - 1].isspace():
        e -= 1
        close_len = 0
    while s < e and text[s].isspace():
        s += 1
    if e > s and _WORD.search(text, s, e):  # marks and punctuation alone quote nobody ("‘‘‘‘", "“ ... ”")
        quotes.append(Quote(s, e, mark, close_len=close_len))


_WORD = re.compile(r"\w")


def attribute(text: str, paragraphs: list[Paragraph], quotes: list[Quote], people, orgs=()) -> list:
    """Fill speaker, speaker_type, role, kind and attribution for each quote, in place. Speakers named only in a
    reporting clause are added to ``people`` and ``orgs`` as they are met; returns every speaker found at a
    place in the text (Speaker objects), for ``extract.add_speakers``.

    The order of the tests follows how UK copy attributes: a clause right after the quote ("…,” he said" /
    "…,” said Mr Smith"), one ending just before it ("Mr Smith said: “…"), the reporting clause of a partial
    quote ("judge Marsh said the victims “had been failed …”"), then a quote straight after another by the same
    speaker. A clause that is found decides, even when it names nobody ("…,” one of them said"): the quote is
    then left unattributed rather than given to a neighbour.
    """
    from .speakers import PERSON, Resolver, Speaker, is_pronoun

    text = mask_abbreviations(text)
    resolver = Resolver(text, people, orgs)
    mentions = _Mentions(people)
    para_of = _para_index(paragraphs)
    prev: Quote | None = None
    extra = []
    for q in quotes:
        pi = para_of(q.start)
        p = paragraphs[pi]
        open_at = q.start - len(q.open_mark)
        # the words around the quote, in its paragraph but no further than WINDOW characters: each search below
        # then costs the same however long the paragraph (copy pasted from a web page may have no breaks at all)
        before_at = max(p.start, open_at - WINDOW)
        before = text[before_at:open_at]
        after_start = min(q.end + q.close_len, len(text))
        pe = paragraphs[para_of(max(q.end - 1, q.start))].end
        after = text[after_start:min(pe, after_start + WINDOW)]
        clause, clause_at = _clause_before(before, before_at)
        q.kind = "partial" if _is_partial(before, text[q.start:q.start + 2]) else "direct"
        found, how, sp = False, "", None

        m = None
        if not _ends_sentence(text, q, after):  # "… the making”. He added: “…" belongs to the next quote
            m = AFTER_INVERTED_RE.match(after) or AFTER_RE.match(after) or ACCORDING_AFTER_RE.match(after)
        if m and _plausible_who(m.group("who")):
            found, how = True, "inverted" if m.re is AFTER_INVERTED_RE else "after"
            who_at = after_start + m.start("who")
        else:
            m = ACCORDING_RE.fullmatch(clause) or (BEFORE_RE.fullmatch(clause) if q.kind == "direct" else None) \
                or (COLON_RE.fullmatch(clause) if q.kind == "direct" else None)
            if m is None:
                m = SUBJECT_RE.match(clause)
                how = "subject"
            else:
                how = "before"
            if m and _plausible_who(_subject(m.group("who"))[0]) and not _passive(clause, m.start("verb")) \
                    and not (how == "subject" and OTHER_VOICE.search(clause, m.end("verb"))):
                found, who_at = True, clause_at + m.start("who")
            else:
                m = None
        if found:
            who = m.group("who")
            if how != "inverted":
                who, k = _subject(who)
                who_at += k
            if is_pronoun(who):
                sp = _pronoun(text, paragraphs, para_of, mentions, q, prev)
                how = "pronoun"
            elif re.fullmatch(r"\s*the\s+spokes(?:man|woman|person)\s*", who, re.IGNORECASE):
                # "the spokesman added": the organisation whose spokesperson spoke just before
                if prev is not None and prev.role.startswith("spokes") and para_of(prev.end) >= pi - 3:
                    sp = Speaker(prev.speaker, prev.speaker_type, prev.role)
                how = "role"
            else:
                sp = resolver.resolve(who, who_at, q.start)
                if sp is not None and sp.how:
                    how = sp.how
        elif prev is not None and prev.speaker and _continues(text, prev, q, para_of, pi, before) \
                and not OTHER_VOICE.search(text, prev.end, open_at):
            q.speaker, q.speaker_type, q.role, q.attribution = prev.speaker, prev.speaker_type, prev.role, "continuation"
        if sp is not None and sp.type == PERSON:
            full = _full_name(text, sp.name, q.start)
            if full:  # "Mr Hale said" after "the Solicitor General, Martin Hale QC,": the name as first given
                sp = Speaker(full[0], sp.type, sp.role, sp.how, full[1], full[2])
                if not resolver.known.named(full[0]):  # the people table lists every speaker, where first named
                    people.append(Person(full[0], sp.role, "", [full[1]], [(full[1], full[2])]))
        if sp is not None:
            q.speaker, q.speaker_type, q.role, q.attribution = sp.name, sp.type, sp.role, how
            if sp.start >= 0:
                extra.append(sp)
        if q.kind == "partial" and not q.speaker and len(text[q.start:q.end].split()) <= 3:
            q.kind = "scare"  # a word or two in quotation marks, no speaker: dropped below
        if q.speaker:
            prev = q if q.speaker_type == PERSON or q.attribution != "continuation" else prev
        elif q.kind == "direct":
            prev = None
    quotes[:] = [q for q in quotes if q.kind != "scare"]
    return extra


SPEECH = SPEECH_VERBS + r"|pledged|pledges|promised|promises|vowed|vows|wrote|writes|told|tells|concluded|ruled"
AUX = r"(?:(?:has|have|had|also|later|then|previously|once|today|yesterday)\s+)*"
WHO = r"[^.!?;:“”\"‘«»`\n]"  # ’ stays: "Jade’s mother, Lisa Morris, told the BBC:"
# "…,” said campaigner Sue Bright, whose son …" / "…,” said the judge."
AFTER_INVERTED_RE = re.compile(rf"\s*,?\s*(?:[—–-]\s*)?(?:{SPEECH})\s+(?P<who>{WHO}{{1,120}}?)\s*(?=[.;!?]|,\s|$)")
# "…,” he said." / "…,” the judge told them." / "…”, a trust has promised."
AFTER_RE = re.compile(rf"\s*,?\s*(?:[—–-]\s*)?(?P<who>{WHO}{{1,100}}?)\s+{AUX}(?P<verb>{SPEECH})\b(?!{WHO}{{0,60}}:)")
# "Mr Smith said: “…" / "Jade’s mother, Lisa Morris, told the BBC: “…" / "In a statement, the company said: “…"
BEFORE_RE = re.compile(rf"(?P<who>{WHO}{{1,200}}?)\s+{AUX}(?P<verb>{SPEECH})\b{WHO}{{0,80}}?\s*[:,]?\s*")
# "According to the council, “…" / "“…”, according to Ms Morris."
ACCORDING_RE = re.compile(rf"[Aa]ccording\s+to\s+(?P<who>{WHO}{{1,120}}?)\s*,?\s*(?P<verb>)")
ACCORDING_AFTER_RE = re.compile(rf"\s*,?\s*according\s+to\s+(?P<who>{WHO}{{1,120}}?)\s*(?=[.;:!?]|,\s|$)")
# "judge Helen Marsh said the three victims “…" / "The regulator, Ofwat, said in a statement that it welcomed “…"
SUBJECT_RE = re.compile(rf"(?P<who>{WHO}{{1,200}}?)\s+{AUX}(?P<verb>{SPEECH}|saying)\b")
# "Union spokesman PC Gavin Cole: “…": a name, and a colon where the verb was dropped
COLON_RE = re.compile(r"(?P<who>(?:[A-Za-z][\w’'-]*\s+){0,4}[A-Z][\w’'-]+\s+[A-Z][\w’'-]+)\s*:\s*(?P<verb>)")
# what stands before the subject in a reporting clause: a scene ("At a press conference at County Hall,"), a clause
# it follows ("The appeal has raised £84,210 and"), "with" ("…, with convener Lena Ford saying")
_SCENE_PART = re.compile(r"^(?:In|On|At|After|Before|Outside|Inside|During|Following|Speaking|Later|Earlier|Today|"
                         r"Yesterday|This|Last)\b[^,]{0,80},\s+(?=[A-Z])")
_JOINED = re.compile(r"^(?:(?:[^,]|,(?=\d))*?\s){4,}?(?:and|but|with)\s+(?=(?:[a-z]+\s+){0,3}[A-Z])|^.*?,\s+with\s+")


def _subject(who: str) -> tuple[str, int]:
    """The speaker's words in a reporting clause, and where they start in it: without a scene set before them, a
    clause they are joined to, or what the subject did before it spoke ("Gorst even boasted to his neighbour and
    said": "Gorst")."""
    m = _SCENE_PART.match(who) or _JOINED.match(who)
    k = m.end() if m else 0
    rest = who[k:]
    # "NAME <did something> and said": the name the clause opens with
    did = re.match(r"((?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w’'-]+)\s+(?:even\s+|also\s+|then\s+|later\s+)?"
                   r"(?:[a-z]+ed|was|were|is|had|has)\b.*\band$",
                   rest.strip())
    if did:
        return did.group(1), k + (len(rest) - len(rest.lstrip()))
    return rest, k
_ABBREVIATIONS = set(TITLE_ABBREVIATIONS) | {"No", "Co", "Ltd", "Jr", "Sr", "Mt"}
_SENTENCE_END = re.compile(r"[.!?][”’\"'»]?\s+(?=[A-Z“‘\"0-9£$€])")
_LAST_WORD = re.compile(r"(\w+)$")


# "X says it “welcomes” the conclusions of a review that describes the service as “failing”": between
# the reporting verb and a partial quote, a clause with a voice of its own; the word is not X's
OTHER_VOICE = re.compile(r"\b(?:that|which|who)\s+(?:describe[sd]?|call(?:s|ed)?|found|finds|label(?:l?ed|s)?|"
                         r"brand(?:s|ed)?|rate[sd]?|judge[sd]?|deem(?:s|ed)?)\b")
_ADDRESSED = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cr|Cllr|Coun|Councillor|Prof|Professor)\.?\s+(?P<surname>[A-Z][\w’'-]+)")
_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Cr", "Cllr", "Coun", "Councillor", "Prof", "Professor", "Sir",
           "Dame", "Lord", "Lady", "Judge", "Justice", "The", "A", "An", "General", "Secretary", "Minister"}


def _full_name(text: str, name: str, pos: int) -> tuple[str, int, int] | None:
    """The full name a person addressed by title and surname ("Mr Hale", "Cr Fenn") was first given under,
    earlier in the text ("Martin Hale", "Councillor Alan Fenn"), with where it is written; None unless
    exactly one name fits. A first name shared in a pair ("Peter and Gail Rowe") is not read as the person's own."""
    m = _ADDRESSED.fullmatch(name)
    if not m:
        return None
    surname = m["surname"]
    found: dict[str, tuple[str, int, int] | None] = {}
    # looked for in the 20,000 characters before the quote (a whole news story; a bounded cost per quote)
    full_re = re.compile(rf"\b(?P<first>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)?)\s+{re.escape(surname)}\b")
    for c in full_re.finditer(text, max(0, pos - 20_000), pos):
        first = [t for t in c["first"].split() if t not in _TITLES]
        if not first or re.search(r"\band\s+$", text[max(0, c.start() - 5):c.start()]):
            continue
        full = f"{first[-1]} {surname}"
        at = c.start("first") + c["first"].rfind(first[-1])
        found.setdefault(full, (full, at, c.end()) if text[at:c.end()] == full else None)
    return next(iter(found.values())) if len(found) == 1 else None


def _last_sentence_start(s: str) -> int:
    """Where the last sentence of ``s`` starts: after the last full stop, question or exclamation mark that is
    followed by a capital, a quotation mark or a figure, and is not a title's ("Dr. Okafor")."""
    start = 0
    for m in _SENTENCE_END.finditer(s):
        # the word before the stop, looked for in the 40 characters before it only (searching the whole of ``s``
        # before each stop made a window of many short sentences cost its length squared): a word cut there is
        # longer than any title's abbreviation
        word = _LAST_WORD.search(s, max(0, m.start() - 40), m.start())
        if m.group(0)[0] == "." and word and word.group(1) in _ABBREVIATIONS:
            continue
        start = m.end()
    return start


def _clause_before(before: str, at: int) -> tuple[str, int]:
    """The words of the quote's own sentence before its opening mark (and where they start)."""
    start = _last_sentence_start(before + "“")  # the quote's own opening mark follows: it may begin a sentence
    clause = before[start:]
    return clause.strip(), at + start + (len(clause) - len(clause.lstrip()))


_INTRO = re.compile(rf"(?:{SPEECH})(?:\s+[\w’']+){{0,4}}?\s*[:,]$")
_INTRO_BARE = re.compile(rf"(?:{SPEECH})$")


def _is_partial(before: str, words: str) -> bool:
    """A quote inside a sentence, with words before it that do not introduce speech, is a partial quote. Speech
    is introduced by "said:", "told the BBC:", "said," or a bare "said" before a capital ("He said “We …"); not
    by "said that “…" or "warned the “…" (the quote is part of the sentence), nor by a passive ("will be told")."""
    words_before = before.rstrip().split("\n")[-1]
    # each search only where it can match: the first needs a colon or comma at the end, the second a speech verb
    # (a few letters) there; searching every quote's window from its start was most of attribution's time
    intro = (words_before.endswith((":", ",")) and _INTRO.search(words_before)) or (
        words[:1].isupper() and _INTRO_BARE.search(words_before, max(0, len(words_before) - 40)))
    if intro and _passive(words_before, intro.start()):
        intro = None
    return (bool(words_before) and not intro
            and not words_before.endswith((":", ".", "!", "?", "—", "–")))


def _ends_sentence(text: str, q: Quote, after: str) -> bool:
    """The quote closes its sentence: a full stop after the closing mark, or one inside it with a capital after
    ("…in the making.” He added"). "…,” he said" and "…?” she asked" do not."""
    if re.match(r"\s*\.", after):
        return True
    inside = text[max(q.start, q.end - 1):q.end]
    return inside == "." and bool(re.match(r"\s+[A-Z]", after))


def _plausible_who(who: str) -> bool:
    """A subject, not any words before a verb: a name, a pronoun, or a noun phrase of a few words."""
    who = who.strip().strip(",").strip()
    core = re.sub(r",\s+(?:who|whose|which)\b[^,]*(?:,|$)", ",", who)  # "X, who has opposed the road since 2024,"
    if not who or len(core.split()) > 14:
        return False
    first = re.sub(r"^(?:and|but|while|as|then|so|later|meanwhile)\s+", "", who, flags=re.IGNORECASE).split()[0]
    return first[:1].isupper() or first.lower() in (
        "he", "she", "they", "it", "we", "the", "a", "an", "its", "their", "his", "her", "one") or bool(
        re.match(r"[a-z]+(?:\s+[a-z]+)?\s+[A-Z]", who))  # "judge Marsh", "council leader Tom Reeve"


def _passive(clause: str, verb_at: int) -> bool:
    """"will be told", "was told": the subject is spoken to, not speaking."""
    return bool(re.search(r"\b(?:be|been|being|was|were|is|are|get|got)\s+$", clause[:verb_at]))


class _Mentions:
    """People's mentions in reading order, looked up by bisection: a pronoun quote costs what it finds, not the
    whole article's list (which made attribution quadratic in a long text). The people list only grows while
    quotes are attributed (the resolver appends speakers named in a reporting clause): those appended are added
    to the index when it is next asked, not by sorting every mention again (which, with a new speaker at every
    quote, was quadratic too). Mentions at one place keep the order of the people list."""

    def __init__(self, people):
        self.people = people
        self.indexed = 0
        self.items = SortedList()  # (position, order added, person)
        self.added = 0

    def _sync(self) -> None:
        for person in self.people[self.indexed:]:
            for pos in person.positions:
                self.items.add((pos, self.added, person))
                self.added += 1
        self.indexed = len(self.people)

    def between(self, lo: int, hi: int):
        """(position, person) of the mentions in [lo, hi), in reading order."""
        self._sync()
        for pos, _, person in self.items.from_((lo, -1)):
            if pos >= hi:
                return
            yield pos, person


def _pronoun(text, paragraphs, para_of, index: _Mentions, q: Quote, prev: Quote | None):
    """"he said" / "she added": the speaker of the quote just before (up to three paragraphs back), when nobody
    else was named in between; else the person the sentence before opens with (its subject); else nobody."""
    from .speakers import PERSON, Speaker

    if prev is not None and prev.speaker_type == PERSON and para_of(prev.end) >= para_of(q.start) - 3:
        # nobody else named in between (the first other name ends the search)
        if not any(person.name != prev.speaker for _, person in index.between(prev.end, q.start)):
            return Speaker(prev.speaker, PERSON, prev.role)
    sentence, at = _sentence_before(text, paragraphs, para_of, q.start - len(q.open_mark))
    if not sentence:
        return None
    first = next(iter(index.between(at, at + len(sentence))), None)
    if first is None or first[0] - at > 70:
        return None
    lead = text[at:first[0]].rsplit(",", 1)[-1]  # after a scene-setting phrase: "Speaking after the defeat, Garside"
    if re.search(r"\b[a-z]+ed\b|\b(?:and|with|to|by|after|before|for|against|from|thank|meet|met|saw)\b", lead):
        return None  # "Police thanked Jane Roe" / "After meeting Jane Roe": not the sentence's subject
    person = first[1]
    return Speaker(person.name, PERSON, person.role)


def _sentence_before(text, paragraphs, para_of, open_at: int) -> tuple[str, int]:
    """The last complete sentence before ``open_at``, in its paragraph or, at a paragraph's start, the one
    before; ("", -1) when there is none."""
    pi = para_of(open_at)
    p = paragraphs[pi]
    clause, clause_at = _clause_before(text[max(p.start, open_at - WINDOW):open_at], max(p.start, open_at - WINDOW))
    end = clause_at if clause else open_at
    while end > p.start and text[end - 1].isspace():
        end -= 1
    if end <= p.start:
        if pi == 0:
            return "", -1
        p = paragraphs[pi - 1]
        end = p.end
    lo = max(p.start, end - WINDOW)
    body = text[lo:end]
    start = _last_sentence_start(body[:-1])  # not the full stop that ends ``body`` itself
    return body[start:], lo + start


def _continues(text: str, prev: Quote, q: Quote, para_of, pi: int, before: str) -> bool:
    """A quote straight after one with a speaker: next paragraph, or after the attribution in the same one."""
    if para_of(prev.end) == pi - 1 and not before.strip():
        return True
    if para_of(prev.end) == pi:
        lo, hi = prev.end + len(PAIRS.get(prev.open_mark, prev.open_mark)), q.start - len(q.open_mark)
        if hi - lo >= 200:
            return False  # decided before the words are copied: a quote far into a long paragraph costs nothing
        between = text[lo:hi]
        return len(between) < 200 and bool(re.fullmatch(
            rf"[\s,.;:!?—–-]*(?:[^“”\"]{{0,70}}\b(?:{SPEECH_VERBS})\b[^“”\"]{{0,120}})?[\s.,;:!?—–-]*", between))
    return False


def _para_index(paragraphs: list[Paragraph]):
    starts = [p.start for p in paragraphs]

    def f(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    return f
