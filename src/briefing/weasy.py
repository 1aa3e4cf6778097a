"""WeasyPrint, imported without running the C compiler.

WeasyPrint asks cffi for each of its C libraries (GObject, Pango, HarfBuzz, fontconfig...) under several names
(``libgobject-2.0-0``, ``gobject-2.0-0``, ``gobject-2.0``, ``libgobject-2.0.so.0``...), and cffi looks up each
name it cannot open directly with ``ctypes.util.find_library``. On Linux that runs ``ldconfig -p``, then gcc, then
ld for every name it does not find: 16 compiler runs, some 0.4 s of wall and CPU time, in every process that
imports WeasyPrint (a batch's fork server, where it delays the first article; every ``briefing render``). While
WeasyPrint loads, its names are looked up in the dynamic linker's cache only, which is what ``find_library`` tries
first. Nothing is lost: on Linux, gcc and ld only ever return a library's soname, which the dynamic linker then
searches for exactly as it does for the names with a version (``libgobject-2.0.so.0``) that WeasyPrint also
tries, directly. Other systems, and other threads, keep the ordinary ``find_library``.
"""

from __future__ import annotations

import contextlib
import ctypes.util
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


def load():
    """The ``weasyprint`` module, imported once per process as described above."""
    if "weasyprint" not in sys.modules:
        with _linker_cache_only():
            import weasyprint  # noqa: F401
    return sys.modules["weasyprint"]


weasyprint = load()
