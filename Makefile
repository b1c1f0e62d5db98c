# iapb-search: every command a developer or CI needs.  `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= corpus
# Empty (and IAPB_INDEX_DIR unset): the CLI's and the app's own default, defined once in
# indexer/engine/layout.py (var/index).  `make serve INDEX_DIR=...` chooses another.
INDEX_DIR ?= $(IAPB_INDEX_DIR)
HOST ?= 127.0.0.1
PORT ?= 8000
IAPB_REFDATA ?= ../shared/data
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime

.PHONY: help install test test-fast lint format check index serve dev eval-analysis bench browser fonts nginx clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# Serving needs the package alone; the test tools (Playwright, schemathesis, ruff, ...)
# come with `make install` / `make test`.
$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $(RUNTIME_STAMP)

$(STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the package with its test tools

nginx:  ## make sure Debian's nginx is present for the production-topology test (installs it as root)
	@bash .ci/ensure-nginx

browser:  ## make sure the browser-test tools are present: chromium, java (Nu checker), axe-core
	@bash .ci/ensure-chromium
	@bash .ci/ensure-java
	@bash .ci/ensure-axe

fonts:  ## make sure Debian's DejaVu font is present (the PDF tests write PDFs with it)
	@bash .ci/ensure-fonts

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check indexer webapp tests bench tools
	$(BIN)/ruff format --check indexer webapp tests bench tools

format: $(STAMP)  ## apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix indexer webapp tests bench tools
	$(BIN)/ruff format indexer webapp tests bench tools

test: $(STAMP) browser fonts nginx lint  ## lint, then the whole test suite (browser tests included)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP) lint  ## lint, then every test but the browser and slow ones (the inner loop)
	$(BIN)/python -m pytest -q -m "not browser and not slow"

check: $(RUNTIME_STAMP)  ## validate the corpus
	$(BIN)/iapb-index check --corpus $(CORPUS)

index: $(RUNTIME_STAMP)  ## build the index when the corpus is newer than it
	$(BIN)/iapb-index build --corpus $(CORPUS) $(if $(INDEX_DIR),--out $(INDEX_DIR)) --if-stale

serve: index  ## build the index if stale, then serve it (granian, one process per core) on $(HOST):$(PORT)
	$(if $(INDEX_DIR),IAPB_INDEX_DIR=$(INDEX_DIR)) $(BIN)/python -m webapp.serve --host $(HOST) --port $(PORT)

dev: index  ## Flask's development server with reload (never for production)
	$(if $(INDEX_DIR),IAPB_INDEX_DIR=$(INDEX_DIR)) $(BIN)/flask --app webapp run --debug --host $(HOST) --port $(PORT)

eval-analysis: $(STAMP)  ## score the stemmers on the reference data in $(IAPB_REFDATA)
	IAPB_REFDATA=$(IAPB_REFDATA) $(BIN)/python -m tools.evaluate

bench: $(STAMP) fonts  ## build and query benchmarks, peers side by side; writes bench/results.md and .json (BENCH_ARGS=--help)
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run $(BENCH_ARGS)
	$(BIN)/python -m bench.fulltext

clean:  ## remove the virtual environment, built indexes and caches
	rm -rf $(VENV) var node_modules .pytest_cache .hypothesis .ruff_cache bench/results.* bench/fulltext.md bench/out
