# Two commands do all the set-up on a fresh machine (Python 3.11 + pip):
#   make demo   - create .venv, install tradesim, run the main job
#   make test   - create .venv, install tradesim with test tools, run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo replicate test bench clean data

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tradesim demo

replicate: $(STAMP)
	$(BIN)/tradesim replicate

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench-gravity]"
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

# Rebuild the shipped datasets from ../shared/data (read-only reference data).
data: $(STAMP)
	$(BIN)/python scripts/build_cp2015.py
	$(BIN)/python scripts/build_icio.py --year 2022
	$(BIN)/python scripts/build_tariffwar.py --year 2022
	$(BIN)/python scripts/build_concordance.py
	$(BIN)/python scripts/build_scenarios.py

clean:
	rm -rf $(VENV) results .pytest_cache
