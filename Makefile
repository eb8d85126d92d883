# Quick start: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck check-render bench clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall .
	$(BIN)/jtai-audit score examples/cases.xlsx
	@echo
	@echo "Next: your own workbook, as in the README. In this shell:"
	@echo "  . $(VENV)/bin/activate && jtai-audit template --output my-cases.xlsx"
	@echo "On Windows (PowerShell):  $(VENV)\\Scripts\\Activate.ps1 ; jtai-audit template --output my-cases.xlsx"
	@echo "Fill in one row per child, save, then:  jtai-audit validate my-cases.xlsx"
	@echo "                                        jtai-audit score my-cases.xlsx"

test: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall .
	$(BIN)/ruff check src tests examples benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/jtai-audit rubric check --strict rubrics/
	$(BIN)/jtai-audit rubric test rubrics/
	$(BIN)/pytest

# Render the meeting reports in LibreOffice and headless Chromium and look at them. The
# fonts are installed here too (Carlito has Calibri's metrics), so page counts hold anywhere.
RENDER_PACKAGES := chromium libreoffice-calc poppler-utils fonts-crosextra-carlito \
  fonts-dejavu-core fonts-liberation
check-render: $(STAMP)
	$(BIN)/python -m pip install --quiet ".[dev,render]"
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall .
	@dpkg -s $(RENDER_PACKAGES) >/dev/null 2>&1 || { apt-get update \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	     $(RENDER_PACKAGES); }
	BIN=$(BIN) scripts/check_render.sh

clean:
	rm -rf $(VENV) build src/*.egg-info .mypy_cache .ruff_cache .pytest_cache

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall .
	cd benchmarks && ../$(BIN)/python generate.py && ../$(BIN)/python run.py
