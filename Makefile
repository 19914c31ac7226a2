# The front door: `make briefing` builds the default briefings, `make test` runs the tests.
# Both set up everything on a fresh machine: system libraries, a virtual environment with the exact versions of
# requirements.lock (what the package needs to run) and requirements-dev.lock (tests and linting), hashes checked, the package.

VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system

.PHONY: briefing test test-fast check-wheel test-latest lock lint format bench check-office catalogs docs-tables clean

# The compiled catalogs (reports/locale/labels.py): each reports/templates/locale/<lang>/LC_MESSAGES/reports.po compiled into the
# reports.mo beside it. The .mo files are build products (ignored by git); without them the .po is compiled in memory.
PO_FILES := $(wildcard reports/templates/locale/*/LC_MESSAGES/reports.po)
MO_FILES := $(PO_FILES:.po=.mo)

# The languages `make briefing` writes (docs/languages.md); `make briefing LANGS="en kk"` writes only those.
LANGS ?= en ru kk uz

briefing: $(STAMP) $(MO_FILES)
	$(VENV)/bin/reports validate --lang ru
	$(VENV)/bin/reports build $(foreach lang,$(LANGS),--lang $(lang))

# pytest-xdist: one worker per core; worksteal moves queued tests to a worker that ran out, since a few tests wait
# for a shared build (tests/support/builds.py) and others take milliseconds. Given here, not in pyproject.toml, so a
# plain `pytest` runs in one process and `pytest -p no:xdist` works. `make test PYTEST_WORKERS="-n 0"`: one process.
PYTEST_WORKERS ?= -n auto --dist worksteal

# The package and the tests' helpers compiled first: where PYTHONDONTWRITEBYTECODE is set, a module compiled on
# import is not kept, and every `reports` process the tests start (about a hundred) would compile the package again.
# Then three at once, each one's output shown when all have ended, and the whole fails if any fails: `make lint`
# (mostly mypy, on one core), `make check-wheel` (mostly waiting for the installer and the disk) and the suite. Run
# one after the other they left a core idle for half a minute; side by side the suite takes their few CPU-seconds.
test: $(STAMP) $(MO_FILES)
	@$(PYTHON) -m compileall -q reports tests/support
	@set -u; logs=$$(mktemp -d); trap 'rm -rf "$$logs"' EXIT; \
	$(MAKE) --no-print-directory lint >"$$logs/lint" 2>&1 & lint=$$!; \
	$(MAKE) --no-print-directory check-wheel >"$$logs/wheel" 2>&1 & wheel=$$!; \
	$(PYTHON) -m pytest $(PYTEST_WORKERS); status=$$?; \
	wait $$lint; lint_status=$$?; wait $$wheel; wheel_status=$$?; cat "$$logs/lint" "$$logs/wheel"; \
	[ $$status -eq 0 ] && [ $$lint_status -eq 0 ] && [ $$wheel_status -eq 0 ]

# The tests not marked `slow` (pyproject.toml, markers): no full PDF or Word build, no server, no browser; about a
# minute on two cores. For the edit-and-check loop; `make test` (CI) runs everything.
test-fast: $(STAMP) $(MO_FILES)
	$(PYTHON) -m pytest $(PYTEST_WORKERS) -m "not slow"

# The package as a user installs it: `pip wheel .` (not editable) into a new virtual environment that has only the
# runtime lock (requirements.lock: no test or lint tool, checked) and that wheel, then a PDF and a Word briefing of every
# audience, in Russian (so through the catalog), built from a test dossier copied to a temporary folder outside the
# checkout (the wheel is built from a copy, so setuptools leaves no build/lib here). Fails if the wheel lacks a module,
# a template, an audience or a catalog. The checkout's uv installs into the new environment (`--python`), which needs
# no pip of its own, without compiling every module of every dependency (uv's default): one build runs there.
check-wheel: $(STAMP)
	@set -eu; work=$$(mktemp -d); trap 'rm -rf "$$work"' EXIT; \
	mkdir "$$work/src"; tar -cf - --warning=no-file-changed --exclude=./build --exclude='./.venv*' --exclude=./.git --exclude='./.*_cache' --exclude=__pycache__ . | tar -xf - -C "$$work/src"; \
	$(PYTHON) -m pip wheel -q --no-deps --no-build-isolation -w "$$work/dist" "$$work/src"; \
	python3 -m venv --without-pip "$$work/venv"; \
	$(VENV)/bin/uv pip install -q --python "$$work/venv/bin/python" --require-hashes --no-deps -r requirements.lock; \
	$(VENV)/bin/uv pip install -q --python "$$work/venv/bin/python" --no-deps "$$work"/dist/reports-*.whl; \
	if "$$work/venv/bin/python" -c "import pytest" 2>/dev/null; then \
		echo "check-wheel: pytest is in the user's environment: requirements.lock must hold only what the package needs" >&2; exit 1; fi; \
	cp -r tests/dossiers/valid "$$work/dossier"; \
	cd "$$work"; \
	venv/bin/python -c "import reports, sys; sys.exit(0 if reports.__file__.startswith('$$work/venv/') else 'reports imported from ' + reports.__file__)"; \
	venv/bin/reports build --dossier dossier --lang ru --format pdf --format docx --out out; \
	count=$$(find out -name '*.pdf' -o -name '*.docx' | wc -l); \
	[ "$$count" -gt 0 ] || { echo "check-wheel: the installed wheel built nothing" >&2; exit 1; }; \
	echo "check-wheel: the wheel alone built $$count files outside the checkout"

# The static checks (pyproject.toml configures each): ruff's lint rules; mypy over reports/, strict on the dossier,
# the indicators and the briefing ([tool.mypy]); the layers of the stages ([tool.importlinter]).
lint: $(STAMP)
	$(VENV)/bin/ruff check reports tests benchmarks tools
	$(VENV)/bin/ruff format --check reports tests benchmarks tools
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# After editing: every file as `ruff format` writes it (`make lint`, so `make test`, fails until then).
format: $(STAMP)
	$(VENV)/bin/ruff format reports tests benchmarks tools

# The reference tables of docs/dossier-format.md and docs/scheduling.md, written from the schemas of the YAML inputs
# (tools/docs_tables.py): run after changing a key, its kind or its rule; tests/test_docs_tables.py fails until then.
docs-tables: $(STAMP)
	$(PYTHON) tools/docs_tables.py

# Timings (benchmarks/bench.py): a table on the terminal and build/bench.json.
bench: $(STAMP) $(MO_FILES)
	$(PYTHON) benchmarks/bench.py

# Optional: LibreOffice opens every Word file in build/ (the default briefings are built if there are none),
# converts it to PDF in build/office-check/ and reports its page count as LibreOffice lays it out; fails naming each
# file it cannot convert, and each two-page note (leadership*.docx, max_pages 2) that runs longer. Installs
# LibreOffice (Debian libreoffice-writer-nogui, root) where soffice is missing.
OFFICE_OUT := build/office-check
check-office: $(STAMP)
	@command -v soffice >/dev/null || { apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui; }
	@find build -name '*.docx' -not -path '$(OFFICE_OUT)/*' 2>/dev/null | grep -q . || $(VENV)/bin/reports build --format docx
	@status=0; for file in $$(find build -name '*.docx' -not -path '$(OFFICE_OUT)/*' | sort); do \
		relative=$${file#build/}; out=$(OFFICE_OUT)/$$(dirname $$relative); pdf=$$out/$$(basename $$file .docx).pdf; \
		mkdir -p $$out && rm -f $$pdf; \
		soffice -env:UserInstallation=file://$(CURDIR)/$(OFFICE_OUT)/.profile --headless --convert-to pdf \
			--outdir $$out $$file >/dev/null 2>&1; \
		if [ ! -s $$pdf ]; then echo "check-office: LibreOffice could not convert $$file" >&2; status=1; continue; fi; \
		pages=$$(pdfinfo $$pdf | awk '/^Pages:/ {print $$2}'); echo "$$file: $$pages pages (LibreOffice) -> $$pdf"; \
		case $$(basename $$file) in leadership.*|*.leadership.*) if [ "$$pages" -gt 2 ]; then \
			echo "check-office: $$file runs to $$pages pages; the leadership note allows 2" >&2; status=1; fi;; esac; \
	done; exit $$status

# WeasyPrint needs Pango and fonts from the system (libharfbuzz-subset0 makes it 1.6x faster), the chart's PNG (CairoSVG) libcairo2;
# the briefings set Carlito (Calibri's metrics, the font the Word files declare) and Liberation (Arial's and Times'), so the PDF
# and the Word file opened in LibreOffice set the same text in the same space;
# the tests read PDFs with pdftotext (poppler-utils) and check them with qpdf, and open `reports serve` in Debian's
# Chromium (Playwright drives it; it downloads no browser). Installed only where missing (root on Debian).
$(SYSTEM_STAMP):
	@python3 -m venv $(VENV)
	@if ! ldconfig -p | grep -q libpango-1.0 || ! ldconfig -p | grep -q libharfbuzz-subset || ! ldconfig -p | grep -q libcairo.so.2 \
		|| ! fc-list | grep -qi "DejaVu Sans" || ! fc-list | grep -qi "Carlito" || ! fc-list | grep -qi "Liberation Sans" \
		|| ! command -v pdftoppm >/dev/null || ! command -v qpdf >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 \
			fonts-dejavu-core fonts-crosextra-carlito fonts-liberation2 fontconfig poppler-utils qpdf; \
	fi
	@if [ ! -x /usr/bin/chromium ]; then \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; \
	fi
	@touch $@

# uv installs (requirements-setup.lock pins it, hashes checked; pip only installs uv): it fetches and unpacks in parallel
# and compiles every module on all cores (`--compile-bytecode`; where PYTHONDONTWRITEBYTECODE is set nothing compiled on
# import is kept, so an uncompiled environment recompiles pandas and WeasyPrint in every process), in about 15 s where
# pip took 40.
UV_INSTALL := $(VENV)/bin/uv pip install -q --python $(PYTHON) --no-deps
$(STAMP): $(SYSTEM_STAMP) requirements-setup.lock requirements.lock requirements-dev.lock pyproject.toml
	$(PYTHON) -m pip install -q --require-hashes --no-deps -r requirements-setup.lock
	$(UV_INSTALL) --require-hashes --compile-bytecode -r requirements.lock -r requirements-dev.lock
	$(UV_INSTALL) --no-build-isolation -e .
	@touch $@

# The locks: exact versions and hashes of every dependency, transitive included. requirements.lock holds what the
# package needs to run (its dependencies, the `serve` and `distributed` extras) and to install from source (the build backend, so
# nothing unlocked is fetched); requirements-dev.lock the tests' and linters' (`dev`) that the first does not already
# hold, resolved with the first as constraints so the two agree; requirements-setup.lock the installer, uv. Run after
# changing a range in pyproject.toml or to move to newer releases; then `make test`.
LOCK_OPTIONS := --generate-hashes --upgrade --python-version 3.11 --quiet --custom-compile-command "make lock"
lock: $(STAMP)
	echo "uv" | $(VENV)/bin/uv pip compile - $(LOCK_OPTIONS) -o requirements-setup.lock
	echo "setuptools>=69" | $(VENV)/bin/uv pip compile pyproject.toml - --extra serve --extra distributed $(LOCK_OPTIONS) -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra serve --extra distributed --extra dev -c requirements.lock $(LOCK_OPTIONS) \
		$$(sed -n 's/^\([A-Za-z0-9._-]*\)==.*/--no-emit-package \1/p' requirements.lock) -o requirements-dev.lock

# The suite against the newest releases that pyproject.toml's ranges allow, in a separate environment (.venv-latest):
# a release that breaks us shows here before the lock moves. Not run by CI.
LATEST := .venv-latest
test-latest: $(SYSTEM_STAMP)
	python3 -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install -q --upgrade pip
	$(LATEST)/bin/python -m pip install -q --upgrade -e ".[dev,serve,distributed]"
	$(LATEST)/bin/python -m pytest $(PYTEST_WORKERS)

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel -q compile -i $< -o $@

# After changing a message in the code or the templates: extract the English messages into reports/templates/locale/reports.pot
# and merge them into every language's .po (new messages empty, changed ones fuzzy: translate them, then `make test`).
# Run twice, it changes nothing the second time: locations name the file without a line number (a message that moved
# is no change), and the extraction date is kept unless a message changed.
POT := reports/templates/locale/reports.pot
catalogs: $(STAMP)
	@set -eu; new=$$(mktemp); trap 'rm -f "$$new" "$$new".*' EXIT; \
	$(VENV)/bin/pybabel -q extract -F babel.cfg -c "Translators:" --sort-by-file --add-location=file --no-wrap \
		--project reports -o "$$new" .; \
	grep -v '^"POT-Creation-Date:' "$$new" > "$$new.messages"; \
	grep -v '^"POT-Creation-Date:' $(POT) > "$$new.before" 2>/dev/null || true; \
	cmp -s "$$new.messages" "$$new.before" || cp "$$new" $(POT)
	$(VENV)/bin/pybabel -q update -i $(POT) -d reports/templates/locale -D reports --no-wrap --ignore-obsolete \
		--ignore-pot-creation-date

clean:
	rm -rf build $(VENV) $(LATEST)
