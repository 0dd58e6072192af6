# cmdesk — the two commands that matter: `make run` and `make test`.
# Both create .venv, install cmdesk into it and check the system packages Qt needs.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& { echo $$p; break; }; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export CMDESK_HOME ?= $(CURDIR)/.cmdesk-home

.PHONY: run test setup system-run system-test lint screenshots bench demo clean help

help:
	@echo "make run          set up and open cmdesk on the bundled sample workspace"
	@echo "make test         set up and run the tests headless (and ruff)"
	@echo "make screenshots  render every pane to docs/screenshots/"
	@echo "make bench        run the benchmarks in bench/ (prints figures)"

$(STAMP): pyproject.toml setup.py
	@test -n "$(PYTHON)" || { echo "cmdesk needs Python 3.11 or newer (python3 --version)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

system-run:
	@sh scripts/system-deps.sh run

system-test:
	@sh scripts/system-deps.sh test

run: setup system-run
	$(BIN)/cmdesk --sample

test: setup system-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest
	sh scripts/keychain-test.sh $(BIN)/python
	$(BIN)/ruff check .

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

screenshots: setup system-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs/screenshots

# Each prints its figures; the big ones build their 1M-mention workspace under bench/out/ once.
BENCHES ?= demo fetch inbox contacts calendar_views report
bench: setup system-test
	@for name in $(BENCHES); do echo "== bench/$$name.py"; \
		QT_QPA_PLATFORM=offscreen $(BIN)/python bench/$$name.py || exit 1; done

clean:
	rm -rf $(VENV) .cmdesk-home build *.egg-info .pytest_cache .ruff_cache
