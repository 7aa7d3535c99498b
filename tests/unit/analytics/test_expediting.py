"""The expediting list on a hand-worked set of open PO lines, as of 10 March 2026."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.analytics.expediting import EXPEDITING_COLUMNS, expediting_list, supplier_delays

AS_OF = dt.date(2026, 3, 10)
D = dt.date

OPEN_LINES = [  # po, line, supplier, sku, warehouse, expected, open units, price
    (1, 1, "SUP-A", "SKU-1", "WH-1", D(2026, 3, 5), 100, 20.0),  # late, orders waiting
    (2, 1, "SUP-B", "SKU-2", "WH-1", D(2026, 3, 14), 40, 50.0),  # at risk by SUP-B's delay
    (3, 1, "SUP-A", "SKU-3", "WH-2", D(2026, 3, 12), 10, 10.0),  # on time, plenty of stock
    (3, 2, "SUP-B", "SKU-4", "WH-2", D(2026, 3, 1), 25, 8.0),  # 9 days late, nobody waits
    (4, 1, "SUP-A", "SKU-5", "WH-2", D(2026, 3, 8), 5, 100.0),  # late, holds up 5 of 12
    (4, 2, "SUP-A", "SKU-6", "WH-2", D(2026, 3, 7), 10, 5.0),  # 3 days late, nobody waits
    (5, 1, "SUP-A", "SKU-1", "WH-1", D(2026, 3, 1), 0, 20.0),  # nothing open any more
]
STOCK = [("SKU-1", "WH-1", 30), ("SKU-2", "WH-1", 60), ("SKU-3", "WH-2", 100)]
STOCK += [("SKU-4", "WH-2", 500), ("SKU-6", "WH-2", 100)]
CUSTOMER_LINES = [  # order, sku, warehouse, units, promised dispatch
    (13, "SKU-1", "WH-1", 10, D(2026, 3, 11)),
    (11, "SKU-1", "WH-1", 20, D(2026, 3, 8)),
    (12, "SKU-1", "WH-1", 15, D(2026, 3, 9)),
    (14, "SKU-5", "WH-2", 12, D(2026, 3, 9)),
]
FORECAST = [("SKU-1", "WH-1", 5.0), ("SKU-2", "WH-1", 10.0), ("SKU-3", "WH-2", 2.0)]
DELAYS = [("SUP-A", 0.0), ("SUP-B", 4.2)]


def _frame(rows: list[tuple[object, ...]], columns: str) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=columns.split(), orient="row")


def _list() -> pl.DataFrame:
    return expediting_list(
        _frame(
            [(p, f"PO-{p}", n, *rest) for p, n, *rest in OPEN_LINES],
            "po_id po_number line_no supplier_id sku_id warehouse_id expected_date open_units "
            "price_usd",
        ),
        _frame(STOCK, "sku_id warehouse_id on_hand_units"),
        _frame(
            CUSTOMER_LINES, "order_id sku_id warehouse_id quantity_units promised_dispatch_date"
        ),
        _frame(FORECAST, "sku_id warehouse_id demand_units_per_day"),
        _frame(DELAYS, "supplier_id mean_days_late"),
        as_of=AS_OF,
    )


def _by_line(frame: pl.DataFrame) -> dict[tuple[int, int], dict[str, object]]:
    return {(r["po_id"], r["line_no"]): r for r in frame.iter_rows(named=True)}


def test_lines_are_ranked_by_the_sales_they_hold_up_then_by_days_late() -> None:
    frame = _list()
    assert frame.columns == list(EXPEDITING_COLUMNS)
    ranked = list(zip(frame["po_id"], frame["line_no"], strict=True))
    assert ranked == [(2, 1), (4, 1), (1, 1), (3, 2), (4, 2)]
    assert frame["rank"].to_list() == [1, 2, 3, 4, 5]
    assert frame["value_at_risk_usd"].to_list() == pytest.approx([1500.0, 500.0, 300.0, 0, 0])


def test_a_late_line_holds_up_the_orders_stock_cannot_serve() -> None:
    row = _by_line(_list())[(1, 1)]
    # 30 on hand serve order 11 (20) and 10 of order 12 (15); 5 + 10 units wait.
    assert row["reason"] == "late"
    assert row["days_late"] == 5
    assert row["stockout_date"] == AS_OF
    assert (row["customer_orders_waiting"], row["customer_units_waiting"]) == (2, 15)
    assert row["forecast_units_until_arrival"] == 0.0
    assert row["units_at_risk"] == 15
    assert row["value_at_risk_usd"] == pytest.approx(15 * 20.0)


def test_a_supplier_that_is_usually_late_puts_a_line_at_risk() -> None:
    row = _by_line(_list())[(2, 1)]
    # 60 on hand at 10 a day last until 16 March; due 14 March + 5 days = 19 March.
    assert row["reason"] == "at_risk"
    assert row["days_late"] == 0
    assert row["risk_arrival_date"] == D(2026, 3, 19)
    assert row["stockout_date"] == D(2026, 3, 16)
    assert row["forecast_units_until_arrival"] == pytest.approx(90.0)
    assert row["units_short"] == pytest.approx(30.0)
    assert row["value_at_risk_usd"] == pytest.approx(30 * 50.0)
    assert "ask SUP-B to ship earlier" in str(row["action"])


def test_what_is_held_up_is_capped_by_the_units_the_line_brings() -> None:
    row = _by_line(_list())[(4, 1)]
    assert (row["units_short"], row["units_at_risk"]) == (12, 5)
    assert row["customer_orders_waiting"] == 1
    assert row["action"] == (
        "chase SUP-A: PO-4 line 1: 5 units of SKU-5 for WH-2, 2 days late; "
        "1 order waiting, 500.00 USD of sales held up"
    )


def test_on_time_lines_with_stock_and_closed_lines_are_left_out() -> None:
    lines = _by_line(_list())
    assert (3, 1) not in lines
    assert (5, 1) not in lines
    assert lines[(3, 2)]["stockout_date"] is None


def test_supplier_delay_is_the_mean_lateness_of_its_receipts() -> None:
    history = _frame(
        [
            ("SUP-B", D(2026, 3, 1), D(2026, 3, 6)),
            ("SUP-B", D(2026, 2, 1), D(2026, 2, 4)),
            ("SUP-B", D(2026, 1, 10), D(2026, 1, 8)),
            ("SUP-A", D(2026, 1, 10), D(2026, 1, 10)),
        ],
        "supplier_id expected_date received_date",
    )
    delays = supplier_delays(history)
    assert delays["supplier_id"].to_list() == ["SUP-A", "SUP-B"]
    assert delays["mean_days_late"].to_list() == pytest.approx([0.0, (5 + 3 + 0) / 3])
    assert delays["receipts"].to_list() == [1, 3]
