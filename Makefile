# The project's commands. `make run` and `make test` are all a new user needs.
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed
PORT ?= 8000
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
CDK := node_modules/.bin/cdk

.PHONY: test test-fast lint workflow-lint contract audit lock run synth bootstrap deploy destroy smoke admin-key bench compat clean

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

# The inner loop, about 15 s: no browser, no synth, no subprocess, no exhaustive matrix (markers in
# pyproject.toml), 20 examples per property test instead of 150, on up to four cores (each worker
# takes about 3 s to start and collect). `make test` runs everything.
FAST := not browser and not synth and not subprocess and not slow
test-fast: $(DEV_STAMP)
	$(PY) -m pytest -q -m "$(FAST)" --hypothesis-profile=fast -n auto --maxprocesses 4

# ruff (checks and format), mypy strict over lambda/, contract/, stacks/, local/ and tools/ (pyproject.toml),
# a fresh contract, and the GitHub workflow and Dependabot files.
lint: $(DEV_STAMP) workflow-lint
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m tools.contract --check

workflow-lint: $(DEV_STAMP)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(VENV)/bin/zizmor --offline --persona pedantic --quiet .github/workflows

# The function's and the local run's requirements.txt: each .in's whole closure, pinned, with hashes.
# pip then installs in hash-checking mode, in the bundling image too. Needs the package index.
LOCK := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(DEV_STAMP)
	cd lambda && ../$(LOCK) --output-file requirements.txt requirements.in
	cd local && ../$(LOCK) --output-file requirements.txt requirements.in

# Known vulnerabilities in the pinned packages the function and the local run install. Needs PyPI's JSON API
# (the network); --strict fails rather than report "no known vulnerabilities" for packages it could not look up.
audit: $(DEV_STAMP)
	$(VENV)/bin/pip-audit --strict -r lambda/requirements.txt -r local/requirements.txt

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
# DEPLOY_FLAGS: more cdk deploy options; the GitHub deploy workflow passes --require-approval never.
DEPLOY_FLAGS ?=
deploy: $(DEV_STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CDK) deploy --all $(DEPLOY_FLAGS)

destroy: $(DEV_STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CDK) destroy --all

# Prove a running service end to end: `make smoke STACK=QrCodeGenerator` (deployed) or `make smoke SITE=<page url>`;
# with qr.access "key", give it a key: `QR_API_KEY=<key> make smoke STACK=...`.
smoke: $(DEV_STAMP)
	$(PY) -m tools.smoke $(if $(STACK),--stack $(STACK),$(SITE))

# Print a deployment's admin key with your AWS credentials: `make admin-key STACK=QrCodeGenerator` (docs/security.md).
admin-key: $(RUN_STAMP)
	@$(PY) -m tools.admin_key $(if $(STACK),--stack $(STACK))

# docs/api.md's reader compatibility table, measured: zxing-cpp, zbar, WeChat and OpenCV against every style.
COMPAT_STAMP := $(VENV)/.compat-installed
$(COMPAT_STAMP): $(DEV_STAMP) bench/requirements-compat.txt
	@$(PIP) -r bench/requirements-compat.txt
	@touch $@

compat: $(COMPAT_STAMP)
	$(PY) bench/compat.py

bench: $(DEV_STAMP)
	$(PY) bench/import_time.py
	$(PY) bench/key_check.py
	$(PY) bench/redirect.py
	$(PY) bench/bundle_size.py
	$(PY) bench/render.py
	$(PY) bench/svg_drift.py
	$(PY) bench/eye_sweep.py
	$(PY) bench/content.py
	$(PY) bench/load.py
	$(PY) bench/cost.py
	bash bench/first_answer.sh

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache .ruff_cache
