# The front door: `make briefing` builds the default briefings, `make test` runs the tests.
# Both set up everything on a fresh machine: system libraries, a virtual environment, the package.

VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system

.PHONY: briefing test lint bench clean

briefing: $(STAMP)
	$(VENV)/bin/reports validate
	$(VENV)/bin/reports build

test: $(STAMP)
	$(PYTHON) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check reports tests

# WeasyPrint needs Pango and fonts from the system (libharfbuzz-subset0 makes it 1.6x faster);
# the tests read PDFs with pdftotext (poppler-utils). Installed only where missing (root on Debian).
$(SYSTEM_STAMP):
	@python3 -m venv $(VENV)
	@if ! ldconfig -p | grep -q libpango-1.0 || ! ldconfig -p | grep -q libharfbuzz-subset \
		|| ! fc-list | grep -qi "DejaVu Sans" || ! command -v pdftoppm >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
			fonts-dejavu-core fontconfig poppler-utils; \
	fi
	@touch $@

$(STAMP): $(SYSTEM_STAMP) pyproject.toml
	$(PYTHON) -m pip install -q --upgrade pip
	$(PYTHON) -m pip install -q -e ".[dev]"
	@touch $@

clean:
	rm -rf build $(VENV)
