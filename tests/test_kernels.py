"""Kernels forked from the warm template are ordinary, separate IPython kernels driven through jupyter_client."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from jupyter_core.utils import run_sync

from briefing import kernels, paths

pytestmark = pytest.mark.slow


@pytest.fixture
def template():
    with kernels.KernelTemplate(cwd=str(paths.NOTEBOOKS_DIR)) as t:
        t.preload("import json, briefing.text")
        yield t


def start(template):
    km = kernels.kernel_manager(template, kernel_name="python3")
    run_sync(km.start_kernel)(cwd=str(paths.NOTEBOOKS_DIR), extra_arguments=kernels.KERNEL_ARGS)
    kc = km.client()
    kc.start_channels()
    run_sync(kc.wait_for_ready)(timeout=60)
    return km, kc


def stop(km, kc):
    kc.stop_channels()
    run_sync(km.shutdown_kernel)(now=False)


def run(kc, code: str, timeout: float = 30):
    out = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            out.append(msg["content"]["ename"])

    reply = run_sync(kc.execute_interactive)(code, output_hook=hook, timeout=timeout)
    return reply["content"]["status"], "".join(out).strip()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_forked_kernels_are_separate_and_start_fresh(template):
    (km1, kc1), (km2, kc2) = start(template), start(template)
    pids = km1.provisioner.pid, km2.provisioner.pid
    try:
        assert isinstance(km1.provisioner.process, kernels.ForkedKernelProcess)
        status, out = run(kc1, "import os, sys\nx = 41\nprint(os.getpid(), os.getppid(), 'briefing.text' in sys.modules, "
                               "os.getcwd(), sys.path[0] != '' or os.getcwd() in sys.path)")
        pid, ppid, preloaded, cwd, _ = out.split()
        assert status == "ok"
        assert int(pid) == km1.provisioner.pid != km2.provisioner.pid
        assert int(ppid) == template.proc.pid  # forked from the template, not started by this process
        assert preloaded == "True"  # the template's imports are there ...
        assert cwd == str(paths.NOTEBOOKS_DIR)
        assert run(kc2, "print('x' in dir(), 'json' in dir())") == ("ok", "False False")  # ... its names are not
        assert run(kc1, "print(x + 1)") == ("ok", "42")
        code = "import numpy, pandas\nprint(pandas.Series([1.5, 2.5]).mean(), int(numpy.ones((50, 50)) @ numpy.ones(50) @ numpy.ones(50)))"
        assert run(kc1, code) == ("ok", "2.0 2500")  # numpy's BLAS works after the fork
    finally:
        stop(km1, kc1)
        stop(km2, kc2)
    assert not any(alive(p) for p in pids)


def test_interrupt_and_shutdown_reach_a_forked_kernel(template):
    km, kc = start(template)
    pid = km.provisioner.pid
    kc.execute("import time\ntime.sleep(30)")
    time.sleep(1)
    run_sync(km.interrupt_kernel)()
    reply = run_sync(kc.get_shell_msg)(timeout=10)
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert run(kc, "print('still here')") == ("ok", "still here")
    stop(km, kc)
    assert not alive(pid)


def test_kernels_exit_when_the_template_is_killed(template):
    km, kc = start(template)
    pid = km.provisioner.pid
    template.proc.kill()  # as when the render is killed: the template's kernels must not be left behind
    deadline = time.time() + 10
    while alive(pid) and time.time() < deadline:
        time.sleep(0.2)
    kc.stop_channels()
    assert not alive(pid)


def test_other_kernel_commands_are_launched_as_usual():
    assert kernels.kernel_argv([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"]) == ["-f", "c.json"]
    assert kernels.kernel_argv(["/usr/bin/env", "-m", "ipykernel_launcher", "-f", "c.json"]) is None
    assert kernels.kernel_argv([sys.executable, "-m", "other_kernel", "-f", "c.json"]) is None
    km, kc = start(None)  # no template: jupyter_client's ordinary launch
    try:
        assert not isinstance(km.provisioner.process, kernels.ForkedKernelProcess)
        assert run(kc, "print(1 + 1)") == ("ok", "2")
    finally:
        stop(km, kc)


def test_a_dead_template_is_an_error_not_a_hang(template):
    template.proc.kill()
    template.proc.wait()
    with pytest.raises((RuntimeError, OSError)):
        template.spawn(["-f", "unused.json"], str(paths.NOTEBOOKS_DIR), dict(os.environ))


def test_a_shared_template_serves_other_processes():
    """A batch's workers fork their kernels from one template on the machine, through its Unix socket."""
    with kernels.KernelTemplate(cwd=str(paths.NOTEBOOKS_DIR), shared=True) as shared:
        code = ("import sys, json; from jupyter_core.utils import run_sync; from briefing import kernels; "
                f"c = kernels.TemplateClient({shared.address!r}); "
                "km = kernels.kernel_manager(c, kernel_name='python3'); run_sync(km.start_kernel)(extra_arguments=kernels.KERNEL_ARGS); "
                "kc = km.client(); kc.start_channels(); run_sync(kc.wait_for_ready)(timeout=60); "
                "r = run_sync(kc.execute_interactive)('import os; x = os.getppid()', user_expressions={'p': 'x'}, timeout=30); "
                "print(r['content']['user_expressions']['p']['data']['text/plain']); "
                "kc.stop_channels(); run_sync(km.shutdown_kernel)(now=False)")
        parents = []
        for _ in range(2):  # two other processes, one after the other, one template
            r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, r.stderr
            parents.append(int(r.stdout.split()[-1]))
        assert parents == [shared.proc.pid] * 2
        address = shared.address
    assert not os.path.exists(address)  # the socket and its folder go with the template


