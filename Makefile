# Learning City Platform — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BIN ?= python3.11
VENV       := .venv
PY         := $(VENV)/bin/python
LOCAL      ?= .local
STAMP      := $(VENV)/.installed-$(shell cat requirements.txt requirements.lock pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)
SCALE      ?= 0.01
SEED       ?= 42
DEMO_DIR   := $(LOCAL)/demo/landing
PYTEST_ARGS ?=
# Every command runs with the project's environment (warehouse URL, Airflow home, dbt profile, ...).
WITH_ENV   := eval "$$($(PY) -m ingestion.envvars)" &&

.PHONY: help setup env warehouse-start warehouse-stop airflow-init browser demo test lint format bench docs lock clean distclean

help: ## Show this help
	@echo "Learning City Platform — targets:"
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'
	@echo "Variables: SCALE=$(SCALE) (sample size, 1.0 = HCMC), SEED=$(SEED), PYTEST_ARGS=..."

$(STAMP): requirements.txt requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv
	@$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.txt -c requirements.lock
	@$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $@
	@echo "virtualenv ready: $(VENV)"

setup: $(STAMP) ## Create .venv, start the embedded PostgreSQL, create schemas and roles, migrate Airflow's DB
	@$(PY) -m ingestion warehouse start
	@$(MAKE) --no-print-directory airflow-init

airflow-init: $(STAMP) ## Migrate Airflow's SQLite metadata DB under .local/airflow (idempotent)
	@$(WITH_ENV) mkdir -p "$$AIRFLOW_HOME" && \
	  if [ ! -f "$$AIRFLOW_HOME/.migrated-3.3.2" ]; then \
	    airflow db migrate > "$$AIRFLOW_HOME/db-migrate.log" 2>&1 || { tail -n 40 "$$AIRFLOW_HOME/db-migrate.log"; exit 1; }; \
	    touch "$$AIRFLOW_HOME/.migrated-3.3.2"; echo "Airflow metadata DB migrated: $$AIRFLOW_HOME"; \
	  fi

env: $(STAMP) ## Print the project's environment as exports: eval "$(make -s env)"
	@$(PY) -m ingestion.envvars

warehouse-start: $(STAMP) ## Start the embedded PostgreSQL (127.0.0.1 only)
	@$(PY) -m ingestion warehouse start

warehouse-stop: ## Stop the embedded PostgreSQL (no process is left)
	@if [ -x $(PY) ]; then $(PY) -m ingestion warehouse stop; fi

browser: ## Install Debian's headless Chromium (used by the report's browser test)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: sudo apt-get install chromium"; fi; }

demo: setup ## Generate a sample landing folder for HCMC and run the nightly DAG end to end
	@rm -rf $(DEMO_DIR) && $(PY) -m ingestion.sample --out $(DEMO_DIR) --scale $(SCALE) --seed $(SEED)
	@$(WITH_ENV) $(PY) -m ingestion.pipeline run-dag --landing-dir $(DEMO_DIR)

test: setup browser ## Run the whole test suite against a real PostgreSQL
	@$(WITH_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff (Python and DAGs, with the AIR rules) and sqlfluff (dbt models, postgres dialect)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(WITH_ENV) $(VENV)/bin/sqlfluff lint dbt_project/models --disable-progress-bar

format: $(STAMP) ## Format Python with ruff
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

bench: setup ## HCMC-scale benchmark (not part of `make test`): writes bench/results.json
	@$(WITH_ENV) $(PY) -m ingestion.bench

docs: setup ## Build the dbt docs site into output/dbt_docs
	@$(WITH_ENV) $(PY) -m ingestion.pipeline dbt-docs

lock: ## Re-resolve requirements.txt into requirements.lock (needs the package index)
	@$(PY) -m pip install --quiet uv && rm -rf .lock-venv && $(PYTHON_BIN) -m venv .lock-venv && \
	  $(VENV)/bin/uv pip install --quiet --python .lock-venv/bin/python -r requirements.txt && \
	  $(VENV)/bin/uv pip freeze --python .lock-venv/bin/python | grep -v '^uv==' > requirements.lock && rm -rf .lock-venv

clean: warehouse-stop ## Stop the warehouse and remove .local/ (DB, Airflow home) and output/
	rm -rf $(LOCAL) output dbt_project/target dbt_project/logs

distclean: clean ## clean, and remove the virtualenv
	rm -rf $(VENV)
