"""Shipments, their events, the lines they carry and their pick movements, in SQL.

Every function runs on the caller's connection, inside its transaction. A shipment's
status changes only through :func:`change_status`, one conditional ``UPDATE`` on the
status (and on whether picking finished): of two concurrent identical steps exactly one
takes effect. Lines join a shipment only while reserved and on none
(:func:`attach_lines`), so two concurrent creations cannot put a line on two parcels.
New numbers are ``max + 1``, inserted in a savepoint and retried when taken meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import sqlalchemy as sa

from shopops.data.schemas import ALL_TABLES
from shopops.domain.inventory import MovementReference, MovementType
from shopops.domain.orders import OrderLineStatus, OrderStatus, ShipmentStatus
from shopops.store.tables import SQL_TABLES

_SHIPMENTS = SQL_TABLES["shipments"]
_EVENTS = SQL_TABLES["shipment_events"]
_LINES = SQL_TABLES["order_lines"]
_ORDERS = SQL_TABLES["orders"]
_SKUS = SQL_TABLES["skus"]
_MOVEMENTS = SQL_TABLES["inventory_movements"]
_SERVICES = SQL_TABLES["carrier_services"]
_CARRIERS = SQL_TABLES["carriers"]
_CARTONS = SQL_TABLES["cartons"]
_WAREHOUSES = SQL_TABLES["warehouses"]
_ALLOCATIONS = SQL_TABLES["fulfillment_allocations"]

_ID_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    """A shipment with what its steps need: its order, carrier, and carton's packaging SKU."""

    shipment_id: int
    order_id: int
    external_order_id: str
    warehouse_id: str
    service_id: str
    carrier_id: str
    tracking_number_pattern: str | None
    status: ShipmentStatus
    carton_code: str | None
    packaging_sku_id: str | None
    tracking_number: str | None
    created_at: dt.datetime
    picked_at: dt.datetime | None
    packed_at: dt.datetime | None
    shipped_at: dt.datetime | None

    @property
    def last_step_at(self) -> dt.datetime:
        """When the latest of its timed steps happened."""
        times = (self.picked_at, self.packed_at, self.shipped_at)
        return max([self.created_at, *(t for t in times if t is not None)])

    @property
    def label(self) -> str:
        return f"shipment {self.shipment_id} (order {self.external_order_id})"


@dataclass(frozen=True, slots=True)
class ShipmentLine:
    order_id: int
    line_no: int
    sku_id: str
    quantity_units: int
    status: OrderLineStatus


def order_ids_by_reference(conn: sa.Connection, references: Sequence[str]) -> dict[str, int]:
    """The order number of each ``references`` entry found as external id or as number."""
    found: dict[str, int] = {}
    by_external = sa.select(_ORDERS.c.external_order_id, _ORDERS.c.order_id).where(
        _ORDERS.c.external_order_id.in_(list(references))
    )
    found.update({str(ref): int(order_id) for ref, order_id in conn.execute(by_external)})
    numbers = {int(r): r for r in references if r not in found and r.isdigit()}
    if numbers:
        by_id = sa.select(_ORDERS.c.order_id).where(_ORDERS.c.order_id.in_(list(numbers)))
        found.update({numbers[int(order_id)]: int(order_id) for order_id in conn.scalars(by_id)})
    return found


def orders_with_unshipped_lines(conn: sa.Connection) -> list[int]:
    """Orders having reserved lines on no shipment, by number."""
    query = (
        sa.select(_LINES.c.order_id)
        .where(_waiting_line())
        .group_by(_LINES.c.order_id)
        .order_by(_LINES.c.order_id)
    )
    return [int(order_id) for order_id in conn.scalars(query)]


def _waiting_line() -> sa.ColumnElement[bool]:
    return sa.and_(
        _LINES.c.status == OrderLineStatus.RESERVED.value,
        _LINES.c.warehouse_id.is_not(None),
        _LINES.c.shipment_id.is_(None),
    )


