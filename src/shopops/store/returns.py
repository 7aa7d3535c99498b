"""Returns (RMAs), the order lines they come from, and restock movements in SQL.

Every function runs on the caller's connection, inside its transaction. A return's status
changes only through conditional ``UPDATE`` statements (``... WHERE status = <expected>``):
of two concurrent changes from the same status exactly one takes effect. New returns take
the number ``max + 1`` and the RMA number ``RMA-<number>``; the insert runs in a savepoint
and a number taken meanwhile is retried with the next one. :func:`lock_order_line`
serialises requests for the same order line, so the units already returned are counted
with every concurrent request in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import sqlalchemy as sa

from shopops.data.schemas import ALL_TABLES
from shopops.domain.inventory import MovementReference, MovementType
from shopops.domain.orders import ConditionGrade, Disposition, ReturnReason, ReturnStatus
from shopops.store.frames import FrameStore
from shopops.store.tables import SQL_TABLES

_RETURNS = SQL_TABLES["returns"]
_ORDERS = SQL_TABLES["orders"]
_LINES = SQL_TABLES["order_lines"]
_SHIPMENTS = SQL_TABLES["shipments"]
_SKUS = SQL_TABLES["skus"]
_MOVEMENTS = SQL_TABLES["inventory_movements"]
_WAREHOUSES = SQL_TABLES["warehouses"]

_ID_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class ReturnRecord:
    return_id: int
    rma_number: str
    order_id: int
    line_no: int
    quantity_units: int
    reason: ReturnReason
    status: ReturnStatus
    requested_date: dt.date
    received_date: dt.date | None
    warehouse_id: str | None
    condition_grade: ConditionGrade | None
    disposition: Disposition | None
    refund_usd: float
    recovered_value_usd: float | None

    @property
    def label(self) -> str:
        return f"return {self.rma_number}"


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    """An order line with what a return of it needs: shipment, lane, SKU cost and size."""

    order_id: int
    external_order_id: str
    line_no: int
    sku_id: str
    quantity_units: int
    status: str
    unit_price_usd: float
    delivered_at: dt.datetime | None
    service_id: str | None
    zone: int | None
    price_usd: float
    unit_cost_usd: float
    weight_kg: float
    volume_cm3: float

    @property
    def label(self) -> str:
        return f"line {self.line_no} of order {self.external_order_id}"


def find_order_id(conn: sa.Connection, external_order_id: str) -> int | None:
    """The order number of the marketplace's order id."""
    query = sa.select(_ORDERS.c.order_id).where(_ORDERS.c.external_order_id == external_order_id)
    return conn.execute(query).scalar_one_or_none()


def line_numbers(conn: sa.Connection, order_id: int) -> list[int]:
    query = sa.select(_LINES.c.line_no).where(_LINES.c.order_id == order_id)
    return sorted(conn.execute(query).scalars())


