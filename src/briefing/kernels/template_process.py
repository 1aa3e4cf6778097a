"""The template process (``python -m briefing.kernels``): it imports what kernels need, forks a kernel on each
request, and ends with its owner; and what a kernel does just after the fork, before it becomes ipykernel's
``IPKernelApp``. It runs in a process of its own: nothing here is used by the process that started it."""

from __future__ import annotations

import gc
import json
import os
import signal
import sys


# What ipykernel imports while a kernel starts (IPKernelApp.initialize: the shell, its debugger, history, the
# inspector...): loaded once in the template, a forked kernel's start is a few hundredths of a second of CPU.
KERNEL_MODULES = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "IPython.core.debugger",
    "IPython.core.completerlib", "IPython.core.oinspect", "IPython.extensions.storemagic", "sqlite3", "pydoc",
    "psutil", "tornado.queues", "tornado.platform.asyncio", "faulthandler", "encodings.idna",
)


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
        try:
            reply(json.dumps({"pid": pid}).encode() + b"\n")
        except OSError:  # the one who asked is gone (a worker killed by a stopping batch): nothing to tell, and
            pass         # the template serves the others; its end of the channel is closed when read as empty


def _main(argv: list[str]) -> None:
    opts = dict(zip(argv[::2], argv[1::2]))
    _serve(opts.get("--folder"), opts.get("--listen"), int(opts["--owner"]) if "--owner" in opts else None)
