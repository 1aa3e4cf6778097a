"""What a render stage's cache key is made of: hashes of files, folders and the package's own code.

A stage whose key and outputs are unchanged since the last good render is not run again (``briefing.render``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import __version__, paths
from .meta import sidecar_for
from .subsetter import font_subsetter

NB1, NB2, NB3, NB4 = paths.NOTEBOOKS
PROCESSED_OUTPUTS = {NB1: None, NB2: "funding", NB3: "sentencing"}  # where each notebook writes in the processed folder


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


def hash_key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def optional_hash(path: str) -> str:
    return sha256_file(Path(path)) if path else ""


class StageCache:
    """Each stage's key, and whether the last good render's output for it can stand: its key is the same and its
    output is still there, byte for byte. ``stages`` is the run's record of the stages done so far, whose outputs
    the later keys include."""

    def __init__(self, article: Path, meta, values: dict, public: dict, processed: Path, out_dir: Path, force: bool,
                 stages: dict):
        self.article, self.meta, self.values, self.public = article, meta, values, public
        self.processed, self.out_dir, self.force, self.stages = processed, out_dir, force, stages
        self.previous = self._previous_manifest()

    def _previous_manifest(self) -> dict:
        """The last good render's stages (key, outputs) by name; {} when there is none or it cannot be read."""
        try:
            m = json.loads((self.out_dir / "manifest.json").read_text(encoding="utf-8"))
            return {s["stage"]: s for s in m.get("stages", [])} | {"_outputs": m.get("outputs", {})}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    def processed_hash(self, name: str) -> str | None:
        sub = PROCESSED_OUTPUTS.get(name)
        return sha256_tree(self.processed, top_only=True) if sub is None else sha256_tree(self.processed / sub)

    def key(self, name: str) -> str:
        from .deflators import deflator_file

        v = self.values
        nb = sha256_file(paths.NOTEBOOKS_DIR / name) if name.endswith(".ipynb") else ""
        side = sidecar_for(self.article)
        if name == NB1:
            inputs = [sha256_file(self.article), sha256_file(side) if side.exists() else ""]
        elif name == NB2:
            inputs = [self.stages[NB1]["outputs"], v["deflator"], v["base_year"],
                      sha256_file(deflator_file(v["deflator"], paths.REFERENCE_DIR))]
        elif name == NB3:
            inputs = [self.stages[NB1]["outputs"], optional_hash(v["case"]), optional_hash(v["comparators"])]
        elif name == NB4:
            inputs = [self.stages[n]["outputs"] for n in (NB1, NB2, NB3)] + [self.public, self.meta.title]
        elif name == "html":
            inputs = [self.stages[NB4]["key"]]
        else:  # the PDF's bytes depend on which library subsets its fonts
            inputs = [self.stages["html"]["outputs"], font_subsetter()]
        return hash_key(name, nb, inputs, code_hash())

    def cached(self, name: str, key: str) -> bool:
        prev = self.previous.get(name)
        if self.force or not prev or prev.get("key") != key:
            return False
        if name in PROCESSED_OUTPUTS:
            return self.processed_hash(name) == prev.get("outputs") and (self.out_dir / name).is_file()
        target = self.out_dir / (name if name == NB4 else f"briefing.{name}")
        if name == NB4 and not (self.out_dir / "summary.json").is_file():
            return False  # its summary is taken from the published briefing (see run)
        return target.is_file() and sha256_file(target) == prev.get("outputs")
