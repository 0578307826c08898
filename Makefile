# The two commands: `make run` (the app with demo data) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
## The exact versions `make install` installs (pip constraints); `make lock` refreshes it
LOCK := requirements.lock
NODE_STAMP := node_modules/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?= -n 2

.PHONY: install lock run test lint browser clean

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $(STAMP)

## Resolve pyproject.toml's dev install afresh in a scratch venv and pin every package it got
lock:
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	$(PYTHON) -m venv "$$scratch" && \
	"$$scratch/bin/pip" install --quiet --upgrade pip && \
	"$$scratch/bin/pip" install --quiet '.[dev]' && \
	{ echo "# Pinned by \`make lock\` from pyproject.toml's dev install ($$("$$scratch/bin/python" -V), $$(uname -sm))."; \
	  echo "# \`make install\` installs with these as pip constraints (-c); \`make lock\` refreshes them."; \
	  "$$scratch/bin/pip" freeze --exclude tracker; } > $(LOCK).new && \
	mv $(LOCK).new $(LOCK) && echo "$(LOCK): $$(grep -vc '^#' $(LOCK)) packages pinned"

## axe-core for the browser accessibility tests (pinned by package-lock.json)
$(NODE_STAMP): package.json $(wildcard package-lock.json)
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for the accessibility tests..."; \
	  apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq npm >/dev/null; }
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

## Install, migrate, load the built-in frameworks and the demo, serve on http://127.0.0.1:5000
run: $(STAMP)
	$(BIN)/tracker db upgrade
	$(BIN)/tracker seed frameworks
	$(BIN)/tracker seed demo
	@echo "tracker is starting on http://$(HOST):$(PORT)"
	$(BIN)/tracker run --host $(HOST) --port $(PORT)

## Debian's Chromium for the browser tests (Playwright drives it; no browser download)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

## Install everything and run every test (unit, integration, API, browser)
test: install browser lint
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache .ruff_cache .hypothesis
