"""The award as frames a buyer reads: lines, alternatives, shortfalls and rule violations.

``total_cost_usd`` of a line is ``quantity x landed cost + risk penalty + fixed order cost``
(the late penalty of a late line is shown apart, in ``late_penalty_usd``). An alternative's
``landed_cost_usd`` is what covering the requirement's whole quantity with that offer alone
would cost on the same terms: its cheapest reachable tier for ``max(MOQ, quantity)`` rounded
up to the order multiple (its weekly capacity aside).
"""

from __future__ import annotations

import polars as pl

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.instance import SourcingInstance

LINE_COLUMNS = (
    "requirement_id",
    "offer_id",
    "supplier_id",
    "sku_id",
    "warehouse_id",
    "quantity_units",
    "unit_price_usd",
    "tier_min_quantity_units",
    "landed_cost_usd_per_unit",
    "risk_penalty_usd",
    "fixed_order_cost_usd",
    "late_penalty_usd",
    "total_cost_usd",
    "lead_time_days",
    "expedited",
    "arrival_date",
    "late_days",
)
ALTERNATIVE_COLUMNS = (
    "requirement_id",
    "offer_id",
    "supplier_id",
    "status",
    "reason",
    "landed_cost_usd",
    "cost_difference_usd",
    "lead_time_difference_days",
)


def award_lines(instance: SourcingInstance, counts: FloatArray) -> pl.DataFrame:
    """One row per placed order line (requirement x offer), costs per the module notes."""
    quantity = pl.col("quantity_units")
    return (
        instance.options.with_columns(
            (pl.Series(counts) * pl.col("multiple_units")).cast(pl.Int64).alias("quantity_units")
        )
        .filter(quantity > 0)
        .select(
            "requirement_id",
            "offer_id",
            "supplier_id",
            "sku_id",
            "warehouse_id",
            "quantity_units",
            "unit_price_usd",
            pl.col("min_quantity_units").alias("tier_min_quantity_units"),
            pl.col("landed_usd_per_unit").alias("landed_cost_usd_per_unit"),
            (quantity * pl.col("risk_usd_per_unit")).alias("risk_penalty_usd"),
            "fixed_order_cost_usd",
            (quantity * pl.col("late_penalty_usd_per_unit")).alias("late_penalty_usd"),
            (
                quantity * (pl.col("landed_usd_per_unit") + pl.col("risk_usd_per_unit"))
                + pl.col("fixed_order_cost_usd")
            ).alias("total_cost_usd"),
            pl.col("effective_lead_time_days").alias("lead_time_days"),
            "expedited",
            "arrival_date",
            "late_days",
        )
        .sort("requirement_id", "offer_id")
    )


def alone_costs(instance: SourcingInstance) -> pl.DataFrame:
    """Per eligible pair, covering the whole requirement with it alone at its best tier:
    ``landed_cost_usd`` (landed, risk and fixed cost), ``alone_units`` and
    ``decision_cost_usd`` (with the late penalty, what the award compares)."""
    multiple = pl.max_horizontal(pl.col("order_multiple_units").fill_null(1), pl.lit(1))
    lowest = pl.max_horizontal(
        pl.col("moq_units").fill_null(0), pl.col("min_quantity_units"), pl.col("quantity_units")
    )
    units = -(-lowest // multiple) * multiple
    per_unit = (
        pl.col("unit_price_usd")
        * (1.0 + pl.col("duty_rate") + instance.rules.risk_penalty_rate * pl.col("risk_score"))
        + pl.col("freight_usd_per_unit")
        + pl.col("expedite_usd_per_unit")
    )
    landed = units * per_unit + pl.col("fixed_order_cost_usd")
    reachable = pl.col("next_min_units").is_null() | (units < pl.col("next_min_units"))
    return (
        instance.pairs.filter(pl.col("eligible"))
        .join(instance.tiers, on="offer_id", how="inner")
        .filter(reachable)
        .with_columns(
            landed.alias("landed_cost_usd"),
            units.alias("alone_units"),
            (landed + units * pl.col("late_penalty_usd_per_unit")).alias("decision_cost_usd"),
        )
        .sort("decision_cost_usd")
        .group_by("pair_index", maintain_order=True)
        .agg(pl.col("landed_cost_usd", "alone_units", "decision_cost_usd").first())
    )


def chosen_by_requirement(lines: pl.DataFrame) -> pl.DataFrame:
    """Per requirement with lines: their cost, late penalty, units and latest lead time."""
    return lines.group_by("requirement_id").agg(
        pl.col("total_cost_usd").sum().alias("chosen_cost_usd"),
        pl.col("late_penalty_usd").sum().alias("chosen_late_penalty_usd"),
        pl.col("quantity_units").sum().alias("awarded_units"),
        pl.col("lead_time_days").max().alias("chosen_lead_time_days"),
        pl.len().alias("chosen_lines"),
    )
