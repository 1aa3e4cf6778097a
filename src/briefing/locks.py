"""Locks: one render of an article at a time, for its report folder and for its tables.

Two renders of the same article may name different ``--out`` folders yet share ``data/processed/<slug>/``, where
notebook 01 writes the tables that 02-04 read: each render therefore holds the slug's lock in both folders, taken
in the same order (reports, then tables) by everyone, so two renders never wait for each other in a circle.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from .errors import LockedError
from .nofollow import open_private


class SlugLock:
    """An exclusive lock per slug and folder (``<folder>/.<slug>.lock``), held with flock, so a killed process
    releases it."""

    def __init__(self, folder: Path, slug: str, wait: float = 0.0):
        self.path = folder / f".{slug}.lock"
        self.slug = slug
        self.wait = wait
        self.fh = None

    def __enter__(self):
        import fcntl

        self.fh = os.fdopen(open_private(self.path), "r+")  # never through a link planted where the lock goes
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
                    raise LockedError(f"{self.slug} is being rendered by {holder}; waited {self.wait:g}s "
                                      f"(use --wait SECONDS to wait longer)") from None
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


@contextlib.contextmanager
def render_locks(reports: Path, processed_root: Path, slug: str, wait: float = 0.0):
    """Hold the slug's lock in the reports folder and in the tables' folder, waiting ``wait`` seconds in all."""
    deadline = time.monotonic() + wait
    folders = [reports] + ([processed_root] if processed_root.resolve() != reports.resolve() else [])
    with contextlib.ExitStack() as stack:
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            stack.enter_context(SlugLock(folder, slug, max(0.0, deadline - time.monotonic())))
        yield
