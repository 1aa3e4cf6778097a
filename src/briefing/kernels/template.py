"""Starting a kernel template (:class:`KernelTemplate`), or connecting to another process's
(:class:`TemplateClient`), and asking it to import modules and fork kernels; the kernels this process had forked,
to kill them when it is told to stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

from .folders import _remove_folder, private_folder, remove_stale_folders


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
