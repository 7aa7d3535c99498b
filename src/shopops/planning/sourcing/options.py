"""The ways each requirement can be bought: offer pairs and their order-line options.

A *pair* is a requirement with one offer of its SKU, excluded or not; it carries timing:
an offer arrives ``order_date + ceil(lead_time_days)``; if that is after the need-by date and
the expedite lead time brings it in time, the line is expedited at the expedite cost;
otherwise it is late by ``late_days`` and pays
``min(late_days x late_penalty_rate_per_day, late_penalty_cap_share) x
shortfall_cost_usd_per_unit`` per unit.

An *option* is an eligible pair with one all-units price tier: an order line of ``q`` units
at that tier, ``q = order_multiple_units x n`` with ``n`` between

    lo = ceil(max(moq, tier minimum, 1) / multiple)
    hi = min(floor((next tier minimum - 1) / multiple), max(lo, ceil(quantity / multiple)),
             floor(capacity_units_per_week / multiple))

so a line never buys more than the requirement needs unless its MOQ, order multiple or
tier minimum force it to. Per unit it costs ``unit_price x (1 + duty_rate) + freight
[+ expedite] + risk_penalty_rate x risk_score x unit_price [+ late penalty]``, plus the fixed
order cost once per line.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from shopops.planning.sourcing.rules import SourcingRules

UNLIMITED_MULTIPLES = 2**40
NO_TIERS = "no price tiers"
UNKNOWN_SUPPLIER = "supplier not in the supplier list"
FILLED_WITH_ZERO = ("freight_usd_per_unit", "duty_rate", "fixed_order_cost_usd")


def offer_terms(offers: pl.DataFrame, tiers: pl.DataFrame, suppliers: pl.DataFrame) -> pl.DataFrame:
    """Offers with their supplier's risk, warning and the reason they are excluded, if any."""
    priced = tiers.select("offer_id").unique().with_columns(pl.lit(True).alias("_priced"))
    known = suppliers.select(
        "supplier_id",
        pl.col("risk_score").cast(pl.Float64).fill_null(0.0),
        pl.col("excluded_reason").cast(pl.Utf8),
        pl.col("warning").cast(pl.Utf8),
        pl.lit(True).alias("_known"),
    )
    reason = (
        pl.when(pl.col("_known").is_null())
        .then(pl.lit(UNKNOWN_SUPPLIER))
        .when(pl.col("excluded_reason").is_not_null())
        .then(pl.col("excluded_reason"))
        .when(pl.col("_priced").is_null())
        .then(pl.lit(NO_TIERS))
    )
    return (
        offers.join(known, on="supplier_id", how="left")
        .join(priced, on="offer_id", how="left")
        .with_columns(
            reason.alias("excluded_reason"),
            pl.col("risk_score").fill_null(0.0),
            *(pl.col(c).cast(pl.Float64).fill_null(0.0) for c in FILLED_WITH_ZERO),
        )
        .with_columns(pl.col("excluded_reason").is_null().alias("eligible"))
        .drop("_known", "_priced")
    )


def offer_pairs(
    requirements: pl.DataFrame,
    terms: pl.DataFrame,
    *,
    order_date: dt.date,
    rules: SourcingRules,
) -> pl.DataFrame:
    """Every requirement x offer of its SKU, with mode (on time, expedited, late) and timing."""
    available = (pl.col("need_by_date") - pl.lit(order_date)).dt.total_days()
    normal = pl.col("lead_time_days").ceil()
    fast = pl.col("expedite_lead_time_days").ceil()
    expedite = (
        (normal > available)
        & fast.is_not_null()
        & pl.col("expedite_cost_usd_per_unit").is_not_null()
        & (fast <= available)
    ).fill_null(False)
    lead = pl.when(pl.col("expedited")).then(pl.col("expedite_lead_time_days"))
    late_days = (pl.col("_lead_days") - available).clip(lower_bound=0).cast(pl.Int64)
    return (
        requirements.join(terms, on="sku_id", how="inner")
        .with_columns(expedite.alias("expedited"))
        .with_columns(
            lead.otherwise(pl.col("lead_time_days")).alias("effective_lead_time_days"),
            pl.when(pl.col("expedited"))
            .then(pl.col("expedite_cost_usd_per_unit"))
            .otherwise(0.0)
            .alias("expedite_usd_per_unit"),
        )
        .with_columns(pl.col("effective_lead_time_days").ceil().cast(pl.Int64).alias("_lead_days"))
        .with_columns(
            (pl.lit(order_date) + pl.duration(days=pl.col("_lead_days"))).alias("arrival_date"),
            late_days.alias("late_days"),
        )
        .with_columns(
            (
                (pl.col("late_days") * rules.late_penalty_rate_per_day).clip(
                    upper_bound=rules.late_penalty_cap_share
                )
                * pl.col("shortfall_cost_usd_per_unit")
            ).alias("late_penalty_usd_per_unit"),
            pl.col("need_by_date").dt.truncate("1w").alias("week_start"),
        )
        .drop("_lead_days")
    )


