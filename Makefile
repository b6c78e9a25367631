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

.PHONY: help install spec generate check-generated lint format typecheck test conformance sandbox sync-spec bench dist clean

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

dist: install ## Build the wheel and sdist into dist/ (the generated client ships inside them)
	rm -rf dist
	$(UV) build --out-dir dist

sync-spec: install ## Sync SPEC=<path|URL> [COMMIT= DATE= ALLOW_BREAKING=1 ALLOW_OVERLAY_GAPS=1 VERIFY=1]; report changes
	@test -n "$(SPEC)" || { echo "usage: make sync-spec SPEC=<path or URL> [COMMIT=<sha>] [DATE=YYYY-MM-DD] [ALLOW_BREAKING=1] [ALLOW_OVERLAY_GAPS=1] [VERIFY=1]" >&2; exit 2; }
	@rm -f reports/spec-sync.md reports/spec-sync.json
	@# make reports 2 for any failing recipe; the sync's own status (docs/spec-sync.md) is printed.
	@status=0; $(RUN) bigcommerce-refunds spec sync "$(SPEC)" \
		$(if $(COMMIT),--commit "$(COMMIT)") $(if $(DATE),--date "$(DATE)") \
		$(if $(ALLOW_BREAKING),--allow-breaking) $(if $(ALLOW_OVERLAY_GAPS),--allow-overlay-gaps) \
		$(if $(VERIFY),--verify) \
		--markdown reports/spec-sync.md --json reports/spec-sync.json || status=$$?; \
	if [ $$status -ne 0 ]; then echo "make sync-spec: bigcommerce-refunds spec sync exited $$status (make itself exits 2; scripts that act on the status run the command directly, see docs/spec-sync.md)" >&2; fi; \
	exit $$status

# make conformance                        -> the embedded sandbox (started and stopped by the suite)
# make conformance TARGET=URL TOKEN=T      -> any server claiming the API (URL = .../stores/<hash>/v3)
# make conformance TARGET=live             -> a store: BIGCOMMERCE_STORE_HASH, BIGCOMMERCE_ACCESS_TOKEN
#                                             [BIGCOMMERCE_API_URL]; never chosen implicitly
# make conformance PROFILE=smoke|quick|deep (default quick)
# Target choice, preflight and exit codes live in conformance/runner.py, run by the installed
# command (bigcommerce_refunds/conformance_cli.py) as anyone's CI runs it; this target only maps
# make's variables to CONFORMANCE_* (exported, so no token is ever echoed or on a command line).
# CONFORMANCE_* already in the environment are honoured; only a variable given on make's command
# line overrides them (a stray TARGET or TOKEN in the environment never picks a target).
from_cli = $(if $(filter command line,$(origin $(1))),$($(1)),$($(2)))
conformance: export CONFORMANCE_TARGET := $(call from_cli,TARGET,CONFORMANCE_TARGET)
conformance: export CONFORMANCE_TOKEN := $(call from_cli,TOKEN,CONFORMANCE_TOKEN)
conformance: export CONFORMANCE_READ_ONLY_TOKEN := $(call from_cli,READ_ONLY_TOKEN,CONFORMANCE_READ_ONLY_TOKEN)
conformance: export CONFORMANCE_PROFILE := $(call from_cli,PROFILE,CONFORMANCE_PROFILE)
conformance: install ## Run the conformance suite [TARGET=<base url>|live TOKEN= READ_ONLY_TOKEN= PROFILE=smoke|quick|deep]
	$(RUN) bigcommerce-refunds conformance --reports "$${CONFORMANCE_REPORTS:-reports/conformance}"

HOST ?= 127.0.0.1
PORT ?= 4010
sandbox: install ## Start the sandbox on http://127.0.0.1:4010/stores/sandbox/v3 (HOST=, PORT= to change; Ctrl-C stops it)
	$(RUN) bigcommerce-refunds sandbox --host $(HOST) --port $(PORT)

bench: install ## Benchmarks vs Prism and the ceiling -> bench/README.md [BENCH_ARGS=--only http]
	$(RUN) python -m bench.run $(BENCH_ARGS)

clean: ## Remove environments and caches
	rm -rf .venv $(TOOLS) .pytest_cache .mypy_cache .ruff_cache .hypothesis
