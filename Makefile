# Citizen Hub: the two commands a newcomer needs are `make demo` and `make test`.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest clean

## demo: install, then serve the hub over the three demo agencies (GraphiQL on :8000)
demo: $(INSTALLED) .env
	$(BIN)/hub demo

## test: install, then run the linters, the type checker and the whole test suite
test: lint typecheck pytest

lint: $(INSTALLED)
	$(BIN)/ruff check hub connectors legacy tests bench
	$(BIN)/ruff format --check hub connectors legacy tests bench

typecheck: $(INSTALLED)
	$(BIN)/mypy

pytest: $(INSTALLED)
	$(BIN)/pytest

$(INSTALLED): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(INSTALLED)

.env:
	cp .env.example .env

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
