# Every target creates what it needs: a clean clone has no venv and no build output.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

YASGUI := src/hrgraph/web/static/yasgui

.PHONY: install assets build run serve test lint bench clean

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

test: $(STAMP) assets
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q

# Speed and scale (one table with baselines), extraction quality, ingestion speed, load and long fuzzing.
bench: build
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/ingest_speed.py
	$(BIN)/python bench/load.py --seconds 60 --runs 3
	$(BIN)/python bench/fuzz.py 2000

clean:
	rm -rf dist var $(VENV)
