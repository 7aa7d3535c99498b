"""Stock that can be promised and reserved: on hand less reserved, and the locks that keep
two reservations from taking the same last units.

On hand is the sum of the stock ledger and reserved is what reserved order lines hold
(:mod:`shopops.store.views` reports the same figures for the whole network). A service that
reserves stock first calls :func:`lock_stock` for the SKU x warehouse pairs it will touch,
then reads :func:`available_stock` and writes, all in one transaction: on PostgreSQL a
transaction-scoped advisory lock per pair serialises reservations of the same stock (and
only those); on SQLite the lock takes the database's single write lock up front, before
the transaction has read anything, so the figures read after it are the latest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl
import sqlalchemy as sa

from shopops.domain.orders import OrderLineStatus
from shopops.store.tables import SQL_TABLES

_MOVEMENTS = SQL_TABLES["inventory_movements"]
_LINES = SQL_TABLES["order_lines"]

AVAILABLE_STOCK_SCHEMA = pl.Schema(
    {
        "sku_id": pl.String(),
        "warehouse_id": pl.String(),
        "on_hand_units": pl.Int64(),
        "reserved_units": pl.Int64(),
        "available_units": pl.Int64(),
    }
)


def lock_stock(conn: sa.Connection, pairs: Iterable[tuple[str, str]]) -> None:
    """Hold the stock of each (sku_id, warehouse_id) until the transaction ends.

    Call it before the transaction reads stock. Pairs are locked in sorted order, so two
    transactions locking overlapping pairs cannot deadlock.
    """
    keys = sorted(set(pairs))
    if conn.dialect.name == "postgresql":
        for sku_id, warehouse_id in keys:
            conn.execute(
                sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                {"key": f"stock|{sku_id}|{warehouse_id}"},
            )
    elif keys:
        conn.execute(sa.update(_LINES).where(sa.false()).values(status=_LINES.c.status))


def available_stock(conn: sa.Connection, sku_ids: Sequence[str]) -> pl.DataFrame:
    """On hand, reserved and available units of ``sku_ids`` in every warehouse holding any.

    Columns as in :data:`AVAILABLE_STOCK_SCHEMA`; one row per SKU x warehouse with stock on
    hand or reserved, sorted by SKU and warehouse.
    """
    wanted = sorted(set(sku_ids))
    if not wanted:
        return pl.DataFrame(schema=AVAILABLE_STOCK_SCHEMA)
    on_hand = (
        sa.select(
            _MOVEMENTS.c.sku_id,
            _MOVEMENTS.c.warehouse_id,
            sa.func.sum(_MOVEMENTS.c.quantity_units).label("on_hand"),
            sa.literal(0).label("reserved"),
        )
        .where(_MOVEMENTS.c.sku_id.in_(wanted))
        .group_by(_MOVEMENTS.c.sku_id, _MOVEMENTS.c.warehouse_id)
    )
    reserved = (
        sa.select(
            _LINES.c.sku_id,
            _LINES.c.warehouse_id,
            sa.literal(0).label("on_hand"),
            sa.func.sum(_LINES.c.quantity_units).label("reserved"),
        )
        .where(_LINES.c.status == OrderLineStatus.RESERVED.value, _LINES.c.sku_id.in_(wanted))
        .group_by(_LINES.c.sku_id, _LINES.c.warehouse_id)
    )
    rows = conn.execute(sa.union_all(on_hand, reserved)).all()
    frame = pl.DataFrame(
        rows, schema=["sku_id", "warehouse_id", "on_hand", "reserved"], orient="row"
    )
    if frame.is_empty():
        return pl.DataFrame(schema=AVAILABLE_STOCK_SCHEMA)
    totals = frame.group_by("sku_id", "warehouse_id").agg(
        pl.col("on_hand").sum().cast(pl.Int64).alias("on_hand_units"),
        pl.col("reserved").sum().cast(pl.Int64).alias("reserved_units"),
    )
    return (
        totals.filter((pl.col("on_hand_units") != 0) | (pl.col("reserved_units") != 0))
        .with_columns((pl.col("on_hand_units") - pl.col("reserved_units")).alias("available_units"))
        .sort("sku_id", "warehouse_id")
        .select(AVAILABLE_STOCK_SCHEMA.names())
    )
