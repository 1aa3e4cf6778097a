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


def find_quote_spans(text: str, paragraphs: list[Paragraph]) -> list[Quote]:
    quotes: list[Quote] = []
    i_par = 0
    open_q: tuple[str, int] | None = None  # (mark, start of words)
    while i_par < len(paragraphs):
        p = paragraphs[i_par]
        pos = p.start
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
                m = re.compile(r"“|``|‘|«|„|\"").search(text, pos, p.end)
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
                    k = text.find(close, j, p.end)
                    if k < 0:
                        break
                    if close == "’" and k + 1 < len(text) and text[k + 1].isalpha():
                        j = k + 1  # an apostrophe inside the quote ("doesn’t")
                        continue
                    found = k
                    break
                if found < 0:
                    pos = p.end
                    break
                _add(quotes, text, open_q, found)
                open_q = None
                pos = found + len(close)
        i_par += 1
    if open_q:
        _add(quotes, text, open_q, paragraphs[-1].end)
    return quotes


def _cont_mark(mark: str) -> str:
    return "“" if mark == "„" else mark


def _single_opens(text: str, i: int) -> bool:
    """A ‘ opens a quote when it follows a space, a paragraph start or an opening bracket."""
    return i == 0 or text[i - 1] in " \n(—–-“"


def _add(quotes: list[Quote], text: str, open_q: tuple[str, int], end: int) -> None:
    mark, s = open_q
    e = end
    while e > s and text[e - 1].isspace():
        e -= 1
    while s < e and text[s].isspace():
        s += 1
    if e > s:
        quotes.append(Quote(s, e, mark))


NAME_TOKEN = r"(?:[A-Z][a-z]*['’][A-Z][a-z]+|(?:Mc|Mac)[A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"


def attribute(text: str, paragraphs: list[Paragraph], quotes: list[Quote], people) -> None:
    """Fill speaker, role, kind and attribution for each quote, in place.

    ``people`` is the list of :class:`~briefing.extract.people.Person` found in the text; it is
    used to resolve pronouns ("He said") and short forms ("said Mr Smith").
    """
    from .entities import resolve_name, split_role_name

    para_of = _para_index(paragraphs)
    prev: Quote | None = None
    for q in quotes:
        pi = para_of(q.start)
        p = paragraphs[pi]
        mark_len = len(q.open_mark)
        # the words around the quote, in its paragraph but no further than WINDOW characters: each search below
        # then costs the same however long the paragraph (copy pasted from a web page may have no breaks at all)
        before = text[max(p.start, q.start - mark_len - WINDOW):q.start - mark_len]
        close_len = len(PAIRS.get(q.open_mark, q.open_mark))
        after_start = min(q.end + close_len, len(text))
        pe = paragraphs[para_of(max(q.end - 1, q.start))].end
        after = text[after_start:min(pe, after_start + WINDOW)]
        speaker = role = how = ""
        # before: "Oxford East MP Andrew Smith said: " / "He said: " / "X told the court: "
        mb = re.search(rf"(?P<who>[^.!?:;“”\"]{{0,160}}?)\s+(?:{SPEECH_VERBS})(?:\s+(?:the|a|an|reporters|journalists|"
                       rf"[A-Z]\w+|him|her|them|us|me)(?:\s+[a-z]+)?)?\s*[:,]?\s*$", before)
        # after: "”, judge Jonathan Seely said." / "”, said Mr Smith." / "” he added."
        ma = re.match(rf"\s*[,.!?]?\s*(?:(?P<verb1>{SPEECH_VERBS})\s+(?P<who1>[^.!?;“\"]{{1,120}}?)|(?P<who2>[^.!?;“\"]{{1,120}}?)\s+(?:{SPEECH_VERBS}))"
                      r"\s*(?:[.,;:!?]|$)", after)
        if ma:
            who = ma.group("who1") or ma.group("who2")
            speaker, role, how = _speaker_from(who, people, q, text)
            how = how or "after"
        if not speaker and mb and before.rstrip().endswith((":", ",")) or (not speaker and mb and not before.strip(" ").endswith(tuple("abcdefghijklmnopqrstuvwxyz"))):
            if mb:
                speaker, role, how = _speaker_from(mb.group("who"), people, q, text)
                how = how or "before"
        if not speaker and prev is not None and prev.speaker and _continues(text, prev, q, para_of, pi, before):
            speaker, role, how = prev.speaker, prev.role, "continuation"
        # a quote inside a sentence, with words before it that do not introduce speech, is a partial quote
        stripped = before.rstrip()
        words_before = stripped.split("\n")[-1]
        is_partial = (bool(words_before) and how != "continuation"
                      and not re.search(rf"(?:{SPEECH_VERBS})(?:\s+\w+)?\s*[:,]?$", words_before)
                      and not words_before.endswith((":", ".", "!", "?", "—", "–")))
        if is_partial:
            q.kind = "partial"
            if not speaker:
                # the sentence's subject: the first person named in the sentence, or a pronoun
                sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“‘\"])", words_before)[-1]
                speaker, role, how = _subject_of(sentence, people, q, text)
        else:
            q.kind = "direct"
        q.speaker, q.role, q.attribution = speaker, role, how
        if q.kind == "partial" and not speaker and len(text[q.start:q.end].split()) <= 3:
            q.kind = "scare"  # a word or two in quotation marks, no speaker: dropped below
        if q.speaker:
            prev = q
        elif q.kind == "direct":
            prev = None
    quotes[:] = [q for q in quotes if q.kind != "scare"]


