"""Reserving order lines: each whole at one warehouse, never more than is available.

Every reservation locks the SKU x warehouse pairs it may touch
(:func:`shopops.store.stock.lock_stock`) before its transaction reads anything, then reads
availability (on hand from the ledger less reserved lines) and marks lines reserved only
where it covers them, each with a conditional ``UPDATE``. The pairs to lock are learnt in a
short read-only transaction first; the reservation then keeps to them. An order's status
follows its lines (:func:`settle_status`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import polars as pl
import sqlalchemy as sa

from shopops.domain.ordering import (
    LineReservation,
    LineStatus,
    LineToReserve,
    OrderingError,
    ReservationOutcome,
    StoredLine,
    StoredOrder,
    UnknownOrderError,
    order_status,
    plan_reservations,
)
from shopops.domain.orders import OrderStatus
from shopops.services.retrying import run_in_transaction
from shopops.store import orders as store
from shopops.store.stock import available_stock, lock_stock
from shopops.store.unit_of_work import AbstractUnitOfWork

_SETTLE_ATTEMPTS = 8
_CHANGED = "the line changed while it was being reserved"


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
        order = stored_order(uow.frames.connection, order_id)
        _check_chosen(order, chosen, store.warehouse_ids(uow.frames.connection))
    warehouses = warehouses_near(uow, order.region_id)
    pairs = [
        (line.sku_id, w)
        for line in order.lines
        for w in ([chosen[line.line_no]] if line.line_no in chosen else warehouses)
    ]

    def work(conn: sa.Connection) -> ReservationOutcome:
        lock_stock(conn, pairs)
        return reserve_open_lines(conn, order_id, warehouses, chosen)

    return run_in_transaction(uow, work)


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
    order = stored_order(conn, order_id, for_update=True)
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
    return ReservationOutcome(order_id, settle_status(conn, order_id), tuple(done))


def reserve_lines(conn: sa.Connection, assignments: pl.DataFrame) -> pl.DataFrame:
    """Reserve order lines at the warehouses a batch allocation chose, in the caller's
    transaction; never more than is available.

    ``assignments`` has columns ``order_id``, ``line_no``, ``warehouse_id``; rows are served
    in their order. Returns one row per assignment: ``order_id``, ``line_no``, ``sku_id``,
    ``warehouse_id``, ``quantity_units``, ``reserved`` and the ``reason`` a line was
    refused (not open, unknown, or short of stock). The lines' SKUs are looked up on a
    connection of their own, so the stock pairs are locked before this transaction reads
    anything; on SQLite a caller whose transaction read before must be ready to run it
    again when it reports a write conflict.
    """
    wanted = list(assignments.select("order_id", "line_no", "warehouse_id").iter_rows())
    with conn.engine.connect() as lookup:  # the caller's transaction reads nothing before the lock
        before = store.lines_of_orders(lookup, {o for o, _, _ in wanted})
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
        settle_status(conn, order_id)
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


def settle_status(conn: sa.Connection, order_id: int) -> OrderStatus:
    """Set the order's status from its lines' (a delivered order stays delivered)."""
    for _ in range(_SETTLE_ATTEMPTS):
        order = stored_order(conn, order_id)
        target = order_status(x.status for x in order.lines)
        if order.status in (target, OrderStatus.DELIVERED):
            return order.status
        if store.change_order_status(conn, order_id, order.status, target):
            return target
    raise OrderingError(f"order #{order_id} kept changing while its status was set")


def stored_order(conn: sa.Connection, order_id: int, *, for_update: bool = False) -> StoredOrder:
    """The order and its lines; raises :class:`UnknownOrderError` when there is none."""
    order = store.load_order(conn, order_id, for_update=for_update)
    if order is None:
        raise UnknownOrderError(f"order_id: no order {order_id}")
    return order


def warehouses_near(uow: AbstractUnitOfWork, region_id: str) -> list[str]:
    """Warehouses shipping to the region, nearest first, read in a transaction of their own."""
    with uow:
        zones = store.zones_by_distance(uow.frames.connection, [region_id])
    return list(zones["warehouse_id"])
