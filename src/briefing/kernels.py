"""Jupyter kernels forked from a warm template process.

Starting an IPython kernel costs a Python start-up, ipykernel's imports and then the notebook's own imports
(pandas, pandera, matplotlib, the ``briefing`` package): 1.5-2 CPU-seconds per kernel, four kernels per render.
A *template* process pays for those imports once. Each notebook's kernel is then ``os.fork()``-ed from it and
runs ipykernel's own ``IPKernelApp`` with the connection file jupyter_client wrote, exactly as
``python -m ipykernel_launcher -f FILE`` would: same ports, messages, signals and shutdown, driven by papermill
as usual. Only the imports are shared (copy-on-write); every kernel has its own fresh namespace.

The template imports in waves (``preload``) so the first notebook's kernel is not kept waiting for modules only
later notebooks use. It is used only when the kernel spec runs this same interpreter with ``ipykernel_launcher``
(the project's ``python3`` kernel); any other spec, or any failure, falls back to jupyter_client's ordinary
launch. ``BRIEFING_FORK_KERNELS=0`` turns it off.

The template exits when the process that started it closes its pipe (including when that process is killed);
kernels forked from it watch it as their parent and exit with it.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time

ENABLED = os.environ.get("BRIEFING_FORK_KERNELS", "1") != "0"
RECONNECT_MS = 10  # how soon a client retries a kernel port that is not bound yet (ZeroMQ's default: 100)
# Options for every rendering kernel, forked or not. A render's cells do not belong in the user's IPython history
# (~/.ipython/profile_default/history.sqlite grew by a session per kernel, four per briefing, for ever), and the
# history database cost each kernel some 0.05 CPU-seconds: a session row written at start and end, and a thread.
KERNEL_ARGS = ["--HistoryManager.enabled=False"]


_RUNS_IPYKERNEL: dict[str, bool] = {}


def kernel_args(kernel_name: str = "python3") -> list[str]:
    """:data:`KERNEL_ARGS` for a kernel spec that runs ipykernel (options another kernel would not know), else []."""
    if kernel_name not in _RUNS_IPYKERNEL:
        try:
            from jupyter_client.kernelspec import get_kernel_spec

            argv = get_kernel_spec(kernel_name).argv
        except Exception:  # no such kernel (yet): starting it will say so; asked again next time
            return []
        _RUNS_IPYKERNEL[kernel_name] = any("ipykernel" in a for a in argv)
    return list(KERNEL_ARGS) if _RUNS_IPYKERNEL[kernel_name] else []


# What ipykernel imports while a kernel starts (IPKernelApp.initialize: the shell, its debugger, history, the
# inspector...): loaded once in the template, a forked kernel's start is a few hundredths of a second of CPU.
KERNEL_MODULES = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "IPython.core.debugger",
    "IPython.core.completerlib", "IPython.core.oinspect", "IPython.extensions.storemagic", "sqlite3", "pydoc",
    "psutil", "tornado.queues", "tornado.platform.asyncio", "faulthandler", "encodings.idna",
)


class _Channel:
    """Line-delimited JSON requests to the template, over its stdin/stdout or a Unix socket; one at a time."""

    def __init__(self, wfile, rfile):
        self.wfile, self.rfile, self.lock = wfile, rfile, threading.Lock()
        self.preloaded: set[str] = set()

    def preload(self, modules: str) -> None:
        """Ask the template to import ``modules`` (an import statement) before it forks the next kernel; once per
        statement (a batch worker's renders all ask for the same ones, and the template has them already)."""
        with self.lock:
            if modules not in self.preloaded:
                self.preloaded.add(modules)
                self._send({"import": modules})

    def spawn(self, argv: list[str], cwd: str, env: dict, log: str | None = None) -> int:
        """Fork a kernel running ``IPKernelApp`` with ``argv``; returns its process id. The kernel's own
        stdout and stderr are appended to ``log`` (default: the template's stderr)."""
        with self.lock:
            self._send({"spawn": argv, "cwd": cwd, "env": env, "log": log})
            line = self.rfile.readline()
        if not line:
            raise RuntimeError("the kernel template process has exited")
        return int(json.loads(line)["pid"])

    def _send(self, msg: dict) -> None:
        self.wfile.write(json.dumps(msg).encode() + b"\n")
        self.wfile.flush()


class KernelTemplate(_Channel):
    """A process holding the imports kernels need; ``spawn`` forks a kernel from it.

    With ``shared=True`` it also listens on a Unix socket (``address``), so that other processes on this machine
    (a batch's workers) fork their kernels from it with :class:`TemplateClient`: one template per machine."""

    def __init__(self, cwd: str | None = None, env: dict | None = None, shared: bool = False):
        env = dict(os.environ if env is None else env)
        # numpy's BLAS must not have started threads before a fork; these notebooks do no large linear algebra
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        self.address = None
        args = [sys.executable, "-m", "briefing.kernels"]
        if shared:
            import tempfile

            self._dir = tempfile.mkdtemp(prefix="briefing-kernels-")  # mode 0700: only this user connects
            self.address = os.path.join(self._dir, "template.sock")
            args += ["--listen", self.address]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd, env=env,
                                     close_fds=True)
        super().__init__(self.proc.stdin, self.proc.stdout)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        if self.address:
            import shutil

            shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class TemplateClient(_Channel):
    """Another process's connection to a shared :class:`KernelTemplate` (``address``: its Unix socket)."""

    def __init__(self, address: str, timeout: float = 30.0):
        import socket

        self.address = address
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(address)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.file = self.sock.makefile("rwb")
        super().__init__(self.file, self.file)

    def alive(self) -> bool:
        return os.path.exists(self.address)

    def close(self) -> None:
        self.file.close()
        self.sock.close()