def _speaker_from(who: str, people, q: Quote, text: str) -> tuple[str, str, str]:
    from .entities import _appositive, resolve_name, split_role_name

    parts = [w.strip() for w in who.strip().strip(",").split(",") if w.strip()]
    for i in range(len(parts) - 1, -1, -1):
        part = parts[i]
        if part.lower() in PRONOUNS:
            person = _last_person_before(people, q.start)
            return (person.name, person.role, "pronoun") if person else ("", "", "")
        if re.match(r"(?:from|of|at|in|on|for|with|who|whose|which|aged)\b", part):
            continue  # "from Wellby", "who chairs ...": a detail about the speaker, not the speaker
        role, name = split_role_name(part)
        if not name:
            continue
        full = resolve_name(name, people, q.start)
        if not full:
            if len(name.split()) < 2:
                continue
            full = name
        person = next((p for p in people if p.name == full), None)
        if i + 1 < len(parts):
            app = _appositive(", " + ", ".join(parts[i + 1:]) + ",")
            if app and app.get("role") and (not role or role in ("Cllr", "Councillor", "Dr", "Professor")):
                role = app["role"]
        return full, role or (person.role if person else ""), ""
    last = parts[-1] if parts else ""
    # "a spokesman for the council said" / "the judge said": a role, no name
    if re.match(r"^(?:a|an|the)\s+\w+", last, re.IGNORECASE) and len(last) < 80:
        person = _person_by_role(people, last)
        if person:
            return person.name, person.role, "role"
        return "", re.sub(r"^(?:a|an|the)\s+", "", last), "role only"
    return "", "", ""


def _continues(text: str, prev: Quote, q: Quote, para_of, pi: int, before: str) -> bool:
    """A quote straight after one with a speaker: next paragraph, or after the attribution in the same one."""
    if para_of(prev.end) == pi - 1 and not before.strip():
        return True
    if para_of(prev.end) == pi:
        between = text[prev.end + len(PAIRS.get(prev.open_mark, prev.open_mark)):q.start - len(q.open_mark)]
        return len(between) < 200 and bool(re.fullmatch(
            rf"[\s,.;:!?—–-]*(?:[^“”\"]{{0,70}}\b(?:{SPEECH_VERBS})\b[^“”\"]{{0,120}})?[\s.,;:!?—–-]*", between))
    return False


def _subject_of(words_before: str, people, q: Quote, text: str) -> tuple[str, str, str]:
    from .entities import resolve_name

    first = re.match(r"\s*(?:The\s+)?(?P<w>[A-Z]?[\w’'.-]+(?:\s+[A-Z][\w’'-]+){0,3})", words_before)
    if first:
        w = first.group("w").strip()
        if w.lower() in PRONOUNS:
            person = _last_person_before(people, q.start)
            if person:
                return person.name, person.role, "pronoun"
        name = resolve_name(w, people, q.start)
        if name:
            person = next((p for p in people if p.name == name), None)
            return name, person.role if person else "", "subject"
        if w.lower().split()[0] in ("minister", "judge", "mayor", "leader", "chairman", "spokesman", "spokeswoman"):
            person = _person_by_role(people, w)
            if person:
                return person.name, person.role, "subject"
    return "", "", ""


_MENTIONS: dict[int, tuple[list, list[int], list]] = {}


def _last_person_before(people, pos: int):
    """The person mentioned last before ``pos`` (sorted mention index, built once per people list)."""
    key = id(people)
    cached = _MENTIONS.get(key)
    if cached is None or cached[0] is not people:
        pairs = sorted((s, i) for i, p in enumerate(people) for s in p.positions)
        cached = (people, [s for s, _ in pairs], [people[i] for _, i in pairs])
        _MENTIONS.clear()
        _MENTIONS[key] = cached
    _, starts, owners = cached
    i = bisect.bisect_left(starts, pos) - 1
    return owners[i] if i >= 0 else None


def _person_by_role(people, phrase: str):
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", phrase)} - {"a", "an", "the", "for", "of"}
    for p in people:
        if words and words <= {w.lower() for w in re.findall(r"[A-Za-z]+", p.role)}:
            return p
    return None


def _para_index(paragraphs: list[Paragraph]):
    starts = [p.start for p in paragraphs]

    def f(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    return f
