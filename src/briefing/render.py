"""Render a briefing: execute the four notebooks with papermill, then HTML (nbconvert) and PDF (WeasyPrint).

- **Validated first.** Parameters and input files are checked before any kernel starts (exit code 2).
- **Incremental.** Each stage has a key: a hash of what it depends on (its notebook, parameters, the input and
  reference files it reads, the outputs of the stages before it, and the package's code and template). A stage
  whose key and outputs are unchanged since the last good render is not run again; ``force`` re-runs all.
- **Atomic.** The run builds in a staging folder and replaces ``reports/<slug>/`` by renaming only when every
  stage and both documents succeeded. A failed run leaves the last good briefing untouched and keeps its
  notebooks and log under ``reports/<slug>/failed/<run-id>/``.
- **Locked.** One render per slug at a time (exit code 75 for the second, after ``wait`` seconds).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, kernels, nofollow, paths, slugs
from .errors import InputError, LockedError, StageError  # noqa: F401 (LockedError: for callers)
from .cachekeys import PROCESSED_OUTPUTS, StageCache, code_hash, sha256_file
from .documents import font_subsetter_notice, preload_libraries, to_html, to_pdf, versions
from .locks import render_locks
from .publish import check_apart, leftovers, new_run_id, prune_failed, publish, recover, writable_folder
from .subsetter import font_subsetter
from .timelimit import time_limit
from .meta import ArticleMeta, load_meta, sidecar_for

os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")  # the project's kernel, not a user-level one
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# nbformat (under papermill and nbconvert) imports jsonschema, which imports rfc3987-syntax when it is installed
# (jupyterlab's dependencies install it); that package builds a Lark grammar at import, about 2 s of CPU per process
# (python-jsonschema/jsonschema#1392 and #1521). Nothing here checks IRI formats, so it is not loaded.
sys.modules.setdefault("rfc3987_syntax", None)

NB1, NB2, NB3, NB4 = paths.NOTEBOOKS
STAGES = [NB1, NB2, NB3, NB4, "html", "pdf"]


@dataclass
class RenderResult:
    slug: str
    out_dir: Path
    html: Path
    pdf: Path
    manifest: dict
    stages: list = field(default_factory=list)
    up_to_date: bool = False


class Reporter:
    """Progress for people (plain lines), for machines (JSON lines) or nothing (quiet)."""

    def __init__(self, quiet: bool = False, log_json: bool = False):
        self.quiet, self.log_json = quiet, log_json
        self.stream = sys.stderr
        self.t0 = time.time()

    def event(self, event: str, **fields) -> None:
        if self.log_json:
            fields.pop("message", None)
            print(json.dumps({"event": event, "elapsed": round(time.time() - self.t0, 2), **fields}, sort_keys=True),
                  file=self.stream, flush=True)
        elif not self.quiet and fields.get("message"):
            print(fields["message"], file=self.stream, flush=True)

    @property
    def bar(self) -> bool:
        return not self.quiet and not self.log_json and self.stream.isatty()


class _KernelOutputToLog:
    """Send what kernels write to the process's stderr (fd 2) into the run's log, not the user's terminal."""

    def __init__(self, log: Path, reporter: Reporter):
        self.log, self.reporter = log, reporter

    def __enter__(self):
        sys.stderr.flush()
        self.saved = os.dup(2)
        self.fh = open(self.log, "ab")
        os.dup2(self.fh.fileno(), 2)
        self.console = os.fdopen(os.dup(self.saved), "w")
        self._old, sys.stderr = sys.stderr, self.console  # our own progress still reaches the terminal
        self._old_stream, self.reporter.stream = self.reporter.stream, self.console
        return self

    def __exit__(self, *exc):
        sys.stderr.flush()
        sys.stderr = self._old
        self.reporter.stream = self._old_stream
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.console.close()
        self.fh.close()


# --- the render ------------------------------------------------------------------------------------------

