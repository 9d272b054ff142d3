# Roadmapfinder: `make run` serves the site, `make test` runs the tests. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test lint format bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python "$(PYTHON)"
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py import_roadmaps content/
	@echo "Roadmapfinder is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The production web server (bin/web: the container's server and worker settings, DEBUG off)
# against DATABASE_URL / REDIS_URL; needs SECRET_KEY. Cookies are not Secure unless SECURE_COOKIES=1.
serve: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py import_roadmaps content/
	$(PY) manage.py collectstatic --no-input -v 0
	@echo "Roadmapfinder (production server) is at http://$(HOST):$(PORT)/"
	SECURE_COOKIES=$${SECURE_COOKIES:-0} PATH="$(VENV)/bin:$$PATH" WEB_HOST=$(HOST) WEB_PORT=$(PORT) bin/web

test: install
	TESTING=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	TESTING=1 $(VENV)/bin/mypy .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	@for script in bench/*.py; do [ -e "$$script" ] || continue; echo "== $$script"; TESTING=1 $(PY) "$$script" || exit 1; done

clean:
	rm -rf $(VENV) .tools var
