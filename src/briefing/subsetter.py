"""Which library subsets the fonts that WeasyPrint embeds in a PDF on this machine.

WeasyPrint uses HarfBuzz's libharfbuzz-subset (4.1 or newer) when it can load it, fontTools otherwise. The two
make different subsets of the same font, so the same briefing prints to different bytes on machines that differ
here: the PDF stage's cache key and the manifest record the answer. It is asked here through ctypes, with the
library names WeasyPrint itself tries, rather than by importing WeasyPrint (half a second), because an up-to-date
re-render needs the answer too and takes a fifth of that in all. A test checks that both say the same.
"""

from __future__ import annotations

import ctypes
import functools

_SUBSET_NAMES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")
_HARFBUZZ_NAMES = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")
HARFBUZZ, FONTTOOLS = "harfbuzz", "fonttools"


def _load(names):
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


@functools.lru_cache(maxsize=1)
def font_subsetter() -> str:
    """``harfbuzz`` or ``fonttools``."""
    subset, harfbuzz = _load(_SUBSET_NAMES), _load(_HARFBUZZ_NAMES)
    if subset is None or harfbuzz is None:
        return FONTTOOLS
    return HARFBUZZ if harfbuzz.hb_version_atleast(4, 1, 0) else FONTTOOLS
