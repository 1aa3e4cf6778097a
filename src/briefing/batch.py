"""Many articles: render each matching article in parallel, locally or on a Dask cluster, then index them.

Each article goes through :func:`briefing.render.render` unchanged (incremental, atomic, locked), in a worker
process of its own; one article failing never stops the others. The run writes ``reports/batch-<run-id>.json``
and regenerates ``reports/index.html``.
"""

from __future__ import annotations

import glob
import json
import os
import sys
import threading
import time
from dataclasses import dataclass
from html import escape
from urllib.parse import quote
from pathlib import Path

from . import paths, slugs
from .errors import EXIT_BAD_INPUT, InputError


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
    found: dict[Path, None] = {}
    for pattern in patterns:
        matches = sorted(glob.glob(pattern, recursive=True)) or ([pattern] if Path(pattern).exists() else [])
        if not matches:
            raise InputError(f"{pattern}: matches no file")
        for m in matches:
            p = Path(m)
            # absolute, but not resolved: a symbolic link stays a link, and render refuses it as bad input
            if p.is_dir() and not p.is_symlink():
                for q in sorted(p.glob("*.txt")):
                    found[Path(os.path.abspath(q))] = None
            elif p.suffix == ".txt":
                found[Path(os.path.abspath(p))] = None
    if not found:
        raise InputError(f"no article (.txt) matches {' '.join(patterns)}")
    return list(found)


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
    from .params import load_params_file, merge
    from .publish import new_run_id, writable_folder

    articles = expand(patterns)
    out = writable_folder(out or paths.REPORTS_DIR, "--out")
    # bad parameters (a --params file, -p values) are one error for the batch, before any worker starts
    merge(load_params_file(params_file) if params_file else None, overrides)
    articles, clashes = _one_article_per_slug(articles)
    # longest articles first (size stands in for rendering time), so the batch does not end on one long article
    # while the other workers are idle
    articles = sorted(articles, key=lambda a: -_size(a))
    jobs = [Job(str(a), str(out), str(params_file) if params_file else None, dict(overrides or {}),
                str(processed_root) if processed_root else None) for a in articles]
    run_id = new_run_id()
    t0 = time.time()
    progress = _Progress(len(jobs), quiet)
    if scheduler:
        rows = _on_dask(jobs, scheduler, progress)
        where = scheduler
    else:
        workers = workers or os.cpu_count() or 1
        rows = _local(jobs, workers, progress)
        where = f"{workers} local worker process{'es' if workers != 1 else ''}"
    progress.close()
    rows.extend(clashes)
    rows.sort(key=lambda r: r["article"])
    summary = {"run_id": run_id, "where": where, "seconds": round(time.time() - t0, 2), "articles": rows,
               "ok": all(r["status"] in ("rendered", "up to date") for r in rows)}
    (out / f"batch-{run_id}.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    write_index(out)
    return summary


def schedule(jobs: list[Job], template: str | None, cores: int) -> list[Job]:
    """Jobs as local workers take them, in order: every kernel forked from ``template``; the last ``cores - 1``
    articles to start find fewer articles left than cores, so they run notebooks 02 and 03 side by side (as
    ``briefing render`` does) and the end of the batch does not leave cores idle while they finish."""
    import dataclasses

    tail = len(jobs) - max(cores - 1, 0)
    return [dataclasses.replace(j, kernel_template=template, parallel=i >= tail) for i, j in enumerate(jobs)]


def _local(jobs: list[Job], workers: int, progress) -> list[dict]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .render import warm_kernel_template

    rows = []
    # one per machine: every worker forks its kernels from it. It loads what notebook 01 needs, so the first
    # articles start as soon as it has; the rest while they run (see render._Run.preloads)
    template = warm_kernel_template(shared=True)
    jobs = schedule(jobs, template.address if template is not None else None, os.cpu_count() or 1)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context(mp)) as pool:
            futures = [pool.submit(render_one, j) for j in jobs]
            for f in as_completed(futures):
                rows.append(f.result())
                progress.update(rows[-1])
    finally:
        if template is not None:
            template.close()
    return rows


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
    rows = []
    with client:
        futures = client.map(render_one, jobs, pure=False)
        for f in as_completed(futures):
            rows.append(f.result())
            progress.update(rows[-1])
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
