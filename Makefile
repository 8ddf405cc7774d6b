# Shelfspace: `make run` starts the whole system on localhost; `make test` runs every check.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
REQUIREMENTS := requirements/base.txt requirements/dev.txt requirements/local.txt

# Tests use TEST_DATABASE_URL / TEST_AMQP_URL when set; otherwise the local servers when they
# answer; otherwise testcontainers (where a Docker engine exists).
LOCAL_PG_UP := $(shell pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo yes)
LOCAL_AMQP_UP := $(shell (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null && echo yes)
TEST_DATABASE_URL ?= $(if $(LOCAL_PG_UP),postgresql://postgres@127.0.0.1:5432/postgres,)
TEST_AMQP_URL ?= $(if $(LOCAL_AMQP_UP),amqp://guest:guest@127.0.0.1:5672/,)
export TEST_DATABASE_URL TEST_AMQP_URL

.PHONY: install run test lint typecheck api-snapshot format bench rehearse-upgrade smoke release clean

$(STAMP): $(REQUIREMENTS) $(wildcard */pyproject.toml libs/*/pyproject.toml services/*/pyproject.toml)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/base.txt -r requirements/dev.txt
	$(BIN)/pip install -q --no-deps -r requirements/local.txt
	touch $@

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

install: $(STAMP) frontend/node_modules/.package-lock.json

# The web app is rebuilt only when one of its sources is newer than the last build; `install` is
# order-only, so it is checked without forcing a build. Build output goes to .run/web-build.log.
WEB_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/package-lock.json \
	$(wildcard frontend/vite.config.* frontend/tsconfig*.json)

frontend/dist/index.html: $(WEB_SOURCES) | install
	@mkdir -p .run
	@echo "shelfspace: building the web app (log: .run/web-build.log)"
	@cd frontend && npm run build >../.run/web-build.log 2>&1 || { tail -n 40 ../.run/web-build.log; exit 1; }

run: install frontend/dist/index.html
	@$(BIN)/python scripts/run_local.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy, configured in pyproject.toml: strict for libs/ and the services' domain and store layers.
typecheck: install
	$(BIN)/mypy

# Writes the public contract, docs/api/openapi.json, from the code (no server needed); `make test`
# fails while the committed file differs from what this writes (tests/gateway/test_api_snapshot.py).
api-snapshot: install
	$(BIN)/python scripts/api_snapshot.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint typecheck
	cd frontend && npm test
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench

# The previous release's schema with REHEARSE_TITLES (100000) titles, restored and upgraded to head under
# writes; fails when a write stalls longer than REHEARSE_MAX_STALL_SECONDS (1). docs/operations/upgrade.md.
rehearse-upgrade: install
	$(BIN)/python -m bench.upgrade

# The release checklist against a running install (default: `make run` on this machine).
SMOKE_EMAIL ?= smoke-admin@example.com
SMOKE_PASSWORD ?= smoke-check-Passw0rd
export SMOKE_EMAIL SMOKE_PASSWORD
smoke: install
	$(BIN)/python deploy/smoke/smoke.py $(or $(URL),http://127.0.0.1:$(or $(SHELFSPACE_PORT),8080))

release:
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=x.y.z [DRY_RUN=1]" >&2; exit 2; }
	bash scripts/release.sh $(if $(DRY_RUN),--dry-run) $(if $(shell command -v docker),--build) $(VERSION)

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
