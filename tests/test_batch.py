"""Batch rendering: local worker processes and a Dask cluster, summary, index page."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from briefing.batch import expand, find_articles, run_batch, write_index
from briefing.errors import InputError
from conftest import ARTICLES

GOOD = ["no-numbers.txt", "wire-straight-quotes.txt"]


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "articles"
    d.mkdir()
    for name in GOOD:
        shutil.copy(ARTICLES / name, d / name)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (d / "notes.md").write_text("not an article")
    return d


def test_expand_patterns(folder):
    got = [p.name for p in expand([str(folder / "*.txt")])]
    assert got == ["binary.txt", "empty.txt", "no-numbers.txt", "wire-straight-quotes.txt"]
    assert [p.name for p in expand([str(folder)])] == got
    with pytest.raises(InputError, match="matches no file"):
        expand([str(folder / "nothing-*.txt")])


@pytest.mark.slow
def test_local_batch_mixed_good_and_bad(folder, tmp_path):
    import tempfile

    out = tmp_path / "reports"
    # the batch's temporary files: none may be left (multiprocessing's, the kernels'); a short path, so that its
    # sockets' folders are made there (see kernels.temp_base)
    tmp = tempfile.mkdtemp(prefix="bt-", dir="/tmp")
    try:
        r = subprocess.run([sys.executable, "-m", "briefing.cli", "batch", str(folder / "*.txt"), "--workers", "2",
                            "--out", str(out)], capture_output=True, text=True, env=dict(os.environ, TMPDIR=tmp))
        assert os.listdir(tmp) == []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert r.returncode == 1, r.stderr
    assert "2 of 4 briefings ready" in r.stdout and "bad input" in r.stdout
    summary = json.loads(next(out.glob("batch-*.json")).read_text())
    status = {a["slug"]: a["status"] for a in summary["articles"]}
    assert status == {"binary": "bad input", "empty": "bad input", "no-numbers": "rendered",
                      "wire-straight-quotes": "rendered"}
    for slug in ("no-numbers", "wire-straight-quotes"):
        assert (out / slug / "briefing.pdf").is_file()
        manifest = json.loads((out / slug / "manifest.json").read_text())
        # every kernel forked from the batch's one shared template, none started the slow way
        assert [s.get("kernel") for s in manifest["stages"][:4]] == ["forked"] * 4
    assert not list(out.glob("**/*.sock"))
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    assert links and all((out / link).is_file() for link in links)
    assert "no-numbers/briefing.html" in links and "wire-straight-quotes/briefing.pdf" in links
    assert "binary" not in index
    # a second batch finds everything up to date
    again = subprocess.run([sys.executable, "-m", "briefing.cli", "batch", *(str(folder / n) for n in GOOD),
                            "--out", str(out), "-q"], capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.count("up to date") == 2


@pytest.mark.slow
def test_dask_cluster_renders_the_same_bytes_as_local(folder, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    articles = [str(folder / n) for n in GOOD]
    local = run_batch(articles, out=tmp_path / "local", workers=2, processed_root=tmp_path / "p-local", quiet=True)
    assert local["ok"]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_batch(articles, out=tmp_path / "dask", scheduler=cluster.scheduler_address,
                           processed_root=tmp_path / "p-dask", quiet=True)
    assert remote["ok"] and remote["where"].startswith("tcp://")
    for name in GOOD:
        slug = name[:-4]
        for doc in ("briefing.html", "briefing.pdf"):
            assert (tmp_path / "local" / slug / doc).read_bytes() == (tmp_path / "dask" / slug / doc).read_bytes()


def test_unreachable_scheduler_is_bad_input(folder, tmp_path):
    pytest.importorskip("dask.distributed")
    r = subprocess.run([sys.executable, "-m", "briefing.cli", "batch", str(folder / "no-numbers.txt"), "--scheduler",
                        "tcp://127.0.0.1:9", "--out", str(tmp_path / "r")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "cannot reach" in r.stderr and "Traceback" not in r.stderr


def test_index_escapes_titles(tmp_path):
    d = tmp_path / "x"
    d.mkdir()
    (d / "summary.json").write_text(json.dumps({"title": "<script>alert(1)</script>", "outlet": "O", "published": "",
                                                "key_figures": ["£5m: <b>sum</b>"]}))
    html = write_index(tmp_path).read_text()
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


@pytest.mark.slow
def test_a_worker_forks_every_article_s_kernels_from_one_template(folder, tmp_path, monkeypatch):
    """A batch worker keeps one warm kernel template for all its articles: four kernels per article, one template."""
    from briefing import batch, kernels
    from briefing.batch import worker

    spawned = []
    real_spawn = kernels.KernelTemplate.spawn

    def counting_spawn(self, *args, **kw):
        spawned.append(self.proc.pid)
        return real_spawn(self, *args, **kw)

    monkeypatch.setattr(kernels.KernelTemplate, "spawn", counting_spawn)
    monkeypatch.setattr(worker, "_TEMPLATE", None)
    rows = [batch.render_one(batch.Job(str(folder / name), str(tmp_path / "reports"), None, {}, str(tmp_path / "processed")))
            for name in GOOD]
    try:
        assert [r["status"] for r in rows] == ["rendered", "rendered"], rows
        assert len(spawned) == 8 and len(set(spawned)) == 1
        assert worker._TEMPLATE.proc.poll() is None  # still there for the next article
        for name in GOOD:
            log = (tmp_path / "reports" / name.removesuffix(".txt") / "render.log").read_text(encoding="utf-8")
            assert "Traceback" not in log and "kernel template:" not in log
    finally:
        worker._TEMPLATE.close()


def test_only_the_last_articles_run_their_notebooks_side_by_side():
    from briefing.batch import Job, schedule

    jobs = [Job(f"{i}.txt", "out", None, {}, None) for i in range(5)]
    assert [j.parallel for j in schedule(jobs, "sock", cores=2)] == [False] * 4 + [True]
    assert [j.parallel for j in schedule(jobs, None, cores=4)] == [False] * 2 + [True] * 3
    assert [j.parallel for j in schedule(jobs[:2], None, cores=8)] == [True, True]  # fewer articles than cores
    assert [j.parallel for j in schedule(jobs, None, cores=1)] == [False] * 5
    assert {j.kernel_template for j in schedule(jobs, "sock", cores=2)} == {"sock"}


# --- linked folders (issue 25, item 4) -------------------------------------------------------------------------

@pytest.fixture()
def linked(tmp_path):
    """arts/ holds an article, a folder with one, a link to a folder of articles elsewhere, a link to a folder
    with no article, and a link back to itself (which glob's ``**`` would follow until paths grow too long)."""
    arts, elsewhere, empty = tmp_path / "arts", tmp_path / "elsewhere", tmp_path / "no-articles"
    (arts / "sub").mkdir(parents=True)
    (elsewhere / "deeper").mkdir(parents=True)
    empty.mkdir()
    (empty / "notes.md").write_text("no article")
    for path in (arts / "top.txt", arts / "sub" / "inner.txt", elsewhere / "secret.txt",
                 elsewhere / "deeper" / "secret2.txt"):
        shutil.copy(ARTICLES / "no-numbers.txt", path)
    (arts / "linked").symlink_to(elsewhere, target_is_directory=True)
    (arts / "sub" / "images").symlink_to(empty, target_is_directory=True)
    (arts / "sub" / "loop").symlink_to(arts, target_is_directory=True)
    return tmp_path


def test_a_linked_folder_below_the_pattern_is_refused_not_followed(linked):
    arts = linked / "arts"
    for pattern in (f"{arts}/**/*.txt", f"{arts}/**", f"{arts}/*/*.txt", f"{arts}/*", f"{arts}/linked*/*.txt"):
        found, refused = find_articles([pattern])
        names = sorted(p.name for p in found)
        assert "secret.txt" not in names and "secret2.txt" not in names, pattern
        # one row for the link to articles; none for the link to a folder without any; the loop back to arts/
        # is a link too (what it leads to is arts/ again)
        links = sorted(r["article"] for r in refused)
        assert str(arts / "linked") in links and str(arts / "sub" / "images") not in links, (pattern, links)
        for row in refused:
            assert row["status"] == "bad input" and "link to a folder" in row["reason"]
    found, refused = find_articles([f"{arts}/**/*.txt"])
    assert sorted(p.name for p in found) == ["inner.txt", "top.txt"]
    assert sorted(r["article"] for r in refused) == [str(arts / "linked"), str(arts / "sub" / "loop")]
    # a link the user names in the pattern's literal part is the user's choice: followed
    assert [p.name for p in expand([f"{arts}/linked/*.txt"])] == ["secret.txt"]
    assert [p.name for p in expand([str(arts / "linked")])] == ["secret.txt"]
    (linked / "via").symlink_to(arts, target_is_directory=True)
    found, refused = find_articles([f"{linked}/via/**/*.txt"])
    assert sorted(p.name for p in found) == ["inner.txt", "top.txt"]
    assert sorted(r["article"] for r in refused) == [str(linked / "via" / "linked"), str(linked / "via" / "sub" / "loop")]


def test_expansion_matches_glob_where_there_is_no_link(folder):
    """Without links, the batch's own expansion finds what glob.glob(recursive=True) does: '**' for any depth,
    hidden names only for a pattern that starts with '.', a matched folder for the articles in it."""
    import glob
    from pathlib import Path

    (folder / "sub" / "deep").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    for name in ("sub/a.txt", "sub/deep/b.txt", ".hidden/c.txt", "sub/.d.txt", "x[1].txt"):
        (folder / name).write_text("An article.")

    def by_glob(pattern):
        found = set()
        for m in glob.glob(pattern, recursive=True):
            p = Path(m)
            if p.is_dir():
                found |= {os.path.abspath(q) for q in p.glob("*.txt")}
            elif p.suffix == ".txt":
                found.add(os.path.abspath(p))
        return found

    for pattern in ("**/*.txt", "*/*.txt", "**", "sub/**/*.txt", "*.txt", ".*/*.txt", "sub/.*.txt", "s?b/*",
                    "sub/**", "*"):
        want = by_glob(str(folder / pattern))
        assert want and {str(p) for p in expand([str(folder / pattern)])} == want, pattern
    assert [p.name for p in expand([str(folder / "x[1].txt")])] == ["x[1].txt"]  # a name with glob's characters


def test_a_batch_renders_nothing_through_a_linked_folder(linked):
    """The command line: the link is a "bad input" row naming it, exit 1, nothing published from it."""
    out = linked / "reports"
    r = subprocess.run([sys.executable, "-m", "briefing.cli", "batch", f"{linked}/arts/lin*/**/*.txt", "--out", str(out)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    summary = json.loads(next(out.glob("batch-*.json")).read_text())
    rows = {a["article"]: a for a in summary["articles"]}
    assert rows[str(linked / "arts" / "linked")]["status"] == "bad input"
    assert "linked" in r.stdout and "bad input" in r.stdout
    assert not any(p.name.startswith("secret") for p in out.iterdir())


# --- arguments refused before anything is written (items 10 and 11) -------------------------------------------

@pytest.mark.parametrize("address", ["http://x", "x", "tcp://", "tcp://host:notaport", "tcp://host:0",
                                     "inproc://x", "tcp://host:70000"])
def test_a_scheduler_address_that_is_not_one_is_bad_input(folder, tmp_path, address):
    pytest.importorskip("dask.distributed")
    out = tmp_path / "r"
    r = subprocess.run([sys.executable, "-m", "briefing.cli", "batch", str(folder / "no-numbers.txt"), "--scheduler",
                        address, "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--scheduler" in lines[0] and "not a Dask scheduler address" in lines[0], lines
    assert "internal error" not in r.stderr
    assert not out.exists()


def test_out_in_the_tables_folder_is_refused_before_anything_is_written(folder, tmp_path):
    root = tmp_path / "project"
    processed = root / "data" / "processed"
    processed.mkdir(parents=True)
    (processed / "keep").mkdir()
    env = dict(os.environ, BRIEFING_ROOT=str(root))
    for out in (processed, processed / "sub", root / "data"):
        r = subprocess.run([sys.executable, "-m", "briefing.cli", "batch", str(folder / "*.txt"), "--out", str(out)],
                           capture_output=True, text=True, timeout=120, env=env)
        assert r.returncode == 2, r.stderr
        assert "--out" in r.stderr and "tables' folder" in r.stderr and len(r.stderr.strip().splitlines()) == 1
        assert sorted(p.name for p in (root / "data").rglob("*")) == ["keep", "processed"], out
    with pytest.raises(InputError, match="tables' folder"):
        run_batch([str(folder / "*.txt")], out=tmp_path / "p" / "reports", processed_root=tmp_path / "p")
    assert not (tmp_path / "p").exists()


# --- private folders of killed batches ----------------------------------------------------------------------------

def test_a_killed_owner_s_private_folder_is_removed_by_the_next_run(tmp_path, monkeypatch):
    """A batch and its template killed at once (kill -9 of the process group) leave their folder; the next batch
    or template removes it, and never a folder whose owner still runs."""
    import tempfile

    from briefing import kernels

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    code = ("import os, sys; from briefing import kernels; f, _ = kernels.private_folder('briefing-batch-1-'); "
            "open(os.path.join(f, 'kernel-1.json'), 'w').write('{}'); print(f, flush=True); "
            "sys.stdin.read() if sys.argv[1:] == ['wait'] else None; os._exit(0)")
    dead = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, TMPDIR=str(tmp_path))).stdout.strip()
    live = subprocess.Popen([sys.executable, "-c", code, "wait"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=dict(os.environ, TMPDIR=str(tmp_path)))
    try:
        live_folder = live.stdout.readline().strip()
        (tmp_path / "briefing-kernels-notmine").mkdir()  # no owner file: not one of ours, or being made
        assert os.path.isdir(dead) and os.path.isdir(live_folder)
        kernels.remove_stale_folders()
        assert not os.path.exists(dead)
        assert os.path.isdir(live_folder) and (tmp_path / "briefing-kernels-notmine").is_dir()
    finally:
        live.stdin.close()
        live.wait(timeout=30)
    kernels.remove_stale_folders()
    assert not os.path.exists(live_folder)