def lock_order_line(conn: sa.Connection, external_order_id: str, line_no: int) -> None:
    """Hold the order line's returns until the transaction ends; call it before any read.

    PostgreSQL: a transaction-scoped advisory lock on the line; SQLite: the database's write
    lock, taken by an update that changes nothing before the transaction has read anything
    (a transaction that read first could not take it once another one wrote).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"returns|{external_order_id}|{line_no}"},
        )
    else:
        conn.execute(sa.update(_RETURNS).where(sa.false()).values(status=_RETURNS.c.status))


def load_line(conn: sa.Connection, order_id: int, line_no: int) -> ReturnableLine | None:
    volume = _SKUS.c.length_cm * _SKUS.c.width_cm * _SKUS.c.height_cm
    query = (
        sa.select(
            _LINES.c.order_id,
            _ORDERS.c.external_order_id,
            *_columns(_LINES, "line_no", "sku_id", "quantity_units", "status", "unit_price_usd"),
            *_columns(_SHIPMENTS, "delivered_at", "service_id", "zone"),
            *_columns(_SKUS, "price_usd", "unit_cost_usd", "weight_kg"),
            volume.label("volume_cm3"),
        )
        .join(_ORDERS, _ORDERS.c.order_id == _LINES.c.order_id)
        .join(_SKUS, _SKUS.c.sku_id == _LINES.c.sku_id)
        .outerjoin(_SHIPMENTS, _SHIPMENTS.c.shipment_id == _LINES.c.shipment_id)
        .where(_LINES.c.order_id == order_id, _LINES.c.line_no == line_no)
    )
    row = conn.execute(query).one_or_none()
    return None if row is None else ReturnableLine(**row._asdict())


def units_returned(conn: sa.Connection, order_id: int, line_no: int) -> int:
    """Units of the line returned or being returned (every return but rejected ones)."""
    query = sa.select(sa.func.coalesce(sa.func.sum(_RETURNS.c.quantity_units), 0)).where(
        _RETURNS.c.order_id == order_id,
        _RETURNS.c.line_no == line_no,
        _RETURNS.c.status != ReturnStatus.REJECTED.value,
    )
    return int(conn.execute(query).scalar_one())


def find_same_request(
    conn: sa.Connection,
    *,
    order_id: int,
    line_no: int,
    reason: ReturnReason,
    quantity_units: int,
    requested_date: dt.date,
) -> ReturnRecord | None:
    """A return of the line asked on the same day for the same reason and quantity."""
    query = _select_returns().where(
        _RETURNS.c.order_id == order_id,
        _RETURNS.c.line_no == line_no,
        _RETURNS.c.reason == reason.value,
        _RETURNS.c.quantity_units == quantity_units,
        _RETURNS.c.requested_date == requested_date,
        _RETURNS.c.status != ReturnStatus.REJECTED.value,
    )
    row = conn.execute(query.order_by(_RETURNS.c.return_id)).first()
    return None if row is None else _record(row)


def find_return(conn: sa.Connection, rma_number: str) -> ReturnRecord | None:
    row = conn.execute(_select_returns().where(_RETURNS.c.rma_number == rma_number)).one_or_none()
    return None if row is None else _record(row)


def add_return(
    conn: sa.Connection,
    *,
    order_id: int,
    line_no: int,
    quantity_units: int,
    reason: ReturnReason,
    status: ReturnStatus,
    requested_date: dt.date,
    refund_usd: float,
    recovered_value_usd: float | None,
) -> ReturnRecord:
    """Book a return under the next free number and ``RMA-<number>``."""
    values = {
        "order_id": order_id,
        "line_no": line_no,
        "quantity_units": quantity_units,
        "reason": reason.value,
        "status": status.value,
        "requested_date": requested_date,
        "refund_usd": refund_usd,
        "recovered_value_usd": recovered_value_usd,
    }
    key = _RETURNS.c.return_id
    for attempt in range(_ID_ATTEMPTS):
        last = conn.execute(sa.select(sa.func.coalesce(sa.func.max(key), 0))).scalar_one()
        new_id = int(last) + 1 + attempt
        rma_number = f"RMA-{new_id:04d}"
        try:
            with conn.begin_nested():
                conn.execute(
                    sa.insert(_RETURNS).values(return_id=new_id, rma_number=rma_number, **values)
                )
        except sa.exc.IntegrityError:
            taken = _RETURNS.c.rma_number == rma_number
            if conn.execute(sa.select(key).where((key == new_id) | taken)).first() is None:
                raise
            continue
        record = find_return(conn, rma_number)
        assert record is not None
        return record
    raise RuntimeError(f"no free return number after {_ID_ATTEMPTS} attempts")


def mark_received(
    conn: sa.Connection,
    return_id: int,
    from_statuses: Sequence[ReturnStatus],
    *,
    warehouse_id: str,
    received_date: dt.date,
) -> bool:
    """Receive the return if its status is still one of ``from_statuses``; whether it did."""
    result = conn.execute(
        sa.update(_RETURNS)
        .where(
            _RETURNS.c.return_id == return_id,
            _RETURNS.c.status.in_([s.value for s in from_statuses]),
        )
        .values(
            status=ReturnStatus.RECEIVED.value,
            warehouse_id=warehouse_id,
            received_date=received_date,
        )
    )
    return result.rowcount == 1


def close_inspected(
    conn: sa.Connection,
    return_id: int,
    *,
    grade: ConditionGrade,
    disposition: Disposition,
    refund_usd: float,
    recovered_value_usd: float,
) -> bool:
    """Close a received return with its grade, disposition and money; whether it did."""
    result = conn.execute(
        sa.update(_RETURNS)
        .where(
            _RETURNS.c.return_id == return_id,
            _RETURNS.c.status == ReturnStatus.RECEIVED.value,
        )
        .values(
            status=ReturnStatus.CLOSED.value,
            condition_grade=grade.value,
            disposition=disposition.value,
            refund_usd=refund_usd,
            recovered_value_usd=recovered_value_usd,
        )
    )
    return result.rowcount == 1


def reject(conn: sa.Connection, return_id: int, from_status: ReturnStatus) -> bool:
    """Reject the return if it is still ``from_status``; no refund. Whether it did."""
    result = conn.execute(
        sa.update(_RETURNS)
        .where(_RETURNS.c.return_id == return_id, _RETURNS.c.status == from_status.value)
        .values(status=ReturnStatus.REJECTED.value, refund_usd=0.0)
    )
    return result.rowcount == 1


def warehouse_exists(conn: sa.Connection, warehouse_id: str) -> bool:
    query = sa.select(sa.literal(1)).where(_WAREHOUSES.c.warehouse_id == warehouse_id)
    return conn.execute(query).first() is not None


def add_restock_movement(
    conn: sa.Connection,
    *,
    return_id: int,
    sku_id: str,
    warehouse_id: str,
    units: int,
    moved_at: dt.datetime,
) -> int:
    """Put restocked units back on the stock ledger; returns the movement number."""
    values = {
        "sku_id": sku_id,
        "warehouse_id": warehouse_id,
        "movement_type": MovementType.RETURN.value,
        "quantity_units": units,
        "moved_at": moved_at,
        "reference_type": MovementReference.RETURN.value,
        "reference_id": return_id,
    }
    key = _MOVEMENTS.c.movement_id
    for _ in range(_ID_ATTEMPTS):
        new_id = conn.execute(sa.select(sa.func.coalesce(sa.func.max(key), 0) + 1)).scalar_one()
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(_MOVEMENTS).values(movement_id=new_id, **values))
        except sa.exc.IntegrityError:
            if conn.execute(sa.select(key).where(key == new_id)).first() is None:
                raise
            continue
        return int(new_id)
    raise RuntimeError(f"no free movement number after {_ID_ATTEMPTS} attempts")


def restock_movement_id(conn: sa.Connection, return_id: int) -> int | None:
    """The stock movement a return's restock posted, if any."""
    query = sa.select(_MOVEMENTS.c.movement_id).where(
        _MOVEMENTS.c.reference_type == MovementReference.RETURN.value,
        _MOVEMENTS.c.reference_id == return_id,
        _MOVEMENTS.c.movement_type == MovementType.RETURN.value,
    )
    return conn.execute(query).scalars().first()


