"""Exploring in JupyterLab: any notebook, in any order, on a fresh clone.

A render runs the notebooks in order, each reading what the one before wrote. A person in JupyterLab opens
whichever they like: notebook 02 opened first on a fresh clone found no tables and stopped with a traceback. Here
each notebook makes what it needs when it is missing or out of date, with the same package functions a render
uses, and says so in one line; a mistake a user can fix (a bad parameter value, a missing file) shows as one line
too, not a traceback. In a render everything is already there, and these calls do and print nothing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import paths
from .errors import BriefingError, InputError


def _say(message: str) -> None:
    try:
        from IPython.display import Markdown, display

        display(Markdown(f"_{message}_"))
    except ImportError:  # outside IPython
        print(message)


def _article_for(folder: Path, article: str | Path | None) -> Path:
    return Path(article) if article else paths.RAW_DIR / f"{folder.name}.txt"


def tables_are_current(folder: Path, article: Path) -> bool:
    """Notebook 01's tables exist, all of them, and were made from this article (when it is here to compare)."""
    from .extract import TABLES

    meta = folder / "article.json"
    if not meta.is_file() or not all((folder / f"{t}.csv").is_file() for t in TABLES):
        return False
    if not article.is_file():
        return True  # an article rendered from elsewhere: its tables are all there is
    try:
        recorded = json.loads(meta.read_text(encoding="utf-8")).get("sha256")
    except (OSError, ValueError):
        return False
    return recorded == hashlib.sha256(article.read_bytes()).hexdigest()


def ensure_tables(processed_dir: str | Path, article: str | Path | None = None, meta: str = "") -> Path:
    """Notebook 01's tables in ``processed_dir``: made from ``article`` (default: ``data/raw/<folder name>.txt``)
    when they are missing or were made from another version of it."""
    from .extract import extract_article, write_tables

    folder = Path(processed_dir)
    source = _article_for(folder, article)
    if tables_are_current(folder, source):
        return folder
    if not source.is_file():
        raise InputError(f"{folder}: no tables here, and no article {source} to make them from; run notebook 01 "
                         "with the article you want")
    why = "out of date" if (folder / "article.json").is_file() else "missing"
    write_tables(extract_article(source, meta or None), folder)
    _say(f"Notebook 01's tables were {why}: made them from {paths.relative(source)}.")
    return folder


def ensure_analyses(processed_dir: str | Path, reference_dir: str | Path | None = None) -> Path:
    """What notebook 04 reads: notebook 01's tables, and the funding and sentencing analyses with their
    defaults (notebooks 02 and 03) when they are missing."""
    from . import params, stages

    folder = ensure_tables(processed_dir)
    reference = Path(reference_dir) if reference_dir else paths.REFERENCE_DIR
    if not (folder / "funding" / "findings.json").is_file():
        stages.run_funding(folder, reference)
        _say("The funding analysis was missing: made it with notebook 02's defaults.")
    if not (folder / "sentencing" / "claims.csv").is_file():
        meta_case = _case_of(folder)
        comparators = params.RENDER_PARAMETERS["comparators"].default
        stages.run_sentencing(folder, meta_case, comparators)
        _say("The sentencing analysis was missing: made it with notebook 03's defaults.")
    return folder


def _case_of(folder: Path) -> str | None:
    """The case file the article's sidecar names, for the seed and other articles in data/raw."""
    from .meta import load_meta

    article = _article_for(folder, None)
    if not article.is_file():
        return None
    case = load_meta(None, article_path=article).case
    return str(case) if case else None


def one_line_errors() -> None:
    """In IPython, a BriefingError (bad input or parameters) shows as its one-line message, not a traceback.
    The cell still fails, so "Run All" stops there and papermill still reports the failing cell."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def handler(shell, etype, value, tb, tb_offset=None):
        stb = [f"briefing: {value}"]
        shell._showtraceback(etype, value, stb)  # IPython leaves showing a custom traceback to its handler
        return stb

    shell.set_custom_exc((BriefingError,), handler)
