"""Article metadata sidecars (``ARTICLE.meta.yaml``): title, outlet, url, published date, case file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import paths, slugs, yamlfile
from .errors import InputError

# longest value accepted per field (others: 2,000): a title is a line, not a document; without a limit a 900 kB
# title once ran the PDF stage to its time limit
MAX_CHARS = {"title": 500, "outlet": 200, "published_note": 1000, "topic": 200, "slug": 120}

KNOWN_KEYS = {"title", "outlet", "url", "published", "published_note", "topic", "case", "slug", "source"}


@dataclass
class ArticleMeta:
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: dt.date | None = None
    published_note: str = ""
    topic: str = ""
    case: Path | None = None
    slug: str = ""
    warnings: tuple[str, ...] = ()  # e.g. control characters removed from a field


def sidecar_for(article: str | Path) -> Path:
    article = Path(article)
    return article.with_name(article.stem + ".meta.yaml")


def load_meta(path: str | Path | None, article_path: str | Path | None = None) -> ArticleMeta:
    """Load a metadata file; with ``path`` None, the article's sidecar if present, else empty metadata."""
    if path is None and article_path is not None:
        side = sidecar_for(article_path)
        if not side.exists():
            return ArticleMeta()
        path = side
    if path is None:
        return ArticleMeta()
    path = Path(path)
    warnings: list[str] = []
    data = yamlfile.load(path, "metadata file", warnings) or {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of fields (title, outlet, url, published, ...)")
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        names = ", ".join(sorted(repr(k) if isinstance(k, str) else repr(str(k)) for k in unknown))
        raise InputError(f"{path}: unknown field(s) {names}; known: {', '.join(sorted(KNOWN_KEYS))}")
    published = data.get("published")
    if published not in (None, ""):
        if isinstance(published, dt.datetime):
            published = published.date()
        elif not isinstance(published, dt.date):
            try:
                published = dt.date.fromisoformat(str(published))
            except ValueError:
                raise InputError(f"{path}: field 'published' must be a date as YYYY-MM-DD, not {published!r}") from None
    else:
        published = None
    if published is not None and not 1800 <= published.year <= 2200:  # "next year" from 9999-12-31 overflows
        raise InputError(f"{path}: field 'published' must be a date between 1800 and 2200, not {published}")
    for key in ("title", "outlet", "url", "published_note", "topic", "source", "slug"):
        value = data.get(key)
        if value is not None and not isinstance(value, (str, int, float, dt.date)) or isinstance(value, bool):
            raise InputError(f"{path}: field {key!r} must be text, not {type(value).__name__}")
        if value is not None and len(str(value)) > MAX_CHARS.get(key, 2000):
            raise InputError(f"{path}: field {key!r} is {len(str(value)):,} characters long; at most "
                             f"{MAX_CHARS.get(key, 2000):,} are accepted")
    slug = data.get("slug")
    if slug not in (None, "") and not (isinstance(slug, str) and slugs.is_slug(slug)):
        slugs.article_slug("", str(slug), path)  # raises, naming the field and the rule
    case = data.get("case")
    if case not in (None, "") and not isinstance(case, str):
        raise InputError(f"{path}: field 'case' must be a file name, not {case!r}")
    case_path = (path.parent / case).resolve() if case and "\0" not in case else None
    why = (paths.not_a_file(case_path) if case_path is not None else "does not exist") if case else ""
    if why:
        raise InputError(f"{path}: field 'case' names {case!r}, which {why}")
    return ArticleMeta(
        title=str(data.get("title") or ""), outlet=str(data.get("outlet") or ""), url=str(data.get("url") or ""),
        published=published, published_note=str(data.get("published_note") or "").strip(),
        topic=str(data.get("topic") or ""), case=case_path, slug=str(data.get("slug") or ""),
        warnings=tuple(warnings),
    )
