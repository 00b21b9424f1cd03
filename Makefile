ADDRESS ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test lint bench setup setup-test lock

setup:
	bash scripts/setup.sh

setup-test:
	bash scripts/setup.sh --test

run: setup
	.venv/bin/streamlit run serve.py --server.address $(ADDRESS) --server.port $(PORT)

# Everything but the browser tests on every core (a PostgreSQL cluster per worker, a test
# file per worker at a time), then the browser tests in one process: a server and a Chromium each.
test: setup-test
	.venv/bin/python -m pytest -m "not browser" -n auto --dist loadfile
	.venv/bin/python -m pytest -m browser

lint: setup-test
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup-test
	.venv/bin/python bench/run_all.py

# requirements*.in -> the locks with exact versions and hashes (README, "Upgrading a package").
# uv is not a project dependency: install it into a venv of its own and pass UV=that/bin/uv.
UV ?= uv
LOCK = $(UV) pip compile --quiet --generate-hashes --python-version 3.11 --custom-compile-command "make lock" $(LOCK_ARGS)
lock:
	$(LOCK) requirements.in -o requirements.txt
	$(LOCK) requirements-dev.in -o requirements-dev.txt
