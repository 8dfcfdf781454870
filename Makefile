# tamatch: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 5000
export FLASK_APP := tamatch

.PHONY: run test lint format bench bench-solver bench-web bench-rounds bench-import seed clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask seed demo
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl-C stops)"
	$(VENV)/bin/flask run --host 127.0.0.1 --port $(PORT)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r tamatch solver --severity-level medium

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: bench-solver bench-web bench-rounds

bench-solver: install
	$(PY) -m bench.solver_bench $(BENCH_ARGS)

bench-web: install
	$(PY) -m bench.web_bench $(BENCH_ARGS)
	$(PY) -m bench.web_load

bench-rounds: install
	$(PY) -m bench.rounds_bench $(BENCH_ARGS)

bench-import: install
	$(PY) -m bench.import_bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/tamatch.db
