"""Many articles: render each matching article in parallel, locally or on a Dask cluster, then index them.

Each article goes through :func:`briefing.render.render` unchanged (incremental, atomic, locked), in a worker
process of its own; one article failing never stops the others. The run writes ``reports/batch-<run-id>.json``
and regenerates ``reports/index.html``.

A local batch stops as a whole: SIGINT, SIGTERM or SIGHUP stop its workers, their kernels and the kernel template
before the signal takes effect, and a batch killed outright is noticed by all of them (see :class:`_LocalRun`).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass
from html import escape
from urllib.parse import quote
from pathlib import Path

from . import paths, slugs
from .errors import EXIT_BAD_INPUT, InputError
from .publish import check_apart


@dataclass
class Job:
    article: str
    out: str
    params_file: str | None
    overrides: dict
    processed_root: str | None
    kernel_template: str | None = None  # address of a shared kernel template on this machine, if any
    parallel: bool = False  # run notebooks 02 and 03 side by side (for the last articles, when cores fall idle)


def expand(patterns: list[str]) -> list[Path]:
    """Articles matching the patterns (files or globs); metadata sidecars and non-text files are skipped."""
    return find_articles(patterns)[0]


def find_articles(patterns: list[str]) -> tuple[list[Path], list[dict]]:
    """Articles matching the patterns (files, folders or globs, ``**`` for any depth), and a "bad input" row for
    each linked folder below a pattern's literal part that the pattern would have found articles through.

    A pattern's literal part (``/tmp/arts`` in ``/tmp/arts/**/*.txt``) is the user's own path, links and all. Below
    it nothing is followed through a symbolic link: a linked article is refused by its render (a link in a batch's
    folder could publish any file the renderer can read), and a linked folder is refused here, for the same reason
    (``glob`` would follow it, and ``**`` goes round a link to a parent folder until the paths grow too long)."""
    found: dict[Path, None] = {}
    links: dict[str, dict] = {}
    for pattern in patterns:
        matches, linked = _glob(pattern)
        if not matches and not linked and os.path.lexists(pattern):
            matches = [(pattern, True)]  # a file named with glob's characters: 'a[1].txt'
        if not matches and not linked:
            raise InputError(f"{pattern}: matches no file")
        for link in linked:
            links.setdefault(link, _linked_folder_row(link, pattern))
        for m, literal in matches:
            p = Path(m)
            # absolute, but not resolved: a symbolic link stays a link, and render refuses it as bad input
            if p.is_dir() and (literal or not p.is_symlink()):
                for q in sorted(p.glob("*.txt")):
                    found[Path(os.path.abspath(q))] = None
            elif p.suffix == ".txt":
                found[Path(os.path.abspath(p))] = None
    if not found and not links:
        raise InputError(f"no article (.txt) matches {' '.join(patterns)}")
    return list(found), list(links.values())


def _linked_folder_row(link: str, pattern: str) -> dict:
    name = os.path.basename(link)
    try:
        target = f" (to {os.readlink(link)})"
    except OSError:
        target = ""
    return {"article": os.path.abspath(link), "slug": slugs.from_name(name) or name, "status": "bad input",
            "seconds": 0.0,
            "reason": f"a link to a folder{target}, found by {pattern!r}: a batch does not follow links below a "
                      "pattern's literal folders, as it does not render linked articles; nothing was rendered "
                      "from it (name the folder in the pattern itself to render its articles)"}


_MAGIC = re.compile(r"[*?[]")


def _glob(pattern: str) -> tuple[list[tuple[str, bool]], list[str]]:
    """``glob.glob(pattern, recursive=True)``, sorted, but never through a linked folder below the pattern's
    literal part: the matches (each with whether it is the literal pattern itself) and the linked folders that the
    pattern would have found an article through."""
    parts = Path(pattern).parts
    i = next((k for k, part in enumerate(parts) if _MAGIC.search(part)), len(parts))
    if i == len(parts):  # no wildcard: the path itself (which may be a link: the user's choice)
        return ([(pattern, True)] if os.path.lexists(pattern) else []), []
    base = str(Path(*parts[:i])) if i else ""
    links: list[str] = []

    def probe(link: str, rest: list[str]) -> None:
        # would the pattern find an article through this link? (without following any link beyond it)
        if any(_has_article(m) for m in _walk(link, rest, lambda *_: None)):
            links.append(link)

    matches = sorted(_walk(base, list(parts[i:]), probe))
    return [(m, False) for m in matches], links


def _has_article(path: str) -> bool:
    if os.path.isdir(path):
        return any(not name.startswith(".") and name.endswith(".txt") for name in _names(path))
    return path.endswith(".txt")


def _names(folder: str) -> list[str]:
    try:
        return sorted(os.listdir(folder or "."))
    except OSError:  # gone, not a folder, no permission: nothing there, as glob has it
        return []


def _walk(base: str, parts: list[str], on_link):
    """Paths below the folder ``base`` that match the components ``parts`` (glob's rules: ``**`` is any number of
    folders, a name starting with '.' only matches a component starting with '.'). A linked folder the match would
    go through (or end at) is not entered: ``on_link(path, parts left)`` is called instead."""
    if not parts:
        yield base
        return
    head, rest = parts[0], parts[1:]
    if head == "**":
        yield from _walk(base, rest, on_link)  # no folder at all
        for name in _names(base):
            path = os.path.join(base, name)
            if name.startswith("."):
                continue
            if os.path.islink(path):
                if os.path.isdir(path):
                    on_link(path, parts)
            elif os.path.isdir(path):
                yield from _walk(path, parts, on_link)
        return
    if _MAGIC.search(head):
        names = [n for n in _names(base) if fnmatch.fnmatch(n, head) and (head.startswith(".") or not n.startswith("."))]
    else:
        names = [head] if os.path.lexists(os.path.join(base, head)) else []
    for name in names:
        path = os.path.join(base, name)
        if os.path.islink(path) and os.path.isdir(path):
            on_link(path, rest)
        elif rest:
            if os.path.isdir(path):
                yield from _walk(path, rest, on_link)
        else:
            yield path


_TEMPLATE = None  # this worker process's kernel template, kept for all its articles
_TEMPLATE_LOCK = threading.Lock()


def _kernel_template(address: str | None = None):
    """Kernels for every article this worker renders are forked from one process that imported their libraries:
    the batch's shared template when it has one (local workers), else one the worker starts (Dask workers)."""
    global _TEMPLATE
    from . import kernels
    from .render import warm_kernel_template

    with _TEMPLATE_LOCK:
        if _TEMPLATE is None or not _TEMPLATE.alive():
            try:
                _TEMPLATE = kernels.TemplateClient(address) if address else warm_kernel_template()
            except OSError:
                _TEMPLATE = None  # kernels start the usual way
        return _TEMPLATE


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was listed: its render reports it
        return 0


