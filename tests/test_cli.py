"""The command line: help, clear one-line errors with exit code 2, nothing written on bad input."""

import subprocess
import sys

import pytest

from conftest import ARTICLES, SEED


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "briefing.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_help_lists_commands_and_exit_codes():
    r = run("--help")
    assert r.returncode == 0
    for word in ("render", "extract", "params", "75"):
        assert word in r.stdout
    r = run("render", "--help")
    assert r.returncode == 0 and "--article" in r.stdout and "-p NAME VALUE" in r.stdout and "exit codes" in r.stdout


def test_params_lists_defaults():
    r = run("params")
    assert r.returncode == 0
    assert "deflator" in r.stdout and "'gdp'" in r.stdout and "[gdp | cpi]" in r.stdout and "base_year" in r.stdout


def test_extract_writes_tables(tmp_path):
    out = tmp_path / "out"
    r = run("extract", str(SEED), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["article.json", "text.txt", "paragraphs.csv", "figures.csv", "quotes.csv", "people.csv", "organisations.csv",
         "dates.csv", "checks.csv", "defendants.csv", "court.csv", "court.json"])
    assert "£48m" in (out / "figures.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00", None])
def test_extract_bad_input_exit_2_one_line_nothing_written(tmp_path, content):
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out"
    r = run("extract", str(path), "--out", str(out))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]
    assert not out.exists()


def test_extract_bad_metadata_names_the_field(tmp_path):
    meta = tmp_path / "m.yaml"
    meta.write_text("title: x\npublished: 13/01/2014\n", encoding="utf-8")
    r = run("extract", str(ARTICLES / "no-numbers.txt"), "--meta", str(meta), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "published" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args, words", [
    (["-p", "deflator", "rpi"], ["deflator", "gdp", "cpi"]),
    (["-p", "base_year", "1850-51"], ["base_year", "2000-01", "2030-31"]),
    (["-p", "colour", "red"], ["colour", "deflator"]),
    (["-p", "case", "/nonexistent/case.yaml"], ["case", "not found"]),
])
def test_render_bad_parameters_exit_2_before_any_kernel(tmp_path, args, words):
    r = run("render", "--out", str(tmp_path / "reports"), *args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "executing" not in r.stderr
    for w in words:
        assert w in r.stderr
    assert not (tmp_path / "reports").exists()


def test_render_bad_article_exit_2(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    r = run("render", "--article", str(bad), "--out", str(tmp_path / "reports"))
    assert r.returncode == 2 and "empty" in r.stderr and "Traceback" not in r.stderr
