"""A batch from start to end: check the arguments, find the articles, render them (locally or on a Dask cluster)
with progress, then write the run's summary and the index page; and the summary as a table."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from .. import paths
from ..errors import InputError
from ..publish import check_apart
from .articles import _one_article_per_slug, find_articles
from .cluster import _check_scheduler, _on_dask
from .index import write_index
from .local import _local
from .stopping import _StopOnSignals
from .worker import Job


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was listed: its render reports it
        return 0


def run_batch(patterns: list[str], out: str | Path | None = None, workers: int | None = None,
              scheduler: str | None = None, params_file: str | None = None, overrides: dict | None = None,
              processed_root: str | Path | None = None, quiet: bool = False) -> dict:
    """Render every article the patterns match; bad arguments raise InputError before anything is written.

    SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the batch: its local workers, their kernels and the kernel template
    end, nothing is published after, and then the signal has its usual effect (KeyboardInterrupt for SIGINT, the
    process's end for the others). A batch killed outright (SIGKILL) leaves no process behind either: the workers
    and the template watch it and end when it is gone."""
    from ..params import load_params_file, merge
    from ..publish import new_run_id, writable_folder

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

def _write_whole(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


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
