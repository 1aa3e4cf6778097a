"""A batch on this machine: worker processes forked from multiprocessing's fork server, one shared kernel
template, and a private folder for every temporary file of theirs; all of it stopped and removed at the end."""

from __future__ import annotations

import os
import signal

from .. import paths
from .stopping import _signal_all, _StopOnSignals, _wait_gone
from .worker import Job, _worker_started, render_one


def schedule(jobs: list[Job], template: str | None, cores: int) -> list[Job]:
    """Jobs as local workers take them, in order: every kernel forked from ``template``; the last ``cores - 1``
    articles to start find fewer articles left than cores, so they run notebooks 02 and 03 side by side (as
    ``briefing render`` does) and the end of the batch does not leave cores idle while they finish."""
    import dataclasses

    tail = len(jobs) - max(cores - 1, 0)
    return [dataclasses.replace(j, kernel_template=template, parallel=i >= tail) for i, j in enumerate(jobs)]


def _local(jobs: list[Job], workers: int, progress, stop: _StopOnSignals | None = None) -> list[dict]:
    from concurrent.futures import as_completed

    rows = []
    run = _LocalRun()
    try:
        # one per machine: every worker forks its kernels from it. It loads what notebook 01 needs, so the first
        # articles start as soon as it has; the rest while they run (see render._Run.preloads)
        run.start(workers)
        jobs = schedule(jobs, run.template.address if run.template is not None else None, os.cpu_count() or 1)
        futures = [run.pool.submit(render_one, j) for j in jobs]
        for f in as_completed(futures):
            rows.append(f.result())
            progress.update(rows[-1])
        run.pool.shutdown(wait=True)
    except BaseException:
        if stop is not None:
            stop.hold = True  # a signal now waits for the clean-up
        run.stop_workers()
        raise
    finally:
        run.close()
    return rows


class _LocalRun:
    """The processes of a local batch and their private folder.

    - the folder (``$TMPDIR/briefing-batch-*``, mode 0700) holds the kernel template's socket, the connection files
      of the kernels forked from it, the fork server's socket (it is multiprocessing's temporary folder) and every
      worker's ``TMPDIR``; it goes at the end, and when the batch is killed the template removes it (or a worker,
      or the next batch: see :func:`kernels.remove_stale_folders`);
    - the kernel template, shared by the workers (it ends when the batch closes its pipe or dies);
    - the workers, forked from multiprocessing's fork server; each watches a pipe from the batch and ends, with its
      kernels, when the batch is gone (see :func:`worker._worker_started`)."""

    def __init__(self):
        from .. import kernels

        kernels.remove_stale_folders()
        self.folder, self._lock_fd = kernels.private_folder("briefing-batch-")
        self.tmp = os.path.join(self.folder, "tmp")
        os.mkdir(self.tmp, 0o700)
        self.template = None
        self.pool = None
        self._watch = self._watch_r = None
        self._mp_tempdir_set = False
        self._server_before = None

    def start(self, workers: int) -> None:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        self.template = _shared_template(self.folder)
        ctx = _worker_context(mp)
        self._server_before = _fork_server_pid()  # one this process already had is left running at the end
        # multiprocessing's temporary folder (the fork server's socket) in ours, not a /tmp/pymp-* of its own that
        # only an interpreter's normal exit removes (the command line ends with os._exit)
        current = mp.current_process()
        if not current._config.get("tempdir"):
            current._config["tempdir"] = self.folder
            self._mp_tempdir_set = True
        # workers watch this pipe: only this process holds its writing end, so it closes when this process ends
        self._watch_r, self._watch = ctx.Pipe(duplex=False)
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_started,
                                        initargs=(self._watch_r, self.folder, self.tmp))

    def _processes(self) -> list:
        """The batch's processes (as psutil.Process), workers first: each worker and its children (kernels it
        started the usual way, a template of its own), the template and its kernels, the fork server."""
        import psutil

        found = []
        pids = list(getattr(self.pool, "_processes", None) or {})
        if self.template is not None:
            pids.append(self.template.proc.pid)
        server = _fork_server_pid()
        if server is not None:
            pids.append(server)
        for pid in pids:
            try:
                p = psutil.Process(pid)
                found += [p, *p.children(recursive=True)]
            except psutil.Error:
                pass
        return found

    def stop_workers(self) -> None:
        """Stop every worker now, and with them their renders (which publish nothing more: a render builds in a
        staging folder and publishes by renaming, so one stopped midway leaves the last good briefing) and
        kernels; wait until they are gone."""
        import psutil

        everything = self._processes()
        workers = []
        for pid in list(getattr(self.pool, "_processes", None) or {}):
            try:
                workers.append(psutil.Process(pid))
            except psutil.Error:
                pass
        if self.pool is not None:
            try:  # (which forgets the workers' ids)
                self.pool.shutdown(wait=False, cancel_futures=True)
            except Exception:
                pass
        _signal_all(workers, signal.SIGTERM)  # a worker's handler kills its kernels and ends it
        _signal_all(_wait_gone(workers, 3), signal.SIGKILL)
        _wait_gone(workers, 3)
        self._close_template()  # its kernels die with it
        # anything of the batch left (a kernel of a worker that was killed outright, one forked as it stopped)
        rest = [p for p in everything if p.pid != _fork_server_pid()]
        _signal_all(_wait_gone(rest, 1), signal.SIGKILL)
        _wait_gone(rest, 2)

    def _close_template(self) -> None:
        if self.template is not None:
            self.template.close()
            self.template = None

    def close(self) -> None:
        """The end, normal or not: the template, the fork server (it ends once the workers have) and the folder."""
        import multiprocessing as mp

        self._close_template()
        for conn in (self._watch, self._watch_r):
            if conn is not None:
                conn.close()
        if _fork_server_pid() not in (None, self._server_before):
            _stop_fork_server()
        if self._mp_tempdir_set:
            mp.current_process()._config.pop("tempdir", None)
        from .. import kernels

        kernels._remove_folder(self.folder, self._lock_fd)


