"""The articles a batch renders: what its patterns match (never through a linked folder), one article per slug."""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path

from .. import slugs
from ..errors import InputError


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


def _one_article_per_slug(articles: list[Path]) -> tuple[list[Path], list[dict]]:
    """Two articles with one slug (the same file name in two folders, or one sidecar ``slug``) would publish to
    one folder, the second silently replacing the first: the first in path order renders, the others are bad
    input. An article whose slug cannot be made is left to its render to report."""
    from ..errors import BriefingError
    from ..meta import load_meta, sidecar_for

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
