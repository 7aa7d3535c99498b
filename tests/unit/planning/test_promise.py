"""The delivery promise on a two-warehouse network small enough to price by hand.

WH-E (cut-off 14:00, handling 1.00 a parcel + 0.25 a unit beyond the first) is zone 1 from
NYC and zone 8 from LAX; WH-W (cut-off 16:00, 2.00 + 0.50) zone 8 from NYC and 2 from LAX.
GND (fuel 10 %, up to 30 kg) takes 1 / 2 / 5 business days to zones 1 / 2 / 8; AIR (fuel
20 %, up to 10 kg) one day anywhere. Dimensional divisor 5,000 cm3/kg, packing factor 1.2.
SKU A weighs 0.5 kg (1,000 cm3), B 2 kg (4,000 cm3), C 1 kg (1,000 cm3), H 12 kg
(27,000 cm3). 14 January 2026 is a Wednesday.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from shopops.errors import DataError
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.promise import (
    PromiseReference,
    PromiseRules,
    keep_fastest_and_cheapest,
    promise_options,
    ship_from_plans,
)

WED_10 = dt.datetime(2026, 1, 14, 10, 0)
D = dt.date


def _rates() -> RateTable:
    services = pl.DataFrame(
        {
            "service_id": ["AIR", "GND"],
            "fuel_surcharge_rate": [0.20, 0.10],
            "dim_divisor_cm3_per_kg": [5000.0, 5000.0],
            "max_weight_kg": [10.0, 30.0],
            "daily_pickup_capacity_parcels": [500, 5000],
        }
    )
    bands = {
        "GND": {
            1: [(1, 5), (5, 7), (30, 12)],
            2: [(1, 6), (5, 8), (30, 14)],
            8: [(1, 10), (5, 15), (30, 25)],
        },
        "AIR": {1: [(1, 15), (10, 25)], 2: [(1, 18), (10, 30)], 8: [(1, 30), (10, 45)]},
    }
    cards = pl.DataFrame(
        [
            (service, zone, float(kg), float(usd))
            for service, zones in bands.items()
            for zone, rows in zones.items()
            for kg, usd in rows
        ],
        schema=["service_id", "zone", "max_weight_kg", "rate_usd"],
        orient="row",
    )
    transit = pl.DataFrame(
        [("GND", 1, 1), ("GND", 2, 2), ("GND", 8, 5), ("AIR", 1, 1), ("AIR", 2, 1), ("AIR", 8, 1)],
        schema=["service_id", "zone", "transit_days"],
        orient="row",
    )
    return RateTable.from_frames(services, cards, transit)


def _reference(rules: PromiseRules | None = None) -> PromiseReference:
    warehouses = pl.DataFrame(
        {
            "warehouse_id": ["WH-E", "WH-W"],
            "order_cutoff_hour": [14, 16],
            "handling_cost_usd_per_order": [1.0, 2.0],
            "handling_cost_usd_per_unit": [0.25, 0.5],
        }
    )
    zones = pl.DataFrame(
        [("WH-E", "NYC", 1), ("WH-E", "LAX", 8), ("WH-W", "NYC", 8), ("WH-W", "LAX", 2)],
        schema=["warehouse_id", "region_id", "zone"],
        orient="row",
    )
    skus = pl.DataFrame(
        [
            ("A", 0.5, 10.0, 10.0, 10.0),
            ("B", 2.0, 20.0, 20.0, 10.0),
            ("C", 1.0, 10.0, 10.0, 10.0),
            ("H", 12.0, 30.0, 30.0, 30.0),
        ],
        schema=["sku_id", "weight_kg", "length_cm", "width_cm", "height_cm"],
        orient="row",
    )
    return PromiseReference.from_frames(
        warehouses=warehouses, shipping_zones=zones, skus=skus, rates=_rates(), rules=rules
    )


def _cart(*lines: tuple[str, int]) -> pl.DataFrame:
    return pl.DataFrame(list(lines), schema=["sku_id", "quantity_units"], orient="row")


def _stock(*rows: tuple[str, str, int]) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows), schema=["sku_id", "warehouse_id", "available_units"], orient="row"
    )


def _offer(
    cart: pl.DataFrame,
    region: str,
    stock: pl.DataFrame,
    now: dt.datetime = WED_10,
    rules: PromiseRules | None = None,
) -> list[tuple[str, dt.date, float]]:
    promise = promise_options(cart, region, now, stock, _reference(rules))
    assert promise.reason is None
    return promise.options.select("service_id", "delivery_date", "cost_usd").rows()


def test_a_slower_dearer_option_is_dropped_and_the_near_warehouse_ships() -> None:
    promise = promise_options(
        _cart(("A", 1)), "NYC", WED_10, _stock(("A", "WH-E", 5), ("A", "WH-W", 5)), _reference()
    )
    # GND from WH-E: 5.00 x 1.1 + 1.00, Thursday; AIR from WH-E also Thursday at 15 x 1.2 + 1
    assert promise.options.select(
        "service_id", "delivery_date", "cost_usd", "ship_from"
    ).rows() == [("GND", D(2026, 1, 15), 6.50, ["WH-E"])]


def test_before_the_cutoff_the_cart_ships_today() -> None:
    options = _offer(_cart(("A", 1)), "LAX", _stock(("A", "WH-E", 5)))
    # AIR: 30 x 1.2 + 1 arrives Thursday; GND zone 8: 10 x 1.1 + 1, Wednesday + 5 business days
    assert options == [("AIR", D(2026, 1, 15), 37.0), ("GND", D(2026, 1, 21), 12.0)]


def test_after_the_cutoff_the_cart_ships_the_next_business_day() -> None:
    at_14 = dt.datetime(2026, 1, 14, 14, 0)
    options = _offer(_cart(("A", 1)), "LAX", _stock(("A", "WH-E", 5)), now=at_14)
    assert options == [("AIR", D(2026, 1, 16), 37.0), ("GND", D(2026, 1, 22), 12.0)]
    promise = promise_options(_cart(("A", 1)), "LAX", at_14, _stock(("A", "WH-E", 5)), _reference())
    assert promise.options["ship_date"].to_list() == [D(2026, 1, 15)] * 2


def test_the_later_cutoff_of_the_other_warehouse_still_ships_today() -> None:
    at_15 = dt.datetime(2026, 1, 14, 15, 0)
    # WH-W (cut-off 16:00) to LAX, zone 2: AIR 18 x 1.2 + 2 Thursday, GND 6 x 1.1 + 2 Friday
    options = _offer(_cart(("A", 1)), "LAX", _stock(("A", "WH-W", 5)), now=at_15)
    assert options == [("AIR", D(2026, 1, 15), 23.6), ("GND", D(2026, 1, 16), 8.6)]


def test_weekend_orders_ship_on_monday() -> None:
    friday_late = dt.datetime(2026, 1, 16, 15, 0)
    saturday_early = dt.datetime(2026, 1, 17, 9, 0)
    expected = [("AIR", D(2026, 1, 20), 37.0), ("GND", D(2026, 1, 26), 12.0)]
    assert _offer(_cart(("A", 1)), "LAX", _stock(("A", "WH-E", 5)), now=friday_late) == expected
    assert _offer(_cart(("A", 1)), "LAX", _stock(("A", "WH-E", 5)), now=saturday_early) == expected


def test_handling_days_and_holidays_push_the_ship_date() -> None:
    one_day = PromiseRules(handling_business_days=1)
    assert _offer(_cart(("A", 1)), "LAX", _stock(("A", "WH-E", 5)), rules=one_day)[0] == (
        "AIR",
        D(2026, 1, 16),
        37.0,
    )
    holiday = PromiseRules(holidays=(D(2026, 1, 14),))
    assert _offer(_cart(("A", 1)), "LAX", _stock(("A", "WH-E", 5)), rules=holiday)[0] == (
        "AIR",
        D(2026, 1, 16),
        37.0,
    )


def test_a_split_cart_ships_in_two_parcels_and_arrives_with_the_later_one() -> None:
    promise = promise_options(
        _cart(("A", 1), ("B", 1)),
        "NYC",
        WED_10,
        _stock(("A", "WH-W", 3), ("B", "WH-E", 3)),
        _reference(),
    )
    rows = promise.options.select(
        "service_id",
        "delivery_date",
        "parcels",
        "ship_from",
        "shipping_usd",
        "handling_usd",
        "cost_usd",
    ).rows()
    # AIR: A from WH-W zone 8 (30 x 1.2) + B from WH-E zone 1 (2 kg: 25 x 1.2); handling 2 + 1
    # GND: A 10 x 1.1 + B 7 x 1.1 (billable 2 kg); the WH-W parcel takes 5 days
    assert rows == [
        ("AIR", D(2026, 1, 15), 2, ["WH-W", "WH-E"], 66.0, 3.0, 69.0),
        ("GND", D(2026, 1, 21), 2, ["WH-W", "WH-E"], 18.7, 3.0, 21.7),
    ]


def test_a_line_both_warehouses_hold_goes_where_the_split_is_cheaper() -> None:
    cart = _cart(("A", 1), ("B", 1), ("C", 1))
    stock = _stock(("A", "WH-W", 3), ("B", "WH-E", 3), ("C", "WH-E", 3), ("C", "WH-W", 3))
    promise = promise_options(cart, "NYC", WED_10, stock, _reference())
    ground = promise.options.filter(pl.col("service_id") == "GND").row(0, named=True)
    # C with B at WH-E: 3 kg zone 1 = 7.70 + 1.25; A alone at WH-W = 11.00 + 2.00  -> 21.95
    # C with A at WH-W: 1.5 kg zone 8 = 16.50 + 2.50; B alone at WH-E = 7.70 + 1.00 -> 27.70
    assert ground["ship_from"] == ["WH-W", "WH-E", "WH-E"]
    assert ground["cost_usd"] == pytest.approx(21.95)


def test_units_beyond_the_first_add_weight_and_handling() -> None:
    options = _offer(_cart(("A", 3)), "NYC", _stock(("A", "WH-E", 3)))
    # 1.5 kg: GND zone 1 band up to 5 kg, 7 x 1.1; handling 1.00 + 2 x 0.25
    assert options == [("GND", D(2026, 1, 15), 9.2)]


def test_lines_of_the_same_sku_ship_together() -> None:
    merged = _offer(
        _cart(("A", 1), ("B", 1), ("A", 2)), "NYC", _stock(("A", "WH-E", 3), ("B", "WH-E", 1))
    )
    # one parcel of 3 A + 1 B = 3.5 kg: GND zone 1 up to 5 kg, 7 x 1.1; handling 1.00 + 3 x 0.25
    assert merged == [("GND", D(2026, 1, 15), 9.45)]
    too_many = promise_options(
        _cart(("A", 2), ("A", 2)), "NYC", WED_10, _stock(("A", "WH-E", 3)), _reference()
    )
    assert too_many.reason == "not in stock: A: 4 units wanted, at most 3 in one warehouse"


def test_the_zone_of_the_destination_sets_price_and_date() -> None:
    stock = _stock(("B", "WH-E", 3))
    near = _offer(_cart(("B", 1)), "NYC", stock)
    far = _offer(_cart(("B", 1)), "LAX", stock)
    assert near == [("GND", D(2026, 1, 15), 8.7)]
    assert far == [("AIR", D(2026, 1, 15), 55.0), ("GND", D(2026, 1, 21), 17.5)]


def test_a_parcel_too_heavy_for_a_service_is_not_offered_by_it() -> None:
    options = _offer(_cart(("H", 1)), "LAX", _stock(("H", "WH-E", 5)))
    # 12 kg is over AIR's 10 kg; GND zone 8 band up to 30 kg: 25 x 1.1 + 1
    assert options == [("GND", D(2026, 1, 21), 28.5)]
    too_heavy = promise_options(
        _cart(("H", 3)), "LAX", WED_10, _stock(("H", "WH-E", 5)), _reference()
    )
    assert too_heavy.options.is_empty()
    assert too_heavy.reason == "no carrier service takes this cart to region LAX"


def test_nothing_in_stock_gives_no_options_and_says_which_line() -> None:
    promise = promise_options(
        _cart(("B", 1), ("A", 2)),
        "NYC",
        WED_10,
        _stock(("A", "WH-E", 1), ("A", "WH-W", 1), ("B", "WH-E", 4)),
        _reference(),
    )
    assert promise.options.is_empty()
    assert promise.reason == "not in stock: A: 2 units wanted, at most 1 in one warehouse"


def test_bad_carts_and_regions_are_refused_naming_the_line() -> None:
    stock = _stock(("A", "WH-E", 1))
    with pytest.raises(DataError, match="cart line 2: sku_id 'Z' is not in the catalogue"):
        promise_options(_cart(("A", 1), ("Z", 1)), "NYC", WED_10, stock, _reference())
    with pytest.raises(DataError, match="cart line 1: quantity_units 0"):
        promise_options(_cart(("A", 0)), "NYC", WED_10, stock, _reference())
    with pytest.raises(DataError, match="region_id 'PAR'"):
        promise_options(_cart(("A", 1)), "PAR", WED_10, stock, _reference())


def test_plans_use_the_fewest_warehouses() -> None:
    holds = np.array([[1, 0, 0], [0, 1, 1], [0, 0, 1]], dtype=bool)
    assert ship_from_plans(holds).tolist() == [[0, 2, 2]]
    whole = np.array([[1, 1, 0], [1, 1, 1]], dtype=bool)
    assert ship_from_plans(whole).tolist() == [[0, 0], [1, 1]]
    three = np.eye(3, dtype=bool)
    assert ship_from_plans(three).tolist() == [[0, 1, 2]]


def test_only_options_faster_or_cheaper_than_every_faster_one_are_kept() -> None:
    options = pl.DataFrame(
        {
            "service_id": ["S1", "S2", "S3", "S4", "S5"],
            "delivery_date": [
                D(2026, 1, 15),
                D(2026, 1, 15),
                D(2026, 1, 16),
                D(2026, 1, 19),
                D(2026, 1, 20),
            ],
            "cost_usd": [20.0, 18.0, 18.0, 9.0, 12.0],
        }
    )
    kept = keep_fastest_and_cheapest(options)
    assert kept["service_id"].to_list() == ["S2", "S4"]
