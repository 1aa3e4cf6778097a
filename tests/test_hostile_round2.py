"""Hostile input, second round (issue 25): links planted in the output trees, control characters, odd paths, limits.
One test (or more) per numbered reproduction; batch signals and linear time have their own files
(test_batch_signals.py, test_linear_time.py). No kernel starts here except in the one test marked slow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing import nofollow, yamlfile
from briefing.errors import InputError
from briefing.locks import SlugLock, render_locks
from briefing.meta import load_meta
from briefing.publish import prune_failed
from briefing.render import prepare, render
from briefing.sentencing import load_case
from briefing.text import decode, read_article, strip_unprintable
from conftest import ARTICLES, CASES

GOOD = ARTICLES / "no-numbers.txt"
UNPRINTABLE = "\x07\x0c\x1b\x00\ufffe\x85"


def cli(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "briefing.cli", *args], capture_output=True, cwd=cwd, timeout=120,
                          env={**os.environ, **(env or {})})


def article(folder: Path, name: str = "story.txt", text: bytes | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(GOOD.read_bytes() if text is None else text)
    return path


def victim_folder(tmp_path: Path, n: int = 7) -> Path:
    """A folder of someone else's: n subfolders and a file, which nothing may touch."""
    v = tmp_path / "victim"
    for i in range(n):
        (v / f"2020010{i}T000000Z-abcdef").mkdir(parents=True)
    (v / "precious.txt").write_text("keep me\n")
    return v


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None, p.stat().st_mode)
            for p in sorted(folder.rglob("*"))}


# --- 1. a link where the lock file goes ----------------------------------------------------------------------

@pytest.mark.parametrize("where", ["out", "processed"])
@pytest.mark.parametrize("dangling", [False, True])
def test_a_link_planted_as_the_lock_file_is_refused_not_followed(tmp_path, where, dangling):
    art = article(tmp_path / "in")
    target = tmp_path / "victim.txt"
    if not dangling:
        target.write_text("precious\n")
    folder = tmp_path / where
    folder.mkdir()
    (folder / ".story.lock").symlink_to(target)
    with pytest.raises(InputError, match=r"\.story\.lock is a symbolic link"):
        render(art, out=tmp_path / "out", processed_root=tmp_path / "processed", quiet=True)
    if dangling:
        assert not target.exists()  # O_CREAT through a dangling link would have made it
    else:
        assert target.read_text() == "precious\n"


