"""The frames sourcing reads: their required columns, checked before anything is built."""

from __future__ import annotations

import polars as pl

REQUIREMENT_COLUMNS = (
    "requirement_id",
    "sku_id",
    "category_id",
    "warehouse_id",
    "abc_class",
    "need_by_date",
    "quantity_units",
    "shortfall_cost_usd_per_unit",
)
OFFER_COLUMNS = (
    "offer_id",
    "supplier_id",
    "sku_id",
    "moq_units",
    "order_multiple_units",
    "lead_time_days",
    "capacity_units_per_week",
    "freight_usd_per_unit",
    "duty_rate",
    "fixed_order_cost_usd",
    "expedite_lead_time_days",
    "expedite_cost_usd_per_unit",
)
TIER_COLUMNS = ("offer_id", "min_quantity_units", "unit_price_usd")
SUPPLIER_COLUMNS = ("supplier_id", "risk_score", "excluded_reason", "warning")


def require_columns(frame: pl.DataFrame, columns: tuple[str, ...], name: str) -> None:
    """Raise ``ValueError`` naming the first of ``columns`` that ``frame`` lacks."""
    for column in columns:
        if column not in frame.columns:
            raise ValueError(f"{name} needs the column {column!r}")


def validate_inputs(
    requirements: pl.DataFrame,
    offers: pl.DataFrame,
    tiers: pl.DataFrame,
    suppliers: pl.DataFrame,
) -> None:
    """Check columns and the few facts the model relies on, with a clear message."""
    require_columns(requirements, REQUIREMENT_COLUMNS, "requirements")
    require_columns(offers, OFFER_COLUMNS, "offers")
    require_columns(tiers, TIER_COLUMNS, "tiers")
    require_columns(suppliers, SUPPLIER_COLUMNS, "suppliers")
    if requirements["requirement_id"].n_unique() != requirements.height:
        raise ValueError("requirements: requirement_id must be unique")
    if requirements.filter(pl.col("quantity_units") <= 0).height:
        raise ValueError("requirements: quantity_units must be positive")
    if offers["offer_id"].n_unique() != offers.height:
        raise ValueError("offers: offer_id must be unique")
    if suppliers["supplier_id"].n_unique() != suppliers.height:
        raise ValueError("suppliers: supplier_id must be unique")
