"""Why each offer was or was not chosen: the alternatives frame and the lines' explanations.

Every number a sentence quotes comes from the frames beside it: the runner-up's extra cost
is its ``cost_difference_usd`` in ``alternatives`` (its cost alone minus the cost of the
requirement's lines), its days faster or slower its ``lead_time_difference_days``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from shopops.planning.sourcing.instance import SourcingInstance
from shopops.planning.sourcing.report import ALTERNATIVE_COLUMNS, alone_costs, chosen_by_requirement

FULL_CAPACITY_SHARE = 0.999


def capacity_used(instance: SourcingInstance, lines: pl.DataFrame) -> pl.DataFrame:
    """Units of each offer's weekly capacity the award uses, per week (``used_units``)."""
    weeks = instance.requirements.select(
        "requirement_id", pl.col("need_by_date").dt.truncate("1w").alias("week_start")
    )
    return (
        lines.join(weeks, on="requirement_id")
        .group_by("offer_id", "week_start")
        .agg(pl.col("quantity_units").sum().alias("used_units"))
    )


def award_alternatives(
    instance: SourcingInstance, lines: pl.DataFrame, capped_suppliers: pl.DataFrame
) -> pl.DataFrame:
    """One row per requirement x offer of its SKU, excluded ones included (module notes)."""
    chosen = lines.select("requirement_id", "offer_id", pl.lit(True).alias("_chosen"))
    with_options = (
        instance.options.select("pair_index")
        .unique()
        .with_columns(pl.lit(True).alias("_has_options"))
    )
    frame = (
        instance.pairs.join(alone_costs(instance), on="pair_index", how="left")
        .join(chosen, on=["requirement_id", "offer_id"], how="left")
        .join(chosen_by_requirement(lines), on="requirement_id", how="left")
        .join(with_options, on="pair_index", how="left")
        .join(capacity_used(instance, lines), on=["offer_id", "week_start"], how="left")
        .join(capped_suppliers, on=["category_id", "supplier_id"], how="left")
        .with_columns(
            pl.when(pl.col("_chosen"))
            .then(pl.lit("chosen"))
            .when(pl.col("eligible"))
            .then(pl.lit("eligible"))
            .otherwise(pl.lit("excluded"))
            .alias("status"),
            (pl.col("landed_cost_usd") - pl.col("chosen_cost_usd")).alias("cost_difference_usd"),
            (pl.col("effective_lead_time_days") - pl.col("chosen_lead_time_days")).alias(
                "lead_time_difference_days"
            ),
        )
    )
    reasons = [_reason(row) for row in frame.iter_rows(named=True)]
    return (
        frame.with_columns(pl.Series("reason", reasons, dtype=pl.Utf8))
        .select(ALTERNATIVE_COLUMNS)
        .sort("requirement_id", "offer_id")
    )


def _reason(row: dict[str, Any]) -> str | None:
    """Why an offer was not chosen (``None`` when it was)."""
    if row["status"] == "chosen":
        return None
    if row["status"] == "excluded":
        return str(row["excluded_reason"])
    if not row["_has_options"]:
        return "no order it accepts fits its price tiers and weekly capacity"
    clauses = []
    capacity = row["capacity_units_per_week"]
    if capacity is not None and (row["used_units"] or 0) >= FULL_CAPACITY_SHARE * capacity:
        clauses.append(f"its weekly capacity of {capacity:,} units is used up")
    if row["late_days"]:
        penalty = row["late_penalty_usd_per_unit"]
        clauses.append(
            f"arrives {row['late_days']} days late (late penalty USD {penalty:,.2f} a unit)"
        )
    if row["_at_cap"]:
        clauses.append("its supplier is at the category share cap")
    difference = row["cost_difference_usd"]
    if difference is not None and difference > 0:
        clauses.append(f"USD {difference:,.2f} more than the award")
    elif difference is not None:
        clauses.append("cheaper alone, but not in the cheapest award as a whole")
    elif row["chosen_cost_usd"] is None:
        clauses.append("the requirement is left short")
    return "; ".join(clauses)


def explain_lines(
    instance: SourcingInstance, lines: pl.DataFrame, alternatives: pl.DataFrame
) -> pl.DataFrame:
    """``lines`` with an ``explanation`` a buyer reads (see module notes)."""
    context = _line_context(instance, lines, alternatives)
    sentences = [_sentence(row) for row in context.iter_rows(named=True)]
    return lines.with_columns(pl.Series("explanation", sentences, dtype=pl.Utf8))


