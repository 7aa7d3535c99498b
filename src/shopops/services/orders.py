"""Order use cases: place an order, reserve its stock, cancel it; list and show orders.

Each use case runs in one unit of work and commits at the end; a refusal leaves nothing
written. Reserving follows one protocol so that stock is never promised twice: the
SKU x warehouse pairs are locked (:func:`shopops.store.stock.lock_stock`) before the
transaction reads anything, then availability (on hand from the ledger less reserved
lines) is read and lines are reserved only where it covers them. The pairs to lock are
learnt in a short read-only transaction first; the reservation then keeps to them.
Numbering new orders is held the same way (:func:`shopops.store.orders.lock_order_numbers`),
always after the stock, so two intakes never wait for each other in a circle.
Placing the same ``external_order_id`` again returns the stored order. A transaction that
lost a race before it could write (SQLite refuses it at once) runs again from the start.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

import polars as pl
import sqlalchemy as sa

from shopops.domain.ordering import (
    CANCELLABLE,
    CancelOrder,
    CancelOutcome,
    CancelRefusedError,
    LineReservation,
    LineStatus,
    LineToReserve,
    OrderConflictError,
    OrderingError,
    PlacedOrder,
    PlaceOrder,
    ReservationOutcome,
    StoredLine,
    StoredOrder,
    UnknownOrderError,
    order_status,
    plan_reservations,
)
from shopops.domain.orders import OrderStatus
from shopops.services.order_intake import IntakeContext, check_order
from shopops.services.planning import utc_now
from shopops.store import orders as store
from shopops.store.purchasing import is_write_conflict
from shopops.store.stock import available_stock, lock_stock
from shopops.store.unit_of_work import AbstractUnitOfWork

Result = TypeVar("Result")

_ATTEMPTS = 8
_CHANGED = "the line changed while it was being reserved"


class _LineChangedError(Exception):
    """A line changed between reading and updating it; the transaction runs again."""


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
    warehouses = _warehouses_near(uow, command.region_id) if reserve else []
    pairs = [(line.sku_id, w) for line in command.lines for w in warehouses]

    def work(conn: sa.Connection) -> PlacedOrder:
        lock_stock(conn, pairs)
        store.lock_order_numbers(conn)
        placed = intake(conn, context or IntakeContext.load(uow.frames), command, when)
        if not (reserve and placed.created):
            return placed
        reservation = reserve_open_lines(conn, placed.order_id, warehouses, {})
        return dataclasses.replace(placed, status=reservation.status, reservation=reservation)

    return _transaction(uow, work)


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
    order = _order(conn, order_id)
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


def reserve_order(
    order_id: int,
    uow: AbstractUnitOfWork,
    *,
    warehouse_for_line: Mapping[int, str] | None = None,
) -> ReservationOutcome:
    """Reserve every open line of an order, each whole at one warehouse.

    A line goes to ``warehouse_for_line[line_no]`` when given (an allocation's choice),
    else to the nearest warehouse (``shipping_zones.distance_km`` to the order's region)
    whose available stock covers it. A line no warehouse can cover stays open and is
    reported with the units found.
    """
    chosen = dict(warehouse_for_line or {})
    with uow:
        order = _order(uow.frames.connection, order_id)
        _check_chosen(order, chosen, store.warehouse_ids(uow.frames.connection))
    warehouses = _warehouses_near(uow, order.region_id)
    pairs = [
        (line.sku_id, w)
        for line in order.lines
        for w in ([chosen[line.line_no]] if line.line_no in chosen else warehouses)
    ]

    def work(conn: sa.Connection) -> ReservationOutcome:
        lock_stock(conn, pairs)
        return reserve_open_lines(conn, order_id, warehouses, chosen)

    return _transaction(uow, work)


def _check_chosen(order: StoredOrder, chosen: Mapping[int, str], warehouses: Sequence[str]) -> None:
    numbers = [line.line_no for line in order.lines]
    for line_no, warehouse_id in chosen.items():
        if line_no not in numbers:
            raise UnknownOrderError(
                f"warehouse_for_line: order {order.external_order_id} has no line {line_no}"
            )
        if warehouse_id not in warehouses:
            raise UnknownOrderError(f"warehouse_for_line[{line_no}]: no warehouse {warehouse_id!r}")


def reserve_open_lines(
    conn: sa.Connection, order_id: int, warehouses: Sequence[str], chosen: Mapping[int, str]
) -> ReservationOutcome:
    """Reserve the order's open lines in the caller's transaction, which locked the stock of
    every line at ``warehouses`` (nearest first) or at its ``chosen[line_no]`` warehouse."""
    order = _order(conn, order_id, for_update=True)
    lines = [
        LineToReserve(order_id, x.line_no, x.sku_id, x.quantity_units)
        for x in order.lines
        if x.status is LineStatus.OPEN
    ]
    candidates = {
        (order_id, x.line_no): [chosen[x.line_no]] if x.line_no in chosen else list(warehouses)
        for x in lines
    }
    done = _reserve(conn, lines, candidates)
    return ReservationOutcome(order_id, _settle(conn, order_id), tuple(done))


def reserve_lines(conn: sa.Connection, assignments: pl.DataFrame) -> pl.DataFrame:
    """Reserve order lines at the warehouses a batch allocation chose, in the caller's
    transaction; never more than is available.

    ``assignments`` has columns ``order_id``, ``line_no``, ``warehouse_id``; rows are served
    in their order. Returns one row per assignment: ``order_id``, ``line_no``, ``sku_id``,
    ``warehouse_id``, ``quantity_units``, ``reserved`` and the ``reason`` a line was
    refused (not open, unknown, or short of stock). The stock pairs are locked here; on
    SQLite call it before the transaction reads anything, or be ready to run the
    transaction again when it reports a write conflict.
    """
    wanted = list(assignments.select("order_id", "line_no", "warehouse_id").iter_rows())
    before = store.lines_of_orders(conn, {o for o, _, _ in wanted})
    lock_stock(conn, [(before[(o, n)].sku_id, w) for o, n, w in wanted if (o, n) in before])
    lines = store.lines_of_orders(conn, {o for o, _, _ in wanted})
    known = set(store.warehouse_ids(conn))
    refused: dict[tuple[int, int], LineReservation] = {}
    to_reserve: list[LineToReserve] = []
    for order_id, line_no, warehouse_id in wanted:
        # a line that appeared after the lock was taken has no lock on its stock
        line = lines.get((order_id, line_no)) if (order_id, line_no) in before else None
        reason = _refusal(line, warehouse_id, known)
        if line is None or reason is not None:
            sku, units = (None, 0) if line is None else (line.sku_id, line.quantity_units)
            refused[(order_id, line_no)] = LineReservation(
                order_id, line_no, sku or "", units, warehouse_id, False, reason
            )
        else:
            to_reserve.append(LineToReserve(order_id, line_no, line.sku_id, line.quantity_units))
    candidates = {(o, n): [w] for o, n, w in wanted}
    done = {(r.order_id, r.line_no): r for r in _reserve(conn, to_reserve, candidates)}
    for order_id in sorted({key[0] for key in done}):
        _settle(conn, order_id)
    results = [refused.get((o, n)) or done[(o, n)] for o, n, _ in wanted]
    return _reservation_frame(results, [w for _, _, w in wanted])


def _refusal(line: StoredLine | None, warehouse_id: str, known: set[str]) -> str | None:
    if line is None:
        return "no such order line"
    if line.status is not LineStatus.OPEN:
        return f"the line is {line.status.value}, not open"
    if warehouse_id not in known:
        return f"no warehouse {warehouse_id!r}"
    return None


def _reservation_frame(results: Sequence[LineReservation], asked: Sequence[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "order_id": [r.order_id for r in results],
            "line_no": [r.line_no for r in results],
            "sku_id": [r.sku_id or None for r in results],
            "warehouse_id": list(asked),
            "quantity_units": [r.quantity_units for r in results],
            "reserved": [r.reserved for r in results],
            "reason": [r.reason for r in results],
        },
        schema={
            "order_id": pl.Int64,
            "line_no": pl.Int64,
            "sku_id": pl.String,
            "warehouse_id": pl.String,
            "quantity_units": pl.Int64,
            "reserved": pl.Boolean,
            "reason": pl.String,
        },
    )


def _reserve(
    conn: sa.Connection,
    lines: Sequence[LineToReserve],
    candidates: Mapping[tuple[int, int], Sequence[str]],
) -> list[LineReservation]:
    """Plan against the stock available now and mark the lines reserved, each at most once."""
    stock = available_stock(conn, sorted({x.sku_id for x in lines}))
    available = {
        (sku, warehouse): units
        for sku, warehouse, units in stock.select(
            "sku_id", "warehouse_id", "available_units"
        ).iter_rows()
    }
    done: list[LineReservation] = []
    for planned in plan_reservations(lines, candidates, available):
        if planned.reserved:
            assert planned.warehouse_id is not None
            if not store.reserve_line(
                conn, planned.order_id, planned.line_no, planned.warehouse_id
            ):
                planned = dataclasses.replace(
                    planned, warehouse_id=None, reserved=False, reason=_CHANGED
                )
        done.append(planned)
    return done


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
        order = _order(conn, order_id, for_update=True)
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
                raise _LineChangedError
        return CancelOutcome(
            order_id,
            order.external_order_id,
            _settle(conn, order_id),
            tuple(x.line_no for x in todo),
            sum(x.quantity_units for x in todo if x.status is LineStatus.RESERVED),
            tuple(x.line_no for x in chosen if x.status is LineStatus.CANCELLED),
        )

    return _transaction(uow, work)


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


def _settle(conn: sa.Connection, order_id: int) -> OrderStatus:
    """Set the order's status from its lines' (a delivered order stays delivered)."""
    for _ in range(_ATTEMPTS):
        order = _order(conn, order_id)
        target = order_status(x.status for x in order.lines)
        if order.status in (target, OrderStatus.DELIVERED):
            return order.status
        if store.change_order_status(conn, order_id, order.status, target):
            return target
    raise OrderingError(f"order #{order_id} kept changing while its status was set")


def _order(conn: sa.Connection, order_id: int, *, for_update: bool = False) -> StoredOrder:
    order = store.load_order(conn, order_id, for_update=for_update)
    if order is None:
        raise UnknownOrderError(f"order_id: no order {order_id}")
    return order


def _warehouses_near(uow: AbstractUnitOfWork, region_id: str) -> list[str]:
    """Warehouses shipping to the region, nearest first, read in a transaction of their own."""
    with uow:
        zones = store.zones_by_distance(uow.frames.connection, [region_id])
    return list(zones["warehouse_id"])


def _transaction(uow: AbstractUnitOfWork, work: Callable[[sa.Connection], Result]) -> Result:
    """Run ``work`` in a unit of work and commit; again when a concurrent writer won."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with uow:
                result = work(uow.frames.connection)
                uow.commit()
                return result
        except _LineChangedError:
            if attempt == _ATTEMPTS:
                raise OrderingError("the order kept changing; try again") from None
        except sa.exc.DBAPIError as error:
            if attempt == _ATTEMPTS or not is_write_conflict(error):
                raise
        time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")