def render_one(job: Job) -> dict:
    """Runs in a worker: render one article and report how it went, never raising."""
    from .errors import BriefingError
    from .render import LockedError, render

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


def _one_article_per_slug(articles: list[Path]) -> tuple[list[Path], list[dict]]:
    """Two articles with one slug (the same file name in two folders, or one sidecar ``slug``) would publish to
    one folder, the second silently replacing the first: the first in path order renders, the others are bad
    input. An article whose slug cannot be made is left to its render to report."""
    from .errors import BriefingError
    from .meta import load_meta, sidecar_for

    first: dict[str, Path] = {}
    keep, clashes = [], []
    for a in sorted(articles):
        try:
            slug = slugs.article_slug(a, load_meta(None, article_path=a).slug, sidecar_for(a))
        except BriefingError:
            keep.append(a)
            continue
        if slug in first:
            clashes.append({"article": str(a), "slug": slug, "status": "bad input", "seconds": 0.0,
                            "reason": f"its slug {slug!r} is also that of {first[slug]}, whose briefing it would "
                                      "replace; give one of them another 'slug' in its .meta.yaml"})
        else:
            first[slug] = a
            keep.append(a)
    return keep, clashes


def run_batch(patterns: list[str], out: str | Path | None = None, workers: int | None = None,
              scheduler: str | None = None, params_file: str | None = None, overrides: dict | None = None,
              processed_root: str | Path | None = None, quiet: bool = False) -> dict:
    """Render every article the patterns match; bad arguments raise InputError before anything is written.

    SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the batch: its local workers, their kernels and the kernel template
    end, nothing is published after, and then the signal has its usual effect (KeyboardInterrupt for SIGINT, the
    process's end for the others). A batch killed outright (SIGKILL) leaves no process behind either: the workers
    and the template watch it and end when it is gone."""
    from .params import load_params_file, merge
    from .publish import new_run_id, writable_folder

    _check_out(out, processed_root)
    if scheduler:
        _check_scheduler(scheduler)
    articles, refused = find_articles(patterns)
    # bad parameters (a --params file, -p values) are one error for the batch, before any worker starts
    merge(load_params_file(params_file) if params_file else None, overrides)
    out = writable_folder(out or paths.REPORTS_DIR, "--out")
    articles, clashes = _one_article_per_slug(articles)
    # longest articles first (size stands in for rendering time), so the batch does not end on one long article
    # while the other workers are idle
    articles = sorted(articles, key=lambda a: -_size(a))
    jobs = [Job(str(a), str(out), str(params_file) if params_file else None, dict(overrides or {}),
                str(processed_root) if processed_root else None) for a in articles]
    run_id = new_run_id()
    t0 = time.time()
    with _StopOnSignals() as stop:
        progress = _Progress(len(jobs), quiet)
        try:
            if not jobs:
                rows, where = [], "no worker (no article to render)"
            elif scheduler:
                rows = _on_dask(jobs, scheduler, progress)
                where = scheduler
            else:
                workers = workers or os.cpu_count() or 1
                rows = _local(jobs, workers, progress, stop)
                where = f"{workers} local worker process{'es' if workers != 1 else ''}"
        finally:
            progress.close()
        rows.extend(refused + clashes)
        rows.sort(key=lambda r: r["article"])
        summary = {"run_id": run_id, "where": where, "seconds": round(time.time() - t0, 2), "articles": rows,
                   "ok": all(r["status"] in ("rendered", "up to date") for r in rows)}
        with stop.deferred():  # a signal now waits until both files are whole
            _write_whole(out / f"batch-{run_id}.json", json.dumps(summary, indent=2) + "\n")
            write_index(out)
    return summary