def _line_context(
    instance: SourcingInstance, lines: pl.DataFrame, alternatives: pl.DataFrame
) -> pl.DataFrame:
    eligible = alternatives.filter(pl.col("status") != "excluded")
    cheapest = (
        eligible.filter(pl.col("landed_cost_usd").is_not_null())
        .sort("landed_cost_usd", "offer_id")
        .group_by("requirement_id", maintain_order=True)
        .agg(pl.col("offer_id").first().alias("cheapest_offer_id"))
    )
    runner_up = (
        alternatives.filter(
            (pl.col("status") == "eligible") & pl.col("landed_cost_usd").is_not_null()
        )
        .sort("landed_cost_usd", "offer_id")
        .group_by("requirement_id", maintain_order=True)
        .agg(
            pl.col("offer_id").first().alias("runner_up_offer_id"),
            pl.col("supplier_id").first().alias("runner_up_supplier_id"),
            pl.col("cost_difference_usd").first().alias("runner_up_more_usd"),
            pl.col("lead_time_difference_days").first().alias("runner_up_days"),
        )
    )
    requirement = instance.requirements.select(
        "requirement_id", "quantity_units", "need_by_date", "abc_class"
    ).rename({"quantity_units": "needed_units"})
    terms = instance.pairs.select(
        "requirement_id",
        "offer_id",
        "warning",
        "expedite_usd_per_unit",
        "moq_units",
        "order_multiple_units",
    )
    return (
        lines.join(requirement, on="requirement_id")
        .join(terms, on=["requirement_id", "offer_id"], how="left")
        .join(cheapest, on="requirement_id", how="left")
        .join(runner_up, on="requirement_id", how="left")
        .join(chosen_by_requirement(lines), on="requirement_id", how="left")
    )


def _sentence(row: dict[str, Any]) -> str:
    parts = [
        f"Buy {row['quantity_units']:,} units from {row['supplier_id']} (offer "
        f"{row['offer_id']}) at USD {row['unit_price_usd']:,.2f} a unit, the tier from "
        f"{row['tier_min_quantity_units']:,} units" + _over_buy(row),
        _why(row),
        _runner_up(row),
    ]
    if row["expedited"]:
        parts.append(
            f"Expedited to arrive {row['arrival_date']} for the need-by date "
            f"{row['need_by_date']} at USD {row['expedite_usd_per_unit']:,.2f} a unit extra."
        )
    elif row["late_days"]:
        parts.append(
            f"Arrives {row['arrival_date']}, {row['late_days']} days after the need-by date "
            f"{row['need_by_date']} (late penalty USD {row['late_penalty_usd']:,.2f})."
        )
    if row["warning"]:
        parts.append(f"Supplier warning: {row['warning']}.")
    return " ".join(parts)


def _over_buy(row: dict[str, Any]) -> str:
    extra = row["awarded_units"] - row["needed_units"]
    if extra <= 0:
        return "."
    return (
        f"; {extra:,} units over the need of {row['needed_units']:,}, forced by the MOQ "
        f"({row['moq_units'] or 0:,}), order multiple ({row['order_multiple_units']:,}) or "
        "tier break."
    )


def _why(row: dict[str, Any]) -> str:
    if row["chosen_lines"] > 1:
        if row["abc_class"] == "A":
            return "Split between suppliers: dual sourcing of an A-class SKU or weekly capacity."
        return "Split between offers: one offer's weekly capacity or order sizes do not cover it."
    if row["offer_id"] == row["cheapest_offer_id"]:
        return "Cheapest offer for the whole quantity, risk and fixed cost included."
    return (
        "Not the cheapest alone: the cheaper offers' capacity, lateness, the category share "
        "cap or dual sourcing make it the cheapest award as a whole."
    )


def _runner_up(row: dict[str, Any]) -> str:
    if row["runner_up_offer_id"] is None:
        return "No other eligible offer."
    more = row["runner_up_more_usd"]
    days = row["runner_up_days"]
    speed = (
        "arrive the same day"
        if days == 0
        else f"arrive {abs(days):g} days {'later' if days > 0 else 'sooner'}"
    )
    cost = f"cost USD {more:,.2f} more" if more >= 0 else f"cost USD {-more:,.2f} less"
    return (
        f"Runner-up {row['runner_up_offer_id']} ({row['runner_up_supplier_id']}) would {cost} "
        f"and {speed}."
    )
