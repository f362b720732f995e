# ipanalysis: every target sets up the project's own environment (.venv, from requirements.lock) on first use.
PYTHON ?= python3
# The oldest Python the pinned packages accept: soupsieve 4.1.1 (in requirements.lock) requires 3.11.5.
PYTHON_FLOOR := 3.11.5
VENV ?= .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.DEFAULT_GOAL := help
.PHONY: help setup env-ok test lint validate dictionary extract import extract-eval report verify bench bench-validate lab lock clean mutate

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(READY): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < tuple(map(int, sys.argv[1].split("."))))' $(PYTHON_FLOOR) 2>/dev/null || \
	  { echo "ipanalysis needs Python $(PYTHON_FLOOR) or newer (requirements.lock pins soupsieve 4.1.1, which requires it);" \
	    "'$(PYTHON)' is $$($(PYTHON) -V 2>&1 || echo missing). Install a newer Python and run: make setup PYTHON=python3.12"; exit 1; }
	@echo "setting up $(VENV) from requirements.lock (first run takes about a minute)"
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "'$(PYTHON) -m venv' could not install pip (on Debian/Ubuntu the python3-venv package is missing);" \
	    "making $(VENV) without pip and installing pip into it with this Python's own pip"; \
	  $(PYTHON) -m venv --without-pip $(VENV) && \
	  PYTHONPATH="$$($(PYTHON) -c 'import os, pip; print(os.path.dirname(os.path.dirname(pip.__file__)))')" \
	    $(PIP) install --ignore-installed pip; }
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	@echo "converting Noto Sans SC to TrueType outlines for PDF figures (once, into .cache/fonts; about a minute)"
	$(BIN)/python -m ipanalysis.style
	@touch $@

setup: $(READY) ## create .venv with the pinned packages and ipanalysis installed
	@echo "environment ready: $(VENV)"

env-ok: $(READY)
	@$(BIN)/python -m ipanalysis.report.environment

test: lint ## lint, then every test: data validation and provenance, metrics, figures, notebooks, report
	$(BIN)/python -m pytest

lint: env-ok ## check the code with ruff
	$(BIN)/ruff check ipanalysis tests

validate: env-ok ## validate data/ (or DATA=folder): one line per problem, file:line: column: message
	$(BIN)/python -m ipanalysis validate "$(or $(DATA),data)"

dictionary: env-ok ## regenerate data/DICTIONARY.md from data/datapackage.json
	$(BIN)/python -m ipanalysis dictionary > data/DICTIONARY.md

extract: env-ok ## candidate rows of a new plan in a curation workbook: SOURCE=plan.txt DOC=xx2025 [OUT=.xlsx] [REGION=id]
	$(if $(and $(SOURCE),$(DOC)),,$(error usage: make extract SOURCE=plan.txt DOC=xx2025 [OUT=workbook.xlsx] [REGION=region_id]))
	$(BIN)/python -m ipanalysis extract $(SOURCE) --doc-id $(DOC) $(if $(OUT),--out $(OUT)) $(if $(REGION),--region $(REGION))

import: env-ok ## add a completed curation workbook to data/ (or DATA=folder): WORKBOOK=xx2025-curation.xlsx
	$(if $(WORKBOOK),,$(error usage: make import WORKBOOK=xx2025-curation.xlsx [DATA=folder]))
	$(BIN)/python -m ipanalysis import $(WORKBOOK) $(or $(DATA),data)

extract-eval: env-ok ## recall and precision of the extractor on the curated documents (the README's table)
	$(BIN)/python -m ipanalysis extract-eval $(or $(DATA),data)

report: env-ok ## build figures/ and reports/ (or DATA=folder into folder-report/, or OUT=folder); only what changed
	$(BIN)/python -m ipanalysis report $(if $(DATA),--data "$(DATA)") $(if $(OUT),--out "$(OUT)")

verify: env-ok ## rebuild everything in a temporary folder; fail if any figure differs from the committed ones
	$(BIN)/python -m ipanalysis verify

mutate: env-ok ## inject each fault of tests/mutations.py into a copy, run the tests, count the caught (ONLY=ids)
	nice -n 19 $(BIN)/python tests/mutations.py $(if $(ONLY),--only $(ONLY))

bench: env-ok ## time a clean and a no-op make report against the naive nbconvert pipeline, in one run
	$(BIN)/python -m ipanalysis.bench

bench-validate: env-ok ## validate data/ scaled 1x, 10x and 100x (generated in a temporary folder); rows and seconds
	$(BIN)/python -m ipanalysis.validation.benchmark

lab: env-ok ## open JupyterLab in the project environment
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

lock: ## regenerate requirements.lock from requirements.txt in a fresh environment
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	{ echo "# Generated from requirements.txt by 'make lock' (pip freeze --all in a fresh venv). Do not edit by hand."; \
	  .lock-venv/bin/python -m pip freeze --all --disable-pip-version-check | grep -v '^pip=='; } > requirements.lock
	rm -rf .lock-venv

clean: ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .cache .reports.building .bench
