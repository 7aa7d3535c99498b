"""The stand-alone policy calculator: an analyst's item list in, one policy per item out.

Each row of :data:`~shopops.data.policy_items.POLICY_ITEMS` is mapped onto the inputs of
:func:`~shopops.planning.policy.compute_policies` (normal lead-time demand; all-units price
tiers with MOQ and multiple; a fill-rate or cycle-service target) and comes back with the
policy beside the inputs that made it.
"""

from __future__ import annotations

import polars as pl

from shopops.domain.params import ServiceMeasure
from shopops.planning.policy import compute_policies

DAYS_PER_YEAR = 365.0
DEFAULT_HOLDING_COST_RATE_PER_YEAR = 0.25

POLICY_OUTPUTS = (
    "lead_time_demand_mean_units",
    "lead_time_demand_sd_units",
    "safety_stock_units",
    "reorder_point_units",
    "order_up_to_level_units",
    "order_quantity_units",
    "unit_price_usd",
    "fill_rate_achieved",
    "cycle_service_level_achieved",
    "ordering_cost_usd_per_day",
    "cycle_stock_holding_cost_usd_per_day",
    "purchase_cost_usd_per_day",
)
"""Columns the calculator adds to each item, in the order they are written."""


def calculate_policies(items: pl.DataFrame) -> pl.DataFrame:
    """The policy of every item: the item's columns followed by :data:`POLICY_OUTPUTS`."""
    if items.is_empty():
        return items.with_columns(pl.lit(None, pl.Float64).alias(c) for c in POLICY_OUTPUTS)
    measure = pl.col("service_measure")
    target = pl.col("service_target")
    inputs = items.with_columns(
        pl.col(
            "lead_time_sd_days", "review_period_days", "moq_units", "order_multiple_units"
        ).fill_null(0.0),
        cycle_service_level=pl.when(measure == ServiceMeasure.CYCLE_SERVICE_LEVEL.value)
        .then(target)
        .otherwise(float("nan")),
        fill_rate=pl.when(measure == ServiceMeasure.FILL_RATE.value)
        .then(target)
        .otherwise(float("nan")),
        holding_cost_rate_per_day=pl.col("holding_cost_rate_per_year").fill_null(
            DEFAULT_HOLDING_COST_RATE_PER_YEAR
        )
        / DAYS_PER_YEAR,
        tier_min_quantity_units=_tier_list("min_quantity_units", pl.lit(1.0)),
        tier_unit_price_usd=_tier_list("unit_cost_usd", pl.col("unit_cost_usd")),
    )
    planned = compute_policies(inputs)
    return pl.concat(
        [items, planned.select(POLICY_OUTPUTS).with_columns(pl.all().fill_nan(None))],
        how="horizontal",
    )


def _tier_list(suffix: str, first: pl.Expr) -> pl.Expr:
    """Tier values as a list per row: the base tier, then tiers 2 and 3 where given."""
    return pl.concat_list(
        first.cast(pl.Float64), f"tier2_{suffix}", f"tier3_{suffix}"
    ).list.drop_nulls()
