# painmap: `make run` to start the app, `make test` to run every test.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8050
DATA   ?=

.PHONY: run test install install-test browser bench schema screenshot clean

$(VENV)/bin/activate:
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser

## Debian's chromium and chromium-driver for the browser tests and static export.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing Debian's chromium and chromium-driver"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

run: install
	$(VENV)/bin/painmap serve --host $(HOST) --port $(PORT) $(if $(DATA),--data $(DATA))

## pytest exits 5 when it collects nothing: that is a failure here, not a pass.
test: install-test
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$status

bench: install
	$(PY) bench/run.py

schema: install
	$(VENV)/bin/painmap schema -o data/schema.json

screenshot: install-test
	$(PY) scripts/screenshot.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info
