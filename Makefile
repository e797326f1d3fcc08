# newsflow: `make run` ingests the seed articles, `make test` runs the checks and the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prefect keeps its state inside the checkout and sends nothing out.
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false

BENCH_ARTICLES ?= 10000

.PHONY: setup run test lint bench torture torture-quick clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsflow run seeds

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

GOLD := ../shared/eval/news-html-gold/gold_english.jsonl

bench: $(STAMP)
	$(BIN)/python -m bench --articles $(BENCH_ARTICLES)
	$(BIN)/python -m bench.dedup
	$(BIN)/python -m bench.stories_eval
	$(BIN)/python -m bench.extract
	$(BIN)/python -m bench.workers --articles $(BENCH_ARTICLES)
	$(BIN)/python -m bench.events_eval
	$(BIN)/python -m bench.plover_eval
	$(BIN)/python -m bench.polnear_eval
	$(BIN)/python -m bench.acled_eval
	$(BIN)/python -m bench.figures_eval
	$(BIN)/python -m bench.judged_eval
	@if [ -f $(GOLD) ]; then $(BIN)/python -m bench.text_eval $(GOLD); \
	else echo "bench.text_eval skipped: no $(GOLD)"; fi
	$(BIN)/python -m bench.html_eval
	$(BIN)/python -m bench.fetch

# Malformed inputs and runs killed with SIGKILL, through the real `newsflow run` (see README,
# "Torture bench" for what it checks and how long it takes).
torture: $(STAMP)
	$(BIN)/python -m bench.torture

torture-quick: $(STAMP)
	$(BIN)/python -m bench.torture --quick

clean:
	rm -rf $(VENV) .prefect data .pytest_cache .mypy_cache .ruff_cache *.egg-info
