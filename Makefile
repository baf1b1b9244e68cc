# Two entry points a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test fuzz lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/sldiag analyze samples/ || test $$? -eq 1  # 1 = findings, the point of the demo

test: $(STAMP)
	$(BIN)/ruff check sldiag tests benchmarks tools
	$(BIN)/mypy sldiag
	$(BIN)/sldiag rules test
	$(BIN)/pytest

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_properties.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_small.py
	$(BIN)/python benchmarks/bench_collect.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
