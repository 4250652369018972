# Bedside: the README's commands. `make run` and `make test` work on a fresh machine with Python 3.11.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
BEDSIDE := $(BIN)/bedside

.PHONY: run test lint format bench-compliance bench-listening bench-publishing bench-site clean

$(VENV)/.run-installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.run-installed
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

run: $(VENV)/.run-installed
	BEDSIDE_DEBUG=1 $(BEDSIDE) migrate --noinput -v0
	BEDSIDE_DEBUG=1 $(BEDSIDE) seed_demo
	BEDSIDE_DEBUG=1 exec $(BEDSIDE) run

test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	BEDSIDE_TESTING=1 $(BEDSIDE) makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks: each prints its figures beside a peer's, measured in the same run.
bench-compliance: $(VENV)/.dev-installed
	# Presidio and the spaCy model, pinned by hash: the peer measured in the same run.
	$(BIN)/python -m pip install -q --require-hashes -r bench/requirements-compliance.txt
	TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS= $(BIN)/python bench/compliance/run.py $(BENCH_ARGS)

bench-listening: $(VENV)/.dev-installed
	$(BIN)/python bench/listening/run.py $(BENCH_ARGS)

bench-publishing: $(VENV)/.dev-installed
	$(BIN)/python bench/publishing/run.py $(BENCH_ARGS)

bench-site: $(VENV)/.dev-installed
	$(BIN)/python bench/site/run.py $(BENCH_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
