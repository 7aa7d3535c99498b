"""Packaging is procured like goods: SKUs, suppliers, daily use from stock, weekly orders."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import polars as pl
import pytest
from synth_checks import number, packaging_skus

from shopops.data.synth import MarketplaceConfig, supplier_reliability
from shopops.data.synth.packaging_stock import STAND_INS, PackagingStock
from shopops.data.synth.shipping import CARTON_CODES, NO_CARTON
from shopops.data.synth.world import build_world
from shopops.planning.packaging import packaging_plan_inputs

DAY = 86_400_000_000


@pytest.fixture(scope="module")
def packaging_moves(market: dict[str, pl.DataFrame]) -> pl.DataFrame:
    moves = market["inventory_movements"]
    return moves.filter(pl.col("sku_id").is_in(packaging_skus(market).implode()))


@pytest.fixture(scope="module")
def packaging_lines(market: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Packaging PO lines with their PO's supplier, warehouse, dates and creator."""
    lines = market["purchase_order_lines"].filter(
        pl.col("sku_id").is_in(packaging_skus(market).implode())
    )
    return lines.join(market["purchase_orders"], on="po_id")


def test_every_carton_is_bought_as_a_packaging_sku(market: dict[str, pl.DataFrame]) -> None:
    category = market["categories"].filter(pl.col("category_id") == "PACKAGING").row(0, named=True)
    assert category["parent_category_id"] is None
    assert category["expected_return_rate"] == 0.0
    cartons = market["cartons"].join(market["skus"], on="sku_id", suffix="_sku")
    assert cartons.height == len(CARTON_CODES)
    assert (cartons["sku_id"] == "PKG-" + cartons["carton_code"]).all()
    assert (cartons["category_id"] == "PACKAGING").all()
    assert (cartons["packaging_type"] == cartons["family"]).all()
    assert (cartons["weight_kg"] == cartons["tare_weight_kg"]).all()
    folding = cartons.filter(pl.col("family") != "tube")  # delivered flat, at most 2 cm thick
    assert (folding["height_cm_sku"] <= 2).all()
    assert (folding["length_cm_sku"] >= folding["length_cm"]).all()
    cost = dict(zip(cartons["carton_code"], cartons["unit_cost_usd"], strict=True))
    assert max(cost["ENV-A4"], cost["POLY-S"], cost["POLY-M"], cost["POLY-L"]) < 0.10
    boxes = cartons.filter(pl.col("family") == "box").sort("max_weight_kg", "length_cm")
    assert 0.1 < number(boxes["unit_cost_usd"].min()) < 1.0 < number(boxes["unit_cost_usd"].max())
    assert (boxes["unit_cost_usd"].diff().drop_nulls() > 0).all()  # bigger costs more
    assert (cartons["price_usd"] > cartons["unit_cost_usd"]).all()
    sold = market["order_lines"].filter(pl.col("sku_id").is_in(cartons["sku_id"].implode()))
    assert sold.height == 0


def test_two_domestic_suppliers_offer_every_packaging_sku(
    market: dict[str, pl.DataFrame], config: MarketplaceConfig, packaging_moves: pl.DataFrame
) -> None:
    offers = market["supplier_offers"].filter(
        pl.col("sku_id").is_in(packaging_skus(market).implode())
    )
    suppliers = market["suppliers"].join(offers.select("supplier_id").unique(), on="supplier_id")
    assert suppliers.height == 2
    assert set(suppliers["country_code"]) == {"US"}
    assert set(suppliers["status"]) == {"approved"}
    assert number(suppliers["financial_risk_score"].max()) < 0.15
    truth = supplier_reliability(config).join(suppliers.select("supplier_id"), on="supplier_id")
    assert truth["reliable"].all()
    assert offers.height == 2 * len(CARTON_CODES)
    assert set(offers["currency_code"]) == {"USD"}
    assert set(offers["incoterm"]) == {"DAP"}
    assert number(offers["lead_time_mean_days"].max()) <= 5
    assert set(offers["order_multiple_units"]) <= {25, 50, 100, 250, 500}
    assert (offers["moq_units"] % offers["order_multiple_units"] == 0).all()
    tiers = market["offer_price_tiers"].join(offers, on="offer_id")
    above_moq = tiers.filter(pl.col("min_quantity_units") > pl.col("moq_units"))
    assert (above_moq["min_quantity_units"] % 1000 == 0).all()  # discounts by the thousand
    first = tiers.group_by("offer_id").agg(pl.col("min_quantity_units").min(), "moq_units")
    assert (first["min_quantity_units"] == first["moq_units"].list.first()).all()
    weekly = (
        packaging_moves.filter(pl.col("movement_type") == "pick")
        .group_by("sku_id", pl.col("moved_at").dt.truncate("1w"))
        .agg((-pl.col("quantity_units")).sum().alias("used"))
        .group_by("sku_id")
        .agg(pl.col("used").max())
    )
    room = offers.join(weekly, on="sku_id")
    assert (room["capacity_units_per_week"] >= 10 * room["used"]).all()


