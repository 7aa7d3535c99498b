"""Facts about shipments that the warehouse and carrier scorecards both judge."""

from __future__ import annotations

import polars as pl

from shopops.domain.orders import ReturnReason, ReturnStatus, ShipmentStatus


def with_damage(
    shipments: pl.DataFrame, order_lines: pl.DataFrame, returns: pl.DataFrame
) -> pl.DataFrame:
    """``shipments`` with ``damaged``: the shipment ended in a carrier exception, or a line it
    carried came back with the reason *damaged* (returns the marketplace rejected aside)."""
    damaged_returns = returns.filter(
        (pl.col("reason") == ReturnReason.DAMAGED.value)
        & (pl.col("status") != ReturnStatus.REJECTED.value)
    ).select("order_id", "line_no")
    damaged_ids = (
        order_lines.filter(pl.col("shipment_id").is_not_null())
        .join(damaged_returns, on=["order_id", "line_no"], how="semi")
        .select(pl.col("shipment_id").unique())
    )
    return shipments.with_columns(
        damaged=(pl.col("status") == ShipmentStatus.EXCEPTION.value)
        | pl.col("shipment_id").is_in(damaged_ids["shipment_id"].implode())
    )


def not_cancelled(shipments: pl.DataFrame) -> pl.DataFrame:
    return shipments.filter(pl.col("status") != ShipmentStatus.CANCELLED.value)
