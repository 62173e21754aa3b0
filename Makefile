# The two commands a newcomer needs: `make lab` and `make test`. Only Python >= 3.10 and make required.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
WORKSPACE ?= workspace
ROOTOK := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg

.PHONY: install lab test test-binder hub build bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# the hub tests' proxy, from the npm registry into the venv (they skip with one reason without it; CI fails)
	@if command -v npm >/dev/null 2>&1; then npm install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@5 \
	  || echo "npm install configurable-http-proxy failed: tests/hub will skip"; else echo "npm not found: tests/hub will skip"; fi
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)  ## open your workspace (a git-ignored copy of notebooks/) in JupyterLab on the start page
	$(BIN)/coursekit workspace --dir $(WORKSPACE)
	cd $(WORKSPACE) && JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
		$(CURDIR)/$(BIN)/jupyter lab --port $(PORT) $(ROOTOK) 00-start-here.ipynb

test: $(STAMP)  ## every test but Binder's: notes lint, build is current, unit/functional/browser/hub tests, nbval on every notebook
	$(BIN)/coursekit check
	$(BIN)/coursekit build --check --quiet
	$(BIN)/python -m pytest tests notebooks $(NBVAL) -m "not binder" -q

test-binder: $(STAMP)  ## Binder played on this machine: a fresh venv from binder/ alone, the start page run in Chromium (~4 min)
	$(BIN)/python -m pytest tests/browser/test_binder.py -m binder -q

hub: $(STAMP)  ## only the hub tests: a real JupyterHub on loopback, module 1 through the nbgitpuller link
	$(BIN)/python -m pytest tests/hub -m hub -q

build: $(STAMP)  ## regenerate notebooks/ from content/
	$(BIN)/coursekit build

bench: $(STAMP)  ## ratios against floors measured in the same run
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) test-artifacts
