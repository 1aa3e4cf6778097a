"""Unattended rendering: declared parameters, incremental stages, atomic publish under SIGKILL, logs, recipes."""

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import papermill as pm
import pytest
import yaml

from briefing import paths
from briefing.errors import InputError, StageError
from briefing.params import NOTEBOOK_PARAMETERS, RENDER_PARAMETERS, load_params_file, merge
from briefing.render import NB1, NB2, NB3, NB4, render
from conftest import REFERENCE, ROOT, SEED


@pytest.mark.parametrize("name", paths.NOTEBOOKS)
def test_declarations_match_the_notebooks_parameters_cells(name):
    inspected = pm.inspect_notebook(str(paths.NOTEBOOKS_DIR / name))
    declared = {p.name: p for p in NOTEBOOK_PARAMETERS[name]}
    assert list(inspected) == list(declared)
    for pname, info in inspected.items():
        assert ast.literal_eval(info["default"]) == declared[pname].default, pname
        assert info["inferred_type_name"] == declared[pname].type.__name__, pname
        assert info["help"] == declared[pname].help, pname


def test_render_parameters_reach_the_notebooks():
    nb_names = {p.name for ps in NOTEBOOK_PARAMETERS.values() for p in ps}
    assert set(RENDER_PARAMETERS) - {"timeout"} <= nb_names


