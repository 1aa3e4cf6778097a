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

``template`` starts a template (:class:`KernelTemplate`) or connects to another process's (:class:`TemplateClient`);
``template_process`` is what runs in the template process (``python -m briefing.kernels``) and in a kernel just
forked from it; ``manager`` is jupyter_client's side (:func:`kernel_manager`, the kernel options); ``folders``
the private folders. ``template_process`` imports none of the others: it runs in a process of its own.
"""

import os

from .folders import OWNER_FILE, private_folder, remove_stale_folders, temp_base
from .folders import _remove_folder  # noqa: F401  (a batch removes its private folder with it)
from .manager import KERNEL_ARGS, RECONNECT_MS, ForkedKernelProcess, kernel_args, kernel_argv, kernel_manager
from .template import KernelTemplate, TemplateClient, kill_spawned
from .template import _Channel  # noqa: F401  (tested on its own)
from .template_process import KERNEL_MODULES

ENABLED = os.environ.get("BRIEFING_FORK_KERNELS", "1") != "0"

__all__ = ["ENABLED", "KERNEL_ARGS", "KERNEL_MODULES", "OWNER_FILE", "RECONNECT_MS", "ForkedKernelProcess",
           "KernelTemplate", "TemplateClient", "kernel_args", "kernel_argv", "kernel_manager", "kill_spawned",
           "private_folder", "remove_stale_folders", "temp_base"]
