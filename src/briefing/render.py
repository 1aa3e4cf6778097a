"""Render a briefing: execute the four notebooks with papermill, then HTML (nbconvert) and PDF (WeasyPrint).

The run builds into a staging folder beside the report and publishes it by renaming only when every
stage and both documents succeeded; a failed run leaves the last good briefing untouched and keeps
its executed notebooks under ``reports/<slug>/failed/<run-id>/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, paths
from .errors import BriefingError, InputError, StageError


class LockedError(BriefingError):
    exit_code = 75


class SlugLock:
    """An exclusive lock per slug (``reports/.<slug>.lock``), held with flock so a killed process releases it."""

    def __init__(self, reports: Path, slug: str, wait: float = 0.0):
        self.path = reports / f".{slug}.lock"
        self.wait = wait
        self.fh = None

    def __enter__(self):
        import fcntl

        self.fh = open(self.path, "a+")
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.fh.seek(0)
                    holder = self.fh.read().strip() or "another process"
                    self.fh.close()
                    raise LockedError(f"{self.path.name[1:-5]} is being rendered by {holder}; "
                                      f"waited {self.wait:g}s (use --wait SECONDS to wait longer)") from None
                time.sleep(0.2)
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(f"pid {os.getpid()}")
        self.fh.flush()
        return self

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()
from .meta import load_meta, sidecar_for

os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")  # the project's kernel, not a user-level one
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

PARAMETERS = {
    # name: (type, default, help)
    "deflator": (str, "gdp", "price index for real terms: gdp (HM Treasury GDP deflator) or cpi (ONS CPI)"),
    "base_year": (str, "", "financial year whose prices real terms are in, e.g. 2024-25; empty: latest outturn year"),
    "case": (str, None, "court case file (YAML); default: the one the article's metadata names; empty: none"),
    "comparators": (str, str(paths.REFERENCE_DIR / "uk_group_cse_cases.csv"), "table of other UK cases; empty: none"),
}


@dataclass
class RenderResult:
    slug: str
    out_dir: Path
    html: Path
    pdf: Path
    manifest: dict
    stages: list = field(default_factory=list)


def _log(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


class _KernelOutputToLog:
    """Send what kernels write to the process's stderr (fd 2) into the run's log, not the user's terminal."""

    def __init__(self, log: Path):
        self.log = log

    def __enter__(self):
        sys.stderr.flush()
        self.saved = os.dup(2)
        self.fh = open(self.log, "ab")
        os.dup2(self.fh.fileno(), 2)
        self.console = os.fdopen(os.dup(self.saved), "w")
        self._old = sys.stderr
        sys.stderr = self.console  # our own progress lines still reach the terminal
        return self

    def __exit__(self, *exc):
        sys.stderr.flush()
        sys.stderr = self._old
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.console.close()
        self.fh.close()


def resolve_params(article: Path, overrides: dict[str, str]) -> dict:
    unknown = set(overrides) - set(PARAMETERS)
    if unknown:
        raise InputError(f"unknown parameter(s) {', '.join(sorted(unknown))}; known: {', '.join(PARAMETERS)}")
    params = {k: v[1] for k, v in PARAMETERS.items()}
    params.update(overrides)
    meta = load_meta(None, article_path=article)
    if params["case"] is None:
        params["case"] = str(meta.case) if meta.case else ""
    for key in ("case", "comparators"):
        if params[key] and not Path(params[key]).is_file():
            raise InputError(f"{key}: file {params[key]} not found")
    from .sentencing import load_case, load_comparators

    if params["case"]:
        load_case(params["case"])  # a malformed case file stops the run here, naming the field
    if params["comparators"]:
        load_comparators(params["comparators"])
    # deflator and base year are checked against the reference data now, before any kernel starts
    from .deflators import check_base_year, load_deflator

    series = load_deflator(params["deflator"], paths.REFERENCE_DIR)
    params["base_year"] = check_base_year(series, params["base_year"], params["deflator"])
    return params


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def render(article: str | Path | None = None, out: str | Path | None = None, overrides: dict | None = None,
           quiet: bool = False, timeout: int = 600, processed_root: str | Path | None = None,
           wait: float = 0.0) -> RenderResult:
    """Render one article; raises InputError (bad input), StageError (a stage failed) or LockedError."""
    article = Path(article or paths.SEED_ARTICLE).resolve()
    from .text import read_article

    read_article(article)  # bad input stops here, before any kernel starts
    params = resolve_params(article, dict(overrides or {}))
    meta = load_meta(None, article_path=article)
    slug = meta.slug or article.stem
    reports = Path(out or paths.REPORTS_DIR).resolve()
    reports.mkdir(parents=True, exist_ok=True)
    with SlugLock(reports, slug, wait):
        return _render(article, params, meta, slug, reports, quiet, timeout, processed_root)


