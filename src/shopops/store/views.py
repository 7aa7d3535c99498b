"""Read-only views of the marketplace for the command line, the API and the dashboard.

Every figure is aggregated by the database (``GROUP BY``), so the answers stay quick on
tens of millions of order lines and stock movements: only per-warehouse or per-SKU
results travel to Python, as Polars frames.

Stock follows the ledger: on hand is the sum of stock movements, reserved is what
reserved order lines hold at a warehouse, and on order is what open purchase orders
still expect (ordered, less cancelled and received, never below zero).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import polars as pl
import sqlalchemy as sa

from shopops.data.schemas import ALL_TABLES
from shopops.domain.orders import OrderLineStatus, OrderStatus
from shopops.domain.supply import OPEN_PURCHASE_ORDER_STATUSES
from shopops.store.tables import SQL_TABLES

When = TypeVar("When", dt.date, dt.datetime)

_MOVEMENTS = SQL_TABLES["inventory_movements"]
_ORDER_LINES = SQL_TABLES["order_lines"]
_ORDERS = SQL_TABLES["orders"]
_PURCHASE_ORDERS = SQL_TABLES["purchase_orders"]
_PO_LINES = SQL_TABLES["purchase_order_lines"]
_RECEIPTS = SQL_TABLES["receipts"]
_SKUS = SQL_TABLES["skus"]
_WAREHOUSES = SQL_TABLES["warehouses"]
_CURRENCIES = SQL_TABLES["currencies"]

STOCK_POSITION_SCHEMA = pl.Schema(
    {
        "sku_id": pl.String(),
        "warehouse_id": pl.String(),
        "on_hand_units": pl.Int64(),
        "reserved_units": pl.Int64(),
        "on_order_units": pl.Int64(),
        "available_units": pl.Int64(),
    }
)

STOCK_FIGURES = pl.Schema(
    {
        "skus_in_stock": pl.Int64(),
        "on_hand_units": pl.Int64(),
        "stock_value_usd": pl.Float64(),
        "reserved_units": pl.Int64(),
        "on_order_units": pl.Int64(),
        "open_purchase_orders": pl.Int64(),
        "open_po_value_usd": pl.Float64(),
    }
)
"""The stock and purchasing figures reported per warehouse and in total."""

WAREHOUSE_STATUS_SCHEMA = pl.Schema(
    {"warehouse_id": pl.String(), "name": pl.String(), "operator": pl.String(), **STOCK_FIGURES}
)

_COLUMN_TYPES = dict(STOCK_POSITION_SCHEMA) | dict(WAREHOUSE_STATUS_SCHEMA)


@dataclass(frozen=True)
class DateRange(Generic[When]):
    """The first and last date (or time) of a history; both ``None`` when it is empty."""

    first: When | None
    last: When | None


@dataclass(frozen=True)
class MarketplaceStatus:
    """The marketplace at a glance: how much data there is, and stock and supply by warehouse.

    Attributes
    ----------
    table_rows
        ``table``, ``rows``: every table of the data model, in load order.
    orders_placed, stock_moved, purchase_orders_sent
        First and last ``orders.ordered_at``, ``inventory_movements.moved_at`` and
        ``purchase_orders.ordered_date``.
    orders_by_status
        ``status``, ``orders``: every order status, zero where there is none.
    warehouses
        One row per warehouse: ``warehouse_id``, ``name``, ``operator`` and the
        figures of :data:`STOCK_FIGURES`.
    totals
        One row with the :data:`STOCK_FIGURES` over all warehouses; ``skus_in_stock``
        counts SKUs in stock anywhere.
    """

    table_rows: pl.DataFrame
    orders_placed: DateRange[dt.datetime]
    stock_moved: DateRange[dt.datetime]
    purchase_orders_sent: DateRange[dt.date]
    orders_by_status: pl.DataFrame
    warehouses: pl.DataFrame
    totals: pl.DataFrame


def stock_positions(conn: sa.Connection) -> pl.DataFrame:
    """On-hand, reserved, on-order and available units per SKU and warehouse.

    One row per (SKU, warehouse) where any of the first three is not zero, ordered by
    SKU and warehouse; columns as in :data:`STOCK_POSITION_SCHEMA`.
    """
    on_hand, reserved, on_order = _on_hand(), _reserved(), _on_order()
    keyed = sa.union_all(
        sa.select(on_hand.c.sku_id, on_hand.c.warehouse_id, on_hand.c.units, _zero(), _zero()),
        sa.select(reserved.c.sku_id, reserved.c.warehouse_id, _zero(), reserved.c.units, _zero()),
        sa.select(on_order.c.sku_id, on_order.c.warehouse_id, _zero(), _zero(), on_order.c.units),
    ).subquery("keyed")
    on_hand_units, reserved_units, on_order_units = (_total(column) for column in list(keyed.c)[2:])
    query = (
        sa.select(
            keyed.c.sku_id,
            keyed.c.warehouse_id,
            on_hand_units,
            reserved_units,
            on_order_units,
            on_hand_units - reserved_units,
        )
        .group_by(keyed.c.sku_id, keyed.c.warehouse_id)
        .having(sa.or_(on_hand_units != 0, reserved_units != 0, on_order_units != 0))
    )
    rows = conn.execute(query).all()
    return _frame(rows, STOCK_POSITION_SCHEMA.names()).sort("sku_id", "warehouse_id")


def marketplace_status(conn: sa.Connection) -> MarketplaceStatus:
    """Row counts, history date ranges, orders by status, and stock and supply by warehouse."""
    stock = _stock_by_warehouse(conn)
    warehouses = _warehouse_figures(conn, stock.filter(pl.col("warehouse_id").is_not_null()))
    return MarketplaceStatus(
        table_rows=_table_rows(conn),
        orders_placed=_date_range(conn, _ORDERS.c.ordered_at),
        stock_moved=_date_range(conn, _MOVEMENTS.c.moved_at),
        purchase_orders_sent=_date_range(conn, _PURCHASE_ORDERS.c.ordered_date),
        orders_by_status=_orders_by_status(conn),
        warehouses=warehouses,
        totals=_totals(warehouses, stock.filter(pl.col("warehouse_id").is_null())),
    )


def _on_hand() -> sa.Subquery:
    """Units on hand per SKU and warehouse: the sum of the stock ledger."""
    return (
        sa.select(
            _MOVEMENTS.c.sku_id,
            _MOVEMENTS.c.warehouse_id,
            _total(_MOVEMENTS.c.quantity_units).label("units"),
        )
        .group_by(_MOVEMENTS.c.sku_id, _MOVEMENTS.c.warehouse_id)
        .subquery("on_hand")
    )


def _reserved() -> sa.Subquery:
    """Units that reserved order lines hold, per warehouse and SKU."""
    return (
        sa.select(
            _ORDER_LINES.c.sku_id,
            _ORDER_LINES.c.warehouse_id,
            _total(_ORDER_LINES.c.quantity_units).label("units"),
        )
        .where(_ORDER_LINES.c.status == OrderLineStatus.RESERVED.value)
        .group_by(_ORDER_LINES.c.warehouse_id, _ORDER_LINES.c.sku_id)
        .subquery("reserved")
    )


def _open_po_lines() -> sa.Subquery:
    """Lines of open purchase orders: units still expected and their value in USD.

    An open order without lines still appears, once, with no units, so it is counted.
    """
    received = (
        sa.select(
            _RECEIPTS.c.po_id,
            _RECEIPTS.c.line_no,
            _total(_RECEIPTS.c.received_units).label("units"),
        )
        .group_by(_RECEIPTS.c.po_id, _RECEIPTS.c.line_no)
        .subquery("received")
    )
    left = (
        _PO_LINES.c.quantity_units
        - _PO_LINES.c.cancelled_units
        - sa.func.coalesce(received.c.units, 0)
    )
    expected = sa.case((left > 0, left), else_=0)
    return (
        sa.select(
            _PURCHASE_ORDERS.c.po_id,
            _PURCHASE_ORDERS.c.warehouse_id,
            _PO_LINES.c.sku_id,
            expected.label("units"),
            (expected * _PO_LINES.c.unit_price * _CURRENCIES.c.usd_per_unit).label("value_usd"),
        )
        .select_from(_PURCHASE_ORDERS)
        .join(_CURRENCIES, _CURRENCIES.c.currency_code == _PURCHASE_ORDERS.c.currency_code)
        .outerjoin(_PO_LINES, _PO_LINES.c.po_id == _PURCHASE_ORDERS.c.po_id)
        .outerjoin(
            received,
            sa.and_(
                received.c.po_id == _PO_LINES.c.po_id, received.c.line_no == _PO_LINES.c.line_no
            ),
        )
        .where(_PURCHASE_ORDERS.c.status.in_(sorted(OPEN_PURCHASE_ORDER_STATUSES)))
        .subquery("open_po_lines")
    )


def _on_order() -> sa.Subquery:
    """Units open purchase orders still expect, per receiving warehouse and SKU."""
    lines = _open_po_lines()
    return (
        sa.select(lines.c.sku_id, lines.c.warehouse_id, _total(lines.c.units).label("units"))
        .where(lines.c.sku_id.is_not(None))
        .group_by(lines.c.warehouse_id, lines.c.sku_id)
        .subquery("on_order")
    )


def _stock_by_warehouse(conn: sa.Connection) -> pl.DataFrame:
    """SKUs in stock, units on hand and their value at standard cost, per warehouse.

    A last row with no ``warehouse_id`` holds the same over all warehouses, counting a
    SKU in stock once however many warehouses hold it. The stock ledger is summed once.
    """
    on_hand = _on_hand()
    valued = (
        sa.select(
            on_hand.c.sku_id,
            on_hand.c.warehouse_id,
            on_hand.c.units,
            (on_hand.c.units * _SKUS.c.unit_cost_usd).label("value_usd"),
        )
        .join(_SKUS, _SKUS.c.sku_id == on_hand.c.sku_id)
        .cte("valued")
    )
    in_stock = valued.c.units > 0
    figures = (
        _total(valued.c.units).label("on_hand_units"),
        sa.func.sum(valued.c.value_usd).label("stock_value_usd"),
    )
    query = sa.union_all(
        sa.select(valued.c.warehouse_id, sa.func.count(sa.case((in_stock, 1))), *figures).group_by(
            valued.c.warehouse_id
        ),
        sa.select(
            sa.null(), sa.func.count(sa.distinct(sa.case((in_stock, valued.c.sku_id)))), *figures
        ),
    )
    return _frame(conn.execute(query).all(), ["warehouse_id", *STOCK_FIGURES.names()[:3]])


def _reserved_by_warehouse(conn: sa.Connection) -> pl.DataFrame:
    reserved = _reserved()
    query = sa.select(
        reserved.c.warehouse_id, _total(reserved.c.units).label("reserved_units")
    ).group_by(reserved.c.warehouse_id)
    return _frame(conn.execute(query).all(), ["warehouse_id", "reserved_units"])


def _supply_by_warehouse(conn: sa.Connection) -> pl.DataFrame:
    """Open purchase orders per receiving warehouse: units still expected, count and value."""
    lines = _open_po_lines()
    query = sa.select(
        lines.c.warehouse_id,
        _total(lines.c.units),
        sa.func.count(sa.distinct(lines.c.po_id)),
        sa.func.sum(lines.c.value_usd),
    ).group_by(lines.c.warehouse_id)
    return _frame(conn.execute(query).all(), ["warehouse_id", *STOCK_FIGURES.names()[4:]])


def _warehouse_figures(conn: sa.Connection, stock: pl.DataFrame) -> pl.DataFrame:
    """Every warehouse with its stock, reservations and open purchase orders."""
    houses = sa.select(_WAREHOUSES.c.warehouse_id, _WAREHOUSES.c.name, _WAREHOUSES.c.operator)
    frame = _frame(conn.execute(houses).all(), WAREHOUSE_STATUS_SCHEMA.names()[:3])
    for figures in (stock, _reserved_by_warehouse(conn), _supply_by_warehouse(conn)):
        frame = frame.join(figures, on="warehouse_id", how="left")
    return frame.fill_null(0).sort("warehouse_id").select(WAREHOUSE_STATUS_SCHEMA.names())


def _totals(warehouses: pl.DataFrame, all_stock: pl.DataFrame) -> pl.DataFrame:
    """The per-warehouse figures summed, with SKUs in stock counted once."""
    summed = warehouses.select(pl.col(name).sum() for name in STOCK_FIGURES.names()[1:])
    skus_in_stock = all_stock.select(pl.col("skus_in_stock").fill_null(0).sum())
    return pl.concat([skus_in_stock, summed], how="horizontal").cast(STOCK_FIGURES)


def _table_rows(conn: sa.Connection) -> pl.DataFrame:
    """Row count of every table, in one statement."""
    counts = sa.select(
        *(
            sa.select(sa.func.count()).select_from(SQL_TABLES[spec.name]).scalar_subquery()
            for spec in ALL_TABLES
        )
    )
    rows = conn.execute(counts).one()
    return pl.DataFrame(
        {"table": [spec.name for spec in ALL_TABLES], "rows": list(rows)},
        schema={"table": pl.String(), "rows": pl.Int64()},
    )


def _date_range(conn: sa.Connection, column: sa.Column[Any]) -> DateRange[Any]:
    """First and last value of ``column``, as two subqueries that an index answers at once.

    SQLite looks up ``min`` or ``max`` in an index only when a query asks for it alone.
    """
    first = sa.select(sa.func.min(column)).scalar_subquery()
    last = sa.select(sa.func.max(column)).scalar_subquery()
    row = conn.execute(sa.select(first.label("first"), last.label("last"))).one()
    return DateRange(row.first, row.last)


def _orders_by_status(conn: sa.Connection) -> pl.DataFrame:
    """Orders per status, every status listed in its lifecycle order."""
    query = sa.select(_ORDERS.c.status, sa.func.count()).group_by(_ORDERS.c.status)
    counts: dict[str, int] = dict(conn.execute(query).all())
    statuses = [status.value for status in OrderStatus]
    return pl.DataFrame(
        {"status": statuses, "orders": [counts.get(status, 0) for status in statuses]},
        schema={"status": pl.String(), "orders": pl.Int64()},
    )


def _frame(rows: Iterable[Sequence[Any]], columns: Sequence[str]) -> pl.DataFrame:
    """Result rows as a frame with the named columns, typed as in the published schemas."""
    schema = {name: _COLUMN_TYPES[name] for name in columns}
    return pl.DataFrame([tuple(row) for row in rows], schema=schema, orient="row")


def _zero() -> sa.ColumnElement[int]:
    return sa.literal(0, sa.BigInteger())


def _total(units: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    """Sum of a units column as a whole number (PostgreSQL would return numeric)."""
    return sa.cast(sa.func.sum(units), sa.BigInteger())
