"""Customer orders and their lines in SQL: intake, reservation and cancellation.

Every function runs on the caller's connection, inside its transaction. A new order
number is ``max + 1`` read in the transaction after :func:`lock_order_numbers`, and
inserted with ``ON CONFLICT DO NOTHING``: should a number be taken meanwhile anyway it is
retried with the next one, and an ``external_order_id`` stored meanwhile is reported as
such. Line and order
statuses change only through conditional ``UPDATE`` s (``WHERE status = expected``), so
of two concurrent changes of the same line exactly one takes effect.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from shopops.data.schemas import TABLES_BY_NAME
from shopops.domain.catalog import SkuStatus
from shopops.domain.ordering import (
    KnownReferences,
    LineStatus,
    OrderLineRequest,
    StoredLine,
    StoredOrder,
)
from shopops.domain.orders import CancelReason, OrderStatus
from shopops.store.tables import SQL_TABLES

_ORDERS = SQL_TABLES["orders"]
_LINES = SQL_TABLES["order_lines"]
_SKUS = SQL_TABLES["skus"]
_REGIONS = SQL_TABLES["regions"]
_EVENTS = SQL_TABLES["sales_events"]
_WAREHOUSES = SQL_TABLES["warehouses"]
_ZONES = SQL_TABLES["shipping_zones"]
_SERVICES = SQL_TABLES["carrier_services"]

_ID_ATTEMPTS = 50
_HEADER = tuple(f for f in StoredOrder.__slots__ if f != "lines")
_LINE = tuple(f for f in StoredLine.__slots__)


def known_references(
    conn: sa.Connection,
    *,
    sku_ids: Iterable[str],
    region_ids: Iterable[str],
    event_ids: Iterable[str],
) -> KnownReferences:
    """Which of the given codes exist, and the status of each SKU found."""
    skus = sorted(set(sku_ids))
    statuses = conn.execute(
        sa.select(_SKUS.c.sku_id, _SKUS.c.status).where(_SKUS.c.sku_id.in_(skus))
    )
    regions = _existing(conn, _REGIONS.c.region_id, region_ids)
    events = _existing(conn, _EVENTS.c.event_id, event_ids)
    return KnownReferences(
        region_ids=regions,
        event_ids=events,
        sku_statuses={sku: SkuStatus(status) for sku, status in statuses},
    )


def _existing(conn: sa.Connection, column: sa.Column[Any], values: Iterable[str]) -> frozenset[str]:
    wanted = sorted(set(values))
    if not wanted:
        return frozenset()
    return frozenset(conn.execute(sa.select(column).where(column.in_(wanted))).scalars())


def find_order_id(conn: sa.Connection, external_order_id: str) -> int | None:
    query = sa.select(_ORDERS.c.order_id).where(_ORDERS.c.external_order_id == external_order_id)
    return conn.execute(query).scalar_one_or_none()


def find_order_ids(conn: sa.Connection, external_order_ids: Sequence[str]) -> dict[str, int]:
    """``external_order_id -> order_id`` of those stored."""
    wanted = sorted(set(external_order_ids))
    query = sa.select(_ORDERS.c.external_order_id, _ORDERS.c.order_id).where(
        _ORDERS.c.external_order_id.in_(wanted)
    )
    return {external: int(order_id) for external, order_id in conn.execute(query)}


def load_order(
    conn: sa.Connection, order_id: int, *, for_update: bool = False
) -> StoredOrder | None:
    """The order with its lines; ``for_update`` holds its row until the transaction ends
    (PostgreSQL; SQLite holds the whole database once the transaction writes)."""
    query = sa.select(*(_ORDERS.c[f] for f in _HEADER)).where(_ORDERS.c.order_id == order_id)
    row = conn.execute(query.with_for_update() if for_update else query).one_or_none()
    if row is None:
        return None
    values = row._asdict()
    values["status"] = OrderStatus(values["status"])
    return StoredOrder(**values, lines=tuple(load_lines(conn, order_id)))


def load_lines(conn: sa.Connection, order_id: int) -> list[StoredLine]:
    query = (
        sa.select(*(_LINES.c[f] for f in _LINE))
        .where(_LINES.c.order_id == order_id)
        .order_by(_LINES.c.line_no)
    )
    return [
        StoredLine(**(row._asdict() | {"status": LineStatus(row.status)}))
        for row in conn.execute(query)
    ]


def lock_order_numbers(conn: sa.Connection) -> None:
    """Hold the numbering of new orders until the transaction ends.

    Without it, concurrent intakes read the same ``max(order_id)`` and all but one retry,
    and under a flash sale a request can lose again and again. On PostgreSQL a
    transaction-scoped advisory lock; on SQLite the database's write lock, taken before the
    transaction reads anything (call it first, or after :func:`~shopops.store.stock.lock_stock`).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": "orders|order_id"},
        )
    else:
        conn.execute(sa.update(_ORDERS).where(sa.false()).values(status=_ORDERS.c.status))


