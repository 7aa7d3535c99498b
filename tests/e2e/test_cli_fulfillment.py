"""Fulfillment from the command line, on a small generated marketplace: allocate the open
orders (optimised against both rules) and reserve their stock, then see the reservations
never exceed what is on hand."""

from __future__ import annotations

import polars as pl
import pytest
from typer.testing import CliRunner

from shopops.cli import app
from shopops.store.db import create_engine
from shopops.store.unit_of_work import SqlUnitOfWork
from shopops.store.views import stock_positions

SMALL = ["--skus", "60", "--warehouses", "3", "--days", "60", "--end-date", "2026-11-20"]


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('fulfil') / 'demo.db'}"
    result = CliRunner().invoke(app, ["--database-url", url, "generate", *SMALL, "--seed", "5"])
    assert result.exit_code == 0, result.output
    return url


def test_the_fulfillment_commands_are_listed() -> None:
    result = CliRunner().invoke(app, ["--help"])
    for group in ("orders", "ship", "returns", "transfers"):
        assert group in result.output
    orders = CliRunner().invoke(app, ["orders", "--help"]).output
    for command in ("import", "allocate", "promise", "cancel"):
        assert command in orders


def test_allocate_and_reserve_the_open_orders(generated_db: str) -> None:
    result = CliRunner().invoke(
        app,
        [
            "--database-url",
            generated_db,
            "orders",
            "allocate",
            "--ship-date",
            "2026-11-20",
            "--apply",
        ],
        terminal_width=200,
    )

    assert result.exit_code == 0, result.output
    for method in ("optimised", "nearest WH", "cheapest 1 WH"):
        assert method in result.output
    assert "Reserved" in result.output
    engine = create_engine(generated_db)
    with SqlUnitOfWork(engine) as uow:
        summaries = uow.frames.read("allocation_summaries")
        allocated = uow.frames.read("fulfillment_allocations")
        lines = uow.frames.read("order_lines")
        stock = stock_positions(uow.connection)
    engine.dispose()
    best = summaries.filter(pl.col("method") == "optimised")["total_cost_usd"].item()
    assert best <= summaries["total_cost_usd"].min() + 1e-6
    reserved = lines.join(allocated, on=["order_id", "line_no"]).filter(
        pl.col("status") == "reserved"
    )
    assert reserved.height > 0
    assert (reserved["warehouse_id"] == reserved["warehouse_id_right"]).all()
    assert stock["available_units"].min() >= 0
