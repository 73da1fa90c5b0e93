# ReviewTracker: `make run` serves the demo, `make test` runs the whole suite. Every target installs what it needs.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi.py
HOST ?= 127.0.0.1
PORT ?= 5000
PG_DEFAULT_URL := postgresql://postgres@127.0.0.1:5432/test
# Use the local PostgreSQL for the second test run when it answers and nothing else was asked for.
TEST_DATABASE_URL ?= $(shell pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo $(PG_DEFAULT_URL))
PYTEST_WORKERS ?= 2

.PHONY: run test test-sqlite test-postgres install translations browser bench lint clean-db help

help:
	@echo "make run    - install, migrate, seed the demo and serve http://$(HOST):$(PORT)"
	@echo "make test   - the whole suite on SQLite, then on PostgreSQL when it is reachable"
	@echo "make bench  - benchmarks; results in tests/bench/RESULTS.md"
	@echo "make lint   - ruff and bandit"

$(STAMP): setup.cfg pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(STAMP)

# Compiled catalogues are build products (git-ignored): rebuild them from the .po files.
translations: $(STAMP)
	@for po in reviewtracker/translations/*/LC_MESSAGES/*.po; do \
	  [ -e "$$po" ] || continue; \
	  $(BIN)/pybabel compile -i "$$po" -o "$${po%.po}.mo" >/dev/null 2>&1 \
	    || { $(BIN)/pybabel compile -i "$$po" -o "$${po%.po}.mo"; exit 1; }; \
	done

# Debian's chromium drives the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# HOST and PORT reach the app too, so PUBLIC_URL (links in invitations and workbooks) follows them unless set.
run: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed reference
	$(BIN)/flask seed demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl+C to stop)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/flask run --host $(HOST) --port $(PORT)

test: install translations browser test-sqlite test-postgres

# Browser tests run in their own process: Playwright's sync API refuses to start where another test left an
# asyncio loop running.
test-sqlite: install translations browser
	@echo "== on SQLite =="
	TEST_DATABASE_URL= $(PY) -m pytest -n $(PYTEST_WORKERS) -q -m "not browser"
	TEST_DATABASE_URL= $(PY) -m pytest -q -m browser

test-postgres: install translations
	@if [ -n "$(TEST_DATABASE_URL)" ]; then \
	  echo "== again on PostgreSQL ($(TEST_DATABASE_URL)) =="; \
	  TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) -q -m "not browser"; \
	else echo "PostgreSQL not reachable and TEST_DATABASE_URL unset: skipped the PostgreSQL run"; fi

bench: install translations
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m tests.bench $(BENCH)

lint: install
	$(BIN)/ruff check reviewtracker tests wsgi.py
	$(BIN)/bandit -q -c pyproject.toml -r reviewtracker

clean-db:
	rm -f instance/reviewtracker.sqlite3*
