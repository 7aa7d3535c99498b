"""Order use cases: place an order (and hold its stock), cancel it.

Each use case runs in one unit of work and commits at the end; a refusal leaves nothing
written. Placing takes the stock locks first when it reserves
(:mod:`shopops.services.reserving` describes the protocol), then the numbering of new orders
(:func:`shopops.store.orders.lock_order_numbers`): always in that order, so two intakes never
wait for each other in a circle. Placing the same ``external_order_id`` again returns the
stored order. A transaction that lost a race before it could write (SQLite refuses it at
once) runs again from the start. Reserving and the batch ``reserve_lines`` are re-exported
here from :mod:`shopops.services.reserving`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from shopops.domain.ordering import (
    CANCELLABLE,
    CancelOrder,
    CancelOutcome,
    CancelRefusedError,
    LineStatus,
    OrderConflictError,
    PlacedOrder,
    PlaceOrder,
    StoredLine,
    StoredOrder,
    UnknownOrderError,
)
from shopops.domain.orders import OrderStatus
from shopops.services.order_intake import IntakeContext, check_order
from shopops.services.planning import utc_now
from shopops.services.reserving import (
    reserve_lines,
    reserve_open_lines,
    reserve_order,
    settle_status,
    stored_order,
    warehouses_near,
)
from shopops.services.retrying import LineChangedError, run_in_transaction
from shopops.store import orders as store
from shopops.store.stock import lock_stock
from shopops.store.unit_of_work import AbstractUnitOfWork

__all__ = [
    "cancel_order",
    "intake",
    "place_order",
    "reserve_lines",
    "reserve_open_lines",
    "reserve_order",
]


def place_order(
    command: PlaceOrder,
    uow: AbstractUnitOfWork,
    *,
    now: dt.datetime | None = None,
    reserve: bool = False,
    context: IntakeContext | None = None,
) -> PlacedOrder:
    """Take an order in, with its promised dates; with ``reserve`` hold its stock too.

    Intake and reservation are one transaction: the stock is held the moment the order
    is stored, and lines no warehouse can cover stay open. ``context`` (parameters,
    cut-offs, rate cards) is read in the transaction unless a long-running process passes
    the one it holds.

    Raises
    ------
    InvalidOrderError
        With every problem of the order, each naming its field; nothing is written.
    OrderConflictError
        The ``external_order_id`` is stored with other content.
    """
    when = now or utc_now()
    warehouses = warehouses_near(uow, command.region_id) if reserve else []
    pairs = [(line.sku_id, w) for line in command.lines for w in warehouses]

    def work(conn: sa.Connection) -> PlacedOrder:
        lock_stock(conn, pairs)
        store.lock_order_numbers(conn)
        placed = intake(conn, context or IntakeContext.load(uow.frames), command, when)
        if not (reserve and placed.created):
            return placed
        reservation = reserve_open_lines(conn, placed.order_id, warehouses, {})
        return dataclasses.replace(placed, status=reservation.status, reservation=reservation)

    return run_in_transaction(uow, work)


def intake(
    conn: sa.Connection, context: IntakeContext, command: PlaceOrder, now: dt.datetime
) -> PlacedOrder:
    """Store an order in the caller's transaction, or return it if it is stored already."""
    stored_id = store.find_order_id(conn, command.external_order_id)
    if stored_id is not None:
        return _placed_before(conn, stored_id, command)
    dispatch, delivery = check_order(conn, context, command, now)
    header = {
        "external_order_id": command.external_order_id,
        "channel": command.channel,
        "ordered_at": command.ordered_at_utc,
        "region_id": command.region_id,
        "customer_id": command.customer_id,
        "status": OrderStatus.OPEN.value,
        "promised_dispatch_date": dispatch,
        "promised_delivery_date": delivery,
        "event_id": command.event_id,
    }
    order_id = store.add_order(conn, header)
    if order_id is None:
        stored_id = store.find_order_id(conn, command.external_order_id)
        assert stored_id is not None
        return _placed_before(conn, stored_id, command)
    store.add_lines(conn, order_id, command.lines)
    return PlacedOrder(
        order_id, command.external_order_id, OrderStatus.OPEN, True, dispatch, delivery
    )


def _placed_before(conn: sa.Connection, order_id: int, command: PlaceOrder) -> PlacedOrder:
    order = stored_order(conn, order_id)
    differences = command.differences(order)
    if differences:
        raise OrderConflictError(
            f"order {order.external_order_id} was placed already (order #{order.order_id}) "
            f"with other {', '.join(differences)}"
        )
    return PlacedOrder(
        order.order_id,
        order.external_order_id,
        order.status,
        False,
        order.promised_dispatch_date,
        order.promised_delivery_date,
    )


def cancel_order(
    command: CancelOrder, uow: AbstractUnitOfWork, *, now: dt.datetime | None = None
) -> CancelOutcome:
    """Cancel an order or some of its lines; reserved units go back to available.

    Cancelled lines keep their warehouse and get ``cancel_reason``. Cancelling what is
    cancelled already changes nothing and says so.

    Raises
    ------
    UnknownOrderError
        No order with that external id, or no such line.
    CancelRefusedError
        A line to cancel was picked or shipped (the message names them); nothing changes.
    """
    del now  # orders keep no cancellation time; the argument keeps use cases alike

    def work(conn: sa.Connection) -> CancelOutcome:
        order_id = store.find_order_id(conn, command.external_order_id)
        if order_id is None:
            raise UnknownOrderError(f"external_order_id: no order {command.external_order_id!r}")
        order = stored_order(conn, order_id, for_update=True)
        chosen = _chosen_lines(order, command.line_nos)
        gone = [
            f"line {x.line_no} is {x.status.value}"
            for x in chosen
            if x.status not in CANCELLABLE and x.status is not LineStatus.CANCELLED
        ]
        if gone:
            raise CancelRefusedError(
                f"order {order.external_order_id} not cancelled: {', '.join(gone)} "
                "(its units left the shelf); nothing was cancelled"
            )
        todo = [x for x in chosen if x.status in CANCELLABLE]
        for line in todo:
            if not store.cancel_line(conn, order_id, line.line_no, line.status, command.reason):
                raise LineChangedError
        return CancelOutcome(
            order_id,
            order.external_order_id,
            settle_status(conn, order_id),
            tuple(x.line_no for x in todo),
            sum(x.quantity_units for x in todo if x.status is LineStatus.RESERVED),
            tuple(x.line_no for x in chosen if x.status is LineStatus.CANCELLED),
        )

    return run_in_transaction(uow, work)


def _chosen_lines(order: StoredOrder, line_nos: Iterable[int]) -> list[StoredLine]:
    wanted = sorted(set(line_nos))
    if not wanted:
        return list(order.lines)
    numbers = {x.line_no: x for x in order.lines}
    missing = [n for n in wanted if n not in numbers]
    if missing:
        have = ", ".join(str(n) for n in numbers) or "none"
        raise UnknownOrderError(
            f"line_nos: order {order.external_order_id} has no line "
            f"{', '.join(str(n) for n in missing)} (lines: {have})"
        )
    return [numbers[n] for n in wanted]
