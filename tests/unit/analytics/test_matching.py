"""Three-way match on a hand-worked PO: one line per outcome, amounts worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from shopops.analytics.matching import MATCH_COLUMNS, three_way_match
from shopops.errors import DataError

# line: (ordered, cancelled, PO price)
PO_LINES = {
    1: (100, 0, 3.20),  # matched: 100 received, invoiced 100 in two invoices at 3.20
    2: (50, 0, 3.20),  # price_over: invoiced at 3.50
    3: (50, 0, 3.20),  # within the 2 % tolerance: invoiced at 3.25 <= 3.264
    4: (40, 0, 3.20),  # price_under: invoiced at 3.00 < 3.136
    5: (120, 0, 3.40),  # quantity_over_invoiced: 110 received, 6 damaged, 4 rejected, 112 invoiced
    6: (80, 0, 2.50),  # not_yet_invoiced: 80 received, 30 invoiced
    7: (200, 50, 1.00),  # not_received
    8: (100, 0, 3.20),  # matched: 60 at 3.00 and 40 at 3.50 weigh to 3.20
}
RECEIPTS = [  # (line, received, damaged, rejected)
    (1, 60, 0, 0),
    (1, 40, 0, 0),
    (2, 50, 0, 0),
    (3, 50, 0, 0),
    (4, 40, 0, 0),
    (5, 110, 6, 4),
    (6, 80, 0, 0),
    (8, 100, 0, 0),
]
INVOICED = [  # (invoice, line, units, price)
    (1, 1, 60, 3.20),
    (2, 1, 40, 3.20),
    (1, 2, 50, 3.50),
    (1, 3, 50, 3.25),
    (1, 4, 40, 3.00),
    (1, 5, 112, 3.40),
    (1, 6, 30, 2.50),
    (1, 8, 60, 3.00),
    (2, 8, 40, 3.50),
]


def _frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    po_lines = pl.DataFrame(
        [
            (7, "PO-7", n, f"SKU-{n}", "SUP-X", "CNY", ordered, cancelled, price)
            for n, (ordered, cancelled, price) in PO_LINES.items()
        ],
        schema=[
            "po_id",
            "po_number",
            "line_no",
            "sku_id",
            "supplier_id",
            "currency_code",
            "quantity_units",
            "cancelled_units",
            "unit_price",
        ],
        orient="row",
    )
    receipts = pl.DataFrame(
        [(7, *row) for row in RECEIPTS],
        schema=["po_id", "line_no", "received_units", "damaged_units", "rejected_units"],
        orient="row",
    )
    invoice_lines = pl.DataFrame(
        [(invoice, 7, line, units, price) for invoice, line, units, price in INVOICED],
        schema=["invoice_id", "po_id", "line_no", "quantity_units", "unit_price"],
        orient="row",
    )
    return po_lines, receipts, invoice_lines


def _match(quantity_tolerance: float = 0.0) -> dict[int, dict[str, object]]:
    frame = three_way_match(*_frames(), price_tolerance=0.02, quantity_tolerance=quantity_tolerance)
    assert frame.columns == list(MATCH_COLUMNS)
    return {row["line_no"]: row for row in frame.iter_rows(named=True)}


def test_each_line_gets_its_status_and_amount_at_stake() -> None:
    rows = _match()
    expected = {  # line: (status, amount at stake in CNY)
        1: ("matched", 0.0),
        2: ("price_over", 50 * 0.30),
        3: ("matched", 0.0),
        4: ("price_under", 40 * 0.20),
        5: ("quantity_over_invoiced", 12 * 3.40),
        6: ("not_yet_invoiced", 50 * 2.50),
        7: ("not_received", 150 * 1.00),
        8: ("matched", 0.0),
    }
    for line, (status, amount) in expected.items():
        assert rows[line]["match_status"] == status, line
        assert rows[line]["amount_at_stake_po_currency"] == pytest.approx(amount), line


def test_quantities_are_net_of_cancelled_damaged_and_rejected() -> None:
    rows = _match()
    assert (rows[5]["ordered_units"], rows[5]["accepted_units"], rows[5]["invoiced_units"]) == (
        120,
        100,
        112,
    )
    assert (rows[7]["ordered_units"], rows[7]["accepted_units"]) == (150, 0)
    assert rows[7]["invoiced_unit_price"] is None


def test_the_invoiced_price_is_weighted_by_quantity() -> None:
    assert _match()[8]["invoiced_unit_price"] == pytest.approx((60 * 3.00 + 40 * 3.50) / 100)


def test_actions_tell_the_buyer_what_to_ask() -> None:
    rows = _match()
    assert rows[5]["action"] == (
        "ask SUP-X for a credit note of 12 units x 3.40 CNY (112 invoiced, 100 accepted)"
    )
    assert rows[2]["action"] == (
        "ask SUP-X for a credit note of 50 units x 0.30 CNY (invoiced at 3.50, PO price 3.20)"
    )
    assert rows[6]["action"] == "expect an invoice from SUP-X for 50 units x 2.50 CNY"
    assert rows[4]["action"].startswith("check the price with SUP-X: 40 units invoiced at 3.00")
    assert rows[7]["action"] == "nothing accepted yet of 150 units; chase SUP-X"


def test_a_quantity_tolerance_lets_small_overbilling_pass() -> None:
    # 112 invoiced against 100 accepted is 12 % over: flagged at 10 %, not at 15 %.
    assert _match(quantity_tolerance=0.10)[5]["match_status"] == "quantity_over_invoiced"
    assert _match(quantity_tolerance=0.15)[5]["match_status"] == "matched"


def test_invoicing_what_never_arrived_is_over_invoicing() -> None:
    po_lines, receipts, invoice_lines = _frames()
    extra = pl.DataFrame(
        {"invoice_id": [3], "po_id": [7], "line_no": [7], "quantity_units": [10]}
    ).with_columns(unit_price=pl.lit(1.0))
    rows = three_way_match(
        po_lines,
        receipts,
        pl.concat([invoice_lines, extra], how="vertical_relaxed"),
        price_tolerance=0.02,
        quantity_tolerance=0.0,
    ).filter(pl.col("line_no") == 7)
    assert rows["match_status"].item() == "quantity_over_invoiced"
    assert rows["amount_at_stake_po_currency"].item() == pytest.approx(10.0)


def test_missing_columns_are_named() -> None:
    po_lines, receipts, invoice_lines = _frames()
    with pytest.raises(DataError, match="receipts lacks the column damaged_units"):
        three_way_match(
            po_lines,
            receipts.drop("damaged_units"),
            invoice_lines,
            price_tolerance=0.02,
            quantity_tolerance=0.0,
        )