def graded_units(conn: sa.Connection) -> pl.DataFrame:
    """``reason``, ``condition_grade``, ``quantity_units``: units inspected, by reason and grade."""
    query = (
        sa.select(
            _RETURNS.c.reason,
            _RETURNS.c.condition_grade,
            sa.cast(sa.func.sum(_RETURNS.c.quantity_units), sa.BigInteger()).label(
                "quantity_units"
            ),
        )
        .where(_RETURNS.c.condition_grade.is_not(None))
        .group_by(_RETURNS.c.reason, _RETURNS.c.condition_grade)
        .order_by(_RETURNS.c.reason, _RETURNS.c.condition_grade)
    )
    return _frame(conn, query)


def rate_frames(frames: FrameStore) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Carrier services, rate cards and transit times, for pricing return parcels."""
    return (
        frames.read("carrier_services"),
        frames.read("rate_cards"),
        frames.read("transit_times"),
    )


def offer_frames(frames: FrameStore) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Supplier offers, their price tiers and currencies, to tell each SKU's supplier."""
    return (
        frames.read("supplier_offers"),
        frames.read("offer_price_tiers"),
        frames.read("currencies"),
    )


def return_list(
    conn: sa.Connection, *, statuses: Sequence[ReturnStatus] = (), limit: int | None = None
) -> pl.DataFrame:
    """Returns newest first, with the marketplace order id and the SKU."""
    query = (
        sa.select(
            *_columns(_RETURNS, "rma_number", "status", "requested_date"),
            _ORDERS.c.external_order_id,
            *_columns(_RETURNS, "line_no"),
            _LINES.c.sku_id,
            *_columns(
                _RETURNS,
                "quantity_units",
                "reason",
                "received_date",
                "warehouse_id",
                "condition_grade",
                "disposition",
                "refund_usd",
                "recovered_value_usd",
            ),
        )
        .join(_ORDERS, _ORDERS.c.order_id == _RETURNS.c.order_id)
        .join(_LINES, _same_line(_LINES, _RETURNS))
        .order_by(_RETURNS.c.requested_date.desc(), _RETURNS.c.return_id.desc())
        .limit(limit)
    )
    if statuses:
        query = query.where(_RETURNS.c.status.in_([s.value for s in statuses]))
    return _frame(conn, query)


