# ipanalysis: every target sets up the project's own environment (.venv, from requirements.lock) on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.DEFAULT_GOAL := help
.PHONY: help setup test lint validate dictionary extract import extract-eval report verify bench lab lock clean mutate

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(READY): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "ipanalysis needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	@echo "setting up $(VENV) from requirements.lock (first run takes about a minute)"
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	@echo "converting Noto Sans SC to TrueType outlines for PDF figures (once, into .cache/fonts; about a minute)"
	$(BIN)/python -m ipanalysis.style
	@touch $@

setup: $(READY) ## create .venv with the pinned packages and ipanalysis installed
	@echo "environment ready: $(VENV)"

test: lint ## lint, then every test: data validation and provenance, metrics, figures, notebooks, report
	$(BIN)/python -m pytest

lint: $(READY) ## check the code with ruff
	$(BIN)/ruff check ipanalysis tests

validate: $(READY) ## validate data/ (or DATA=folder): one line per problem, file:line: column: message
	$(BIN)/python -m ipanalysis validate $(or $(DATA),data)

dictionary: $(READY) ## regenerate data/DICTIONARY.md from data/datapackage.json
	$(BIN)/python -m ipanalysis dictionary > data/DICTIONARY.md

extract: $(READY) ## candidate rows of a new plan in a curation workbook: SOURCE=plan.txt DOC=xx2025 [OUT=.xlsx] [REGION=id]
	$(if $(and $(SOURCE),$(DOC)),,$(error usage: make extract SOURCE=plan.txt DOC=xx2025 [OUT=workbook.xlsx] [REGION=region_id]))
	$(BIN)/python -m ipanalysis extract $(SOURCE) --doc-id $(DOC) $(if $(OUT),--out $(OUT)) $(if $(REGION),--region $(REGION))

import: $(READY) ## add a completed curation workbook to data/ (or DATA=folder): WORKBOOK=xx2025-curation.xlsx
	$(if $(WORKBOOK),,$(error usage: make import WORKBOOK=xx2025-curation.xlsx [DATA=folder]))
	$(BIN)/python -m ipanalysis import $(WORKBOOK) $(or $(DATA),data)

extract-eval: $(READY) ## recall and precision of the extractor on the curated documents (the README's table)
	$(BIN)/python -m ipanalysis extract-eval $(or $(DATA),data)

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
REPORT_INPUTS := $(NOTEBOOKS) $(wildcard ipanalysis/*.py) $(wildcard data/*.csv) data/datapackage.json $(wildcard data/sources/*)
REPORTS ?= reports
FIGURES ?= figures
export IPANALYSIS_REPORTS_DIR := $(abspath $(REPORTS))
export IPANALYSIS_FIGURES_DIR := $(abspath $(FIGURES))

report: $(READY) ## run every notebook in a fresh kernel; write figures/, reports/tables, reports/ipanalysis.xlsx, reports/index.html
	@$(MAKE) --no-print-directory $(REPORTS)/index.html

$(REPORTS)/index.html: $(REPORT_INPUTS)
	$(BIN)/python -m ipanalysis report $(if $(wildcard $@),--changed $?)

verify: $(READY) ## rebuild everything from scratch in a temporary folder; fail if any figure differs from the committed ones
	git diff --exit-code --stat HEAD -- figures
	rm -rf .verify
	@$(MAKE) --no-print-directory report REPORTS=.verify/reports FIGURES=.verify/figures
	diff -r figures/en .verify/figures/en && diff -r figures/zh .verify/figures/zh
	diff figures/MANIFEST.sha256 .verify/figures/MANIFEST.sha256
	cd figures && sha256sum --check --quiet MANIFEST.sha256
	rm -rf .verify
	@echo "verify: a clean rebuild reproduces every committed figure byte for byte"

mutate: $(READY) ## inject each fault of tests/mutations.py into a copy, run the tests, count the caught (ONLY=ids)
	nice -n 19 $(BIN)/python tests/mutations.py $(if $(ONLY),--only $(ONLY))

bench: $(READY) ## time a clean make report, a no-op make report and naive nbconvert --execute of each notebook
	$(BIN)/python -m ipanalysis.bench

lab: $(READY) ## open JupyterLab in the project environment
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

lock: ## regenerate requirements.lock from requirements.txt in a fresh environment
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	{ echo "# Generated from requirements.txt by 'make lock' (pip freeze --all in a fresh venv). Do not edit by hand."; \
	  .lock-venv/bin/python -m pip freeze --all --disable-pip-version-check | grep -v '^pip=='; } > requirements.lock
	rm -rf .lock-venv

clean: ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .cache
