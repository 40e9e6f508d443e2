# Paço — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PACO_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint format bench docs clean lock scale-test
UV_VERSION := 0.13.8
# The locks: every transitive dependency pinned with the hashes of all its files, resolved
# for every platform (--universal) from Python 3.11 on. `make lock` after editing pyproject.toml.
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command 'make lock'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The runtime install (what `make run` needs): exactly the locked files, then Paço itself.
$(VENV)/.run-installed: requirements/run.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/run.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The development install: tests, linters, browser driver (the dev lock includes the runtime).
$(VENV)/.dev-installed: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.run-installed

# Regenerate both locks from pyproject.toml (paco/core/tests/test_locks.py checks they agree).
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(LOCK) -o requirements/run.lock
	$(LOCK) --extra dev -o requirements/dev.lock

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
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/opendata/run.py
	@if [ -n "$$PACO_BENCH_PANEL" ]; then $(BIN)/python bench/atendimento/panel.py --cases $$PACO_BENCH_PANEL; \
	else echo "painel: PACO_BENCH_PANEL=1000000 make bench para medir /painel.json com 1 milhão de atendimentos"; fi

clean:
	rm -rf $(VENV) build *.egg-info

docs: $(VENV)/.dev-installed
	$(BIN)/python -m paco.core.clidocs > docs/cli.md
