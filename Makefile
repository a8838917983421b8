# Partner Academy. `make run` and `make test` are all a new machine needs; `make help` lists the rest.
# The project needs Python 3.11; use it by name when the machine has several.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= community.settings.dev

.DEFAULT_GOAL := help
.PHONY: help install install-dev system-packages compile-messages run serve test test-pg test-integration test-e2e ci lint format messages bench load

help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Create .venv and install the site

install-dev: $(VENV)/.installed-dev ## Install with test and lint tools

# Unless SITE_URL is set, the settings build it (links, QR codes, credential ids) from PORT.
run: export PORT := $(PORT)
run: install system-packages compile-messages ## Install, migrate, load the demo and serve on http://127.0.0.1:8000 (PORT=8001 make run to change)
	mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo "\nPartner Academy: http://127.0.0.1:$(PORT)/  (Wagtail admin: /admin/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev compile-messages ## Lint, check migrations and run the test suite (SQLite unless DATABASE_URL is set)
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=community.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=community.settings.test $(VENV)/bin/pytest -q

test-integration: install-dev ## PostgreSQL, Redis and a real Celery worker (needs DATABASE_URL and REDIS_URL)
	DJANGO_SETTINGS_MODULE=community.settings.test $(VENV)/bin/pytest -q -o addopts="-p no:cacheprovider --strict-markers" tests/integration

test-e2e: install-dev ## Browser tests in headless Chromium (/usr/bin/chromium)
	DJANGO_SETTINGS_MODULE=community.settings.test $(VENV)/bin/pytest -q -o addopts="-p no:cacheprovider --strict-markers" tests/e2e

# Debian packages the site uses when they are there: HarfBuzz's font subsetter (certificate PDFs in
# about 0.1 s instead of 0.25 s for a Latin name and 2 s for a Chinese one, where fontTools does the
# subsetting) and GNU gettext (the Chinese interface). Installed when missing and run as root,
# else named in one line; `make run`, `bench` and `load` start with it. Without the subsetter the
# site still works and says so once per process (certifications/certificates/font_subsetting.py).
SYSTEM_PACKAGES = libharfbuzz-subset0 gettext

system-packages: ## Install the Debian packages certificate PDFs and translations use (as root)
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's" $$missing; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "missing system packages:" $$missing "(Debian: apt-get install" $$missing")"; \
	fi

bench: install-dev system-packages ## Time key pages and jobs on a generated dataset (BENCH_SCALE=0.01; DATABASE_URL for PostgreSQL)
	test -x var/bench/spirit-venv/bin/python || $(PY) bench/peer_forum.py --setup
	$(PY) bench/run.py --scale $${BENCH_SCALE:-0.01} $(BENCH_ARGS)

load: install-dev system-packages ## gunicorn + Celery on PostgreSQL and Redis under Locust from loopback (LOAD_USERS=200, LOAD_TIME=60)
	$(PY) bench/load.py

ci: ## What CI runs: the whole of .ci/run
	bash .ci/run

lint: install-dev ## ruff check, format check and the import direction
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev ## Format and fix lint where safe
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install-dev ## Refresh the zh-hans catalogue from the code and templates, then compile it
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete -i ".venv/*" -i "var/*" -i "*/migrations/*" -i "tests/*" -i "bench/*"
	$(PY) manage.py compilemessages -l zh_Hans --ignore ".venv/*"

# Without GNU gettext (msgfmt) the site still runs, in English only.
compile-messages: | $(PY)
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages -l zh_Hans --ignore ".venv/*" >/dev/null; \
	else \
		echo "gettext (msgfmt) is not installed: the Chinese interface needs it (apt-get install gettext)."; \
	fi
