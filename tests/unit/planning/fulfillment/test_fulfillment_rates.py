"""The rate table and the parcel cost, worked by hand; bad input is refused with its field."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from fulfillment_cases import MONDAY, Case, Service
from test_fulfillment_hand_worked import EXPRESS, GROUND, RULES, network

from shopops.planning.fulfillment import allocate_orders
from shopops.planning.fulfillment.rates import NOT_SERVED, billable_weight_kg


def rates():  # type: ignore[no-untyped-def]
    partial = Service("PART", ((1.0, (4.0,) * 8),), (1, 1, 0, 0, 0, 0, 0, 0), max_weight_kg=5.0)
    return Case([GROUND, EXPRESS, partial], [], [], [], [], [], []).rates()


def test_billable_weight_is_the_larger_of_actual_and_volume_over_divisor() -> None:
    # 30 x 20 x 10 cm = 6000 cm3 / 5000 = 1.2 kg > 0.5 kg; 1000 cm3 -> 0.2 kg < 0.5 kg.
    billable = billable_weight_kg(np.array([0.5, 0.5]), np.array([6000.0, 1000.0]), 5000.0)
    assert billable.tolist() == pytest.approx([1.2, 0.5])


def test_band_is_the_first_whose_limit_holds_the_billable_weight_plus_fuel() -> None:
    table = rates()
    ground, express = table.index(["GRD", "EXP"])
    service = np.array([ground, ground, ground, express])
    zone = np.array([2, 2, 5, 5])
    weight = np.array([1.0, 1.01, 9.5, 9.5])
    billable, price = table.parcel_cost_usd(service, zone, weight, np.zeros(4))
    assert billable.tolist() == pytest.approx([1.0, 1.01, 9.5, 9.5])
    # Ground zone 2: 7 up to 1 kg, 10 above, +10 % fuel; zone 5 band 10 kg: 13 + 10 %.
    # Express zone 5 band 10 kg: 19, no fuel.
    assert price.tolist() == pytest.approx([7.7, 11.0, 14.3, 19.0])


def test_a_parcel_too_heavy_for_the_service_or_its_bands_has_no_price() -> None:
    table = rates()
    ground, part = table.index(["GRD", "PART"])
    service = np.array([ground, part, part])
    _, price = table.parcel_cost_usd(service, np.array([1, 1, 1]), np.array([10.5, 1.5, 0.5]), 0.0)
    assert np.isnan(price[0])  # beyond ground's last band (10 kg)
    assert np.isnan(price[1])  # beyond PART's only band (1 kg)
    assert price[2] == pytest.approx(4.0)


def test_transit_days_and_zones_a_service_does_not_serve() -> None:
    table = rates()
    ground, part = table.index(["GRD", "PART"])
    assert table.transit(np.array([ground, ground, part]), np.array([1, 8, 3])).tolist() == [
        1,
        4,
        NOT_SERVED,
    ]


@pytest.mark.parametrize(
    ("frame", "change", "message"),
    [
        ("orders", lambda f: f.drop("region_id"), "region_id"),
        ("lines", lambda f: f.drop("quantity_units"), "quantity_units"),
        ("lines", lambda f: f.with_columns(pl.lit(0).alias("quantity_units")), "quantity_units"),
        ("skus", lambda f: f.drop("weight_kg"), "weight_kg"),
        ("stock", lambda f: f.with_columns(pl.lit("WX").alias("warehouse_id")), "WX"),
        (
            "warehouses",
            lambda f: f.drop("handling_cost_usd_per_unit"),
            "handling_cost_usd_per_unit",
        ),
        ("zones", lambda f: f.with_columns(pl.lit(9).alias("zone")), "zone"),
        ("lines", lambda f: f.with_columns(pl.lit(7).alias("order_id")), "order_id 7"),
        ("orders", lambda f: pl.concat([f, f]), "order_id"),
    ],
)
def test_bad_input_is_refused_naming_the_field(frame: str, change, message: str) -> None:  # type: ignore[no-untyped-def]
    case = network(orders=[(1, "R1", MONDAY, MONDAY)], lines=[(1, 1, "A", 1)])
    inputs = case.inputs()
    inputs[frame] = change(inputs[frame])
    with pytest.raises(ValueError, match=message):
        allocate_orders(**inputs, rules=RULES)
