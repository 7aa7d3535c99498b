"""The dates an order is promised, worked out on a calendar: dispatch, and delivery as the
cheapest option the checkout page would show."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.order_dates import (
    business_days_after,
    promised_delivery_date,
    promised_dispatch_date,
)
from shopops.planning.promise import PromiseReference

# January 2026: Wednesday 14, Friday 16, Saturday 17, Sunday 18, Monday 19, ... Friday 23.


@pytest.mark.parametrize(
    ("ordered_at", "dispatch_by"),
    [
        (dt.datetime(2026, 1, 14, 15, 59), dt.date(2026, 1, 16)),  # Wed before 16:00: Fri
        (dt.datetime(2026, 1, 14, 16, 0), dt.date(2026, 1, 19)),  # Wed at 16:00 counts from Thu
        (dt.datetime(2026, 1, 16, 9, 0), dt.date(2026, 1, 20)),  # Fri morning: Tue
        (dt.datetime(2026, 1, 16, 23, 0), dt.date(2026, 1, 21)),  # Fri night: from Mon, Wed
        (dt.datetime(2026, 1, 17, 10, 0), dt.date(2026, 1, 21)),  # Saturday: from Mon, Wed
    ],
)
def test_dispatch_is_two_business_days_from_the_day_that_counts(
    ordered_at: dt.datetime, dispatch_by: dt.date
) -> None:
    assert (
        promised_dispatch_date(ordered_at, latest_cutoff_hour=16, dispatch_business_days=2)
        == dispatch_by
    )


def test_a_promise_on_a_weekend_rolls_to_monday_first() -> None:
    assert business_days_after(dt.date(2026, 1, 17), 0) == dt.date(2026, 1, 19)
    assert business_days_after(dt.date(2026, 1, 16), 1) == dt.date(2026, 1, 19)


def _reference() -> PromiseReference:
    """W-EAST (cut-off 14:00) is zone 1 from region R1, W-WEST (cut-off 12:00) zone 5; R2 is
    reached from W-WEST in zone 8 only, where no service goes. No fuel surcharge; handling
    1.00 a parcel + 0.50 a unit beyond the first. ECO (economy): 4.00 in zone 1, 6.00 in
    zone 5, up to 2 kg, in 3 and 6 days; STD (standard): 6.00 and 8.00 up to 5 kg, 1 and 2
    days; AIR (next day): 12.00 in zone 1 up to 1 kg, 1 day. SKU S weighs 0.5 kg, T 1 kg."""
    services = pl.DataFrame(
        {
            "service_id": ["AIR", "ECO", "STD"],
            "fuel_surcharge_rate": [0.0, 0.0, 0.0],
            "dim_divisor_cm3_per_kg": [5000.0, 5000.0, 5000.0],
            "max_weight_kg": [30.0, 30.0, 30.0],
            "daily_pickup_capacity_parcels": [100, 100, 100],
        }
    )
    cards = pl.DataFrame(
        {
            "service_id": ["AIR", "ECO", "ECO", "STD", "STD"],
            "zone": [1, 1, 5, 1, 5],
            "max_weight_kg": [1.0, 2.0, 2.0, 5.0, 5.0],
            "rate_usd": [12.0, 4.0, 6.0, 6.0, 8.0],
        }
    )
    transit = pl.DataFrame(
        {
            "service_id": ["AIR", "ECO", "ECO", "STD", "STD"],
            "zone": [1, 1, 5, 1, 5],
            "transit_days": [1, 3, 6, 1, 2],
        }
    )
    return PromiseReference.from_frames(
        warehouses=pl.DataFrame(
            {
                "warehouse_id": ["W-EAST", "W-WEST"],
                "order_cutoff_hour": [14, 12],
                "handling_cost_usd_per_order": [1.0, 1.0],
                "handling_cost_usd_per_unit": [0.5, 0.5],
            }
        ),
        shipping_zones=pl.DataFrame(
            {
                "warehouse_id": ["W-EAST", "W-WEST", "W-WEST"],
                "region_id": ["R1", "R1", "R2"],
                "zone": [1, 5, 8],
            }
        ),
        skus=pl.DataFrame(
            {
                "sku_id": ["S", "T"],
                "weight_kg": [0.5, 1.0],
                "length_cm": [10.0, 10.0],
                "width_cm": [10.0, 10.0],
                "height_cm": [10.0, 10.0],
            }
        ),
        rates=RateTable.from_frames(services, cards, transit),
    )


WEDNESDAY_10AM = dt.datetime(2026, 1, 14, 10, 0)
FRIDAY = dt.date(2026, 1, 16)


def _promise(
    lines: dict[str, int],
    stock: list[tuple[str, str, int]],
    *,
    region_id: str = "R1",
    ordered_at: dt.datetime = WEDNESDAY_10AM,
    dispatch_date: dt.date = FRIDAY,
) -> dt.date | None:
    cart = pl.DataFrame({"sku_id": list(lines), "quantity_units": list(lines.values())})
    available = pl.DataFrame(
        stock, schema=["sku_id", "warehouse_id", "available_units"], orient="row"
    )
    return promised_delivery_date(
        cart, region_id, ordered_at, available, _reference(), dispatch_date=dispatch_date
    )


def test_the_cheapest_option_sets_the_date_not_the_fastest() -> None:
    # W-EAST ships Wednesday (before 14:00). ECO 5.00 in 3 days: Monday 19; STD 7.00 and
    # AIR 13.00 arrive Thursday 15 but cost more.
    assert _promise({"S": 1}, [("S", "W-EAST", 5)]) == dt.date(2026, 1, 19)


def test_the_shipping_warehouses_own_cutoff_counts() -> None:
    # only W-WEST holds T: ECO zone 5, 6.00 in 6 days. At 10:00 it ships Wednesday:
    # Thursday 22; at 13:00, past its 12:00 cut-off, Thursday 15: Friday 23.
    assert _promise({"T": 1}, [("T", "W-WEST", 3)]) == dt.date(2026, 1, 22)
    one_pm = dt.datetime(2026, 1, 14, 13, 0)
    assert _promise({"T": 1}, [("T", "W-WEST", 3)], ordered_at=one_pm) == dt.date(2026, 1, 23)


def test_a_line_no_warehouse_holds_is_promised_as_if_every_warehouse_held_it() -> None:
    # 3 of S wanted, at most 2 in one warehouse: promised from W-EAST, ECO: Monday 19
    assert _promise({"S": 3}, [("S", "W-EAST", 1), ("S", "W-WEST", 2)]) == dt.date(2026, 1, 19)
    # T, in stock at W-WEST only, keeps its place: the whole cart (2 kg) from W-WEST, by ECO
    # (6.00 + 2.00 handling, less than STD's 8.00 + 2.00): Thursday 22
    held_west = [("S", "W-EAST", 1), ("S", "W-WEST", 1), ("T", "W-WEST", 1)]
    assert _promise({"S": 2, "T": 1}, held_west) == dt.date(2026, 1, 22)


def test_a_cart_no_service_takes_as_one_parcel_is_promised_unit_by_unit() -> None:
    # 12 x 0.5 kg = 6 kg: beyond every service's last band. One unit of S: ECO, Monday 19;
    # one of T (1 kg): ECO from W-WEST, Thursday 22. The cart arrives with the last.
    stock = [("S", "W-EAST", 20), ("T", "W-WEST", 5)]
    assert _promise({"S": 12}, stock) == dt.date(2026, 1, 19)
    assert _promise({"S": 12, "T": 1}, stock) == dt.date(2026, 1, 22)


def test_a_promise_is_never_before_the_dispatch_date() -> None:
    stock = [("S", "W-EAST", 5)]
    assert _promise({"S": 1}, stock, dispatch_date=dt.date(2026, 1, 20)) == dt.date(2026, 1, 20)


def test_no_promise_where_no_service_reaches_the_region() -> None:
    assert _promise({"T": 1}, [("T", "W-WEST", 3)], region_id="R2") is None
    assert _promise({"T": 1}, [("T", "W-WEST", 3)], region_id="NOWHERE") is None
