"""Placing, reserving and cancelling orders through the services, on SQLite and PostgreSQL.

The minimal marketplace (tests/factories.py) has, available (on hand less reserved):
SKU-001 100 at WH-LA and 65 at WH-NJ, SKU-002 9 at WH-NJ, SKU-003 443 at WH-LA and none at
WH-NJ; SKU-004 is discontinued. NYC is 15 km from WH-NJ (zone 1) and 4,400 km from WH-LA
(zone 8); LAX is 60 km from WH-LA (zone 1). The latest warehouse cut-off is 16:00 (WH-NJ),
orders are dispatched within 2 business days. Zone 1 is served by COL-ECO (economy,
4.20 USD + 5 % fuel up to 2 kg, 2 days), UPS-GND (standard, 5.10 USD + 12 % up to 1 kg,
7.40 up to 5 kg, 1 day) and UPS-NDA (next day, 18.00 + 18 % up to 1 kg); zone 8 only by
UPS-GND (5 days). The promised delivery date is the cheapest option the checkout page
would show (services.promising): a parcel leaves the same day before its warehouse's
cut-off (WH-NJ 16:00, WH-LA 14:00), and arrives after the service's business days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.domain.ordering import (
    CancelOrder,
    CancelRefusedError,
    InvalidOrderError,
    OrderConflictError,
    OrderLineRequest,
    PlaceOrder,
    UnknownOrderError,
)
from shopops.domain.orders import CancelReason, OrderStatus
from shopops.services import orders as service
from shopops.services.promising import PromiseReferenceCache, PromiseRequest, promise_delivery
from shopops.store.stock import available_stock
from shopops.store.unit_of_work import SqlUnitOfWork

NOW = dt.datetime(2026, 1, 28, 9, 30)  # a Wednesday morning


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.commit()
    return engine


def order(
    external_id: str = "TT-9001",
    *lines: tuple[str, int, float],
    region_id: str = "NYC",
    ordered_at: dt.datetime = NOW,
    **fields: Any,
) -> PlaceOrder:
    requested = tuple(OrderLineRequest(*line) for line in (lines or [("SKU-002", 1, 12.5)]))
    return PlaceOrder(
        external_order_id=external_id,
        channel=fields.pop("channel", "shop"),
        ordered_at=ordered_at,
        region_id=region_id,
        lines=requested,
        **fields,
    )


def _rows(engine: sa.Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def _counts(engine: sa.Engine) -> tuple[int, int]:
    return (
        _rows(engine, "SELECT count(*) FROM orders")[0][0],
        _rows(engine, "SELECT count(*) FROM order_lines")[0][0],
    )


def _lines(engine: sa.Engine, order_id: int) -> list[tuple[Any, ...]]:
    return _rows(
        engine,
        "SELECT line_no, sku_id, status, warehouse_id, cancel_reason FROM order_lines "
        "WHERE order_id = :o ORDER BY line_no",
        o=order_id,
    )


def _available(engine: sa.Engine, sku_id: str, warehouse_id: str) -> int:
    with SqlUnitOfWork(engine) as uow:
        stock = available_stock(uow.frames.connection, [sku_id])
    row = stock.filter(stock["warehouse_id"] == warehouse_id)
    return int(row["available_units"].item()) if row.height else 0


def place(engine: sa.Engine, command: PlaceOrder, *, reserve: bool = False) -> Any:
    return service.place_order(command, SqlUnitOfWork(engine), now=NOW, reserve=reserve)


# --- intake ---------------------------------------------------------------------------------


def test_an_order_is_stored_open_with_its_promised_dates(db: sa.Engine) -> None:
    placed = place(db, order("TT-9001", ("SKU-002", 1, 12.5), customer_id="C-9"))

    # Wednesday 09:30 is before the 16:00 cut-off: + 2 business days = Friday 30 January.
    # At checkout WH-NJ ships it today, Wednesday; COL-ECO (4.41 USD) is cheaper than UPS-GND
    # (5.71 USD, Thursday): 2 business days, Friday 30 January, the dispatch deadline too.
    assert (placed.created, placed.status) == (True, OrderStatus.OPEN)
    assert placed.order_id == 5  # the marketplace holds orders 1 to 4
    assert (placed.promised_dispatch_date, placed.promised_delivery_date) == (
        dt.date(2026, 1, 30),
        dt.date(2026, 1, 30),
    )
    with SqlUnitOfWork(db) as uow:
        stored = uow.frames.read("orders", where="order_id = 5")
    columns = ("external_order_id", "channel", "ordered_at", "region_id", "customer_id", "status")
    assert stored.select(columns).rows() == [("TT-9001", "shop", NOW, "NYC", "C-9", "open")]
    assert _lines(db, 5) == [(1, "SKU-002", "open", None, None)]


def test_an_order_after_the_latest_cutoff_counts_from_the_next_business_day(
    db: sa.Engine,
) -> None:
    friday_evening = dt.datetime(2026, 1, 23, 16, 0)
    placed = place(db, order("TT-9002", ordered_at=friday_evening))
    # Saturday rolls to Monday 26, + 2 = Wednesday 28. At checkout 16:00 is past WH-NJ's
    # cut-off: it ships Monday 26, + 2 days with COL-ECO = Wednesday 28.
    assert placed.promised_dispatch_date == dt.date(2026, 1, 28)
    assert placed.promised_delivery_date == dt.date(2026, 1, 28)


def test_the_promise_comes_from_the_warehouse_holding_the_stock(db: sa.Engine) -> None:
    # WH-NJ (15 km) holds no SKU-003; WH-LA (4,400 km, zone 8) does: before its 14:00
    # cut-off it ships Wednesday 28, + 5 business days with UPS-GND = Wednesday 4 February.
    placed = place(db, order("TT-9003", ("SKU-003", 2, 9.9)))
    assert placed.promised_delivery_date == dt.date(2026, 2, 4)


@pytest.mark.parametrize(
    "lines",
    [
        [("SKU-002", 1, 12.5)],
        [("SKU-003", 2, 9.9)],
        [("SKU-001", 2, 39.99), ("SKU-003", 1, 9.9)],
        [("SKU-001", 3, 39.99), ("SKU-002", 2, 12.5)],
    ],
)
def test_intake_promises_the_cheapest_option_the_checkout_page_shows(
    db: sa.Engine, lines: list[tuple[str, int, float]]
) -> None:
    request = PromiseRequest("NYC", [(sku, units) for sku, units, _ in lines])
    shown = promise_delivery(
        request, SqlUnitOfWork(db), cache=PromiseReferenceCache(max_age=None), now=NOW
    ).options
    cheapest = shown.sort("cost_usd")["delivery_date"][0]
    placed = place(db, order("TT-9008", *lines))
    assert placed.promised_delivery_date == cheapest


def test_a_promise_is_never_before_the_dispatch_deadline(db: sa.Engine) -> None:
    # 17 x 0.15 kg = 2.55 kg: beyond COL-ECO's 2 kg and UPS-NDA's 1 kg, so UPS-GND from
    # WH-NJ is the only service; the checkout page shows Thursday 29 (1 day). The order may
    # be dispatched until Friday 30, so that is the day it is promised.
    placed = place(db, order("TT-9009", ("SKU-001", 17, 39.99)))
    assert (placed.promised_dispatch_date, placed.promised_delivery_date) == (
        dt.date(2026, 1, 30),
        dt.date(2026, 1, 30),
    )


def test_a_promised_delivery_date_given_by_the_marketplace_is_kept(db: sa.Engine) -> None:
    placed = place(db, order("TT-9004", promised_delivery_date=dt.date(2026, 2, 10)))
    assert placed.promised_delivery_date == dt.date(2026, 2, 10)


def test_every_problem_is_reported_at_once_by_field_and_nothing_is_written(
    db: sa.Engine,
) -> None:
    before = _counts(db)
    bad = order(
        "TT-BAD",
        ("SKU-404", 1, 5.0),
        ("SKU-004", 0, 15.0),
        ("SKU-001", 2, -1.0),
        ("SKU-001", 1, 39.99),
        region_id="XX",
        channel="tv",
        event_id="EV-NONE",
    )
    with pytest.raises(InvalidOrderError) as refused:
        place(db, bad)
    assert [str(p) for p in refused.value.problems] == [
        "channel: must be one of shop, video, live_stream, got 'tv'",
        "lines[2].quantity_units: must be a whole number >= 1, got 0",
        "lines[3].unit_price_usd: must be >= 0, got -1.0",
        "lines[4].sku_id: SKU-001 is also on line 3: one line per SKU (add the units up)",
        "region_id: unknown region 'XX'",
        "event_id: unknown sales event 'EV-NONE'",
        "lines[1].sku_id: unknown SKU 'SKU-404'",
        "lines[2].sku_id: SKU-004 is discontinued, no longer sold",
    ]
    assert str(refused.value).startswith("order 'TT-BAD' refused, nothing was written: 8 problems")
    assert _counts(db) == before


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        (PlaceOrder("TT-E", "shop", NOW, "NYC", ()), "lines: an order needs at least one line"),
        (order("", ("SKU-001", 1, 1.0)), "external_order_id: must have 1 to 64 characters, got ''"),
        (
            order("TT-Q", ("SKU-001", 1.5, 1.0)),
            "lines[1].quantity_units: must be a whole number >= 1, got 1.5",
        ),
        (
            order("TT-F", ordered_at=NOW + dt.timedelta(hours=1)),
            "ordered_at: 2026-01-28 10:30:00 is in the future",
        ),
        (
            order("TT-D", promised_delivery_date=dt.date(2026, 1, 29)),
            "promised_delivery_date: 2026-01-29 is before the promised dispatch date 2026-01-30",
        ),
    ],
)
def test_each_rule_names_its_field(db: sa.Engine, command: PlaceOrder, problem: str) -> None:
    before = _counts(db)
    with pytest.raises(InvalidOrderError) as refused:
        place(db, command)
    assert [str(p) for p in refused.value.problems] == [problem]
    assert _counts(db) == before


def test_a_region_no_carrier_serves_needs_a_promised_date(db: sa.Engine) -> None:
    with db.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO regions VALUES ('HNL', 'Honolulu', 'US', 21.3, -157.9, 1)")
        )
    with pytest.raises(InvalidOrderError) as refused:
        place(db, order("TT-9007", region_id="HNL"))
    assert [str(p) for p in refused.value.problems] == [
        "promised_delivery_date: no carrier service delivers this order to region HNL; "
        "give the date the buyer was promised"
    ]
    kept = place(db, order("TT-9007", region_id="HNL", promised_delivery_date=dt.date(2026, 2, 9)))
    assert kept.promised_delivery_date == dt.date(2026, 2, 9)


def test_the_same_order_twice_is_stored_once(db: sa.Engine) -> None:
    first = place(db, order("TT-9005", ("SKU-001", 2, 39.99)))
    again = place(db, order("TT-9005", ("SKU-001", 2, 39.99)))
    assert (first.created, again.created) == (True, False)
    assert again.order_id == first.order_id
    assert again.promised_delivery_date == first.promised_delivery_date
    assert _counts(db) == (5, 9)


def test_the_same_id_with_other_content_is_refused(db: sa.Engine) -> None:
    place(db, order("TT-9006", ("SKU-001", 2, 39.99)))
    with pytest.raises(OrderConflictError) as refused:
        place(db, order("TT-9006", ("SKU-001", 3, 39.99), region_id="LAX"))
    assert str(refused.value) == (
        "order TT-9006 was placed already (order #5) with other region_id NYC (now LAX), lines"
    )
    assert _counts(db) == (5, 9)


# --- reservation ----------------------------------------------------------------------------


def test_placing_with_reserve_holds_the_nearest_stock_that_covers_each_line(
    db: sa.Engine,
) -> None:
    placed = place(db, order("TT-9010", ("SKU-001", 5, 39.99), ("SKU-003", 2, 9.9)), reserve=True)

    assert placed.status is OrderStatus.ALLOCATED
    assert placed.reservation is not None
    assert placed.reservation.reserved_units == 7
    # SKU-001 from WH-NJ next door; SKU-003 only WH-LA has
    assert _lines(db, placed.order_id) == [
        (1, "SKU-001", "reserved", "WH-NJ", None),
        (2, "SKU-003", "reserved", "WH-LA", None),
    ]
    assert (_available(db, "SKU-001", "WH-NJ"), _available(db, "SKU-003", "WH-LA")) == (60, 441)


def test_a_line_no_warehouse_covers_stays_open_and_the_order_too(db: sa.Engine) -> None:
    placed = place(db, order("TT-9011", ("SKU-002", 20, 12.5), ("SKU-001", 1, 39.99)), reserve=True)

    assert placed.status is OrderStatus.OPEN
    assert placed.reservation is not None
    (short,) = placed.reservation.short_lines
    assert (short.line_no, short.reason) == (
        1,
        "9 of 20 units of SKU-002 available at any warehouse (most: WH-NJ)",
    )
    assert [x[2] for x in _lines(db, placed.order_id)] == ["open", "reserved"]
    assert _available(db, "SKU-002", "WH-NJ") == 9


def test_reserving_later_takes_the_stock_that_arrived(db: sa.Engine) -> None:
    placed = place(db, order("TT-9012", ("SKU-002", 12, 12.5)))
    outcome = service.reserve_order(placed.order_id, SqlUnitOfWork(db))
    assert (outcome.status, outcome.reserved_units) == (OrderStatus.OPEN, 0)
    with db.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO inventory_movements VALUES "
                "(99, 'SKU-002', 'WH-NJ', 'adjustment', 5, '2026-01-28 10:00:00', NULL, NULL)"
            )
        )
    outcome = service.reserve_order(placed.order_id, SqlUnitOfWork(db))
    assert (outcome.status, outcome.reserved_units) == (OrderStatus.ALLOCATED, 12)
    assert _available(db, "SKU-002", "WH-NJ") == 2


def test_an_allocation_can_choose_the_warehouse_of_a_line(db: sa.Engine) -> None:
    placed = place(db, order("TT-9013", ("SKU-001", 10, 39.99)))
    outcome = service.reserve_order(
        placed.order_id, SqlUnitOfWork(db), warehouse_for_line={1: "WH-LA"}
    )
    assert outcome.status is OrderStatus.ALLOCATED
    assert _lines(db, placed.order_id)[0][3] == "WH-LA"
    with pytest.raises(UnknownOrderError, match=r"warehouse_for_line\[1\]: no warehouse 'WH-X'"):
        service.reserve_order(placed.order_id, SqlUnitOfWork(db), warehouse_for_line={1: "WH-X"})


def test_reserve_lines_reserves_what_stock_allows_in_the_order_given(db: sa.Engine) -> None:
    a = place(db, order("TT-9014", ("SKU-002", 6, 12.5)))
    b = place(db, order("TT-9015", ("SKU-002", 6, 12.5)))
    assignments = pl.DataFrame(
        {
            "order_id": [a.order_id, b.order_id, 3, 99],
            "line_no": [1, 1, 2, 1],
            "warehouse_id": ["WH-NJ", "WH-NJ", "WH-NJ", "WH-NJ"],
        }
    )
    with SqlUnitOfWork(db) as uow:
        result = service.reserve_lines(uow.frames.connection, assignments)
        uow.commit()
    assert result.select("order_id", "reserved", "reason").rows() == [
        (a.order_id, True, None),
        (b.order_id, False, "3 of 6 units of SKU-002 available at WH-NJ"),
        (3, False, "the line is cancelled, not open"),
        (99, False, "no such order line"),
    ]
    assert _rows(db, "SELECT status FROM orders WHERE order_id = :o", o=a.order_id) == [
        ("allocated",)
    ]
    assert _available(db, "SKU-002", "WH-NJ") == 3


# --- cancellation ---------------------------------------------------------------------------


def test_cancelling_releases_the_reserved_stock_and_keeps_the_warehouse(db: sa.Engine) -> None:
    placed = place(db, order("TT-9020", ("SKU-001", 5, 39.99), ("SKU-002", 2, 12.5)), reserve=True)
    assert _available(db, "SKU-001", "WH-NJ") == 60

    outcome = service.cancel_order(CancelOrder("TT-9020", CancelReason.CUSTOMER), SqlUnitOfWork(db))

    assert (outcome.changed, outcome.status, outcome.released_units) == (
        True,
        OrderStatus.CANCELLED,
        7,
    )
    assert _lines(db, placed.order_id) == [
        (1, "SKU-001", "cancelled", "WH-NJ", "customer"),
        (2, "SKU-002", "cancelled", "WH-NJ", "customer"),
    ]
    assert (_available(db, "SKU-001", "WH-NJ"), _available(db, "SKU-002", "WH-NJ")) == (65, 9)


def test_cancelling_a_cancelled_order_changes_nothing_and_says_so(db: sa.Engine) -> None:
    place(db, order("TT-9021"), reserve=True)
    command = CancelOrder("TT-9021", CancelReason.FRAUD)
    service.cancel_order(command, SqlUnitOfWork(db))
    again = service.cancel_order(command, SqlUnitOfWork(db))
    assert (again.changed, again.released_units, again.already_cancelled_line_nos) == (
        False,
        0,
        (1,),
    )
    assert (
        again.message
        == "order TT-9021 (#5) was cancelled already: nothing changed; order cancelled"
    )
    assert _available(db, "SKU-002", "WH-NJ") == 9


def test_cancelling_one_line_leaves_the_rest_allocated(db: sa.Engine) -> None:
    placed = place(db, order("TT-9022", ("SKU-001", 5, 39.99), ("SKU-002", 2, 12.5)), reserve=True)
    outcome = service.cancel_order(
        CancelOrder("TT-9022", CancelReason.STOCKOUT, (2,)), SqlUnitOfWork(db)
    )
    assert (outcome.cancelled_line_nos, outcome.status) == ((2,), OrderStatus.ALLOCATED)
    assert [x[2] for x in _lines(db, placed.order_id)] == ["reserved", "cancelled"]
    assert _available(db, "SKU-002", "WH-NJ") == 9


def test_lines_picked_or_shipped_cannot_be_cancelled(db: sa.Engine) -> None:
    placed = place(db, order("TT-9023", ("SKU-001", 1, 39.99), ("SKU-002", 1, 12.5)), reserve=True)
    with db.begin() as conn:
        conn.execute(
            sa.text("UPDATE order_lines SET status = 'picked' WHERE order_id = :o AND line_no = 2"),
            {"o": placed.order_id},
        )
    with pytest.raises(CancelRefusedError) as refused:
        service.cancel_order(CancelOrder("TT-9023", CancelReason.CUSTOMER), SqlUnitOfWork(db))
    assert str(refused.value) == (
        "order TT-9023 not cancelled: line 2 is picked (its units left the shelf); "
        "nothing was cancelled"
    )
    assert [x[2] for x in _lines(db, placed.order_id)] == ["reserved", "picked"]
    # the factory's order 1 was shipped
    with pytest.raises(CancelRefusedError, match="line 1 is shipped, line 2 is shipped"):
        service.cancel_order(CancelOrder("TT-5790001", CancelReason.OTHER), SqlUnitOfWork(db))


def test_unknown_orders_and_lines_are_named(db: sa.Engine) -> None:
    with pytest.raises(UnknownOrderError, match="external_order_id: no order 'TT-0'"):
        service.cancel_order(CancelOrder("TT-0", CancelReason.OTHER), SqlUnitOfWork(db))
    with pytest.raises(
        UnknownOrderError, match=r"line_nos: order TT-5790002 has no line 7 \(lines: 1, 2, 3\)"
    ):
        service.cancel_order(CancelOrder("TT-5790002", CancelReason.OTHER, (7,)), SqlUnitOfWork(db))