def add_order(conn: sa.Connection, header: Mapping[str, Any]) -> int | None:
    """Store an order header under a new number; ``None`` if its external id is stored.

    ``header`` holds every column but ``order_id``.
    """
    external = header["external_order_id"]
    tried = 0
    for _ in range(_ID_ATTEMPTS):
        top = conn.execute(sa.select(sa.func.max(_ORDERS.c.order_id))).scalar_one_or_none()
        tried = max(int(top or 0), tried) + 1
        if _insert_new(conn, _ORDERS, {"order_id": tried, **header}):
            return tried
        if find_order_id(conn, external) is not None:
            return None
    raise RuntimeError(f"no free orders.order_id after {_ID_ATTEMPTS} attempts")


def _insert_new(conn: sa.Connection, table: sa.Table, values: Mapping[str, Any]) -> bool:
    """Insert unless a key or unique value is taken; whether the row went in."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    key = list(table.primary_key.columns)
    statement = insert(table).values(dict(values)).on_conflict_do_nothing().returning(*key)
    return conn.execute(statement).first() is not None


def add_lines(conn: sa.Connection, order_id: int, lines: Sequence[OrderLineRequest]) -> None:
    """Store the lines of a new order as open lines numbered from 1."""
    rows = [
        {
            "order_id": order_id,
            "line_no": number,
            "sku_id": line.sku_id,
            "quantity_units": line.quantity_units,
            "unit_price_usd": float(line.unit_price_usd),
            "status": LineStatus.OPEN.value,
            "warehouse_id": None,
            "shipment_id": None,
            "cancel_reason": None,
        }
        for number, line in enumerate(lines, start=1)
    ]
    conn.execute(sa.insert(_LINES), rows)


def reserve_line(conn: sa.Connection, order_id: int, line_no: int, warehouse_id: str) -> bool:
    """Mark an open line reserved at ``warehouse_id``; whether this call did it."""
    result = conn.execute(
        sa.update(_LINES)
        .where(
            _LINES.c.order_id == order_id,
            _LINES.c.line_no == line_no,
            _LINES.c.status == LineStatus.OPEN.value,
        )
        .values(status=LineStatus.RESERVED.value, warehouse_id=warehouse_id)
    )
    return result.rowcount == 1


def cancel_line(
    conn: sa.Connection, order_id: int, line_no: int, current: LineStatus, reason: CancelReason
) -> bool:
    """Cancel a line that still is ``current``, keeping its warehouse; whether this call did it."""
    result = conn.execute(
        sa.update(_LINES)
        .where(
            _LINES.c.order_id == order_id,
            _LINES.c.line_no == line_no,
            _LINES.c.status == current.value,
        )
        .values(status=LineStatus.CANCELLED.value, cancel_reason=reason.value)
    )
    return result.rowcount == 1


def change_order_status(
    conn: sa.Connection, order_id: int, from_status: OrderStatus, to_status: OrderStatus
) -> bool:
    """Set the order's status if it still is ``from_status``; whether this call changed it."""
    result = conn.execute(
        sa.update(_ORDERS)
        .where(_ORDERS.c.order_id == order_id, _ORDERS.c.status == from_status.value)
        .values(status=to_status.value)
    )
    return result.rowcount == 1


def warehouse_ids(conn: sa.Connection) -> list[str]:
    return list(
        conn.execute(sa.select(_WAREHOUSES.c.warehouse_id).order_by("warehouse_id")).scalars()
    )


def latest_cutoff_hour(conn: sa.Connection) -> int | None:
    """The latest order cut-off hour of any warehouse; ``None`` without warehouses."""
    top = conn.execute(sa.select(sa.func.max(_WAREHOUSES.c.order_cutoff_hour))).scalar_one()
    return None if top is None else int(top)


def zones_by_distance(conn: sa.Connection, region_ids: Iterable[str]) -> pl.DataFrame:
    """Warehouses shipping to each region, nearest first: region_id, warehouse_id, zone, km."""
    query = (
        sa.select(_ZONES.c.region_id, _ZONES.c.warehouse_id, _ZONES.c.zone, _ZONES.c.distance_km)
        .where(_ZONES.c.region_id.in_(sorted(set(region_ids))))
        .order_by(_ZONES.c.region_id, _ZONES.c.distance_km, _ZONES.c.warehouse_id)
    )
    schema = {
        "region_id": pl.String,
        "warehouse_id": pl.String,
        "zone": pl.Int64,
        "distance_km": pl.Float64,
    }
    return pl.DataFrame(conn.execute(query).all(), schema=schema, orient="row")


