"""Spend against budgets and approval decisions, worked by hand.

Budgets: C1 January 2000 (warn), C1 February 1000 (block), C2 the first quarter 5000
(block), C3 January 100 (warn). SKU A is in C1, SKU B in C2; 1 EUR = 1.10 USD.

====  ======  ===================  ===================  ==================================
PO    curr.   status, date         line                 receipts (good units)
====  ======  ===================  ===================  ==================================
P1    USD     part. rec, 5 Jan     L1 A 100 @ 5.00,     20 Jan 50 (2 damaged, 3 rejected:
                                   10 cancelled         45 good)
                                   L2 B 20 @ 8.00       5 Mar 20
P2    EUR     approved, created    L1 A 100 @ 4.00      -
              3 Feb, not yet sent
P3    USD     received, 10 Jan     L1 B 200 @ 10.00     15 Feb 200
P4    USD     proposed, 15 Jan     L1 A 10 @ 5.00       (not committed)
P5    USD     cancelled, 12 Jan    L1 A 50 @ 5.00       (not committed)
P6    EUR     sent, 20 Dec 2024    L1 B 10 @ 10.00      (no budget covers December)
====  ======  ===================  ===================  ==================================

Committed: P1 L1 (100 - 10 - 50) x 5.00 = 200 in C1 January; P2 100 x 4.00 x 1.10 = 440
in C1 February (its creation day); P1 L2 and P3 are received in full.
Received: 45 x 5.00 = 225 (C1 January); 200 x 10 + 20 x 8 = 2160 (C2 quarter).
Invoiced: 30 Jan P1 L1 45 @ 5.00 = 225 (C1 Jan); 20 Feb P3 200 @ 10.00 = 2000 (C2);
25 Feb in EUR, P2 10 @ 4.00 = 44 USD (C1 Feb).
Planned: C1 10 Feb 700; C2 20 Mar 1000; C1 1 May 300 (no budget).

====  =====  ======  =========  ========  ========  ========  =========  =====  ====
cat.  per.   budget  committed  received  invoiced  forecast  remaining  util.  over
====  =====  ======  =========  ========  ========  ========  =========  =====  ====
C1    Jan    2000    200        225       225       0         1575       0.2125 no
C1    Feb    1000    440        0         44        700       -140       1.14   yes
C2    Q1     5000    0          2160      2000      1000      1840       0.632  no
C3    Jan    100     0          0         0         0         100        0      no
====  =====  ======  =========  ========  ========  ========  =========  =====  ====
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.analytics import ApprovalOutcome, approval_check, budget_status
from shopops.errors import DataError


def d(month: int, day: int, year: int = 2025) -> dt.date:
    return dt.date(year, month, day)


def _frame(rows: list[tuple[object, ...]], columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=columns, orient="row")


def _tables() -> dict[str, pl.DataFrame]:
    budgets = _frame(
        [
            ("C1", d(1, 1), d(1, 31), 2000.0, "warn"),
            ("C1", d(2, 1), d(2, 28), 1000.0, "block"),
            ("C2", d(1, 1), d(3, 31), 5000.0, "block"),
            ("C3", d(1, 1), d(1, 31), 100.0, "warn"),
        ],
        ["category_id", "period_start", "period_end", "budget_usd", "over_budget_action"],
    )
    created = dt.datetime(2025, 1, 1, 8)
    purchase_orders = _frame(
        [
            (1, "partially_received", "USD", d(1, 5), created),
            (2, "approved", "EUR", None, dt.datetime(2025, 2, 3, 10)),
            (3, "received", "USD", d(1, 10), created),
            (4, "proposed", "USD", None, dt.datetime(2025, 1, 15)),
            (5, "cancelled", "USD", d(1, 12), created),
            (6, "sent", "EUR", d(12, 20, 2024), dt.datetime(2024, 12, 19)),
        ],
        ["po_id", "status", "currency_code", "ordered_date", "created_at"],
    )
    po_lines = _frame(
        [
            (1, 1, "A", 100, 10, 5.0),
            (1, 2, "B", 20, 0, 8.0),
            (2, 1, "A", 100, 0, 4.0),
            (3, 1, "B", 200, 0, 10.0),
            (4, 1, "A", 10, 0, 5.0),
            (5, 1, "A", 50, 0, 5.0),
            (6, 1, "B", 10, 0, 10.0),
        ],
        ["po_id", "line_no", "sku_id", "quantity_units", "cancelled_units", "unit_price"],
    )
    receipts = _frame(
        [(1, 1, d(1, 20), 50, 2, 3), (1, 2, d(3, 5), 20, 0, 0), (3, 1, d(2, 15), 200, 0, 0)],
        ["po_id", "line_no", "received_date", "received_units", "damaged_units", "rejected_units"],
    )
    invoices = _frame(
        [(1, d(1, 30), "USD"), (2, d(2, 20), "USD"), (3, d(2, 25), "EUR")],
        ["invoice_id", "invoice_date", "currency_code"],
    )
    invoice_lines = _frame(
        [(1, 1, 1, 45, 5.0), (2, 3, 1, 200, 10.0), (3, 2, 1, 10, 4.0)],
        ["invoice_id", "po_id", "line_no", "quantity_units", "unit_price"],
    )
    skus = pl.DataFrame({"sku_id": ["A", "B"], "category_id": ["C1", "C2"]})
    currencies = pl.DataFrame({"currency_code": ["USD", "EUR"], "usd_per_unit": [1.0, 1.1]})
    return {
        "budgets": budgets,
        "purchase_orders": purchase_orders,
        "po_lines": po_lines,
        "receipts": receipts,
        "invoices": invoices,
        "invoice_lines": invoice_lines,
        "skus": skus,
        "currencies": currencies,
    }


def _planned() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "category_id": ["C1", "C2", "C1"],
            "order_date": [d(2, 10), d(3, 20), d(5, 1)],
            "value_usd": [700.0, 1000.0, 300.0],
        }
    )


def _status() -> pl.DataFrame:
    return budget_status(**_tables(), planned_spend=_planned())


def test_every_column_of_every_budget_row() -> None:
    status = _status()
    assert status.select("category_id", "period_start").rows() == [
        ("C1", d(1, 1)),
        ("C1", d(2, 1)),
        ("C2", d(1, 1)),
        ("C3", d(1, 1)),
    ]
    columns = ["budget_usd", "committed_usd", "actual_received_usd", "actual_invoiced_usd"]
    columns += ["forecast_spend_usd", "remaining_usd", "utilisation"]
    expected = [
        (2000, 200, 225, 225, 0, 1575, 0.2125),
        (1000, 440, 0, 44, 700, -140, 1.14),
        (5000, 0, 2160, 2000, 1000, 1840, 0.632),
        (100, 0, 0, 0, 0, 100, 0.0),
    ]
    for row, values in zip(status.select(columns).rows(), expected, strict=True):
        assert row == pytest.approx(values)
    assert status["over_budget"].to_list() == [False, True, False, False]
    assert status["period_end"][2] == d(3, 31)
    assert status["over_budget_action"].to_list() == ["warn", "block", "block", "warn"]


def test_without_planned_spend_the_forecast_is_zero() -> None:
    status = budget_status(**_tables())
    assert status["forecast_spend_usd"].to_list() == [0.0] * 4
    assert status["remaining_usd"].to_list() == pytest.approx([1575, 560, 2840, 100])


def test_a_zero_budget_has_no_utilisation() -> None:
    tables = _tables()
    tables["budgets"] = tables["budgets"].with_columns(budget_usd=pl.lit(0.0))
    status = budget_status(**tables)
    assert status["utilisation"].to_list() == [None] * 4
    assert status["over_budget"].to_list() == [True, True, True, False]


def test_approval_within_budget() -> None:
    decision = approval_check(_status(), "C1", d(1, 15), 1000.0)
    assert decision.outcome is ApprovalOutcome.OK
    assert decision.remaining_after_usd == pytest.approx(575.0)
    assert "575.00 USD left" in decision.message


def test_approval_over_a_warning_budget() -> None:
    decision = approval_check(_status(), "C1", d(1, 15), 2000.0)
    assert decision.outcome is ApprovalOutcome.WARN
    assert (decision.budget_usd, decision.remaining_after_usd) == pytest.approx((2000, -425))
    assert decision.message == (
        "PO of 2,000.00 USD exceeds the budget of category C1, 2025-01-01 to 2025-01-31: "
        "2,000.00 USD budget, 425.00 USD committed, received or planned, 425.00 USD over "
        "with it; approved with a warning"
    )


def test_approval_over_a_blocking_budget() -> None:
    decision = approval_check(_status(), "C2", d(3, 1), 2000.0)
    assert decision.outcome is ApprovalOutcome.BLOCK
    assert decision.remaining_after_usd == pytest.approx(-160.0)
    assert decision.message.endswith("160.00 USD over with it; approval refused")


def test_approval_in_a_period_already_over_budget_blocks_any_amount() -> None:
    decision = approval_check(_status(), "C1", d(2, 28), 1.0)
    assert decision.outcome is ApprovalOutcome.BLOCK
    assert decision.remaining_after_usd == pytest.approx(-141.0)


@pytest.mark.parametrize(("category", "day"), [("C9", d(1, 15)), ("C1", d(4, 1))])
def test_approval_without_a_budget_is_ok_with_a_note(category: str, day: dt.date) -> None:
    decision = approval_check(_status(), category, day, 10_000.0)
    assert decision.outcome is ApprovalOutcome.OK
    assert decision.budget_usd is None
    assert (
        decision.message == f"no budget for category {category} on {day}: not checked against one"
    )


def test_missing_columns_are_named() -> None:
    with pytest.raises(DataError, match="planned_spend lacks the column order_date"):
        budget_status(**_tables(), planned_spend=_planned().drop("order_date"))
    tables = _tables()
    tables["invoices"] = tables["invoices"].drop("currency_code")
    with pytest.raises(DataError, match="supplier_invoices lacks the column currency_code"):
        budget_status(**tables)


def test_budgets_without_any_transactions_are_untouched() -> None:
    tables = _tables()
    for name in ("purchase_orders", "po_lines", "receipts", "invoices", "invoice_lines"):
        tables[name] = tables[name].clear()
    status = budget_status(**tables)
    assert status["remaining_usd"].to_list() == [2000.0, 1000.0, 5000.0, 100.0]
    assert status["utilisation"].to_list() == [0.0] * 4
