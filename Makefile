# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# the main job's install: the package, its dependencies and the spaCy pipeline
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# test tools on top
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/newsweave run samples/seeds --db newsweave.db
	$(BIN)/newsweave export --db newsweave.db --format json -o dossier.json
	$(BIN)/newsweave export --db newsweave.db --format html -o dossier.html
	@echo "Dossier: newsweave.db (stored), dossier.json and dossier.html (exported)."
	@echo "Try: $(BIN)/newsweave stories   and   $(BIN)/newsweave show STORY_ID"

test: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	sh scripts/install-browser.sh
	sh scripts/install-postgres.sh
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) newsweave.db newsweave.db-wal newsweave.db-shm dossier.json dossier.html
