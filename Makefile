# Two commands matter: `make extract` and `make test`. Both set up the virtualenv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: extract test evaluate bench setup browser clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# The register a user sees: the extraction with the corrections a person made (corrections/).
extract: $(STAMP)
	$(BIN)/afspraken extract corpus/ --out output/ --corrections corrections/

# The extractor alone, against the gold: corrections/ is not read.
evaluate: $(STAMP)
	$(BIN)/afspraken evaluate --out output/

# Throughput, memory and scaling against the raw PDF readers; writes bench/results.{md,json}.
# BENCH_SIZES="10 100" for a quicker run (the full run takes about an hour on 2 CPUs).
BENCH_SIZES ?= 10 100 1000
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/reading_paths.py
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES)

# The browser tests drive Debian's Chromium (no browser download at run time).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf output/ $(VENV)
