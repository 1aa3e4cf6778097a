"""Many articles: render each matching article in parallel, locally or on a Dask cluster, then index them.

Each article goes through :func:`briefing.render.render` unchanged (incremental, atomic, locked), in a worker
process of its own; one article failing never stops the others. The run writes ``reports/batch-<run-id>.json``
and regenerates ``reports/index.html``.

A local batch stops as a whole: SIGINT, SIGTERM or SIGHUP stop its workers, their kernels and the kernel template
before the signal takes effect, and a batch killed outright is noticed by all of them (see
:class:`briefing.batch.local._LocalRun`).

``run`` drives a batch: ``articles`` finds what to render, ``local`` or ``cluster`` renders it, each article in a
``worker``; ``stopping`` is the batch's side of a signal; ``index`` writes the index page. Imports go that way
only: ``worker``, ``articles``, ``stopping`` and ``index`` import nothing of the others.
"""

from .articles import expand, find_articles
from .articles import _one_article_per_slug  # noqa: F401  (tested on its own)
from .index import INDEX_CSS, index_link, write_index
from .local import WORKER_PRELOAD, schedule
from .run import format_table, run_batch
from .worker import Job, render_one

__all__ = ["INDEX_CSS", "WORKER_PRELOAD", "Job", "expand", "find_articles", "format_table", "index_link",
           "render_one", "run_batch", "schedule", "write_index"]
