"""Declared parameters: what each notebook's parameters cell accepts, and what a render accepts.

The declarations here and the notebooks' cells tagged ``parameters`` must agree (a test compares them with
papermill's notebook inspection). Render parameters are merged from the defaults, a YAML file
(``--params FILE``) and ``-p NAME VALUE``, then checked against the reference data before any kernel starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import paths, yamlfile
from .errors import InputError
from .text import strip_unprintable

SEED_SLUG = paths.SEED_ARTICLE.stem


@dataclass(frozen=True)
class Param:
    name: str
    type: type
    default: object
    help: str
    choices: tuple = ()


# notebook -> its parameters, with the defaults written in the notebook (relative to notebooks/)
NOTEBOOK_PARAMETERS: dict[str, tuple[Param, ...]] = {
    "01-structure-article.ipynb": (
        Param("article", str, f"../data/raw/{SEED_SLUG}.txt", "the plain-text article"),
        Param("meta", str, "", "metadata YAML; empty: the article's .meta.yaml sidecar, if any"),
        Param("processed_dir", str, f"../data/processed/{SEED_SLUG}", "where the tables are written"),
    ),
    "02-funding.ipynb": (
        Param("processed_dir", str, f"../data/processed/{SEED_SLUG}", "written by notebook 01"),
        Param("reference_dir", str, "../data/reference", "deflator files"),
        Param("deflator", str, "gdp", "gdp (HM Treasury GDP deflator) or cpi (ONS CPI D7BT)", ("gdp", "cpi")),
        Param("base_year", str, "", "financial year for real terms, e.g. 2024-25; empty: latest outturn year"),
    ),
    "03-sentencing.ipynb": (
        Param("processed_dir", str, f"../data/processed/{SEED_SLUG}", "written by notebook 01"),
        Param("case", str, "../data/reference/bullfinch_case.yaml", "case file; empty for none"),
        Param("comparators", str, "../data/reference/uk_group_cse_cases.csv", "other UK cases; empty for none"),
    ),
    "04-briefing.ipynb": (
        Param("processed_dir", str, f"../data/processed/{SEED_SLUG}", "written by notebooks 01-03"),
        Param("render_params", str, "{}", "JSON: the render's parameters, listed in the method section"),
    ),
}

# what a user sets on a render (the rest are paths the render fills in)
RENDER_PARAMETERS: dict[str, Param] = {
    "deflator": Param("deflator", str, "gdp", "price index for real terms: gdp (HM Treasury GDP deflator) or cpi (ONS CPI)",
                      ("gdp", "cpi")),
    "base_year": Param("base_year", str, "", "financial year whose prices real terms are in, e.g. 2024-25; "
                       "empty: the latest outturn year of the deflator"),
    "case": Param("case", str, None, "court case file (YAML); default: the one the article's metadata names; "
                  "empty: none"),
    "comparators": Param("comparators", str, str(paths.REFERENCE_DIR / "uk_group_cse_cases.csv"),
                         "table of other UK cases (CSV); empty: none"),
    "timeout": Param("timeout", int, 600, "time limit in seconds for one notebook cell"),
}


MAX_TIMEOUT = 86_400  # a day: longer is a mistake, and larger numbers overflow the kernels' timers


def load_params_file(path: str | Path) -> dict:
    path = Path(path)
    data = yamlfile.load(path, "--params") or {}
    if not isinstance(data, dict):
        raise InputError(f"--params: {path} must be a mapping of NAME: VALUE")
    return {str(k): v for k, v in data.items()}


def merge(file_values: dict | None, cli_values: dict | None) -> dict:
    """Defaults < params file < -p; unknown names and wrong types raise InputError naming the parameter."""
    out = {k: p.default for k, p in RENDER_PARAMETERS.items()}
    for source, values in (("--params", file_values or {}), ("-p", cli_values or {})):
        for name, value in values.items():
            if name not in RENDER_PARAMETERS:
                raise InputError(f"{source}: unknown parameter {name!r}; known: {', '.join(RENDER_PARAMETERS)}")
            p = RENDER_PARAMETERS[name]
            if value is None:
                value = ""
            try:
                value = p.type(value) if not isinstance(value, (bool, dict, list)) else None
                if p.type is int and isinstance(values[name], float) and not float(values[name]).is_integer():
                    value = None  # "timeout: 2.9" is not silently 2
            except (TypeError, ValueError, OverflowError):
                value = None
            if value is None:
                raise InputError(f"{name}: expected {p.type.__name__}, got {values[name]!r}")
            if isinstance(value, str) and strip_unprintable(value)[1]:
                raise InputError(f"{name}: {value!r} holds control characters (or bytes that are not UTF-8); "
                                 "no file name or choice needs them")
            out[name] = value
    for name, p in RENDER_PARAMETERS.items():
        if p.choices and out[name] not in p.choices:
            raise InputError(f"{name}: unknown value {out[name]!r}; choose one of {', '.join(p.choices)}")
    if not 1 <= out["timeout"] <= MAX_TIMEOUT:
        raise InputError(f"timeout: must be a whole number of seconds from 1 to {MAX_TIMEOUT:,}, not {out['timeout']}")
    return out


def validate(params: dict, case_from_meta: Path | None, warnings: list[str] | None = None) -> dict:
    """Check values against the files they name (no kernel, no pandas): returns the resolved parameters.
    ``warnings`` gets what reading the case file said (control characters removed)."""
    from .deflators import check_base_year, deflator_rows
    from .sentencing import check_comparators, load_case

    params = dict(params)
    if params["case"] is None:
        params["case"] = str(case_from_meta) if case_from_meta else ""
    for key in ("case", "comparators"):
        why = paths.not_a_file(params[key]) if params[key] else ""
        if why:
            raise InputError(f"{key}: file {params[key]} " + ("not found" if why == "does not exist" else why))
    if params["case"]:
        load_case(params["case"], warnings)  # a malformed case file stops here, naming the field
    if params["comparators"]:
        check_comparators(params["comparators"])
    rows = deflator_rows(params["deflator"], paths.REFERENCE_DIR)
    params["base_year"] = check_base_year(rows, params["base_year"], params["deflator"])
    return params


def describe() -> str:
    lines = []
    for p in RENDER_PARAMETERS.values():
        default = "(the case file the article's metadata names)" if p.default is None else repr(p.default)
        if isinstance(p.default, str) and p.default.startswith(str(paths.ROOT)):
            default = repr(str(Path(p.default).relative_to(paths.ROOT)))
        choices = f" [{' | '.join(p.choices)}]" if p.choices else ""
        lines.append(f"{p.name:<12} {p.type.__name__:<4} default {default}{choices}\n             {p.help}")
    return "\n".join(lines)
