# briefing: one command renders the seed briefing, one runs the tests.
# Needs Python 3.10+ and make. Everything else is installed into .venv by the first target that needs it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYV    := $(shell $(PYTHON) -c 'import sys; print(f"{sys.version_info[0]}{sys.version_info[1]}")' 2>/dev/null)
LOCK   := $(wildcard requirements/lock-py$(PYV).txt)
STAMP  := $(VENV)/.installed
ARTICLE ?=
ARGS   ?=

# the notebooks' kernel ("python3") must be this environment's, even when a user-level kernel of that name exists
export JUPYTER_PREFER_ENV_PATH := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help setup report render test test-fast lab clean lock

help: ## list the targets
	@echo "briefing: news article -> sourced HTML + PDF briefing"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'
	@echo
	@echo "  make report ARTICLE=path/to/article.txt ARGS='-p deflator cpi'   renders another article"

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "briefing needs Python 3.10 or newer; set PYTHON=python3.x")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(if $(LOCK),-c $(LOCK)) -e '.[dev]'
	@# exploring in JupyterLab saves outputs into the notebooks; git stores them stripped (see .gitattributes)
	@if git rev-parse --git-dir >/dev/null 2>&1; then $(BIN)/nbstripout --install; fi
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the project (done by the other targets when needed)

report: $(STAMP) ## render the seed briefing to reports/<slug>/briefing.html and .pdf
	$(BIN)/briefing render $(if $(ARTICLE),--article $(ARTICLE)) $(ARGS)

render: report

test: $(STAMP) ## run the tests (real kernels, real WeasyPrint, Chromium when installed)
	$(BIN)/python -m pytest $(ARGS)

test-fast: $(STAMP) ## run the tests that start no kernel or browser
	$(BIN)/python -m pytest -m "not slow" $(ARGS)

lab: $(STAMP) ## open JupyterLab on the notebooks with the project's environment
	$(BIN)/jupyter lab --notebook-dir=notebooks --ContentsManager.pre_save_hook=briefing.lab.strip_outputs

lock: $(STAMP) ## refresh requirements/lock-pyXY.txt from the current .venv
	@mkdir -p requirements
	$(BIN)/python -m pip freeze --exclude-editable --exclude briefing > requirements/lock-py$(PYV).txt

clean: ## remove generated data and reports (not .venv)
	rm -rf data/processed/*/ reports/*/ reports/.staging-* .pytest_cache
