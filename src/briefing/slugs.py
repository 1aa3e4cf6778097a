"""The slug: the one path component that names an article's folders (``reports/<slug>/``,
``data/processed/<slug>/``), made and checked here only.

A slug is letters, digits, ``-`` and ``_``, starting with a letter or digit, at most 120 characters: never ``.``
or ``..``, never hidden (the staging, old and lock files of a render start with a dot), never with a file
extension that could meet ``index.html`` or ``README.md`` in the reports folder. From an article's file name it is
made by transliterating accents (``café`` -> ``cafe``) and turning every other run of characters into one ``-``;
a ``slug`` given in the article's sidecar is taken as it is or refused.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .errors import InputError

MAX_LENGTH = 120
SLUG_RE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_-]{{0,{MAX_LENGTH - 1}}}")


def is_slug(value: str) -> bool:
    return isinstance(value, str) and SLUG_RE.fullmatch(value) is not None


def from_name(stem: str) -> str:
    """A slug made from a file name's stem; empty when the name has no letter or digit."""
    ascii_ = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9_]+", "-", ascii_).strip("-_")
    return slug[:MAX_LENGTH].rstrip("-_")


def article_slug(article: str | Path, meta_slug: str = "", sidecar: str | Path | None = None) -> str:
    """The slug of an article: its sidecar's ``slug`` when given (checked), else one made from its file name."""
    if meta_slug:
        if not is_slug(meta_slug):
            raise InputError(f"{sidecar or 'metadata'}: field 'slug' must be letters, digits, '-' and '_' (starting "
                             f"with a letter or digit, at most {MAX_LENGTH}), not {meta_slug!r}")
        return meta_slug
    slug = from_name(Path(article).stem)
    if not slug:
        raise InputError(f"{article}: cannot name a report folder after this file name; rename the file or give "
                         "a 'slug' in its .meta.yaml sidecar")
    return slug


def folder(base: str | Path, slug: str) -> Path:
    """``base/slug``, after checking that it is a slug (a last line of defence for every caller)."""
    if not is_slug(slug):
        raise InputError(f"{slug!r} is not a valid slug")
    base = Path(base)
    path = base / slug
    assert path.parent == base and path.name == slug
    return path
