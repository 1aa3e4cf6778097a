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


def check_apart(reports: Path, processed_root: Path) -> None:
    """The reports folder and the tables' folder must be apart: a render replaces ``reports/<slug>/`` whole and
    notebook 01 ``processed/<slug>/``, so one inside the other (or the same) would have each replace the other's."""
    if reports == processed_root or reports in processed_root.parents or processed_root in reports.parents:
        raise InputError(f"--out: {reports} is the tables' folder {processed_root} or inside it (or around it); "
                         "choose a folder apart")


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


def recover(reports: Path, slug: str) -> Path | None:
    """Publishing is two renames (the briefing out to ``.old-<slug>-*``, the new one in); a render killed between
    them leaves no ``reports/<slug>/`` and the last good briefing in the old folder. Put it back before leftovers
    are removed; returns the folder restored, if any."""
    out_dir = reports / slug
    if out_dir.exists() or out_dir.is_symlink():
        return None
    pattern = re.compile(rf"\.old-{re.escape(slug)}-[0-9a-f]{{6}}")
    olds = [p for p in reports.iterdir() if pattern.fullmatch(p.name) and not p.is_symlink()
            and (p / "manifest.json").is_file()]
    if not olds:
        return None
    newest = max(olds, key=lambda p: (p / "manifest.json").stat().st_mtime)
    os.replace(newest, out_dir)
    return out_dir


def publish(staging: Path, out_dir: Path) -> None:
    """Swap the staging folder in for the published one by renaming; earlier failed runs are kept."""
    if (out_dir / "failed").exists():
        os.replace(out_dir / "failed", staging / "failed")
    old = out_dir.with_name(f".old-{out_dir.name}-{uuid.uuid4().hex[:6]}")
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)
