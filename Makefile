# The project's commands. `make run` and `make test` are all a new user needs.
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed
PORT ?= 8000
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
CDK := node_modules/.bin/cdk

.PHONY: test lint contract run synth bootstrap deploy destroy smoke bench clean

# `make run` installs only what the local run imports; `make test` and the rest add the tools to the
# same .venv. Each set is reinstalled when one of its requirements files changes.
$(RUN_STAMP): local/requirements.txt lambda/requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	@echo "Installing the local run's packages into .venv (moto, boto3, Powertools, qrcode, Pillow: about 170 MB, under a minute, the first time only)..."
	@$(PIP) -r local/requirements.txt
	@touch $@

$(DEV_STAMP): $(RUN_STAMP) requirements.txt requirements-dev.txt
	@echo "Installing the test and deploy tools into .venv (CDK, Playwright, pytest, schemathesis, ruff; a few minutes the first time)..."
	@$(PIP) -r requirements-dev.txt
	@touch $@

$(CDK): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(CDK)

test: lint $(CDK)
	$(PY) -m pytest

# ruff, mypy strict over lambda/, stacks/, local/ and tools/ (pyproject.toml), and a fresh contract.
lint: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m tools.contract --check

# Write website/openapi.json from the request's definition (lambda/qr_service/fields.py); commit the result.
contract: $(RUN_STAMP)
	$(PY) -m tools.contract

run: $(RUN_STAMP)
	$(PY) -m local.server --port $(PORT)

synth: $(DEV_STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" QR_SKIP_BUNDLING=1 $(CDK) synth --quiet

bootstrap: $(DEV_STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CDK) bootstrap

# --all: the service and, with qr.waf, its edge stack in us-east-1 (deployed first, destroyed last).
deploy: $(DEV_STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CDK) deploy --all

destroy: $(DEV_STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CDK) destroy --all

# Prove a running service end to end: `make smoke STACK=QrCodeGenerator` (deployed) or `make smoke SITE=<page url>`.
smoke: $(DEV_STAMP)
	$(PY) -m tools.smoke $(if $(STACK),--stack $(STACK),$(SITE))

bench: $(DEV_STAMP)
	$(PY) bench/import_time.py
	$(PY) bench/bundle_size.py
	$(PY) bench/render.py
	$(PY) bench/load.py
	$(PY) bench/cost.py
	bash bench/first_answer.sh

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache .ruff_cache
