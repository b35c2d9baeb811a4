# fansite: `make run` serves the site with demo content, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Absolute links where no request names the host (emails from tasks, announce_due_posts): the
# address run and serve listen on, unless SITE_URL is set (the environment or make's command line).
SITE_URL ?= http://$(HOST):$(PORT)

# Django 6.1 needs Python >= 3.12. Try the usual names, then pyenv's, then python3.
PYTHON_CANDIDATES := python3.13 python3.12 \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) python3
BASE_PYTHON := $(shell for candidate in $(PYTHON_CANDIDATES); do \
	if $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
		command -v $$candidate; break; fi; done)

.PHONY: help run test validators serve bench lint format check clean

help:
	@echo "make run    - install, migrate, load demo content and serve on http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite (browser tests included)"
	@echo "make serve  - production-like: collectstatic and gunicorn with DEBUG off"
	@echo "make bench  - the main pages over HTTP: gunicorn in production mode, loaded by wrk"
	@echo "make lint   - pre-commit hooks (ruff, django-upgrade, djade), makemigrations --check"

$(PY):
	@if [ -z "$(BASE_PYTHON)" ]; then \
		echo "ERROR: no Python >= 3.12 found (tried: $(PYTHON_CANDIDATES))."; \
		echo "Install Python 3.13 (for example: pyenv install 3.13) and run make again."; \
		exit 1; fi
	@echo "Creating $(VENV) with $(BASE_PYTHON) ($$($(BASE_PYTHON) --version))"
	$(BASE_PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $(STAMP)

# run and serve also loop `announce_due_posts` in the background (followers hear of scheduled news
# posts as they fall due), stopped when the server stops.
run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py create_local_admin
	export SITE_URL="$(SITE_URL)"; \
		$(PY) manage.py announce_due_posts --every 60 & announcer=$$!; \
		trap 'kill $$announcer 2>/dev/null' EXIT; \
		$(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests use CHROMIUM_PATH or /usr/bin/chromium; failing that, Playwright's own
# browser, installed here when the internet is reachable. Without any, they are skipped loudly.
test: $(STAMP)
	@if [ -z "$$CHROMIUM_PATH" ] && [ ! -x /usr/bin/chromium ] && [ -z "$$CI" ]; then \
		$(VENV)/bin/playwright install chromium >/dev/null 2>&1 \
			|| echo "No chromium found and Playwright could not download one: browser tests will be skipped."; \
	fi
	@$(MAKE) --no-print-directory validators
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

# The validators the browser tests run (the Nu HTML checker, on Java, and axe-core), at the
# versions package-lock.json pins, into node_modules/. Without npm they are skipped, loudly.
validators:
	@if ! command -v npm >/dev/null; then \
		echo "No npm (Node.js): the validator tests (Nu HTML checker, axe-core) will be skipped."; \
	elif [ ! node_modules/.package-lock.json -nt package-lock.json ]; then \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error \
			|| echo "npm ci failed: the validator tests will be skipped."; \
	fi

# The secret key: DJANGO_SECRET_KEY if set, else a random one made once into .local/secret_key
# (mode 0600, ignored by git). check --deploy must pass, bar the HTTPS checks plain http fails.
# Beside gunicorn, the task worker (db_worker: emails, notifying followers; TASKS_BACKEND is
# database with DEBUG off) and the announcer, stopped with the server.
serve: $(STAMP)
	@key="$${DJANGO_SECRET_KEY:-$$(DJANGO_DEBUG=true $(PY) manage.py local_secret_key)}" \
		&& export DJANGO_SECRET_KEY="$$key" DJANGO_DEBUG=false DJANGO_HTTPS=false DJANGO_LOCAL_SERVE=true \
		DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		GUNICORN_BIND="$${GUNICORN_BIND:-$(HOST):$(PORT)}" SITE_URL="$(SITE_URL)" \
		&& $(PY) manage.py check --deploy --fail-level WARNING \
		&& $(PY) manage.py collectstatic --no-input --verbosity 0 \
		&& $(PY) manage.py migrate --no-input \
		&& { $(PY) manage.py announce_due_posts --every 60 & announcer=$$!; \
			$(PY) manage.py db_worker & worker=$$!; \
			trap 'kill $$announcer $$worker 2>/dev/null' EXIT; \
			$(VENV)/bin/gunicorn --config gunicorn.conf.py fansite.wsgi; }

bench: $(STAMP)
	$(PY) -m tests.bench

# The hooks of .pre-commit-config.yaml over every tracked file (they rewrite what they would
# change, and fail), then the migrations check. No git hook needs to be installed.
lint: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/pre-commit run --all-files --show-diff-on-failure
	$(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
