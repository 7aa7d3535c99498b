"""The planning commands: ``shopops forecast`` and ``shopops policy``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import polars as pl
import typer

from shopops.cli.console import console, progress_bar
from shopops.cli.render import print_frame
from shopops.planning.plan import InventoryPlan, policy_summary
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


def policy(ctx: typer.Context, as_of: AsOf = None) -> None:
    """Forecast, set inventory policies per SKU x warehouse and back-test them."""
    report = _run(ctx, as_of, policies=True)
    print_forecast_accuracy(report.plan)
    print_policy_summary(report.plan)
    console.print(f"Plan run {report.run_id}: {report.message}.")


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
