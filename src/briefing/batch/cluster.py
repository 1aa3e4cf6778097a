"""A batch on a Dask cluster: each article a task (``briefing[cluster]``)."""

from __future__ import annotations

from ..errors import InputError
from .worker import Job, render_one


def _check_scheduler(address: str) -> None:
    """A Dask scheduler address, checked before anything else: ``tcp://host:port`` (or tls, ws, wss, ucx)."""
    try:
        from distributed.comm import parse_address, parse_host_port, registry
    except ImportError:
        raise InputError("--scheduler needs dask.distributed: pip install 'briefing[cluster]'") from None
    example = "give the scheduler's address, e.g. tcp://10.0.0.5:8786"
    try:
        scheme, location = parse_address(address)
        if scheme not in registry.backends or scheme == "inproc":  # inproc: only within one process
            known = ", ".join(sorted(set(registry.backends) - {"inproc"}))
            raise ValueError(f"unknown scheme {scheme!r}; Dask's are {known}")
        _, port = parse_host_port(location)
        if port is None or not 0 < int(port) < 65536:
            raise ValueError("no port number, or not one from 1 to 65535")
    except (ValueError, TypeError) as exc:
        raise InputError(f"--scheduler: {address!r} is not a Dask scheduler address ({exc}); {example}") from None


def _on_dask(jobs: list[Job], scheduler: str, progress) -> list[dict]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise InputError("--scheduler needs dask.distributed: pip install 'briefing[cluster]'") from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"--scheduler: cannot reach {scheduler} ({exc})") from None
    except ValueError as exc:
        raise InputError(f"--scheduler: {scheduler!r} is not a Dask scheduler address ({exc})") from None
    rows = []
    with client:
        futures = client.map(render_one, jobs, pure=False)
        try:
            for f in as_completed(futures):
                rows.append(f.result())
                progress.update(rows[-1])
        except BaseException:
            # stopped: articles not yet started are cancelled (one a cluster worker is rendering runs to its end:
            # Dask cannot interrupt a running task)
            client.cancel(futures)
            raise
    return rows
