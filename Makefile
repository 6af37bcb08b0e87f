# Two commands for a newcomer:  make run  (demo on SQLite)   make test  (whole suite + lint)
# Both honour DATABASE_URL, e.g. DATABASE_URL=postgres://root@127.0.0.1:5432/dukcapil
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev chromium lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: pip runs only when a requirements file is newer than the last install.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py seed_demo --once
	DUKCAPIL_DEMO=1 $(BIN)/python manage.py demo_users --host $(HOST)
	@echo "Ctrl+C untuk berhenti."
	$(BIN)/python manage.py runserver --insecure $(HOST)

# Debian's Chromium drives the browser tests; installed when missing and we may use apt.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "Chromium tidak tersedia: tes browser dilewati."; }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-dev chromium lint
	$(BIN)/python -m pytest
