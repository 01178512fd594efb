# The README's two commands are `make run` and `make test`; everything they need is installed here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench chromium install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "consent-server needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## run: install into .venv and start the demo on SQLite at http://127.0.0.1:5000/demo
run: install
	$(BIN)/consent-server demo

## chromium: the browser tests use Debian's Chromium (Playwright cannot download its own here)
chromium:
	@if [ -n "$$CHROMIUM_PATH" ] && [ -x "$$CHROMIUM_PATH" ]; then :; \
	elif [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing: run 'sudo apt-get install chromium' or set CHROMIUM_PATH"; exit 1; fi

## test: install everything (Chromium included) and run the whole suite (SQLite, and PostgreSQL if it answers)
test: install chromium
	$(BIN)/pytest

## lint: ruff (lint + format check) and mypy
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: figures, not pass/fail (durability under SIGKILL; collector vs trivial routes; widget vs vanilla-cookieconsent, which needs npm)
bench: install chromium
	$(BIN)/python bench/durability.py
	$(BIN)/python bench/collect.py
	$(BIN)/python bench/widget.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
