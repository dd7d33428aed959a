# Set-up, run and test commands. Every target sets up what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
TRANSLATIONS := questionnaire/web/translations

.PHONY: run test lint check serve bench soak clean browser-deps pdf-deps screenshots measure messages translations

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(STAMP)

## run: set up, apply the database migrations and serve the app on http://127.0.0.1:5000 (development mode)
run: $(STAMP) translations
	@$(MAKE) --no-print-directory pdf-deps || echo "The PDF summary needs Pango (see README); /summary.pdf says so until it is installed."
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app run --host $(HOST) --port $(PORT)

## test: set up (including Chromium for the browser tests) and run every test
test: $(STAMP) translations browser-deps pdf-deps lint check
	$(BIN)/python -m pytest

## lint: static checks and formatting of the Python code
lint: $(STAMP)
	$(BIN)/ruff check questionnaire tests bench loadtest migrations tools app.py gunicorn.conf.py
	$(BIN)/ruff format --check questionnaire tests bench loadtest migrations tools app.py gunicorn.conf.py

## check: check the rule files the way content authors do (errors, examples, coverage)
check: $(STAMP)
	$(BIN)/python -m questionnaire check rules
	$(BIN)/python -m questionnaire test rules
	$(BIN)/python -m questionnaire coverage rules

## serve: run the production server (gunicorn + gunicorn.conf.py); needs QUESTIONNAIRE_SECRET_KEY
serve: $(STAMP) translations
	QUESTIONNAIRE_ENV=production $(BIN)/flask --app app db upgrade
	QUESTIONNAIRE_ENV=production $(BIN)/gunicorn --config gunicorn.conf.py

## messages: gather the interface text into the template and bring every language's catalogue up to date
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k lazy_ngettext:1,2 \
		--width 110 --sort-by-file --project "Fibromyalgia trigger check" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --width 110 --ignore-obsolete

## translations: compile the interface catalogues (.po to .mo; the .mo files are built, never committed)
translations: $(STAMP)
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics

## bench: engine vs zen-engine and JsonLogic, rule-set scale, HTTP vs a bare Flask app (installs wrk if missing)
##        BENCH_ARGS=--quick for a short run; figures go to bench-results.json
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

## soak: serve with gunicorn as in production and walk whole questionnaires, 5 min at 16 connections
##       (SOAK_SECONDS, SOAK_CONNECTIONS, SOAK_WARMUP_SECONDS, SOAK_MAX_GROWTH_PCT; SOAK_SECONDS=20 for a quick run)
soak: $(STAMP)
	$(BIN)/python loadtest/soak.py

## measure: the results page (phone screens, words, where Print is) and the summary's printed pages, per sample
measure: $(STAMP) browser-deps translations
	$(BIN)/python tools/measure_results.py $(MEASURE_ARGS)

## screenshots: every page at 390 px and 1280 px into docs/screenshots/ (small PNGs, committed for reviewers)
screenshots: $(STAMP) browser-deps
	$(BIN)/python tools/screenshots.py

browser-deps:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
		{ echo "Installing Chromium for the browser tests (Debian package)"; \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## pdf-deps: the system libraries WeasyPrint draws the PDF summary with (Pango, HarfBuzz) and a font
pdf-deps:
	@{ ldconfig -p | grep -q libpangoft2-1.0.so.0 && fc-list | grep -qi dejavu; } || \
		{ echo "Installing Pango and fonts for the PDF summary (Debian packages)"; \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build
