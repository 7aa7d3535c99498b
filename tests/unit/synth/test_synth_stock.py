"""The stock ledger is consistent with orders, receipts, returns and transfers."""

from __future__ import annotations

import datetime as dt

import polars as pl
from synth_checks import number, packaging_skus, share

from shopops.data.synth import MarketplaceConfig


def test_stock_never_goes_negative(market: dict[str, pl.DataFrame]) -> None:
    running = (
        market["inventory_movements"]
        .sort("sku_id", "warehouse_id", "moved_at", "movement_id")
        .select(pl.col("quantity_units").cum_sum().over("sku_id", "warehouse_id"))
    )
    assert number(running["quantity_units"].min()) >= 0


def test_every_stocked_bin_opens_with_a_balance(market: dict[str, pl.DataFrame]) -> None:
    moves = market["inventory_movements"]
    opening = moves.filter(pl.col("reference_type") == "opening_balance")
    assert opening["movement_type"].unique().to_list() == ["adjustment"]
    assert opening["moved_at"].n_unique() == 1
    assert opening["moved_at"].min() == moves["moved_at"].min()
    bins = moves.select("sku_id", "warehouse_id").unique()
    assert opening.height > 0.5 * bins.height


def test_slow_movers_are_stocked_in_fewer_warehouses(market: dict[str, pl.DataFrame]) -> None:
    opening = market["inventory_movements"].filter(pl.col("reference_type") == "opening_balance")
    sold = market["order_lines"].group_by("sku_id").agg(pl.col("quantity_units").sum())
    places = opening.group_by("sku_id").agg(pl.len().alias("warehouses")).join(sold, on="sku_id")
    ranked = places.sort("quantity_units", descending=True)
    fifth = ranked.height // 5
    fast, slow = ranked.head(fifth)["warehouses"], ranked.tail(fifth)["warehouses"]
    assert number(fast.mean()) > number(slow.mean())


def test_shipped_lines_have_their_pick_movements(market: dict[str, pl.DataFrame]) -> None:
    shipped = market["order_lines"].filter(pl.col("status") == "shipped")
    picks = market["inventory_movements"].filter(pl.col("movement_type") == "pick")
    assert picks["reference_type"].unique().to_list() == ["shipment"]
    # Packaging is picked per warehouse, carton and day, not per order line (see
    # test_synth_packaging): only the goods' picks match lines one to one.
    picks = picks.filter(~pl.col("sku_id").is_in(packaging_skus(market).implode()))
    matched = shipped.join(
        picks.select(
            pl.col("reference_id").alias("shipment_id"),
            "sku_id",
            "warehouse_id",
            (-pl.col("quantity_units")).alias("picked"),
        ),
        on=["shipment_id", "sku_id", "warehouse_id"],
        how="left",
    )
    assert matched["picked"].null_count() == 0
    assert (matched["picked"] == matched["quantity_units"]).all()
    assert picks.height == shipped.height


def test_picks_happen_between_order_and_carrier_pickup(market: dict[str, pl.DataFrame]) -> None:
    picks = market["inventory_movements"].filter(pl.col("movement_type") == "pick")
    shipments = market["shipments"].join(
        market["orders"].select("order_id", "ordered_at"), on="order_id"
    )
    timed = picks.join(
        shipments, left_on="reference_id", right_on="shipment_id", suffix="_shipment"
    )
    assert (timed["moved_at"] == timed["picked_at"]).all()
    assert (timed["ordered_at"] <= timed["picked_at"]).all()


def test_receipt_movements_book_the_accepted_units(market: dict[str, pl.DataFrame]) -> None:
    receipts = market["receipts"].with_columns(
        (pl.col("received_units") - pl.col("damaged_units") - pl.col("rejected_units")).alias(
            "accepted"
        )
    )
    booked = market["inventory_movements"].filter(pl.col("movement_type") == "receipt")
    joined = receipts.join(
        booked.select(pl.col("reference_id").alias("receipt_id"), "quantity_units"),
        on="receipt_id",
        how="left",
    ).with_columns(pl.col("quantity_units").fill_null(0))
    assert (joined["quantity_units"] == joined["accepted"]).all()
    assert booked["quantity_units"].sum() == receipts["accepted"].sum()
    assert (receipts["damaged_units"] + receipts["rejected_units"]).sum() > 0


def test_restocked_returns_come_back_on_the_shelf(
    market: dict[str, pl.DataFrame], config: MarketplaceConfig
) -> None:
    restocked = market["returns"].filter(
        pl.col("disposition") == "restock", pl.col("received_date") < config.end_date
    )
    booked = market["inventory_movements"].filter(pl.col("movement_type") == "return")
    assert booked.height == restocked.height
    joined = restocked.join(
        booked.select(pl.col("reference_id").alias("return_id"), "quantity_units", "moved_at"),
        on="return_id",
        suffix="_booked",
    )
    assert (joined["quantity_units"] == joined["quantity_units_booked"]).all()
    assert (joined["moved_at"].dt.date() > joined["received_date"]).all()


def test_transfers_leave_one_warehouse_and_reach_another(
    market: dict[str, pl.DataFrame],
) -> None:
    transfers = market["inventory_movements"].filter(pl.col("movement_type") == "transfer")
    out = transfers.filter(pl.col("quantity_units") < 0)
    arrived = transfers.filter(pl.col("quantity_units") > 0)
    assert out.height > 0
    pairs = out.join(arrived, on="reference_id", suffix="_in")
    assert pairs.height == arrived.height
    assert (pairs["quantity_units"] == -pairs["quantity_units_in"]).all()
    assert (pairs["sku_id"] == pairs["sku_id_in"]).all()
    assert (pairs["warehouse_id"] != pairs["warehouse_id_in"]).all()
    assert (pairs["moved_at"] < pairs["moved_at_in"]).all()


def test_cycle_counts_are_small_corrections(market: dict[str, pl.DataFrame]) -> None:
    counts = market["inventory_movements"].filter(pl.col("reference_type") == "cycle_count")
    assert counts.height > 0
    assert number(counts["quantity_units"].abs().max()) <= 15
    assert share(counts["quantity_units"] < 0) > 0.5


def test_open_orders_wait_at_the_end_of_the_history(
    market: dict[str, pl.DataFrame], config: MarketplaceConfig
) -> None:
    orders, lines = market["orders"], market["order_lines"]
    open_orders = orders.filter(pl.col("status") == "open")
    assert open_orders.height > 0
    last_days = config.end_date - dt.timedelta(days=config.open_order_days - 1)
    assert open_orders.filter(pl.col("ordered_at").dt.date() < last_days).height == 0
    open_lines = lines.join(open_orders.select("order_id"), on="order_id")
    assert open_lines["status"].unique().to_list() == ["open"]
    assert open_lines["warehouse_id"].null_count() == open_lines.height
    reserved = lines.filter(pl.col("status") == "reserved").join(orders, on="order_id")
    assert set(reserved["status_right"]) <= {"open", "allocated"}


def test_stockouts_cancel_lines_no_warehouse_could_serve(
    market: dict[str, pl.DataFrame],
) -> None:
    lines = market["order_lines"]
    stockouts = lines.filter(pl.col("cancel_reason") == "stockout")
    assert 0.002 < stockouts.height / lines.height < 0.08
    assert stockouts["warehouse_id"].null_count() == stockouts.height
    cancelled = lines.filter(pl.col("status") == "cancelled")
    assert set(cancelled["cancel_reason"]) == {"customer", "stockout", "fraud"}
    statuses = set(market["orders"]["status"])
    assert {"delivered", "shipped", "cancelled", "open"} <= statuses
