"""How a batch stops: the signals it catches while it runs, and ending its processes."""

from __future__ import annotations

import signal
import sys
import threading
import time


class _Stopped(BaseException):
    """A signal asked the batch to stop (raised in the main thread, as KeyboardInterrupt is)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _StopOnSignals:
    """While a batch runs in the main thread, SIGINT, SIGTERM and SIGHUP raise :class:`_Stopped` there, once; the
    batch stops its workers on the way out, and then the signal is raised again under the handler it had before
    (KeyboardInterrupt for SIGINT, the process's end for SIGTERM and SIGHUP unless the caller handles them). While
    the batch cleans up or writes its summary, a signal is only recorded, and has its effect after. A signal that
    was ignored (``nohup``) stays ignored."""

    SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))

    def __init__(self):
        self.previous: dict = {}
        self.received: int | None = None
        self.hold = False  # record a signal, raise nothing (cleaning up, or writing the summary)

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                if signal.getsignal(sig) not in (signal.SIG_IGN, None):
                    self.previous[sig] = signal.signal(sig, self._handler)
        return self

    def _handler(self, signum, frame):
        if self.received is not None:
            return  # stopping already: a second Ctrl-C does not cut the clean-up short
        self.received = signum
        if not self.hold:
            self.hold = True
            raise _Stopped(signum)

    def deferred(self):
        import contextlib

        @contextlib.contextmanager
        def section():
            self.hold = True
            yield
            self.hold = False
            if self.received is not None:
                raise _Stopped(self.received)

        return section()

    def __exit__(self, typ, exc, tb):
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        signum = exc.signum if isinstance(exc, _Stopped) else self.received
        if signum is None:
            return False
        if signum != getattr(signal, "SIGINT", None):  # SIGINT: the command line says "interrupted"
            print(f"briefing: {signal.Signals(signum).name}: the batch and its workers stopped", file=sys.stderr,
                  flush=True)
        if signum in self.previous:
            signal.raise_signal(signum)  # its usual effect, now that the workers are gone
        raise KeyboardInterrupt from None  # a caller's handler that returned: stopped all the same


def _signal_all(procs: list, sig: int) -> None:
    import psutil

    for p in procs:
        try:
            p.send_signal(sig)
        except psutil.Error:
            pass


def _wait_gone(procs: list, timeout: float) -> list:
    """Wait until the processes have ended (a zombie has: its parent, perhaps init, reaps it when it will); those
    still running after ``timeout`` seconds."""
    import psutil

    def running(p) -> bool:
        try:
            return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    deadline = time.monotonic() + timeout
    alive = [p for p in procs if running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.02)
        alive = [p for p in alive if running(p)]
    return alive
