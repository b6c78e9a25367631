# Every target a person runs is a target CI runs ("scripts to rule them all").
# Set-up is automatic: any target that needs the environment depends on `install`.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
RUN := $(UV) run --frozen --no-sync

.PHONY: help install spec generate check-generated lint format typecheck test clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.installed: $(UV) pyproject.toml uv.lock generated/pyproject.toml
	$(UV) sync --frozen
	@touch $@

install: .venv/.installed ## Create .venv with everything pinned in uv.lock (needs only python3)

spec: install ## Build openapi/refunds.yaml from openapi/upstream + openapi/overlay.yaml
	$(RUN) python scripts/build_spec.py

generate: install ## Regenerate generated/ from openapi/refunds.yaml (byte-reproducible)
	$(RUN) python scripts/generate.py

check-generated: install ## Fail, naming the file, if openapi/refunds.yaml or generated/ is stale
	$(RUN) python scripts/check_generated.py

lint: install ## ruff check + format check on hand-written code
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: install ## Apply ruff fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

typecheck: install ## mypy --strict on hand-written code and on generated/
	$(RUN) mypy
	$(RUN) mypy --strict generated/bigcommerce_refunds_client

test: check-generated lint typecheck ## Everything CI checks: stale files, lint, types, pytest
	$(RUN) pytest

clean: ## Remove environments and caches
	rm -rf .venv $(TOOLS) .pytest_cache .mypy_cache .ruff_cache .hypothesis
