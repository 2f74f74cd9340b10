# Yikatong — developer entry points. Needs only python3.11 (+venv), node/npm, and for
# browser tests Debian's chromium (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
VENDOR := yikatong/static/vendor

.PHONY: bootstrap install assets run test bench clean

bootstrap: install assets

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/bootstrap.min.css
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap.bundle.min.js
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js

run: bootstrap
	$(BIN)/yikatong migrate --noinput
	$(BIN)/yikatong demo
	$(BIN)/yikatong serve

# The suite runs on every core (pytest-xdist; each worker has its own test database and var/);
# TEST_WORKERS=0 runs it in one process. The slowest tests are listed at the end of each run.
TEST_WORKERS ?= auto
test: bootstrap
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=15 $(PYTEST_ARGS)

bench: bootstrap
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
