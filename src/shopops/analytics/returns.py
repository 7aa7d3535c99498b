"""Return rates and reasons by SKU, category or supplier, for a period.

``return_rate = returned units / shipped units``, both counted in the period: units whose
parcel left in it, and units whose return was asked in it (rejected returns left out). A
return asked in the period for units shipped before it counts too, so a short period can
show a rate above the truth for slow returners; a month or a quarter evens this out.

The supplier of a SKU is the one of its cheapest offer: the lowest landed price per unit of
the offer's first price tier, ``price x USD rate x (1 + duty rate) + freight``, among the
offers valid on the period's last day (all its offers if none is), ties to the lower
supplier id. ``quality_share`` is the share of returned units whose reason speaks of the
product (defective, not as described); it feeds the supplier's quality score.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import polars as pl

from shopops.domain.orders import ReturnReason
from shopops.domain.returning import QUALITY_REASONS

Grouping = Literal["sku", "category", "supplier"]
KEYS: dict[str, str] = {"sku": "sku_id", "category": "category_id", "supplier": "supplier_id"}
REASON_COLUMNS = tuple(f"{reason.value}_units" for reason in ReturnReason)


def sku_suppliers(
    offers: pl.DataFrame, tiers: pl.DataFrame, currencies: pl.DataFrame, *, as_of: dt.date
) -> pl.DataFrame:
    """``sku_id``, ``supplier_id``: each SKU's cheapest offer's supplier (see the module)."""
    first_tier = tiers.sort("min_quantity_units").group_by("offer_id").first()
    priced = (
        offers.join(first_tier.select("offer_id", "unit_price"), on="offer_id")
        .join(currencies.select("currency_code", "usd_per_unit"), on="currency_code")
        .with_columns(
            landed_usd=pl.col("unit_price") * pl.col("usd_per_unit") * (1 + pl.col("duty_rate"))
            + pl.col("freight_usd_per_unit"),
            valid=(pl.col("valid_from") <= as_of)
            & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= as_of)),
        )
    )
    any_valid = pl.col("valid").any().over("sku_id")
    return (
        priced.filter(pl.col("valid") | ~any_valid)
        .sort("sku_id", "landed_usd", "supplier_id")
        .group_by("sku_id", maintain_order=True)
        .first()
        .select("sku_id", "supplier_id")
    )


def return_rates(
    shipped: pl.DataFrame,
    returned: pl.DataFrame,
    skus: pl.DataFrame,
    suppliers: pl.DataFrame,
    *,
    by: Grouping = "sku",
) -> pl.DataFrame:
    """Shipped and returned units, return rate and units per reason, one row per group.

    Parameters
    ----------
    shipped
        ``sku_id``, ``quantity_units`` of lines shipped in the period.
    returned
        ``sku_id``, ``quantity_units``, ``reason`` of returns asked in the period.
    skus
        ``sku_id``, ``category_id``.
    suppliers
        ``sku_id``, ``supplier_id`` (:func:`sku_suppliers`); SKUs without one get none.
    by
        ``sku``, ``category`` or ``supplier``.

    Returns
    -------
    The group key, ``shipped_units``, ``returned_units``, ``return_rate`` (null when nothing
    shipped), ``<reason>_units`` per reason, ``quality_units``, ``quality_share`` and
    ``top_reason``; most returned units first.
    """
    if by not in KEYS:
        raise ValueError(f"by must be one of {', '.join(KEYS)}; got {by!r}")
    key = KEYS[by]
    lookup = skus.select("sku_id", "category_id").join(
        suppliers.select("sku_id", "supplier_id"), on="sku_id", how="left"
    )
    out = _units_by(shipped, lookup, key, "shipped_units").join(
        _reasons_by(returned, lookup, key), on=key, how="full", coalesce=True, nulls_equal=True
    )
    counts = [*REASON_COLUMNS, "shipped_units"]
    out = out.with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in counts)
    returned_units = pl.sum_horizontal(*REASON_COLUMNS)
    quality = pl.sum_horizontal(*(f"{r.value}_units" for r in ReturnReason if r in QUALITY_REASONS))
    out = out.with_columns(returned_units=returned_units, quality_units=quality)
    return (
        out.with_columns(
            return_rate=pl.when(pl.col("shipped_units") > 0).then(
                pl.col("returned_units") / pl.col("shipped_units")
            ),
            quality_share=pl.when(pl.col("returned_units") > 0).then(
                pl.col("quality_units") / pl.col("returned_units")
            ),
            top_reason=_top_reason(),
        )
        .select(
            key,
            "shipped_units",
            "returned_units",
            "return_rate",
            *REASON_COLUMNS,
            "quality_units",
            "quality_share",
            "top_reason",
        )
        .sort(["returned_units", key], descending=[True, False], nulls_last=True)
    )


def _units_by(lines: pl.DataFrame, lookup: pl.DataFrame, key: str, name: str) -> pl.DataFrame:
    return (
        lines.join(lookup, on="sku_id", how="left")
        .group_by(key)
        .agg(pl.col("quantity_units").sum().alias(name))
    )


def _reasons_by(returned: pl.DataFrame, lookup: pl.DataFrame, key: str) -> pl.DataFrame:
    tagged = returned.join(lookup, on="sku_id", how="left")
    return tagged.group_by(key).agg(
        pl.col("quantity_units").filter(pl.col("reason") == r.value).sum().alias(f"{r.value}_units")
        for r in ReturnReason
    )


def _top_reason() -> pl.Expr:
    """The reason with most units (the first in the reason list on ties); null if none."""
    most = pl.max_horizontal(*REASON_COLUMNS)
    chosen = pl.lit(None, dtype=pl.String)
    for reason in reversed(tuple(ReturnReason)):
        chosen = (
            pl.when(pl.col(f"{reason.value}_units") == most)
            .then(pl.lit(reason.value))
            .otherwise(chosen)
        )
    return pl.when(most > 0).then(chosen)
