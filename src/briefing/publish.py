"""Where a briefing goes and how it gets there: the output folders, run ids, a staging folder swapped in by
renaming, and the failed runs kept beside the published briefing (``reports/<slug>/failed/<run-id>/``)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import uuid
from pathlib import Path

from .errors import InputError


def writable_folder(path: str | Path, what: str) -> Path:
    """``path`` resolved and created; a user's mistake there (a file of that name, no permission) is an InputError."""
    path = Path(path)
    try:
        path = path.resolve()
        if path.exists() and not path.is_dir():
            raise InputError(f"{what}: {path} is a file, not a folder")
        path.mkdir(parents=True, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            raise InputError(f"{what}: {path} cannot be written (permission denied)")
        probe = path / f".briefing-write-test-{uuid.uuid4().hex[:8]}"  # root passes os.access where writes fail
        probe.touch()
        probe.unlink()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
        raise InputError(f"{what}: {path} cannot be written ({getattr(exc, 'strerror', None) or exc})") from None
    return path


_RUN_ID = r"\d{8}T\d{6}Z-[0-9a-f]{6}"


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def leftovers(reports: Path, slug: str) -> list[Path]:
    """This slug's staging and old folders left by a killed run: matched exactly, never another slug's that starts
    the same way (``a`` and ``a-b``)."""
    pattern = re.compile(rf"\.(?:staging-{re.escape(slug)}-{_RUN_ID}|old-{re.escape(slug)}-[0-9a-f]{{6}})")
    return [p for p in reports.iterdir() if pattern.fullmatch(p.name)]


def keep_failed() -> int:
    """How many failed runs an article keeps: $BRIEFING_KEEP_FAILED, default 5, at least 1 (the one that just failed)."""
    try:
        return max(1, int(os.environ.get("BRIEFING_KEEP_FAILED", "5")))
    except ValueError:
        return 5


def prune_failed(folder: Path) -> None:
    """Delete all but the newest failed runs (run ids start with their UTC time, so names sort by age)."""
    if folder.is_symlink():  # refused before the render began; never prune through one planted since
        return
    runs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
    for old in runs[:-keep_failed()]:
        shutil.rmtree(old, ignore_errors=True)


def publish(staging: Path, out_dir: Path) -> None:
    """Swap the staging folder in for the published one by renaming; earlier failed runs are kept."""
    if (out_dir / "failed").exists():
        os.replace(out_dir / "failed", staging / "failed")
    old = out_dir.with_name(f".old-{out_dir.name}-{uuid.uuid4().hex[:6]}")
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)
