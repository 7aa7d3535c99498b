"""Shipment use cases: parcels from reserved lines, then pick, pack, ship, deliver.

Each request runs in one unit of work and commits at the end; a refusal leaves nothing
written. Steps are idempotent: a step the shipment already took returns it as it is, with
``changed`` false. Concurrent requests are settled by the database: the status changes
with one conditional ``UPDATE``, lines join a parcel only while on none, and the order row
is locked before its status is worked out, so of two racing requests one takes effect and
the other finds it done. A transaction that lost such a race before it could write
(SQLite refuses it at once) runs again from the start.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl
import sqlalchemy as sa

from shopops.domain.orders import ShipmentStatus
from shopops.domain.shipping import (
    ALLOWED_STEPS,
    STAGE_AFTER,
    STATUS_AFTER,
    TIMESTAMP_OF,
    InvalidShipmentRequestError,
    ShipmentStep,
    ShippingError,
    Stage,
    Step,
    UnknownShipmentError,
    check_step,
    stage_of,
)
from shopops.services.planning import utc_now
from shopops.services.shipment_effects import step_effects
from shopops.services.shipment_planning import parcel_lines, plan_shipments
from shopops.store import shipments as store
from shopops.store.frames import FrameStore
from shopops.store.purchasing import is_write_conflict
from shopops.store.shipments import ShipmentRecord
from shopops.store.unit_of_work import AbstractUnitOfWork

Result = TypeVar("Result")
_ATTEMPTS = 5


class _LinesTakenError(ShippingError):
    """A concurrent request put some of the lines on a shipment first: start again."""

    def __init__(self, order_id: int) -> None:
        super().__init__(f"order {order_id}: its lines kept being shipped meanwhile; try again")


@dataclass(frozen=True)
class CreatedShipment:
    """A parcel made from an order's reserved lines at one warehouse."""

    shipment_id: int
    order_id: int
    warehouse_id: str
    line_nos: tuple[int, ...]
    carton_code: str
    service_id: str
    service_choice: str
    weight_kg: float
    billable_weight_kg: float
    shipping_cost_usd: float
    arrival_date: dt.date
    on_time: bool


@dataclass(frozen=True)
class StepResult:
    """A shipment after a step; ``changed`` is false when it had taken the step already."""

    shipment_id: int
    status: ShipmentStatus
    stage: Stage
    changed: bool
    message: str
    warnings: tuple[str, ...] = ()


def resolve_orders(uow: AbstractUnitOfWork, references: Sequence[str]) -> list[int]:
    """Order numbers of ``references`` (external order ids, or order numbers)."""
    with uow:
        found = store.order_ids_by_reference(uow.frames.connection, references)
    missing = [r for r in references if r not in found]
    if missing:
        raise UnknownShipmentError(f"order: no order {', '.join(map(repr, missing))}")
    return [found[r] for r in references]


def orders_to_ship(uow: AbstractUnitOfWork) -> list[int]:
    """Orders with reserved lines not yet on a shipment."""
    with uow:
        return store.orders_with_unshipped_lines(uow.frames.connection)


def create_shipments(
    order_ids: int | Sequence[int],
    uow: AbstractUnitOfWork,
    *,
    now: dt.datetime | None = None,
    by: str = "shopops",
) -> tuple[CreatedShipment, ...]:
    """One parcel per order and warehouse from the reserved lines on no shipment yet.

    Carton, weight, service and postage come from :func:`plan_parcels`: the service the
    latest allocation run chose for the lines, else the cheapest arriving by the promised
    delivery date, else the fastest. Parcels are handed to the carrier today, or the next
    day when created after the warehouse's cut-off hour. Lines already on a shipment are
    skipped, so a repeated request creates nothing. Each parcel starts ``picking``.

    Raises
    ------
    NoServiceError
        No shipping zone for the lane, or no service carries a parcel (nothing is created).
    """
    ids = [order_ids] if isinstance(order_ids, int) else list(order_ids)
    when = now or utc_now()

    def work(frames: FrameStore) -> tuple[CreatedShipment, ...]:
        lines = store.unshipped_lines(frames.connection, ids)
        if lines.is_empty():
            return ()
        parcels = parcel_lines(frames, lines, ids)
        planned = plan_shipments(frames, parcels, when)
        return tuple(_insert(frames.connection, parcels, row, when, by) for row in planned)

    return _transaction(uow, work)


def _insert(
    conn: sa.Connection,
    parcels: pl.DataFrame,
    row: dict[str, Any],
    now: dt.datetime,
    by: str,
) -> CreatedShipment:
    """Store one planned parcel, put its lines on it and record its creation."""
    line_nos = tuple(parcels.filter(pl.col("parcel_id") == row["parcel_id"])["line_no"])
    order_id, warehouse_id = int(row["order_id"]), str(row["warehouse_id"])
    columns: tuple[str, ...] = ("order_id", "warehouse_id", "service_id", "carton_code")
    columns += ("weight_kg", "billable_weight_kg", "zone", "shipping_cost_usd")
    values = {c: row[c] for c in columns} | {
        "status": ShipmentStatus.PICKING.value,
        "created_at": now,
    }
    shipment_id = store.add_shipment(conn, values)
    if store.attach_lines(conn, shipment_id, order_id, line_nos) != len(line_nos):
        raise _LinesTakenError(order_id)
    note = (
        f"lines {', '.join(map(str, line_nos))} in {row['carton_code']}"
        f"{' (oversize)' if row['oversize'] else ''}; {row['service_id']}, "
        f"{row['service_choice']}, arrives {row['arrival_date']}"
    )
    store.add_event(
        conn,
        shipment_id=shipment_id,
        from_status=None,
        to_status=ShipmentStatus.PICKING,
        changed_at=now,
        changed_by=by,
        note=note,
    )
    return CreatedShipment(
        shipment_id=shipment_id,
        order_id=order_id,
        warehouse_id=warehouse_id,
        line_nos=line_nos,
        carton_code=str(row["carton_code"]),
        service_id=str(row["service_id"]),
        service_choice=str(row["service_choice"]),
        weight_kg=float(row["weight_kg"]),
        billable_weight_kg=float(row["billable_weight_kg"]),
        shipping_cost_usd=float(row["shipping_cost_usd"]),
        arrival_date=row["arrival_date"],
        on_time=bool(row["on_time"]),
    )


