"""Warehouses, zones, carriers, shipments and returns look like a US parcel network."""

from __future__ import annotations

import numpy as np
import polars as pl
from synth_checks import share

from shopops.data.synth import MarketplaceConfig


def test_zones_grow_with_distance(
    market: dict[str, pl.DataFrame], config: MarketplaceConfig
) -> None:
    zones = market["shipping_zones"]
    assert zones.height == config.warehouses * market["regions"].height
    by_zone = (
        zones.group_by("zone")
        .agg(
            pl.col("distance_km").min().alias("nearest"),
            pl.col("distance_km").max().alias("farthest"),
        )
        .sort("zone")
    )
    assert (by_zone["nearest"].diff().drop_nulls() > 0).all()
    assert (by_zone["farthest"].shift(1).drop_nulls() <= by_zone["nearest"][1:]).all()
    assert zones["zone"].max() == 8  # coast to coast


def test_warehouses_are_own_and_third_party(market: dict[str, pl.DataFrame]) -> None:
    warehouses = market["warehouses"]
    assert set(warehouses["operator"]) == {"own", "3pl"}
    third_party = warehouses.filter(pl.col("operator") == "3pl")
    assert third_party["partner_name"].null_count() == 0
    assert warehouses["region_id"].n_unique() == warehouses.height


def test_carriers_sell_every_speed(market: dict[str, pl.DataFrame]) -> None:
    services = market["carrier_services"]
    assert 3 <= market["carriers"].height <= 4
    assert set(services["service_level"]) == {"economy", "standard", "express", "next_day"}
    transit = market["transit_times"].join(services, on="service_id")
    slowest = transit.group_by("service_level").agg(pl.col("transit_days").max())
    days = dict(slowest.iter_rows())
    assert days["next_day"] == 1 < days["express"] < days["standard"] <= days["economy"]


def test_shipping_cost_comes_from_the_rate_card(market: dict[str, pl.DataFrame]) -> None:
    shipments = market["shipments"].join(
        market["carrier_services"].select(
            "service_id", "fuel_surcharge_rate", pl.col("max_weight_kg").alias("service_max_kg")
        ),
        on="service_id",
    )
    single_piece = shipments.filter(pl.col("billable_weight_kg") <= pl.col("service_max_kg"))
    assert single_piece.height > 0.99 * shipments.height
    bands = market["rate_cards"].sort("max_weight_kg")
    priced = single_piece.sort("billable_weight_kg").join_asof(
        bands,
        left_on="billable_weight_kg",
        right_on="max_weight_kg",
        by=["service_id", "zone"],
        strategy="forward",
    )
    expected = (priced["rate_usd"] * (1 + priced["fuel_surcharge_rate"])).round(2)
    assert np.allclose(priced["shipping_cost_usd"], expected, atol=0.011)
    assert (shipments["billable_weight_kg"] >= shipments["weight_kg"]).all()
    assert share(shipments["billable_weight_kg"] > shipments["weight_kg"]) > 0.3  # cartons


def test_most_parcels_arrive_by_the_promised_date(market: dict[str, pl.DataFrame]) -> None:
    delivered = market["shipments"].filter(pl.col("status") == "delivered")
    promised = delivered.join(market["orders"], on="order_id", suffix="_order")
    late = promised["delivered_at"].dt.date() > promised["promised_delivery_date"]
    assert 0.01 < share(late) < 0.15
    assert (promised["shipped_at"] >= promised["ordered_at"]).all()
    dispatched_late = promised["shipped_at"].dt.date() > promised["promised_dispatch_date"]
    assert share(dispatched_late) < 0.05
    levels = market["shipments"].join(market["carrier_services"], on="service_id")
    assert share(levels["service_level"].is_in(["economy", "standard"])) > 0.7


def test_returns_follow_category_return_rates(market: dict[str, pl.DataFrame]) -> None:
    categories = market["categories"]
    skus = (
        market["skus"]
        .join(categories, on="category_id")
        .select("sku_id", pl.coalesce("parent_category_id", "category_id").alias("department"))
    )
    shipped = market["order_lines"].filter(pl.col("status") == "shipped").join(skus, on="sku_id")
    returned = market["returns"].join(
        shipped.select("order_id", "line_no", "department"), on=["order_id", "line_no"]
    )
    rate = (
        returned.group_by("department")
        .agg(pl.col("quantity_units").sum().alias("returned"))
        .join(shipped.group_by("department").agg(pl.col("quantity_units").sum()), on="department")
        .select("department", (pl.col("returned") / pl.col("quantity_units")).alias("rate"))
    )
    rates = dict(rate.iter_rows())
    assert 0.1 < rates["FAS"] < 0.25
    assert 0.03 < rates["ELE"] < 0.1
    assert rates["BEA"] < 0.07
    assert rates["FAS"] > rates["ELE"] > rates["BEA"]


def test_returns_are_graded_and_disposed_of_sensibly(market: dict[str, pl.DataFrame]) -> None:
    returns = market["returns"]
    inspected = returns.filter(pl.col("condition_grade").is_not_null())
    restocked = inspected.filter(pl.col("disposition") == "restock")
    assert set(restocked["condition_grade"]) <= {"A", "B"}
    assert set(inspected.filter(pl.col("condition_grade") == "D")["disposition"].drop_nulls()) <= {
        "dispose"
    }
    closed = returns.filter(pl.col("status") == "closed")
    assert (closed["refund_usd"] > 0).all()
    waiting = returns.filter(pl.col("status").is_in(["requested", "in_transit"]))
    assert waiting.height > 0
    assert waiting["received_date"].null_count() == waiting.height
    lines = market["order_lines"].select("order_id", "line_no", "sku_id")
    with_category = returns.join(lines, on=["order_id", "line_no"]).join(
        market["skus"], on="sku_id"
    )
    apparel = with_category.filter(pl.col("category_id").str.starts_with("FAS-"))
    assert share(apparel["reason"] == "size_fit") > 0.25
