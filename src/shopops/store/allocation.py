"""Loading the batch an allocation run works on, and storing what it decided."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import sqlalchemy as sa

from shopops.domain.orders import OrderLineStatus, OrderStatus
from shopops.store.frames import FrameStore
from shopops.store.stock import available_stock

_OPEN_LINES = (
    "order_id IN (SELECT order_id FROM orders WHERE status IN (:open, :allocated)) "
    "AND status = :line_open"
)


@dataclass(frozen=True)
class AllocationBatch:
    """Open orders with their open lines, and the network they can ship from.

    ``stock`` holds ``available_units`` (on hand less reserved) of the batch's SKUs per
    warehouse; ``services``, ``rate_cards`` and ``transit_times`` are the carrier tables.
    """

    orders: pl.DataFrame
    lines: pl.DataFrame
    skus: pl.DataFrame
    stock: pl.DataFrame
    warehouses: pl.DataFrame
    zones: pl.DataFrame
    services: pl.DataFrame
    rate_cards: pl.DataFrame
    transit_times: pl.DataFrame


def _open_line_params() -> dict[str, str]:
    return {
        "open": OrderStatus.OPEN.value,
        "allocated": OrderStatus.ALLOCATED.value,
        "line_open": OrderLineStatus.OPEN.value,
    }


def has_open_lines(conn: sa.Connection) -> bool:
    """Whether any order has a line still to allocate."""
    query = sa.text(f"SELECT 1 FROM order_lines WHERE {_OPEN_LINES} LIMIT 1")
    return conn.execute(query, _open_line_params()).first() is not None


def load_allocation_batch(frames: FrameStore) -> AllocationBatch:
    """Orders open or partly allocated with the lines still open, and the network."""
    params = _open_line_params()
    lines = frames.read("order_lines", where=_OPEN_LINES, params=params)
    orders = frames.read(
        "orders",
        where=f"order_id IN (SELECT order_id FROM order_lines WHERE {_OPEN_LINES})",
        params=params,
    )
    sku_ids = lines["sku_id"].unique().to_list()
    return AllocationBatch(
        orders=orders,
        lines=lines,
        skus=frames.read("skus"),
        stock=available_stock(frames.connection, sku_ids),
        warehouses=frames.read("warehouses"),
        zones=frames.read("shipping_zones"),
        services=frames.read("carrier_services"),
        rate_cards=frames.read("rate_cards"),
        transit_times=frames.read("transit_times"),
    )


def save_allocation(frames: FrameStore, allocations: pl.DataFrame, summaries: pl.DataFrame) -> None:
    """Write a run's line allocations and the summary of each method."""
    frames.write("fulfillment_allocations", allocations)
    frames.write("allocation_summaries", summaries)
