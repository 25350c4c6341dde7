# Quick start: `make run` serves the app on http://localhost:$(PORT); `make test` runs every test.
# Every target sets up what it needs first (virtualenv, Python packages, bun), and reuses it after.

SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
BUN_VERSION := 1.4.4
PORT ?= 3000
PYTEST_ARGS ?= tests
# Three lanes side by side: the browser tests, which mostly wait on the browser and the app,
# and the rest in two halves on a database each (tests/conftest.py groups them).
PYTEST_LANES ?= -n 3

export PORT
export REFLEX_TELEMETRY_ENABLED := false
# A project-local bun (installed from the npm registry) wins over anything else on PATH.
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)

.PHONY: setup browser run dev run-cluster migrate test lint format clean

setup: $(VENV)/.installed $(TOOLS)/.ready

$(VENV)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# Reflex builds the frontend with bun. Use a bun >= 1.2 already on PATH; otherwise install the
# pinned bun from the npm registry into $(TOOLS)/ (Reflex's own bun download needs the internet).
$(TOOLS)/.ready:
	@mkdir -p $(TOOLS)
	@if command -v bun >/dev/null 2>&1 && printf '%s\n' 1.2.0 "$$(bun --version)" | sort -VC; then \
		echo "using bun $$(bun --version) from $$(command -v bun)"; \
	else \
		echo "installing bun $(BUN_VERSION) into $(TOOLS)/ from the npm registry"; \
		npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error bun@$(BUN_VERSION); \
	fi
	@touch $@

migrate: setup
	$(BIN)/python -m todo_app.migrations

run: migrate
	$(BIN)/reflex run --env prod --single-port

dev: migrate
	BACKEND_PORT=$$(( $(PORT) + 5000 )) $(BIN)/reflex run --env dev

# Several backend workers sharing state through Redis (REDIS_URL, default the local server).
run-cluster: export REDIS_URL ?= redis://127.0.0.1:6379/0
run-cluster: export GRANIAN_WORKERS ?= 2
run-cluster: migrate
	$(BIN)/reflex run --env prod --single-port

# Browser tests use Debian's /usr/bin/chromium where it exists, else Playwright's own Chromium.
browser: setup
	@test -x /usr/bin/chromium || $(BIN)/playwright install chromium

test: setup browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_LANES) $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .web .states $(TOOLS) $(VENV)

# Load benchmarks of the production app on a throwaway PostgreSQL database (bench/RESULTS.md);
# not part of `make test`. BENCH_ARGS: --quick (harness check), --only 1,3, --profile (py-spy).
# Scenarios 6 and 7 are the UI's (toggle event, memory per tab); `make bench-ui` runs only them.
.PHONY: bench bench-ui soak
BENCH_ARGS ?=
BENCH_UI_ARGS ?=
SOAK_ARGS ?=
bench: setup browser
	@command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

bench-ui: setup browser
	$(BIN)/python -m bench.ui $(BENCH_UI_ARGS)

# Restarts the machine's PostgreSQL while the app serves writes: run it on a quiet machine.
soak: setup
	$(BIN)/python -m bench.soak $(SOAK_ARGS)
