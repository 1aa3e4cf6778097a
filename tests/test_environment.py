"""pyproject.toml and environment.yml list the same dependencies with the same version ranges."""

import re
import tomllib

import yaml

from conftest import ROOT


def _norm(spec: str) -> tuple[str, str]:
    m = re.match(r"([A-Za-z0-9_.\[\]-]+)\s*(.*)", spec.strip())
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _conda_names(deps: dict) -> dict:
    """pip's 'dask[distributed]' is 'dask' plus 'distributed' on conda-forge."""
    out = {}
    for name, spec in deps.items():
        if name == "dask[distributed]":
            out["dask"] = out["distributed"] = spec
        else:
            out[name] = spec
    return out


def test_pyproject_and_environment_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    pip_deps = _conda_names(dict(_norm(d) for d in project["dependencies"] + extras["dev"] + extras["cluster"]))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda_deps = dict(_norm(d) for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip")))
    assert conda_deps == pip_deps


def test_lock_file_pins_every_dependency():
    lock = (ROOT / "requirements" / "lock-py311.txt").read_text().lower()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for dep in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name = _norm(dep)[0].split("[")[0]
        assert re.search(rf"^{re.escape(name)}==", lock, re.M), name


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "make test" in readme and "make report" in readme


def test_one_list_of_system_packages_everywhere():
    """The README's prerequisites, CI and the scheduled render install requirements/apt.txt; the browser is apart."""
    packages = (ROOT / "requirements" / "apt.txt").read_text().split()
    assert "libharfbuzz-subset0" in packages and "fonts-dejavu-core" in packages and "chromium" not in packages
    assert "chromium" in (ROOT / "requirements" / "apt-optional.txt").read_text().split()
    readme = (ROOT / "README.md").read_text()
    assert "apt-get install $(cat requirements/apt.txt)" in readme
    assert all(f"`{p}`" in readme for p in packages)  # each one explained
    assert "cat requirements/apt.txt requirements/apt-optional.txt" in (ROOT / ".ci" / "run").read_text()
    assert "$(cat requirements/apt.txt)" in (ROOT / ".github" / "workflows" / "render.yml").read_text()
