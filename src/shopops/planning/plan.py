"""The inventory plan of a snapshot: forecast, classify, set policies, and back-test them.

The steps run in this order (``INVENTORY_STEPS``), each a pure function of the frames before
it:

1. **route**: demand as ordered (lost sales included) goes to the warehouse that serves its
   SKU and region today (:func:`~shopops.planning.inventory.routing_shares`).
2. **back-test the forecast** on the history before the policy back-test's origin: its
   accuracy report, and the spread of multi-day forecast errors that widens the demand sd.
3. **forecast** per SKU x warehouse from the whole history.
4. **classify** SKUs ABC (value) and XYZ (weekly variability).
5. **policies** per SKU x warehouse for the service target of each class.
6. **back-test the policies**: plan as of ``backtest_weeks`` ago from the history before
   then, replay the demand that followed, and compare achieved service with the targets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from shopops.data.bundles import PlanningSnapshot
from shopops.data.schemas import table
from shopops.planning.classification import classify_abc_xyz
from shopops.planning.forecast import DemandForecaster, accuracy_report, backtest
from shopops.planning.inventory import (
    forecast_error_profile,
    plan_inventory,
    routing_shares,
    warehouse_demand_history,
)
from shopops.planning.replay import replay_policies, replay_summary

KEYS = ("sku_id", "warehouse_id")
ERROR_HORIZON_DAYS = 56
ERROR_WINDOWS = 2

StepReport = Callable[[str, int, int], None]

INVENTORY_STEPS = (
    "route demand",
    "back-test the forecast",
    "forecast",
    "classify",
    "set policies",
    "back-test the policies",
)


@dataclass(frozen=True)
class InventoryPlan:
    """What an inventory plan run produces, frame by frame."""

    forecast_models: pl.DataFrame
    forecast_accuracy: pl.DataFrame
    forecast: pl.DataFrame
    classes: pl.DataFrame
    policies: pl.DataFrame
    policy_backtest: pl.DataFrame


def plan_inventory_run(
    snapshot: PlanningSnapshot, *, progress: StepReport | None = None, policies: bool = True
) -> InventoryPlan:
    """Run the inventory plan of ``snapshot`` (see the module docstring for the steps).

    With ``policies`` false only the forecast steps run (1 to 3); classes, policies and
    their back-test come back empty.
    """
    report = progress or (lambda description, done, total: None)
    params = snapshot.params
    total = len(INVENTORY_STEPS) if policies else 3
    origin = snapshot.as_of - dt.timedelta(weeks=params.backtest_weeks)

    report(INVENTORY_STEPS[0], 0, total)
    shares = routing_shares(snapshot.demand_lines, snapshot.shipping_zones, as_of=snapshot.as_of)
    history = warehouse_demand_history(snapshot.demand_lines, shares)
    past = history.filter(pl.col("date") < origin)

    report(INVENTORY_STEPS[1], 1, total)
    tested = _forecast_backtest(snapshot, past)
    errors = forecast_error_profile(tested, keys=KEYS)

    report(INVENTORY_STEPS[2], 2, total)
    forecaster = _forecaster(params.forecast_horizon_days)
    forecast = forecaster.fit(history, snapshot.sales_events, snapshot.skus).predict()
    plan = InventoryPlan(
        forecast_models=forecaster.models_,
        forecast_accuracy=accuracy_report(tested, skus=snapshot.skus),
        forecast=forecast,
        classes=pl.DataFrame(),
        policies=pl.DataFrame(),
        policy_backtest=pl.DataFrame(),
    )
    if not policies:
        report("done", total, total)
        return plan

    report(INVENTORY_STEPS[3], 3, total)
    classes = _classes(snapshot, history)

    report(INVENTORY_STEPS[4], 4, total)
    planned = _policies(snapshot, forecast, classes, errors, snapshot.as_of)

    report(INVENTORY_STEPS[5], 5, total)
    replayed = _policy_backtest(snapshot, history, past, errors, origin)
    report("done", total, total)
    return dataclasses.replace(plan, classes=classes, policies=planned, policy_backtest=replayed)


def _forecaster(horizon_days: int) -> DemandForecaster:
    return DemandForecaster(horizon_days=horizon_days, keys=KEYS)


def _forecast_backtest(snapshot: PlanningSnapshot, past: pl.DataFrame) -> pl.DataFrame:
    """Rolling-origin back-test of the forecaster on the history before the replay."""
    return backtest(
        past,
        forecaster=_forecaster(ERROR_HORIZON_DAYS),
        events=snapshot.sales_events,
        categories=snapshot.skus,
        windows=ERROR_WINDOWS,
    )


def _classes(snapshot: PlanningSnapshot, history: pl.DataFrame) -> pl.DataFrame:
    p = snapshot.params
    return classify_abc_xyz(
        history, snapshot.skus, a_share=p.abc_a_share, b_share=p.abc_b_share,
        x_cv=p.xyz_x_cv, y_cv=p.xyz_y_cv,
    )  # fmt: skip


def _policies(
    snapshot: PlanningSnapshot,
    forecast: pl.DataFrame,
    classes: pl.DataFrame,
    errors: pl.DataFrame,
    as_of: dt.date,
) -> pl.DataFrame:
    p = snapshot.params
    return plan_inventory(
        forecast, snapshot.supplier_offers, snapshot.offer_price_tiers, snapshot.currencies,
        snapshot.suppliers, classes, service_target_frame(snapshot), as_of=as_of,
        holding_cost_rate_per_year=p.holding_cost_rate_per_year,
        review_period_days=float(p.review_period_days), forecast_errors=errors,
    )  # fmt: skip


def _policy_backtest(
    snapshot: PlanningSnapshot,
    history: pl.DataFrame,
    past: pl.DataFrame,
    errors: pl.DataFrame,
    origin: dt.date,
) -> pl.DataFrame:
    """Plan as of ``origin`` from what was known then; replay the weeks that followed."""
    days = (snapshot.as_of - origin).days
    forecaster = _forecaster(days).fit(past, snapshot.sales_events, snapshot.skus)
    then = _policies(snapshot, forecaster.predict(), _classes(snapshot, past), errors, origin)
    replayed = replay_policies(
        then, history, start=origin, days=days, initial_stock="steady_state", seed=1
    )
    parts = [
        replay_summary(replayed).with_columns(segment_kind=pl.lit("all"), segment=pl.lit("all"))
    ]
    for kind in ("abc_class", "xyz_class"):
        parts.append(
            replay_summary(replayed, by=[kind]).rename({kind: "segment"})
            .with_columns(segment_kind=pl.lit(kind))
        )  # fmt: skip
    return pl.concat(parts, how="diagonal_relaxed")


def service_target_frame(snapshot: PlanningSnapshot) -> pl.DataFrame:
    """The snapshot's service targets as the frame the policy engine reads."""
    targets = snapshot.params.service_targets
    return pl.DataFrame(
        {
            "abc_class": [t.abc_class.value for t in targets],
            "xyz_class": [t.xyz_class.value for t in targets],
            "measure": [t.measure.value for t in targets],
            "target": [t.target for t in targets],
        }
    )