def render(article: str | Path | None = None, out: str | Path | None = None, overrides: dict | None = None,
           quiet: bool = False, timeout: int | None = None, processed_root: str | Path | None = None,
           wait: float = 0.0, force: bool = False, params_file: str | Path | None = None,
           log_json: bool = False, parallel: bool = True,
           kernel_template: "kernels.KernelTemplate | None" = None) -> RenderResult:
    """Render one article. Raises InputError (bad input, exit 2), StageError (exit 1) or LockedError (exit 75).

    ``parallel``: run notebooks 02 and 03 side by side. ``kernel_template``: fork kernels from this (a batch
    worker keeps one for all its articles); by default the render starts its own and closes it at the end."""
    wait = check_wait(wait)
    job = prepare(article, out, overrides, timeout, processed_root, params_file)
    reporter = Reporter(quiet, log_json)
    for warning in job.warnings:
        reporter.event("warning", message=f"warning: {warning}", warning=warning)
    with render_locks(job.reports, job.processed_root, job.slug, wait):
        _refuse_links(job)  # again, now that no other render of ours can be changing the trees
        recover(job.reports, job.slug)  # a briefing left in .old-* by a render killed while it published
        for stale in leftovers(job.reports, job.slug):
            nofollow.remove(stale)  # left by a killed run: we hold the lock, so nobody uses it
        return _Run(job.article, job.meta, job.values, job.slug, job.reports, slugs.folder(job.processed_root, job.slug),
                    reporter, force, parallel, kernel_template).run()


MAX_WAIT = 86_400.0  # a day, as for the timeout: longer is a mistake (1e400 once meant for ever)


def check_wait(wait) -> float:
    """``--wait`` as seconds from 0 to a day; anything else (negative, nan, inf) is an InputError."""
    try:
        value = float(wait)
    except (TypeError, ValueError):
        value = float("nan")
    if not 0 <= value <= MAX_WAIT:  # False for nan too
        raise InputError(f"--wait: must be a number of seconds from 0 to {MAX_WAIT:,.0f}, not {wait!r}")
    return value


@dataclass(frozen=True)
class Job:
    article: Path
    meta: "ArticleMeta"
    values: dict
    slug: str
    reports: Path
    processed_root: Path
    warnings: tuple[str, ...] = ()  # about the article's encoding: decoded as Windows-1252, repaired, ...


def prepare(article=None, out=None, overrides=None, timeout=None, processed_root=None, params_file=None) -> Job:
    """Everything a render checks before it takes a lock or starts a kernel: the article, its sidecar and case
    file, the parameters, the slug and the folders. Bad input raises InputError here, and nothing is written but
    the two folders (made when missing)."""
    from . import params as P
    from .text import read_article

    for what, value in (("--article", article), ("--out", out), ("processed folder", processed_root),
                        ("--params", params_file)):
        paths.check_name(value, what)
    article = Path(article or paths.SEED_ARTICLE)
    text = read_article(article)  # a symbolic link is refused here, before it is resolved
    article = article.resolve()
    overrides = dict(overrides or {})
    if timeout is not None:
        overrides.setdefault("timeout", timeout)
    meta = load_meta(None, article_path=article)
    case_warnings: list[str] = []  # what the case file's loader removed (notebook 03 reads the same cleaned values)
    values = P.validate(P.merge(P.load_params_file(params_file) if params_file else None, overrides), meta.case,
                        case_warnings)
    slug = slugs.article_slug(article, meta.slug, sidecar_for(article))
    reports = writable_folder(out or paths.REPORTS_DIR, "--out")
    processed_root = writable_folder(processed_root or paths.PROCESSED_DIR, "processed folder")
    target = reports / slug
    job = Job(article, meta, values, slug, reports, processed_root, tuple(text.warnings) + meta.warnings
              + tuple(case_warnings))
    _refuse_links(job)
    # an earlier briefing, or only the notebooks of failed runs kept under failed/ (a first render that failed)
    earlier = target.is_dir() and ((target / "manifest.json").is_file()
                                   or all(p.name == "failed" and p.is_dir() and not p.is_symlink()
                                          for p in target.iterdir()))
    if target.exists() and not earlier:
        # publishing replaces reports/<slug>/ whole: never a folder that is not an earlier briefing
        raise InputError(f"--out: {target} exists and is not a briefing (no manifest.json); the briefing would "
                         "replace it whole; choose another --out, or move the folder")
    check_apart(reports, processed_root)
    return job


def _refuse_links(job: Job) -> None:
    """The two trees a render takes over hold no link it could be made to write through (see ``nofollow``)."""
    nofollow.refuse_links(job.reports / job.slug, "--out")
    nofollow.refuse_links(job.processed_root / job.slug, "processed folder")
    for folder, what in ((job.reports, "--out"), (job.processed_root, "processed folder")):
        nofollow.refuse_links(folder / f".{job.slug}.lock", what)  # the lock's own open refuses one planted later