def sku_parcels(conn: sa.Connection, sku_ids: Iterable[str]) -> dict[str, tuple[float, float]]:
    """``sku_id -> (weight_kg, volume_cm3)`` of one packed unit."""
    volume = _SKUS.c.length_cm * _SKUS.c.width_cm * _SKUS.c.height_cm
    query = sa.select(_SKUS.c.sku_id, _SKUS.c.weight_kg, volume).where(
        _SKUS.c.sku_id.in_(sorted(set(sku_ids)))
    )
    return {sku: (float(kg), float(cm3)) for sku, kg, cm3 in conn.execute(query)}


def rate_frames(conn: sa.Connection) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The carrier services, rate cards and transit times, as the rate table is built from.

    Plain selects: these tables are small, and a select beats a bulk copy-out for them.
    """
    return tuple(_small_table(conn, name) for name in _RATE_TABLES)  # type: ignore[return-value]


_RATE_TABLES = ("carrier_services", "rate_cards", "transit_times")


def _small_table(conn: sa.Connection, name: str) -> pl.DataFrame:
    table = SQL_TABLES[name]
    spec = TABLES_BY_NAME[name]
    rows = conn.execute(sa.select(table)).all()
    return pl.DataFrame(rows, schema=spec.polars_schema(), orient="row")


def service_levels(conn: sa.Connection) -> dict[str, str]:
    query = sa.select(_SERVICES.c.service_id, _SERVICES.c.service_level)
    return {str(row.service_id): str(row.service_level) for row in conn.execute(query)}


def order_list(
    conn: sa.Connection, *, statuses: Sequence[OrderStatus] = (), limit: int | None = None
) -> pl.DataFrame:
    """Orders newest first with their lines, units, units reserved and value."""
    chosen = sa.select(_ORDERS.c.order_id).order_by(_ORDERS.c.order_id.desc()).limit(limit)
    if statuses:
        chosen = chosen.where(_ORDERS.c.status.in_([s.value for s in statuses]))
    chosen_ids = chosen.subquery("chosen")
    reserved = sa.case(
        (_LINES.c.status == LineStatus.RESERVED.value, _LINES.c.quantity_units), else_=0
    )
    header = [
        _ORDERS.c[c]
        for c in ("order_id", "external_order_id", "channel", "ordered_at", "region_id", "status")
    ]
    query = (
        sa.select(
            *header,
            sa.func.count(_LINES.c.line_no).label("lines"),
            sa.func.coalesce(sa.func.sum(_LINES.c.quantity_units), 0).label("units"),
            sa.func.coalesce(sa.func.sum(reserved), 0).label("reserved_units"),
            sa.func.coalesce(
                sa.func.sum(_LINES.c.quantity_units * _LINES.c.unit_price_usd), 0.0
            ).label("value_usd"),
            _ORDERS.c.promised_dispatch_date,
            _ORDERS.c.promised_delivery_date,
        )
        .join(chosen_ids, chosen_ids.c.order_id == _ORDERS.c.order_id)
        .outerjoin(_LINES, _LINES.c.order_id == _ORDERS.c.order_id)
        .group_by(*header, _ORDERS.c.promised_dispatch_date, _ORDERS.c.promised_delivery_date)
        .order_by(_ORDERS.c.order_id.desc())
    )
    rows = conn.execute(query).all()
    names = [c.name for c in query.selected_columns]
    frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
    return frame.with_columns(
        pl.col("lines", "units", "reserved_units").cast(pl.Int64),
        pl.col("value_usd").cast(pl.Float64),
    )


def lines_of_orders(
    conn: sa.Connection, order_ids: Iterable[int]
) -> dict[tuple[int, int], StoredLine]:
    """The lines of the given orders by ``(order_id, line_no)``."""
    wanted = sorted(set(order_ids))
    query = sa.select(_LINES.c.order_id, *(_LINES.c[f] for f in _LINE)).where(
        _LINES.c.order_id.in_(wanted)
    )
    found: dict[tuple[int, int], StoredLine] = {}
    for order_id, *values in conn.execute(query):
        line = StoredLine(*values)
        found[(int(order_id), line.line_no)] = dataclasses.replace(
            line, status=LineStatus(line.status)
        )
    return found
