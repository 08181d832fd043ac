# PeerMentor: `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint suite bench chromium migrate clean help scale-demo

help:
	@echo "make run    set up and serve PeerMentor at http://$(HOST):$(PORT)"
	@echo "make test   set up and run lint and the whole test suite"
	@echo "make lint   ruff, import contracts, migrations check, mypy on pure modules"
	@echo "make bench  run the benchmarks and print their figures"
	@echo "make scale-demo  two app servers and a worker on one PostgreSQL, cache on Redis"

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "PeerMentor needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/peermentor migrate --no-input -v 0
	$(BIN)/peermentor createcachetable
	$(BIN)/peermentor collectstatic --no-input -v 0

run: migrate
	$(BIN)/peermentor demo --if-empty
	$(BIN)/peermentor serve --host $(HOST) --port $(PORT)

chromium:
	@test -x $(CHROMIUM) || command -v chromium >/dev/null 2>&1 || \
	  { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ; } || \
	  echo "Chromium is missing and cannot be installed here: browser tests will be skipped (they fail in CI)."

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)
	$(BIN)/lint-imports
	$(BIN)/mypy
	PEERMENTOR_DATA_DIR=$$(mktemp -d) $(BIN)/peermentor makemigrations --check --dry-run

# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
suite: $(STAMP) chromium
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint suite

bench: $(STAMP)
	@for script in bench/bench_*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Two app servers (`peermentor serve --no-worker`) and one `peermentor db_worker` on one
# PostgreSQL (a test database made from SCALE_DATABASE_URL) with the cache on Redis: shared
# sign-in, login throttling across servers, a report made by the worker, a PostgreSQL outage.
SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SCALE_REDIS ?= redis://127.0.0.1:6379/13
scale-demo: $(STAMP)
	DATABASE_URL=$(SCALE_DATABASE_URL) PEERMENTOR_SCALE_REDIS=$(SCALE_REDIS) \
	  $(BIN)/pytest -s -v --create-db tests/test_scale_out.py

clean:
	rm -rf $(VENV) build *.egg-info
