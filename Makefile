# Two commands do all set-up on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test test-fast lint bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first: the local CPU build; any later range it satisfies installs nothing more.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	# basic-pitch without its TensorFlow requirement: it runs on its bundled ONNX model (onnxruntime).
	$(BIN)/pip install --quiet --no-deps basic-pitch==0.4.0
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/after demo

# Lint and type-check first (seconds), then everything, slow end-to-end and learning tests included (what CI runs).
test: $(STAMP) lint
	$(BIN)/python -m pytest -m "slow or not slow" -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# The fast default subset.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info
