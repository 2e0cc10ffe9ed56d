# Every target creates what it needs: a clean clone has no venv and no build output.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

YASGUI := src/hrgraph/web/static/yasgui

.PHONY: bench-10m install assets build run serve test lint vocab bench bench-hardening clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) assets

# The SPARQL editor (YASGUI) from the npm registry, served from /static/yasgui/ (never a CDN). Without npm this
# is skipped and /sparql serves its plain query form instead.
assets: $(YASGUI)/yasgui.min.js

$(YASGUI)/yasgui.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && \
	  mkdir -p $(YASGUI) && \
	  cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css $(YASGUI)/ && \
	  echo '*' > $(YASGUI)/.gitignore; \
	else echo "npm not found: /sparql will serve its plain query form"; fi

build: $(STAMP)
	$(BIN)/hrgraph build

run: build assets
	$(BIN)/hrgraph serve --host $(HOST) --port $(PORT)

# The ontology's names (src/hrgraph/model/vocab.py), regenerated after ontology/ changes; tests check it is current.
vocab: $(STAMP)
	$(BIN)/python -m hrgraph.model.vocabgen

test: $(STAMP) assets
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q

# Speed and scale: one table, every figure beside a baseline measured in the same run (< 15 min here).
# Load comes from wrk; the static-file ceiling is nginx (both Debian's, installed when missing and apt is usable).
bench: build
	$(BIN)/pip install --quiet -e '.[test,bench]'
	@command -v wrk >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || \
	  ((timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq wrk nginx-light) >/dev/null 2>&1 || \
	   echo "wrk or nginx could not be installed: the bench needs wrk; without nginx the static ceiling is Python's http.server")
	$(BIN)/python bench/run.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/ingest_speed.py

# The 10M rows (RSS, store load, first requests at ~10M triples): ~10 min of synthesis and load on their own.
bench-10m: build
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py --big-only --rss-persons 80000

# Hardening under load: many clients for minutes, and long fuzzing (slow; not part of `make bench`).
bench-hardening: build
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/load.py --seconds 60 --runs 3
	$(BIN)/python bench/fuzz.py 2000

clean:
	rm -rf dist var $(VENV)
