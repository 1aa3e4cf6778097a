"""Straight single quotation marks read as the quotation marks or apostrophes they stand for.

Many papers print quotations in single marks, and their copy reaches us typed with the ASCII apostrophe for all
three of an opening mark, a closing mark and an apostrophe: ``'We won't stop,' said Ms Hale.`` The quotation
finder reads typographic marks (‘…’, with ’ inside a word as an apostrophe), so the text it reads is a *view* of the
article, of the same length, in which each ``'`` has become the mark its place makes it:

- inside a word (a letter or digit on both sides: ``won't``, ``victim's``) it is an apostrophe, ’;
- at the start of a word (after a space, a paragraph start, an opening bracket, a dash or a colon, and before a
  letter, digit or opening mark) it opens a quotation, ‘, except in the elisions that start words (``'90s``,
  ``'em``, ``rock 'n' roll``);
- at the end of a word (after a letter, digit or punctuation, before a space, punctuation or the end) it closes
  one, ’; so does a plural possessive (``the victims' families``), which the finder tells from a closing mark as
  it does for typographic text: only a mark that closes an open quotation is read as one.

Offsets are unchanged, so every row still points into the article itself; the rows' text is taken from the
article, never from the view.
"""

from __future__ import annotations

import re

_OPENS_AFTER = " \t\n([{—–-\"“‘:"
_ELISION = re.compile(r"'(?:\d0s\b|em\b|n'|tis\b|twas\b|cause\b)", re.I)


def quotation_view(text: str) -> str:
    """``text`` with every ASCII apostrophe made ‘, ’ or left as it is (between two spaces), as described above."""
    if "'" not in text:
        return text
    out = list(text)
    n = len(text)
    for m in re.finditer("'", text):
        i = m.start()
        before = text[i - 1] if i > 0 else "\n"
        after = text[i + 1] if i + 1 < n else "\n"
        if before == "'" or after == "'":
            continue  # ''…'' typed for a double mark (TeX's closing ''): the finder reads those pairs itself
        if before.isalnum() and after.isalnum():
            out[i] = "’"
        elif before in _OPENS_AFTER and not after.isspace():
            out[i] = "’" if _ELISION.match(text, i) else "‘"
        elif not before.isspace():
            out[i] = "’"
    return "".join(out)