def test_clients_retry_a_port_not_yet_bound_after_milliseconds(template):
    """A client connects as soon as its kernel is launched, before the kernel has bound its ports; ZeroMQ's
    default retry (100 ms) made every kernel start idle that long."""
    km = kernels.kernel_manager(template, kernel_name="python3")
    km.write_connection_file()  # ports to connect to; no kernel needed
    kc = km.client()
    try:
        sock = kc.connect_shell()
        assert sock.reconnect_ivl == kernels.RECONNECT_MS < 100
        sock.close(linger=0)
    finally:
        kc.context.term()
        km.cleanup_connection_file()


def test_template_kernels_validate_with_pandera_without_hypothesis():
    """The template loads pandera's pandas backends once for every kernel, without hypothesis (a test
    dependency that pandera would import for data synthesis, which no notebook does)."""
    from briefing.render import NB1, WARM_UP

    with kernels.KernelTemplate(cwd=str(paths.NOTEBOOKS_DIR)) as t:
        t.preload(WARM_UP[NB1])
        km, kc = start(t)
        try:
            assert run(kc, "import sys; print('pandera.backends.pandas.builtin_checks' in sys.modules, "
                           "sys.modules.get('hypothesis', 'absent'))") == ("ok", "True None")
            code = ("import pandas as pd, pandera.pandas as pa\n"
                    "s = pa.DataFrameSchema({'n': pa.Column(int, pa.Check.ge(0))})\n"
                    "print(len(s.validate(pd.DataFrame({'n': [1, 2]}))))\n"
                    "s.validate(pd.DataFrame({'n': [-1]}))")
            status, out = run(kc, code)
            assert (status, out) == ("error", "2\nSchemaError")
        finally:
            stop(km, kc)


def test_a_shared_template_removes_its_socket_when_its_owner_dies():
    code = ("import os, sys; from briefing import kernels; t = kernels.KernelTemplate(shared=True); "
            "print(t.address, flush=True); os._exit(0)")  # gone without closing the template
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    folder = os.path.dirname(r.stdout.strip())
    assert folder and "briefing-kernels-" in folder
    deadline = time.time() + 30
    while os.path.exists(folder) and time.time() < deadline:
        time.sleep(0.1)
    assert not os.path.exists(folder)


def test_forked_kernels_end_on_their_shutdown_request_without_a_signal(template):
    """A kernel ends as soon as it has answered the shutdown request. ipykernel's own exit handler could deadlock
    (its control thread flushing output through the IOPub thread it had just stopped): about one shutdown in
    ten hung until the kernel manager sent SIGTERM, 2.5 s later."""
    from jupyter_client.manager import _ShutdownStatus

    statuses = []
    for _ in range(24):  # the race showed about once in ten: 24 shutdowns miss it less than one time in ten
        km, kc = start(template)
        assert run(kc, "print('out')") == ("ok", "out")
        stop(km, kc)
        statuses.append(km._shutdown_status)
    assert statuses == [_ShutdownStatus.ShutdownRequest] * 24  # not SigtermRequest or SigkillRequest


