"""Carton, weight, service and postage of parcels, each figure worked out by hand.

Rates as in tests/factories.py: zone 1 COL-ECO 4.20 up to 2 kg (fuel 5 %, divisor 6000,
2 days), UPS-GND 5.10 up to 1 kg and 7.40 up to 5 kg (fuel 12 %, divisor 5000, 1 day),
UPS-NDA 18.00 up to 1 kg; zone 8 only UPS-GND, 9.80 / 15.20, 5 days.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from factories import minimal_marketplace
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.parcels import ALLOCATED, CHEAPEST_ON_TIME, FASTEST, plan_parcels

THURSDAY = dt.date(2026, 1, 15)
POLY_M = ("POLY-M", "poly_bag", 40.0, 30.0, 8.0, 5.0, 0.03, None)


def _rates() -> RateTable:
    m = minimal_marketplace()
    return RateTable.from_frames(m["carrier_services"], m["rate_cards"], m["transit_times"])


def _cartons(*extra: tuple[object, ...]) -> pl.DataFrame:
    cartons = minimal_marketplace()["cartons"]
    rows = pl.DataFrame(list(extra), schema=cartons.schema, orient="row")
    return pl.concat([cartons, rows])


def _lip_gloss(parcel_id: int = 1, units: int = 4) -> dict[str, object]:
    """SKU-003: 10 x 3 x 3 cm, 0.05 kg, ships in a poly bag."""
    return {
        "parcel_id": parcel_id,
        "length_cm": 10.0,
        "width_cm": 3.0,
        "height_cm": 3.0,
        "weight_kg": 0.05,
        "quantity": units,
        "packaging_type": "poly_bag",
    }


def _lane(
    promised: dt.date, zone: int = 1, allocated: str | None = None, parcel_id: int = 1
) -> dict[str, object]:
    return {
        "parcel_id": parcel_id,
        "zone": zone,
        "ship_date": THURSDAY,
        "promised_delivery_date": promised,
        "allocated_service_id": allocated,
    }


def _plan(items: list[dict[str, object]], lanes: list[dict[str, object]]) -> pl.DataFrame:
    return plan_parcels(
        pl.DataFrame(items),
        pl.DataFrame(lanes, schema_overrides={"allocated_service_id": pl.String}),
        _cartons(POLY_M),
        _rates(),
        packing_volume_factor=1.2,
    )


def test_cheapest_service_arriving_by_the_promise_prices_the_bag_by_its_volume() -> None:
    # 4 x 90 cm3 x 1.2 = 432 cm3 fits the 9,600 cm3 poly bag (a mailer is not its family)
    parcel = _plan([_lip_gloss()], [_lane(dt.date(2026, 1, 20))]).row(0, named=True)
    assert parcel["carton_code"] == "POLY-M"
    assert parcel["weight_kg"] == pytest.approx(4 * 0.05 + 0.03)
    assert parcel["volume_cm3"] == pytest.approx(9_600)
    # COL-ECO: 9600 / 6000 = 1.6 kg billable, 2 kg band 4.20 x 1.05; Thu + 2 days = Mon 19
    assert parcel["service_id"] == "COL-ECO"
    assert parcel["service_choice"] == CHEAPEST_ON_TIME
    assert parcel["billable_weight_kg"] == pytest.approx(1.6)
    assert parcel["shipping_cost_usd"] == pytest.approx(4.41)
    assert parcel["arrival_date"] == dt.date(2026, 1, 19)
    assert parcel["on_time"] is True


def test_a_closer_promise_takes_the_dearer_faster_service_and_none_the_fastest() -> None:
    # UPS-GND: 9600 / 5000 = 1.92 kg, 5 kg band 7.40 x 1.12 = 8.288; arrives Friday 16
    tight = _plan([_lip_gloss()], [_lane(dt.date(2026, 1, 16))]).row(0, named=True)
    assert (tight["service_id"], tight["shipping_cost_usd"]) == ("UPS-GND", 8.29)
    assert tight["billable_weight_kg"] == pytest.approx(1.92)
    late = _plan([_lip_gloss()], [_lane(THURSDAY)]).row(0, named=True)
    assert (late["service_id"], late["service_choice"]) == ("UPS-GND", FASTEST)
    assert (late["arrival_date"], late["on_time"]) == (dt.date(2026, 1, 16), False)


def test_the_allocated_service_wins_when_it_can_carry_the_parcel() -> None:
    lanes = [
        _lane(dt.date(2026, 1, 20), allocated="UPS-GND", parcel_id=1),
        # UPS-NDA only prices up to 1 kg: 1.92 kg billable is refused, so the rule decides
        _lane(dt.date(2026, 1, 20), allocated="UPS-NDA", parcel_id=2),
    ]
    plans = _plan([_lip_gloss(1), _lip_gloss(2)], lanes)
    assert plans.select("service_id", "service_choice").rows() == [
        ("UPS-GND", ALLOCATED),
        ("COL-ECO", CHEAPEST_ON_TIME),
    ]


def test_a_parcel_no_service_carries_has_no_service() -> None:
    # 4 earbuds boxed: the 40 x 30 x 25 box is 30,000 cm3 = 6 kg billable on UPS-GND,
    # beyond its last 5 kg band in zone 8
    earbuds = {
        "parcel_id": 1,
        "length_cm": 12.0,
        "width_cm": 8.0,
        "height_cm": 4.0,
        "weight_kg": 0.15,
        "quantity": 4,
        "packaging_type": "box",
    }
    parcel = _plan([earbuds], [_lane(dt.date(2026, 1, 30), zone=8)]).row(0, named=True)
    assert parcel["carton_code"] == "BOX-M"
    assert parcel["weight_kg"] == pytest.approx(0.6 + 0.22)
    assert parcel["service_id"] is None
    assert parcel["shipping_cost_usd"] is None
