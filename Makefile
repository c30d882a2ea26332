# Two commands on a fresh clone: `make demo` and `make test`. Everything installs from PyPI
# wheels into .venv; nothing needs root, a GPU or model weights.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup demo test lint typecheck unit bench clean distclean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "yingxi needs Python 3.11 or newer: run make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: setup
	$(BIN)/yingxi render examples/paper-lantern --out out

test: setup lint typecheck unit

lint: setup
	$(BIN)/ruff check src tests bench

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/render.py
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/conformance.py
	$(BIN)/python bench/pipeline.py

clean:
	rm -rf out examples/*/out examples/*/.yingxi .pytest_cache .mypy_cache .ruff_cache

distclean: clean
	rm -rf $(VENV)
