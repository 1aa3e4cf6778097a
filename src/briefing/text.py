"""Reading an article file and normalising its text.

All offsets in the processed tables refer to the *normalised* text returned by
:func:`normalise` (written out as ``text.txt``): Unicode NFC, ``\\n`` line ends,
no trailing spaces on lines, at most one blank line between paragraphs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

#: Largest article accepted, in bytes. News articles are a few kB; 5 MB leaves room for
#: long reports while keeping a mistaken input (a PDF, a data dump) from stalling a run.
MAX_BYTES = 5 * 1024 * 1024

BULLET_RE = re.compile(r"[ \t]*(?:[•●▪◦·‣*]|-|–)[ \t]+")


@dataclass
class Article:
    path: Path
    text: str
    sha256: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    is_bullet: bool
    text: str


# Mojibake: UTF-8 read once as Windows-1252 and saved again ("CafÃ©", "Â£5m", "donâ€™t"). A UTF-8 lead byte read
# that way is one of Â..ô, each continuation byte one of the characters Windows-1252 puts at 0x80-0xBF; ordinary
# English copy never has such a pair, and each run that re-encodes to valid UTF-8 is repaired on its own, so a
# text with both good and garbled characters is mended too.
_CONT = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a" \
        "\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
MOJIBAKE_RE = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}")


def _repair(m: re.Match) -> str:
    try:
        fixed = m.group(0).encode("cp1252").decode("utf-8")
    except UnicodeError:
        return m.group(0)
    # only what English copy is made of (accented Latin letters, £ and other signs, dashes, quotes, €, ™); so a
    # genuine "CAFÉ’S", whose É’ would re-encode to the IPA letter ɒ, stays as written
    ok = all("\u00a0" <= ch <= "\u017f" or "\u2010" <= ch <= "\u206f" or ch in "\u20ac\u2122" for ch in fixed)
    return fixed if ok else m.group(0)


def decode(data: bytes, name: str = "article") -> tuple[str, str, list[str]]:
    """Decode article bytes: UTF-8 (with or without BOM), else Windows-1252 with a warning."""
    warnings: list[str] = []
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark (Windows "Unicode" text)
        try:
            data, warnings = data.decode("utf-16").encode("utf-8"), [f"{name}: decoded as UTF-16"]
        except UnicodeDecodeError:
            raise InputError(f"{name}: starts like UTF-16 text but is not; save it as UTF-8") from None
    if b"\x00" in data:
        raise InputError(f"{name}: this looks like a binary file, not plain text (if it is UTF-16 or UTF-32 text "
                         "without a byte-order mark, save it as UTF-8)")
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as first:
        if _mostly_utf8(data):  # one stray byte in a UTF-8 file, not a Windows-1252 file: never "Â£" everywhere
            text = data.decode("utf-8", errors="replace")
            bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
            warnings.append(f"{name}: {bad} byte{'s' if bad != 1 else ''} not valid UTF-8 (the first at byte "
                            f"{first.start}) replaced by \ufffd; the rest decoded as UTF-8")
            return _checked(text, encoding, warnings, name)
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not UTF-8 or Windows-1252 text ({exc.reason} at byte {exc.start})") from None
        encoding = "cp1252"
        warnings.append(f"{name}: not valid UTF-8; decoded as Windows-1252")
    return _checked(text, encoding, warnings, name)


def _mostly_utf8(data: bytes) -> bool:
    """Undecodable as UTF-8, yet with UTF-8's multi-byte characters (£, ’, é as two or three bytes) outnumbering
    the bytes that fail: a UTF-8 file with a few stray bytes, which Windows-1252 would turn into mojibake."""
    good = len(_UTF8_MULTI_RE.findall(data))
    if not good:
        return False
    bad = len(data.decode("utf-8", errors="replace")) - len(data.decode("utf-8", errors="ignore"))
    return good >= bad


_UTF8_MULTI_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _checked(text: str, encoding: str, warnings: list[str], name: str) -> tuple[str, str, list[str]]:
    if encoding != "cp1252" and MOJIBAKE_RE.search(text):
        repaired = MOJIBAKE_RE.sub(_repair, text)
        if repaired != text:
            text = repaired
            warnings.append(f"{name}: repaired characters garbled by an earlier wrong decoding (\"CafÃ©\" is now "
                            "\"Café\"); offsets refer to the repaired text")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise InputError(f"{name}: this looks like a binary file, not plain text ({controls} control characters)")
    return text, encoding, warnings


# What no document can carry: XML 1.0 (the HTML's SVG charts, WeasyPrint's input) forbids the C0 and C1 control
# characters but tab, newline and carriage return, the UTF-16 surrogates, and U+FFFE and U+FFFF; the other
# noncharacters (U+FDD0-U+FDEF, U+nFFFE-U+nFFFF) mean nothing in text either. Every string a user hands in
# (the article, its sidecar's fields, a case file's values, parameters) passes through ``strip_unprintable``.
_UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                             + "".join(f"{chr(p * 0x10000 + 0xfffe)}{chr(p * 0x10000 + 0xffff)}" for p in range(17))
                             + "]")


def strip_unprintable(value: str) -> tuple[str, int]:
    """``value`` without the characters above, and how many were removed."""
    return _UNPRINTABLE_RE.subn("", value)


def removed_warning(name: str, n: int) -> str:
    return (f"{name}: removed {n} control or non-character code point{'s' if n != 1 else ''} (such as \\x07 or "
            "U+FFFE) that no document can show")


def normalise(text: str) -> str:
    """The article's text as every offset counts it (see the module's docstring); unprintable characters are
    removed after line ends are made ``\\n`` (a form feed is a line break)."""
    return _normalise(text)[0]


def _normalise(text: str) -> tuple[str, int]:
    """:func:`normalise`, and how many unprintable characters it removed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text, removed = strip_unprintable(text)
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip(), removed


