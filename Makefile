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
# Links the site builds (canonical, API, badge snippets) follow the address it is served on, unless
# SITE_URL is set in the environment.
SITE_ENV = SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"

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
	@# The database is the source of truth: files edited since their roadmap was changed in the
	@# admin are refused (exit status 3, said loudly) and the site serves the database as it is.
	DEBUG=1 $(PY) manage.py import_roadmaps content/ || { [ $$? -eq 3 ] && echo "!!! Some content files were NOT imported (see above): the site serves the database as it is. See docs/editing.md." >&2; }
	@echo "Roadmapfinder is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=1 $(SITE_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The production web server (granian, DEBUG off, settings as in the container) after migrate and
# import. Without SECRET_KEY in the environment, a key made once is kept in var/serve-secret-key.
# Plain HTTP on this machine: secure-only cookies stay off unless SECURE_COOKIES=1 is set.
SERVE_SECRET := var/serve-secret-key
SERVE_ENV = DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat $(SERVE_SECRET))}" SECURE_COOKIES="$${SECURE_COOKIES:-0}"

$(SERVE_SECRET):
	mkdir -p var
	(umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@)

serve: install $(SERVE_SECRET)
	$(SERVE_ENV) $(PY) manage.py migrate --no-input
	$(SERVE_ENV) $(PY) manage.py import_roadmaps content/ || { [ $$? -eq 3 ] && echo "!!! Some content files were NOT imported (see above): the site serves the database as it is. See docs/editing.md." >&2; }
	$(SERVE_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "Roadmapfinder (production server) is at http://$(HOST):$(PORT)/"
	$(SERVE_ENV) $(SITE_ENV) WEB_HOST=$(HOST) WEB_PORT=$(PORT) exec $(PY) -m roadmapfinder.serve

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

# -P: bench/http.py must not shadow the standard library's http package for the other scripts.
bench: install
	@for script in bench/*.py; do [ -e "$$script" ] || continue; echo "== $$script"; TESTING=1 $(PY) -P "$$script" || exit 1; done

clean:
	rm -rf $(VENV) .tools var
