# Two commands for a new user: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV_ENV := DJANGO_DEBUG=1 SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}
# Without a TeamViewer token, `make run` starts the local fake of TeamViewer's API
# (tests/support/teamviewer_fake.py) and points the integration at it, marked as a demo.
TV_FAKE_PORT ?= 8765
TV_DEMO_ENV := $(if $(TEAMVIEWER_API_TOKEN),,TEAMVIEWER_DEMO=1 TEAMVIEWER_API_URL=http://127.0.0.1:$(TV_FAKE_PORT)/api/v1 TEAMVIEWER_API_TOKEN=demo-script-token TEAMVIEWER_GROUP_ID=g1234567)
TV_FAKE_START := $(if $(TEAMVIEWER_API_TOKEN),,$(PY) -m tests.support.teamviewer_fake --port $(TV_FAKE_PORT) & trap "kill $$!" EXIT;)

.PHONY: run test serve install install-dev lock audit migrate static messages demo lint typecheck deploy-check bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs exactly the locked versions (hashes checked), then the project itself.
$(VENV)/.installed: pyproject.toml requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --noinput

# Compiled catalogues (.mo) are committed, so a fresh machine needs no gettext;
# this target rebuilds them after editing a .po file (needs GNU gettext).
messages: install
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=var

static: install
	$(DEV_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0

demo: migrate
	$(DEV_ENV) $(PY) manage.py demo_data

## make run: set up everything and serve the portal on http://127.0.0.1:$(PORT)
## (with a task worker for e-mails; Ctrl-C stops both)
run: install migrate static demo
	@echo "Portal: http://127.0.0.1:$(PORT)/"
	$(if $(TEAMVIEWER_API_TOKEN),,@echo "TeamViewer: demo, local fake API on http://127.0.0.1:$(TV_FAKE_PORT)/api/v1")
	$(DEV_ENV) $(TV_DEMO_ENV) bash -c '$(TV_FAKE_START) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/honcho start -f Procfile.dev -p $(PORT)'

## make test: the whole suite (unit, integration, real browser)
test: install-dev
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

## make serve: production-style (gunicorn + WhiteNoise + task worker, DJANGO_DEBUG=0) on plain HTTP
serve: install migrate
	DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-local-serve-$$(hostname)-not-for-production-0123456789abcdef} \
		$(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-local-serve-$$(hostname)-not-for-production-0123456789abcdef} \
		PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/honcho start -f Procfile -p $(PORT)

## make lock: re-resolve requirements.lock and requirements-dev.lock (with hashes) from pyproject.toml
lock: | $(VENV)/bin/python
	$(PY) -m pip install --quiet "pip-tools>=7.4,<8"
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
		-o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
		--extra dev -o requirements-dev.lock pyproject.toml

## make audit: the locked versions against known vulnerabilities (pip-audit, PyPI's advisory data)
audit: | $(VENV)/bin/python
	bash scripts/audit.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-dev
	$(VENV)/bin/mypy .

deploy-check: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		DJANGO_ALLOWED_HOSTS=support.example.com $(PY) manage.py check --deploy --fail-level WARNING

## make bench: production-style load test against Django's floor (needs PostgreSQL; see docs/benchmarks.md)
bench: install-dev
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "wrk missing: apt-get install wrk"; exit 1; }
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
