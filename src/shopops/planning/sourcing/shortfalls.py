"""Units left uncovered and the coupling rules an award could not keep, with their reasons."""

from __future__ import annotations

import polars as pl

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.instance import SourcingInstance

SHARE_TOLERANCE = 1e-6


def award_shortfalls(
    instance: SourcingInstance, shortfall_units: FloatArray, facts: pl.DataFrame
) -> pl.DataFrame:
    """One row per requirement with units left short, and why: no offer for its SKU, every
    offer excluded (each with its reason), every usable offer's weekly capacity used up or
    too small, or else covering the units would cost more than their shortfall cost."""
    short = instance.requirements.with_columns(
        pl.Series("short_units", shortfall_units).round(0).cast(pl.Int64)
    ).filter(pl.col("short_units") > 0)
    shortfall = short.join(_offer_facts(short, facts), on="requirement_id", how="left")
    return shortfall.select(
        "requirement_id",
        "sku_id",
        "warehouse_id",
        pl.col("short_units").alias("quantity_units"),
        _reason_expression().alias("reason"),
    )


def _offer_facts(short: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """Per short requirement: how many offers, excluded, usable and capacity-bound (weekly
    capacity used up, or no order fits it), those listed, and the cheapest cost alone."""
    excluded = pl.col("status") == "excluded"
    capacity = ~excluded & (pl.col("capacity_full") | pl.col("_has_options").is_null())
    return (
        facts.join(short.select("requirement_id"), on="requirement_id", how="semi")
        .group_by("requirement_id")
        .agg(
            pl.len().alias("offers"),
            excluded.sum().alias("excluded"),
            capacity.sum().alias("capacity_bound"),
            pl.format("{} ({}: {})", "offer_id", "supplier_id", "excluded_reason")
            .filter(excluded)
            .str.join(", ")
            .alias("excluded_list"),
            pl.col("offer_id").filter(capacity).str.join(", ").alias("capacity_list"),
            pl.col("landed_cost_usd").min().alias("cheapest_usd"),
        )
    )


def _reason_expression() -> pl.Expr:
    usable = pl.col("offers") - pl.col("excluded")
    cost = pl.format("{}", pl.col("shortfall_cost_usd_per_unit").round(2))
    cheapest = pl.format(" (cheapest offer alone USD {})", pl.col("cheapest_usd").round(2))
    return (
        pl.when(pl.col("offers").is_null())
        .then(pl.lit("no offer for the SKU"))
        .when(usable == 0)
        .then(pl.format("all offers excluded: {}", "excluded_list"))
        .when(pl.col("capacity_bound") == usable)
        .then(pl.format("weekly capacity exhausted or too small: {}", "capacity_list"))
        .otherwise(
            pl.concat_str(
                pl.format(
                    "cheaper to leave short: covering it costs more than its shortfall cost "
                    "of USD {} a unit",
                    cost,
                ),
                cheapest.fill_null(""),
            )
        )
    )


def share_of_spend(instance: SourcingInstance, lines: pl.DataFrame) -> pl.DataFrame:
    """Per capped category and supplier: awarded spend (quantity x unit price) and share."""
    capped = instance.options.filter(pl.col("share_group") >= 0).select("category_id").unique()
    return (
        lines.join(
            instance.requirements.select("requirement_id", "category_id"), on="requirement_id"
        )
        .join(capped, on="category_id", how="semi")
        .group_by("category_id", "supplier_id")
        .agg((pl.col("quantity_units") * pl.col("unit_price_usd")).sum().alias("spend_usd"))
        .with_columns(
            (pl.col("spend_usd") / pl.col("spend_usd").sum().over("category_id")).alias("share")
        )
    )


def share_violations(instance: SourcingInstance, lines: pl.DataFrame) -> pl.DataFrame:
    """Suppliers above their category's share cap: category, supplier, share, cap."""
    cap = instance.rules.category_share_cap
    return (
        share_of_spend(instance, lines)
        .filter(pl.col("share") > cap + SHARE_TOLERANCE)
        .select(
            "category_id",
            "supplier_id",
            "share",
            pl.lit(cap).alias("cap"),
        )
        .sort("category_id", "supplier_id")
    )


def dual_source_violations(instance: SourcingInstance, lines: pl.DataFrame) -> pl.DataFrame:
    """A-class SKUs under dual sourcing whose award has fewer than two suppliers at the
    minimum share: sku_id and a reason quoting the shares."""
    minimum = instance.rules.dual_source_min_share
    dual = instance.options.filter(pl.col("dual_group") >= 0).select("sku_id").unique()
    shares = (
        lines.join(dual, on="sku_id", how="semi")
        .group_by("sku_id", "supplier_id")
        .agg(pl.col("quantity_units").sum())
        .with_columns(
            (pl.col("quantity_units") / pl.col("quantity_units").sum().over("sku_id")).alias(
                "share"
            )
        )
        .sort("sku_id", "share", descending=[False, True])
        .group_by("sku_id", maintain_order=True)
        .agg(
            (pl.col("share") >= minimum - SHARE_TOLERANCE).sum().alias("sources"),
            pl.col("supplier_id"),
            pl.col("share"),
        )
        .filter(pl.col("sources") < 2)
    )
    reasons = [
        f"fewer than two suppliers take {minimum:.0%} of its units: "
        + ", ".join(f"{s} {v:.0%}" for s, v in zip(row["supplier_id"], row["share"], strict=True))
        for row in shares.iter_rows(named=True)
    ]
    return shares.select("sku_id", pl.Series("reason", reasons, dtype=pl.Utf8))