def unshipped_lines(conn: sa.Connection, order_ids: Sequence[int]) -> pl.DataFrame:
    """Reserved lines on no shipment of ``order_ids``, with their SKU's size and order's lane."""
    query = (
        sa.select(
            *_columns(_LINES, "order_id", "line_no", "sku_id", "quantity_units", "warehouse_id"),
            *_columns(_SKUS, "length_cm", "width_cm", "height_cm", "weight_kg", "packaging_type"),
            *_columns(_ORDERS, "region_id", "promised_delivery_date"),
        )
        .join(_SKUS, _SKUS.c.sku_id == _LINES.c.sku_id)
        .join(_ORDERS, _ORDERS.c.order_id == _LINES.c.order_id)
        .where(_waiting_line(), _LINES.c.order_id.in_(list(order_ids)))
        .order_by(_LINES.c.order_id, _LINES.c.line_no)
    )
    return query_frame(conn, query)


def latest_allocations(conn: sa.Connection, order_ids: Sequence[int]) -> pl.DataFrame:
    """Each line's warehouse and service in the latest allocation run that placed it."""
    latest = (
        sa.select(
            _ALLOCATIONS.c.order_id,
            _ALLOCATIONS.c.line_no,
            sa.func.max(_ALLOCATIONS.c.run_id).label("run_id"),
        )
        .where(_ALLOCATIONS.c.order_id.in_(list(order_ids)))
        .group_by(_ALLOCATIONS.c.order_id, _ALLOCATIONS.c.line_no)
        .subquery("latest")
    )
    query = sa.select(
        *_columns(_ALLOCATIONS, "order_id", "line_no", "warehouse_id", "service_id")
    ).join(
        latest,
        sa.and_(
            latest.c.order_id == _ALLOCATIONS.c.order_id,
            latest.c.line_no == _ALLOCATIONS.c.line_no,
            latest.c.run_id == _ALLOCATIONS.c.run_id,
        ),
    )
    return query_frame(conn, query)


def add_shipment(conn: sa.Connection, values: Mapping[str, Any]) -> int:
    """Insert a shipment under the next free number; returns it."""
    return _insert_with_new_id(conn, _SHIPMENTS, "shipment_id", values)


def attach_lines(
    conn: sa.Connection, shipment_id: int, order_id: int, line_nos: Sequence[int]
) -> int:
    """Put the lines on the shipment if they are still reserved and on none; lines moved."""
    result = conn.execute(
        sa.update(_LINES)
        .where(_LINES.c.order_id == order_id, _LINES.c.line_no.in_(list(line_nos)), _waiting_line())
        .values(shipment_id=shipment_id)
    )
    return int(result.rowcount)


def load_shipment(conn: sa.Connection, shipment_id: int) -> ShipmentRecord | None:
    query = (
        sa.select(
            *_columns(_SHIPMENTS, "shipment_id", "order_id"),
            _ORDERS.c.external_order_id,
            *_columns(_SHIPMENTS, "warehouse_id", "service_id"),
            _SERVICES.c.carrier_id,
            _CARRIERS.c.tracking_number_pattern,
            *_columns(_SHIPMENTS, "status", "carton_code"),
            _CARTONS.c.sku_id.label("packaging_sku_id"),
            *_columns(_SHIPMENTS, "tracking_number", "created_at", "picked_at"),
            *_columns(_SHIPMENTS, "packed_at", "shipped_at"),
        )
        .join(_ORDERS, _ORDERS.c.order_id == _SHIPMENTS.c.order_id)
        .join(_SERVICES, _SERVICES.c.service_id == _SHIPMENTS.c.service_id)
        .join(_CARRIERS, _CARRIERS.c.carrier_id == _SERVICES.c.carrier_id)
        .outerjoin(_CARTONS, _CARTONS.c.carton_code == _SHIPMENTS.c.carton_code)
        .where(_SHIPMENTS.c.shipment_id == shipment_id)
    )
    row = conn.execute(query).one_or_none()
    if row is None:
        return None
    values = row._asdict()
    values["status"] = ShipmentStatus(values["status"])
    return ShipmentRecord(**values)


