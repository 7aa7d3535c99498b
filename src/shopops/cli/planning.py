"""The planning commands: ``shopops forecast`` and ``shopops policy``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from shopops.cli.console import console, fail, progress_bar
from shopops.cli.render import print_frame
from shopops.errors import ShopOpsError
from shopops.planning.plan import InventoryPlan, policy_summary
from shopops.services.calculating import calculate_policy_file
from shopops.services.planning import InventoryPlanReport, run_inventory_plan

AsOf = Annotated[
    dt.datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Planning day: history before it (default: today)."),
]


def forecast(ctx: typer.Context, as_of: AsOf = None) -> None:
    """Forecast demand per SKU x warehouse and report its back-tested accuracy."""
    report = _run(ctx, as_of, policies=False)
    print_forecast_accuracy(report.plan)
    console.print(f"Plan run {report.run_id}: {report.message}.")


def policy(
    ctx: typer.Context,
    as_of: AsOf = None,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input",
            exists=True,
            dir_okay=False,
            help="Your own item list (CSV or Parquet; columns in docs/policy-calculator.md)"
            ": plan it without the database.",
        ),
    ] = None,
    output_file: Annotated[
        Path | None, typer.Option("--output", help="Where to write the policies of --input.")
    ] = None,
) -> None:
    """Forecast, set inventory policies per SKU x warehouse and back-test them.

    With --input and --output: the stand-alone calculator for an analyst's own item list.
    """
    if input_file or output_file:
        _calculate(input_file, output_file)
        return
    report = _run(ctx, as_of, policies=True)
    print_forecast_accuracy(report.plan)
    print_policy_summary(report.plan)
    console.print(f"Plan run {report.run_id}: {report.message}.")


def _calculate(input_file: Path | None, output_file: Path | None) -> None:
    if input_file is None or output_file is None:
        raise fail("the calculator needs both --input and --output")
    try:
        rows = calculate_policy_file(input_file, output_file)
    except ShopOpsError as error:
        raise fail(str(error)) from error
    console.print(f"Wrote the policies of {rows:,} items to {output_file}.")


def _run(ctx: typer.Context, as_of: dt.datetime | None, *, policies: bool) -> InventoryPlanReport:
    from shopops.cli.app import build_app

    application = build_app(ctx)
    day = as_of.date() if as_of else dt.date.today()
    with progress_bar("Planning") as progress:
        return run_inventory_plan(
            application.unit_of_work(), as_of=day, policies=policies, progress=progress
        )


def print_forecast_accuracy(plan: InventoryPlan) -> None:
    """WAPE, MASE and bias of the forecast against seasonal naive, by demand pattern."""
    accuracy = plan.forecast_accuracy.filter(pl.col("segment_kind").is_in(["all", "demand"]))
    shown = accuracy.select(
        "segment",
        "series",
        "wape",
        pl.col("wape_naive").alias("naive"),
        "mase",
        pl.col("mase_naive").alias("naive "),
        "bias",
    )
    print_frame(shown, "Forecast accuracy (back-test) against seasonal naive")


def print_policy_summary(plan: InventoryPlan) -> None:
    """Policies by ABC class, and the back-test of achieved against target service."""
    summary = policy_summary(plan.policies).rename(
        {
            "abc_class": "class",
            "not_planned": "no offer",
            "safety_stock_usd": "safety $",
            "cycle_stock_usd": "cycle $",
            "service_target": "target",
            "expected_fill_rate": "expected",
        }
    )
    print_frame(summary, "Inventory policies by ABC class (mean target and expected fill rate)")
    backtest = plan.policy_backtest.select(
        pl.col("segment_kind").alias("by"),
        "segment",
        "rows",
        pl.col("fill_rate_target").alias("target"),
        pl.col("fill_rate_achieved").alias("achieved"),
        pl.col("stockout_days").alias("days out"),
        pl.col("average_on_hand_value_usd").alias("avg stock $"),
    )
    print_frame(backtest, "Policy back-test: fill rate achieved on the last weeks' demand")