def test_each_day_s_packed_parcels_draw_their_cartons_from_stock(
    market: dict[str, pl.DataFrame], packaging_moves: pl.DataFrame
) -> None:
    # One row per warehouse, carton and day of the orders shipped, booked when the last of
    # those parcels was packed; parcels not packed by the end have used nothing yet.
    expected = (
        market["shipments"]
        .filter(pl.col("packed_at").is_not_null())
        .join(market["orders"].select("order_id", "ordered_at"), on="order_id")
        .group_by(
            "warehouse_id",
            ("PKG-" + pl.col("carton_code")).alias("sku_id"),
            pl.col("ordered_at").dt.date(),
        )
        .agg(
            (-pl.len().cast(pl.Int64)).alias("quantity_units"),
            pl.col("packed_at").max().alias("moved_at"),
        )
    )
    picks = packaging_moves.filter(pl.col("movement_type") == "pick")
    assert picks["reference_type"].unique().to_list() == ["shipment"]
    assert picks["reference_id"].null_count() == picks.height
    booked = picks.select("warehouse_id", "sku_id", "quantity_units", "moved_at")
    keys = ["warehouse_id", "sku_id", "moved_at", "quantity_units"]
    assert booked.sort(keys).equals(expected.select(booked.columns).sort(keys))


def test_warehouses_open_with_about_four_weeks_of_packaging(
    market: dict[str, pl.DataFrame], packaging_moves: pl.DataFrame
) -> None:
    opening = packaging_moves.filter(pl.col("reference_type") == "opening_balance")
    assert opening.height == len(CARTON_CODES) * market["warehouses"].height
    start = number(opening["moved_at"].dt.epoch("us").min())
    four_weeks = (
        packaging_moves.filter(
            pl.col("movement_type") == "pick",
            pl.col("moved_at").dt.epoch("us") < start + 28 * DAY,
        )
        .group_by("sku_id", "warehouse_id")
        .agg((-pl.col("quantity_units")).sum().alias("used"))
    )
    bundles = (
        market["supplier_offers"]
        .group_by("sku_id")
        .agg(pl.col("order_multiple_units").max().alias("bundle"))
    )
    table = opening.join(four_weeks, on=["sku_id", "warehouse_id"], how="left").join(
        bundles, on="sku_id"
    )
    assert (table["quantity_units"] >= table["bundle"]).all()
    busy = table.filter(pl.col("used") > pl.col("bundle"))  # more than the smallest opening
    assert busy.height >= 5
    ratio = busy["quantity_units"] / busy["used"]
    assert number(ratio.min()) > 0.6
    assert number(ratio.max()) < 1.5


def test_packaging_never_runs_out(
    market: dict[str, pl.DataFrame], packaging_moves: pl.DataFrame
) -> None:
    balance = packaging_moves.sort("sku_id", "warehouse_id", "moved_at", "movement_id").select(
        pl.col("quantity_units").cum_sum().over("sku_id", "warehouse_id")
    )
    assert number(balance["quantity_units"].min()) > 0  # so no parcel needed a stand-in
    assert market["shipments"]["carton_code"].null_count() == 0


