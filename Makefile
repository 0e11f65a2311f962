# Gebiedsplanner 1G1P. Quick start: `make run` (app) and `make test` (tests).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install data maps assets run test test-postgres lint bench browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

data/stats/.built: $(STAMP) data/manifest.json $(wildcard src/geo/data/*.py)
	$(PY) -m geo data fetch
	$(PY) -m geo data build

data: data/stats/.built

# Map geometry for the browser (TopoJSON per level in static/geo, served by the app); also written by
# `geo data build`, this rule only catches up when the map code changed.
static/geo/index.json: data/stats/.built src/geo/maps/topology.py src/geo/maps/published.py
	$(PY) -m geo data maps --opnieuw

maps: static/geo/index.json

# Leaflet & co. served by the app itself (maps draw without internet); taken from npm, sha256-checked.
static/vendor/.fetched: $(STAMP) src/geo/maps/assets.py
	$(PY) -m geo.maps.assets
	touch $@

assets: static/vendor/.fetched

run: install data maps assets
	$(VENV)/bin/streamlit run app.py

# Debian's chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

test: install data maps assets browser
	$(PY) -m ruff check src tests views app.py benchmarks
	$(PY) -m pytest

# The database tests once more against a throwaway PostgreSQL server (Debian's postgresql), with the
# team-server tests (sign-in through a local OpenID Connect provider; a team server needs PostgreSQL).
test-postgres: install data maps assets browser
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }
	$(PY) -m pip install --quiet -e '.[postgres,team]'
	scripts/with_postgres.sh $(PY) -m pytest -q $(wildcard tests/test_*store*.py) $(wildcard tests/test_team_*.py)

bench: install data maps assets browser
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) data/raw data/shapes/* data/stats/* static/vendor/*/ static/geo
	touch data/shapes/.gitkeep data/stats/.gitkeep
