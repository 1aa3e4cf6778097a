"""Figures in an article: money, counts, durations, periods and percentages, each with its offsets.

The extractor is a set of anchored regular expressions tried in priority order; a later pattern
never takes characters an earlier one claimed. Every pattern is linear (no nested unbounded
repetition), so extraction time grows linearly with the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .spans import Spans
from .numbers import DIGITS, NUMBER, NUMBER_WORDS, clean_value, parse_number

QUAL = (
    r"(?P<q>(?:just\s+|well\s+)?(?:about|around|approximately|roughly|nearly|almost|more\s+than|over|at\s+least|"
    r"up\s+to|less\s+than|fewer\s+than|under|in\s+excess\s+of|as\s+many\s+as|as\s+much\s+as|"
    r"an\s+estimated|upwards\s+of|close\s+to|some))\s+"
)
# Qualifiers are looked for just before a figure, not tried at every position of the text (much faster).
QUAL_BEFORE = re.compile(rf"(?<![\w-]){QUAL}$", re.IGNORECASE)
_B = r"(?<![\w£$€¥.,/:-])"  # a number must not continue a word, an amount or a code ("A34", "2.5.1")
CUR_SYM = r"(?P<cur>US\$|£|\$|€|¥|GBP\s?|USD\s?|EUR\s?)"
MULT = r"(?P<mult>bn|billion|mn|m|million|k|thousand|tn|trillion)"
MULT_VALUES = {"bn": 1e9, "billion": 1e9, "m": 1e6, "mn": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3,
               "tn": 1e12, "trillion": 1e12}
CURRENCIES = {"£": "GBP", "gbp": "GBP", "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR",
              "¥": "JPY", "pound": "GBP", "pounds": "GBP", "pence": "GBP", "p": "GBP", "dollar": "USD",
              "dollars": "USD", "euro": "EUR", "euros": "EUR"}
TIME_UNITS = {"day": ("days", 1), "week": ("weeks", 1), "fortnight": ("weeks", 2), "month": ("months", 1),
              "year": ("years", 1), "decade": ("years", 10), "century": ("years", 100), "centurie": ("years", 100),
              "hour": ("hours", 1)}
TIME_UNIT_RE = r"(?P<u>days?|weeks?|fortnights?|months?|years?|decades?|century|centuries|hours?)"
VAGUE_RE = (
    r"\b(?P<mag>(?:tens\s+of\s+|hundreds\s+of\s+)?(?:millions|billions|thousands|hundreds|dozens|scores|tens))"
    r"\s+of\s+(?P<noun>pounds|dollars|euros|[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*)?)"
)

STOP_WORDS = set("""
of in on at for to from with by and or as who whom which that than were was are is be been being have has had
will would could should may might can must do does did per a an the this these those their its his her our your
my into over under after before during about between since until while where when what there here it they we
he she you i not no so but if then also just only even still each every all both either neither nor said says
told say more most less least than up down out off such very too yet across through against among along around
within without behind beyond near onto upon via because although though whether jailed sentenced
spent paid made took gave got went came told left kept held sold won lost found thought brought bought saw felt met sent
""".split())
# a number word with no counted noun is still a count when a verb follows it: "Four did not reply"
BARE_COUNT_VERB = re.compile(r"\s+(?:did|do|does|were|was|are|is|had|have|has|said|says|will|would|could|can|may|"
                             r"might|spent|voted|replied|responded|declined|refused|failed|chose|remain|remained|"
                             r"abstained|answered|agreed|disagreed)\b")
ADJECTIVES = set("""
new more other further extra additional young old local different separate key main major small large big senior
junior former current existing specialist full-time part-time vulnerable total known suspected alleged named
british such same various several many few last first next previous recent
""".split())
# a range joins two numbers with "to"/"and" or a dash; a dash only between digits, so "twenty-one" stays one number
RANGE_SEP = r"(?:\s*[-–]\s*(?=\d)|\s+(?:to|and)\s+)"
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")


@dataclass
class Figure:
    kind: str
    start: int
    end: int
    value: float | None = None
    value_max: float | None = None
    unit: str = ""
    qualifier: str = ""
    vague: bool = False
    extra: dict = field(default_factory=dict)


def _qual(m: re.Match) -> str:
    q = m.groupdict().get("q")
    return re.sub(r"\s+", " ", q.lower()) if q else ""


def _money_value(num: str, mult: str | None, curword: str | None = None) -> float:
    v = parse_number(num)
    if mult:
        v *= MULT_VALUES[mult.lower()]
    if curword and curword.lower() in ("p", "pence"):
        v /= 100
    return v


def _currency(sym: str | None, word: str | None = None) -> str:
    key = (sym or word or "").strip().lower()
    return CURRENCIES.get(key, key.upper())


def _unit_words(text: str, pos: int) -> tuple[str, int]:
    """The counted thing after a number: up to three words, stopping at function words and verbs.

    Adjectives and possessives are dropped ("four new children's homes" -> "homes"); at most the
    last two words are kept ("seven gang members" -> "gang members"). Returns (unit, end offset).
    """
    words = []
    end = pos
    m_of = re.match(r"\s+of\s+(?:the|these|those|its|their|our|his|her)\s+(?=[a-z])", text[pos:pos + 40])
    if m_of:
        pos = end = pos + m_of.end() - 1
    for m in re.finditer(r"\s+([A-Za-z][\w'’-]*)", text[pos:pos + 80]):
        if m.start() != (end - pos):
            break
        w = m.group(1)
        lw = w.lower()
        if lw in STOP_WORDS or (len(lw) > 4 and (lw.endswith("ed") and lw not in ("hundred",))) or lw.endswith("ing"):
            break
        if w[0].isupper() and not words:
            break  # "in 2014 Oxford ..." : a capitalised word right after a number is rarely its unit
        words.append(w)
        end = pos + m.end()
        if len(words) == 3:
            break
        nxt = text[end:end + 1]
        if nxt and not nxt.isspace():
            break
    # drop trailing words that are not nouns we can name; keep the head noun and one modifier
    kept = [w for w in words if w.lower() not in ADJECTIVES and not re.search(r"['’]s?$", w)]
    # the unit's span ends at the last kept word
    if not kept:
        return "", pos
    last = kept[-1]
    idx = max(i for i, w in enumerate(words) if w == last)
    # recompute end offset to just after that word
    off = pos
    for i, m in enumerate(re.finditer(r"\s+([A-Za-z][\w'’-]*)", text[pos:pos + 80])):
        if i == idx:
            off = pos + m.end()
            break
    return " ".join(kept[-2:]).lower(), off


def extract_figures(text: str) -> list[Figure]:
    claims = Spans()
    out: list[Figure] = []

    def add(fig: Figure) -> bool:
        if fig.start >= fig.end or not claims.free(fig.start, fig.end):
            return False
        if not fig.vague and fig.kind != "period" and not fig.qualifier:
            q = QUAL_BEFORE.search(text, max(0, fig.start - 24), fig.start)
            if q and claims.free(q.start(), fig.start):
                fig.start, fig.qualifier = q.start(), re.sub(r"\s+", " ", q.group("q").lower())
        claims.take(fig.start, fig.end)
        out.append(fig)
        return True

    flags = re.IGNORECASE
    # 1. vague magnitudes: "millions of pounds", "dozens of offences"
    for m in re.finditer(VAGUE_RE, text, flags):
        noun = m.group("noun").lower()
        cur = CURRENCIES.get(noun)
        if not cur:
            noun = noun.split()[0] if noun.split()[0] not in ADJECTIVES else noun
            noun = noun if noun.split()[0] not in STOP_WORDS else ""
            if not noun:
                continue
        if not cur:
            noun = noun.split()[0]
            end = m.start("noun") + len(noun)
        else:
            end = m.end()
        add(Figure("money" if cur else "count", m.start(), end, unit=cur or noun, vague=True))
    # 2. money ranges, then single amounts (symbol first, or number then currency word)
    num = rf"(?P<n>{DIGITS}|{NUMBER_WORDS})"
    num2 = rf"(?P<n2>{DIGITS})"
    money_range = (rf"(?P<between>between\s+)?{CUR_SYM}\s?{num}\s?(?:(?P<mult1>bn|billion|mn|m|million|k|thousand)\b)?"
                   rf"\s*(?:-|–|to|and)\s*(?:US\$|£|\$|€|¥)?\s?{num2}\s?{MULT}?\b")
    for m in re.finditer(money_range, text, flags):
        sep = text[m.end("mult1") if m.group("mult1") else m.end("n"):m.start("n2")]
        if re.search(r"\b(and|to)\b", sep) and not m.group("between"):
            continue
        mult1 = m.group("mult1") or m.group("mult")
        add(Figure("money", m.start(), m.end(), _money_value(m.group("n"), mult1),
                   _money_value(m.group("n2"), m.group("mult")), _currency(m.group("cur")), _qual(m)))
    money_sym = rf"{CUR_SYM}\s?{num}(?:\s?{MULT}\b)?(?!\d)"
    for m in re.finditer(money_sym, text, flags):
        if m.group("cur").strip().isalpha() and not m.group("cur").isupper():
            continue  # "eur"/"usd" written in lower case are not currency codes
        add(Figure("money", m.start(), m.end(), _money_value(m.group("n"), m.group("mult")), None,
                   _currency(m.group("cur")), _qual(m)))
    money_word = (rf"{_B}(?P<n>{NUMBER})(?:\s?{MULT})?\s*"
                  rf"(?P<cw>pounds?|pence|dollars?|euros?|p)\b(?!['’])")
    for m in re.finditer(money_word, text, flags):
        if m.group("cw").lower() == "p" and not re.fullmatch(r"\d+(\.\d+)?", m.group("n")):
            continue
        add(Figure("money", m.start(), m.end(), _money_value(m.group("n"), m.group("mult"), m.group("cw")),
                   None, _currency(None, m.group("cw")), _qual(m)))
    # 3. periods: financial years and year spans
    for m in re.finditer(r"(?<![\w/£$-])(?P<y1>(?:1[89]|20)\d\d)\s?[/–-]\s?(?P<y2>(?:1[89]|20)\d\d|\d\d|\d)(?![\w/]|[-–]\d)",
                         text):
        y1, y2s = int(m.group("y1")), m.group("y2")
        if len(y2s) == 4:
            y2 = int(y2s)
            if y2 <= y1:
                continue
        else:
            mod = 10 ** len(y2s)
            if int(y2s) != (y1 + 1) % mod:
                continue
            y2 = y1 + 1
        add(Figure("period", m.start(), m.end(), y1, y2, "years"))
    for m in re.finditer(r"\b(?:between|from)\s+(?P<y1>(?:1[89]|20)\d\d)\s+(?:and|to|until)\s+(?P<y2>(?:1[89]|20)\d\d)\b",
                         text, flags):
        if int(m.group("y2")) > int(m.group("y1")):
            add(Figure("period", m.start(), m.end(), int(m.group("y1")), int(m.group("y2")), "years"))
    # 4. percentages (and ranges of them)
    pct = r"\s?(?P<p>%|per\s?cent\b|percent\b|percentage\s+points?\b|pc\b)"
    for m in re.finditer(rf"(?:between\s+)?{_B}(?P<n>{NUMBER})\s?(?:%|per\s?cent)?{RANGE_SEP}(?P<n2>{NUMBER}){pct}",
                         text, flags):
        if re.search(r"\band\b", m.group(0)) and "between" not in m.group(0).lower():
            continue
        if parse_number(m.group("n")) >= parse_number(m.group("n2")) or re.match(r"\s*[–—]\s+of\b", text[m.end():]):
            continue  # "87 – 57 per cent – of", "12 – 30 per cent – of": a number and an aside, not a range
        add(Figure("percentage", m.start(), m.end(), parse_number(m.group("n")), parse_number(m.group("n2")),
                   "percentage points" if "point" in m.group("p").lower() else "%", _qual(m)))
    for m in re.finditer(rf"{_B}\b(?P<n>{NUMBER})\s+in\s+(?P<n2>{NUMBER})\b(?!\s+(?:{MONTHS})\b)", text, flags):
        a, b = parse_number(m.group("n")), parse_number(m.group("n2"))
        if 0 < a < b and not _is_year(m.group("n2")):
            add(Figure("percentage", m.start(), m.end(), a / b * 100, None, "%", _qual(m), extra={"ratio": True}))
    for m in re.finditer(rf"{_B}(?P<n>{NUMBER}){pct}", text, flags):
        add(Figure("percentage", m.start(), m.end(), parse_number(m.group("n")), None,
                   "percentage points" if "point" in m.group("p").lower() else "%", _qual(m)))
    # 5. ages: "12-year-old", "aged 51", "Sakariya Sheikh, 23,"
    for m in re.finditer(rf"{_B}(?P<n>{NUMBER})[-\s]years?[-\s]olds?\b", text, flags):
        add(Figure("count", m.start(), m.end(), parse_number(m.group("n")), None, "age_years"))
    for m in re.finditer(rf"\baged\s+(?P<n>\d{{1,3}}|{NUMBER_WORDS})\b", text, flags):
        add(Figure("count", m.start(), m.end(), parse_number(m.group("n")), None, "age_years"))
    for m in re.finditer(r"(?<=[a-z’'])(?:,\s+|\s+\()(?P<n>\d{1,3})(?=\)|\s*[,;.–—]|\s+(?:of|from|and|who|was|were|is|has)\b)", text):
        v = int(m.group("n"))
        before = text[max(0, m.start() - 40):m.start()]
        if 0 < v < 120 and re.search(r"\b[A-Z][\w'’-]+\s+[A-Z][\w'’-]+$", before):
            add(Figure("count", m.start("n"), m.end("n"), v, None, "age_years"))
    # 6. durations: ranges, "18-week", "95 years", "a decade", "A YEAR"
    for m in re.finditer(rf"(?P<between>between\s+)?{_B}(?P<n>{NUMBER}){RANGE_SEP}(?P<n2>{NUMBER})\s+{TIME_UNIT_RE}\b",
                         text, flags):
        if re.search(r"\band\b", m.group(0), flags) and not m.group("between"):
            continue
        if re.search(r"\bfrom\s+$", text[max(0, m.start() - 6):m.start()], flags):
            continue
        unit, mult = TIME_UNITS[_singular(m.group("u"))]
        add(Figure("duration", m.start(), m.end(), parse_number(m.group("n")) * mult,
                   parse_number(m.group("n2")) * mult, unit, _qual(m)))
    for m in re.finditer(rf"{_B}(?P<n>{NUMBER})(?:-|\s+(?:more\s+|further\s+|extra\s+|additional\s+)?){TIME_UNIT_RE}\b(?![-’']old)",
                         text, flags):
        if m.group("n").lower() == "a" or (m.group("n").lower() == "one" and False):
            continue
        unit, mult = TIME_UNITS[_singular(m.group("u"))]
        add(Figure("duration", m.start(), m.end(), parse_number(m.group("n")) * mult, None, unit, _qual(m)))
    for m in re.finditer(rf"\b(?:an?|one)\s+(?P<u>day|week|fortnight|month|year|decade|century)\b(?![-’']old)",
                         text, flags):
        before = text[max(0, m.start() - 12):m.start()].lower()
        if re.search(r"(\d|m|bn|k|once|twice|times|per)\s*$", before) or re.search(r"\bthan\s*$", before):
            continue  # a rate ("£5m a year", "twice a year"), not a duration
        unit, mult = TIME_UNITS[m.group("u").lower()]
        add(Figure("duration", m.start(), m.end(), mult, None, unit, _qual(m)))
    for m in re.finditer(r"\b(?:for|over)\s+(?P<v>decades|years|months)\b", text, flags):
        add(Figure("duration", m.start("v"), m.end("v"), None, None, m.group("v").lower(), vague=True))
    # 7. counts: hyphenated compounds, ranges, plain numbers with their unit
    for m in re.finditer(rf"{_B}(?P<n>{NUMBER})-(?P<w>strong|bed|seat|member|man|person|room|page|point)\b", text, flags):
        w = m.group("w").lower()
        if w in ("strong", "member", "man", "person"):
            unit, end = _unit_words(text, m.end())
            unit = unit or "members"
        else:
            unit, end = w + "s", m.end()
        add(Figure("count", m.start(), max(end, m.end()), parse_number(m.group("n")), None, unit))
    for m in re.finditer(rf"(?P<between>between\s+)?{_B}(?P<n>{NUMBER}){RANGE_SEP}(?P<n2>{NUMBER})\b(?![.,]?\d)",
                         text, flags):
        if re.search(r"\band\b", m.group(0), flags) and not m.group("between"):
            continue
        if _is_year(m.group("n")) or _is_year(m.group("n2")):
            continue
        unit, end = _unit_words(text, m.end())
        if not unit:
            continue
        add(Figure("count", m.start(), end, parse_number(m.group("n")), parse_number(m.group("n2")), unit, _qual(m)))
    for m in re.finditer(rf"{_B}(?P<n>{NUMBER})(?![\w%]|[.,]\d|-\w)", text, flags):
        n = m.group("n")
        low = n.lower()
        if low in ("one", "zero", "a", "an") or low.startswith(("a ", "an ")) and low.split()[-1] in ("hundred", "thousand"):
            if low in ("one", "zero", "a", "an"):
                continue
        after = text[m.end():m.end() + 12]
        before = text[max(0, m.start() - 12):m.start()]
        if _is_year(n) and not re.match(r"\s+(people|children|girls|boys|men|women|cases|staff|officers)\b", after):
            continue  # a year used as a date
        if re.match(rf"\s*(?:am|pm|a\.m\.|p\.m\.|st|nd|rd|th)\b", after, flags) or re.match(r"[.:]\d", after):
            continue  # times and ordinals
        if re.match(rf"\s+(?:{MONTHS})\b", after, flags) or re.search(rf"\b(?:{MONTHS})\s+$", before, flags):
            continue  # a day of the month
        if re.search(r"(?:No\.?|number|section|article|page|room|flat|unit|junction|M|A|B)\s*$", before):
            continue
        unit, end = _unit_words(text, m.end())
        if re.fullmatch(r"[a-z-]+(\s+[a-z-]+)*", n, flags) and not unit and not BARE_COUNT_VERB.match(after):
            continue  # a number word on its own ("the two of them") is too ambiguous to report
        add(Figure("count", m.start(), max(end, m.end()), parse_number(n), None, unit, _qual(m)))
    out.sort(key=lambda f: (f.start, f.end))
    for f in out:
        f.value = clean_value(f.value) if f.value is not None else None
        f.value_max = clean_value(f.value_max) if f.value_max is not None else None
    return out


def _singular(u: str) -> str:
    u = u.lower()
    if u == "centuries":
        return "century"
    return u[:-1] if u.endswith("s") else u


def _is_year(n: str) -> bool:
    return bool(re.fullmatch(r"(1[89]|20)\d\d", n))
