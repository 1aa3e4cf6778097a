"""The notebooks: committed clean, a tagged parameters cell, and each runs top to bottom with its defaults."""

import json
import re

import nbformat
import papermill as pm
import pytest

from briefing import paths
from conftest import ROOT

NOTEBOOKS = [ROOT / "notebooks" / n for n in paths.NOTEBOOKS]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, nb_path.name


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_title_then_parameters_cell(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells.index(tagged[0]) == 1
    assert nb.metadata.kernelspec.name == "python3"
    assert pm.inspect_notebook(str(nb_path))  # papermill can read its parameters


def test_no_logic_in_notebooks():
    """Thin notebooks: no function or class definitions, no loops over article text."""
    for nb_path in NOTEBOOKS:
        nb = nbformat.read(nb_path, as_version=4)
        for c in nb.cells:
            if c.cell_type == "code":
                assert not re.search(r"^\s*(def|class) |\bimport re\b", c.source, re.M), nb_path.name


@pytest.mark.slow
def test_each_notebook_runs_with_its_defaults(tmp_path):
    """As in JupyterLab: no parameters passed, cwd = notebooks/, the kernel named in the notebook."""
    for nb_path in NOTEBOOKS:
        out = tmp_path / nb_path.name
        pm.execute_notebook(str(nb_path), str(out), cwd=str(nb_path.parent), progress_bar=False, kernel_name="python3")
        nb = nbformat.read(out, as_version=4)
        assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    processed = ROOT / "data" / "processed" / "oxford-times-2014-01-13-mp-urges-vigilance"
    assert (processed / "funding" / "findings.json").exists() and (processed / "sentencing" / "claims.csv").exists()
