"""``shopops orders allocate``: the open orders to warehouses and carrier services."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import polars as pl
import typer

from shopops.cli.console import console, fail, progress_bar
from shopops.cli.render import print_frame
from shopops.errors import ShopOpsError
from shopops.services.allocation import AllocationReport, NothingToAllocateError, run_allocation

ShipDay = Annotated[
    dt.datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Dispatch day (default: today)."),
]


Apply = Annotated[bool, typer.Option("--apply", help="Reserve stock for the optimised allocation.")]


def allocate(ctx: typer.Context, ship_date: ShipDay = None, apply: Apply = False) -> None:
    """Allocate the open orders at least cost and compare with the usual rules."""
    from shopops.cli.app import build_app

    application = build_app(ctx)
    day = ship_date.date() if ship_date else dt.date.today()
    try:
        with progress_bar("Allocation") as progress:
            report = run_allocation(
                application.unit_of_work(), ship_date=day, apply=apply, progress=progress
            )
    except NothingToAllocateError as nothing:
        console.print(f"Nothing to allocate: {nothing}.")
        return
    except ShopOpsError as error:
        raise fail(str(error)) from error
    print_allocation(report)


def print_allocation(report: AllocationReport) -> None:
    """Cost per order, split rate and on-time share of the optimiser beside each rule."""
    table = report.summaries.select(
        pl.col("method").replace(
            {"nearest_warehouse": "nearest WH", "cheapest_single_warehouse": "cheapest 1 WH"}
        ),
        pl.col("orders_allocated").alias("orders"),
        pl.col("parcels"),
        (pl.col("split_rate") * 100).round(1).alias("split%"),
        (pl.col("shipping_cost_usd") + pl.col("handling_cost_usd")).round(0).alias("cost $"),
        pl.col("cost_per_order_usd").round(2).alias("$/order"),
        (pl.col("on_time_share") * 100).round(1).alias("on time%"),
    )
    title = f"Allocation run {report.run_id}, dispatch {report.ship_date.isoformat()}"
    print_frame(table, title)
    unallocated = report.optimised.unallocated
    if unallocated.height:
        print_frame(
            unallocated.group_by("reason").agg(
                lines=pl.len(), units=pl.col("quantity_units").sum()
            ),
            "Lines not allocated (no stock or capacity left)",
        )
    console.print(report.message, highlight=False)
    if report.reservations is not None:
        done = report.reservations.filter(pl.col("reserved"))
        console.print(
            f"Reserved {done.height:,} of {report.reservations.height:,} allocated lines "
            f"({done['quantity_units'].sum():,} units).",
            highlight=False,
        )