def _shared_template(folder: str):
    """The batch's kernel template, in the batch's folder (see render.warm_kernel_template)."""
    from .. import kernels
    from ..render import NB1, WARM_UP

    if not kernels.ENABLED:
        return None
    template = None
    try:
        template = kernels.KernelTemplate(cwd=str(paths.NOTEBOOKS_DIR), shared=True, folder=folder)
        template.preload(WARM_UP[NB1])
        return template
    except Exception:
        if template is not None:  # e.g. it died at start
            template.close()
        return None


def _fork_server_pid() -> int | None:
    from multiprocessing import forkserver

    return getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)


def _stop_fork_server() -> None:
    """Stop multiprocessing's fork server, which the batch started (it would otherwise stay until this process
    ends, its socket in the batch's folder): a next batch in this process starts a new one."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    if server is None or getattr(server, "_forkserver_pid", None) is None:
        return
    try:  # it ends when every process holding its "alive" pipe has: its workers must be gone first
        import psutil

        children = psutil.Process(server._forkserver_pid).children()
        _signal_all(_wait_gone(children, 3), signal.SIGKILL)
        _wait_gone(children, 3)
    except Exception:
        pass
    try:
        server._stop()
    except Exception:  # its socket already gone with our folder, say: forget it all the same
        try:
            server._forkserver_pid = server._forkserver_address = None
        except Exception:
            pass


# what every worker needs, imported once by the fork server instead of once per worker (papermill, nbconvert and
# WeasyPrint are some 2.5 CPU-seconds); briefing.render first, so that its import settings apply
WORKER_PRELOAD = ["briefing.render", "papermill", "nbconvert", "briefing.weasy", "briefing.batch.worker"]


def _worker_context(mp):
    """Workers start clean, forked from a fresh single-threaded server process (multiprocessing's forkserver)
    that has imported ``WORKER_PRELOAD``: no locks, threads or redirected descriptors of this process are
    inherited. Where there is no fork server (not Linux or macOS), each worker is spawned anew."""
    try:
        ctx = mp.get_context("forkserver")
    except ValueError:
        return mp.get_context("spawn")
    ctx.set_forkserver_preload(WORKER_PRELOAD)
    return ctx
