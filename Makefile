# Two commands on a fresh clone: `make demo` and `make test`. Everything installs from PyPI
# wheels into .venv; nothing needs root, a GPU or model weights.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | cksum | cut -d' ' -f1)
# tinysoundfont's wheel names PyAudio (for live playback, which yingxi never uses) and PyAudio
# has no Linux wheel: install it without its dependencies
NODEPS := tinysoundfont==0.3.7
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup demo test lint typecheck unit bench clean distclean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "yingxi needs Python 3.11 or newer: run make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps $(NODEPS)
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: setup
	$(BIN)/yingxi render examples/paper-lantern --out out

test: setup lint typecheck unit

lint: setup
	$(BIN)/ruff check src tests bench scripts

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