def change_status(
    conn: sa.Connection,
    shipment_id: int,
    from_status: ShipmentStatus,
    picked: bool,
    to_status: ShipmentStatus,
    values: Mapping[str, Any],
) -> bool:
    """Set the status and ``values`` if the shipment is still at ``from_status`` (and picked
    or not as ``picked`` says); whether this call changed it."""
    picked_now = _SHIPMENTS.c.picked_at.is_not(None) if picked else _SHIPMENTS.c.picked_at.is_(None)
    result = conn.execute(
        sa.update(_SHIPMENTS)
        .where(
            _SHIPMENTS.c.shipment_id == shipment_id,
            _SHIPMENTS.c.status == from_status.value,
            picked_now,
        )
        .values({"status": to_status.value, **values})
    )
    return result.rowcount == 1


def add_event(
    conn: sa.Connection,
    *,
    shipment_id: int,
    from_status: ShipmentStatus | None,
    to_status: ShipmentStatus,
    changed_at: dt.datetime,
    changed_by: str,
    note: str | None,
) -> int:
    """Record a step of a shipment; returns the event number."""
    values = {
        "shipment_id": shipment_id,
        "from_status": None if from_status is None else from_status.value,
        "to_status": to_status.value,
        "changed_at": changed_at,
        "changed_by": changed_by[:64],
        "note": None if note is None else note[:500],
    }
    return _insert_with_new_id(conn, _EVENTS, "event_id", values)


def reached_status(conn: sa.Connection, shipment_id: int, status: ShipmentStatus) -> bool:
    """Whether the shipment's history shows it changed to ``status`` at some point."""
    query = (
        sa.select(sa.literal(1))
        .where(_EVENTS.c.shipment_id == shipment_id, _EVENTS.c.to_status == status.value)
        .limit(1)
    )
    return conn.execute(query).first() is not None


def shipment_lines(conn: sa.Connection, shipment_id: int) -> list[ShipmentLine]:
    query = (
        sa.select(*_columns(_LINES, *ShipmentLine.__slots__))
        .where(_LINES.c.shipment_id == shipment_id)
        .order_by(_LINES.c.order_id, _LINES.c.line_no)
    )
    return [
        ShipmentLine(o, n, s, q, OrderLineStatus(status))
        for o, n, s, q, status in conn.execute(query)
    ]


def set_lines_status(
    conn: sa.Connection,
    shipment_id: int,
    to_status: OrderLineStatus,
    *,
    detach: bool = False,
) -> int:
    """Set the status of the shipment's lines (and take them off it); lines changed."""
    values: dict[str, Any] = {"status": to_status.value}
    if detach:
        values["shipment_id"] = None
    result = conn.execute(
        sa.update(_LINES).where(_LINES.c.shipment_id == shipment_id).values(values)
    )
    return int(result.rowcount)


def add_movements(
    conn: sa.Connection,
    shipment_id: int,
    warehouse_id: str,
    movements: Iterable[tuple[str, MovementType, int]],
    moved_at: dt.datetime,
) -> list[int]:
    """Post ``(sku_id, movement_type, units)`` movements of a shipment; their numbers."""
    return [
        _insert_with_new_id(
            conn,
            _MOVEMENTS,
            "movement_id",
            {
                "sku_id": sku_id,
                "warehouse_id": warehouse_id,
                "movement_type": kind.value,
                "quantity_units": units,
                "moved_at": moved_at,
                "reference_type": MovementReference.SHIPMENT.value,
                "reference_id": shipment_id,
            },
        )
        for sku_id, kind, units in movements
    ]


