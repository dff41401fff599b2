# painmap: `make run` starts the app, `make test` runs every test. Both install exactly
# what uv.lock pins (see README, "For developers").

# The locked environment, a venv that holds only uv, and the Python that makes them.
VENV   ?= .venv
TOOLS  ?= .tools
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 8050
DATA   ?=
WORKERS ?=
# mutmut run's mutant names, e.g. MUTANTS='painmap.viewstate*' (empty: every configured file)
MUTANTS ?=

# uv itself is pinned; bump it with care (the lock file format follows uv's version).
UV_VERSION := 0.13.8
UV         := $(TOOLS)/bin/uv
UV_STAMP   := $(TOOLS)/.uv-$(UV_VERSION)
PY         := $(VENV)/bin/python
LATEST     := .venv-latest

# uv sync installs into $(VENV); it uses the Python found here, never a downloaded one, and
# trusts the system's certificate store (as pip here does) for the registry.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS    := never
export UV_SYSTEM_CERTS        ?= 1

# --locked: install exactly uv.lock, and stop if pyproject.toml has changed since it was
# written (then run `make lock`). --inexact leaves other extras already installed in place.
SYNC := $(UV) sync --locked --quiet

# Killed (a test failed) or timed out, out of the mutants checked so far.
define MUTATION_SCORE
import json
s = json.load(open('mutants/mutmut-cicd-stats.json'))
caught = s['killed'] + s['timeout']
seen = caught + s['survived'] + s['no_tests'] + s['suspicious'] + s['skipped'] + s['segfault']
print(f"mutation score: {caught} of {seen} mutants killed ({100 * caught / max(seen, 1):.1f} %): "
      f"{s['survived']} survived, {s['no_tests']} not reached by tests/unit, "
      f"{s['total'] - seen} not run. `mutmut results` lists them; `mutmut show NAME` shows one.")
endef
export MUTATION_SCORE

.PHONY: load run test typecheck lock test-latest mutate browser bench bench-interaction schema screenshot clean messages

## uv, pinned, in its own small venv: nothing to install by hand.
$(UV_STAMP):
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	touch $@

## Start the app on http://$(HOST):$(PORT) (runtime packages from the lock): the production
## server, painmap serve (WORKERS=N worker processes; default one per core).
run: $(UV_STAMP)
	$(SYNC) --inexact
	$(VENV)/bin/painmap serve --host $(HOST) --port $(PORT) $(if $(DATA),--data $(DATA)) $(if $(WORKERS),--workers $(WORKERS))

## Every test (mypy, unit and browser) in exactly the locked set: runtime + test extra.
## pytest exits 5 when it collects nothing: that is a failure here, not a pass.
test: $(UV_STAMP) browser
	$(SYNC) --extra test
	$(VENV)/bin/mypy src
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$status

## mypy over src/ (the package ships py.typed).
typecheck: $(UV_STAMP)
	$(SYNC) --inexact --extra test
	$(VENV)/bin/mypy src

## Refresh uv.lock to the newest versions pyproject.toml allows; commit it with the change.
lock: $(UV_STAMP)
	$(UV) lock --upgrade

## The unit tier against the newest versions pyproject.toml allows, in $(LATEST) (never the
## locked venv; uv.lock is not read or written). Finds the next upstream break. Not in CI.
test-latest: $(UV_STAMP)
	$(UV) venv --quiet --allow-existing $(LATEST)
	$(UV) pip install --quiet --python $(LATEST)/bin/python --refresh --upgrade \
		--resolution highest -e '.[test]'
	$(LATEST)/bin/python -m pytest tests/unit $(PYTEST_ARGS)

## Mutation testing (mutmut 3, configured in pyproject.toml) against tests/unit. Slow: not in CI.
## Mutants and results live in mutants/; the score goes into tests/README.md by hand.
mutate: $(UV_STAMP)
	$(SYNC) --extra test --extra mutate
	$(VENV)/bin/mutmut run $(MUTANTS)
	@$(VENV)/bin/mutmut export-cicd-stats >/dev/null && $(PY) -c "$$MUTATION_SCORE"

## Debian's chromium and chromium-driver for the browser tests and static export.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing Debian's chromium and chromium-driver"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

## Speed, written to bench/README.md.
bench: $(UV_STAMP)
	$(SYNC) --inexact
	$(PY) bench/run.py

## A class at 9:00 (bench/load.py): 300 students click through a story against painmap serve
## --workers 4 and the minimal app served the same way, with locust; a worker is killed midway.
## Written to bench/README.md. Not in CI. locust has its own venv (it needs urllib3 2; the test
## extra's selenium pins urllib3 1), pinned here.
LOAD_VENV      := .venv-load
LOCUST_VERSION := 2.47.0
load: $(UV_STAMP) browser
	$(SYNC) --inexact --extra test
	$(UV) venv --quiet --allow-existing $(LOAD_VENV)
	$(UV) pip install --quiet --python $(LOAD_VENV)/bin/python locust==$(LOCUST_VERSION)
	$(PY) bench/load.py --locust $(LOAD_VENV)/bin/locust

## Interaction speed (organ choice, playback) against a minimal Dash app, written to
## bench/README.md. Needs ab (Debian's apache2-utils) and the system's chromium.
bench-interaction: $(UV_STAMP) browser
	@if ! command -v ab >/dev/null; then \
		echo "installing Debian's apache2-utils (ab, the load client of the throughput bench)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq apache2-utils >/dev/null; \
	fi
	$(SYNC) --inexact --extra test
	$(PY) bench/interaction.py

## Regenerate data/schema.json after changing the model.
schema: $(UV_STAMP)
	$(SYNC) --inexact
	$(VENV)/bin/painmap schema -o data/schema.json

## Regenerate docs/screenshot.png from the running app (needs the test extra's selenium).
screenshot: $(UV_STAMP) browser
	$(SYNC) --inexact --extra test
	$(PY) scripts/screenshot.py

clean:
	rm -rf $(VENV) $(TOOLS) $(LATEST) $(LOAD_VENV) mutants build dist src/*.egg-info

## The interface's words: extract them from the code into src/painmap/locale/painmap.pot and
## merge them into every language's .po (docs/translating.md). The .po files are read as they
## are (compiled in memory); `painmap validate` prints each language's coverage.
LOCALE := src/painmap/locale
messages: $(UV_STAMP)
	$(SYNC) --inexact
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k gettext:2 -k ngettext:2,3 --add-location=file --sort-by-file \
		--project=painmap --copyright-holder="painmap contributors" -o $(LOCALE)/painmap.pot .
	$(VENV)/bin/pybabel update -D painmap -i $(LOCALE)/painmap.pot -d $(LOCALE) --no-fuzzy-matching --ignore-obsolete
