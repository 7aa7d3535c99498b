"""What a shipment step changes besides the shipment: its lines, the stock ledger, the
order's status; and the warnings it gives."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa

from shopops.domain.inventory import MovementType
from shopops.domain.orders import OrderLineStatus
from shopops.domain.shipping import (
    ShipmentStep,
    Stage,
    Step,
    order_status_after,
    tracking_number_valid,
)
from shopops.store import shipments as store
from shopops.store.shipments import ShipmentRecord


def step_effects(
    conn: sa.Connection,
    shipment: ShipmentRecord,
    stage: Stage,
    command: ShipmentStep,
    when: dt.datetime,
) -> tuple[str, ...]:
    """What a step changes besides the shipment: lines, stock ledger, order; warnings."""
    step, warnings = command.step, []
    if step is Step.PICK:
        store.set_lines_status(conn, shipment.shipment_id, OrderLineStatus.PICKED)
        _post_stock(conn, shipment, MovementType.PICK, -1, when)
    elif step is Step.SHIP:
        store.set_lines_status(conn, shipment.shipment_id, OrderLineStatus.SHIPPED)
        if not tracking_number_valid(command.tracking_number, shipment.tracking_number_pattern):
            warnings.append(_tracking_warning(command.tracking_number, shipment))
    elif step is Step.CANCEL:
        if stage is not Stage.TO_PICK:
            _post_stock(conn, shipment, MovementType.ADJUSTMENT, 1, when)
        store.set_lines_status(conn, shipment.shipment_id, OrderLineStatus.RESERVED, detach=True)
    if step in (Step.SHIP, Step.DELIVER, Step.CANCEL):
        _follow_order(conn, shipment.order_id)
    return tuple(warnings)


def _post_stock(
    conn: sa.Connection, shipment: ShipmentRecord, kind: MovementType, sign: int, when: dt.datetime
) -> None:
    """The picked units (and the carton) off the shelf (sign -1), or back on it (+1)."""
    units = Counter[str]()
    for line in store.shipment_lines(conn, shipment.shipment_id):
        units[line.sku_id] += line.quantity_units
    if shipment.packaging_sku_id is not None:
        units[shipment.packaging_sku_id] += 1
    moves = [(sku_id, kind, sign * n) for sku_id, n in sorted(units.items())]
    store.add_movements(conn, shipment.shipment_id, shipment.warehouse_id, moves, when)


def _tracking_warning(number: str | None, shipment: ShipmentRecord) -> str:
    if not number:
        return "no tracking number given"
    return (
        f"tracking number {number!r} does not match {shipment.carrier_id}'s pattern "
        f"{shipment.tracking_number_pattern}"
    )


def _follow_order(conn: sa.Connection, order_id: int) -> None:
    """Set the order's status from its lines, after locking the order row."""
    store.lock_order(conn, order_id)
    current = store.order_status(conn, order_id)
    status = order_status_after(current, store.order_line_states(conn, order_id))
    if status is not current:
        store.set_order_status(conn, order_id, status)
