"""The dates an order is promised, worked out on a calendar, and the service they rest on."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.order_dates import (
    business_days_after,
    cheapest_transit_days,
    promised_dispatch_date,
)

# January 2026: Friday 16, Saturday 17, Sunday 18, Monday 19, Tuesday 20, Wednesday 21.


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


def _rates() -> RateTable:
    """ECO: economy, 4.00 + 5 % up to 2 kg, 4 days. STD: standard, 5.00 + 10 % up to 1 kg and
    8.00 + 10 % up to 10 kg, 2 days. AIR: next day, cheap but not promised. Zone 3 only."""
    services = pl.DataFrame(
        {
            "service_id": ["AIR", "ECO", "STD"],
            "service_level": ["next_day", "economy", "standard"],
            "fuel_surcharge_rate": [0.0, 0.05, 0.10],
            "dim_divisor_cm3_per_kg": [5000.0, 5000.0, 5000.0],
            "max_weight_kg": [30.0, 2.0, 30.0],
            "daily_pickup_capacity_parcels": [100, 100, 100],
        }
    )
    cards = pl.DataFrame(
        {
            "service_id": ["AIR", "ECO", "STD", "STD"],
            "zone": [3, 3, 3, 3],
            "max_weight_kg": [30.0, 2.0, 1.0, 10.0],
            "rate_usd": [1.0, 4.0, 5.0, 8.0],
        }
    )
    transit = pl.DataFrame(
        {"service_id": ["AIR", "ECO", "STD"], "zone": [3, 3, 3], "transit_days": [1, 4, 2]}
    )
    return RateTable.from_frames(services, cards, transit)


LEVELS = {"AIR": "next_day", "ECO": "economy", "STD": "standard"}


def test_the_cheapest_standard_or_economy_service_sets_the_transit() -> None:
    rates = _rates()
    # 0.5 kg: ECO 4.20 < STD 5.50 -> 4 days (AIR is cheaper still, but next-day is not promised)
    assert cheapest_transit_days(rates, LEVELS, 3, 0.5, 1000.0) == 4
    # 1.5 kg: ECO 4.20 < STD 8.80 -> 4 days; 3 kg: ECO refuses it -> STD, 2 days
    assert cheapest_transit_days(rates, LEVELS, 3, 1.5, 1000.0) == 4
    assert cheapest_transit_days(rates, LEVELS, 3, 3.0, 1000.0) == 2
    # 0.5 kg but 15,000 cm3: billable 3 kg -> STD
    assert cheapest_transit_days(rates, LEVELS, 3, 0.5, 15_000.0) == 2


def test_no_promise_where_no_such_service_has_a_transit_time() -> None:
    rates = _rates()
    assert cheapest_transit_days(rates, LEVELS, 5, 0.5, 1000.0) is None
    assert cheapest_transit_days(rates, {"AIR": "next_day"}, 3, 0.5, 1000.0) is None


def test_a_parcel_no_service_accepts_goes_with_the_fastest_that_reaches_the_zone() -> None:
    assert cheapest_transit_days(_rates(), LEVELS, 3, 50.0, 1000.0) == 2
