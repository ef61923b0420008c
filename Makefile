# corridor — everything a fresh machine with Python 3.11+ and make needs.
# `make demo` sets up and runs the main job; `make test` sets up and runs every check CI runs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test check lint typecheck pytest bench docs golden clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "corridor needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
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

# Rewrite every shown output in README.md and docs/ from a real run (tests/test_docs_run.py).
docs: setup
	CORRIDOR_REGEN=1 $(BIN)/pytest -n 2 -p no:randomly tests/test_docs_run.py

# Rewrite the golden JSON files (tests/golden/) after a deliberate change of a result's shape.
golden: setup
	CORRIDOR_REGEN=1 $(BIN)/pytest tests/schemas

bench: setup
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache out
