# DX Support Desk — `make run` (demo on SQLite) and `make test` (the whole suite). Needs only Python 3.11 and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Links in e-mails follow the port unless SITE_URL is set (`make run PORT=8080` → http://127.0.0.1:8080).
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL
CHROMIUM_PATH ?= /usr/bin/chromium

.PHONY: run test test-cluster lint check pytest e2e-status guide-screenshots demo-reset bench schema messages clean install

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=check-deploy-$$($(PY) -c "import secrets; print(secrets.token_urlsafe(40))") ALLOWED_HOSTS=dx.example.org \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py check --deploy --fail-level WARNING

pytest: $(STAMP) e2e-status
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser tests (tests/e2e) need Chromium and the playwright package; say plainly when they will be skipped.
e2e-status: $(STAMP)
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
	  echo "NOTE: browser tests (tests/e2e) SKIPPED: no Chromium at $(CHROMIUM_PATH) (apt-get install chromium, or set CHROMIUM_PATH)"; \
	elif ! $(PY) -c "import playwright.sync_api" 2>/dev/null; then \
	  echo "NOTE: browser tests (tests/e2e) SKIPPED: the playwright package is missing (pip install -e '.[test]')"; \
	else echo "browser tests (tests/e2e): Chromium at $(CHROMIUM_PATH)"; fi

# The guides' screenshots (docs/guides/img/), taken by the browser tests on the small demo world.
guide-screenshots: $(STAMP)
	GUIDE_SCREENSHOTS=1 $(BIN)/pytest tests/e2e/test_guide_screenshots.py -p no:randomly -q

# Start the demo again from scratch: empty the database, then migrate and load the demo data.
demo-reset: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --reset

test: lint check pytest
	@echo "cluster test: not run by make test; run \`make test-cluster\` (needs PostgreSQL and Redis)"

# Two gunicorn servers, the worker and the scheduler against PostgreSQL and Redis on loopback (tests/cluster/).
# CLUSTER_ARGS=--require turns "PostgreSQL/Redis absent" into a failure (CI).
test-cluster: $(STAMP)
	$(PY) -m tests.cluster.run_cluster $(CLUSTER_ARGS)

# make bench [SCALE=0.1] [BENCH="bench_support bench_staffing"]
bench: $(STAMP)
	$(PY) -m benchmarks.run $(if $(SCALE),--scale $(SCALE)) $(BENCH)

schema: $(STAMP)
	$(PY) manage.py graphql_schema

messages: $(STAMP)
	$(PY) manage.py makemessages -l ja --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages -l ja --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
