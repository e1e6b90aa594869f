# Nastavnik: `make run` serves the app with demo data; `make test` runs the suite
# (`make test-fast`: all but the browser journeys).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint install lock messages check-deploy prod-check clean

$(STAMP): requirements/dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py seed_demo --if-empty
	@echo "Nastavnik: http://$(HOST):$(PORT)/  (logins: coordinator@example.com, mentor@example.com, newcomer@example.com; password: nastavnik-demo)"
	@# The web server and a background worker (emails, digests, the periodic jobs);
	@# Ctrl-C stops both.
	@DEBUG=$${DEBUG-1} REALTIME_RELAY_URL=$${REALTIME_RELAY_URL-http://$(HOST):$(PORT)} \
		$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG-1} $(BIN)/daphne -b $(HOST) -p $(PORT) community.asgi:application

# The suite runs in parallel (pytest-xdist): one worker per core, and worksteal so that an
# idle worker takes over another's queue (the browser cases are long and uneven). Each
# worker has its own test database, Redis database (tests/testenv.py), daphne servers and
# ports. PYTEST_PARALLEL= runs serially, as the postgres_restart pass must; so does
# `-p no:xdist` in PYTEST_ARGS.
PYTEST_PARALLEL ?= -n auto --dist worksteal
PYTEST = $(BIN)/python -m pytest $(if $(findstring no:xdist,$(PYTEST_ARGS)),,$(PYTEST_PARALLEL))

test: $(STAMP)
	$(PYTEST) $(PYTEST_ARGS)

# The inner loop: everything but the browser journeys, in parallel.
test-fast: $(STAMP)
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

# What CI checks before the tests: style, formatting, the floors, the types.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/mypy

# Regenerate the locked requirements after editing pyproject.toml.
lock: $(STAMP)
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o base.lock ../pyproject.toml
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --extra dev -c base.lock -o dev.lock ../pyproject.toml

# Update the catalogue after changing user-facing strings; needs gettext.
messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l ru --no-location --no-obsolete -i ".venv/*" -i "var/*"
	DEBUG=1 $(BIN)/python manage.py compilemessages -l ru -i ".venv" -i "var"

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
	ALLOWED_HOSTS=nastavnik.example.org REDIS_URL=redis://127.0.0.1:6379/0 \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# The production profile checked locally: Django's deploy checks, then the security suite
# (headers, CSP, authorization matrix, websocket, rate limits, enumeration) without a browser.
prod-check: check-deploy
	$(BIN)/python -m pytest tests/security -m "not browser" -q

clean:
	rm -rf var/static .pytest_cache
