"""jupyter_client's side: a kernel manager whose kernel is forked from a template when it can be, a client that
does not idle while a kernel starts, and the options every rendering kernel gets."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
import uuid

from .template import _SPAWNED, KernelTemplate


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