def test_rendering_kernels_keep_out_of_the_users_ipython_history(tmp_path, monkeypatch):
    ipython_dir = tmp_path / "ipython"
    monkeypatch.setenv("IPYTHONDIR", str(ipython_dir))
    with kernels.KernelTemplate(cwd=str(paths.NOTEBOOKS_DIR)) as t:
        km, kc = start(t)
        try:
            assert run(kc, "import IPython; print(IPython.paths.get_ipython_dir())") == ("ok", str(ipython_dir))
            assert run(kc, "x = 6 * 7; print(x)") == ("ok", "42")
        finally:
            stop(km, kc)
    history = ipython_dir / "profile_default" / "history.sqlite"
    assert (ipython_dir / "profile_default").is_dir() and not history.exists()


def test_a_batch_template_warms_the_extractor_up_for_every_kernel(tmp_path):
    """A template that serves many articles (handed to render, as a batch does) is asked to run the extraction
    once: later kernels inherit the compiled regular expressions instead of compiling them in every notebook 01."""
    from briefing.render import NB1, WARM_UP, render
    from conftest import ARTICLES

    with kernels.KernelTemplate(cwd=str(paths.NOTEBOOKS_DIR)) as t:
        t.preload(WARM_UP[NB1])  # as a batch starts it
        render(ARTICLES / "no-numbers.txt", out=tmp_path / "reports", processed_root=tmp_path / "processed",
               quiet=True, parallel=False, kernel_template=t)
        km, kc = start(t)
        try:  # an error in the warm-up would only be printed by the template: checked in a kernel forked after it
            assert run(kc, "import briefing.extract as e; print(e._warmed)") == ("ok", "True")
        finally:
            stop(km, kc)


def test_rendering_options_go_only_to_ipython_kernels(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "not-ipython"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text('{"argv": ["some-kernel", "-f", "{connection_file}"], "display_name": "Other", '
                                      '"language": "python"}')
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    assert kernels.kernel_args("not-ipython") == []
    assert kernels.kernel_args("python3") == kernels.KERNEL_ARGS


@pytest.fixture()
def short_tmp():
    """A fresh TMPDIR with a short path: under a long one (pytest's tmp_path) private folders go to /tmp instead
    (see kernels.temp_base), where a test could not tell its own from other runs'."""
    import shutil
    import tempfile
    from pathlib import Path

    tmp = Path(tempfile.mkdtemp(prefix="bt-", dir="/tmp"))
    yield tmp
    shutil.rmtree(tmp, ignore_errors=True)


def test_a_template_that_fails_at_start_is_closed(monkeypatch, short_tmp):
    """Kernels then start the ordinary way, and the template's process and socket folder do not linger."""
    from briefing.render import warm_kernel_template

    monkeypatch.setenv("TMPDIR", str(short_tmp))  # where the socket's private folder is made
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    started = []

    def broken_preload(self, modules):
        started.append(self)
        raise BrokenPipeError("the template process has exited")

    monkeypatch.setattr(kernels.KernelTemplate, "preload", broken_preload)
    assert warm_kernel_template(shared=True) is None
    assert len(started) == 1 and not started[0].alive()
    assert os.path.dirname(started[0].folder) == str(short_tmp)  # made here, so the check below means something
    assert list(short_tmp.iterdir()) == []


def test_a_channel_asks_for_each_preload_once():
    """Every article of a batch asks its worker's template for the same imports; only the first request is sent."""
    import io

    out = io.BytesIO()
    channel = kernels._Channel(out, io.BytesIO())
    for statement in ("import json", "import json", "import csv", "import json"):
        channel.preload(statement)
    assert out.getvalue().decode().splitlines() == ['{"import": "import json"}', '{"import": "import csv"}']


def test_a_shared_template_outlives_a_client_gone_before_its_reply():
    """A batch worker killed while it asked for a kernel closes its end before the answer: the template (which
    the other workers still use) must not fail on the write, nor print a traceback."""
    import json
    import socket

    with kernels.KernelTemplate(cwd=str(paths.NOTEBOOKS_DIR), shared=True) as shared:
        kernels.TemplateClient(shared.address).close()  # waits until the template listens
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(shared.address)
        s.sendall(json.dumps({"spawn": ["--version"], "cwd": str(paths.NOTEBOOKS_DIR), "env": {}, "log": None})
                  .encode() + b"\n")
        s.close()
        time.sleep(1.0)
        assert shared.proc.poll() is None  # still serving
        c = kernels.TemplateClient(shared.address)
        try:
            assert c.alive()
        finally:
            c.close()