def _check_out(out, processed_root) -> None:
    """The batch's --out is refused up front when a render would refuse it for every article: the tables' folder,
    inside it or around it (nothing is written then, not even the summary or the index)."""
    try:
        reports = Path(out or paths.REPORTS_DIR).resolve()
        processed = Path(processed_root or paths.PROCESSED_DIR).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
        raise InputError(f"--out: {out} cannot be used ({getattr(exc, 'strerror', None) or exc})") from None
    check_apart(reports, processed)


def _check_scheduler(address: str) -> None:
    """A Dask scheduler address, checked before anything else: ``tcp://host:port`` (or tls, ws, wss, ucx)."""
    try:
        from distributed.comm import parse_address, parse_host_port, registry
    except ImportError:
        raise InputError("--scheduler needs dask.distributed: pip install 'briefing[cluster]'") from None
    example = "give the scheduler's address, e.g. tcp://10.0.0.5:8786"
    try:
        scheme, location = parse_address(address)
        if scheme not in registry.backends or scheme == "inproc":  # inproc: only within one process
            known = ", ".join(sorted(set(registry.backends) - {"inproc"}))
            raise ValueError(f"unknown scheme {scheme!r}; Dask's are {known}")
        _, port = parse_host_port(location)
        if port is None or not 0 < int(port) < 65536:
            raise ValueError("no port number, or not one from 1 to 65535")
    except (ValueError, TypeError) as exc:
        raise InputError(f"--scheduler: {address!r} is not a Dask scheduler address ({exc}); {example}") from None