class _Run:
    def __init__(self, article, meta, values, slug, reports, processed, reporter, force, parallel=True,
                 kernel_template=None):
        self.parallel = parallel
        self.template, self.own_template = kernel_template, kernel_template is None
        self.template_tried = False
        # what the template loads after each of this render's first kernels is forked, while it runs: the later
        # notebooks' imports, then, in a template that serves many articles (handed in), the extractor's warm-up
        # (a channel sends each statement once, so later articles ask for nothing)
        self.preloads = [WARM_UP_ALL] + ([] if self.own_template else [WARM_UP_EXTRACTOR])
        self.article, self.meta, self.values, self.slug = article, meta, values, slug
        self.reports, self.processed, self.reporter, self.force = reports, processed, reporter, force
        self.out_dir = slugs.folder(reports, slug)
        self.run_id = new_run_id()
        self.stages: dict[str, dict] = {}
        self.public = _public_params(values, article)
        self.cache = StageCache(article, meta, values, self.public, processed, self.out_dir, force, self.stages)
        self.previous = self.cache.previous

    # keys and outputs ---------------------------------------------------------------------------------
    def _nb_params(self, name: str) -> dict:
        v, proc = self.values, str(self.processed)
        return {
            NB1: {"article": str(self.article), "meta": "", "processed_dir": proc},
            NB2: {"processed_dir": proc, "reference_dir": str(paths.REFERENCE_DIR), "deflator": v["deflator"],
                  "base_year": v["base_year"]},
            NB3: {"processed_dir": proc, "case": v["case"], "comparators": v["comparators"]},
            NB4: {"processed_dir": proc, "render_params": json.dumps(self.public, sort_keys=True)},
        }[name]

    # running ------------------------------------------------------------------------------------------
    def run(self) -> RenderResult:
        started = time.time()
        staging = self.reports / f".staging-{self.slug}-{self.run_id}"
        staging.mkdir()
        try:
            with _KernelOutputToLog(staging / "render.log", self.reporter):
                try:
                    self._start_workers(staging)
                    self._stage_notebooks(staging, [NB1])
                    preload = None
                    if self.workers:  # a parallel cold run: load the document libraries while kernels 02-04 work
                        preload = threading.Thread(target=preload_libraries, daemon=True)
                        preload.start()
                    self._stage_notebooks(staging, [NB2, NB3])
                    self._stage_notebooks(staging, [NB4])
                    if preload is not None:
                        preload.join()
                    self._stage_document(staging, "html")  # while the kernels shut down
                    self._stage_document(staging, "pdf")
                finally:
                    self._stop_workers()
        except BaseException as exc:
            failed = self.out_dir / "failed" / self.run_id
            failed.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging, failed)
            prune_failed(failed.parent)
            if isinstance(exc, StageError):
                raise StageError(f"{exc} (notebooks and log kept in {_rel(failed)}; the last good briefing is "
                                 f"unchanged)") from None
            raise
        stage_list = [self.stages[s] for s in STAGES]
        if all(s["cached"] for s in stage_list):
            shutil.rmtree(staging)
            prev = json.loads((self.out_dir / "manifest.json").read_text(encoding="utf-8"))
            self.reporter.event("done", status="up to date", slug=self.slug, seconds=round(time.time() - started, 2),
                                message=f"{self.slug}: up to date ({_rel(self.out_dir / 'briefing.pdf')})")
            return RenderResult(self.slug, self.out_dir, self.out_dir / "briefing.html", self.out_dir / "briefing.pdf",
                                prev, stage_list, up_to_date=True)
        manifest = {
            "run_id": self.run_id, "slug": self.slug, "briefing_version": __version__, "python": sys.version.split()[0],
            "parameters": self.public,
            "inputs": {"article": {"path": _rel(self.article), "sha256": sha256_file(self.article)}},
            "reference": {p.name: sha256_file(p) for p in sorted(paths.REFERENCE_DIR.iterdir()) if p.is_file()},
            "stages": stage_list, "seconds": round(time.time() - started, 2), "up_to_date": False,
            "rendered_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "outputs": {n: sha256_file(staging / n) for n in ("briefing.html", "briefing.pdf")},
            "code": code_hash(), "versions": versions(), "pdf_font_subsetter": font_subsetter(),
        }
        side = sidecar_for(self.article)
        if side.exists():
            manifest["inputs"]["meta"] = {"path": _rel(side), "sha256": sha256_file(side)}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        # written by notebook 04; when 04 did not run, the published copy that belongs with its notebook (the
        # processed folder may have lost it since, e.g. to a killed run whose notebook 01 started afresh)
        summary = self.out_dir if self.stages[NB4]["cached"] else self.processed / "briefing"
        shutil.copy2(summary / "summary.json", staging / "summary.json")
        publish(staging, self.out_dir)
        self.reporter.event("done", status="rendered", slug=self.slug, seconds=manifest["seconds"],
                            message=f"rendered {_rel(self.out_dir / 'briefing.html')} and briefing.pdf "
                                    f"in {manifest['seconds']:.1f}s")
        return RenderResult(self.slug, self.out_dir, self.out_dir / "briefing.html", self.out_dir / "briefing.pdf",
                            manifest, stage_list)

    def _ensure_template(self, first: str) -> None:
        """One process imports what the kernels need; each notebook's kernel is forked from it. It loads what
        ``first`` needs, then (after that kernel is forked) what the others need."""
        if self.template is None and self.own_template and not self.template_tried:
            self.template_tried = True
            self.template = warm_kernel_template(first=first)  # None: kernels start the ordinary way

    def _start_workers(self, staging: Path) -> None:
        """One thread per notebook. Each starts its kernel (and the notebook's imports) at once, so kernels for
        02-04 warm up while 01 runs; then it waits to be told to run its notebook or to skip it. Not parallel:
        nothing starts early; each notebook's kernel starts when the notebook is about to run."""
        likely = self.force or not self.cache.cached(NB1, self.cache.key(NB1))
        if not likely or not self.parallel:  # 01 unchanged: the others' keys can be known now; start only those
            self.workers = {}
            return
        self._ensure_template(NB1)
        import papermill  # noqa: F401  (here, not in a worker thread where it would slow the first notebook)
        # kernels start one wave at a time (01; then 02 and 03; then 04), so 01's is not slowed by the others
        w1 = _NotebookWorker(self, NB1, staging)
        w2, w3 = _NotebookWorker(self, NB2, staging, [w1]), _NotebookWorker(self, NB3, staging, [w1])
        w4 = _NotebookWorker(self, NB4, staging, [w2, w3])
        self.workers = {NB1: w1, NB2: w2, NB3: w3, NB4: w4}
        for w in self.workers.values():
            w.start()

    def _stop_workers(self) -> None:
        for w in getattr(self, "workers", {}).values():
            if not w.go.is_set():
                w.decision = "skip"
                w.go.set()
        for w in getattr(self, "workers", {}).values():
            w.join(timeout=120)
        if self.own_template and self.template is not None:
            self.template.close()
            self.template = None

    def _stage_notebooks(self, staging: Path, names: list[str]) -> None:
        todo = []
        for name in names:
            k = self.cache.key(name)
            if self.cache.cached(name, k):
                shutil.copy2(self.out_dir / name, staging / name)
                self.stages[name] = {"stage": name, "key": k, "outputs": self.previous[name]["outputs"],
                                     "seconds": 0.0, "cached": True}
                self.reporter.event("stage", stage=name, status="cached", message=f"  {name}: unchanged, not re-run")
                if name in self.workers:
                    self.workers[name].decision = "skip"
                    self.workers[name].go.set()
            else:
                todo.append((name, k))
        if not todo:
            return
        progress = self.reporter.bar and len(todo) == 1
        for name, _ in todo:
            self.reporter.event("stage", stage=name, status="start", message=f"  {name}: executing")
        if len(todo) == 1 or not self.parallel:
            results = [self._run_worker(name, staging, progress) for name, _ in todo]
        else:  # 02 and 03 depend only on 01: run them side by side, each in its own kernel
            for name, _ in todo:
                w = self._worker(name, staging)
                w.decision = "run"
                w.go.set()
            results = [self._run_worker(name, staging, False) for name, _ in todo]
        for (name, k), seconds in zip(todo, results):
            self.stages[name] = {"stage": name, "key": k, "outputs": self.cache.processed_hash(name) if name in PROCESSED_OUTPUTS
                                 else sha256_file(staging / name), "seconds": seconds, "cached": False,
                                 "kernel": self.workers[name].kernel}
            self.reporter.event("stage", stage=name, status="done", seconds=seconds,
                                message=f"  {name}: done in {seconds:.1f}s")

    def _worker(self, name: str, staging: Path) -> "_NotebookWorker":
        if name not in self.workers:
            self._ensure_template(name)
            w = self.workers[name] = _NotebookWorker(self, name, staging)
            w.start()
        return self.workers[name]

    def _run_worker(self, name: str, staging: Path, progress: bool) -> float:
        w = self._worker(name, staging)
        if not w.go.is_set():
            w.progress = progress
            w.decision = "run"
            w.go.set()
        w.done.wait()
        if w.error is not None:
            raise w.error
        return w.seconds

    def _execute(self, name: str, staging: Path, progress: bool, km=None) -> float:
        import papermill as pm
        from papermill.exceptions import PapermillExecutionError

        from . import engine

        t0 = time.time()
        extra = {"km": km} if km is not None else {"cwd": str(paths.NOTEBOOKS_DIR),
                                                   "extra_arguments": kernels.kernel_args()}
        try:
            pm.execute_notebook(str(paths.NOTEBOOKS_DIR / name), str(staging / name), parameters=self._nb_params(name),
                                kernel_name="python3", progress_bar=progress, log_output=False,
                                execution_timeout=self.values["timeout"],
                                # written once at the end (or on an error), not twice per cell: nobody watches
                                # a staging copy fill in, and each write re-validated the whole notebook
                                request_save_on_cell_execute=False, engine_name=engine.NAME,
                                save_on_failure=str(staging / name), **extra)
        except PapermillExecutionError as exc:
            raise StageError(f"{name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}") from None
        except Exception as exc:  # a kernel that died or timed out, a missing kernel, ...
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise StageError(f"{name} could not run: {type(exc).__name__}: {msg}") from None
        return round(time.time() - t0, 2)

    def _make_document(self, staging: Path, kind: str, name: str) -> None:
        if kind == "html":
            (staging / name).write_text(to_html(staging / NB4, self.meta, self.slug), encoding="utf-8")
        else:
            font_subsetter_notice(self.reporter)
            warnings = to_pdf((staging / "briefing.html").read_text(encoding="utf-8"), staging / name,
                              base_url=str(staging))
            if warnings:
                with open(staging / "render.log", "a", encoding="utf-8") as log:
                    log.writelines(f"[WeasyPrint] WARNING | {w}\n" for w in warnings)

    def _stage_document(self, staging: Path, kind: str) -> None:
        name = f"briefing.{kind}"
        if kind == "pdf":
            self.stages["html"]["outputs"] = sha256_file(staging / "briefing.html")
        k = self.cache.key(kind)
        if self.cache.cached(kind, k):
            shutil.copy2(self.out_dir / name, staging / name)
            self.stages[kind] = {"stage": kind, "key": k, "outputs": self.previous[kind]["outputs"], "seconds": 0.0,
                                 "cached": True}
            self.reporter.event("stage", stage=kind, status="cached", message=f"  {name}: unchanged")
            return
        t0 = time.time()
        self.reporter.event("stage", stage=kind, status="start",
                            message=f"  {name}: {'rendering (nbconvert)' if kind == 'html' else 'printing (WeasyPrint)'}")
        try:
            with time_limit(self.values["timeout"], name):
                self._make_document(staging, kind, name)
        except Exception as exc:
            raise StageError(f"{name} could not be made: {type(exc).__name__}: {exc}") from None
        seconds = round(time.time() - t0, 2)
        self.stages[kind] = {"stage": kind, "key": k, "outputs": sha256_file(staging / name), "seconds": seconds,
                             "cached": False}
        self.reporter.event("stage", stage=kind, status="done", seconds=seconds, message=f"  {name}: done in {seconds:.1f}s")