def test_the_lock_itself_never_opens_through_a_link_or_a_hard_link(tmp_path):
    """The race: a link planted after the render looked, before it opened the lock."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / ".a.lock").symlink_to(victim)
    with pytest.raises(InputError, match="symbolic link"):
        SlugLock(tmp_path, "a").__enter__()
    os.link(victim, tmp_path / ".b.lock")
    with pytest.raises(InputError, match="hard link"):
        SlugLock(tmp_path, "b").__enter__()
    assert victim.read_text() == "precious\n"


# --- 2. a link planted as failed/ -----------------------------------------------------------------------------

def test_a_link_planted_as_failed_is_refused_and_nothing_is_pruned(tmp_path):
    art = article(tmp_path / "in")
    victim = victim_folder(tmp_path)
    before = snapshot(victim)
    briefing = tmp_path / "out" / "story"
    briefing.mkdir(parents=True)
    (briefing / "manifest.json").write_text("{}")
    (briefing / "failed").symlink_to(victim)
    r = cli("render", "--article", str(art), "--out", str(tmp_path / "out"))
    assert r.returncode == 2 and b"failed is a symbolic link" in r.stderr and b"Traceback" not in r.stderr, r.stderr
    assert snapshot(victim) == before


def test_pruning_never_goes_through_a_link(tmp_path):
    victim = victim_folder(tmp_path)
    before = snapshot(victim)
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "failed").symlink_to(victim)
    prune_failed(runs / "failed")
    for i in range(7):  # a link among the runs is not a run
        (runs / f"2021010{i}T000000Z-abcdef").symlink_to(victim / f"2020010{i}T000000Z-abcdef")
    prune_failed(runs)
    assert snapshot(victim) == before


# --- 3. a link as the tables' folder, or anywhere in the two trees -----------------------------------------

@pytest.mark.parametrize("plant", ["processed/story", "processed/story/briefing", "out/story/failed/x",
                                   "out/story"])
def test_a_link_anywhere_in_the_trees_a_render_takes_over_is_refused(tmp_path, plant):
    art = article(tmp_path / "in")
    victim = victim_folder(tmp_path)
    before = snapshot(victim)
    for tree in ("processed/story", "out/story"):
        (tmp_path / tree).mkdir(parents=True, exist_ok=True)
    (tmp_path / "out/story/manifest.json").write_text("{}")
    (tmp_path / "processed/story/article.json").write_text("{}")
    link = tmp_path / plant
    if link.exists():
        os.rename(link, tmp_path / "moved-away")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(victim, target_is_directory=True)
    with pytest.raises(InputError, match="is a symbolic link where the render writes") as info:
        prepare(art, tmp_path / "out", processed_root=tmp_path / "processed")
    assert str(link) in str(info.value)
    assert snapshot(victim) == before
    assert not list((tmp_path / "out").glob(".old-*"))  # 19: no link left behind as an old briefing


def test_a_hard_link_where_the_render_rewrites_a_file_is_refused(tmp_path):
    art = article(tmp_path / "in")
    victim = tmp_path / "victim.json"
    victim.write_text("precious\n")
    folder = tmp_path / "processed/story/briefing"
    folder.mkdir(parents=True)
    os.link(victim, folder / "summary.json")
    with pytest.raises(InputError, match="other hard link"):
        prepare(art, tmp_path / "out", processed_root=tmp_path / "processed")
    assert victim.read_text() == "precious\n"


def test_extract_refuses_a_linked_out_folder(tmp_path):
    art = article(tmp_path / "in")
    victim = victim_folder(tmp_path)
    before = snapshot(victim)
    (tmp_path / "tables").symlink_to(victim)
    r = cli("extract", str(art), "--out", str(tmp_path / "tables"))
    assert r.returncode == 2 and b"symbolic link" in r.stderr, r.stderr
    assert snapshot(victim) == before and (tmp_path / "tables").is_symlink()


def test_refuse_links_lets_a_plain_tree_through(tmp_path):
    (tmp_path / "a/b/c").mkdir(parents=True)
    (tmp_path / "a/b/c/f.csv").write_text("x")
    nofollow.refuse_links(tmp_path / "a")
    nofollow.refuse_links(tmp_path / "missing")  # made later by the render


# --- 5. control characters everywhere a string enters --------------------------------------------------------

def test_control_characters_in_the_body_are_removed_and_said(tmp_path):
    body = ("The council spent £4.2m\x07 on roads\x1b, up from £3.1m.\ufffe\n\nIts leader\x0bsaid more\x85 "
            "money would follow.\n\n" + "The meeting heard from residents about the plans for the roads.\n\n" * 8)
    art = article(tmp_path, text=body.encode("utf-8"))
    a = read_article(art)
    assert strip_unprintable(a.text)[1] == 0
    assert "£4.2m on roads, up from £3.1m." in a.text
    assert any("removed 5 control" in w for w in a.warnings), a.warnings


def test_control_characters_in_a_sidecar_and_a_case_file_are_removed(tmp_path):
    art = article(tmp_path)
    (tmp_path / "story.meta.yaml").write_text('title: "Five\\x07 jailed\\x1b"\noutlet: "Gazette\\u000c"\n'
                                              'published_note: "x\\uFFFEy"\n')
    meta = load_meta(None, article_path=art)
    assert (meta.title, meta.outlet, meta.published_note) == ("Five jailed", "Gazette", "xy")
    assert meta.warnings and "removed 4" in meta.warnings[0]
    case = tmp_path / "case.yaml"
    case.write_text(CASES.joinpath("harbourside-case.yaml").read_text().replace("Defendant A", 'Defendant\\x1b A')
                    .replace("{name: Defendant\\x1b A", '{name: "Defendant\\x1b A"'))
    assert load_case(case).data["defendants"][0]["name"] == "Defendant A"
    warnings: list[str] = []
    yamlfile.load(case, "case file", warnings)
    assert warnings and "removed 1" in warnings[0]


@pytest.mark.parametrize("value", ["gdp\x07", "x\x1by.yaml", "\udcff.yaml"])
def test_a_parameter_with_control_characters_is_refused(tmp_path, value):
    art = article(tmp_path)
    with pytest.raises(InputError, match="control characters"):
        prepare(art, tmp_path / "out", {"case" if value.endswith("yaml") else "deflator": value},
                processed_root=tmp_path / "processed")


@pytest.mark.slow
def test_control_characters_in_title_body_and_defendant_names_render(tmp_path):
    """What stopped notebook 03 (the chart's SVG) and 02 (the body) now renders, the characters gone."""
    src = CASES / "harbourside-fraud.txt"
    folder = tmp_path / "in"
    art = article(folder, "fraud.txt", src.read_text(encoding="utf-8").replace(" jailed", "\x0c jailed\x07", 2)
                  .encode("utf-8"))
    (folder / "fraud.meta.yaml").write_text('title: "Five\\x1b jailed\\x07 over fake charity\\uFFFE"\n'
                                            'outlet: "Test\\x00 Gazette"\ncase: case.yaml\n')
    (folder / "case.yaml").write_text(CASES.joinpath("harbourside-case.yaml").read_text()
                                      .replace("{name: Defendant A", '{name: "Defendant\\x1b\\x07 A"'))
    r = render(art, out=tmp_path / "out", processed_root=tmp_path / "processed", quiet=True)
    html = r.html.read_text(encoding="utf-8")
    assert "Five jailed over fake charity" in html and "Defendant A" in html
    assert strip_unprintable(html)[1] == 0 and r.pdf.stat().st_size > 0


# --- 9. paths that are not UTF-8 ------------------------------------------------------------------------------

@pytest.mark.parametrize("flag", ["--article", "--out"])
def test_a_path_with_undecodable_bytes_is_exit_2(tmp_path, flag):
    art = article(tmp_path)
    bad = os.fsdecode(bytes(tmp_path) + b"/\xff\xfe.txt")
    args = ["render", "--article", bad if flag == "--article" else str(art),
            "--out", bad if flag == "--out" else str(tmp_path / "out")]
    r = cli(*args)
    assert r.returncode == 2 and b"is not valid UTF-8" in r.stderr and b"Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


# --- 12. extract holds the render's lock -----------------------------------------------------------------------

def test_extract_waits_for_no_render_of_the_same_tables(tmp_path):
    art = article(tmp_path / "in")
    with render_locks(tmp_path / "out", tmp_path / "processed", "story"):
        r = cli("extract", str(art), "--out", str(tmp_path / "processed/story"))
    assert r.returncode == 75 and b"being rendered" in r.stderr, r.stderr
    assert not (tmp_path / "processed/story").exists()
    assert cli("extract", str(art), "--out", str(tmp_path / "processed/story")).returncode == 0


def test_extract_has_a_time_limit(tmp_path):
    art = article(tmp_path)
    r = cli("extract", str(art), "--out", str(tmp_path / "t"), "--timeout", "0")
    assert r.returncode == 2 and b"--timeout" in r.stderr


# --- 13. text is stored as text, escaped once when drawn -------------------------------------------------------

def test_a_key_figure_label_is_stored_as_text_not_html(tmp_path):
    from briefing import report, stages
    from briefing.extract import extract_article, write_tables
    from conftest import REFERENCE

    art = article(tmp_path, text="The council will spend £6m on four children's homes, or £1.5m per home, it said "
                                 "on Monday.\n".encode())
    write_tables(extract_article(art), tmp_path / "p")
    stages.run_funding(tmp_path / "p", REFERENCE)
    texts = report.key_figure_texts(report.load(tmp_path / "p"))
    assert any("children's homes" in t for t in texts), texts
    assert not any("&#" in t or "&amp;" in t for t in texts), texts


# --- 15. a length limit for metadata ---------------------------------------------------------------------------

@pytest.mark.parametrize("field, n", [("title", 501), ("outlet", 201), ("url", 2001)])
def test_an_overlong_metadata_field_is_exit_2(tmp_path, field, n):
    art = article(tmp_path)
    (tmp_path / "story.meta.yaml").write_text(f"{field}: {'x' * n}\n")
    r = cli("render", "--article", str(art), "--out", str(tmp_path / "out"))
    assert r.returncode == 2 and f"field '{field}' is {n:,} characters".encode() in r.stderr, r.stderr


# --- 16. hard links --------------------------------------------------------------------------------------------

def test_a_hard_linked_article_is_refused(tmp_path):
    art = article(tmp_path)
    os.link(art, tmp_path / "other.txt")
    with pytest.raises(InputError, match="other hard link"):
        read_article(tmp_path / "other.txt")


# --- 17. one stray byte in a UTF-8 file ------------------------------------------------------------------------

def test_a_stray_byte_in_utf8_is_replaced_and_reported_not_decoded_as_windows_1252():
    data = "The council’s budget is £4.512bn this year.".encode() + b" Caf\xe9 owners agree.\n"
    text, encoding, warnings = decode(data, "a.txt")
    assert "£4.512bn" in text and "Â" not in text and "council’s" in text
    assert "Caf\ufffd owners" in text and encoding == "utf-8"
    assert warnings == ["a.txt: 1 byte not valid UTF-8 (the first at byte 50) replaced by \ufffd; the rest decoded "
                        "as UTF-8"]


def test_windows_1252_text_is_still_read_as_such():
    text, encoding, _ = decode(b"Caf\xe9 owners got \xa34m, \x93it is fair\x94.", "a.txt")
    assert (text, encoding) == ("Café owners got £4m, “it is fair”.", "cp1252")


# --- 18. a case that is a device or a pipe ---------------------------------------------------------------------

def test_a_case_that_is_a_device_or_a_pipe_says_so(tmp_path):
    art = article(tmp_path)
    os.mkfifo(tmp_path / "pipe.yaml")
    for case, what in (("/dev/zero", "is a device, not a file"), ("pipe.yaml", "is a named pipe, not a file"),
                       (".", "is a folder, not a file")):
        (tmp_path / "story.meta.yaml").write_text(f"case: {case}\n")
        with pytest.raises(InputError, match=what):
            load_meta(None, article_path=art)
    (tmp_path / "story.meta.yaml").unlink()
    with pytest.raises(InputError, match="case: file /dev/zero is a device"):
        prepare(art, tmp_path / "out", {"case": "/dev/zero"}, processed_root=tmp_path / "processed")


# --- 20. --wait ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("wait", ["-5", "nan", "1e400", "inf", "86401"])
def test_an_impossible_wait_is_exit_2(tmp_path, wait):
    art = article(tmp_path)
    r = cli("render", "--article", str(art), "--out", str(tmp_path / "out"), "--wait", wait)
    assert r.returncode == 2 and b"--wait: must be a number of seconds" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_summary_json_holds_plain_text(tmp_path):
    """The index draws summary.json with escaping: what it stores must be the characters themselves."""
    from briefing.batch import write_index

    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps({"title": "Children's homes <b>", "key_figures": ["£7m: for "
                                                                                                        "children's homes"]}))
    html = write_index(tmp_path).read_text()
    assert "Children&#x27;s homes &lt;b&gt;" in html and "children&#x27;s homes" in html and "&amp;#x27;" not in html


