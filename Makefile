# Initiative K – the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint format messages bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## install: venv, Python packages, npm assets, static files, translations (idempotent)
install: $(STAMP) node_modules/.package-lock.json
	$(PY) -m initiativek.core.assets
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(MANAGE) collectstatic --noinput -v 0

## run: migrate, load demo data, start the background worker and serve http://$(HOST):$(PORT)
run: install
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) seed_demo
	@echo "Hintergrund-Worker startet (E-Mails) …"
	@trap 'kill 0' EXIT; \
	  $(MANAGE) db_worker --interval 1 & \
	  while true; do $(MANAGE) event_housekeeping >/dev/null; sleep 600; done & \
	  $(MANAGE) runserver $(HOST):$(PORT)

## test: install and run the whole suite (lint, migrations check, pytest)
test: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	DJANGO_SETTINGS_MODULE=initiativek.conf.ci $(MANAGE) makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

format: $(STAMP)
	$(VENV)/bin/ruff check --fix src tests benchmarks
	$(VENV)/bin/ruff format src tests benchmarks

## messages: refresh the German/English message catalogues after changing texts
messages: $(STAMP)
	cd src/initiativek && ../../$(MANAGE) makemessages -l en -l de --no-obsolete --no-location --ignore=static/vendor/*

bench: install
	$(PY) -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var src/initiativek/static/vendor