def _write_whole(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def schedule(jobs: list[Job], template: str | None, cores: int) -> list[Job]:
    """Jobs as local workers take them, in order: every kernel forked from ``template``; the last ``cores - 1``
    articles to start find fewer articles left than cores, so they run notebooks 02 and 03 side by side (as
    ``briefing render`` does) and the end of the batch does not leave cores idle while they finish."""
    import dataclasses

    tail = len(jobs) - max(cores - 1, 0)
    return [dataclasses.replace(j, kernel_template=template, parallel=i >= tail) for i, j in enumerate(jobs)]


# --- stopping -------------------------------------------------------------------------------------------------

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
      kernels, when the batch is gone (see :func:`_worker_started`)."""

    def __init__(self):
        from . import kernels

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
        from . import kernels

        kernels._remove_folder(self.folder, self._lock_fd)


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


def _shared_template(folder: str):
    """The batch's kernel template, in the batch's folder (see render.warm_kernel_template)."""
    from . import kernels
    from .render import NB1, WARM_UP

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


# --- in a worker -----------------------------------------------------------------------------------------------

def _worker_started(watch, folder: str, tmp: str) -> None:
    """Runs first in every local worker: Ctrl-C is the batch's to handle (the terminal sends it to every process
    of the group), SIGTERM ends the worker with its kernels, and so does the batch's end (even by SIGKILL: the
    pipe ``watch`` closes). Its temporary files, and its kernels', go in the batch's folder."""
    import tempfile

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
    from . import kernels

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


# what every worker needs, imported once by the fork server instead of once per worker (papermill, nbconvert and
# WeasyPrint are some 2.5 CPU-seconds); briefing.render first, so that its import settings apply
WORKER_PRELOAD = ["briefing.render", "papermill", "nbconvert", "briefing.weasy", "briefing.batch"]


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


def _on_dask(jobs: list[Job], scheduler: str, progress) -> list[dict]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise InputError("--scheduler needs dask.distributed: pip install 'briefing[cluster]'") from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"--scheduler: cannot reach {scheduler} ({exc})") from None
    except ValueError as exc:
        raise InputError(f"--scheduler: {scheduler!r} is not a Dask scheduler address ({exc})") from None
    rows = []
    with client:
        futures = client.map(render_one, jobs, pure=False)
        try:
            for f in as_completed(futures):
                rows.append(f.result())
                progress.update(rows[-1])
        except BaseException:
            # stopped: articles not yet started are cancelled (one a cluster worker is rendering runs to its end:
            # Dask cannot interrupt a running task)
            client.cancel(futures)
            raise
    return rows


class _Progress:
    def __init__(self, total: int, quiet: bool):
        self.total, self.done, self.quiet = total, 0, quiet
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="article", file=sys.stderr)

    def update(self, row: dict) -> None:
        self.done += 1
        if self.bar:
            self.bar.set_postfix_str(f"{row['slug'][:30]}: {row['status']}")
            self.bar.update(1)
        elif not self.quiet:
            print(f"[{self.done}/{self.total}] {row['slug']}: {row['status']} ({row['seconds']:.1f}s)", file=sys.stderr,
                  flush=True)

    def close(self) -> None:
        if self.bar:
            self.bar.close()


def format_table(summary: dict) -> str:
    rows = summary["articles"]
    w = max([len("article")] + [len(r["slug"]) for r in rows])
    lines = [f"{'article':<{w}}  {'status':<10}  {'seconds':>7}  reason", "-" * (w + 34)]
    for r in rows:
        lines.append(f"{r['slug']:<{w}}  {r['status']:<10}  {r['seconds']:>7.1f}  {r['reason']}")
    n_ok = sum(r["status"] in ("rendered", "up to date") for r in rows)
    lines.append(f"{n_ok} of {len(rows)} briefings ready in {summary['seconds']:.1f}s on {summary['where']}")
    return "\n".join(lines)


# --- the index page ---------------------------------------------------------------------------------------

INDEX_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1a1a1a;margin:0;background:#fff}
main{max-width:60rem;margin:0 auto;padding:2rem 1.25rem}
h1{font-size:1.8rem;margin:0 0 .3rem} p.dek{color:#5a5a5a;margin:0 0 1.5rem}
ul.list{list-style:none;padding:0;margin:0} ul.list>li{border-top:1px solid #d9d9d9;padding:1rem 0}
ul.figs{margin:.3rem 0 .5rem;padding-left:1.2rem;font-size:.92rem} ul.figs li{padding:.1rem 0}
h2 a{color:#1a1a1a}
h2{font-size:1.15rem;margin:0 0 .2rem} .meta{color:#5a5a5a;font-size:.9rem;margin:0 0 .4rem}
.links a{margin-right:1rem;color:#0072B2}
"""


def index_link(folder: str) -> str:
    """A relative link to a briefing's folder, safe in an href whatever the folder is called: percent-encoded, so
    a name like ``javascript:alert(1)`` becomes the path ``javascript%3Aalert%281%29/``, never a scheme. (The index lists
    only folders named as slugs, letters, digits, '-' and '_'; this is a second guard.)"""
    return escape(quote(folder, safe="") + "/")


def write_index(reports: Path) -> Path:
    """reports/index.html: every briefing in the folder, newest article first; static, opens from disk."""
    items = []
    for summary_file in sorted(reports.glob("*/summary.json")):
        if not slugs.is_slug(summary_file.parent.name):
            continue  # a render's staging folder (hidden), or a folder a person made
        try:
            s = json.loads(summary_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(s, dict):
            continue
        items.append((s.get("published") or "", s, summary_file.parent.name))
    items.sort(key=lambda t: (t[0], t[2]), reverse=True)
    lis = []
    for _, s, folder in items:
        meta = " · ".join(str(x) for x in (s.get("outlet"), s.get("published")) if x)
        figs = "".join(f"<li>{escape(str(k))}</li>" for k in s.get("key_figures", [])[:4])
        link = index_link(folder)
        lis.append(
            f'<li><h2><a href="{link}briefing.html">{escape(str(s.get("title") or folder))}</a></h2>'
            f'<p class="meta">{escape(meta) or "outlet and date not given"}</p>'
            + (f'<ul class="figs">{figs}</ul>' if figs else "")
            + f'<p class="links"><a href="{link}briefing.html">HTML</a>'
              f'<a href="{link}briefing.pdf">PDF</a><a href="{link}manifest.json">manifest</a></p></li>')
    html = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Briefings</title>"
            f"<style>{INDEX_CSS}</style></head><body><main><h1>Briefings</h1>"
            f"<p class=\"dek\">{len(items)} briefing{'s' if len(items) != 1 else ''}</p><ul class=\"list\">{''.join(lis)}</ul>"
            "</main></body></html>\n")
    target = reports / "index.html"
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, target)
    return target
