# Wolfpack: `make run` serves the app with demo data; `make test` runs every check.

VENV    ?= .venv
PYTHON  ?= python3
PORT    ?= 8000
# Each open socket holds a gunicorn thread for its life; the app keeps a quarter
# of them (up to 16) for HTTP (gunicorn.conf.py tells it how many there are).
THREADS ?= 128
# `make run DEMO=0` serves an empty workspace (it says how to create the first admin).
DEMO    ?= 1
CONNECTIONS ?= 256
BIN      = $(VENV)/bin
STAMP    = $(VENV)/.installed-stamp
# The browser's Socket.IO client, from npm (never committed).
NODE_STAMP = frontend/node_modules/.installed-stamp

.PHONY: install run test lint typecheck pytest bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[postgres,redis,dev]"
	touch $(STAMP)

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

run: install
ifeq ($(DEMO),0)
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi users status
else
	$(BIN)/flask --app wsgi demo
endif
	@echo
	@echo "  Wolfpack is starting at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@echo
	$(BIN)/gunicorn -c gunicorn.conf.py --worker-class gthread --workers 1 --threads $(THREADS) \
		--worker-connections $(CONNECTIONS) --bind 127.0.0.1:$(PORT) wsgi:app

lint: install
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd frontend && npx --no-install prettier --check . --log-level warn

typecheck: install
	$(BIN)/mypy --strict events projections
	$(BIN)/mypy server wsgi.py gunicorn.conf.py

# Two workers: the suite waits on SQLite and PostgreSQL as much as on the CPU.
pytest: install
	$(BIN)/pytest -n 2

test: lint typecheck pytest

# Figures as ratios to baselines of the same run; `--quick` to try either fast.
# Read side (issue 4), then real time: one gunicorn, up to 1,000 websockets (issue 5).
bench: install
	$(BIN)/python -m benchmarks.read_side
	$(BIN)/python -m benchmarks.realtime

# The browser tests photograph every page; the README shows these few.
SHOTS = dashboard commitment-timeline profile leader team-screen admin-tv admin-import
screenshots: install
	$(BIN)/pytest -q -n 2 tests/e2e -k test_ui_
	mkdir -p docs/screenshots
	for shot in $(SHOTS); do cp tests/artifacts/screenshots/$$shot.png docs/screenshots/; done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache frontend/node_modules
