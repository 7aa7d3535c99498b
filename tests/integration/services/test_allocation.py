"""Allocation runs on the minimal marketplace (tests/factories.py), SQLite and PostgreSQL.

Order 3 (to NYC) has one open line: 1 x SKU-002 (0.3 kg, 20 x 10 x 3 cm). Only WH-NJ holds
SKU-002 (9 on hand). From WH-NJ to NYC is zone 1: Colis Privé economy prices the 2 kg band
at 4.20 + 5 % fuel = 4.41 USD and takes 2 business days; UPS Ground 5.10 + 12 % = 5.712 USD
in 1 day. Dispatched Friday 2026-01-16, economy arrives Tuesday 01-20, before the promised
01-21, so it is the choice: 4.41 postage + 1.20 handling = 5.61 USD.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.services.allocation import NothingToAllocateError, next_business_day, run_allocation
from shopops.store.stock import available_stock
from shopops.store.unit_of_work import SqlUnitOfWork

AT = dt.datetime(2026, 1, 16, 7, 0)


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.commit()
    return engine


def test_the_open_line_ships_by_the_cheapest_service_that_is_on_time(db: sa.Engine) -> None:
    report = run_allocation(SqlUnitOfWork(db), ship_date=dt.date(2026, 1, 16), clock=lambda: AT)

    with SqlUnitOfWork(db) as uow:
        of_run = {"where": "run_id = :r", "params": {"r": report.run_id}}
        stored = uow.frames.read("fulfillment_allocations", **of_run)
        summaries = uow.frames.read("allocation_summaries", **of_run).sort("method")
        run = uow.frames.read("plan_runs", **of_run)
    assert stored.select(
        "order_id", "line_no", "warehouse_id", "service_id", "arrival_date", "on_time"
    ).rows() == [(3, 1, "WH-NJ", "COL-ECO", dt.date(2026, 1, 20), True)]
    assert summaries["method"].to_list() == [
        "cheapest_single_warehouse",
        "nearest_warehouse",
        "optimised",
    ]
    best = summaries.row(2, named=True)
    assert best["orders"] == best["orders_allocated"] == best["parcels"] == 1
    assert best["shipping_cost_usd"] == pytest.approx(4.41)
    assert best["cost_per_order_usd"] == pytest.approx(5.61)
    assert best["on_time_share"] == 1.0
    assert all(summaries["total_cost_usd"] >= best["total_cost_usd"] - 1e-9)
    assert run.row(0, named=True)["kind"] == "allocation"
    assert run.row(0, named=True)["status"] == "done"


def test_a_weekend_ship_date_rolls_to_monday() -> None:
    assert next_business_day(dt.date(2026, 1, 17)) == dt.date(2026, 1, 19)
    assert next_business_day(dt.date(2026, 1, 16)) == dt.date(2026, 1, 16)


def test_applying_reserves_the_allocated_lines_once(db: sa.Engine) -> None:
    report = run_allocation(
        SqlUnitOfWork(db), ship_date=dt.date(2026, 1, 16), apply=True, clock=lambda: AT
    )
    with pytest.raises(NothingToAllocateError, match="no open order lines"):
        run_allocation(SqlUnitOfWork(db), ship_date=dt.date(2026, 1, 16), apply=True)

    assert report.reservations is not None
    assert report.reservations.select("order_id", "line_no", "warehouse_id", "reserved").rows() == [
        (3, 1, "WH-NJ", True)
    ]
    with SqlUnitOfWork(db) as uow:
        line = uow.frames.read("order_lines", where="order_id = 3 AND line_no = 1").row(
            0, named=True
        )
        stock = available_stock(uow.connection, ["SKU-002"])
    assert (line["status"], line["warehouse_id"]) == ("reserved", "WH-NJ")
    assert stock.rows() == [("SKU-002", "WH-NJ", 9, 1, 8)]
