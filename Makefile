# corridor — everything a fresh machine with Python 3.11+ and make needs.
# `make demo` sets up and runs the main job; `make test` sets up and runs every check CI runs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test check lint typecheck pytest bench clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "corridor needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@echo "warming the simulation kernel: numba compiles it once into its on-disk cache (about 30-60 s)"
	$(BIN)/corridor simulate --demand 2024 --days 1 --warmup-days 0 -r 1 --workers 1 > /dev/null
	touch $(STAMP)

demo: setup
	$(BIN)/corridor demo

test: setup check

check: lint typecheck pytest

lint:
	$(BIN)/ruff check
	$(BIN)/ruff format --check

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -n 2 --dist loadgroup

bench: setup
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache out