def advance(
    uow: AbstractUnitOfWork,
    command: ShipmentStep,
    *,
    now: dt.datetime | None = None,
    by: str = "shopops",
) -> StepResult:
    """Take one step of a shipment: pick, pack, ship, in_transit, deliver, exception, cancel.

    ``pick`` puts the lines to ``picked`` and posts a negative ``pick`` movement per SKU and
    one for the carton's packaging SKU; ``ship`` records the carrier's tracking number (one
    not matching the carrier's pattern is kept, with a warning) and ships the lines;
    ``cancel`` before the pickup gives the lines back to their reservation and the picked
    units back to stock. The order's status follows its lines.

    Raises
    ------
    IllegalStepError
        The shipment's stage does not allow the step (the message lists what does).
    InvalidShipmentRequestError
        An exception without a note, a tracking number with another step, a time
        before the shipment's last step.
    """
    command.validate()
    when = now or utc_now()

    def work(frames: FrameStore) -> StepResult:
        conn = frames.connection
        shipment = _shipment(conn, command.shipment_id)
        stage = stage_of(shipment.status, shipment.picked_at is not None)
        if _done_before(conn, shipment, stage, command.step):
            return _unchanged(shipment, stage)
        check_step(shipment.label, stage, command.step)
        if when < shipment.last_step_at:
            raise InvalidShipmentRequestError(
                f"at: {when:%Y-%m-%d %H:%M} is before {shipment.label}'s last step "
                f"({shipment.last_step_at:%Y-%m-%d %H:%M})"
            )
        target = STATUS_AFTER[command.step]
        values: dict[str, object] = {}
        if command.step in TIMESTAMP_OF:
            values[TIMESTAMP_OF[command.step]] = when
        if command.step is Step.SHIP:
            values["tracking_number"] = command.tracking_number
        picked = shipment.picked_at is not None
        if not store.change_status(
            conn, shipment.shipment_id, shipment.status, picked, target, values
        ):
            return _after_race(conn, shipment, command.step)
        warnings = step_effects(conn, shipment, stage, command, when)
        note = "; ".join(t for t in (command.note, *warnings) if t) or None
        store.add_event(
            conn,
            shipment_id=shipment.shipment_id,
            from_status=shipment.status,
            to_status=target,
            changed_at=when,
            changed_by=by,
            note=note,
        )
        after = STAGE_AFTER[command.step]
        message = f"{shipment.label}: {stage.value} -> {after.value}"
        return StepResult(shipment.shipment_id, target, after, True, message, warnings)

    return _transaction(uow, work)


def _shipment(conn: sa.Connection, shipment_id: int) -> ShipmentRecord:
    shipment = store.load_shipment(conn, shipment_id)
    if shipment is None:
        raise UnknownShipmentError(f"shipment_id: no shipment {shipment_id}")
    return shipment


_REACHED_STATUS = {
    Step.PACK: ShipmentStatus.PACKED,
    Step.SHIP: ShipmentStatus.SHIPPED,
    Step.IN_TRANSIT: ShipmentStatus.IN_TRANSIT,
}


def _done_before(conn: sa.Connection, shipment: ShipmentRecord, stage: Stage, step: Step) -> bool:
    """Whether the shipment is where ``step`` leads, or went through it and on."""
    if stage is STAGE_AFTER[step]:
        return True
    if stage is Stage.CANCELLED or step in ALLOWED_STEPS[stage]:
        return False
    if step is Step.PICK:
        return shipment.picked_at is not None
    reached = _REACHED_STATUS.get(step)
    return reached is not None and store.reached_status(conn, shipment.shipment_id, reached)


def _unchanged(shipment: ShipmentRecord, stage: Stage) -> StepResult:
    message = f"{shipment.label} is {stage.value}: nothing changed"
    return StepResult(shipment.shipment_id, shipment.status, stage, False, message)


def _after_race(conn: sa.Connection, before: ShipmentRecord, step: Step) -> StepResult:
    """The shipment changed since it was read: done by the other request, or refused."""
    now = _shipment(conn, before.shipment_id)
    stage = stage_of(now.status, now.picked_at is not None)
    if _done_before(conn, now, stage, step):
        return _unchanged(now, stage)
    check_step(now.label, stage, step)
    raise UnknownShipmentError(f"{now.label} changed while this request ran; try again")


def shipment_history(uow: AbstractUnitOfWork, shipment_id: int) -> pl.DataFrame:
    """The shipment's events, oldest first."""
    with uow:
        conn = uow.frames.connection
        _shipment(conn, shipment_id)
        return store.shipment_events(conn, shipment_id)


def _transaction(uow: AbstractUnitOfWork, work: Callable[[FrameStore], Result]) -> Result:
    """Run ``work`` in a unit of work and commit; again when a concurrent writer won."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with uow:
                result = work(uow.frames)
                uow.commit()
                return result
        except _LinesTakenError:
            if attempt == _ATTEMPTS:
                raise
        except sa.exc.DBAPIError as error:
            if attempt == _ATTEMPTS or not is_write_conflict(error):
                raise
        time.sleep(0.02 * attempt)
    raise AssertionError("unreachable")