# what each notebook imports, loaded while its kernel waits for the notebooks before it (and once, in the kernel
# template, for all kernels). pandera loads its pandas backends (and with them hypothesis, when installed: some
# 0.5 CPU-seconds) at a schema's first validation, so an empty one is validated here; pandas imports its CSV and
# text writers at first use.
WARM_UP = {
    NB1: "import pandas, pandera.pandas, IPython.display, briefing.extract, briefing.frames, pandas.io.formats.style, "
         "pandas.io.formats.csvs, pandas.io.formats.string; pandera.pandas.DataFrameSchema().validate(pandas.DataFrame())",
    NB2: "import pandas, matplotlib.pyplot, IPython.display, briefing.stages, briefing.charts, briefing.explore, "
         "briefing.frames, pandas.io.formats.style",
    NB3: "import pandas, matplotlib.pyplot, IPython.display, briefing.stages, briefing.charts, briefing.explore, "
         "briefing.frames, pandas.io.formats.style",
    NB4: "import pandas, IPython.display, briefing.report, briefing.explore, pandas.io.formats.html",
}
WARM_UP_ALL = "; ".join(WARM_UP.values())
# and for a template that forks the kernels of many articles (a batch's): notebook 01's extraction, run once on a
# made-up article, so that every kernel starts with its regular expressions compiled and its schemas built
WARM_UP_EXTRACTOR = "import briefing.extract; briefing.extract.warm_up()"


