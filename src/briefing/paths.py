"""Where things are: the project root (for the notebooks and default data) and per-article folders."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def project_root() -> Path:
    """The repository root: $BRIEFING_ROOT, else the folder above src/ holding notebooks/, else the cwd."""
    env = os.environ.get("BRIEFING_ROOT")
    if env:
        return Path(env).resolve()
    here = PACKAGE_DIR.parent.parent
    if (here / "notebooks").is_dir():
        return here
    return Path.cwd()


ROOT = project_root()
NOTEBOOKS_DIR = ROOT / "notebooks"
RAW_DIR = ROOT / "data" / "raw"
REFERENCE_DIR = ROOT / "data" / "reference"
PROCESSED_DIR = ROOT / "data" / "processed"
REPORTS_DIR = ROOT / "reports"
SEED_ARTICLE = RAW_DIR / "oxford-times-2014-01-13-mp-urges-vigilance.txt"
NOTEBOOKS = ["01-structure-article.ipynb", "02-funding.ipynb", "03-sentencing.ipynb", "04-briefing.ipynb"]


def is_file(path: str | Path) -> bool:
    """``Path.is_file``, but False (not an exception) for a name no file can have: too long, or with a NUL byte."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def relative(p: str | Path) -> str:
    """``p`` relative to the project, as documents and messages show it (so they do not depend on where the
    project lives); as given when it is elsewhere."""
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return str(p)