# --- a render killed between publishing's two renames ---------------------------------------------------------

def test_a_briefing_left_in_its_old_folder_is_put_back_not_deleted(tmp_path):
    from briefing.publish import leftovers, recover

    reports = tmp_path / "out"
    old = reports / ".old-story-abc123"
    old.mkdir(parents=True)
    (old / "manifest.json").write_text("{}")
    (old / "briefing.pdf").write_bytes(b"%PDF last good")
    assert recover(reports, "story") == reports / "story"
    assert (reports / "story" / "briefing.pdf").read_bytes() == b"%PDF last good"
    assert leftovers(reports, "story") == []
    assert recover(reports, "story") is None  # a published briefing is never replaced by an old one


def test_an_article_naming_hundreds_of_defendants_drafts_no_case_file(tmp_path):
    """Past the case file's limit the drafted record is left out (notebook 03 once failed on it); the defendants
    stay in the tables."""
    import pandas as pd

    from briefing import court_record, sentencing

    n = sentencing.MAX_DEFENDANTS + 1
    defendants = pd.DataFrame([{"name": f"Person {i}", "age": 30.0, "outcome": "convicted", "sentence": "determinate",
                                "term_years": 2.0, "minimum_term_years": float("nan"), "suspended_years": float("nan"),
                                "offences": "theft", "text": "jailed for two years", "start": 0, "end": 20}
                               for i in range(n)])
    draft = court_record.draft_case({"title": "T"}, defendants, {})
    assert len(draft["defendants"]) == n
    assert court_record.load_draft(draft, tmp_path) is None
    assert court_record.load_draft(dict(draft, defendants=draft["defendants"][:3]), tmp_path) is not None
