"""Why each offer was or was not chosen: the alternatives frame and the lines' explanations.

Every number a sentence quotes comes from the frames beside it: an alternative's extra cost
is its ``cost_difference_usd`` (its cost alone minus the cost of the requirement's lines),
its days faster or slower its ``lead_time_difference_days``. Offers are ranked as the award
ranks them: by their cost alone plus any late penalty.
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


def pair_facts(
    instance: SourcingInstance, lines: pl.DataFrame, capped_suppliers: pl.DataFrame
) -> pl.DataFrame:
    """Every requirement x offer with its status, costs alone, differences to the award and
    what limits it (capacity used, share cap), and why it was not chosen (``reason``)."""
    chosen = lines.select("requirement_id", "offer_id", pl.lit(True).alias("_chosen"))
    with_options = (
        instance.options.select("pair_index").unique().with_columns(_has_options=pl.lit(True))
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
            (
                pl.col("used_units").fill_null(0)
                >= FULL_CAPACITY_SHARE * pl.col("capacity_units_per_week")
            )
            .fill_null(False)
            .alias("capacity_full"),
        )
    )
    reasons = [_reason(row) for row in frame.iter_rows(named=True)]
    return frame.with_columns(pl.Series("reason", reasons, dtype=pl.Utf8))


def award_alternatives(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per requirement x offer of its SKU, excluded ones included."""
    return facts.select(ALTERNATIVE_COLUMNS).sort("requirement_id", "offer_id")


def _reason(row: dict[str, Any]) -> str | None:
    """Why an offer was not chosen (``None`` when it was)."""
    if row["status"] == "chosen":
        return None
    if row["status"] == "excluded":
        return str(row["excluded_reason"])
    if not row["_has_options"]:
        return "no order it accepts fits its price tiers and weekly capacity"
    clauses = []
    if row["capacity_full"]:
        clauses.append(
            f"its weekly capacity of {row['capacity_units_per_week']:,} units is used up"
        )
    if row["late_days"]:
        clauses.append(
            f"arrives {row['late_days']} days late (late penalty USD "
            f"{row['late_penalty_usd_per_unit']:,.2f} a unit)"
        )
    if row["_at_cap"]:
        clauses.append("its supplier is at the category share cap")
    difference = row["cost_difference_usd"]
    if difference is not None and difference > 0:
        clauses.append(f"USD {difference:,.2f} more than the award")
    elif difference is not None and not clauses:
        clauses.append("cheaper alone, but not in the cheapest award as a whole")
    elif row["chosen_cost_usd"] is None:
        clauses.append("the requirement is left short: no order pays for itself")
    return "; ".join(clauses) if clauses else "not in the cheapest award as a whole"


def explain_lines(
    instance: SourcingInstance, lines: pl.DataFrame, facts: pl.DataFrame
) -> pl.DataFrame:
    """``lines`` with an ``explanation`` a buyer reads (see module notes)."""
    context = _line_context(instance, lines, facts)
    sentences = [_sentence(row) for row in context.iter_rows(named=True)]
    return lines.with_columns(pl.Series("explanation", sentences, dtype=pl.Utf8))


def _line_context(
    instance: SourcingInstance, lines: pl.DataFrame, facts: pl.DataFrame
) -> pl.DataFrame:
    ranked = facts.filter(
        (pl.col("status") != "excluded") & pl.col("decision_cost_usd").is_not_null()
    ).sort("decision_cost_usd", "offer_id")
    cheapest = ranked.group_by("requirement_id", maintain_order=True).agg(
        pl.col("offer_id").first().alias("cheapest_offer_id"),
        pl.col("reason").first().alias("cheapest_reason"),
        pl.col("decision_cost_usd").first().alias("cheapest_cost_usd"),
    )
    runner_up = (
        ranked.filter(pl.col("status") == "eligible")
        .group_by("requirement_id", maintain_order=True)
        .agg(
            pl.col("offer_id").first().alias("runner_up_offer_id"),
            pl.col("supplier_id").first().alias("runner_up_supplier_id"),
            pl.col("cost_difference_usd").first().alias("runner_up_more_usd"),
            pl.col("lead_time_difference_days").first().alias("runner_up_days"),
            pl.col("late_days").first().alias("runner_up_late_days"),
        )
    )
    dual_skus = (
        instance.options.filter(pl.col("dual_group") >= 0)
        .select("sku_id", _dual=pl.lit(True))
        .unique()
    )
    terms = facts.select(
        "requirement_id",
        "offer_id",
        "warning",
        "expedite_usd_per_unit",
        "moq_units",
        "order_multiple_units",
        "need_by_date",
        pl.col("quantity_units").alias("needed_units"),
        "shortfall_cost_usd_per_unit",
    )
    return (
        lines.join(terms, on=["requirement_id", "offer_id"], how="left")
        .join(cheapest, on="requirement_id", how="left")
        .join(runner_up, on="requirement_id", how="left")
        .join(chosen_by_requirement(lines), on="requirement_id", how="left")
        .join(dual_skus, on="sku_id", how="left")
    )