def shipment_movements(conn: sa.Connection, shipment_id: int) -> pl.DataFrame:
    """The stock movements a shipment posted, in order."""
    columns = ("movement_id", "sku_id", "warehouse_id", "movement_type", "quantity_units")
    query = sa.select(*_columns(_MOVEMENTS, *columns)).where(
        _MOVEMENTS.c.reference_type == MovementReference.SHIPMENT.value,
        _MOVEMENTS.c.reference_id == shipment_id,
    )
    return query_frame(conn, query.order_by(_MOVEMENTS.c.movement_id))


def order_line_states(
    conn: sa.Connection, order_id: int
) -> list[tuple[OrderLineStatus, ShipmentStatus | None]]:
    """Each line's status with its shipment's status (none when on no shipment)."""
    query = (
        sa.select(_LINES.c.status, _SHIPMENTS.c.status)
        .outerjoin(_SHIPMENTS, _SHIPMENTS.c.shipment_id == _LINES.c.shipment_id)
        .where(_LINES.c.order_id == order_id)
    )
    return [
        (OrderLineStatus(line), None if parcel is None else ShipmentStatus(parcel))
        for line, parcel in conn.execute(query)
    ]


def order_status(conn: sa.Connection, order_id: int) -> OrderStatus:
    query = sa.select(_ORDERS.c.status).where(_ORDERS.c.order_id == order_id)
    return OrderStatus(conn.execute(query).scalar_one())


def lock_order(conn: sa.Connection, order_id: int) -> None:
    """Hold the order row until the transaction ends, so its lines are read after any
    concurrent change of them commits (a no-op ``UPDATE``)."""
    conn.execute(
        sa.update(_ORDERS).where(_ORDERS.c.order_id == order_id).values(status=_ORDERS.c.status)
    )


def set_order_status(conn: sa.Connection, order_id: int, status: OrderStatus) -> None:
    conn.execute(
        sa.update(_ORDERS).where(_ORDERS.c.order_id == order_id).values(status=status.value)
    )


def shipment_events(conn: sa.Connection, shipment_id: int) -> pl.DataFrame:
    """The shipment's history, oldest first."""
    columns = ("event_id", "from_status", "to_status", "changed_at", "changed_by", "note")
    query = sa.select(*_columns(_EVENTS, *columns)).where(_EVENTS.c.shipment_id == shipment_id)
    return query_frame(conn, query.order_by(_EVENTS.c.changed_at, _EVENTS.c.event_id))


def _insert_with_new_id(
    conn: sa.Connection, table: sa.Table, id_column: str, values: Mapping[str, Any]
) -> int:
    """Insert under ``max + 1`` in a savepoint; a number taken meanwhile is tried again."""
    key = table.c[id_column]
    for _ in range(_ID_ATTEMPTS):
        new_id = int(
            conn.execute(sa.select(sa.func.coalesce(sa.func.max(key), 0) + 1)).scalar_one()
        )
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(table).values({id_column: new_id, **values}))
        except sa.exc.IntegrityError:
            if conn.execute(sa.select(key).where(key == new_id)).first() is None:
                raise
            continue
        return new_id
    raise RuntimeError(f"no free {table.name}.{id_column} after {_ID_ATTEMPTS} attempts")


_FRAME_TYPES: dict[str, pl.DataType] = {
    column.name: column.polars_type for spec in ALL_TABLES for column in spec.columns
} | {"carrier_id": pl.String(), "stage": pl.String()}


def query_frame(conn: sa.Connection, query: sa.Select[Any]) -> pl.DataFrame:
    """The rows of ``query`` as a frame typed by column name."""
    names = query.selected_columns.keys()
    schema = {name: _FRAME_TYPES[name] for name in names}
    return pl.DataFrame([tuple(row) for row in conn.execute(query)], schema=schema, orient="row")


def _columns(table: sa.Table, *names: str) -> list[sa.Column[Any]]:
    return [table.c[name] for name in names]
