ADDRESS ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test lint bench setup setup-test

setup:
	bash scripts/setup.sh

setup-test:
	bash scripts/setup.sh --test

run: setup
	.venv/bin/streamlit run serve.py --server.address $(ADDRESS) --server.port $(PORT)

test: setup-test
	.venv/bin/python -m pytest

lint: setup-test
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup-test
	.venv/bin/python bench/run_all.py
