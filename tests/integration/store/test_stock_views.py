"""The read-only views against figures worked out in plain Python from the factory rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from shopops.domain.orders import OrderStatus
from shopops.domain.supply import OPEN_PURCHASE_ORDER_STATUSES
from shopops.store.unit_of_work import SqlUnitOfWork
from shopops.store.views import DateRange, marketplace_status, stock_positions

Key = tuple[str, str]


def _rows(marketplace: dict[str, pl.DataFrame], name: str) -> list[dict[str, Any]]:
    return marketplace[name].to_dicts()


def _open_po_lines(marketplace: dict[str, pl.DataFrame]) -> list[dict[str, Any]]:
    """Open PO lines with ``warehouse_id``, ``currency_code`` and ``open_units`` added."""
    received: dict[tuple[int, int], int] = defaultdict(int)
    for receipt in _rows(marketplace, "receipts"):
        received[(receipt["po_id"], receipt["line_no"])] += receipt["received_units"]
    orders = {po["po_id"]: po for po in _rows(marketplace, "purchase_orders")}
    lines = []
    for line in _rows(marketplace, "purchase_order_lines"):
        order = orders[line["po_id"]]
        if order["status"] in OPEN_PURCHASE_ORDER_STATUSES:
            left = line["quantity_units"] - line["cancelled_units"]
            left -= received[(line["po_id"], line["line_no"])]
            lines.append(
                line
                | {k: order[k] for k in ("warehouse_id", "currency_code")}
                | {"open_units": max(left, 0)}
            )
    return lines


def _positions(marketplace: dict[str, pl.DataFrame]) -> dict[Key, list[int]]:
    """(sku, warehouse) -> [on hand, reserved, on order], the non-zero ones."""
    positions: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])
    for move in _rows(marketplace, "inventory_movements"):
        positions[(move["sku_id"], move["warehouse_id"])][0] += move["quantity_units"]
    for line in _rows(marketplace, "order_lines"):
        if line["status"] == "reserved":
            positions[(line["sku_id"], line["warehouse_id"])][1] += line["quantity_units"]
    for line in _open_po_lines(marketplace):
        positions[(line["sku_id"], line["warehouse_id"])][2] += line["open_units"]
    return {key: figures for key, figures in positions.items() if any(figures)}


def test_the_hand_worked_positions_match_the_factory_notes(
    marketplace: dict[str, pl.DataFrame],
) -> None:
    assert _positions(marketplace) == {
        ("SKU-001", "WH-LA"): [100, 0, 10],
        ("SKU-001", "WH-NJ"): [69, 4, 900],
        ("SKU-002", "WH-NJ"): [9, 0, 200],
        ("SKU-003", "WH-LA"): [447, 4, 50],
    }


def test_stock_positions(filled_engine: sa.Engine, marketplace: dict[str, pl.DataFrame]) -> None:
    rows = [
        (sku, warehouse, on_hand, reserved, on_order, on_hand - reserved)
        for (sku, warehouse), (on_hand, reserved, on_order) in sorted(
            _positions(marketplace).items()
        )
    ]
    with filled_engine.connect() as conn:
        found = stock_positions(conn)
    expected = pl.DataFrame(rows, schema=found.schema, orient="row")
    assert_frame_equal(found, expected)


def test_stock_positions_of_an_empty_marketplace(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        found = stock_positions(conn)
    assert found.is_empty()
    assert found.columns == [
        "sku_id",
        "warehouse_id",
        "on_hand_units",
        "reserved_units",
        "on_order_units",
        "available_units",
    ]


def _warehouse_figures(marketplace: dict[str, pl.DataFrame]) -> pl.DataFrame:
    cost = {sku["sku_id"]: sku["unit_cost_usd"] for sku in _rows(marketplace, "skus")}
    usd = {c["currency_code"]: c["usd_per_unit"] for c in _rows(marketplace, "currencies")}
    open_lines = _open_po_lines(marketplace)
    rows = []
    for house in _rows(marketplace, "warehouses"):
        here = {
            sku: f
            for (sku, wh), f in _positions(marketplace).items()
            if wh == house["warehouse_id"]
        }
        lines = [line for line in open_lines if line["warehouse_id"] == house["warehouse_id"]]
        rows.append(
            {
                "warehouse_id": house["warehouse_id"],
                "name": house["name"],
                "operator": house["operator"],
                "skus_in_stock": sum(1 for f in here.values() if f[0] > 0),
                "on_hand_units": sum(f[0] for f in here.values()),
                "stock_value_usd": sum(f[0] * cost[sku] for sku, f in here.items()),
                "reserved_units": sum(f[1] for f in here.values()),
                "on_order_units": sum(f[2] for f in here.values()),
                "open_purchase_orders": len({line["po_id"] for line in lines}),
                "open_po_value_usd": sum(
                    line["open_units"] * line["unit_price"] * usd[line["currency_code"]]
                    for line in lines
                ),
            }
        )
    return pl.DataFrame(rows)


def test_warehouse_figures(filled_engine: sa.Engine, marketplace: dict[str, pl.DataFrame]) -> None:
    with filled_engine.connect() as conn:
        found = marketplace_status(conn).warehouses
    expected = _warehouse_figures(marketplace).sort("warehouse_id")
    assert_frame_equal(found, expected, check_dtypes=False, rel_tol=1e-12)
    assert found.filter(pl.col("warehouse_id") == "WH-NJ")["open_po_value_usd"].item() == (
        pytest.approx(900 * 75.0 * 0.138 + 200 * 15.0 * 0.138)
    )


def test_totals(filled_engine: sa.Engine, marketplace: dict[str, pl.DataFrame]) -> None:
    with filled_engine.connect() as conn:
        totals = marketplace_status(conn).totals.row(0, named=True)
    figures = _warehouse_figures(marketplace)
    in_stock = {sku for (sku, _), f in _positions(marketplace).items() if f[0] > 0}
    assert totals["skus_in_stock"] == len(in_stock) == 3
    for name in list(totals)[1:]:
        assert totals[name] == pytest.approx(figures[name].sum()), name


def test_counts_dates_and_statuses(
    filled_engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    with filled_engine.connect() as conn:
        status = marketplace_status(conn)
    assert dict(status.table_rows.iter_rows()) == {n: f.height for n, f in marketplace.items()}
    orders = [o["status"] for o in _rows(marketplace, "orders")]
    assert dict(status.orders_by_status.iter_rows()) == {s: orders.count(s) for s in OrderStatus}
    assert status.orders_placed == DateRange(
        dt.datetime(2025, 11, 11, 0, 0, 1, 1), dt.datetime(2026, 1, 16, 9)
    )
    moved = marketplace["inventory_movements"]["moved_at"]
    assert status.stock_moved == DateRange(moved.min(), moved.max())
    assert status.purchase_orders_sent == DateRange(dt.date(2025, 12, 1), dt.date(2026, 1, 14))


def test_status_of_an_empty_marketplace(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        status = marketplace_status(conn)
    assert status.table_rows["rows"].sum() == 0
    assert status.orders_placed == status.stock_moved == DateRange(None, None)
    assert status.warehouses.is_empty()
    assert status.totals.row(0) == (0, 0, 0.0, 0, 0, 0, 0.0)


def test_an_open_order_without_lines_is_counted_at_no_value(filled_engine: sa.Engine) -> None:
    order = pl.DataFrame(
        {
            "po_id": [7],
            "po_number": ["PO-2026-0005"],
            "supplier_id": ["SUP-IE"],
            "warehouse_id": ["WH-PAR"],
            "status": ["sent"],
            "currency_code": ["EUR"],
            "incoterm": ["DAP"],
            "ordered_date": [dt.date(2026, 1, 30)],
            "created_at": [dt.datetime(2026, 1, 30, 12)],
            "created_by": ["buyer"],
        }
    )
    with SqlUnitOfWork(filled_engine) as uow:
        uow.frames.write("purchase_orders", order)
        uow.commit()
    with filled_engine.connect() as conn:
        status = marketplace_status(conn)
        positions = stock_positions(conn)
    paris = status.warehouses.filter(pl.col("warehouse_id") == "WH-PAR").row(0, named=True)
    assert (paris["open_purchase_orders"], paris["on_order_units"]) == (1, 0)
    assert paris["open_po_value_usd"] == 0.0
    assert status.totals["open_purchase_orders"].item() == 4
    assert "WH-PAR" not in positions["warehouse_id"].to_list()
    assert status.purchase_orders_sent.last == dt.date(2026, 1, 30)
