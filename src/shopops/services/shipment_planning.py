"""What the parcels of new shipments will be: lines grouped by order and warehouse, lanes,
cartons, services and postage, read from the reference tables and planned by
:func:`shopops.planning.parcels.plan_parcels`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from shopops.domain.shipping import NoServiceError
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.parcels import plan_parcels
from shopops.store import shipments as store
from shopops.store.frames import FrameStore
from shopops.store.snapshot import load_plan_params


def parcel_lines(frames: FrameStore, lines: pl.DataFrame, ids: list[int]) -> pl.DataFrame:
    """The lines numbered by parcel (order x warehouse), with each line's allocated service."""
    allocated = store.latest_allocations(frames.connection, ids).rename(
        {"service_id": "allocated_service_id", "warehouse_id": "allocated_warehouse_id"}
    )
    return (
        lines.join(allocated, on=["order_id", "line_no"], how="left")
        .with_columns(
            pl.when(pl.col("allocated_warehouse_id") == pl.col("warehouse_id"))
            .then(pl.col("allocated_service_id"))
            .alias("allocated_service_id"),
            pl.struct("order_id", "warehouse_id").rank("dense").cast(pl.Int64).alias("parcel_id"),
        )
        .sort("parcel_id", "line_no")
    )


def plan_shipments(
    frames: FrameStore, parcels: pl.DataFrame, now: dt.datetime
) -> list[dict[str, Any]]:
    """Each parcel's plan (:func:`plan_parcels`) with its order, warehouse and zone.

    The allocated service is the one most of the parcel's lines were allocated (ties: the
    first by id); the parcel goes to the carrier today, or tomorrow once the warehouse's
    cut-off hour has passed. A lane without a shipping zone, or a parcel no service takes,
    raises :class:`NoServiceError` naming the order.
    """
    zones = frames.read("shipping_zones").select("warehouse_id", "region_id", "zone")
    cutoff = frames.read("warehouses").select("warehouse_id", "order_cutoff_hour")
    lanes = (
        parcels.group_by("parcel_id", maintain_order=True)
        .agg(
            pl.col("order_id", "warehouse_id", "region_id", "promised_delivery_date").first(),
            pl.col("allocated_service_id").drop_nulls().mode().sort().first(),
        )
        .join(zones, on=["warehouse_id", "region_id"], how="left")
        .join(cutoff, on="warehouse_id", how="left")
        .with_columns(
            pl.when(pl.col("order_cutoff_hour") > now.hour)
            .then(pl.lit(now.date()))
            .otherwise(pl.lit(now.date() + dt.timedelta(days=1)))
            .alias("ship_date")
        )
    )
    for row in lanes.filter(pl.col("zone").is_null()).iter_rows(named=True):
        raise NoServiceError(
            f"order {row['order_id']}: no shipping zone from {row['warehouse_id']} to region "
            f"{row['region_id']}"
        )
    services = frames.read("carrier_services")
    rates = RateTable.from_frames(services, frames.read("rate_cards"), frames.read("transit_times"))
    plan = plan_parcels(
        parcels.with_columns(pl.col("quantity_units").alias("quantity")),
        lanes,
        frames.read("cartons"),
        rates,
        packing_volume_factor=load_plan_params(frames).packing_volume_factor,
    ).join(lanes.select("parcel_id", "order_id", "warehouse_id", "zone"), on="parcel_id")
    refused = [
        f"order {row['order_id']}: no carrier service takes its {row['weight_kg']} kg parcel "
        f"({row['carton_code']}, {row['volume_cm3']:,.0f} cm3) from {row['warehouse_id']} "
        f"to zone {row['zone']}"
        for row in plan.filter(pl.col("service_id").is_null()).iter_rows(named=True)
    ]
    if refused:
        raise NoServiceError("; ".join(refused))
    return list(plan.iter_rows(named=True))
