# The project's commands. `make run` and `make test` are all a new user needs.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
CDK := node_modules/.bin/cdk

.PHONY: test lint run synth bootstrap deploy destroy smoke bench clean

# Rebuild the virtualenv whenever a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt lambda/requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(CDK): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(CDK)

test: $(STAMP) $(CDK)
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .

run: $(STAMP)
	$(PY) -m local.server --port $(PORT)

synth: $(STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" QR_SKIP_BUNDLING=1 $(CDK) synth --quiet

bootstrap: $(STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CDK) bootstrap

deploy: $(STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CDK) deploy

destroy: $(STAMP) $(CDK)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CDK) destroy

# Prove a running service end to end: `make smoke STACK=QrCodeGenerator` (deployed) or `make smoke SITE=<page url>`.
smoke: $(STAMP)
	$(PY) -m tools.smoke $(if $(STACK),--stack $(STACK),$(SITE))

bench: $(STAMP)
	$(PY) bench/import_time.py
	$(PY) bench/bundle_size.py
	$(PY) bench/render.py
	$(PY) bench/load.py
	$(PY) bench/cost.py
	bash bench/first_answer.sh

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache .ruff_cache