def ordered_tiers(tiers: pl.DataFrame) -> pl.DataFrame:
    """Tiers ascending by minimum per offer (the cheaper of equal minima), with the next one."""
    return (
        tiers.select(
            "offer_id",
            pl.col("min_quantity_units").cast(pl.Int64),
            pl.col("unit_price_usd").cast(pl.Float64),
        )
        .sort("offer_id", "min_quantity_units", "unit_price_usd")
        .unique(["offer_id", "min_quantity_units"], keep="first", maintain_order=True)
        .with_columns(
            pl.col("min_quantity_units").shift(-1).over("offer_id").alias("next_min_units")
        )
    )


def line_options(pairs: pl.DataFrame, tiers: pl.DataFrame, rules: SourcingRules) -> pl.DataFrame:
    """The order-line options of the eligible pairs: one row per pair x reachable tier."""
    multiple = pl.max_horizontal(pl.col("order_multiple_units").fill_null(1), pl.lit(1))
    lowest = pl.max_horizontal(
        pl.col("moq_units").fill_null(0), pl.col("min_quantity_units"), pl.lit(1)
    )
    in_tier = ((pl.col("next_min_units") - 1) // pl.col("multiple_units")).fill_null(
        UNLIMITED_MULTIPLES
    )
    cover = (pl.col("quantity_units") + pl.col("multiple_units") - 1) // pl.col("multiple_units")
    capacity = (pl.col("capacity_units_per_week") // pl.col("multiple_units")).fill_null(
        UNLIMITED_MULTIPLES
    )
    price = pl.col("unit_price_usd")
    landed = price * (1.0 + pl.col("duty_rate")) + pl.col("freight_usd_per_unit")
    return (
        pairs.filter(pl.col("eligible"))
        .join(ordered_tiers(tiers), on="offer_id", how="inner")
        .with_columns(multiple.cast(pl.Int64).alias("multiple_units"))
        .with_columns((-(-lowest // pl.col("multiple_units"))).alias("lo_multiples"))
        .with_columns(
            pl.min_horizontal(
                in_tier, pl.max_horizontal(pl.col("lo_multiples"), cover), capacity
            ).alias("hi_multiples"),
            (landed + pl.col("expedite_usd_per_unit")).alias("landed_usd_per_unit"),
            (rules.risk_penalty_rate * pl.col("risk_score") * price).alias("risk_usd_per_unit"),
        )
        .filter(pl.col("lo_multiples") <= pl.col("hi_multiples"))
        .pipe(split_covering_quantity)
        .with_columns(
            (
                pl.col("landed_usd_per_unit")
                + pl.col("risk_usd_per_unit")
                + pl.col("late_penalty_usd_per_unit")
            ).alias("cost_usd_per_unit")
        )
    )


def split_covering_quantity(options: pl.DataFrame) -> pl.DataFrame:
    """Give the one quantity of a range that covers the requirement alone a row of its own.

    A range ``lo..hi`` whose top ``hi`` covers the quantity becomes ``lo..hi-1`` and
    ``hi..hi``: the same order lines, but the relaxation can no longer buy a fraction of the
    last multiple, which makes the MILP much tighter.
    """
    covering = (pl.col("lo_multiples") < pl.col("hi_multiples")) & (
        pl.col("multiple_units") * pl.col("hi_multiples") >= pl.col("quantity_units")
    )
    top = options.filter(covering).with_columns(pl.col("hi_multiples").alias("lo_multiples"))
    rest = options.with_columns(
        pl.when(covering)
        .then(pl.col("hi_multiples") - 1)
        .otherwise(pl.col("hi_multiples"))
        .alias("hi_multiples")
    )
    return pl.concat([rest, top]).sort("pair_index", "min_quantity_units", "lo_multiples")
