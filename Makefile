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

.PHONY: run test test-sqlite test-postgres install translations translations-extract translations-update browser bench lint clean-db help

help:
	@echo "make run    - install, migrate, seed the demo and serve http://$(HOST):$(PORT)"
	@echo "make test   - the whole suite on SQLite, then on PostgreSQL when it is reachable"
	@echo "make bench  - benchmarks; results in tests/bench/RESULTS.md"
	@echo "make lint   - ruff and bandit"
	@echo "make translations-update - extract messages into the .pot and merge them into the fr/es catalogues"

$(STAMP): setup.cfg pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(STAMP)

# One catalogue per language, translations/<lang>/LC_MESSAGES/messages.po, kept with pybabel:
# translations-extract rewrites messages.pot (committed), translations-update merges it into fr/es
# (new messages empty, changed ones fuzzy: translate them, then `make translations`). --ignore-dirs
# leaves out only hidden folders, so templates/_macros is scanned.
TRANSLATIONS := reviewtracker/translations
translations-extract: $(STAMP)
	$(BIN)/pybabel -q extract -F $(TRANSLATIONS)/babel.cfg -k _l -k _n:1,2 -c TRANSLATORS: \
	  --ignore-dirs ".* __pycache__ node_modules" --project ReviewTracker --width 100 \
	  -o $(TRANSLATIONS)/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --width 100

# Compiled catalogues are build products (git-ignored): rebuild them from the .po files.
translations: $(STAMP)
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)

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
	$(BIN)/ruff format --check reviewtracker tests wsgi.py
	$(BIN)/bandit -q -c pyproject.toml -r reviewtracker

clean-db:
	rm -f instance/reviewtracker.sqlite3*
