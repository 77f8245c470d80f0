# ketamine-info: `make run` serves the site, `make test` runs every test. `make help` lists the rest.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
CHROMIUM ?= /usr/bin/chromium
export SITE_URL ?= http://$(HOST):$(PORT)
# pytest-xdist workers: one per core. TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install run dev test test-fast test-postgres lint format migrations-check content-check chromium wrk bench load export messages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned dependencies

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: install var/secret_key ## Set up everything and serve the site on http://$(HOST):$(PORT)
	@export SECRET_KEY="$$(cat var/secret_key)" SERVE_MEDIA=1; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py load_content --publish && \
	$(BIN)/python manage.py rerender_markup && \
	$(BIN)/python manage.py publish_scheduled && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)" && \
	exec $(BIN)/gunicorn ketamine_info.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

dev: install ## Development server with DEBUG on and auto-reload
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_content --publish
	DEBUG=1 $(BIN)/python manage.py rerender_markup
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

chromium: ## Install Debian's Chromium for the browser tests (if missing)
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

wrk: ## Install Debian's wrk for the benchmark and the load test (if missing)
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: install wrk ## Benchmark each page type under gunicorn on loopback; writes docs/benchmarks.md
	$(BIN)/python scripts/bench.py bench

load: install wrk ## 64 connections for 30 s (no error allowed), then bad requests; writes docs/benchmarks.md
	$(BIN)/python scripts/bench.py load

lint: install ## Lint and check formatting with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format and fix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install ## Fail if a model change has no migration
	SECRET_KEY=check $(BIN)/python manage.py makemigrations --check --dry-run

test: install chromium lint migrations-check ## Run the whole test suite (browser tests included)
	$(BIN)/pytest -n $(TEST_WORKERS)

# The proxy tests start their own PostgreSQL cluster in every run, so they are not run twice.
test-postgres: install chromium ## Run the whole suite against a throwaway PostgreSQL cluster
	scripts/with-postgres.sh $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) -m "not proxy"

test-fast: install ## Run the tests that need no browser
	$(BIN)/pytest -m "not browser" -n $(TEST_WORKERS)

messages: install ## Gather the templates' and code's words into locale/es/…/django.po, then compile it (needs gettext)
	SECRET_KEY=x $(BIN)/python manage.py makemessages -l es --verbosity 0 \
	  --ignore=.venv --ignore=staticfiles --ignore=test-results --ignore=var --ignore=tests
	SECRET_KEY=x $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

export: install ## Write the database's content back to content/
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/python manage.py export_content

clean: ## Remove the virtualenv, database and collected static files
	rm -rf $(VENV) var staticfiles
