"""Writing only where we mean to: nothing a render writes, replaces or deletes goes through a link.

A render writes, replaces and deletes inside two trees it owns, ``<--out>/<slug>/`` (with ``failed/`` runs kept
in it) and ``data/processed/<slug>/``, and keeps a lock file beside each. Anyone who can write to those folders
could plant a symbolic link there (``failed -> /somewhere``) and have the next render write into, or prune, the
link's target; or a hard link to someone else's file where a file is truncated and rewritten. So before it takes
anything over, a render looks at every entry of both trees without following links, and refuses (exit code 2,
naming the entry) a symbolic link anywhere in them or a file with another hard link. Lock files are opened with
``O_NOFOLLOW``, so a link planted between that look and the open is refused too, never followed.

The folders the user names (``--out``, the tables' root) may themselves be links: that is the user's choice.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import InputError

_REMEDY = "briefing never writes through links; remove it (or choose another --out)"


def refuse_links(path: Path, what: str = "") -> None:
    """Raise InputError if ``path`` or anything below it is a symbolic link, or a file with other hard links.
    A path that does not exist is fine (the render makes it)."""
    label = f"{what}: " if what else ""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"{label}{path} cannot be read ({exc.strerror or exc})") from None
    _check_entry(path, st, label)
    if not stat.S_ISDIR(st.st_mode):
        return
    stack = [path]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    st = entry.stat(follow_symlinks=False)
                    _check_entry(Path(entry.path), st, label)
                    if stat.S_ISDIR(st.st_mode):
                        stack.append(Path(entry.path))
        except OSError as exc:
            raise InputError(f"{label}{folder} cannot be read ({exc.strerror or exc})") from None


def _check_entry(path: Path, st: os.stat_result, label: str) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise InputError(f"{label}{path} is a symbolic link where the render writes; {_REMEDY}")
    if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
        raise InputError(f"{label}{path} has {st.st_nlink - 1} other hard link(s), and the render would rewrite "
                         f"it; {_REMEDY}")
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise InputError(f"{label}{path} is not a file or a folder (a pipe, socket or device) where the render "
                         "writes; remove it")


def open_private(path: Path) -> int:
    """Open (creating) a small file of ours for reading and writing, never through a link: a symbolic link there
    (dangling or not) or a file with other hard links is an InputError. Returns the descriptor."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if os.path.islink(path):
            raise InputError(f"{path} is a symbolic link where the render keeps its lock; {_REMEDY}") from None
        raise InputError(f"{path} cannot be opened ({exc.strerror or exc})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_nlink > 1:
        os.close(fd)
        raise InputError(f"{path} is not a file of briefing's own (another hard link, or not a regular file) where "
                         f"the render keeps its lock; {_REMEDY}")
    return fd


def remove(path: Path) -> None:
    """Delete a folder we made (a leftover staging folder, an old run) or, if it has become a link, only the link."""
    import shutil

    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)
