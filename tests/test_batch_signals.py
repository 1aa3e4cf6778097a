"""A batch that stops when told (issue 25, items 8 and 14): SIGTERM, Ctrl-C (SIGINT to the process group, as a
terminal sends it) and SIGKILL of a running ``briefing batch`` leave no process of it running 5 s later, publish
nothing after, and leave nothing in the temporary directory (kernel connection files hold the kernels' HMAC key).

Each test starts a real batch of small articles in two workers, kills it once a briefing is published or a kernel
is up, and checks the processes it had (recorded before the kill), the reports folder and ``$TMPDIR``."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from conftest import ARTICLES

pytestmark = pytest.mark.slow

SOURCES = ["no-numbers.txt", "wire-straight-quotes.txt", "number-words.txt", "relative-dates.txt"]


@pytest.fixture()
def short_tmp():
    """A fresh, empty TMPDIR with a short path (under a long one, sockets' private folders go to /tmp instead,
    where this test could not tell them from other runs')."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="bt-", dir="/tmp"))
    yield tmp
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture()
def batch_dirs(tmp_path, short_tmp):
    arts, out = tmp_path / "arts", tmp_path / "reports"
    arts.mkdir()
    for copy in ("a", "b", "c"):  # twelve small articles: the batch runs long enough to be stopped midway
        for name in SOURCES:
            shutil.copy(ARTICLES / name, arts / f"{copy}-{name}")
    return arts, out, short_tmp


def start_batch(arts: Path, out: Path, tmp: Path, *args: str) -> subprocess.Popen:
    """``briefing batch`` in a session of its own (so that a Ctrl-C can be sent to its process group), with SIGINT
    handled as in a terminal even if this test runs with it ignored."""
    return subprocess.Popen([sys.executable, "-m", "briefing.cli", "batch", str(arts / "*.txt"), "--workers", "2",
                             "--out", str(out), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, TMPDIR=str(tmp)), start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def published(out: Path) -> dict:
    """Every briefing in the reports folder (its run id), and every other entry there (staging folders, summaries,
    the index): what anything publishing or starting a render would change."""
    state = {}
    if out.is_dir():
        for p in sorted(out.iterdir()):
            manifest = p / "manifest.json"
            try:
                state[p.name] = json.loads(manifest.read_text())["run_id"] if manifest.is_file() else "-"
            except (OSError, ValueError):
                state[p.name] = "?"
    return state


def briefings(out: Path) -> int:
    return sum(1 for v in published(out).values() if v not in ("-", "?"))


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def template_and_kernels(pid: int) -> tuple[list, list]:
    """The batch's kernel template (a child of the batch running briefing.kernels) and the kernels forked from it."""
    templates, kernels = [], []
    for p in descendants(pid):
        try:
            if p.ppid() == pid and "briefing.kernels" in " ".join(p.cmdline()):
                templates.append(p)
                kernels += p.children()
        except psutil.Error:
            pass
    return templates, kernels


def running(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.Error:
            pass
    return out


def wait_for(condition, timeout: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"the batch ended first: {proc.communicate()}"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def stop_and_check(proc, out: Path, tmp: Path, sig: int, group: bool = False) -> tuple[int, str]:
    """Record the batch's processes, send ``sig``, and check: none of them runs 5 s after the signal; nothing is
    published once the batch has exited (nor, for SIGKILL, after the signal); ``tmp`` is empty."""
    procs = descendants(proc.pid)
    templates, kernels = template_and_kernels(proc.pid)
    assert templates and kernels, "a kernel template and at least one kernel are up"
    names = " ".join(" ".join(p.cmdline()) for p in running(procs))
    assert "forkserver" in names  # the fork server and the workers forked from it are in the record
    before = published(out)
    sent = time.monotonic()
    (os.killpg if group else os.kill)(proc.pid, sig)
    try:
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    exited = published(out)
    if sig == signal.SIGKILL:
        assert exited == before
    while running(procs) and time.monotonic() < sent + 5:
        time.sleep(0.1)
    left = [(p.pid, " ".join(p.cmdline())[:80]) for p in running(procs)]
    for p in running(procs):  # never leave them to the next test
        p.kill()
    assert left == [], f"still running 5 s after the signal: {left}"
    time.sleep(6)  # longer than one of these articles takes to render: a worker left going would publish by now
    assert published(out) == exited, "published after the batch had stopped"
    leftovers = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))
    assert leftovers == [], f"left in TMPDIR: {leftovers}"
    return proc.returncode, stderr


def test_sigterm_stops_the_workers_and_publishes_nothing_after(batch_dirs):
    arts, out, tmp = batch_dirs
    proc = start_batch(arts, out, tmp)
    wait_for(lambda: briefings(out) >= 1 and template_and_kernels(proc.pid)[1], 120, proc)
    code, stderr = stop_and_check(proc, out, tmp, signal.SIGTERM)
    assert code == -signal.SIGTERM  # the signal's own effect, once the workers are gone (a shell shows 143)
    assert "SIGTERM" in stderr and "Traceback" not in stderr
    assert briefings(out) < 12  # stopped midway, not run to its end
    assert not list(out.glob("batch-*.json"))


def test_ctrl_c_stops_the_workers_and_publishes_nothing_after_interrupted(batch_dirs):
    """A terminal's Ctrl-C reaches every process of the group: the workers leave it to the batch."""
    arts, out, tmp = batch_dirs
    proc = start_batch(arts, out, tmp)
    wait_for(lambda: briefings(out) >= 1 and template_and_kernels(proc.pid)[1], 120, proc)
    code, stderr = stop_and_check(proc, out, tmp, signal.SIGINT, group=True)
    assert code == 130
    assert stderr.strip().splitlines()[-1] == "briefing: interrupted" and "Traceback" not in stderr
    assert briefings(out) < 12


def test_sigint_to_the_batch_alone_stops_it_too(batch_dirs):
    arts, out, tmp = batch_dirs
    proc = start_batch(arts, out, tmp)
    wait_for(lambda: template_and_kernels(proc.pid)[1], 120, proc)  # a kernel is up
    code, stderr = stop_and_check(proc, out, tmp, signal.SIGINT)
    assert code == 130 and stderr.strip().splitlines()[-1] == "briefing: interrupted"


def test_a_batch_killed_outright_leaves_no_process_and_publishes_nothing(batch_dirs):
    """SIGKILL: no clean-up can run in the batch. The workers watch a pipe from it, the template its stdin, the
    kernels their template (Linux: PR_SET_PDEATHSIG): all end on their own, and the template removes the folder."""
    arts, out, tmp = batch_dirs
    proc = start_batch(arts, out, tmp)
    wait_for(lambda: template_and_kernels(proc.pid)[1], 120, proc)  # a kernel is up: renders are under way
    code, _ = stop_and_check(proc, out, tmp, signal.SIGKILL)
    assert code == -signal.SIGKILL


def test_a_render_killed_by_sigterm_leaves_no_connection_file(tmp_path, short_tmp):
    """Kernel connection files (ports and HMAC key) go in the template's private folder, which goes with the
    template when the render is killed (before, jupyter_client's /tmp/tmp*.json stayed)."""
    tmp = short_tmp
    proc = subprocess.Popen([sys.executable, "-m", "briefing.cli", "render", "--article",
                             str(ARTICLES / "court-sentencing-ranges.txt"), "--out", str(tmp_path / "reports"), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, TMPDIR=str(tmp)))
    wait_for(lambda: list(tmp.glob("briefing-kernels-*/kernel-*.json")), 120, proc)
    procs = descendants(proc.pid)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    while (running(procs) or list(tmp.iterdir())) and time.monotonic() < sent + 5:
        time.sleep(0.1)
    left = running(procs)
    for p in left:
        p.kill()
    assert left == [] and list(tmp.rglob("*")) == []


def test_forked_kernels_end_at_once_with_their_template():
    from jupyter_core.utils import run_sync

    from briefing import kernels, paths

    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's (elsewhere ipykernel's poller takes up to a second)")
    template = kernels.KernelTemplate(cwd=str(paths.NOTEBOOKS_DIR))
    try:
        km = kernels.kernel_manager(template, kernel_name="python3")
        run_sync(km.start_kernel)(cwd=str(paths.NOTEBOOKS_DIR), extra_arguments=kernels.KERNEL_ARGS)
        assert km.connection_file.startswith(template.folder + os.sep)
        kernel = psutil.Process(km.provisioner.pid)
        template.proc.kill()
        template.proc.wait()
        deadline = time.monotonic() + 0.5
        while running([kernel]) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not running([kernel])
    finally:
        template.close()
    assert not os.path.exists(template.folder)
