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
kernels forked from it watch it as their parent and exit with it (at once on Linux, where the kernel asks to be
killed when its parent dies; elsewhere within a second, through ipykernel's parent poller).

Each template has a private folder (mode 0700) holding its socket and the connection files (ports and the HMAC key)
of the kernels forked from it. The template removes it when it ends because its owner died; the owner removes it
when it closes the template; a folder whose owner and template were both killed is removed by the next template or
batch to start (:func:`remove_stale_folders`).
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
import uuid

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


# Kernels this process had forked from a template and has not seen end (pid: when it was forked), for
# kill_spawned: a batch worker told to stop ends its kernels, which are children of the template, not its own.
_SPAWNED: dict[int, float] = {}


def kill_spawned(sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to every kernel this process had forked from a template and that may still run (each is the
    leader of its own process group: the group gets it). A process id reused since is left alone."""
    try:
        import psutil
    except ImportError:
        psutil = None
    for pid, forked in list(_SPAWNED.items()):
        _SPAWNED.pop(pid, None)
        if psutil is not None:
            try:
                if psutil.Process(pid).create_time() > forked + 1:
                    continue  # not our kernel: it ended unseen, and its id went to a newer process
            except psutil.Error:
                continue
        try:
            os.killpg(pid, sig)
        except OSError:
            try:  # forked an instant ago, before it made its own group
                os.kill(pid, sig)
            except OSError:
                pass


# --- private folders ------------------------------------------------------------------------------------------

OWNER_FILE = ".owner"  # held locked (flock) by the process that made the folder, for as long as it runs


def temp_base() -> str:
    """Where private folders go: the temporary directory, unless its path is too long for the Unix sockets made
    in them (about 107 bytes in all); then /tmp, as Python 3.12's multiprocessing does."""
    import tempfile

    base = tempfile.gettempdir()
    if len(os.fsencode(base)) > 60 and os.path.isdir("/tmp") and os.access("/tmp", os.W_OK | os.X_OK):
        return "/tmp"
    return base


def private_folder(prefix: str) -> tuple[str, int]:
    """A new folder in the temporary directory, mode 0700, and the descriptor of the lock its maker holds on it
    (close it after removing the folder). While the lock is held, :func:`remove_stale_folders` leaves it alone."""
    import fcntl
    import tempfile

    folder = tempfile.mkdtemp(prefix=prefix, dir=temp_base())
    fd = os.open(os.path.join(folder, OWNER_FILE), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return folder, fd


def remove_stale_folders(prefixes: tuple[str, ...] = ("briefing-kernels-", "briefing-batch-")) -> None:
    """Remove the private folders (``prefixes``) of templates and batches that were killed with nobody left to clean
    up: folders of this user whose owner lock nobody holds. A folder being made (no lock file yet) is left."""
    import fcntl
    import shutil
    import stat
    import tempfile

    paths = []
    for top in dict.fromkeys((tempfile.gettempdir(), temp_base())):
        try:
            paths += [os.path.join(top, n) for n in os.listdir(top) if n.startswith(prefixes)]
        except OSError:
            pass
    for path in paths:
        try:
            st = os.lstat(path)
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
                continue
            fd = os.open(os.path.join(path, OWNER_FILE), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its owner is running
        finally:
            os.close(fd)
        shutil.rmtree(path, ignore_errors=True)


def _remove_folder(folder: str | None, lock_fd: int | None) -> None:
    import shutil

    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    if lock_fd is not None:
        try:
            os.close(lock_fd)
        except OSError:
            pass


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
        pid = int(json.loads(line)["pid"])
        _SPAWNED[pid] = time.time()
        return pid

    def _send(self, msg: dict) -> None:
        self.wfile.write(json.dumps(msg).encode() + b"\n")
        self.wfile.flush()


class KernelTemplate(_Channel):
    """A process holding the imports kernels need; ``spawn`` forks a kernel from it.

    With ``shared=True`` it also listens on a Unix socket (``address``), so that other processes on this machine
    (a batch's workers) fork their kernels from it with :class:`TemplateClient`: one template per machine.

    ``folder``: its private folder (socket, connection files), made by the caller, who removes it; by default the
    template makes its own and removes it on ``close``. Either way the template process removes it when it ends
    because its owner died."""

    def __init__(self, cwd: str | None = None, env: dict | None = None, shared: bool = False,
                 folder: str | None = None):
        env = dict(os.environ if env is None else env)
        # numpy's BLAS must not have started threads before a fork; these notebooks do no large linear algebra
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        self.address = None
        self._lock_fd = None
        if folder is None:
            remove_stale_folders()
            folder, self._lock_fd = private_folder("briefing-kernels-")  # mode 0700: only this user connects
        self.folder = folder
        args = [sys.executable, "-m", "briefing.kernels", "--folder", folder, "--owner", str(os.getpid())]
        if shared:
            self.address = os.path.join(folder, "template.sock")
            args += ["--listen", self.address]
        try:
            self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd, env=env,
                                         close_fds=True)
        except BaseException:
            _remove_folder(self.folder if self._lock_fd is not None else None, self._lock_fd)
            raise
        super().__init__(self.proc.stdin, self.proc.stdout)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        try:
            with self.lock:  # "closing, not dead": the template leaves the folder to its owner
                self._send({"close": True})
        except OSError:
            pass
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
        if self._lock_fd is not None:  # its own folder (a caller's folder is the caller's to remove)
            _remove_folder(self.folder, self._lock_fd)
            self._lock_fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class TemplateClient(_Channel):
    """Another process's connection to a shared :class:`KernelTemplate` (``address``: its Unix socket)."""

    def __init__(self, address: str, timeout: float = 30.0):
        import socket

        self.address = address
        self.folder = os.path.dirname(address)  # the template's private folder: connection files go there too
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
                _SPAWNED.pop(self.pid, None)
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
    a forked kernel writes its stdout and stderr to ``log``. With a template, the kernel's connection file (its
    ports and HMAC key) goes in the template's private folder, not the shared temporary directory, so that it goes
    with the folder when a render is killed before jupyter_client could remove it."""
    from jupyter_client.manager import AsyncKernelManager

    if template is not None and getattr(template, "folder", None):
        kwargs.setdefault("connection_file", os.path.join(template.folder, f"kernel-{uuid.uuid4().hex}.json"))

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

def _die_with_parent(parent: int) -> None:
    """Be killed when the template (this kernel's parent) exits, even by SIGKILL: at once on Linux
    (``PR_SET_PDEATHSIG``); elsewhere ipykernel's parent poller notices within a second."""
    if _PRCTL is not None:
        try:
            _PRCTL(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:
            pass
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def _find_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError, ImportError):
        return None


_PRCTL = None  # libc's prctl, looked up once by the template before its first fork


def _kernel(req: dict, parent: int) -> None:
    """In the forked child: become an ordinary IPython kernel; never returns."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the template's handler is not the kernel's
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        _die_with_parent(parent)
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
        os.environ["JPY_PARENT_PID"] = str(parent)
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


def _serve(folder: str | None = None, listen: str | None = None, owner: int | None = None) -> None:
    """The template's loop: requests arrive on stdin (from the process that started it, ``owner``) and, when
    ``listen`` is given, on a Unix socket; each is answered on the channel it came on. It exits when stdin closes,
    and at once when its owner dies (Linux: the owner's death sends it SIGTERM, even in the middle of an import;
    elsewhere stdin's end tells it), removing its private ``folder`` first unless its owner said it was closing
    (an owner that closes the template removes the folder itself; one that died cannot)."""
    import selectors
    import socket

    global _PRCTL
    _PRCTL = _find_prctl()
    signal.signal(signal.SIGTERM, _owner_gone)
    if _PRCTL is not None:
        try:
            _PRCTL(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG: SIGTERM when the owner's thread ends
        except Exception:
            pass
    _FOLDER[:] = [folder] if folder else []
    if owner and os.getppid() != owner:  # the owner died before that took effect
        _owner_gone()
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
                    _owner_gone()  # the owner closed the pipe (or died)
                sel.unregister(key.fileobj)
                key.fileobj.close()
                buffers.pop(key.fileobj, None)
                continue
            buf = buffers.get(key.fileobj, b"") + data
            *lines, buffers[key.fileobj] = buf.split(b"\n")
            for line in lines:
                _handle(json.loads(line), reply, sel)


_CLOSING = False  # the owner said it is closing the template (and so removes the folder itself)
_FOLDER: list[str] = []  # the template's private folder


def _owner_gone(signum=None, frame=None) -> None:
    """The template ends (its owner closed its pipe, died, or sent SIGTERM): the private folder goes unless the
    owner said it would remove it, and no interpreter teardown of the imports."""
    if _FOLDER and not _CLOSING:
        import shutil

        shutil.rmtree(_FOLDER[0], ignore_errors=True)
    os._exit(0)


def _handle(req: dict, reply, sel) -> None:
    global _CLOSING
    if req.get("close"):
        _CLOSING = True
    elif "import" in req:
        try:
            exec(req["import"], {})
        except Exception as exc:  # the notebook's own import will fail and say why
            print(f"kernel template: {req['import']!r}: {type(exc).__name__}: {exc}", file=sys.stderr)
    elif "spawn" in req:
        # what the template imported stays out of the kernels' garbage collections, which would otherwise
        # touch (and so copy) every shared page: Python's advice for pre-fork servers (gc.freeze)
        gc.freeze()
        parent = os.getpid()
        # no SIGTERM between the fork and the kernel's own handler: the template's would remove its folder
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
            raise
        if pid:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        if pid == 0:
            for key in list(sel.get_map().values()):  # the kernel keeps none of the template's channels
                if key.fd > 2:
                    os.close(key.fd)
            _kernel(req, parent)
        reply(json.dumps({"pid": pid}).encode() + b"\n")


def _main(argv: list[str]) -> None:
    opts = dict(zip(argv[::2], argv[1::2]))
    _serve(opts.get("--folder"), opts.get("--listen"), int(opts["--owner"]) if "--owner" in opts else None)


if __name__ == "__main__":
    _main(sys.argv[1:])
