# ShopOps: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= shopops.db

.PHONY: install demo test check unit bench bench-large clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	SHOPOPS_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/shopops generate --skus 2000 --warehouses 6 --days 365 --seed 7 --replace
	SHOPOPS_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/shopops status
	SHOPOPS_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/shopops policy
	SHOPOPS_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/shopops source
	SHOPOPS_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/shopops orders allocate --apply
	SHOPOPS_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/shopops ship at-risk --limit 10

check: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: check
	$(BIN)/pytest -n 2 --dist loadgroup

unit: install
	$(BIN)/pytest tests/unit -q

bench: install
	$(BIN)/python bench/bench_generate.py --skus 2000 --warehouses 6
	$(BIN)/python bench/bench_policy.py
	$(BIN)/python bench/bench_replay.py
	$(BIN)/python bench/bench_forecast.py
	$(BIN)/python bench/bench_sourcing.py --skus 10000
	$(BIN)/python bench/bench_allocation.py --orders 1000000
	$(BIN)/python bench/bench_promise.py
	$(BIN)/python bench/bench_orders.py
	$(BIN)/python bench/bench_parcels.py
	$(BIN)/python bench/bench_returns.py
	$(BIN)/python bench/bench_placement.py

bench-large: install
	$(BIN)/python bench/bench_generate.py --skus 2000 --warehouses 6 --skus-large 100000 --warehouses-large 10

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
