# The two commands a newcomer needs: `make lab` and `make test`. Only Python >= 3.11 and make required.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
WORKSPACE ?= workspace
ROOTOK := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg

.PHONY: install lock lab test test-binder hub build bench lint clean

# Every Python package comes from requirements/lock.txt at its exact version (uv's universal lock, Python >= 3.11):
# pip installs only the locked uv, uv syncs the venv to the lock, then adds coursekit itself without dependencies.
# --compile-bytecode writes every package's .pyc at install, as pip does by default and uv does not: where
# PYTHONDONTWRITEBYTECODE is set (this machine's image sets it), nothing else ever writes them, and every kernel,
# server and test process compiled pandas, matplotlib and JupyterLab from source on each start (5.0 s against 2.9 s for
# their imports, measured on a fresh clone; docs/performance.md, "make test").
$(STAMP): pyproject.toml requirements/lock.txt requirements/npm/package-lock.json Makefile jupyter-config/lab-settings/overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "coursekit needs Python 3.11 or newer: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "$$(grep -E '^uv==' requirements/lock.txt)"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements/lock.txt
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e .
	@# JupyterLab's command-mode keys (arrows, X, D D) kept off the course's widgets (jupyter-config/lab-settings/widget_shortcuts.py)
	mkdir -p $(VENV)/share/jupyter/lab/settings && cp jupyter-config/lab-settings/overrides.json $(VENV)/share/jupyter/lab/settings/
	@# the hub tests' proxy at its locked version, from the npm registry into the venv (they skip with one reason without it; CI fails)
	@if command -v npm >/dev/null 2>&1; then mkdir -p $(VENV)/node && cp requirements/npm/package.json requirements/npm/package-lock.json $(VENV)/node/ \
	  && npm ci --silent --no-audit --no-fund --prefix $(VENV)/node \
	  || echo "npm ci of configurable-http-proxy failed: tests/hub will skip"; else echo "npm not found: tests/hub will skip"; fi
	touch $(STAMP)

# Refresh the lock to the newest releases pyproject.toml allows (run it when you change a dependency, or to take
# upstream releases on purpose; then `make test` and commit requirements/ and binder/requirements.txt together).
lock: $(STAMP)
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --upgrade --all-extras \
	  --custom-compile-command "make lock" pyproject.toml -o requirements/lock.txt
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --extra present --extra hub \
	  --custom-compile-command "make lock" -c requirements/lock.txt pyproject.toml -o binder/requirements.txt
	cd requirements/npm && npm install --silent --no-audit --no-fund --package-lock-only
	$(MAKE) install

install: $(STAMP)

lab: $(STAMP)  ## open your workspace (a git-ignored copy of notebooks/) in JupyterLab on the start page
	$(BIN)/coursekit workspace --dir $(WORKSPACE)
	cd $(WORKSPACE) && JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
		$(CURDIR)/$(BIN)/jupyter lab --port $(PORT) $(ROOTOK) 00-start-here.ipynb

# make test runs in two steps (docs/performance.md, "make test"): the unit, functional and notebook tests and nbval on
# two workers (pytest-xdist; --dist loadfile keeps a test file, or a notebook's cells, on one worker and kernel), then
# the browser and hub tests on one, sharing one Chromium and one JupyterLab for the session (on two workers a fresh
# clone's run once waited 5 minutes for module 1's Run All in the keyboard test's own JupyterLab: flaky, so not used).
WORKERS ?= 2
test: $(STAMP)  ## every test but Binder's: notes lint, build is current, unit/functional/browser/hub tests, nbval on every notebook
	@$(BIN)/python -m compileall -q src  # coursekit's own .pyc (the packages' are written at install; see above)
	$(BIN)/coursekit check
	$(BIN)/coursekit build --check --quiet
	$(BIN)/python -m pytest tests notebooks $(NBVAL) --ignore=tests/browser --ignore=tests/hub -m "not binder" -q -n $(WORKERS) --dist loadfile
	$(BIN)/python -m pytest tests/browser tests/hub -m "not binder" -q

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
