"""Marketplace fulfillment metrics and orders at risk, against a fixture worked by hand.

Week of Mon 2026-03-02 to Sun 03-08, figures taken Sun 03-08 20:00. UPS tracking numbers
match ``^1Z[0-9A-Z]{16}$``; COL has no pattern.

=====  ==========  ========  ==========================================================
order  dispatch    delivery  parcels (shipment: warehouse, carrier, pickup, delivered)
=====  ==========  ========  ==========================================================
1      03-02       03-05     11: LA, UPS, 03-02 17:00 (in time), 03-04 (on time)
2      03-03       03-06     12: LA, UPS, 03-04 09:00 (late), 03-07 (late), bad number
3      03-04       03-08     13: LA, COL, 03-04 23:59 (in time), 03-07 (on time);
                             14: NJ, UPS, 03-05 01:00 (late), no number
4      03-05       03-09     none; a line reserved at NJ: overdue, late
5      03-09       03-12     15: NJ, UPS, 03-08 10:00: shipped this week, due next
6      03-08       03-10     cancelled order
7      03-08       03-11     none; reserved at LA, its day not over: not counted yet
=====  ==========  ========  ==========================================================
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.analytics.fulfillment_metrics import (
    GroupBy,
    fulfillment_metrics,
    orders_at_risk,
    stage_times,
)

D, T = dt.date, dt.datetime
START, END, AS_OF = D(2026, 3, 2), D(2026, 3, 8), T(2026, 3, 8, 20)
UPS_OK = "1Z999AA10123456784"


def _orders() -> pl.DataFrame:
    return pl.DataFrame(
        [
            (1, "delivered", D(2026, 3, 2), D(2026, 3, 5)),
            (2, "delivered", D(2026, 3, 3), D(2026, 3, 6)),
            (3, "partially_shipped", D(2026, 3, 4), D(2026, 3, 8)),
            (4, "allocated", D(2026, 3, 5), D(2026, 3, 9)),
            (5, "shipped", D(2026, 3, 9), D(2026, 3, 12)),
            (6, "cancelled", D(2026, 3, 8), D(2026, 3, 10)),
            (7, "allocated", D(2026, 3, 8), D(2026, 3, 11)),
        ],
        schema=["order_id", "status", "promised_dispatch_date", "promised_delivery_date"],
        orient="row",
    )


def _lines() -> pl.DataFrame:
    return pl.DataFrame(
        [
            (1, "shipped", "WH-LA", 11),
            (2, "shipped", "WH-LA", 12),
            (3, "shipped", "WH-LA", 13),
            (3, "shipped", "WH-NJ", 14),
            (4, "reserved", "WH-NJ", None),
            (5, "shipped", "WH-NJ", 15),
            (6, "cancelled", None, None),
            (7, "reserved", "WH-LA", None),
        ],
        schema=["order_id", "status", "warehouse_id", "shipment_id"],
        orient="row",
    )


def _shipments() -> pl.DataFrame:
    return pl.DataFrame(
        [
            (11, 1, "WH-LA", "UPS", "delivered", UPS_OK, T(2026, 3, 2, 17), T(2026, 3, 4, 15)),
            (12, 2, "WH-LA", "UPS", "delivered", "12345", T(2026, 3, 4, 9), T(2026, 3, 7, 11)),
            (13, 3, "WH-LA", "COL", "delivered", "COL-1", T(2026, 3, 4, 23, 59), T(2026, 3, 7)),
            (14, 3, "WH-NJ", "UPS", "in_transit", None, T(2026, 3, 5, 1), None),
            (15, 5, "WH-NJ", "UPS", "shipped", UPS_OK, T(2026, 3, 8, 10), None),
        ],
        schema={
            "shipment_id": pl.Int64,
            "order_id": pl.Int64,
            "warehouse_id": pl.String,
            "carrier_id": pl.String,
            "status": pl.String,
            "tracking_number": pl.String,
            "shipped_at": pl.Datetime("us"),
            "delivered_at": pl.Datetime("us"),
        },
        orient="row",
    )


def _carriers() -> pl.DataFrame:
    return pl.DataFrame(
        {"carrier_id": ["COL", "UPS"], "tracking_number_pattern": [None, "^1Z[0-9A-Z]{16}$"]}
    )


def _metrics(by: GroupBy) -> list[tuple[object, ...]]:
    frame = fulfillment_metrics(
        _orders(),
        _lines(),
        _shipments(),
        _carriers(),
        start=START,
        end=END,
        as_of=AS_OF,
        by=by,
    )
    return frame.rows()


def test_the_whole_week() -> None:
    # dispatch: 1, 2 (late), 3 (first pickup in time), 4 (overdue): 2 of 4 late
    # delivered this week: 11, 12 (late), 13; shipped: 11, 12 (bad), 13, 14 (none), 15
    assert _metrics(None) == [
        ("all", 4, 2, 0.5, 3, 2, pytest.approx(2 / 3), 5, 3, 0.6),
    ]


def test_by_warehouse_an_order_counts_at_each_warehouse_with_its_own_first_pickup() -> None:
    assert _metrics("warehouse") == [
        (
            "WH-LA",
            3,
            1,
            pytest.approx(1 / 3),
            3,
            2,
            pytest.approx(2 / 3),
            3,
            2,
            pytest.approx(2 / 3),
        ),
        ("WH-NJ", 2, 2, 1.0, 0, 0, None, 2, 1, 0.5),
    ]


def test_by_carrier_work_with_no_parcel_yet_has_no_carrier() -> None:
    assert _metrics("carrier") == [
        ("COL", 1, 0, 0.0, 1, 1, 1.0, 1, 1, 1.0),
        ("UPS", 3, 2, pytest.approx(2 / 3), 2, 1, 0.5, 4, 2, 0.5),
        (None, 1, 1, 1.0, 0, 0, None, 0, 0, None),
    ]


def _history() -> pl.DataFrame:
    return pl.DataFrame(
        [
            (
                "WH-LA",
                T(2026, 3, 2, 8),
                T(2026, 3, 2, 10),
                T(2026, 3, 2, 10, 30),
                T(2026, 3, 2, 15),
            ),
            ("WH-LA", T(2026, 3, 3, 8), T(2026, 3, 3, 11), T(2026, 3, 3, 12), T(2026, 3, 3, 15)),
            (
                "WH-NJ",
                T(2026, 3, 3, 9),
                T(2026, 3, 3, 10),
                T(2026, 3, 3, 10, 15),
                T(2026, 3, 3, 17),
            ),
            ("WH-NJ", T(2026, 3, 4, 9), None, None, None),
        ],
        schema=["warehouse_id", "created_at", "picked_at", "packed_at", "shipped_at"],
        orient="row",
    )


def test_stage_times_are_medians_per_warehouse_and_for_the_network() -> None:
    # LA: pick 2 and 3 h, pack 0.5 and 1 h, pickup 4.5 and 3 h; NJ: 1, 0.25, 6.75 h
    assert stage_times(_history()).rows() == [
        ("WH-LA", 2.5, 0.75, 3.75),
        ("WH-NJ", 1.0, 0.25, 6.75),
        (None, 2.0, 0.5, 4.5),
    ]


def test_orders_at_risk_are_ranked_by_hours_to_spare() -> None:
    now = T(2026, 3, 5, 10)
    work = pl.DataFrame(
        [
            (21, "TT-21", "WH-LA", None, "to_pick", D(2026, 3, 5), 14),
            (22, "TT-22", "WH-NJ", 7, "packed", D(2026, 3, 5), None),
            (23, "TT-23", "WH-PAR", 8, "to_pack", D(2026, 3, 5), 12),
            (24, "TT-24", "WH-LA", 9, "to_pick", D(2026, 3, 4), 14),
            (26, "TT-26", "WH-LA", None, "to_pick", D(2026, 3, 5), 13),
        ],
        schema=[
            "order_id",
            "external_order_id",
            "warehouse_id",
            "shipment_id",
            "stage",
            "promised_dispatch_date",
            "order_cutoff_hour",
        ],
        orient="row",
    )
    ranked = orders_at_risk(work, now, stage_times(_history()))
    # 24: deadline yesterday 14:00, 20 h ago, still needs 3.25 h  -> -23.25
    # 26: 13:00 cut-off, 3 h left, pick 2.5 + pack 0.75 h          -> -0.25
    # 21: 14:00 cut-off, 4 h left, the same 3.25 h                   ->  0.75
    # 23: WH-PAR has no history: the network's pack 0.5 h, 2 h left -> 1.5
    # 22: no cut-off: midnight, 14 h left, NJ's pickup wait 6.75 h  ->  7.25
    assert ranked.select("rank", "order_id", "slack_hours").rows() == [
        (1, 24, -23.25),
        (2, 26, -0.25),
        (3, 21, 0.75),
        (4, 23, 1.5),
        (5, 22, 7.25),
    ]
    reasons = ranked["reason"].to_list()
    assert reasons[0] == "dispatch deadline 2026-03-04 14:00 passed 20.0 h ago"
    assert reasons[1] == "needs pick 2.5 h + pack 0.8 h with 3.0 h left to 2026-03-05 13:00"
    assert reasons[4] == "7.2 h to spare (pickup 6.8 h before 2026-03-06 00:00)"
