"""Packaging: carton choice, carton demand from the recent mix, and packaging policies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from shopops.errors import DataError
from shopops.planning.netting import net_requirements
from shopops.planning.packaging import (
    carton_usage_history,
    choose_cartons,
    forecast_parcels,
    packaging_forecast,
    packaging_lead_times,
    packaging_plan_inputs,
    packaging_policies,
    units_per_parcel,
)

# code, family, inner sides (cm), max kg, tare kg, packaging SKU; volumes in the comments
CARTONS = pl.DataFrame(
    [
        ("ENV-A4", "envelope", 32.0, 23.0, 2.0, 0.5, 0.02, "PK-ENV"),  # 1,472 cm3
        ("BOX-S", "box", 30.0, 20.0, 15.0, 10.0, 0.12, "PK-BOX-S"),  # 9,000 cm3
        ("POLY-M", "poly_bag", 40.0, 30.0, 8.0, 5.0, 0.03, "PK-POLY-M"),  # 9,600 cm3
        ("TUBE-L", "tube", 95.0, 12.0, 12.0, 5.0, 0.15, None),  # 13,680 cm3
        ("BOX-M", "box", 40.0, 30.0, 25.0, 20.0, 0.22, "PK-BOX-M"),  # 30,000 cm3
        ("BOX-L", "box", 55.0, 40.0, 35.0, 30.0, 0.40, "PK-BOX-L"),  # 77,000 cm3
    ],
    schema=[
        "carton_code",
        "family",
        "length_cm",
        "width_cm",
        "height_cm",
        "max_weight_kg",
        "tare_weight_kg",
        "sku_id",
    ],
    orient="row",
)


def _items(*lines: tuple[Any, ...]) -> pl.DataFrame:
    """Lines (parcel, length, width, height, kg, quantity[, packaging type])."""
    columns = ["parcel_id", "length_cm", "width_cm", "height_cm", "weight_kg", "quantity"]
    if len(lines[0]) == 7:
        columns.append("packaging_type")
    return pl.DataFrame(list(lines), schema=columns, orient="row")


def _one(items: pl.DataFrame, **options: float) -> dict[str, Any]:
    (row,) = choose_cartons(items, CARTONS, **options).to_dicts()
    return row


def test_the_smallest_fitting_box_is_chosen() -> None:
    # Two units 20 x 15 x 10 = 2 x 3,000 = 6,000 cm3, x 1.15 = 6,900 cm3 of room needed.
    # ENV-A4 (1,472) is too small, BOX-S (9,000) fits: void fill 9,000 - 6,000 = 3,000 cm3,
    # packed 2 x 0.5 + 0.12 = 1.12 kg. POLY-M (9,600) is bigger, and 8 cm too flat anyway.
    row = _one(_items(("P1", 20.0, 15.0, 10.0, 0.5, 2)))
    assert row == {
        "parcel_id": "P1",
        "carton_code": "BOX-S",
        "family": "box",
        "packaging_sku_id": "PK-BOX-S",
        "items_volume_cm3": 6000.0,
        "carton_volume_cm3": 9000.0,
        "void_fill_cm3": 3000.0,
        "items_weight_kg": 1.0,
        "packed_weight_kg": pytest.approx(1.12),
        "oversize": False,
        "oversize_reason": None,
    }


def test_void_fill_allowance_can_push_a_parcel_into_the_next_carton() -> None:
    # 29 x 20 x 14 = 8,120 cm3: x 1.10 = 8,932 <= 9,000 fits BOX-S (void fill 880 cm3);
    # x 1.15 = 9,338 does not. POLY-M is too flat (14 > 8), TUBE-L too narrow, so BOX-M:
    # void fill 30,000 - 8,120 = 21,880 cm3.
    items = _items(("P1", 29.0, 20.0, 14.0, 1.0, 1))
    tight = _one(items, void_fill_share=0.10)
    assert (tight["carton_code"], tight["void_fill_cm3"]) == ("BOX-S", 880.0)
    roomy = _one(items, void_fill_share=0.15)
    assert (roomy["carton_code"], roomy["void_fill_cm3"]) == ("BOX-M", 21880.0)


def test_a_long_thin_item_goes_in_the_tube() -> None:
    # 80 x 8 x 8 = 5,120 cm3: too long for every box (55 cm at most), fits TUBE-L 95 x 12 x 12.
    row = _one(_items(("P1", 80.0, 8.0, 8.0, 1.2, 1)))
    assert (row["carton_code"], row["family"], row["packaging_sku_id"]) == (
        "TUBE-L",
        "tube",
        None,
    )
    assert row["void_fill_cm3"] == 13680.0 - 5120.0


def test_sides_are_compared_sorted_whatever_order_they_come_in() -> None:
    # 8 x 80 x 8 is the same rod turned: still the tube.
    assert _one(_items(("P1", 8.0, 80.0, 8.0, 1.2, 1)))["carton_code"] == "TUBE-L"


def test_the_weight_limit_pushes_to_a_bigger_box() -> None:
    # 25 x 18 x 12 = 5,400 cm3 (6,210 with void fill) fits BOX-S by size, but 12 kg > 10 kg:
    # POLY-M is too flat, TUBE-L too narrow, BOX-M carries 20 kg. Packed 12 + 0.22 kg.
    row = _one(_items(("P1", 25.0, 18.0, 12.0, 12.0, 1)))
    assert row["carton_code"] == "BOX-M"
    assert row["packed_weight_kg"] == pytest.approx(12.22)


def test_a_flat_item_goes_in_the_envelope() -> None:
    # 30 x 21 x 1 = 630 cm3 (724.5 with void fill), 0.2 kg: the envelope, 1,472 cm3.
    row = _one(_items(("P1", 30.0, 21.0, 1.0, 0.2, 1)))
    assert (row["carton_code"], row["void_fill_cm3"]) == ("ENV-A4", 1472.0 - 630.0)


def test_packaging_type_keeps_an_item_in_its_own_family_or_a_box() -> None:
    # A 35 x 25 x 6 poly-bag item (5,250 cm3, 6,037.5 with void fill) is too long for BOX-S
    # (30 cm) and goes in POLY-M; typed as a mailer it may only use a mailer or a box: BOX-M.
    bag = _one(_items(("P1", 35.0, 25.0, 6.0, 0.8, 1, "poly_bag")))
    assert bag["carton_code"] == "POLY-M"
    mailer = _one(_items(("P1", 35.0, 25.0, 6.0, 0.8, 1, "mailer")))
    assert mailer["carton_code"] == "BOX-M"


def test_nothing_fits_takes_the_biggest_carton_flagged_oversize() -> None:
    # 120 x 50 x 40 (240,000 cm3), 45 kg: too long, too bulky and too heavy for every carton.
    row = _one(_items(("P1", 120.0, 50.0, 40.0, 45.0, 1)))
    assert (row["carton_code"], row["oversize"]) == ("BOX-L", True)
    assert row["void_fill_cm3"] == 77000.0 - 240000.0
    assert row["packed_weight_kg"] == pytest.approx(45.4)
    assert row["oversize_reason"] == (
        "too long for every carton; too bulky for every carton; too heavy for every carton"
    )


def test_a_parcel_passing_each_check_somewhere_but_not_all_at_once_is_oversize() -> None:
    # 90 x 10 x 10 fits only the tube by its sides, but at 8 kg only the boxes carry it.
    row = _one(_items(("P1", 90.0, 10.0, 10.0, 8.0, 1)))
    assert (row["carton_code"], row["oversize"]) == ("BOX-L", True)
    assert row["oversize_reason"] == "no carton passes every check at once"


def test_a_parcel_of_several_lines_adds_volume_and_weight_and_takes_the_longest_sides() -> None:
    # 3 x (10 x 10 x 5 = 500) + 1 x (35 x 10 x 4 = 1,400) = 2,900 cm3 (3,335 with void
    # fill), 3 x 0.3 + 1 x 0.5 = 1.4 kg; longest sides 35, 10, 5: too long for BOX-S,
    # POLY-M (40 x 30 x 8) fits.
    frame = choose_cartons(
        _items(
            ("P2", 10.0, 10.0, 5.0, 0.3, 3),
            ("P2", 35.0, 10.0, 4.0, 0.5, 1),
            ("P1", 20.0, 15.0, 10.0, 0.5, 2),
        ),
        CARTONS,
    )
    assert frame.get_column("parcel_id").to_list() == ["P1", "P2"]
    p2 = frame.row(1, named=True)
    assert (p2["carton_code"], p2["items_volume_cm3"]) == ("POLY-M", 2900.0)
    assert p2["items_weight_kg"] == pytest.approx(1.4)
    assert p2["void_fill_cm3"] == 9600.0 - 2900.0


def test_choose_cartons_refuses_bad_input() -> None:
    items = _items(("P1", 10.0, 10.0, 10.0, 1.0, 1))
    with pytest.raises(DataError, match="quantity"):
        choose_cartons(items.drop("quantity"), CARTONS)
    with pytest.raises(DataError, match="crate"):
        choose_cartons(items, CARTONS.with_columns(pl.lit("crate").alias("family")))


# --- carton demand and packaging policies ----------------------------------------------------

AS_OF = dt.date(2026, 3, 2)
WEEK = dt.timedelta(days=7)


def _usage() -> pl.DataFrame:
    rows = [
        ("W1", AS_OF - dt.timedelta(days=3), "BOX-S", 40),
        ("W1", AS_OF - dt.timedelta(days=10), "BOX-S", 20),
        ("W1", AS_OF - dt.timedelta(days=5), "BOX-M", 30),
        ("W1", AS_OF - dt.timedelta(days=1), "TUBE-L", 10),
        ("W1", AS_OF - dt.timedelta(days=20), "BOX-L", 500),  # before the two weeks
        ("W1", AS_OF, "BOX-L", 500),  # on as_of: not history yet
        ("W2", AS_OF - dt.timedelta(days=2), "BOX-S", 20),
    ]
    return pl.DataFrame(
        rows, schema=["warehouse_id", "date", "carton_code", "cartons"], orient="row"
    )


def _parcels() -> pl.DataFrame:
    rows = [("W1", AS_OF, 200), ("W1", AS_OF + WEEK, 100), ("W2", AS_OF, 50), ("W3", AS_OF, 120)]
    return pl.DataFrame(rows, schema=["warehouse_id", "week_start", "parcels"], orient="row")


def test_packaging_forecast_spreads_parcels_by_each_warehouse_carton_mix() -> None:
    # Two weeks before 2026-03-02: W1 used BOX-S 60, BOX-M 30, TUBE-L 10 (shares .6/.3/.1);
    # W2 BOX-S 20 (share 1). W3 has no history: the network mix BOX-S 80, BOX-M 30,
    # TUBE-L 10 of 120. TUBE-L has no packaging SKU and is left out.
    # W1: 200 -> BOX-S 120, BOX-M 60; 100 -> 60, 30. W2: 50 -> BOX-S 50.
    # W3: 120 -> BOX-S 120 x 80/120 = 80, BOX-M 120 x 30/120 = 30.
    demand = packaging_forecast(_usage(), _parcels(), CARTONS, as_of=AS_OF, weeks=2)
    assert demand.columns == ["sku_id", "warehouse_id", "week_start", "units"]
    assert demand.rows() == [
        ("PK-BOX-M", "W1", AS_OF, pytest.approx(60.0)),
        ("PK-BOX-M", "W1", AS_OF + WEEK, pytest.approx(30.0)),
        ("PK-BOX-M", "W3", AS_OF, pytest.approx(30.0)),
        ("PK-BOX-S", "W1", AS_OF, pytest.approx(120.0)),
        ("PK-BOX-S", "W1", AS_OF + WEEK, pytest.approx(60.0)),
        ("PK-BOX-S", "W2", AS_OF, pytest.approx(50.0)),
        ("PK-BOX-S", "W3", AS_OF, pytest.approx(80.0)),
    ]


def test_cartons_sharing_a_packaging_sku_add_up() -> None:
    # BOX-S and BOX-M bought as one SKU: W1's 200 parcels x (.6 + .3) = 180.
    shared = CARTONS.with_columns(
        pl.when(pl.col("carton_code").is_in(["BOX-S", "BOX-M"]))
        .then(pl.lit("PK-BOX"))
        .otherwise(pl.col("sku_id"))
        .alias("sku_id")
    )
    demand = packaging_forecast(_usage(), _parcels(), shared, as_of=AS_OF, weeks=2)
    w1 = demand.filter((pl.col("warehouse_id") == "W1") & (pl.col("week_start") == AS_OF))
    assert w1.rows() == [("PK-BOX", "W1", AS_OF, pytest.approx(180.0))]


def _demand(rows: list[tuple[str, str, dt.date, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["sku_id", "warehouse_id", "week_start", "units"], orient="row"
    )


def test_packaging_policies_cover_lead_time_and_review_with_a_safety_share() -> None:
    # PK-A at W1: 70 + 140 units over two weeks = 15 a day. Lead time 10, review 4,
    # safety 25 %, cover 14: SS = 15 x 14 x .25 = 52.5; ROP = 15 x 14 x 1.25 = 262.5;
    # Q = 15 x 14 = 210; S = 262.5 + 210 = 472.5.
    # PK-B has no lead time; PK-C at W1 has no demand.
    demand = _demand(
        [
            ("PK-A", "W1", AS_OF, 70.0),
            ("PK-A", "W1", AS_OF + WEEK, 140.0),
            ("PK-B", "W1", AS_OF, 14.0),
            ("PK-C", "W1", AS_OF, 0.0),
        ]
    )
    lead_times = pl.DataFrame({"sku_id": ["PK-A", "PK-C"], "lead_time_days": [10.0, 5.0]})
    policies = packaging_policies(
        demand, lead_times, review_days=4, cover_days=14, safety_share=0.25
    )
    assert policies.get_column("policy_status").to_list() == [
        "planned",
        "no_lead_time",
        "no_demand",
    ]
    a = policies.row(0, named=True)
    assert a["demand_mean_units_per_day"] == pytest.approx(15.0)
    assert a["safety_stock_units"] == pytest.approx(52.5)
    assert a["reorder_point_units"] == pytest.approx(262.5)
    assert a["order_quantity_units"] == pytest.approx(210.0)
    assert a["order_up_to_level_units"] == pytest.approx(472.5)
    assert a["lead_time_mean_days"] == 10.0
    assert policies.row(1, named=True)["reorder_point_units"] is None
    # PK-B: 14 units in W1's two forecast weeks = 1 a day.
    assert policies.row(1, named=True)["demand_mean_units_per_day"] == pytest.approx(1.0)


def test_lead_times_may_be_given_per_warehouse() -> None:
    demand = _demand([("PK-A", "W1", AS_OF, 70.0), ("PK-A", "W2", AS_OF, 70.0)])
    lead_times = pl.DataFrame(
        {"sku_id": ["PK-A", "PK-A"], "warehouse_id": ["W1", "W2"], "lead_time_days": [2.0, 6.0]}
    )
    policies = packaging_policies(demand, lead_times, review_days=0, cover_days=7)
    # 10 a day: ROP = 10 x L x 1.25 = 25 (W1) and 75 (W2).
    assert policies.get_column("reorder_point_units").to_list() == pytest.approx([25.0, 75.0])


def test_packaging_demand_and_policies_feed_net_requirements() -> None:
    # PK-A at W1: 70 a week = 10 a day, lead time 4, no review, safety 25 %, cover 14:
    # SS = 10 x 4 x .25 = 10, ROP = 50, Q = 140, S = 190. With 100 on hand,
    # IP(t) = 100 - 10 (t + 1) reaches 50 on day 4: order max(190 - 50, 140) = 140, needed
    # on day 8; on hand 100 - 10 (s + 1) stays at or above 10 until then, so not urgent.
    demand = _demand([("PK-A", "W1", AS_OF + k * WEEK, 70.0) for k in range(3)])
    policies = packaging_policies(
        demand,
        pl.DataFrame({"sku_id": ["PK-A"], "lead_time_days": [4.0]}),
        review_days=0,
        cover_days=14,
    )
    stock = pl.DataFrame(
        {"sku_id": ["PK-A"], "warehouse_id": ["W1"], "on_hand_units": [100], "reserved_units": [0]}
    )
    supply = pl.DataFrame(
        schema={
            "sku_id": pl.String,
            "warehouse_id": pl.String,
            "expected_date": pl.Date,
            "open_units": pl.Int64,
        }
    )
    result = net_requirements(policies, stock, supply, demand, as_of=AS_OF, horizon_days=7)
    (row,) = result.requirements.to_dicts()
    assert row["order_by_date"] == AS_OF + dt.timedelta(days=4)
    assert row["need_by_date"] == AS_OF + dt.timedelta(days=8)
    assert row["quantity_units"] == 140
    assert row["urgent"] is False


# --- the frames of the procurement run, from shipments, order lines, forecast and offers -------

FEB = dt.date(2026, 2, 1)


def _shipments() -> pl.DataFrame:
    """Shipments (id, warehouse, carton, created) and their order lines (id, units)."""
    rows = [
        (1, "W1", "BOX-S", dt.datetime(2026, 2, 20, 9), [2]),
        (2, "W1", "BOX-M", dt.datetime(2026, 2, 20, 17), [1, 1]),
        (3, "W1", "BOX-S", dt.datetime(2026, 2, 25, 23, 59), [2]),
        (4, "W1", "BOX-M", dt.datetime(2026, 3, 1, 8), [2]),
        (5, "W2", "POLY-M", dt.datetime(2026, 2, 28, 12), [1]),
        (6, "W1", "POLY-M", dt.datetime(2026, 2, 10, 12), [5]),  # before the two weeks
        (7, "W1", "POLY-M", dt.datetime(2026, 3, 2, 6), [9]),  # on as_of: not history
        (8, "W2", None, dt.datetime(2026, 2, 28, 13), [1]),  # shipped without a carton
    ]
    return pl.DataFrame(
        rows,
        schema=["shipment_id", "warehouse_id", "carton_code", "created_at", "units"],
        orient="row",
    )


def _order_lines() -> pl.DataFrame:
    lines = _shipments().select("shipment_id", "units").explode("units")
    unshipped = pl.DataFrame({"shipment_id": [None], "units": [7]}, schema=lines.schema)
    return pl.concat([lines, unshipped]).rename({"units": "quantity_units"})


def test_carton_usage_counts_shipments_per_warehouse_day_and_carton() -> None:
    usage = carton_usage_history(_shipments().drop("units"))
    assert usage.columns == ["warehouse_id", "date", "carton_code", "cartons"]
    assert usage.rows() == [
        ("W1", dt.date(2026, 2, 10), "POLY-M", 1),
        ("W1", dt.date(2026, 2, 20), "BOX-M", 1),
        ("W1", dt.date(2026, 2, 20), "BOX-S", 1),
        ("W1", dt.date(2026, 2, 25), "BOX-S", 1),
        ("W1", dt.date(2026, 3, 1), "BOX-M", 1),
        ("W1", dt.date(2026, 3, 2), "POLY-M", 1),
        ("W2", dt.date(2026, 2, 28), "POLY-M", 1),
    ]


def test_units_per_parcel_over_the_recent_weeks() -> None:
    # Two weeks before 2026-03-02: W1 shipments 1-4 carry 2 + 2 + 2 + 2 = 8 units in 4
    # parcels; W2 shipments 5 and 8 carry 1 + 1 in 2. Shipment 6 is older, 7 is on as_of.
    ratios = units_per_parcel(_shipments(), _order_lines(), as_of=AS_OF, weeks=2)
    assert ratios.rows() == [("W1", 4, 8.0, 2.0), ("W2", 2, 2.0, 1.0)]


def _goods_forecast() -> pl.DataFrame:
    rows = [
        ("SKU-A", "W1", AS_OF, 30.0),
        ("SKU-B", "W1", AS_OF, 12.0),
        ("SKU-A", "W1", AS_OF + WEEK, 14.0),
        ("SKU-C", "W2", AS_OF, 14.0),
        ("SKU-C", "W3", AS_OF, 9.0),
        ("PK-BOX-S", "W1", AS_OF, 1000.0),  # a packaging SKU: not parcels
    ]
    return _demand(rows)


def test_forecast_units_become_parcels_at_each_warehouse_s_units_per_parcel() -> None:
    # W1: 30 + 12 = 42 units / 2 = 21 parcels, then 14 / 2 = 7; W2: 14 / 1 = 14;
    # W3 has no ratio: the default, 1.8 -> 9 / 1.8 = 5; else the mean of 2 and 1: 6.
    forecast = _goods_forecast().filter(pl.col("sku_id") != "PK-BOX-S")
    ratios = pl.DataFrame({"warehouse_id": ["W1", "W2"], "units_per_parcel": [2.0, 1.0]})
    parcels = forecast_parcels(forecast, ratios, default_units_per_parcel=1.8)
    assert parcels.columns == ["warehouse_id", "week_start", "parcels"]
    assert parcels.rows() == [
        ("W1", AS_OF, pytest.approx(21.0)),
        ("W1", AS_OF + WEEK, pytest.approx(7.0)),
        ("W2", AS_OF, pytest.approx(14.0)),
        ("W3", AS_OF, pytest.approx(5.0)),
    ]
    by_mean = forecast_parcels(forecast, ratios).filter(pl.col("warehouse_id") == "W3")
    assert by_mean.get_column("parcels").to_list() == pytest.approx([6.0])
    with pytest.raises(DataError, match="no units per parcel"):
        forecast_parcels(forecast, ratios.clear())


def _offers() -> pl.DataFrame:
    rows = [
        # offer, SKU, valid from, valid to, lead time days, first-tier price USD
        ("O1", "PK-BOX-S", FEB, None, 3.0, 0.40),
        ("O2", "PK-BOX-S", FEB, None, 5.0, 0.36),  # cheaper, slower: chosen
        ("O3", "PK-BOX-M", FEB, None, 4.0, 0.70),
        ("O4", "PK-BOX-M", FEB, None, 3.0, 0.70),  # same price, faster: chosen
        ("O5", "PK-POLY-M", FEB, dt.date(2026, 3, 1), 1.0, 0.04),  # expired the day before
        ("O6", "PK-POLY-M", AS_OF + WEEK, None, 1.0, 0.04),  # not valid yet
        ("O7", "PK-POLY-M", FEB, AS_OF, 2.0, 0.06),  # valid through as_of
        ("O8", "SKU-A", FEB, None, 30.0, 4.00),  # goods: not packaging
    ]
    return pl.DataFrame(
        rows,
        schema={
            "offer_id": pl.String,
            "sku_id": pl.String,
            "valid_from": pl.Date,
            "valid_to": pl.Date,
            "lead_time_mean_days": pl.Float64,
            "unit_price_usd": pl.Float64,
        },
        orient="row",
    )


def test_lead_times_come_from_the_cheapest_valid_offer() -> None:
    lead_times = packaging_lead_times(_offers(), CARTONS, as_of=AS_OF)
    assert lead_times.sort("sku_id").rows() == [
        ("PK-BOX-M", 3.0, "O4"),
        ("PK-BOX-S", 5.0, "O2"),
        ("PK-POLY-M", 2.0, "O7"),
    ]


def test_plan_inputs_chain_shipments_forecast_and_offers_into_policies() -> None:
    # Mix over the two weeks: W1 BOX-S 2, BOX-M 2 (.5 each), W2 POLY-M 1 (shipment 8 has
    # no carton); network BOX-S 2, BOX-M 2, POLY-M 1. Units per parcel W1 2, W2 1, network
    # 10 / 6. Parcels: W1 21 then 7, W2 14, W3 9 / (10 / 6) = 5.4; the PK-BOX-S row is
    # left out. Cartons: W1 BOX-S and BOX-M 10.5 then 3.5 each; W2 POLY-M 14;
    # W3 5.4 x (.4, .4, .2) = 2.16, 2.16, 1.08.
    policies, demand = packaging_plan_inputs(
        _shipments(),
        _order_lines(),
        CARTONS,
        _goods_forecast(),
        _offers(),
        as_of=AS_OF,
        weeks=2,
        review_days=7,
        cover_days=14,
        safety_share=0.25,
    )
    assert demand.rows() == [
        ("PK-BOX-M", "W1", AS_OF, pytest.approx(10.5)),
        ("PK-BOX-M", "W1", AS_OF + WEEK, pytest.approx(3.5)),
        ("PK-BOX-M", "W3", AS_OF, pytest.approx(2.16)),
        ("PK-BOX-S", "W1", AS_OF, pytest.approx(10.5)),
        ("PK-BOX-S", "W1", AS_OF + WEEK, pytest.approx(3.5)),
        ("PK-BOX-S", "W3", AS_OF, pytest.approx(2.16)),
        ("PK-POLY-M", "W2", AS_OF, pytest.approx(14.0)),
        ("PK-POLY-M", "W3", AS_OF, pytest.approx(1.08)),
    ]
    # W1 BOX-S: 14 cartons over W1's 2 forecast weeks = 1 a day, lead time 5 (O2):
    # SS = 1 x 12 x .25 = 3, ROP = 15, Q = 14, S = 29. W2 POLY-M: 14 / 7 = 2 a day, lead
    # time 2 (O7): SS = 2 x 9 x .25 = 4.5, ROP = 22.5, Q = 28, S = 50.5.
    rows = {(r["sku_id"], r["warehouse_id"]): r for r in policies.to_dicts()}
    assert len(rows) == 6
    assert {r["policy_status"] for r in rows.values()} == {"planned"}
    box = rows["PK-BOX-S", "W1"]
    assert (box["lead_time_mean_days"], box["demand_mean_units_per_day"]) == (5.0, 1.0)
    assert [box[k] for k in ("safety_stock_units", "reorder_point_units")] == [3.0, 15.0]
    assert [box[k] for k in ("order_quantity_units", "order_up_to_level_units")] == [14.0, 29.0]
    poly = rows["PK-POLY-M", "W2"]
    assert poly["reorder_point_units"] == pytest.approx(22.5)
    assert poly["order_up_to_level_units"] == pytest.approx(50.5)


def test_plan_inputs_net_like_any_other_sku() -> None:
    # With nothing on hand, every packaging row raises a requirement on as_of. W1 BOX-S:
    # the position after day 0 is -10.5 / 7 = -1.5, so max(S - IP, Q) = max(29 + 1.5, 14)
    # = 30.5 -> 31 units, needed at once (on hand is already below the safety stock), so
    # urgent: lead time 5 cannot bring it in time.
    policies, demand = packaging_plan_inputs(
        _shipments(),
        _order_lines(),
        CARTONS,
        _goods_forecast(),
        _offers(),
        as_of=AS_OF,
        weeks=2,
        review_days=7,
        cover_days=14,
        safety_share=0.25,
    )
    stock = policies.select(
        "sku_id", "warehouse_id", on_hand_units=pl.lit(0), reserved_units=pl.lit(0)
    )
    supply = pl.DataFrame(
        schema={
            "sku_id": pl.String,
            "warehouse_id": pl.String,
            "expected_date": pl.Date,
            "open_units": pl.Int64,
        }
    )
    result = net_requirements(policies, stock, supply, demand, as_of=AS_OF, horizon_days=1)
    first = result.requirements.filter(pl.col("order_by_date") == AS_OF)
    assert first.height == policies.height
    box = first.filter((pl.col("sku_id") == "PK-BOX-S") & (pl.col("warehouse_id") == "W1"))
    assert box.select("quantity_units", "need_by_date", "urgent").row(0) == (31, AS_OF, True)


def test_plan_input_frames_refuse_what_they_cannot_use() -> None:
    with pytest.raises(DataError, match="one week"):
        units_per_parcel(_shipments(), _order_lines(), as_of=AS_OF, weeks=0)
    with pytest.raises(DataError, match="positive"):
        forecast_parcels(
            _goods_forecast(), pl.DataFrame({"warehouse_id": ["W1"], "units_per_parcel": [0.0]})
        )
    with pytest.raises(DataError, match="unit_price_usd"):
        packaging_lead_times(_offers().drop("unit_price_usd"), CARTONS, as_of=AS_OF)
    with pytest.raises(DataError, match="carton_code"):
        carton_usage_history(_shipments().drop("carton_code"))
