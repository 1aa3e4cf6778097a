"""Reading the YAML files a user hands in (sidecars, case files, parameter files): one loader for all, bounded.

``yaml.safe_load`` builds no arbitrary objects, but it accepts what a careless or hostile file can do with plain
YAML: anchors and aliases that make a few hundred bytes stand for gigabytes once anything walks the result (an
"alias bomb"), and a key given twice, where the last one silently wins. Here a file is read only when it is small,
valid UTF-8, uses no aliases, repeats no key and stays under a node count; anything else is an InputError naming
the file. Numbers such as ``1e308`` (which YAML 1.1 leaves as text for want of a dot) are read as numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from . import paths
from .errors import InputError
from .text import removed_warning, strip_unprintable

MAX_BYTES = 1_000_000  # a case file of a hundred defendants is some 30 kB
MAX_NODES = 50_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser: about ten times faster

_FLOAT_RE = re.compile(r"^[-+]?(?:\d[\d_]*)?\.?\d+[eE][-+]?\d+$")  # 1e308, 2.5E-3: floats in YAML 1.2


def _check(node: yaml.Node, name: str) -> None:
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            raise InputError(f"{name}: uses YAML anchors and aliases (& and *), which briefing does not accept; "
                             "write each value out")
        seen.add(id(n))
        if len(seen) > MAX_NODES:
            raise InputError(f"{name}: more than {MAX_NODES:,} YAML values; too large to be a briefing input")
        if isinstance(n, yaml.MappingNode):
            keys = set()
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in keys:
                        line = k.start_mark.line + 1
                        raise InputError(f"{name}: key {k.value!r} is given twice (line {line}); keep one")
                    keys.add(k.value)
                stack.extend((k, v))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.ScalarNode) and n.tag == "tag:yaml.org,2002:int" and len(n.value) > 30:
            line = n.start_mark.line + 1
            raise InputError(f"{name}: a number of {len(n.value)} characters (line {line}) is too large to be one")
        elif isinstance(n, yaml.ScalarNode) and n.tag == "tag:yaml.org,2002:str" and not n.style \
                and _FLOAT_RE.match(n.value):
            n.tag = "tag:yaml.org,2002:float"


def _clean(value, removed: list[int]):
    """Strings with unprintable characters removed (``text.strip_unprintable``), in every key and value."""
    if isinstance(value, str):
        value, n = strip_unprintable(value)
        removed[0] += n
        return value
    if isinstance(value, dict):
        return {_clean(k, removed): _clean(v, removed) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, removed) for v in value]
    return value


def parse(text: str, name: str = "YAML", warnings: list[str] | None = None):
    """The document in ``text`` as Python data, after the checks above, with control characters (which YAML
    lets through as escapes, ``"\\x07"``) removed from its strings; ``warnings`` gets a line saying so."""
    removed = [0]
    data = _clean(_parse(text, name), removed)
    if removed[0] and warnings is not None:
        warnings.append(removed_warning(name, removed[0]))
    return data


def _parse(text: str, name: str):
    if len(text) > MAX_BYTES:
        raise InputError(f"{name}: {len(text):,} characters is over the {MAX_BYTES:,} allowed for a YAML file")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check(node, name)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: not valid YAML ({str(exc).splitlines()[0]})") from None
    except (ValueError, OverflowError, RecursionError) as exc:  # e.g. a timestamp like 2013-13-01
        raise InputError(f"{name}: a value cannot be read ({exc})") from None
    finally:
        loader.dispose()


def load(path: str | Path, what: str = "YAML file", warnings: list[str] | None = None):
    """Read and parse the YAML file at ``path``; ``what`` names it in errors (e.g. "--params")."""
    path = Path(path)
    name = f"{what} {path}" if what.startswith("-") else str(path)
    why = paths.not_a_file(path)
    if why == "does not exist":
        raise InputError(f"{name}: no such {what if not what.startswith('-') else 'file'}")
    if why:
        raise InputError(f"{name}: {why}")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{name}: {size:,} bytes is over the {MAX_BYTES:,} allowed for a YAML file")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    return parse(text, name, warnings)