def test_packaging_is_bought_weekly_from_its_suppliers(
    market: dict[str, pl.DataFrame], packaging_lines: pl.DataFrame
) -> None:
    offers = market["supplier_offers"].select(
        "supplier_id", "sku_id", "moq_units", "order_multiple_units", "lead_time_mean_days"
    )
    lines = packaging_lines.join(offers, on=["supplier_id", "sku_id"])
    assert lines.height == packaging_lines.height  # every line is on a packaging offer
    mixed = market["purchase_order_lines"].join(
        packaging_lines.select("po_id").unique(), on="po_id"
    )
    assert mixed.height == packaging_lines.height  # no goods on packaging POs
    assert (lines["quantity_units"] % lines["order_multiple_units"] == 0).all()
    assert (lines["quantity_units"] >= lines["moq_units"]).all()
    on_monday = lines["ordered_date"].dt.weekday() == 1
    assert number(on_monday.mean()) >= 0.8  # reviewed on Mondays, rushed in between
    assert lines.filter(on_monday)["warehouse_id"].n_unique() == market["warehouses"].height
    received = (
        market["receipts"]
        .join(lines, on=["po_id", "line_no"])
        .with_columns(
            (pl.col("received_date") - pl.col("ordered_date")).dt.total_days().alias("lead_days")
        )
    )
    assert received.group_by("po_id", "line_no").len()["len"].max() == 1  # never split
    late = received["lead_days"] - received["lead_time_mean_days"]
    assert number(late.abs().max()) <= 2
    assert (received["cancelled_units"] == 0).all()
    complete = received["received_units"] == received["quantity_units"]
    assert complete.all()
    invoiced = market["supplier_invoice_lines"].join(
        received.select("po_id", "line_no"), on=["po_id", "line_no"]
    )
    assert invoiced.height == received.height


def test_packaging_has_a_monthly_budget_near_its_spend(
    market: dict[str, pl.DataFrame], packaging_lines: pl.DataFrame
) -> None:
    budgets = market["budgets"].filter(pl.col("category_id") == "PACKAGING")
    assert budgets.height == market["budgets"]["period_start"].n_unique()
    spend = packaging_lines.group_by(
        pl.col("ordered_date").dt.truncate("1mo").alias("period_start")
    ).agg((pl.col("quantity_units") * pl.col("unit_price")).sum().alias("spend"))
    months = budgets.join(spend, on="period_start").filter(
        pl.col("period_start") > budgets["period_start"].min()
    )
    assert months.height >= 10
    ratio = months["budget_usd"] / months["spend"]
    assert ratio.is_between(0.85, 1.3).all()  # the goods' band around spend


# --- the packaging stock on its own, with hand-worked numbers ----------------------------------

TINY = MarketplaceConfig(skus=40, warehouses=2, days=35, end_date=dt.date(2025, 6, 30))
ENV, POLY_M, POLY_L, MLR_M = (
    CARTON_CODES.index(c) for c in ("ENV-A4", "POLY-M", "POLY-L", "MLR-M")
)


def test_a_carton_stands_in_when_it_holds_whatever_the_other_holds() -> None:
    # ENV-A4 is 32 x 23 x 2 cm for 0.5 kg. Holding that: MLR-M 35 x 25 x 10 (8,750 cm3),
    # POLY-M 40 x 30 x 8 (9,600), POLY-L 55 x 45 x 12 (29,700), then the boxes from BOX-M up;
    # POLY-S (30 cm) and BOX-S (30 x 20) are too short, TUBE-L (12 cm) too narrow.
    names = [CARTON_CODES[c] for c in STAND_INS[ENV]]
    assert names == ["MLR-M", "POLY-M", "POLY-L", "BOX-M", "BOX-L", "BOX-XL", "BOX-XXL"]
    assert STAND_INS[CARTON_CODES.index("BOX-XXL")] == ()


def test_parcels_take_their_carton_then_the_smallest_stand_in_then_none() -> None:
    world = build_world(TINY)
    stock = PackagingStock(world)
    stock.on_hand[:] = 0
    stock.on_hand[ENV, 0], stock.on_hand[MLR_M, 0], stock.on_hand[POLY_L, 0] = 2, 1, 5
    # Five envelope parcels packed at warehouse 0, one at warehouse 1 (nothing in stock
    # there), one at warehouse 0 not packed within the history.
    carton = np.full(7, ENV)
    warehouse = np.array([0, 0, 0, 0, 0, 1, 0])
    minutes = np.array([10, 40, 20, 30, 50, 60, -1])
    packed = np.where(minutes >= 0, 5 * DAY + minutes * 60_000_000, -1)
    used, movements = stock.use(3, carton, warehouse, packed)
    # Two envelopes, then MLR-M (the one left), then POLY-L (POLY-M has none), twice.
    assert used.tolist() == [ENV, ENV, MLR_M, POLY_L, POLY_L, NO_CARTON, ENV]
    first = world.packaging.first_sku
    rows = sorted(
        zip(
            (movements.sku - first).tolist(),
            movements.warehouse.tolist(),
            movements.quantity.tolist(),
            movements.moved_at_us.tolist(),
            strict=True,
        )
    )
    assert rows == [
        (ENV, 0, -2, packed[1]),
        (POLY_L, 0, -2, packed[4]),
        (MLR_M, 0, -1, packed[2]),
    ]
    assert (stock.on_hand[ENV, 0], stock.on_hand[MLR_M, 0], stock.on_hand[POLY_L, 0]) == (0, 0, 3)
    assert stock.used[3, ENV, 0] == 2
    assert stock.used[3].sum() == 5