def test_merge_order_types_and_unknown_names(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("deflator: cpi\nbase_year: 2013-14\ntimeout: 30\n")
    m = merge(load_params_file(f), {"base_year": "2010-11"})
    assert (m["deflator"], m["base_year"], m["timeout"]) == ("cpi", "2010-11", 30)
    with pytest.raises(InputError, match="unknown parameter 'colour'"):
        merge({"colour": "red"}, None)
    with pytest.raises(InputError, match="timeout: expected int"):
        merge(None, {"timeout": "soon"})
    with pytest.raises(InputError, match="deflator: unknown value 'rpi'; choose one of gdp, cpi"):
        merge(None, {"deflator": "rpi"})
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n")
    with pytest.raises(InputError, match="mapping"):
        load_params_file(bad)


def test_params_file_through_the_cli_exits_2_before_any_kernel(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("deflator: cpi\nbase_year: 1950-51\n")
    r = subprocess.run([sys.executable, "-m", "briefing.cli", "render", "--params", str(f), "--out", str(tmp_path / "r")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "base_year" in r.stderr and "2024-25" in r.stderr
    assert not (tmp_path / "r" / SEED.stem).exists()


@pytest.mark.slow
def test_incremental_stages(tmp_path):
    case = tmp_path / "case.yaml"
    shutil.copy(REFERENCE / "bullfinch_case.yaml", case)
    kw = dict(out=tmp_path / "reports", processed_root=tmp_path / "processed", quiet=True, overrides={"case": str(case)})
    first = render(SEED, **kw)
    assert not any(s["cached"] for s in first.stages)
    t0 = time.perf_counter()
    again = render(SEED, **kw)
    warm = time.perf_counter() - t0
    assert again.up_to_date and all(s["cached"] for s in again.stages)
    assert again.pdf.read_bytes() == first.pdf.read_bytes()
    assert warm < 5  # a generous bound for a loaded CI machine; benchmarks/render.py measures it properly
    # change one reference file: only the stage that reads it (and what depends on its output) runs again
    case.write_text(case.read_text(encoding="utf-8").replace("minimum_term_years: 20", "minimum_term_years: 21"),
                    encoding="utf-8")
    third = render(SEED, **kw)
    cached = {s["stage"]: s["cached"] for s in third.stages}
    assert cached[NB1] and cached[NB2] and not cached[NB3] and not cached[NB4]
    assert "17+17+21+15+12+7+7 = 96" in third.html.read_text(encoding="utf-8")
    forced = render(SEED, force=True, **kw)
    assert not any(s["cached"] for s in forced.stages)
    assert forced.pdf.read_bytes() == third.pdf.read_bytes()


@pytest.mark.slow
def test_sigkill_mid_run_keeps_the_previous_briefing(tmp_path):
    out, processed = tmp_path / "reports", tmp_path / "processed"
    good = render(SEED, out=out, processed_root=processed, quiet=True)
    before = {n: (good.out_dir / n).read_bytes() for n in ("briefing.html", "briefing.pdf", "manifest.json")}
    code = (f"from briefing.render import render; render({str(SEED)!r}, out={str(out)!r}, "
            f"processed_root={str(processed)!r}, quiet=True, force=True)")
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(f".staging-{SEED.stem}-*/{NB1}")):
        time.sleep(0.1)
    assert list(out.glob(".staging-*")), "the run never started"
    os.killpg(proc.pid, signal.SIGKILL)  # the render and its kernels
    proc.wait()
    for n, data in before.items():
        assert (good.out_dir / n).read_bytes() == data, n
    after = render(SEED, out=out, processed_root=processed, quiet=True)
    assert after.pdf.read_bytes() == before["briefing.pdf"]
    assert not list(out.glob(".staging-*"))


def test_processed_data_lost_to_a_killed_run_is_rebuilt(tmp_path):
    """A killed run whose notebook 01 started afresh leaves the processed folder with 01's tables only; the next
    render re-runs what lost its outputs, keeps notebook 04 (whose inputs come out the same) and publishes the
    summary that belongs with it."""
    out, processed = tmp_path / "reports", tmp_path / "processed"
    good = render(SEED, out=out, processed_root=processed, quiet=True)
    summary = (good.out_dir / "summary.json").read_bytes()
    for sub in ("funding", "briefing"):
        shutil.rmtree(processed / good.slug / sub)
    again = render(SEED, out=out, processed_root=processed, quiet=True)
    assert {s["stage"]: s["cached"] for s in again.stages} == {NB1: True, NB2: False, NB3: True,
                                                               NB4: True, "html": True, "pdf": True}
    assert (again.out_dir / "summary.json").read_bytes() == summary


def break_notebook(tmp_path, monkeypatch, name: str, source: str) -> None:
    """Render from a copy of the notebooks in which the first code cell after the parameters runs ``source``."""
    broken = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, broken)
    nb = json.loads((broken / name).read_text(encoding="utf-8"))
    nb["cells"][2]["source"] = source
    (broken / name).write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", broken)


@pytest.mark.slow
def test_a_kernel_that_dies_is_a_clear_stage_error(tmp_path, monkeypatch):
    break_notebook(tmp_path, monkeypatch, NB2, "import os\nos._exit(3)")
    with pytest.raises(StageError, match=f"{NB2} could not run: DeadKernelError"):
        render(SEED, out=tmp_path / "reports", processed_root=tmp_path / "processed", quiet=True)


@pytest.mark.slow
def test_cell_timeout_ends_the_run(tmp_path, monkeypatch):
    break_notebook(tmp_path, monkeypatch, NB3, "import time\ntime.sleep(60)")
    t0 = time.time()
    with pytest.raises(StageError, match=f"{NB3} could not run: CellTimeoutError"):
        render(SEED, out=tmp_path / "reports", processed_root=tmp_path / "processed", quiet=True,
               overrides={"timeout": 3})
    assert time.time() - t0 < 50


@pytest.mark.slow
def test_log_json_lines(tmp_path):
    r = subprocess.run([sys.executable, "-m", "briefing.cli", "render", "--out", str(tmp_path / "reports"), "--log-json"],
                       capture_output=True, text=True, env={**os.environ, "BRIEFING_ROOT": str(ROOT)})
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in r.stderr.splitlines() if line.strip()]
    assert events[-1]["event"] == "done" and events[-1]["status"] in ("rendered", "up to date")
    stages = {e["stage"] for e in events if e["event"] == "stage"}
    assert stages == {NB1, NB2, NB3, NB4, "html", "pdf"}


def test_github_workflow_calls_the_make_target():
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "render.yml").read_text())
    triggers = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key 'on' as True
    assert "schedule" in triggers and any("data/" in p for p in triggers["push"]["paths"])
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "make report" in runs
    assert any("upload-artifact" in s.get("uses", "") for s in steps)


def test_systemd_and_cron_recipes_call_the_cli():
    service = (ROOT / "deploy" / "briefing-render.service").read_text()
    timer = (ROOT / "deploy" / "briefing-render.timer").read_text()
    cron = (ROOT / "deploy" / "crontab").read_text()
    assert "ExecStart=" in service and "briefing render" in service and "SuccessExitStatus=75" in service
    assert "OnCalendar=" in timer and "Unit=briefing-render.service" in timer
    line = [l for l in cron.splitlines() if l.strip() and not l.startswith("#")][0]
    assert len(line.split()[:5]) == 5 and "briefing render" in line and "--log-json" in line