def kernel_argv(kernel_cmd: list[str]) -> list[str] | None:
    """The IPKernelApp arguments of a kernel command that the template can run, else None."""
    if len(kernel_cmd) < 3 or kernel_cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    try:
        if not os.path.samefile(kernel_cmd[0], sys.executable):
            return None
    except OSError:
        return None
    return list(kernel_cmd[3:])


class ForkedKernelProcess:
    """The parts of ``subprocess.Popen`` that jupyter_client's local provisioner uses, for a kernel that is a
    child of the template (which reaps it), not of this process."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # gone; its exit status went to the template
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


@functools.cache
def _client_class():
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        """jupyter_client's client, with a ``wait_for_ready`` that does not idle.

        The stock one ends by reading IOPub until it has been quiet for 0.2 s; papermill calls it again on a
        kernel that is already up, so every notebook waited at least 0.4 s for nothing. This one checks the same
        things (a ``kernel_info_reply`` on shell, and IOPub delivering) and then drains what is already queued.
        Late IOPub messages are harmless: clients match them to their request and drop the rest.

        Its sockets also retry a refused connection after 10 ms instead of ZeroMQ's 100 ms: a client connects as
        soon as the kernel is launched, before the kernel has bound its ports, so every kernel start used to
        idle for a tenth of a second."""

        def _context_default(self):
            ctx = super()._context_default()
            ctx.reconnect_ivl = RECONNECT_MS  # a default for every socket made in this client's own context
            return ctx

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=0.5)
                except Empty:
                    msg = None
                if msg is not None and msg["msg_type"] == "kernel_info_reply":
                    try:  # the kernel publishes its busy/idle status for that request: IOPub is connected
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
            while await self.iopub_channel.msg_ready():
                await self.iopub_channel.get_msg(timeout=0)

    return ReadyClient


def kernel_manager(template: KernelTemplate | None, log: str | None = None, **kwargs):
    """An AsyncKernelManager whose kernel is forked from ``template`` when it can be (else launched as usual);
    a forked kernel writes its stdout and stderr to ``log``."""
    from jupyter_client.manager import AsyncKernelManager

    class ForkingKernelManager(AsyncKernelManager):
        clients: list = []

        def client(self, **kw):
            kc = super().client(**kw)
            self.clients = [*self.clients, kc]
            return kc

        def stop_clients(self) -> None:
            """Close the channels of every client made for this kernel (papermill leaves them open when it
            was given the kernel manager; their heartbeat threads would slow the process's exit)."""
            for kc in self.clients:
                try:
                    kc.stop_channels()
                except Exception:
                    pass
            self.clients = []

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            argv = kernel_argv(kernel_cmd) if template is not None else None
            if argv is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            env = {k: str(v) for k, v in (kw.get("env") or os.environ).items()}
            cwd = str(kw.get("cwd") or os.getcwd())
            pid = template.spawn(argv, cwd, env, log)  # a fork: milliseconds
            prov = self.provisioner
            prov.process, prov.pid, prov.pgid, prov.cwd = ForkedKernelProcess(pid), pid, pid, cwd
            self._reconcile_connection_info(prov.connection_info)

    return ForkingKernelManager(client_factory=_client_class(), **kwargs)


# --- the template process -----------------------------------------------------------------------------------

def _kernel(req: dict) -> None:
    """In the forked child: become an ordinary IPython kernel; never returns."""
    code = 1
    try:
        os.setsid()  # its own process group, as jupyter_client gives kernels, so signals reach only it
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        if req.get("log"):
            log = os.open(req["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            os.dup2(log, 2)
            os.close(log)
        os.dup2(2, 1)  # stdout was the template's reply pipe; the kernel's own output goes where its stderr goes
        os.close(null)
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        # ipykernel exits when its parent (the template) goes; its default was read when the template imported it
        os.environ["JPY_PARENT_PID"] = parent = str(os.getppid())
        argv = [*req["spawn"], f"--IPKernelApp.parent_handle={parent}"]
        sys.argv = [sys.argv[0], *argv]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=argv)
        code = 0
        _skip_teardown(kernelapp.IPKernelApp.instance())
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001  (reported on stderr, which is the render's log)
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _skip_teardown(app) -> None:
    """The kernel has answered its shutdown request and this process is about to end (``os._exit``): drop
    ipykernel's ``close``, which only closes sockets the end of the process closes anyway. It stops the IOPub thread
    and then joins the control thread, which can still be flushing output through that stopped thread: a deadlock
    (about one shutdown in ten once history was off) that lasted until the kernel manager's SIGTERM, 2.5 s later.
    The other exit handlers run, IPython's among them: clearing the notebook's namespace closes (and so flushes)
    any file a notebook left open."""
    import atexit

    atexit.unregister(app.close)


def _serve(listen: str | None = None) -> None:
    """The template's loop: requests arrive on stdin (from the process that started it) and, when ``listen`` is
    given, on a Unix socket; each is answered on the channel it came on. It exits when stdin closes."""
    import selectors
    import socket

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they exit, never left as zombies
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the render, which shuts the kernels down
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPython adds the working directory back in each kernel
    # pandera imports hypothesis (a test dependency here) for data synthesis, which no notebook does: some 0.5
    # CPU-seconds in every kernel, or in this template at start. Marked absent, as pandera's own fallback expects.
    sys.modules.setdefault("hypothesis", None)
    sel = selectors.DefaultSelector()
    sel.register(0, selectors.EVENT_READ, ("stdin", lambda data: os.write(1, data)))
    server = None
    if listen:  # listening before the imports: clients connect at once, their requests wait for them
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(listen)
        server.listen(64)
        sel.register(server, selectors.EVENT_READ, ("server", None))
    import importlib

    for name in KERNEL_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # optional parts (the debugger, psutil): the kernel copes without them
            pass

    buffers: dict = {}
    while True:
        for key, _ in sel.select():
            kind, reply = key.data
            if kind == "server":
                conn, _ = server.accept()
                sel.register(conn, selectors.EVENT_READ, ("client", conn.sendall))
                continue
            data = os.read(0, 1 << 16) if kind == "stdin" else key.fileobj.recv(1 << 16)
            if not data:
                if kind == "stdin":
                    if listen:  # the owner may have died without removing the socket's private folder
                        import shutil

                        shutil.rmtree(os.path.dirname(listen), ignore_errors=True)
                    os._exit(0)  # the owner closed the pipe (or died): no interpreter teardown of the imports
                sel.unregister(key.fileobj)
                key.fileobj.close()
                buffers.pop(key.fileobj, None)
                continue
            buf = buffers.get(key.fileobj, b"") + data
            *lines, buffers[key.fileobj] = buf.split(b"\n")
            for line in lines:
                _handle(json.loads(line), reply, sel)


def _handle(req: dict, reply, sel) -> None:
    if "import" in req:
        try:
            exec(req["import"], {})
        except Exception as exc:  # the notebook's own import will fail and say why
            print(f"kernel template: {req['import']!r}: {type(exc).__name__}: {exc}", file=sys.stderr)
    elif "spawn" in req:
        # what the template imported stays out of the kernels' garbage collections, which would otherwise
        # touch (and so copy) every shared page: Python's advice for pre-fork servers (gc.freeze)
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            for key in list(sel.get_map().values()):  # the kernel keeps none of the template's channels
                if key.fd > 2:
                    os.close(key.fd)
            _kernel(req)
        reply(json.dumps({"pid": pid}).encode() + b"\n")


if __name__ == "__main__":
    _serve(sys.argv[2] if sys.argv[1:2] == ["--listen"] else None)
