"""Property-based: generated sidecars, case files and parameter files, hostile or merely odd, never get past the
checks as anything but a clean job or one InputError, and never make a file outside the two output folders."""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.errors import InputError
from briefing.meta import KNOWN_KEYS
from briefing.render import prepare
from conftest import ARTICLES

GOOD = (ARTICLES / "no-numbers.txt").read_bytes()

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30), st.floats(allow_nan=True),
    st.text(max_size=30), st.dates(), st.sampled_from(["..", "../../x", ".staging-.", "$x^$", "1e308", ".nan",
                                                        "2013-13", "life", "determinate", "<script>", "gdp"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=12), inner, max_size=4), max_leaves=12)


def near(keys) -> st.SearchStrategy:
    """Mappings that mostly use the keys a file is meant to have, with any values."""
    return st.dictionaries(st.sampled_from(sorted(keys)) | st.text(max_size=10), values, max_size=len(keys) + 1)


defendant = st.fixed_dictionaries({
    "name": scalars, "sentence": st.sampled_from(["life", "determinate", "hospital", None]),
    "term_years": scalars | st.floats(min_value=-1, max_value=200), "minimum_term_years": scalars,
    "source": scalars, "age": scalars})
case_file = st.fixed_dictionaries({
    "case": st.fixed_dictionaries({"name": scalars}, optional={
        "sentenced": st.fixed_dictionaries({"date": scalars}), "reported_total_years": st.fixed_dictionaries(
            {"value": scalars}), "abuse_period": st.fixed_dictionaries({"from": scalars, "to": scalars})}),
    "defendants": st.lists(defendant, max_size=3)}) | values


def dump(data) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        return "title: x\n"


raw_yaml = st.text(alphabet=st.sampled_from(list("ab:-&*!|>[]{}#'\" \n\t.0123\\")), max_size=80)


def try_prepare(sidecar: str | None, case: str | None, params: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = root / "in"
        src.mkdir()
        (src / "story.txt").write_bytes(GOOD)
        if sidecar is not None:
            (src / "story.meta.yaml").write_text(sidecar, encoding="utf-8")
        if case is not None:
            (src / "case.yaml").write_text(case, encoding="utf-8")
        params_file = None
        if params is not None:
            params_file = root / "params.yaml"
            params_file.write_text(params, encoding="utf-8")
        before = {p for p in root.rglob("*")}
        try:
            job = prepare(src / "story.txt", out=root / "out", processed_root=root / "processed",
                          params_file=params_file)
        except InputError as exc:
            assert str(exc) and "\n" not in str(exc).strip()
        else:
            assert job.slug and "/" not in job.slug and not job.slug.startswith(".")
            for v in job.values.values():
                assert not (isinstance(v, float) and not math.isfinite(v))
        made = {p for p in root.rglob("*")} - before
        assert made <= {root / "out", root / "processed"}, made


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(near(KNOWN_KEYS) | values, raw_yaml)
def test_hostile_sidecars(data, raw):
    try_prepare(dump(data), None, None)
    try_prepare(raw, None, None)


@SETTINGS
@given(case_file, st.booleans())
def test_hostile_case_files(data, with_published):
    sidecar = "case: case.yaml\n" + ("published: 2020-01-02\n" if with_published else "")
    try_prepare(sidecar, dump(data), None)


@SETTINGS
@given(near({"deflator", "base_year", "case", "comparators", "timeout"}) | values, raw_yaml)
def test_hostile_params_files(data, raw):
    try_prepare(None, None, dump(data))
    try_prepare(None, None, raw)


def test_a_date_object_published_is_fine():
    try_prepare(dump({"published": dt.date(2020, 1, 2), "title": "T"}), None, None)


# --- control characters and links (issue 25) ----------------------------------------------------------------

unprintable = st.sampled_from(["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff",
                               "\U0010fffe", "\ufdd0", "\r", "\t"])
words = st.sampled_from(["The council", " spent ", "£4.2m", " on roads", ".", "\n\n", "“We", " said", "”", "'", "é"])


@SETTINGS
@given(st.lists(words | unprintable, max_size=60))
def test_no_unprintable_character_survives_reading_an_article(parts):
    from briefing.text import normalise, read_article, strip_unprintable

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.txt"
        path.write_bytes(("".join(parts) + " The budget was agreed by the full council on Tuesday evening." * 3)
                         .encode("utf-8", errors="surrogatepass"))
        try:
            art = read_article(path)
        except InputError as exc:  # too many controls: a binary file
            assert "binary" in str(exc)
            return
        assert strip_unprintable(art.text)[1] == 0 and normalise(art.text) == art.text


@SETTINGS
@given(st.dictionaries(st.sampled_from(["title", "outlet", "published_note", "topic"]),
                       st.lists(words | unprintable, max_size=12).map("".join), min_size=1))
def test_no_unprintable_character_survives_a_sidecar(fields):
    from briefing.meta import load_meta
    from briefing.text import strip_unprintable

    with tempfile.TemporaryDirectory() as tmp:
        art = Path(tmp) / "a.txt"
        art.write_bytes(GOOD)
        (Path(tmp) / "a.meta.yaml").write_text(yaml.safe_dump(fields, allow_unicode=False), encoding="utf-8")
        meta = load_meta(None, article_path=art)
        for key in fields:
            assert strip_unprintable(getattr(meta, key))[1] == 0


tree_paths = st.lists(st.lists(st.sampled_from(["a", "b", "failed", "funding", "x.csv"]), min_size=1, max_size=3)
                      .map(lambda parts: "/".join(parts)), min_size=1, max_size=6)


@SETTINGS
@given(tree_paths, st.integers(min_value=0, max_value=5), st.booleans(), st.booleans())
def test_a_link_anywhere_in_an_output_tree_is_found(folders, which, hard, plant):
    from briefing.nofollow import refuse_links

    with tempfile.TemporaryDirectory() as tmp:
        root, victim = Path(tmp) / "tree", Path(tmp) / "victim"
        victim.mkdir()
        (victim / "f").write_text("x")
        for f in folders:
            (root / f).mkdir(parents=True, exist_ok=True)
        if not plant:
            refuse_links(root)
            return
        where = root / folders[which % len(folders)] / "planted"
        if hard:
            os.link(victim / "f", where)
        else:
            where.symlink_to(victim)
        try:
            refuse_links(root)
        except InputError as exc:
            assert str(where) in str(exc)
        else:
            raise AssertionError(f"{where} not found")