def read_article(path: str | Path) -> Article:
    """Read and normalise an article; raise :class:`InputError` with one clear line on bad input."""
    path = Path(path)
    name = str(path)
    try:
        return _read_article(path, name)
    except OSError as exc:  # a name too long, a loop of links, ...
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None


def _read_article(path: Path, name: str) -> Article:
    if not path.exists():
        raise InputError(f"{name}: no such file")
    if path.is_symlink():  # a link in a batch's folder could publish any file the renderer can read
        raise InputError(f"{name}: is a symbolic link; briefing reads only regular files (render the file it "
                         "points to, or copy it here)")
    if path.is_dir():
        raise InputError(f"{name}: is a folder, not an article file")
    if not path.is_file():  # a FIFO would wait for ever, /dev/zero never end
        raise InputError(f"{name}: is not a regular file (a pipe or a device?); give a text file")
    try:
        st = path.stat()
        if st.st_nlink > 1:  # as for a symbolic link: a hard link in a batch's folder could publish another's file
            raise InputError(f"{name}: has {st.st_nlink - 1} other hard link(s); briefing reads only files with "
                             "one name (copy it, and render the copy)")
        size = st.st_size
        if size > MAX_BYTES:
            raise InputError(f"{name}: {size:,} bytes is over the {MAX_BYTES:,}-byte limit for one article")
        with open(path, "rb") as fh:  # at most the limit, whatever the size says (files in /proc say 0)
            data = fh.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(f"{name}: over the {MAX_BYTES:,}-byte limit for one article")
    except PermissionError:
        raise InputError(f"{name}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror})") from None
    text, encoding, warnings = decode(data, name)
    text, n = _normalise(text)
    if n:
        warnings.append(removed_warning(name, n))
    if not text:
        raise InputError(f"{name}: the file has no text")
    return Article(path, text, hashlib.sha256(data).hexdigest(), encoding, warnings)


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs separated by blank lines, or by single newlines when the text has no blank line.

    Bullet lines ("•", "-", "*") are paragraphs of their own; the bullet mark is not part of the text.
    """
    blocks: list[tuple[int, int]] = []
    if "\n\n" in text:
        pos = 0
        for m in re.finditer(r"\n\s*\n", text):
            blocks.append((pos, m.start()))
            pos = m.end()
        blocks.append((pos, len(text)))
        # inside a block, bullet lines still stand alone
        split: list[tuple[int, int]] = []
        for s, e in blocks:
            lines = _lines(text, s, e)
            if any(BULLET_RE.match(text, ls) for ls, _ in lines):
                cur = None
                for ls, le in lines:
                    if BULLET_RE.match(text, ls) or cur is None:
                        if cur:
                            split.append(cur)
                        cur = (ls, le)
                    else:
                        cur = (cur[0], le)
                split.append(cur)
            else:
                split.append((s, e))
        blocks = split
    else:
        blocks = _lines(text, 0, len(text))
    paras = []
    for s, e in blocks:
        m = BULLET_RE.match(text, s)
        is_bullet = bool(m) and m.end() < e
        if is_bullet:
            s = m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            paras.append(Paragraph(len(paras), s, e, is_bullet, text[s:e]))
    return paras


def _lines(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out, pos = [], s
    for m in re.finditer(r"\n", text[s:e]):
        out.append((pos, s + m.start()))
        pos = s + m.end()
    out.append((pos, e))
    return [(a, b) for a, b in out if text[a:b].strip()]


SENTENCE_END_RE = re.compile(r"[.!?][”\"’']?(?=\s+[“\"‘(A-Z0-9£$€])")


def sentence_spans(text: str, paragraphs: list[Paragraph]) -> list[tuple[int, int]]:
    """Sentences as (start, end) offsets, never crossing a paragraph boundary."""
    spans = []
    for p in paragraphs:
        s = p.start
        for m in SENTENCE_END_RE.finditer(text, p.start, p.end):
            spans.append((s, m.end()))
            s = m.end()
            while s < p.end and text[s].isspace():
                s += 1
        if s < p.end:
            spans.append((s, p.end))
    return spans
