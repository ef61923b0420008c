# corridor — everything a fresh machine with Python 3.11+ and make needs.
# `make demo` sets up and runs the main job; `make test` sets up and runs every check CI runs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VENDOR := src/corridor/web/static/vendor

.PHONY: setup demo run test check lint typecheck pytest bench docs golden clean

setup: $(STAMP) $(VENDOR)/.installed

# The workbench's third-party browser code (package-lock.json pins it), copied beside our own modules;
# no build step.  Needs Node.js's npm.
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/images
	cp node_modules/leaflet/dist/leaflet-src.esm.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp node_modules/leaflet/dist/images/*.png $(VENDOR)/images/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/
	touch $@

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

# The service on SQLite in ./corridor-data, seeded with the bundled data; prints the URL, the admin's
# one-time password (first run) and a fresh one-day admin token (every run).  No default password.
RUN_DIR ?= corridor-data
run: setup
	$(BIN)/corridor db upgrade --data-dir $(RUN_DIR)
	$(BIN)/corridor user add admin --org local --role admin --if-missing --data-dir $(RUN_DIR)
	$(BIN)/corridor track seed-demo --data-dir $(RUN_DIR)
	$(BIN)/corridor token create admin --name "make run" --expires-days 1 --data-dir $(RUN_DIR)
	@echo "corridor workbench: http://127.0.0.1:8000 (sign in as admin; API docs: http://127.0.0.1:8000/docs)"
	$(BIN)/corridor serve --data-dir $(RUN_DIR)

test: setup check

check: lint typecheck pytest

lint:
	$(BIN)/ruff check
	$(BIN)/ruff format --check

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -n 2 --dist loadgroup

# Rewrite every shown output in README.md and docs/ from a real run (tests/test_docs_run.py) and the
# field tables from the result models (tests/schemas/test_field_tables.py).
docs: setup
	CORRIDOR_REGEN=1 $(BIN)/pytest -n 2 -p no:randomly tests/test_docs_run.py tests/schemas/test_field_tables.py
	CORRIDOR_REGEN=1 $(BIN)/pytest -n 1 -p no:randomly tests/sim/test_calibration.py -k calibration_md
	CORRIDOR_WRITE_DOCS=1 $(BIN)/pytest -p no:randomly tests/service/test_api_docs.py

# Rewrite the golden JSON files (tests/golden/) after a deliberate change of a result's shape.
golden: setup
	CORRIDOR_REGEN=1 $(BIN)/pytest tests/schemas

bench: setup
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache out
