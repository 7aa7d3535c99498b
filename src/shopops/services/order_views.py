"""Orders as the ``orders list`` and ``orders show`` commands print them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from shopops.domain.ordering import LineStatus, StoredOrder, UnknownOrderError
from shopops.domain.orders import OrderStatus
from shopops.store import orders as store
from shopops.store.stock import available_stock
from shopops.store.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class OrderDetails:
    """An order, its lines with the units each holds, and the stock of its SKUs now."""

    order: StoredOrder
    lines: pl.DataFrame
    stock: pl.DataFrame


def list_orders(
    uow: AbstractUnitOfWork, *, statuses: Sequence[OrderStatus] = (), limit: int | None = 50
) -> pl.DataFrame:
    """Orders newest first, with lines, units, units reserved and value."""
    with uow:
        return store.order_list(uow.frames.connection, statuses=statuses, limit=limit)


def order_details(uow: AbstractUnitOfWork, external_order_id: str) -> OrderDetails:
    """The order with this external id, its lines and where their stock stands."""
    with uow:
        conn = uow.frames.connection
        order_id = store.find_order_id(conn, external_order_id)
        order = None if order_id is None else store.load_order(conn, order_id)
        if order is None:
            raise UnknownOrderError(f"external_order_id: no order {external_order_id!r}")
        stock = available_stock(conn, sorted({line.sku_id for line in order.lines}))
    return OrderDetails(order, _lines_frame(order), stock)


def _lines_frame(order: StoredOrder) -> pl.DataFrame:
    lines = order.lines
    return pl.DataFrame(
        {
            "line_no": [x.line_no for x in lines],
            "sku_id": [x.sku_id for x in lines],
            "quantity_units": [x.quantity_units for x in lines],
            "unit_price_usd": [x.unit_price_usd for x in lines],
            "status": [x.status.value for x in lines],
            "warehouse_id": [x.warehouse_id for x in lines],
            "reserved_units": [
                x.quantity_units if x.status is LineStatus.RESERVED else 0 for x in lines
            ],
            "cancel_reason": [x.cancel_reason for x in lines],
        },
        schema={
            "line_no": pl.Int64,
            "sku_id": pl.String,
            "quantity_units": pl.Int64,
            "unit_price_usd": pl.Float64,
            "status": pl.String,
            "warehouse_id": pl.String,
            "reserved_units": pl.Int64,
            "cancel_reason": pl.String,
        },
    )
