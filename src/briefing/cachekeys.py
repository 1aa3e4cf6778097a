"""What a render stage's cache key is made of: hashes of files, folders and the package's own code.

A stage whose key and outputs are unchanged since the last good render is not run again (``briefing.render``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import __version__, paths


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sha256_tree(folder: Path, top_only: bool = False) -> str | None:
    """A hash of the files in a folder (names and contents); None when it does not exist."""
    if not folder.is_dir():
        return None
    h = hashlib.sha256()
    files = sorted(p for p in (folder.iterdir() if top_only else folder.rglob("*")) if p.is_file())
    for p in files:
        h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


_CODE_HASH: str | None = None


def code_hash() -> str:
    """The package's code and template: a change to either re-runs every stage."""
    global _CODE_HASH
    if _CODE_HASH is None:
        h = hashlib.sha256(__version__.encode())
        for p in sorted(paths.PACKAGE_DIR.rglob("*")):
            if p.is_file() and p.suffix in (".py", ".j2", ".css", ".json") and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(paths.PACKAGE_DIR)).encode() + b"\0" + p.read_bytes())
        _CODE_HASH = h.hexdigest()
    return _CODE_HASH


def key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def optional_hash(path: str) -> str:
    return sha256_file(Path(path)) if path else ""
