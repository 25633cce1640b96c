# The two commands of the README: `make serve` builds the graph and serves it,
# `make test` runs every check and test. Both set up what they need on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: serve build test lint typecheck unit bench clean vendor-yasgui

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

build: $(STAMP)
	$(BIN)/policygraph build $(if $(FORCE),--force)

# `make serve PORT=8080` listens on another port; `make build FORCE=1` rebuilds unchanged inputs.
serve: build
	$(BIN)/policygraph serve $(if $(PORT),--port $(PORT))

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf var build *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Rebuild the vendored query editor (src/policygraph/web/static/yasgui/) from the npm lock file in
# tools/yasgui/; the service itself never needs npm nor the network.
vendor-yasgui:
	tools/yasgui/vendor.sh
