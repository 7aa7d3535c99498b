"""Supplier scorecard metrics on purchase orders, receipts and invoices worked by hand.

Judged ``as_of`` 1 April 2025, by month. Offers (quoted lead time, all-units tiers):
O1 SUP1/A 10 days, valid to 31 Jan (1+: 5.00, 100+: 4.50 USD); O2 SUP1/A 14 days from
1 Feb (1+: 5.20, 100+: 4.80 USD); O3 SUP2/B 20 days (50+: 9.00, 200+: 8.00 EUR, 1.10 USD).

=====  ====  =========  ======  =================  ===============  ======================
PO     sup.  status     ordered line: qty @ price   due, cancelled   receipts (dmg, rejected)
=====  ====  =========  ======  =================  ===============  ======================
P1     SUP1  received   10 Jan  L1: 100 @ 4.50     20 Jan           18 Jan 100 (2, 5);
                                                                    3 Feb 5
                                L2: 50 @ 5.50      25 Jan, 10       24 Jan 40
P2     SUP1  part. rec  5 Feb   L1: 200 @ 4.80     19 Feb           17 Feb 120;
                                                                    5 Apr 80 (after as_of)
P3     SUP2  confirmed  15 Jan  L1: 200 @ 9.90     4 Feb            4 Feb 200 (4, 0)
P4     SUP1  proposed   -       L1: 10 @ 5.00      20 Jan           (left out)
P5     SUP1  sent       20 Mar  L1: 100 @ 4.92     10 Apr (later)
P6     SUP2  cancelled  12 Jan  L1: 30 @ 9.00      20 Jan           (left out)
=====  ====  =========  ======  =================  ===============  ======================

All POs are in USD.
SUP1 January. Due: P1 L1 (95 accepted by 20 Jan < 100: late) and P1 L2 (40 >= 50 - 10:
on time in full): OTIF 1/2. Good units (100-2-5+5) + 40 = 138 of 100 + 40: fill 138/140.
Receipts 18 Jan (8 days, O1 quoted 10: -2) and 24 Jan (14 days: +4): mean 11, sd
sqrt(18), deviation +1; damaged 2/140, rejected 5/140. Lines ordered: P1 L1 450 paid vs
450 at the 100+ tier, P1 L2 275 vs 250 at the 1+ tier: price variance 25/700.
Invoices: 30 Jan P1 L1 95 @ 4.50 (matches), P1 L2 40 @ 5.60 (price 1.8 % over: no):
accuracy 1/2.

SUP1 February. Due: P2 L1, 120 of 200 by 19 Feb: OTIF 0, fill 0.6. Receipts 3 Feb
(24 days vs 10: +14) and 17 Feb (12 days vs O2's 14: -2): mean 18, sd sqrt(72),
deviation +6; no damage. P2 L1 paid 4.80 = the 100+ tier: variance 0. Invoice 20 Feb:
P1 L1 10 more @ 4.50 (105 invoiced > 100 received less rejected: no), P2 L1 120 @ 4.83
(0.6 % over, 120 received: matches): accuracy 1/2.

SUP1 March: only P5 ordered, 4.92 vs 4.80 at the 100+ tier: variance 12/480 = 0.025.
SUP2 January: only P3 ordered, 200 x 9.90 = 1980 paid vs 200 x 8.00 x 1.10 = 1760 at the
200+ tier: variance 220/1760 = 0.125.
SUP2 February: P3 L1 in full on 4 Feb (OTIF 1, fill 196/200); 20 days vs 20 quoted;
damaged 4/200. Invoice 10 Feb in EUR: 200 @ 9.00 EUR = 9.90 USD: matches.
Nothing dated from 1 April counts (receipt 5 Apr, invoice 2 Apr).
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from shopops.analytics.scorecards import score, supplier_metrics
from shopops.errors import DataError

AS_OF = dt.date(2025, 4, 1)
LINE_KEYS = ("po_id", "line_no")
OFFER_KEYS = ("offer_id", "supplier_id", "sku_id")
O3_TIERS = (("O3", 50, 9.0), ("O3", 200, 8.0))


def d(month: int, day: int) -> dt.date:
    return dt.date(2025, month, day)


def _frame(rows: list[tuple[object, ...]], columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=list(columns), orient="row")


def _tables() -> dict[str, pl.DataFrame]:
    purchase_orders = _frame(
        [
            (1, "SUP1", "received", "USD", d(1, 10)),
            (2, "SUP1", "partially_received", "USD", d(2, 5)),
            (3, "SUP2", "confirmed", "USD", d(1, 15)),
            (4, "SUP1", "proposed", "USD", None),
            (5, "SUP1", "sent", "USD", d(3, 20)),
            (6, "SUP2", "cancelled", "EUR", d(1, 12)),
        ],
        ["po_id", "supplier_id", "status", "currency_code", "ordered_date"],
    )
    po_lines = _frame(
        [
            (1, 1, "A", 100, 4.50, d(1, 20), 0),
            (1, 2, "A", 50, 5.50, d(1, 25), 10),
            (2, 1, "A", 200, 4.80, d(2, 19), 0),
            (3, 1, "B", 200, 9.90, d(2, 4), 0),
            (4, 1, "A", 10, 5.00, d(1, 20), 0),
            (5, 1, "A", 100, 4.92, d(4, 10), 0),
            (6, 1, "B", 30, 9.00, d(1, 20), 0),
        ],
        [*LINE_KEYS, "sku_id", "quantity_units", "unit_price", "expected_date", "cancelled_units"],
    )
    receipts = _frame(
        [
            (1, 1, d(1, 18), 100, 2, 5),
            (1, 1, d(2, 3), 5, 0, 0),
            (1, 2, d(1, 24), 40, 0, 0),
            (2, 1, d(2, 17), 120, 0, 0),
            (2, 1, d(4, 5), 80, 0, 0),
            (3, 1, d(2, 4), 200, 4, 0),
        ],
        ["po_id", "line_no", "received_date", "received_units", "damaged_units", "rejected_units"],
    )
    offers = _frame(
        [
            ("O1", "SUP1", "A", "USD", 10.0, d(1, 1) - dt.timedelta(days=366), d(1, 31)),
            ("O2", "SUP1", "A", "USD", 14.0, d(2, 1), None),
            ("O3", "SUP2", "B", "EUR", 20.0, dt.date(2024, 6, 1), None),
        ],
        [*OFFER_KEYS, "currency_code", "lead_time_mean_days", "valid_from", "valid_to"],
    )
    price_tiers = _frame(
        [("O1", 1, 5.0), ("O1", 100, 4.5), ("O2", 1, 5.2), ("O2", 100, 4.8), *O3_TIERS],
        ["offer_id", "min_quantity_units", "unit_price"],
    )
    invoices = _frame(
        [
            (1, "SUP1", d(1, 30), "USD"),
            (2, "SUP1", d(2, 20), "USD"),
            (3, "SUP2", d(2, 10), "EUR"),
            (4, "SUP1", d(4, 2), "USD"),
        ],
        ["invoice_id", "supplier_id", "invoice_date", "currency_code"],
    )
    invoice_lines = _frame(
        [
            (1, 1, 1, 95, 4.50),
            (1, 1, 2, 40, 5.60),
            (2, 1, 1, 10, 4.50),
            (2, 2, 1, 120, 4.83),
            (3, 3, 1, 200, 9.00),
            (4, 2, 1, 80, 4.80),
        ],
        ["invoice_id", "po_id", "line_no", "quantity_units", "unit_price"],
    )
    currencies = _frame([("USD", 1.0), ("EUR", 1.10)], ["currency_code", "usd_per_unit"])
    return {
        "purchase_orders": purchase_orders,
        "po_lines": po_lines,
        "receipts": receipts,
        "offers": offers,
        "price_tiers": price_tiers,
        "invoices": invoices,
        "invoice_lines": invoice_lines,
        "currencies": currencies,
    }


def _rows(period: str = "month") -> dict[tuple[str, dt.date], dict[str, object]]:
    frame = supplier_metrics(**_tables(), as_of=AS_OF, period=period)
    return {(r["supplier_id"], r["period_start"]): r for r in frame.iter_rows(named=True)}


def test_only_supplier_months_with_transactions_get_a_row() -> None:
    assert list(_rows()) == [
        ("SUP1", d(1, 1)),
        ("SUP1", d(2, 1)),
        ("SUP1", d(3, 1)),
        ("SUP2", d(1, 1)),
        ("SUP2", d(2, 1)),
    ]


def test_sup1_january() -> None:
    row = _rows()[("SUP1", d(1, 1))]
    assert (row["po_lines_due"], row["receipts"], row["po_lines_priced"]) == (2, 2, 2)
    assert row["invoice_lines"] == 2
    assert row["on_time_in_full"] == pytest.approx(0.5)
    assert row["fill_rate"] == pytest.approx(138 / 140)
    assert row["lead_time_mean_days"] == pytest.approx(11.0)
    assert row["lead_time_sd_days"] == pytest.approx(math.sqrt(18))
    assert row["lead_time_deviation_days"] == pytest.approx(1.0)
    assert row["defect_rate"] == pytest.approx(2 / 140)
    assert row["rejection_rate"] == pytest.approx(5 / 140)
    assert row["price_variance_to_contract"] == pytest.approx(25 / 700)
    assert row["invoice_accuracy"] == pytest.approx(0.5)


def test_sup1_february() -> None:
    row = _rows()[("SUP1", d(2, 1))]
    assert (row["po_lines_due"], row["receipts"], row["invoice_lines"]) == (1, 2, 2)
    assert row["on_time_in_full"] == 0.0
    assert row["fill_rate"] == pytest.approx(0.6)
    assert row["lead_time_mean_days"] == pytest.approx(18.0)
    assert row["lead_time_sd_days"] == pytest.approx(math.sqrt(72))
    assert row["lead_time_deviation_days"] == pytest.approx(6.0)
    assert (row["defect_rate"], row["rejection_rate"]) == (0.0, 0.0)
    assert row["price_variance_to_contract"] == pytest.approx(0.0)
    assert row["invoice_accuracy"] == pytest.approx(0.5)


def test_months_with_only_some_transactions_have_only_those_metrics() -> None:
    rows = _rows()
    march = rows[("SUP1", d(3, 1))]
    assert march["price_variance_to_contract"] == pytest.approx(0.025)
    assert (march["po_lines_due"], march["receipts"], march["invoice_lines"]) == (0, 0, 0)
    for metric in ("on_time_in_full", "fill_rate", "lead_time_mean_days", "invoice_accuracy"):
        assert march[metric] is None
    assert rows[("SUP2", d(1, 1))]["price_variance_to_contract"] == pytest.approx(220 / 1760)


def test_sup2_february_in_another_currency() -> None:
    row = _rows()[("SUP2", d(2, 1))]
    assert row["on_time_in_full"] == 1.0
    assert row["fill_rate"] == pytest.approx(196 / 200)
    assert row["lead_time_mean_days"] == pytest.approx(20.0)
    assert row["lead_time_sd_days"] is None
    assert row["lead_time_deviation_days"] == pytest.approx(0.0)
    assert row["defect_rate"] == pytest.approx(0.02)
    assert row["invoice_accuracy"] == 1.0
    assert row["price_variance_to_contract"] is None


def test_quarter_pools_the_months() -> None:
    row = _rows("quarter")[("SUP1", d(1, 1))]
    assert row["po_lines_due"] == 3
    assert row["on_time_in_full"] == pytest.approx(1 / 3)
    assert row["fill_rate"] == pytest.approx((138 + 120) / (140 + 200))
    assert row["lead_time_mean_days"] == pytest.approx((8 + 14 + 24 + 12) / 4)
    assert row["lead_time_deviation_days"] == pytest.approx((-2 + 4 + 14 - 2) / 4)
    assert row["defect_rate"] == pytest.approx(2 / 265)
    assert row["price_variance_to_contract"] == pytest.approx((25 + 0 + 12) / (700 + 960 + 480))
    assert row["invoice_accuracy"] == pytest.approx(2 / 4)


def test_weeks_start_on_monday_and_each_metric_takes_its_own_date() -> None:
    weeks = [key[1] for key in _rows("week") if key[0] == "SUP2"]
    # ordered Wed 15 Jan; due and received Tue 4 Feb; invoiced Mon 10 Feb
    assert weeks == [d(1, 13), d(2, 3), d(2, 10)]


def test_tolerances_decide_invoice_matches() -> None:
    frame = supplier_metrics(
        **_tables(),
        as_of=AS_OF,
        price_tolerance_share=0.02,
        quantity_tolerance_share=0.05,
    )
    january, february = frame["invoice_accuracy"][0], frame["invoice_accuracy"][1]
    assert (january, february) == (1.0, 1.0)  # 5.60 within 2 % of 5.50; 105 within 100 x 1.05


def test_scored_supplier_month() -> None:
    frame = supplier_metrics(**_tables(), as_of=AS_OF)
    scored = score(frame, None, "supplier", warn_below=0.9, block_below=0.5)
    sup2_feb = scored.filter(pl.col("supplier_id") == "SUP2", pl.col("period_start") == d(2, 1))
    # OTIF 1, fill 0.98, deviation 0 -> 1, defects 0.98, rejections 1, invoices 1; sd and
    # price variance without data are left out: mean of six scores.
    assert sup2_feb["score"][0] == pytest.approx((1 + 0.98 + 1 + 0.98 + 1 + 1) / 6)
    assert sup2_feb["standing"][0] == "good"


def test_missing_column_is_named() -> None:
    tables = _tables()
    tables["receipts"] = tables["receipts"].drop("rejected_units")
    with pytest.raises(DataError, match="receipts lacks the column rejected_units"):
        supplier_metrics(**tables, as_of=AS_OF)
