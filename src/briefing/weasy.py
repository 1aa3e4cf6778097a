"""WeasyPrint, imported without running the C compiler.

WeasyPrint asks cffi for each of its C libraries (GObject, Pango, HarfBuzz, fontconfig...) under several names
(``libgobject-2.0-0``, ``gobject-2.0-0``, ``gobject-2.0``, ``libgobject-2.0.so.0``...), and cffi looks up each
name it cannot open directly with ``ctypes.util.find_library``. On Linux that runs ``ldconfig -p``, then gcc, then
ld for every name it does not find: 16 compiler runs, some 0.4 s of wall and CPU time, in every process that
imports WeasyPrint (a batch's fork server, where it delays the first article; every ``briefing render``). While
WeasyPrint loads, names are looked up in the dynamic linker's cache only, as ``find_library`` itself does first. If
a library can only be found the other ways (one on ``LD_LIBRARY_PATH`` that the cache does not list, say), the
import is simply tried again with the ordinary search.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import sys


@contextlib.contextmanager
def _linker_cache_only():
    lookup = getattr(ctypes.util, "_findSoname_ldconfig", None)  # Linux (glibc) only; elsewhere nothing changes
    original = ctypes.util.find_library
    if lookup is not None:
        ctypes.util.find_library = lookup
    try:
        yield
    finally:
        ctypes.util.find_library = original


def load():
    """The ``weasyprint`` module, imported (once per process) as described above."""
    if "weasyprint" not in sys.modules:
        try:
            with _linker_cache_only():
                import weasyprint  # noqa: F401
        except OSError:  # a library the linker's cache does not list: the thorough search
            for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                del sys.modules[name]
            import weasyprint  # noqa: F401
    return sys.modules["weasyprint"]


weasyprint = load()