def test_the_weekly_review_orders_up_to_two_weeks_beyond_the_reorder_point() -> None:
    world = build_world(TINY)  # from Tuesday 2025-05-27: day 27 is a Monday
    n_cartons = len(CARTON_CODES)
    supply = dataclasses.replace(
        world.packaging,
        index_sums=np.tile(np.arange(80.0), (n_cartons, 1)),  # planned index 1 every day
        lead_time_days=np.full(n_cartons, 3.0),
        multiple_units=np.full(n_cartons, 100),
        moq_units=np.full(n_cartons, 200),
    )
    stock = PackagingStock(world)
    stock.supply = supply
    stock.used[:29] = 10  # every carton, every warehouse: 10 a day
    stock.on_hand[:] = 1000
    # 10 per point of index; protect 3 days of lead time + 7 of review + 7 of safety:
    # reorder point 170, order-up-to 170 + 14 x 10 = 310.
    stock.on_hand[ENV, 0] = 170  # at the reorder point: 310 - 170 = 140 -> 2 bundles
    stock.on_hand[POLY_M, 0] = 171  # above it
    stock.on_hand[POLY_L, 1], stock.on_order[POLY_L, 1] = 60, 40  # position 100 -> 300
    # 50 lasts only the lead time and two days at 10 a day: a rush order on Tuesday too,
    # 310 - 50 = 260 -> 3 bundles.
    stock.on_hand[MLR_M, 1] = 50

    def orders(day: int) -> list[tuple[int, int, int]]:
        carton, warehouse, units = stock.review(day)
        return sorted(zip(carton.tolist(), warehouse.tolist(), units.tolist(), strict=True))

    assert orders(27) == [(ENV, 0, 200), (POLY_L, 1, 300), (MLR_M, 1, 300)]
    assert orders(28) == [(MLR_M, 1, 300)]


def test_the_packaging_plan_of_the_marketplace_replays_its_recent_carton_use(
    market: dict[str, pl.DataFrame], config: MarketplaceConfig
) -> None:
    # Forecast each warehouse's next week at its average shipped units of the last four
    # weeks: in parcels at its own units per parcel and in cartons at its own mix, that
    # is its average weekly use of each carton over those weeks.
    as_of = config.end_date - dt.timedelta(days=7)
    window = (pl.col("created_at").dt.date() >= as_of - dt.timedelta(days=28)) & (
        pl.col("created_at").dt.date() < as_of
    )
    shipments = market["shipments"]
    recent = shipments.filter(window)
    lines = market["order_lines"].join(recent.select("shipment_id"), on="shipment_id")
    forecast = lines.group_by("sku_id", "warehouse_id").agg(
        (pl.col("quantity_units").sum() / 4).alias("units"), week_start=pl.lit(as_of)
    )
    tiers = market["offer_price_tiers"].sort("min_quantity_units").group_by("offer_id").first()
    offers = (
        market["supplier_offers"]
        .join(tiers, on="offer_id")
        .rename(
            {"unit_price": "unit_price_usd"}  # packaging is bought in US dollars
        )
    )
    policies, demand = packaging_plan_inputs(
        shipments, market["order_lines"], market["cartons"], forecast, offers,
        as_of=as_of, weeks=4, review_days=7, cover_days=14,
    )  # fmt: skip
    used = recent.group_by("warehouse_id", ("PKG-" + pl.col("carton_code")).alias("sku_id")).agg(
        (pl.len() / 4).alias("weekly")
    )
    compared = demand.join(used, on=["sku_id", "warehouse_id"], how="full", coalesce=True)
    assert compared.height == used.height
    assert np.allclose(compared["units"], compared["weekly"])
    lead = dict(policies.select("sku_id", "lead_time_mean_days").unique().iter_rows())
    assert (lead["PKG-BOX-S"], lead["PKG-POLY-M"]) == (3.0, 4.0)  # each supplier's specialty
    assert set(policies["policy_status"]) == {"planned"}
