"""The notebooks: committed clean, a tagged parameters cell, and each runs top to bottom with its defaults."""

import json
import re

import nbformat
import papermill as pm
import pytest

from briefing import paths
from conftest import ROOT

NOTEBOOKS = [ROOT / "notebooks" / n for n in paths.NOTEBOOKS]


def committed(nb_path) -> str:
    """The notebook as git holds it (its index copy, which the nbstripout filter cleans as it is added), so that a
    session in JupyterLab, which saves outputs into the working file, does not fail this test; outside a git
    checkout, the file."""
    import subprocess

    rel = nb_path.relative_to(ROOT).as_posix()
    r = subprocess.run(["git", "show", f":{rel}"], cwd=ROOT, capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else nb_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(nb_path):
    text = committed(nb_path)
    nb = json.loads(text)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, nb_path.name
    # in nbstripout's form, so that its git filter leaves a clean notebook as it is
    import subprocess
    import sys

    stripped = subprocess.run([sys.executable, "-m", "nbstripout", "-t"], input=text, capture_output=True, text=True,
                              check=True).stdout
    assert stripped == text, f"{nb_path.name}: run .venv/bin/nbstripout on it"


def test_git_stores_a_notebook_saved_with_outputs_stripped(tmp_path):
    """A notebook saved with outputs (by an editor other than make lab's JupyterLab) is stored stripped by the git
    filter that make setup installs (.gitattributes names it): there is nothing to commit."""
    import shutil
    import subprocess
    import sys

    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    shutil.copy(NOTEBOOKS[1], repo / "notebooks" / NOTEBOOKS[1].name)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q"], cwd=repo, check=True)
    subprocess.run([sys.executable, "-m", "nbstripout", "--install"], cwd=repo, check=True)
    subprocess.run(git + ["add", "."], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-qm", "x"], cwd=repo, check=True)
    nb = nbformat.read(repo / "notebooks" / NOTEBOOKS[1].name, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="24000000.0\n")]
    code.execution_count = 3
    nbformat.write(nb, repo / "notebooks" / NOTEBOOKS[1].name)
    # git compares the stripped notebook with the committed one: no change to commit (git status itself may list
    # the file until it is added, since its size changed; in JupyterLab the pre-save hook below avoids even that)
    diff = subprocess.run(git + ["diff", "--stat"], cwd=repo, capture_output=True, text=True, check=True)
    assert diff.stdout == ""
    subprocess.run(git + ["add", "."], cwd=repo, check=True)
    status = subprocess.run(git + ["status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True)
    assert status.stdout == ""


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


def _fresh_copy(tmp_path):
    """The repository as a fresh clone has it: notebooks and data, no tables made yet."""
    import shutil

    root = tmp_path / "clone"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("processed"))
    (root / "data" / "processed").mkdir()
    return root


@pytest.mark.slow
@pytest.mark.parametrize("first", ["02-funding.ipynb", "03-sentencing.ipynb", "04-briefing.ipynb"])
def test_any_notebook_opened_first_on_a_fresh_clone(tmp_path, monkeypatch, first):
    """JupyterLab users open whichever notebook they like: it makes what it needs and says so in one line."""
    root = _fresh_copy(tmp_path)
    monkeypatch.setenv("BRIEFING_ROOT", str(root))
    out = tmp_path / first
    pm.execute_notebook(str(root / "notebooks" / first), str(out), cwd=str(root / "notebooks"), progress_bar=False,
                        kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    texts = [o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", [])]
    assert any("tables were missing: made them from data/raw/" in t for t in texts)
    slug = paths.SEED_ARTICLE.stem
    assert (root / "data" / "processed" / slug / "figures.csv").is_file()
    if first == "04-briefing.ipynb":
        assert any("funding analysis was missing" in t for t in texts)
        html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
        assert 'class="cards"' in html and "Voices" in html


@pytest.mark.slow
def test_a_bad_parameter_value_is_one_line_in_the_notebook(tmp_path, monkeypatch):
    root = _fresh_copy(tmp_path)
    monkeypatch.setenv("BRIEFING_ROOT", str(root))
    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(str(root / "notebooks" / "02-funding.ipynb"), str(tmp_path / "out.ipynb"),
                            parameters={"deflator": "rpi"}, cwd=str(root / "notebooks"), progress_bar=False,
                            kernel_name="python3")
    err = info.value
    assert err.ename == "InputError" and "rpi" in err.evalue
    assert len(err.traceback) == 1 and err.traceback[0].startswith("briefing: ")


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_jupyterlab_saves_a_used_notebook_as_committed(nb_path):
    """make lab's pre-save hook: a notebook with outputs, counts and JupyterLab's kernel metadata is written
    back byte for byte as committed, so git status stays clean after autosave."""
    from briefing.lab import strip_outputs

    nb = nbformat.read(nb_path, as_version=4)
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.outputs = [nbformat.v4.new_output("stream", text="24000000.0\n")]
        cell.execution_count = i + 1
        cell.metadata["execution"] = {"iopub.status.busy": "2026-12-01T10:00:00"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    model = {"type": "notebook", "content": json.loads(nbformat.writes(nb))}
    strip_outputs(model, path=nb_path.name, contents_manager=None)
    saved = nbformat.writes(nbformat.from_dict(model["content"])) + "\n"
    assert saved == nb_path.read_text(encoding="utf-8")
