# tamatch: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 5000
export FLASK_APP := tamatch
# Nothing is byte-compiled at install (compiling every installed module, numpy's and scipy's
# tests included, costs more CPU than all of make run): Python writes each module's bytecode the
# first time a command imports it, and later commands reuse it. So that holds where the
# environment says PYTHONDONTWRITEBYTECODE too, make's commands write it (into .venv and the
# ignored __pycache__/ folders).
export PYTHONDONTWRITEBYTECODE :=
# Installs come from uv.lock, exported with hashes to requirements/ (`make lock` refreshes them):
# runtime.txt serves the app, dev.txt adds the test and lint tools. uv (requirements/uv.txt) is
# installed into .venv first; it links packages from its cache, so a second clone takes seconds.
UV_PIP := $(UV) pip --quiet
INSTALL_PROJECT := $(UV_PIP) install --python $(PY) --no-deps -e .
EXPORT := $(UV) export --quiet --frozen --no-emit-project --no-header --format requirements.txt
LOCK_HEADER := echo '\# Exported from uv.lock by `make lock`; do not edit by hand.'
RUNTIME_SET :=
DEV_SET := --extra dev
UV_SET := --only-group bootstrap

.PHONY: install install-runtime run test lint lock lock-check format bench bench-solver \
	bench-web bench-rounds bench-import bench-setup seed clean translations compile-translations

# A venv without pip (ensurepip is slow); the base Python's pip puts uv into it. A pip older
# than 22.3 (no --python) falls back to a pip inside the venv.
$(UV): requirements/uv.txt
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install --quiet --no-deps --require-hashes \
		-r requirements/uv.txt 2>/dev/null || { $(PY) -m ensurepip --default-pip >/dev/null \
		&& $(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/uv.txt; }
	touch $@

# The runtime set alone (what `make run` needs); a dev install satisfies it too.
$(VENV)/.runtime: $(UV) uv.lock requirements/runtime.txt pyproject.toml
	$(UV_PIP) sync --python $(PY) --require-hashes requirements/runtime.txt
	$(INSTALL_PROJECT)
	rm -f $(VENV)/.dev
	touch $@

$(VENV)/.dev: $(UV) uv.lock requirements/dev.txt pyproject.toml
	$(UV_PIP) sync --python $(PY) --require-hashes requirements/dev.txt
	$(INSTALL_PROJECT)
	touch $@ $(VENV)/.runtime

install-runtime: $(VENV)/.runtime

install: $(VENV)/.dev

# Translations: the catalogues (.po) are committed, the compiled .mo files are not: `make run`
# and `make test` compile what changed. `make translations` extracts the messages from the code
# and templates, merges them into the six catalogues and compiles them (README, "Translations").
TRANSLATIONS := tamatch/translations
LOCALES := ar zh en fr ru es
POT := $(TRANSLATIONS)/messages.pot
PSEUDO_MO := $(TRANSLATIONS)/en_XA/LC_MESSAGES/messages.mo
CATALOGUES := $(foreach l,$(LOCALES),$(wildcard $(TRANSLATIONS)/$(l)/LC_MESSAGES/messages.po))
COMPILED := $(CATALOGUES:.po=.mo) $(if $(wildcard $(POT)),$(PSEUDO_MO))
# Babel skips folders whose name starts with _ unless told which to skip: templates/_macros.
BABEL_EXTRACT_OPTIONS := -F babel.cfg --ignore-dirs '.* __pycache__' -k _l -k lazy_gettext \
	-k lazy_ngettext:1,2 -k lazy_pgettext:1c,2

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.runtime
	$(VENV)/bin/pybabel compile --statistics -d $(TRANSLATIONS) -l $*

$(PSEUDO_MO): $(POT) | $(VENV)/.runtime
	$(PY) -m tamatch.i18n.catalogues pseudo

compile-translations: $(COMPILED)

translations: install-runtime
	mkdir -p $(TRANSLATIONS)
	$(VENV)/bin/pybabel --quiet extract $(BABEL_EXTRACT_OPTIONS) --sort-output --add-location file \
		--project tamatch --copyright-holder "tamatch contributors" -o $(POT).new .
	if [ -f $(POT) ] && diff -q -I '^"POT-Creation-Date' $(POT) $(POT).new >/dev/null; then \
		rm $(POT).new; else mv $(POT).new $(POT); fi
	for l in $(LOCALES); do \
		if [ -f $(TRANSLATIONS)/$$l/LC_MESSAGES/messages.po ]; then \
			$(VENV)/bin/pybabel --quiet update --width 100 --ignore-obsolete \
				--ignore-pot-creation-date --no-fuzzy-matching -i $(POT) -d $(TRANSLATIONS) -l $$l; \
		else \
			$(VENV)/bin/pybabel --quiet init --width 100 -i $(POT) -d $(TRANSLATIONS) -l $$l; \
		fi; \
	done
	$(PY) -m tamatch.i18n.catalogues english
	$(PY) -m tamatch.i18n.catalogues pseudo
	for l in $(LOCALES); do $(VENV)/bin/pybabel compile --statistics -d $(TRANSLATIONS) -l $$l; done

run: install-runtime compile-translations
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask seed demo
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl-C stops)"
	$(VENV)/bin/flask run --host 127.0.0.1 --port $(PORT)

test: install compile-translations
	$(PY) -m pytest

lint: install lock-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r tamatch solver --severity-level medium

# After changing dependencies in pyproject.toml: re-resolve what must change and export.
# `make lock LOCK_ARGS=--upgrade` (or --upgrade-package NAME) moves to newer releases.
lock: $(UV)
	$(UV) lock $(LOCK_ARGS)
	{ $(LOCK_HEADER); $(EXPORT) $(RUNTIME_SET); } > requirements/runtime.txt
	{ $(LOCK_HEADER); $(EXPORT) $(DEV_SET); } > requirements/dev.txt
	{ $(LOCK_HEADER); $(EXPORT) $(UV_SET); } > requirements/uv.txt

# uv.lock agrees with pyproject.toml and requirements/ with uv.lock.
lock-check: $(UV)
	$(UV) lock --check --quiet
	{ $(LOCK_HEADER); $(EXPORT) $(RUNTIME_SET); } | diff -q - requirements/runtime.txt
	{ $(LOCK_HEADER); $(EXPORT) $(DEV_SET); } | diff -q - requirements/dev.txt
	{ $(LOCK_HEADER); $(EXPORT) $(UV_SET); } | diff -q - requirements/uv.txt

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: bench-solver bench-web bench-rounds

bench-solver: install-runtime
	$(PY) -m bench.solver_bench $(BENCH_ARGS)

bench-web: install
	$(PY) -m bench.web_bench $(BENCH_ARGS)
	$(PY) -m bench.web_load
	$(PY) -m bench.plan_bench

bench-rounds: install-runtime
	$(PY) -m bench.rounds_bench $(BENCH_ARGS)

bench-import: install-runtime
	$(PY) -m bench.import_bench $(BENCH_ARGS)

# A fresh clone's `make run` until it serves (BENCH_ARGS=--cold adds an empty-cache run).
bench-setup:
	$(PYTHON) -m bench.setup_bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/tamatch.db
