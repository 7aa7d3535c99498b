"""The inventory policy of every SKU x warehouse, from forecast, offers and service targets.

Per row of the forecast (one SKU at one warehouse):

1. demand rate and its sd per day over the planning window (:mod:`.demand`), the sd
   widened by the forecast's own back-test errors where they are given (:mod:`.errors`);
2. the offer bought from: cheapest landed, valid today, supplier not blocked (:mod:`.offers`),
   with its lead time mean and sd, MOQ, order multiple, fixed order cost and landed tiers;
3. the service target of the SKU's ABC / XYZ class (:mod:`.targets`);
4. :func:`~shopops.planning.policy.compute_policies` for lot size, safety stock, reorder point
   and order-up-to level; rows whose lead-time demand is below ``discrete_below_units``
   take their levels from discrete demand instead (:mod:`.discrete`).

Rows without a usable offer or a matching target are kept, with ``policy_status`` saying
why and no levels. Every row carries the inputs that made it and an ``explanation``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from shopops.planning.inventory.demand import forecast_demand_rates
from shopops.planning.inventory.discrete import discrete_policy_levels
from shopops.planning.inventory.errors import widen_demand_sd
from shopops.planning.inventory.offers import choose_offers
from shopops.planning.inventory.targets import assign_service_targets
from shopops.planning.policy import compute_policies

DAYS_PER_YEAR = 365.0
DAILY_REVIEW_LAG_DAYS = 0.5
"""Continuous review runs nightly: an order leaves on average half a day after the stock
position crosses the reorder point, so the lead time protected is half a day longer."""
KEYS = ("sku_id", "warehouse_id")


def plan_inventory(
    forecast: pl.DataFrame,
    offers: pl.DataFrame,
    price_tiers: pl.DataFrame,
    currencies: pl.DataFrame,
    suppliers: pl.DataFrame,
    classes: pl.DataFrame,
    service_targets: pl.DataFrame,
    *,
    as_of: dt.date,
    holding_cost_rate_per_year: float = 0.25,
    review_period_days: float = 0.0,
    planning_days: int | None = None,
    forecast_errors: pl.DataFrame | None = None,
    discrete_below_units: float = 1000.0,
    lost_sales: bool = True,
) -> pl.DataFrame:
    """Plan the inventory policy of each SKU x warehouse of ``forecast``.

    Parameters
    ----------
    forecast
        Daily forecast per ``sku_id`` x ``warehouse_id``: ``date``, ``units_forecast`` and
        ``units_sd`` (e.g. :func:`~shopops.planning.inventory.route_demand` of a regional
        forecast, or a forecast made per warehouse).
    offers, price_tiers, currencies, suppliers
        The ``supplier_offers``, ``offer_price_tiers``, ``currencies`` and ``suppliers``
        tables.
    classes
        ``sku_id``, ``abc_class`` and ``xyz_class``
        (:func:`~shopops.planning.classification.classify_abc_xyz`).
    service_targets
        ``abc_class``, ``xyz_class``, ``measure`` and ``target`` (see :mod:`.targets`).
    as_of
        The planning day: offers valid then, forecast from then.
    holding_cost_rate_per_year
        Cost of holding a unit a year, as a share of its landed price.
    review_period_days
        0 for continuous review (r, Q); ``R > 0`` for an order-up-to level reviewed every
        ``R`` days.
    planning_days
        Days of forecast from ``as_of`` the demand rate is averaged over (default: all).
    forecast_errors
        :func:`~shopops.planning.inventory.forecast_error_profile` of a back-test of the
        same forecaster; widens the demand sd by the error of forecast totals.
    discrete_below_units
        Rows with less lead-time demand than this take discrete (negative binomial or
        Poisson) levels with daily batches of demand; above it the normal levels of
        ``compute_policies`` are within a unit of them.
    lost_sales
        Demand that finds no stock is lost (the marketplace's case): no reorder point or
        order-up-to level is set below zero, which stock that never goes negative would
        never reach.

    Returns
    -------
    polars.DataFrame
        One row per SKU x warehouse: keys, ``policy_status`` (``planned``,
        ``no_usable_offer`` or ``no_service_target``), classes and target, demand rate and
        sd, the chosen offer's terms, every column of ``compute_policies``, ``policy_model``
        (``normal`` or ``discrete``) and ``explanation``.
    """
    rates = forecast_demand_rates(forecast, keys=KEYS, start=as_of, days=planning_days)
    chosen = choose_offers(offers, price_tiers, currencies, suppliers, as_of=as_of)
    rows = rates.join(
        classes.select("sku_id", "abc_class", "xyz_class"), on="sku_id", how="left"
    ).join(chosen, on="sku_id", how="left")
    rows = assign_service_targets(rows, service_targets).with_columns(
        pl.when(pl.col("offer_id").is_null())
        .then(pl.lit("no_usable_offer"))
        .when(pl.col("service_target").is_null())
        .then(pl.lit("no_service_target"))
        .otherwise(pl.lit("planned"))
        .alias("policy_status"),
        pl.lit(float(review_period_days)).alias("review_period_days"),
        pl.lit(holding_cost_rate_per_year / DAYS_PER_YEAR).alias("holding_cost_rate_per_day"),
    )
    if forecast_errors is not None:
        lag = DAILY_REVIEW_LAG_DAYS if review_period_days <= 0 else 0.0
        rows = widen_demand_sd(rows, forecast_errors, lag_days=lag)
    planned = _policies(
        rows.filter(pl.col("policy_status") == "planned"), discrete_below_units, lost_sales
    )
    others = rows.filter(pl.col("policy_status") != "planned")
    plan = pl.concat([planned, others], how="diagonal_relaxed")
    return plan.with_columns(_explanation()).sort(list(KEYS))


def _policies(rows: pl.DataFrame, discrete_below_units: float, lost_sales: bool) -> pl.DataFrame:
    """compute_policies on the planned rows; discrete levels for the slow movers and, with
    lost sales, for rows whose normal level falls below zero."""
    if rows.height == 0:
        return rows
    by_fill = pl.col("service_measure") == "fill_rate"
    continuous = pl.col("review_period_days") <= 0
    lag = pl.when(continuous).then(DAILY_REVIEW_LAG_DAYS).otherwise(0.0)
    items = rows.with_columns(
        pl.when(by_fill).then(pl.col("service_target")).otherwise(None).alias("fill_rate"),
        pl.when(by_fill)
        .then(None)
        .otherwise(pl.col("service_target"))
        .alias("cycle_service_level"),
        lag.alias("review_lag_days"),
        (pl.col("lead_time_mean_days") + lag).alias("lead_time_mean_days"),
    )
    plan = compute_policies(items).with_columns(
        pl.col("lead_time_mean_days") - pl.col("review_lag_days")
    )
    level = np.where(
        plan.get_column("review_period_days").to_numpy() > 0,
        plan.get_column("order_up_to_level_units").to_numpy(),
        plan.get_column("reorder_point_units").to_numpy(),
    )
    slow = plan.get_column("lead_time_demand_mean_units").to_numpy() < discrete_below_units
    slow |= lost_sales & (level < 0.0)
    plan = plan.with_columns(pl.Series("policy_model", np.where(slow, "discrete", "normal")))
    if not slow.any():
        return plan
    levels = discrete_policy_levels(plan.filter(pl.Series(slow)), lost_sales=lost_sales)
    index = np.flatnonzero(slow)
    replaced = {"z": np.where(slow, np.nan, plan.get_column("z").to_numpy())}
    for name in levels.columns:
        column = plan.get_column(name).cast(pl.Float64).to_numpy().copy()
        column[index] = levels.get_column(name).to_numpy()
        replaced[name] = column
    return plan.with_columns(pl.Series(k, v) for k, v in replaced.items())


def _explanation() -> pl.Expr:
    """One line per row on why its policy is what it is."""
    status = pl.col("policy_status")
    level = (
        pl.when(pl.col("review_period_days") > 0)
        .then(
            pl.format(
                "review every {} days, order up to {}",
                pl.col("review_period_days").round(0),
                pl.col("order_up_to_level_units").round(0),
            )
        )
        .otherwise(
            pl.format(
                "reorder at {}, order {}",
                pl.col("reorder_point_units").round(0),
                pl.col("order_quantity_units").round(0),
            )
        )
    )
    planned = pl.format(
        "{}/{} {} {}: {} units/day (sd {}), lead time {} days (sd {}) from {} ({}, {}) at {} "
        "USD landed, MOQ {} x {}; {} ({} model)",
        pl.col("abc_class").fill_null("?"),
        pl.col("xyz_class").fill_null("?"),
        pl.col("service_measure").str.replace_all("_", " "),
        pl.col("service_target"),
        pl.col("demand_mean_units_per_day").round(2),
        pl.col("demand_sd_units_per_day").round(2),
        pl.col("lead_time_mean_days"),
        pl.col("lead_time_sd_days"),
        pl.col("offer_id"),
        pl.col("supplier_id"),
        pl.col("supplier_status"),
        pl.col("unit_price_usd").round(2),
        pl.col("moq_units").round(0),
        pl.col("order_multiple_units").round(0),
        level,
        pl.col("policy_model"),
    )
    return (
        pl.when(status == "planned")
        .then(planned)
        .when(status == "no_usable_offer")
        .then(pl.lit("no offer valid today from an approved or probation supplier"))
        .otherwise(pl.lit("no service target for this ABC/XYZ class"))
        .alias("explanation")
    )
