"""papermill's nbclient engine, writing the executed notebook when a run fails for any reason.

Renders ask papermill to write each notebook once at the end rather than after every cell
(``request_save_on_cell_execute=False``, see ``render._Run._execute``). papermill then writes it only after a
successful run or an error raised inside a cell; a cell that times out, or a kernel that dies, left no notebook
in ``failed/<run-id>/`` to show how far the run got. This engine writes it in those cases too.
"""

from __future__ import annotations

from papermill.engines import NBClientEngine, papermill_engines
from papermill.iorw import write_ipynb

NAME = "briefing"


class SaveOnFailureEngine(NBClientEngine):
    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, save_on_failure=None, **kwargs):
        try:
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        except BaseException:
            if save_on_failure:
                try:
                    write_ipynb(nb_man.nb, save_on_failure)
                except Exception:  # the original error matters more than this copy
                    pass
            raise


papermill_engines.register(NAME, SaveOnFailureEngine)
