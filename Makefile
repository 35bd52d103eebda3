# DX Support Desk — `make run` (demo on SQLite) and `make test` (the whole suite). Needs only Python 3.11 and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-cluster lint check pytest bench schema messages clean install

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

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

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
