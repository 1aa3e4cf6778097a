"""What runs in a batch's worker process: render one article (kernels forked from one template for all of them),
and end at once, kernels and all, when the batch is stopped or gone.

Everything a worker is handed (a :class:`Job`, :func:`render_one`, :func:`_worker_started`) is pickled by name
and imported in the worker: this module is on the fork server's preload list (see ``local.WORKER_PRELOAD``)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .. import slugs
from ..errors import EXIT_BAD_INPUT


@dataclass
class Job:
    article: str
    out: str
    params_file: str | None
    overrides: dict
    processed_root: str | None
    kernel_template: str | None = None  # address of a shared kernel template on this machine, if any
    parallel: bool = False  # run notebooks 02 and 03 side by side (for the last articles, when cores fall idle)


_TEMPLATE = None  # this worker process's kernel template, kept for all its articles
_TEMPLATE_LOCK = threading.Lock()


def _kernel_template(address: str | None = None):
    """Kernels for every article this worker renders are forked from one process that imported their libraries:
    the batch's shared template when it has one (local workers), else one the worker starts (Dask workers)."""
    global _TEMPLATE
    from .. import kernels
    from ..render import warm_kernel_template

    with _TEMPLATE_LOCK:
        if _TEMPLATE is None or not _TEMPLATE.alive():
            try:
                _TEMPLATE = kernels.TemplateClient(address) if address else warm_kernel_template()
            except OSError:
                _TEMPLATE = None  # kernels start the usual way
        return _TEMPLATE


def render_one(job: Job) -> dict:
    """Runs in a worker: render one article and report how it went, never raising."""
    from ..errors import BriefingError
    from ..render import LockedError, render

    if _batch_gone():  # killed between two articles: the watcher may not have run yet, and must win the race
        _worker_exit(1, folder=_FOLDER)
    t0 = time.time()
    row = {"article": job.article, "slug": slugs.from_name(Path(job.article).stem) or Path(job.article).name,
           "status": "", "seconds": 0.0, "reason": ""}
    try:
        # a worker is one core's worth of work: its render runs one notebook at a time and starts no kernel early
        # (but for the batch's last articles: see schedule)
        r = render(job.article, out=job.out, overrides=job.overrides, params_file=job.params_file, quiet=True,
                   processed_root=job.processed_root, parallel=job.parallel,
                   kernel_template=_kernel_template(job.kernel_template))
        row.update(slug=r.slug, status="up to date" if r.up_to_date else "rendered")
    except LockedError as exc:
        row.update(status="locked", reason=str(exc))
    except BriefingError as exc:
        row.update(status="bad input" if exc.exit_code == EXIT_BAD_INPUT else "failed", reason=str(exc))
    except Exception as exc:  # a bug: report it for this article and go on with the others
        row.update(status="failed", reason=f"{type(exc).__name__}: {exc}")
    row["seconds"] = round(time.time() - t0, 2)
    return row


# --- stopping, in a worker -------------------------------------------------------------------------------------

_WATCH = None  # this worker's end of the pipe from the batch (local workers only)
_FOLDER: str | None = None


def _batch_gone() -> bool:
    """Whether the batch's end of the pipe has closed (nothing is ever sent: readable means closed)."""
    try:
        return _WATCH is not None and _WATCH.poll(0)
    except (EOFError, OSError):
        return True


def _worker_started(watch, folder: str, tmp: str) -> None:
    """Runs first in every local worker: Ctrl-C is the batch's to handle (the terminal sends it to every process
    of the group), SIGTERM ends the worker with its kernels, and so does the batch's end (even by SIGKILL: the
    pipe ``watch`` closes). Its temporary files, and its kernels', go in the batch's folder."""
    import tempfile

    global _WATCH, _FOLDER
    _WATCH, _FOLDER = watch, folder
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_signalled)
    os.environ["TMPDIR"] = tmp
    tempfile.tempdir = tmp
    threading.Thread(target=_watch_batch, args=(watch, folder), name="briefing-batch-watch", daemon=True).start()


def _watch_batch(watch, folder: str) -> None:
    try:
        watch.recv_bytes()  # nothing is ever sent: this returns when the batch's end of the pipe closes
    except (EOFError, OSError):
        pass
    _worker_exit(1, folder=folder)


def _worker_signalled(signum, frame) -> None:
    if _publishing():  # a render is swapping its briefing in: let it finish (milliseconds), then end
        threading.Thread(target=_worker_exit, args=(128 + signum,), daemon=True).start()
    else:
        _worker_exit(128 + signum)


def _publishing() -> bool:
    """Whether this worker's main thread is inside ``briefing.publish.publish`` (two renames)."""
    frame = sys._current_frames().get(threading.main_thread().ident)
    while frame is not None:
        if frame.f_code.co_name == "publish" and frame.f_globals.get("__name__") == "briefing.publish":
            return True
        frame = frame.f_back
    return False


def _worker_exit(code: int, folder: str | None = None) -> None:
    """End this worker now, with its kernels (forked from the template, or started the usual way); a publish
    under way (two renames) is let finish, so that the last good briefing is never left half swapped."""
    from .. import kernels

    kernels.kill_spawned()
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            try:
                child.kill()
            except psutil.Error:
                pass
    except Exception:
        pass
    if folder:  # the batch is gone: its folder too (the template removes it as well, when there is one)
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    # from here this thread keeps the interpreter until it sleeps: the main thread cannot start a publish between
    # the last look and the exit
    sys.setswitchinterval(1000)
    deadline = time.monotonic() + 2
    while _publishing() and time.monotonic() < deadline:
        time.sleep(0.01)
    os._exit(code)