def result_tables(plan: InventoryPlan, run_id: int) -> dict[str, pl.DataFrame]:
    """The plan's frames as rows of the plan-result tables, numbered with ``run_id``.

    Tables the run did not fill (policies of a forecast-only run) are left out.
    """
    frames = {
        "forecast_models": plan.forecast_models,
        "forecast_accuracy": plan.forecast_accuracy.with_columns(
            pl.col("segment").fill_null("unknown")
        ),
        "demand_forecasts": _weekly_forecast(plan.forecast),
    }
    if not plan.policies.is_empty():
        frames["inventory_policies"] = _policy_rows(plan.policies)
        frames["policy_backtests"] = _backtest_rows(plan.policy_backtest)
    run = pl.lit(run_id, pl.Int64).alias("run_id")
    return {
        name: table(name).conform(_no_nan(frame.with_columns(run)).select(table(name).column_names))
        for name, frame in frames.items()
    }


def _weekly_forecast(forecast: pl.DataFrame) -> pl.DataFrame:
    return (
        forecast.with_columns(week_start=pl.col("date").dt.truncate("1w"))
        .group_by("sku_id", "warehouse_id", "week_start")
        .agg(units=pl.col("units_forecast").sum())
    )


def _policy_rows(policies: pl.DataFrame) -> pl.DataFrame:
    costs = ("ordering_cost_usd_per_day", "cycle_stock_holding_cost_usd_per_day",
             "purchase_cost_usd_per_day")  # fmt: skip
    return policies.with_columns(
        unit_cost_usd=pl.col("unit_price_usd"),
        expected_fill_rate=pl.col("fill_rate_achieved"),
        cost_usd_per_day=pl.when(pl.col("policy_status") == "planned").then(
            pl.sum_horizontal(*costs)
        ),
    )


def _backtest_rows(replayed: pl.DataFrame) -> pl.DataFrame:
    return replayed.with_columns(
        target_fill_rate=pl.col("fill_rate_target"),
        fill_rate=pl.col("fill_rate_achieved"),
        cycle_service_level=pl.col("cycle_service_level_achieved"),
        stockout_days=pl.col("stockout_days").cast(pl.Int64),
        average_stock_value_usd=pl.col("average_on_hand_value_usd"),
    )


def _no_nan(frame: pl.DataFrame) -> pl.DataFrame:
    """Floats with NaN as missing, as the database stores them."""
    return frame.with_columns(pl.col(pl.Float64).fill_nan(None))


def policy_summary(policies: pl.DataFrame) -> pl.DataFrame:
    """Policies by ABC class: rows planned and not, safety stock and cycle stock in dollars."""
    planned = pl.col("policy_status") == "planned"
    value = pl.col("unit_price_usd").fill_null(0.0)
    return (
        policies.group_by(pl.col("abc_class").fill_null("-"))
        .agg(
            planned=planned.sum(),
            not_planned=(~planned).sum(),
            safety_stock_usd=(pl.col("safety_stock_units").fill_null(0.0) * value).sum(),
            cycle_stock_usd=(pl.col("order_quantity_units").fill_null(0.0) / 2 * value).sum(),
            service_target=pl.col("service_target").mean(),
            expected_fill_rate=pl.col("fill_rate_achieved").mean(),
        )
        .sort("abc_class")
    )