def warm_kernel_template(shared: bool = False, first: str = NB1) -> "kernels.KernelTemplate | None":
    """A kernel template loading what notebook ``first`` imports (the rest loads while that notebook's kernel
    runs, see ``_Run.preloads``); None when forking kernels is turned off or the template cannot start.
    ``shared``: other processes on this machine can fork kernels from it too (see ``kernels.TemplateClient``)."""
    if not kernels.ENABLED:
        return None
    template = None
    try:
        template = kernels.KernelTemplate(cwd=str(paths.NOTEBOOKS_DIR), shared=shared)
        template.preload(WARM_UP[first])
        return template
    except Exception:
        if template is not None:  # e.g. it died at start: its process and socket folder go too
            template.close()
        return None


class _NotebookWorker(threading.Thread):
    """Runs one notebook in a kernel it started early, in its own thread (a kernel's client is bound to the
    event loop of the thread that made it)."""

    def __init__(self, run: "_Run", name: str, staging: Path, after: list | None = None):
        super().__init__(name=f"briefing-{name}", daemon=True)
        self.runner, self.nb, self.staging = run, name, staging
        self.after = after or []
        self.ready = threading.Event()  # this worker's kernel is up (or failed to start)
        self.go = threading.Event()
        self.done = threading.Event()  # the notebook ran (or failed, or was skipped)
        self.kernel = ""  # how its kernel started: forked (from the template), started (the usual way)
        self.decision = ""
        self.progress = False
        self.error: BaseException | None = None
        self.seconds = 0.0

    def _start_kernel(self):
        from jupyter_core.utils import run_sync

        template = self.runner.template
        km = kernels.kernel_manager(template, log=str(self.staging / "render.log"), kernel_name="python3")
        run_sync(km.start_kernel)(cwd=str(paths.NOTEBOOKS_DIR), extra_arguments=kernels.kernel_args())
        try:
            if template is not None:  # while this kernel runs (two threads may get here at once: pop, not check)
                try:
                    template.preload(self.runner.preloads.pop(0))
                except IndexError:
                    pass
            if not self.runner.parallel:  # the notebook runs at once: nothing to warm up while waiting for it
                return km
            kc = km.client()
            kc.start_channels()
            try:
                run_sync(kc.wait_for_ready)(timeout=60)
                # silent, no history, a throwaway namespace: the notebook's counts, outputs and names are unchanged
                run_sync(kc.execute_interactive)(f"exec({WARM_UP[self.nb]!r}, {{}})", silent=True, store_history=False,
                                                 timeout=60)
            finally:
                kc.stop_channels()
        except Exception:  # it did not come up (or the template is gone): no polite shutdown
            run_sync(km.shutdown_kernel)(now=True)
            raise
        return km

    def run(self) -> None:
        from jupyter_core.utils import run_sync

        km = None
        for w in self.after:
            w.ready.wait(timeout=120)
        try:
            if not (self.go.is_set() and self.decision == "skip"):
                km = self._start_kernel()
                self.kernel = "forked" if isinstance(km.provisioner.process, kernels.ForkedKernelProcess) else "started"
        except Exception:
            km = None  # papermill will start a kernel itself
            self.kernel = "started by papermill"
        finally:
            self.ready.set()
            self.runner.reporter.event("kernel", stage=self.nb, status="ready" if km is not None else "not started")
        self.go.wait()
        try:
            if self.decision == "run":
                self.seconds = self.runner._execute(self.nb, self.staging, self.progress, km=km)
        except BaseException as exc:
            self.error = exc
        finally:
            self.done.set()  # the next stage can start while this kernel shuts down
            if km is not None:  # papermill leaves a kernel it was given running
                try:
                    km.stop_clients()
                    run_sync(km.shutdown_kernel)(now=self.error is not None)
                except Exception:
                    pass


_rel = paths.relative


def _public_params(params: dict, article: Path) -> dict:
    """Parameters as shown to readers: paths relative to the project, so documents do not depend on where it lives."""
    out = {"article": _rel(article)}
    for k, v in params.items():
        if k == "timeout":
            continue
        out[k] = _rel(Path(v)) if k in ("case", "comparators") and v else v
    return out