def _render(article: Path, params: dict, meta, slug: str, reports: Path, quiet: bool, timeout: int,
            processed_root) -> RenderResult:
    out_dir = reports / slug
    run_id = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    staging = reports / f".staging-{slug}-{run_id}"
    staging.mkdir()
    processed = Path(processed_root or paths.PROCESSED_DIR).resolve() / slug
    nb_params = [
        {"article": str(article), "meta": "", "processed_dir": str(processed)},
        {"processed_dir": str(processed), "reference_dir": str(paths.REFERENCE_DIR), "deflator": params["deflator"],
         "base_year": params["base_year"]},
        {"processed_dir": str(processed), "case": params["case"], "comparators": params["comparators"]},
        {"processed_dir": str(processed), "render_params": json.dumps(_public_params(params, article), sort_keys=True)},
    ]
    started = time.time()
    stages = []
    try:
        import papermill as pm
        from papermill.exceptions import PapermillExecutionError

        for name, p in zip(paths.NOTEBOOKS, nb_params):
            t0 = time.time()
            _log(f"[{len(stages) + 1}/6] executing {name}", quiet)
            try:
                with _KernelOutputToLog(staging / "kernels.log"):
                    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / name), str(staging / name), parameters=p,
                                        kernel_name="python3", cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False,
                                        log_output=False, execution_timeout=timeout)
            except PapermillExecutionError as exc:
                raise StageError(f"{name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}") from None
            except Exception as exc:  # kernel died, timeout, ...
                raise StageError(f"{name} could not run: {type(exc).__name__}: {exc}") from None
            stages.append({"stage": name, "seconds": round(time.time() - t0, 2), "cached": False})
        t0 = time.time()
        _log("[5/6] rendering briefing.html (nbconvert)", quiet)
        html = to_html(staging / paths.NOTEBOOKS[-1], meta, slug)
        (staging / "briefing.html").write_text(html, encoding="utf-8")
        stages.append({"stage": "html", "seconds": round(time.time() - t0, 2), "cached": False})
        t0 = time.time()
        _log("[6/6] printing briefing.pdf (WeasyPrint)", quiet)
        to_pdf(html, staging / "briefing.pdf", base_url=str(staging))
        stages.append({"stage": "pdf", "seconds": round(time.time() - t0, 2), "cached": False})
    except BaseException as exc:
        failed = out_dir / "failed" / run_id
        failed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, failed)
        if isinstance(exc, StageError):
            raise StageError(f"{exc} (executed notebooks kept in {failed}; the last good briefing is unchanged)") from None
        raise
    manifest = {
        "run_id": run_id, "slug": slug, "briefing_version": __version__, "python": sys.version.split()[0],
        "parameters": _public_params(params, article),
        "inputs": {"article": {"path": _rel(article), "sha256": _sha256(article)}},
        "reference": {p.name: _sha256(p) for p in sorted(paths.REFERENCE_DIR.iterdir()) if p.is_file()},
        "stages": stages, "seconds": round(time.time() - started, 2),
        "rendered_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "outputs": {n: _sha256(staging / n) for n in ("briefing.html", "briefing.pdf")},
        "versions": _versions(),
    }
    side = sidecar_for(article)
    if side.exists():
        manifest["inputs"]["meta"] = {"path": _rel(side), "sha256": _sha256(side)}
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    publish(staging, out_dir)
    _log(f"rendered {out_dir / 'briefing.html'} and briefing.pdf in {manifest['seconds']:.1f}s", quiet)
    return RenderResult(slug, out_dir, out_dir / "briefing.html", out_dir / "briefing.pdf", manifest, stages)


def publish(staging: Path, out_dir: Path) -> None:
    """Swap the staging folder in for the published one; keep earlier failed runs."""
    if (out_dir / "failed").exists():
        os.replace(out_dir / "failed", staging / "failed")
    old = out_dir.with_name(f".old-{out_dir.name}-{uuid.uuid4().hex[:6]}")
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(p)


def _public_params(params: dict, article: Path) -> dict:
    """Parameters as shown to readers: paths relative to the project, so documents do not depend on where it lives."""
    out = {"article": _rel(article)}
    for k, v in params.items():
        out[k] = _rel(Path(v)) if k in ("case", "comparators") and v else v
    return out


def _versions() -> dict:
    from importlib.metadata import version

    out = {}
    for pkg in ("papermill", "nbconvert", "nbformat", "ipykernel", "pandas", "matplotlib", "weasyprint", "pandera", "pyyaml"):
        try:
            out[pkg] = version(pkg)
        except Exception:
            out[pkg] = None
    return out


def to_html(executed: Path, meta, slug: str) -> str:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    exporter = HTMLExporter(template_name="briefing", extra_template_basedirs=[str(paths.TEMPLATES_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    resources = {"briefing": {
        "title": meta.title or slug, "subject": f"Briefing on {meta.outlet + ': ' if meta.outlet else ''}{meta.title or slug}",
        "date": meta.published.isoformat() if meta.published else "", "version": __version__,
        "keywords": meta.topic,
    }}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return html


def to_pdf(html: str, target: Path, base_url: str) -> None:
    import weasyprint

    doc = weasyprint.HTML(string=html, base_url=base_url)
    doc.write_pdf(str(target), pdf_tags=True, uncompressed_pdf=False)
