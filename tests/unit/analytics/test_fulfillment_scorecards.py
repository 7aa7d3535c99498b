"""Warehouse and carrier scorecard metrics on shipments worked by hand.

Judged ``as_of`` 1 March 2025, by month. Contracts: W1 2.00 per order + 0.50 per unit
beyond the first, W2 3.00 + 0.25. Services: S1 and S2 of carrier C1 (fuel 10 % and 20 %),
S3 of C2 (no fuel). Rate cards: S1 zone 2 up to 1 kg 5.00, up to 5 kg 8.00; S1 zone 3 up
to 1 kg 6.00; S2 zone 2 up to 2 kg 10.00; S3 zone 2 up to 1 kg 4.00.

====  =====  ==  ===  ==========  ========  ======  ======  ======  =====  ===========  =====
ship  order  wh  svc  status      dispatch  ships   promise deliv.  kg/zn  charged vs    units
                                  by                                       contract
====  =====  ==  ===  ==========  ========  ======  ======  ======  =====  ===========  =====
101   1      W1  S1   delivered   10 Jan    10 Jan  14 Jan  13 Jan  0.8/2  5.50 = 5.50  2+1
108   1      W2  S3   delivered   10 Jan    11 Jan  14 Jan  14 Jan  0.4/2  4.40 > 4.00  1
102   2      W1  S1   delivered   20 Jan    21 Jan  24 Jan  24 Jan  3.0/2  9.20 > 8.80  3
103   3      W2  S2   exception   31 Jan    31 Jan  3 Feb   -       1.5/2  12 = 12      1
104   4      W1  S3   delivered   10 Feb    10 Feb  13 Feb  14 Feb  0.5/2  4.00 = 4.00  1
110   4      W2  S1   picking     10 Feb    -       13 Feb  -       0.5/2  -            2
105   5      W1  S1   in_transit  27 Feb    28 Feb  3 Mar   -       6.0/2  15, no band  4
106   6      W2  S1   shipped     5 Mar     28 Feb  8 Mar   -       0.9/3  6.60 = 6.60  1
107   7      W2  S2   cancelled   15 Feb    -       18 Feb  -       1.0/2  -            1
====  =====  ==  ===  ==========  ========  ======  ======  ======  =====  ===========  =====

Order 4's line on shipment 104 came back damaged; order 6 has a second, cancelled line of
5 units. A damaged return of order 1 was rejected, and order 2's return was for a change
of mind: neither counts as damage.

Warehouses. W1 January: dispatch 101 on time, 102 late: 0.5; shipped 101, 102, none
damaged; orders 1 (3 units, 2.00 + 0.50 x 2 = 3.00) and 2 (3 units, 3.00). W1 February:
104 on time, 105 late: 0.5; 104 damaged of 104, 105: 0.5; orders 4 (1 unit shipped, 2.00)
and 5 (4 units, 3.50): 2.75 and 2.5 units. W2 January: 103 on time, 108 late: 0.5; 103 an
exception of 103, 108: 0.5; orders 3 and 1, one unit each: 3.00. W2 February: 110 never
shipped: 0.0 (106's deadline has not passed); shipped 106 only: 0.0; order 6: one unit.

Carriers by service. C1/S1 January: 101 and 102 on time; no exception; charged 7.35 a
parcel against 7.15, variance 0.40 / 14.30. C1/S1 February: nothing promised yet; 105
(beyond the heaviest band, unpriced) and 106 shipped: charged 10.80, contract 6.60 (106
only), variance 0. C1/S2: 103 shipped in January (exception 1, variance 0) and promised
3 Feb, never delivered: February on time 0. C2/S3 January: 108 on time, variance 0.40/4;
February: 104 a day late, damaged: on time 0, exception 1, variance 0.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.analytics.scorecards import carrier_metrics, warehouse_metrics
from shopops.errors import DataError

AS_OF = dt.date(2025, 3, 1)
JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


def d(month: int, day: int) -> dt.date:
    return dt.date(2025, month, day)


def t(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2025, month, day, hour)


def _frame(rows: list[tuple[object, ...]], columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=columns, orient="row")


def _orders() -> pl.DataFrame:
    dates = [
        (1, 10, 14),
        (1, 20, 24),
        (1, 31, 34),
        (2, 10, 13),
        (2, 27, 31),
        (3, 5, 8),
        (2, 15, 18),
    ]
    rows = [
        (n + 1, t(1, 1), d(m, day), d(m, 1) + dt.timedelta(days=deliver - 1))
        for n, (m, day, deliver) in enumerate(dates)
    ]
    return _frame(
        rows, ["order_id", "ordered_at", "promised_dispatch_date", "promised_delivery_date"]
    )


def _shipments() -> pl.DataFrame:
    rows = [
        (101, 1, "W1", "S1", "delivered", 0.8, 2, 5.50, t(1, 10, 15), t(1, 13)),
        (108, 1, "W2", "S3", "delivered", 0.4, 2, 4.40, t(1, 11), t(1, 14, 23)),
        (102, 2, "W1", "S1", "delivered", 3.0, 2, 9.20, t(1, 21, 9), t(1, 24)),
        (103, 3, "W2", "S2", "exception", 1.5, 2, 12.00, t(1, 31, 23), None),
        (104, 4, "W1", "S3", "delivered", 0.5, 2, 4.00, t(2, 10), t(2, 14)),
        (110, 4, "W2", "S1", "picking", 0.5, 2, 0.0, None, None),
        (105, 5, "W1", "S1", "in_transit", 6.0, 2, 15.00, t(2, 28), None),
        (106, 6, "W2", "S1", "shipped", 0.9, 3, 6.60, t(2, 28), None),
        (107, 7, "W2", "S2", "cancelled", 1.0, 2, 0.0, None, None),
    ]
    columns = ["shipment_id", "order_id", "warehouse_id", "service_id", "status"]
    columns += ["billable_weight_kg", "zone", "shipping_cost_usd", "shipped_at", "delivered_at"]
    return _frame(rows, columns)


def _order_lines() -> pl.DataFrame:
    rows = [
        (1, 1, 2, "shipped", 101),
        (1, 2, 1, "shipped", 101),
        (1, 3, 1, "shipped", 108),
        (2, 1, 3, "shipped", 102),
        (3, 1, 1, "shipped", 103),
        (4, 1, 1, "shipped", 104),
        (4, 2, 2, "reserved", 110),
        (5, 1, 4, "shipped", 105),
        (6, 1, 1, "shipped", 106),
        (6, 2, 5, "cancelled", None),
        (7, 1, 1, "cancelled", 107),
    ]
    return _frame(rows, ["order_id", "line_no", "quantity_units", "status", "shipment_id"])


def _returns() -> pl.DataFrame:
    rows = [
        (4, 1, "damaged", "received", d(2, 20)),
        (1, 1, "damaged", "rejected", d(1, 20)),
        (2, 1, "changed_mind", "closed", d(1, 30)),
    ]
    return _frame(rows, ["order_id", "line_no", "reason", "status", "requested_date"])


def _warehouses() -> pl.DataFrame:
    rows = [("W1", 2.0, 0.5), ("W2", 3.0, 0.25)]
    return _frame(
        rows, ["warehouse_id", "handling_cost_usd_per_order", "handling_cost_usd_per_unit"]
    )


def _services() -> pl.DataFrame:
    rows = [("S1", "C1", 0.1), ("S2", "C1", 0.2), ("S3", "C2", 0.0)]
    return _frame(rows, ["service_id", "carrier_id", "fuel_surcharge_rate"])


def _rate_cards() -> pl.DataFrame:
    rows = [("S1", 2, 1.0, 5.0), ("S1", 2, 5.0, 8.0), ("S1", 3, 1.0, 6.0)]
    rows += [("S2", 2, 2.0, 10.0), ("S3", 2, 1.0, 4.0)]
    return _frame(rows, ["service_id", "zone", "max_weight_kg", "rate_usd"])


def _warehouse_rows(**options: object) -> dict[tuple[str, dt.date], dict[str, object]]:
    frame = warehouse_metrics(
        _shipments(), _orders(), _order_lines(), _returns(), _warehouses(), as_of=AS_OF, **options
    )
    return {(r["warehouse_id"], r["period_start"]): r for r in frame.iter_rows(named=True)}


def test_warehouse_months() -> None:
    rows = _warehouse_rows()
    assert list(rows) == [("W1", JAN), ("W1", FEB), ("W2", JAN), ("W2", FEB)]
    expected = {
        ("W1", JAN): (2, 2, 2, 0.5, 0.0, 3.00, 3.0),
        ("W1", FEB): (2, 2, 2, 0.5, 0.5, 2.75, 2.5),
        ("W2", JAN): (2, 2, 2, 0.5, 0.5, 3.00, 1.0),
        ("W2", FEB): (1, 1, 1, 0.0, 0.0, 3.00, 1.0),
    }
    columns = ["shipments_due", "shipments_shipped", "orders_shipped", "on_time_dispatch"]
    columns += ["damage_rate", "cost_per_order_usd", "units_per_order"]
    for key, values in expected.items():
        assert tuple(rows[key][c] for c in columns) == pytest.approx(values), key


def test_dispatch_deadline_from_order_time_when_orders_carry_none() -> None:
    orders = _orders().drop("promised_dispatch_date").with_columns(ordered_at=pl.lit(t(1, 9)))
    frame = warehouse_metrics(
        _shipments(),
        orders,
        _order_lines(),
        _returns(),
        _warehouses(),
        as_of=d(1, 31),
        dispatch_days=2,
    )
    # every deadline is 11 Jan: 101 (10 Jan) and 108 (11 Jan) on time, 102 (21 Jan) late;
    # 103 shipped 31 Jan, on as_of, is not yet known to have shipped: late. 110 and 107 aside,
    # 104-106 shipped after as_of: late.
    rows = {r["warehouse_id"]: r for r in frame.iter_rows(named=True)}
    assert rows["W1"]["on_time_dispatch"] == pytest.approx(1 / 4)  # 101 of 101, 102, 104, 105
    assert rows["W2"]["on_time_dispatch"] == pytest.approx(1 / 4)  # 108 of 108, 103, 110, 106
    with pytest.raises(DataError, match="pass dispatch_days"):
        warehouse_metrics(
            _shipments(), orders, _order_lines(), _returns(), _warehouses(), as_of=AS_OF
        )


def test_carrier_services_by_month() -> None:
    frame = carrier_metrics(
        _shipments(), _orders(), _order_lines(), _returns(), _services(), _rate_cards(), as_of=AS_OF
    )
    rows = {(r["service_id"], r["period_start"]): r for r in frame.iter_rows(named=True)}
    assert list(rows) == [
        ("S1", JAN),
        ("S1", FEB),
        ("S2", JAN),
        ("S2", FEB),
        ("S3", JAN),
        ("S3", FEB),
    ]
    assert [rows[k]["carrier_id"] for k in rows] == ["C1"] * 4 + ["C2"] * 2
    columns = ["parcels_due", "parcels_shipped", "parcels_priced", "on_time_delivery"]
    columns += ["exception_rate", "cost_per_parcel_usd", "contract_cost_per_parcel_usd"]
    columns += ["cost_variance_to_contract"]
    expected = {
        ("S1", JAN): (2, 2, 2, 1.0, 0.0, 7.35, 7.15, 0.40 / 14.30),
        ("S1", FEB): (0, 2, 1, None, 0.0, 10.80, 6.60, 0.0),
        ("S2", JAN): (0, 1, 1, None, 1.0, 12.0, 12.0, 0.0),
        ("S2", FEB): (1, 0, 0, 0.0, None, None, None, None),
        ("S3", JAN): (1, 1, 1, 1.0, 0.0, 4.40, 4.00, 0.10),
        ("S3", FEB): (1, 1, 1, 0.0, 1.0, 4.00, 4.00, 0.0),
    }
    for key, values in expected.items():
        assert tuple(rows[key][c] for c in columns) == pytest.approx(values), key


def test_carrier_services_pooled() -> None:
    frame = carrier_metrics(
        _shipments(),
        _orders(),
        _order_lines(),
        _returns(),
        _services(),
        _rate_cards(),
        as_of=AS_OF,
        by_service=False,
    )
    assert "service_id" not in frame.columns
    c1_jan = frame.row(0, named=True)
    assert (c1_jan["carrier_id"], c1_jan["period_start"]) == ("C1", JAN)
    assert c1_jan["exception_rate"] == pytest.approx(1 / 3)  # 103 of 101, 102, 103
    assert c1_jan["cost_per_parcel_usd"] == pytest.approx((5.5 + 9.2 + 12.0) / 3)
    assert c1_jan["cost_variance_to_contract"] == pytest.approx(0.40 / 26.30)
    c1_feb = frame.row(1, named=True)
    assert (c1_feb["parcels_due"], c1_feb["on_time_delivery"]) == (1, 0.0)  # 103, undelivered


def test_quarter_pools_the_months_of_a_warehouse() -> None:
    rows = _warehouse_rows(period="quarter")
    w1 = rows[("W1", JAN)]
    assert w1["on_time_dispatch"] == pytest.approx(2 / 4)
    assert w1["damage_rate"] == pytest.approx(1 / 4)
    assert w1["cost_per_order_usd"] == pytest.approx((3.0 + 3.0 + 2.0 + 3.5) / 4)
