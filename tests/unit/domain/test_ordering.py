"""Order intake rules, the order status a shop manager reads from its lines, and the choice of
warehouse for each line, checked by hand and against a plain loop."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from shopops.domain.catalog import SkuStatus
from shopops.domain.ordering import (
    CancelOutcome,
    InvalidOrderError,
    KnownReferences,
    LineStatus,
    LineToReserve,
    OrderLineRequest,
    PlaceOrder,
    StoredLine,
    StoredOrder,
    order_status,
    plan_reservations,
)
from shopops.domain.orders import OrderStatus

NOW = dt.datetime(2026, 1, 28, 9, 30)
KNOWN = KnownReferences(
    region_ids=frozenset({"NYC"}),
    event_ids=frozenset({"EV-BF"}),
    sku_statuses={"SKU-1": SkuStatus.ACTIVE, "SKU-OLD": SkuStatus.DISCONTINUED},
)


def _order(*lines: OrderLineRequest, **fields: object) -> PlaceOrder:
    values: dict[str, object] = {
        "external_order_id": "TT-1",
        "channel": "shop",
        "ordered_at": NOW,
        "region_id": "NYC",
        "lines": lines or (OrderLineRequest("SKU-1", 1, 9.9),),
    }
    return PlaceOrder(**(values | fields))  # type: ignore[arg-type]


def _problems(command: PlaceOrder) -> list[str]:
    return [str(p) for p in command.problems(NOW) + command.reference_problems(KNOWN)]


def test_a_good_order_has_no_problem() -> None:
    assert _problems(_order(event_id="EV-BF", customer_id="C-1")) == []


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (
            (OrderLineRequest("SKU-1", 0, 1.0),),
            "lines[1].quantity_units: must be a whole number >= 1, got 0",
        ),
        (
            (OrderLineRequest("SKU-1", -2, 1.0),),
            "lines[1].quantity_units: must be a whole number >= 1, got -2",
        ),
        (
            (OrderLineRequest("SKU-1", True, 1.0),),
            "lines[1].quantity_units: must be a whole number >= 1, got True",
        ),  # type: ignore[arg-type]
        (
            (OrderLineRequest("SKU-1", 1, -0.01),),
            "lines[1].unit_price_usd: must be >= 0, got -0.01",
        ),
        (
            (OrderLineRequest("SKU-1", 1, float("nan")),),
            "lines[1].unit_price_usd: must be a number >= 0, got nan",
        ),
        ((OrderLineRequest("SKU-9", 1, 1.0),), "lines[1].sku_id: unknown SKU 'SKU-9'"),
        (
            (OrderLineRequest("SKU-OLD", 1, 1.0),),
            "lines[1].sku_id: SKU-OLD is discontinued, no longer sold",
        ),
        (
            (OrderLineRequest("SKU-1", 1, 1.0), OrderLineRequest("SKU-1", 2, 1.0)),
            "lines[2].sku_id: SKU-1 is also on line 1: one line per SKU (add the units up)",
        ),
    ],
)
def test_each_line_rule_names_the_line_and_field(
    lines: tuple[OrderLineRequest, ...], problem: str
) -> None:
    assert _problems(_order(*lines)) == [problem]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"channel": "tv"}, "channel: must be one of shop, video, live_stream, got 'tv'"),
        ({"region_id": "MARS"}, "region_id: unknown region 'MARS'"),
        ({"event_id": "EV-X"}, "event_id: unknown sales event 'EV-X'"),
        ({"external_order_id": " "}, "external_order_id: must have 1 to 64 characters, got ' '"),
        ({"customer_id": "c" * 65}, f"customer_id: must have 1 to 64 characters, got {'c' * 65!r}"),
        ({"lines": ()}, "lines: an order needs at least one line"),
        (
            {"ordered_at": NOW + dt.timedelta(minutes=6)},
            "ordered_at: 2026-01-28 09:36:00 is in the future",
        ),
    ],
)
def test_each_order_rule_names_its_field(fields: dict[str, object], problem: str) -> None:
    assert _problems(_order(**fields)) == [problem]


def test_a_clock_a_few_minutes_ahead_is_not_the_future() -> None:
    assert _problems(_order(ordered_at=NOW + dt.timedelta(minutes=5))) == []


def test_times_with_a_zone_are_stored_in_utc() -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    command = _order(ordered_at=dt.datetime(2026, 1, 28, 17, 30, tzinfo=shanghai))
    assert command.ordered_at_utc == NOW


def test_the_refusal_lists_every_problem() -> None:
    error = InvalidOrderError("TT-1", _order(channel="tv").problems(NOW))
    assert str(error) == (
        "order 'TT-1' refused, nothing was written: 1 problem\n"
        "  channel: must be one of shop, video, live_stream, got 'tv'"
    )


def _stored(command: PlaceOrder) -> StoredOrder:
    return StoredOrder(
        order_id=7,
        external_order_id=command.external_order_id,
        channel=command.channel,
        ordered_at=command.ordered_at,
        region_id=command.region_id,
        customer_id=command.customer_id,
        status=OrderStatus.OPEN,
        promised_dispatch_date=dt.date(2026, 1, 30),
        promised_delivery_date=dt.date(2026, 2, 3),
        event_id=command.event_id,
        lines=tuple(
            StoredLine(n, x.sku_id, x.quantity_units, x.unit_price_usd, LineStatus.OPEN, None, None)
            for n, x in enumerate(command.lines, start=1)
        ),
    )


def test_an_order_sent_again_is_compared_field_by_field() -> None:
    command = _order(OrderLineRequest("SKU-1", 2, 9.9))
    stored = _stored(command)
    assert command.differences(stored) == []
    # a promise ShopOps made is not a difference when the marketplace sends none
    assert _order(OrderLineRequest("SKU-1", 2, 9.9)).differences(stored) == []
    other = _order(OrderLineRequest("SKU-1", 3, 9.9), channel="video")
    assert other.differences(stored) == ["channel shop (now video)", "lines"]
    promised = _order(OrderLineRequest("SKU-1", 2, 9.9), promised_delivery_date=dt.date(2026, 2, 5))
    assert promised.differences(stored) == ["promised_delivery_date 2026-02-03 (now 2026-02-05)"]


S = LineStatus


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        ((S.OPEN, S.RESERVED), OrderStatus.OPEN),
        ((S.RESERVED, S.PICKED, S.CANCELLED), OrderStatus.ALLOCATED),
        ((S.CANCELLED, S.CANCELLED), OrderStatus.CANCELLED),
        ((S.SHIPPED, S.RESERVED), OrderStatus.PARTIALLY_SHIPPED),
        ((S.SHIPPED, S.CANCELLED), OrderStatus.SHIPPED),
        ((), OrderStatus.CANCELLED),
    ],
)
def test_the_order_status_follows_its_lines(
    lines: tuple[LineStatus, ...], status: OrderStatus
) -> None:
    assert order_status(lines) is status


def test_cancel_outcomes_say_what_happened() -> None:
    done = CancelOutcome(5, "TT-1", OrderStatus.ALLOCATED, (2,), 3)
    assert done.message == (
        "order TT-1 (#5): line(s) 2 cancelled, 3 reserved units released; order allocated"
    )
    assert CancelOutcome(5, "TT-1", OrderStatus.CANCELLED, (), 0, (1, 2)).changed is False


def test_each_line_goes_to_the_first_warehouse_that_covers_it_whole() -> None:
    lines = [LineToReserve(1, 1, "A", 5), LineToReserve(1, 2, "B", 2), LineToReserve(2, 1, "A", 4)]
    near_first = ["WH-NEAR", "WH-FAR"]
    candidates = {(1, 1): near_first, (1, 2): near_first, (2, 1): near_first}
    available = {("A", "WH-NEAR"): 6, ("A", "WH-FAR"): 3, ("B", "WH-FAR"): 2}

    planned = plan_reservations(lines, candidates, available)

    # A: 5 of the 6 near; B only far; the second A line finds 1 near and 3 far: short
    assert [(p.line_no, p.warehouse_id, p.reserved) for p in planned] == [
        (1, "WH-NEAR", True),
        (2, "WH-FAR", True),
        (1, None, False),
    ]
    assert planned[2].reason == "3 of 4 units of A available at any warehouse (most: WH-FAR)"


def test_a_line_bound_to_a_warehouse_waits_for_stock_there() -> None:
    planned = plan_reservations(
        [LineToReserve(1, 1, "A", 2)], {(1, 1): ["WH-FAR"]}, {("A", "WH-NEAR"): 9}
    )
    assert planned[0].reason == "0 of 2 units of A available at WH-FAR"
    nowhere = plan_reservations([LineToReserve(1, 1, "A", 2)], {}, {("A", "WH-NEAR"): 9})
    assert nowhere[0].reason == "no warehouse ships to the order's region"


def test_reservations_never_exceed_the_stock_against_a_plain_count() -> None:
    rng = random.Random(11)
    warehouses = ["W1", "W2", "W3"]
    for _ in range(300):
        lines = [
            LineToReserve(n, 1, rng.choice("AB"), rng.randint(1, 4))
            for n in range(rng.randint(1, 8))
        ]
        candidates = {(x.order_id, 1): rng.sample(warehouses, rng.randint(1, 3)) for x in lines}
        available = {(sku, w): rng.randint(0, 6) for sku, w in itertools.product("AB", warehouses)}
        planned = plan_reservations(lines, candidates, available)

        taken: dict[tuple[str, str], int] = {}
        for line, plan in zip(lines, planned, strict=True):
            if plan.reserved:
                assert plan.warehouse_id in candidates[(line.order_id, 1)]
                key = (line.sku_id, plan.warehouse_id or "")
                taken[key] = taken.get(key, 0) + line.quantity_units
            else:  # short only when no candidate had enough left at its turn
                left = {k: available[k] - taken.get(k, 0) for k in available}
                assert all(
                    left[(line.sku_id, w)] < line.quantity_units
                    for w in candidates[(line.order_id, 1)]
                )
        assert all(units <= available[key] for key, units in taken.items())
