"""The supplier offer each SKU is bought from: the cheapest landed one we may use today.

An offer is usable on ``as_of`` when ``valid_from <= as_of <= valid_to`` (an empty
``valid_to`` is open-ended) and its supplier is *approved* or on *probation*; *blocked*
suppliers are never used. Each price tier is converted to a landed US-dollar price::

    landed = unit_price x usd_per_unit x (1 + duty_rate) + freight_usd_per_unit

and the offer with the lowest landed price at its first tier (what an order of the minimum
quantity pays) is chosen; ties go to an approved supplier, then the shorter lead time.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from shopops.domain.supply import SupplierStatus

USABLE = (SupplierStatus.APPROVED.value, SupplierStatus.PROBATION.value)
OFFER_COLUMNS = (
    "sku_id",
    "offer_id",
    "supplier_id",
    "supplier_status",
    "currency_code",
    "usd_per_unit",
    "lead_time_mean_days",
    "lead_time_sd_days",
    "moq_units",
    "order_multiple_units",
    "fixed_order_cost_usd",
    "freight_usd_per_unit",
    "duty_rate",
    "landed_unit_cost_usd",
    "tier_min_quantity_units",
    "tier_unit_price_usd",
    "usable_offers",
)


def landed_price_tiers(
    price_tiers: pl.DataFrame, offers: pl.DataFrame, currencies: pl.DataFrame
) -> pl.DataFrame:
    """Price tiers as landed US dollars per unit: ``offer_id``, ``min_quantity_units``,
    ``landed_unit_price_usd``, ascending by quantity within an offer."""
    terms = offers.select("offer_id", "currency_code", "freight_usd_per_unit", "duty_rate")
    landed = pl.col("unit_price") * pl.col("usd_per_unit") * (1.0 + pl.col("duty_rate")) + pl.col(
        "freight_usd_per_unit"
    )
    return (
        price_tiers.join(terms, on="offer_id", how="inner")
        .join(currencies.select("currency_code", "usd_per_unit"), on="currency_code", how="left")
        .select(
            "offer_id",
            pl.col("min_quantity_units").cast(pl.Float64),
            landed.alias("landed_unit_price_usd"),
        )
        .sort(["offer_id", "min_quantity_units"])
    )


def choose_offers(
    offers: pl.DataFrame,
    price_tiers: pl.DataFrame,
    currencies: pl.DataFrame,
    suppliers: pl.DataFrame,
    *,
    as_of: dt.date,
) -> pl.DataFrame:
    """The offer each SKU is bought from on ``as_of`` (see module notes).

    Returns
    -------
    polars.DataFrame
        One row per SKU with a usable offer: the columns of :data:`OFFER_COLUMNS`, among
        them the list columns ``tier_min_quantity_units`` and ``tier_unit_price_usd``
        (landed, ascending) that :func:`~shopops.planning.policy.compute_policies` reads,
        ``landed_unit_cost_usd`` (first tier) and ``usable_offers`` (how many there were).
    """
    tiers = landed_price_tiers(price_tiers, offers, currencies)
    by_offer = tiers.group_by("offer_id").agg(
        pl.col("min_quantity_units").alias("tier_min_quantity_units"),
        pl.col("landed_unit_price_usd").alias("tier_unit_price_usd"),
        pl.col("landed_unit_price_usd").first().alias("landed_unit_cost_usd"),
    )
    valid = (pl.col("valid_from") <= as_of) & (
        pl.col("valid_to").is_null() | (pl.col("valid_to") >= as_of)
    )
    usable = (
        offers.filter(valid)
        .join(
            suppliers.select("supplier_id", pl.col("status").alias("supplier_status")),
            on="supplier_id",
            how="inner",
        )
        .filter(pl.col("supplier_status").is_in(USABLE))
        .join(currencies.select("currency_code", "usd_per_unit"), on="currency_code", how="left")
        .join(by_offer, on="offer_id", how="inner")
        .with_columns(
            pl.len().over("sku_id").alias("usable_offers"),
            (pl.col("supplier_status") != SupplierStatus.APPROVED.value).alias("_probation"),
        )
    )
    ranking = ["sku_id", "landed_unit_cost_usd", "_probation", "lead_time_mean_days", "offer_id"]
    return (
        usable.sort(ranking)
        .unique("sku_id", keep="first", maintain_order=True)
        .with_columns(
            pl.col(c).cast(pl.Float64)
            for c in ("moq_units", "order_multiple_units", "lead_time_mean_days")
        )
        .select(OFFER_COLUMNS)
    )
