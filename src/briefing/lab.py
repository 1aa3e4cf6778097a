"""JupyterLab, as ``make lab`` starts it: notebooks are saved without their outputs.

Exploring a notebook and letting JupyterLab autosave it wrote every output, and the kernel's language metadata,
into the committed file: git then showed all four notebooks modified and the hygiene test failed. ``make lab``
passes :func:`strip_outputs` as the Jupyter server's pre-save hook, so a notebook is stored exactly as it is
committed (nbstripout's form, with the notebook metadata the repository keeps) however it is used; outputs
live in the open notebook until it is closed. ``make setup`` also installs nbstripout as the git filter for
notebooks edited anywhere else (``.gitattributes``).
"""

from __future__ import annotations

# the keys nbstripout's command line strips besides outputs (nbstripout/_nbstripout.py), so both give one form
EXTRA_KEYS = ["metadata.signature", "metadata.widgets", "cell.metadata.collapsed", "cell.metadata.ExecuteTime",
              "cell.metadata.execution", "cell.metadata.heading_collapsed", "cell.metadata.hidden",
              "cell.metadata.scrolled"]


def strip_notebook(nb):
    """``nb`` (a NotebookNode) without outputs, counts, run metadata or the kernel's version details."""
    from nbstripout import strip_output

    nb = strip_output(nb, keep_output=False, keep_count=False, keep_id=False, extra_keys=list(EXTRA_KEYS))
    language = nb.metadata.get("language_info", {}).get("name", "python")
    nb.metadata["language_info"] = {"name": language}
    return nb


def strip_outputs(model, **kwargs):
    """Jupyter server pre-save hook (``ContentsManager.pre_save_hook``)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    import nbformat

    model["content"] = strip_notebook(nbformat.from_dict(model["content"]))
