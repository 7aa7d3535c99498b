"""Units left uncovered and the coupling rules an award could not keep, with their reasons."""

from __future__ import annotations

from typing import Any

import polars as pl

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.instance import SourcingInstance

SHARE_TOLERANCE = 1e-6


def award_shortfalls(
    instance: SourcingInstance, shortfall_units: FloatArray, alternatives: pl.DataFrame
) -> pl.DataFrame:
    """One row per requirement with units left short, and why."""
    short = instance.requirements.with_columns(
        pl.Series("short_units", shortfall_units).round(0).cast(pl.Int64)
    ).filter(pl.col("short_units") > 0)
    offers = alternatives.join(short.select("requirement_id"), on="requirement_id", how="semi")
    offers = offers.join(
        instance.pairs.select("requirement_id", "offer_id", "excluded_reason"),
        on=["requirement_id", "offer_id"],
        how="left",
    )
    by_requirement = offers.partition_by("requirement_id", as_dict=True)
    empty = offers.clear()
    reasons = [
        _reason(row, by_requirement.get((row["requirement_id"],), empty))
        for row in short.iter_rows(named=True)
    ]
    return short.select(
        "requirement_id",
        "sku_id",
        "warehouse_id",
        pl.col("short_units").alias("quantity_units"),
        pl.Series("reason", reasons, dtype=pl.Utf8),
    )


def _reason(requirement: dict[str, Any], offers: pl.DataFrame) -> str:
    if offers.is_empty():
        return "no offer for the SKU"
    if (offers["status"] == "excluded").all():
        listed = ", ".join(
            f"{r['offer_id']} ({r['supplier_id']}: {r['excluded_reason']})"
            for r in offers.iter_rows(named=True)
        )
        return f"all offers excluded: {listed}"
    usable = offers.filter(pl.col("status") != "excluded")
    full = usable.filter(pl.col("reason").fill_null("").str.contains("capacity"))
    if full.height == usable.height:
        listed = ", ".join(full["offer_id"].to_list())
        return f"weekly capacity exhausted or too small: {listed}"
    cheapest = usable.select(pl.col("landed_cost_usd").min()).item()
    return (
        "cheaper to leave short: covering it costs more than its shortfall cost of USD "
        f"{requirement['shortfall_cost_usd_per_unit']:,.2f} a unit"
        + ("" if cheapest is None else f" (cheapest offer alone USD {cheapest:,.2f})")
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
