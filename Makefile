# newsflow: `make run` ingests the seed articles, `make test` runs the checks and the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prefect keeps its state inside the checkout and sends nothing out.
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false

BENCH_ARTICLES ?= 10000

CHROMIUM ?= /usr/bin/chromium

.PHONY: setup run test lint bench torture torture-quick clean screenshot

# newsflow's own packages (pyproject.toml's [tool.setuptools] packages).
PACKAGES := flows sources extractors dedup schemas store report
COMPILED := $(VENV)/.compiled

setup: $(STAMP) $(COMPILED)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# newsflow's modules byte-compiled, as pip compiles an installed package's: where
# PYTHONDONTWRITEBYTECODE is set, every command would compile them from source again (0.13 s of
# each start). Done again when a module changes; Python reads a module from source while its
# compiled copy is older.
$(COMPILED): $(STAMP) $(shell find $(PACKAGES) -name '*.py' 2>/dev/null)
	$(BIN)/python -m compileall -q $(PACKAGES)
	@touch $(COMPILED)

run: $(STAMP) $(COMPILED)
	$(BIN)/newsflow run seeds

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# The report's test opens its page in Debian's Chromium: a fresh machine gets it from apt (as root).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "the report's browser test needs Chromium at $(CHROMIUM): sudo apt-get install chromium" \
		"(or make test CHROMIUM=/path/to/chromium)" >&2; exit 1; fi

test: lint $(COMPILED) $(CHROMIUM)
	NEWSFLOW_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

# The README's picture of `newsflow report`: the seeds in a database of their own, drawn by Chromium.
screenshot: $(STAMP) $(CHROMIUM)
	rm -rf build/screenshot && mkdir -p build/screenshot docs
	$(BIN)/newsflow run seeds --db build/screenshot/seeds.duckdb
	$(BIN)/newsflow report --db build/screenshot/seeds.duckdb --out build/screenshot/report.html
	$(CHROMIUM) --headless --no-sandbox --hide-scrollbars --window-size=1200,1400 \
		--screenshot=$(CURDIR)/docs/report.png file://$(CURDIR)/build/screenshot/report.html

GOLD := ../shared/eval/news-html-gold/gold_english.jsonl

bench: $(STAMP) $(COMPILED)
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench --articles $(BENCH_ARTICLES)
	$(BIN)/python -m bench.dedup
	$(BIN)/python -m bench.stories_eval
	$(BIN)/python -m bench.extract
	$(BIN)/python -m bench.workers --articles $(BENCH_ARTICLES)
	$(BIN)/python -m bench.readers
	$(BIN)/python -m bench.budget
	$(BIN)/python -m bench.memory
	$(BIN)/python -m bench.events_eval
	$(BIN)/python -m bench.plover_eval
	$(BIN)/python -m bench.polnear_eval
	$(BIN)/python -m bench.acled_eval
	$(BIN)/python -m bench.figures_eval
	$(BIN)/python -m bench.judged_eval
	@if [ -f $(GOLD) ]; then $(BIN)/python -m bench.text_eval $(GOLD); \
	else echo "bench.text_eval skipped: no $(GOLD)"; fi
	$(BIN)/python -m bench.html_eval --configurations
	@if [ -d ../shared/eval/feeds-realworld ]; then $(BIN)/python -m bench.shortcodes_eval ../shared/eval; \
	else echo "bench.shortcodes_eval skipped: no ../shared/eval"; fi
	$(BIN)/python -m bench.fetch
	$(BIN)/python -m bench.fetch --unreachable 141
	$(BIN)/python -m bench.report

# Malformed inputs and runs killed with SIGKILL, through the real `newsflow run` (see README,
# "Torture bench" for what it checks and how long it takes).
torture: $(STAMP)
	$(BIN)/python -m bench.torture

torture-quick: $(STAMP)
	$(BIN)/python -m bench.torture --quick

clean:
	rm -rf $(VENV) .prefect data .pytest_cache .mypy_cache .ruff_cache *.egg-info report.html
