"""WeasyPrint, imported without running the C compiler, and printing the same bytes on every run.

WeasyPrint asks cffi for each of its C libraries (GObject, Pango, HarfBuzz, fontconfig...) under several names
(``libgobject-2.0-0``, ``gobject-2.0-0``, ``gobject-2.0``, ``libgobject-2.0.so.0``...), and cffi looks up each
name it cannot open directly with ``ctypes.util.find_library``. On Linux that runs ``ldconfig -p``, then gcc, then
ld for every name it does not find: 16 compiler runs, some 0.4 s of wall and CPU time, in every process that
imports WeasyPrint (a batch's fork server, where it delays the first article; every ``briefing render``). While
WeasyPrint loads, its names are looked up in the dynamic linker's cache only, which is what ``find_library`` tries
first. Nothing is lost: on Linux, gcc and ld only ever return a library's soname, which the dynamic linker then
searches for exactly as it does for the names with a version (``libgobject-2.0.so.0``) that WeasyPrint also
tries, directly. Other systems, and other threads, keep the ordinary ``find_library``.

WeasyPrint embeds a subset of each font, made by HarfBuzz's libharfbuzz-subset when the machine has it and by
fontTools otherwise. fontTools stamps the subset's ``head.modified`` with the time of writing, so without
HarfBuzz two renders a second apart printed different PDFs. Here fontTools keeps the font's own timestamp, as
HarfBuzz does: each route is then byte-reproducible, although the two routes make different subsets (and so
different bytes). ``briefing.subsetter`` says which route this machine takes; the manifest records it.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import logging
import sys
import threading


@contextlib.contextmanager
def _linker_cache_only():
    lookup = getattr(ctypes.util, "_findSoname_ldconfig", None)  # Linux (glibc) only; elsewhere nothing changes
    original, me = ctypes.util.find_library, threading.get_ident()

    def find_library(name):
        return lookup(name) if threading.get_ident() == me else original(name)

    if lookup is not None:
        ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _keep_font_timestamps() -> None:
    from fontTools.ttLib import TTFont
    from weasyprint.pdf import fonts

    if getattr(fonts.TTFont, "keeps_timestamp", False):
        return

    class KeepTimestampTTFont(TTFont):
        keeps_timestamp = True

        def __init__(self, *args, recalcTimestamp=False, **kwargs):
            super().__init__(*args, recalcTimestamp=recalcTimestamp, **kwargs)

    fonts.TTFont = KeepTimestampTTFont


def load():
    """The ``weasyprint`` module, imported once per process as described above."""
    if "weasyprint" not in sys.modules:
        with _linker_cache_only():
            import weasyprint  # noqa: F401
    _keep_font_timestamps()
    return sys.modules["weasyprint"]


# WeasyPrint's warning for every font it subsets without HarfBuzz; a render says it once
# itself (documents.font_subsetter_notice)
_FONTTOOLS_WARNING = "Using fontTools instead of HarfBuzz-Subset"


def write_pdf(html: str, target, base_url: str) -> list[str]:
    """Print ``html`` to the PDF file ``target``; returns what WeasyPrint warned about (bad CSS, missing fonts...),
    which it otherwise keeps to itself (its logger has only a NullHandler)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        weasyprint.HTML(string=html, base_url=base_url).write_pdf(str(target), pdf_tags=True)
    finally:
        logger.removeHandler(handler)
    messages = (r.getMessage() for r in records)
    return [m for m in messages if not m.startswith(_FONTTOOLS_WARNING)]


weasyprint = load()
