"""Batch rendering: local worker processes and a Dask cluster, summary, index page."""

import json
import re
import shutil
import subprocess
import sys

import pytest

from briefing.batch import expand, run_batch, write_index
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
    out = tmp_path / "reports"
    r = subprocess.run([sys.executable, "-m", "briefing.cli", "batch", str(folder / "*.txt"), "--workers", "2",
                        "--out", str(out)], capture_output=True, text=True)
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

    spawned = []
    real_spawn = kernels.KernelTemplate.spawn

    def counting_spawn(self, *args, **kw):
        spawned.append(self.proc.pid)
        return real_spawn(self, *args, **kw)

    monkeypatch.setattr(kernels.KernelTemplate, "spawn", counting_spawn)
    monkeypatch.setattr(batch, "_TEMPLATE", None)
    rows = [batch.render_one(batch.Job(str(folder / name), str(tmp_path / "reports"), None, {}, str(tmp_path / "processed")))
            for name in GOOD]
    try:
        assert [r["status"] for r in rows] == ["rendered", "rendered"], rows
        assert len(spawned) == 8 and len(set(spawned)) == 1
        assert batch._TEMPLATE.proc.poll() is None  # still there for the next article
        for name in GOOD:
            log = (tmp_path / "reports" / name.removesuffix(".txt") / "render.log").read_text(encoding="utf-8")
            assert "Traceback" not in log and "kernel template:" not in log
    finally:
        batch._TEMPLATE.close()


def test_only_the_last_articles_run_their_notebooks_side_by_side():
    from briefing.batch import Job, schedule

    jobs = [Job(f"{i}.txt", "out", None, {}, None) for i in range(5)]
    assert [j.parallel for j in schedule(jobs, "sock", cores=2)] == [False] * 4 + [True]
    assert [j.parallel for j in schedule(jobs, None, cores=4)] == [False] * 2 + [True] * 3
    assert [j.parallel for j in schedule(jobs[:2], None, cores=8)] == [True, True]  # fewer articles than cores
    assert [j.parallel for j in schedule(jobs, None, cores=1)] == [False] * 5
    assert {j.kernel_template for j in schedule(jobs, "sock", cores=2)} == {"sock"}
