# Teacher-exchange planner — developer entry points.
#   make run        start the Streamlit app on http://127.0.0.1:$(PORT)
#   make test       the import contract (lint-imports), then the default test run (slow tests excluded)
#   make test-all   every test, slow ones included
#   make sample     regenerate sample_data/*.xlsx from seeds/*.toml
#   make clean      remove .venv and caches
# PYTHON=python3.12 make ...  picks another interpreter for creating .venv.

SHELL := /bin/bash

PYTHON  ?= python3
VENV    ?= .venv
PORT    ?= 8501
ADDRESS ?= 127.0.0.1
# Two workers, a whole test file each: the solver is single-threaded, so on 2 cores the run takes
# about half as long. PYTEST_ARGS= (empty) runs in one process.
PYTEST_ARGS ?= -n 2 --dist loadfile

VPY := $(VENV)/bin/python
PIP := $(VPY) -m pip --disable-pip-version-check
# Stamps: reinstall only when pyproject.toml is newer than the last install.
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-all sample clean system-deps

$(VPY):
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(VPY)
	$(PIP) install -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VPY)
	$(PIP) install -e '.[test]'
	touch $@

run: $(RUN_STAMP)
	$(VPY) -m streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT)

system-deps:
	bash scripts/install_system_deps.sh

test: $(TEST_STAMP) system-deps
	$(VENV)/bin/lint-imports --no-cache
	$(VPY) -m pytest $(PYTEST_ARGS)

test-all: $(TEST_STAMP) system-deps
	$(VPY) -m pytest -m '' $(PYTEST_ARGS)

sample: $(RUN_STAMP)
	shopt -s nullglob; for f in seeds/*.toml; do $(VPY) -m scheduler generate $$f --out sample_data/$$(basename $$f .toml).xlsx --force || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
