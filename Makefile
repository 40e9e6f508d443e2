# Paço — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PACO_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test scale-test lint format bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The runtime install (what `make run` needs).
$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# The development install: tests, linters, browser driver.
$(VENV)/.dev-installed: pyproject.toml $(VENV)/.run-installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.run-installed
	$(BIN)/paco migrate --no-input -v 0
	$(BIN)/paco demo --if-empty
	PORT=$(PORT) $(BIN)/paco serve

test: $(VENV)/.dev-installed
	$(BIN)/pytest -n auto --dist loadfile $(PYTEST_ARGS)

# The scale-out topology of docs/deployment.md §7 on loopback addresses (scale/):
# PostgreSQL, an S3 object store, Redis, two web nodes, a worker and HAProxy.
scale-test: $(VENV)/.dev-installed
	$(BIN)/pytest -p no:django -p no:xdist -W ignore::pytest.PytestConfigWarning -rfEs --durations=0 scale $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy paco

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/opendata/run.py

clean:
	rm -rf $(VENV) build *.egg-info

docs: $(VENV)/.dev-installed
	$(BIN)/python -m paco.core.clidocs > docs/cli.md