def shipped_units(conn: sa.Connection, start: dt.date, end: dt.date) -> pl.DataFrame:
    """``sku_id``, ``quantity_units`` of order lines whose parcel left from ``start`` to ``end``."""
    query = (
        sa.select(_LINES.c.sku_id, _LINES.c.quantity_units)
        .join(_SHIPMENTS, _SHIPMENTS.c.shipment_id == _LINES.c.shipment_id)
        .where(
            _SHIPMENTS.c.shipped_at >= _midnight(start),
            _SHIPMENTS.c.shipped_at < _midnight(end + dt.timedelta(days=1)),
        )
    )
    return _frame(conn, query)


def requested_returns(conn: sa.Connection, start: dt.date, end: dt.date) -> pl.DataFrame:
    """``sku_id``, ``quantity_units``, ``reason`` of returns asked from ``start`` to ``end``.

    Rejected returns are left out: the buyer's claim was not accepted.
    """
    query = (
        sa.select(_LINES.c.sku_id, _RETURNS.c.quantity_units, _RETURNS.c.reason)
        .join(_LINES, _same_line(_LINES, _RETURNS))
        .where(
            _RETURNS.c.requested_date >= start,
            _RETURNS.c.requested_date <= end,
            _RETURNS.c.status != ReturnStatus.REJECTED.value,
        )
    )
    return _frame(conn, query)


def _select_returns() -> sa.Select[Any]:
    return sa.select(*_columns(_RETURNS, *ReturnRecord.__slots__))


def _record(row: sa.Row[Any]) -> ReturnRecord:
    values = row._asdict()
    values["reason"] = ReturnReason(values["reason"])
    values["status"] = ReturnStatus(values["status"])
    grade, disposition = values["condition_grade"], values["disposition"]
    values["condition_grade"] = None if grade is None else ConditionGrade(grade)
    values["disposition"] = None if disposition is None else Disposition(disposition)
    return ReturnRecord(**values)


_FRAME_TYPES: dict[str, pl.DataType] = {
    column.name: column.polars_type for spec in ALL_TABLES for column in spec.columns
}


def _frame(conn: sa.Connection, query: sa.Select[Any]) -> pl.DataFrame:
    names = query.selected_columns.keys()
    schema = {name: _FRAME_TYPES[name] for name in names}
    return pl.DataFrame([tuple(row) for row in conn.execute(query)], schema=schema, orient="row")


def _same_line(left: sa.FromClause, right: sa.FromClause) -> sa.ColumnElement[bool]:
    return (left.c.order_id == right.c.order_id) & (left.c.line_no == right.c.line_no)


def _columns(table: sa.Table, *names: str) -> list[sa.Column[Any]]:
    return [table.c[name] for name in names]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())
