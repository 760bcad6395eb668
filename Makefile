# Huxue: `make run` starts the whole system with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= Huxue@2026

# Tests read settings from the environment like production does: a throw-away key,
# plain HTTP, and static files straight from static/ (no collectstatic needed).
TEST_ENV = SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	HTTPS=0 STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: run install install-dev test test-e2e test-celery test-api-fuzz check lint messages clean-var

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var/secret_key: | $(VENV)/.installed
	mkdir -p var
	umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: install var/secret_key
	@export SECRET_KEY="$$(cat var/secret_key)" HTTPS=0; set -e; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py collectstatic --noinput -v0; \
	$(PY) manage.py seed_demo --password '$(DEMO_PASSWORD)'; \
	exec $(PY) manage.py serve --host $(HOST) --port $(PORT) --demo-password '$(DEMO_PASSWORD)'

# The suite in parallel, one test database per worker (pytest-xdist): one worker per core.
TEST_WORKERS ?= auto
test: install-dev
	$(TEST_ENV) $(PY) -m pytest -n $(TEST_WORKERS) -m "not e2e and not celery_worker and not api_fuzz" $(PYTEST_ARGS)

test-e2e: install-dev
	$(TEST_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m e2e $(PYTEST_ARGS)

test-celery: install-dev
	$(TEST_ENV) $(PY) -m pytest -m celery_worker $(PYTEST_ARGS)

# Fuzz every API operation against its OpenAPI schema (schemathesis): no 5xx, every answer
# documented. A few minutes; CI runs it on its own.
test-api-fuzz: install-dev
	$(TEST_ENV) $(PY) -m pytest -m api_fuzz $(PYTEST_ARGS)

# Ruff, then the floors contract in pyproject.toml (an app imports only apps below it).
lint: install-dev
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

check: install-dev
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

# Refresh the Chinese catalogue after changing strings, then translate the new entries.
messages: install-dev
	$(TEST_ENV) $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=static/vendor --ignore=tests
	$(TEST_ENV) $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean-var:
	rm -rf var/huxue.sqlite3* var/celery var/staticfiles
