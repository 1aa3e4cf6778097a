"""Where things are: the project root (for the notebooks and default data) and per-article folders."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

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


def check_name(value: str | Path | None, what: str) -> None:
    """A path given on the command line that no file can be written or read under, as an InputError: bytes that
    are not UTF-8 (Python keeps them as lone surrogates, which no file, log or document can then print)."""
    if value is None:
        return
    try:
        os.fsencode(value).decode("utf-8")
        str(value).encode("utf-8")
    except UnicodeError:
        shown = os.fsencode(value).decode("utf-8", errors="backslashreplace")
        raise InputError(f"{what}: {shown} is not valid UTF-8; rename it") from None


def not_a_file(path: str | Path) -> str:
    """Why ``path`` is not a regular file that can be read, in a few words ("does not exist", "is a folder", "is
    a device, not a file", ...); "" when it is one."""
    import stat

    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "does not exist"
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte, a loop of links, no permission
        return f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if stat.S_ISREG(st.st_mode):
        return ""
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(st.st_mode):
        return "is a named pipe, not a file"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return "is a device, not a file"
    return "is not a regular file"


def relative(p: str | Path) -> str:
    """``p`` relative to the project, as documents and messages show it (so they do not depend on where the
    project lives); as given when it is elsewhere."""
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return str(p)
