"""A time limit for work that runs in this process (the HTML and PDF stages), where no kernel can be stopped.

Notebook cells have papermill's ``timeout``; nbconvert and WeasyPrint run in the renderer itself. In the main
thread a POSIX interval timer interrupts them (its signal handler raises ``StageTimeout`` between two Python
bytecodes, so the run stops cleanly and its staging folder goes to ``failed/``). Elsewhere (a Dask worker's
thread) signals cannot be used, and the stages run unbounded: what the briefing lists is bounded anyway (see
``report.MAX_LISTED``), so their time does not grow with the article.
"""

from __future__ import annotations

import contextlib
import signal
import threading


class StageTimeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise StageTimeout(f"{what} took longer than {seconds:g}s (the render's timeout)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