def _sentence(row: dict[str, Any]) -> str:
    parts = [_buy(row), _why(row), _runner_up(row)]
    if row["expedited"]:
        parts.append(
            f"Expedited to arrive {row['arrival_date']} for the need-by date "
            f"{row['need_by_date']} at USD {row['expedite_usd_per_unit']:,.2f} a unit extra."
        )
    elif row["late_days"]:
        parts.append(
            f"Arrives {row['arrival_date']}, {_days(row['late_days'])} after the need-by date "
            f"{row['need_by_date']} (late penalty USD {row['late_penalty_usd']:,.2f})."
        )
    if row["warning"]:
        parts.append(f"Supplier warning: {row['warning']}.")
    return " ".join(parts)


def _buy(row: dict[str, Any]) -> str:
    text = (
        f"Buy {_units(row['quantity_units'])} from {row['supplier_id']} (offer "
        f"{row['offer_id']}) at USD {row['unit_price_usd']:,.2f} a unit, the tier from "
        f"{_units(row['tier_min_quantity_units'])}"
    )
    extra = row["awarded_units"] - row["needed_units"]
    if extra <= 0:
        return text + "."
    return (
        f"{text}; {_units(extra)} over the need of {row['needed_units']:,}, forced by the MOQ "
        f"({row['moq_units'] or 0:,}), order multiple ({row['order_multiple_units']:,}) or "
        "tier break."
    )


def _why(row: dict[str, Any]) -> str:
    if row["chosen_lines"] > 1:
        if row["_dual"]:
            return "Split between suppliers: dual sourcing of an A-class SKU."
        return "Split between offers: one offer's weekly capacity or order sizes do not cover it."
    short = max(row["needed_units"] - row["awarded_units"], 0)
    award = (
        row["chosen_cost_usd"]
        + row["chosen_late_penalty_usd"]
        + short * row["shortfall_cost_usd_per_unit"]
    )
    if row["cheapest_cost_usd"] is None or award <= row["cheapest_cost_usd"] + 0.005:
        if row["offer_id"] == row["cheapest_offer_id"] and short == 0:
            return (
                f"Cheapest offer for the whole quantity (USD {award:,.2f} with duty, freight, "
                "risk, fixed cost and any late penalty)."
            )
        left = f", {_units(short)} left short at their shortfall cost" if short else ""
        return f"Cheapest award for the requirement (USD {award:,.2f}{left})."
    if row["_dual"]:
        return "Second source of an A-class SKU under dual sourcing."
    reason = row["cheapest_reason"] or "the award as a whole is cheaper this way"
    return f"The cheaper offer {row['cheapest_offer_id']} is out: {reason}."


def _units(count: int) -> str:
    return "1 unit" if count == 1 else f"{count:,} units"


def _days(count: float) -> str:
    return f"{count:g} day" if abs(count) == 1 else f"{count:g} days"


def _runner_up(row: dict[str, Any]) -> str:
    if row["runner_up_offer_id"] is None:
        return "No other eligible offer."
    more = row["runner_up_more_usd"]
    days = row["runner_up_days"]
    speed = (
        "arrive the same day"
        if days == 0
        else f"arrive {_days(abs(days))} {'later' if days > 0 else 'sooner'}"
    )
    cost = f"cost USD {more:,.2f} more" if more >= 0 else f"cost USD {-more:,.2f} less"
    late = (
        f", {_days(row['runner_up_late_days'])} after the need-by date"
        if row["runner_up_late_days"]
        else ""
    )
    return (
        f"Runner-up {row['runner_up_offer_id']} ({row['runner_up_supplier_id']}) would {cost} "
        f"and {speed}{late}."
    )
