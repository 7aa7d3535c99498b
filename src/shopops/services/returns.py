"""Return use cases: request an RMA, receive the parcel, inspect and close it, reject it.

Each runs in one unit of work and commits at the end; a refusal leaves nothing written.
Every request is idempotent and returns the state as it is with ``changed`` false when
repeated:

- a return request is identified by its order line, reason and quantity on the day it is
  asked (there is no client key): asking the same again that day gives the same RMA;
- receiving an RMA received before at the same warehouse and date, inspecting one closed
  before with the same grade, and rejecting a rejected one change nothing; the same change
  with other content is refused.

Concurrent requests are settled by the database: requests for the same order line are
serialised by a lock, and status changes are conditional ``UPDATE`` statements, so of two
racing receipts one books and the other finds it booked. A transaction that lost a race
before it could write (SQLite refuses it at once) runs again from the start.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import polars as pl
import sqlalchemy as sa

from shopops.analytics.returns import Grouping, return_rates, sku_suppliers
from shopops.domain.orders import ConditionGrade, Disposition, ReturnStatus
from shopops.domain.returning import (
    RECEIVABLE_STATUSES,
    ConflictingReturnError,
    IllegalReturnChangeError,
    InspectReturn,
    InvalidReturnError,
    ReceiveReturn,
    RejectReturn,
    RequestReturn,
    UnknownReturnError,
    check_returnable,
    check_transition,
    refund_usd,
)
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.returns import (
    DispositionCosts,
    choose_dispositions,
    grade_mix_from_history,
    return_decisions,
    return_freight_usd,
)
from shopops.services.planning import utc_now
from shopops.store import returns as store
from shopops.store.frames import FrameStore
from shopops.store.purchasing import is_write_conflict
from shopops.store.returns import ReturnableLine, ReturnRecord
from shopops.store.snapshot import load_plan_params
from shopops.store.unit_of_work import AbstractUnitOfWork

Result = TypeVar("Result")
Status = ReturnStatus

_ATTEMPTS = 5


@dataclass(frozen=True)
class ReturnResult:
    """A return after a request; ``changed`` is false when it was so already.

    ``return_freight_usd`` is the postage of the parcel coming back (NaN when no carrier
    prices it) and ``expected_recovery_usd`` what the units were expected to bring, both
    known when the return is requested or inspected; ``movement_id`` the restock movement.
    """

    record: ReturnRecord
    changed: bool
    message: str
    return_freight_usd: float | None = None
    expected_recovery_usd: float | None = None
    movement_id: int | None = None


def request_return(
    uow: AbstractUnitOfWork, command: RequestReturn, *, today: dt.date | None = None
) -> ReturnResult:
    """Open an RMA for shipped units of an order line, within the return window.

    When the units are expected to bring back less than their return postage, the buyer
    keeps them: the RMA is closed at once with a full refund (a returnless refund). The
    expectation weighs the grades by the reason's grade mix, learned from the inspections on
    record and shrunk towards the typical mix.

    Raises
    ------
    UnknownReturnError
        No such order or line.
    InvalidReturnError
        The line has not been delivered, the return window closed, or more units asked
        than can still be returned (the message gives the figures).
    """
    command.validate()
    day = today or utc_now().date()

    def work(frames: FrameStore) -> ReturnResult:
        conn = frames.connection
        external_order_id = command.external_order_id.strip()
        store.lock_order_line(conn, external_order_id, command.line_no)
        order_id = store.find_order_id(conn, external_order_id)
        if order_id is None:
            raise UnknownReturnError(f"order: no order {command.external_order_id!r}")
        line = _returnable_line(conn, order_id, command)
        same = store.find_same_request(
            conn,
            order_id=order_id,
            line_no=command.line_no,
            reason=command.reason,
            quantity_units=command.quantity_units,
            requested_date=day,
        )
        if same is not None:
            return ReturnResult(same, False, f"{same.label} was requested already: {same.status}")
        window_days = load_plan_params(frames).return_window_days
        _check_returnable(conn, line, command, day, window_days)
        return _open_return(frames, line, command, day)

    return _transaction(uow, work)


def receive_return(
    uow: AbstractUnitOfWork, command: ReceiveReturn, *, today: dt.date | None = None
) -> ReturnResult:
    """Book the returned parcel in at a warehouse; the same receipt twice is booked once.

    Raises
    ------
    UnknownReturnError, InvalidReturnError
        No such RMA or warehouse, or a date before the request or in the future.
    IllegalReturnChangeError
        The return was rejected, or closed without coming back.
    ConflictingReturnError
        It was received before at another warehouse or on another date.
    """
    day = today or utc_now().date()
    command = dataclasses.replace(command, received_date=command.received_date or day)

    def work(frames: FrameStore) -> ReturnResult:
        conn = frames.connection
        record = _return(conn, command.rma_number)
        if record.status in RECEIVABLE_STATUSES:
            _check_receipt(conn, record, command, day)
            if store.mark_received(
                conn,
                record.return_id,
                tuple(RECEIVABLE_STATUSES),
                warehouse_id=command.warehouse_id,
                received_date=day if command.received_date is None else command.received_date,
            ):
                now = _return(conn, command.rma_number)
                message = f"{now.label} received at {command.warehouse_id} on {now.received_date}"
                return ReturnResult(now, True, message)
            record = _return(conn, command.rma_number)
        return _received_before(record, command)

    return _transaction(uow, work)


def inspect_return(
    uow: AbstractUnitOfWork, command: InspectReturn, *, at: dt.datetime | None = None
) -> ReturnResult:
    """Grade a received return, dispose of it as recovers most, refund the buyer, close it.

    A restock puts the units back on the stock ledger of the receiving warehouse; the
    recovered value is ``quantity x best value per unit - return postage``.

    Raises
    ------
    IllegalReturnChangeError
        The return has not been received, or was rejected.
    ConflictingReturnError
        It was inspected before with another grade.
    """
    when = at or utc_now()

    def work(frames: FrameStore) -> ReturnResult:
        conn = frames.connection
        record = _return(conn, command.rma_number)
        if record.status is Status.CLOSED and record.condition_grade is not None:
            return _inspected_before(conn, record, command.grade)
        if record.status is Status.CLOSED:
            raise IllegalReturnChangeError(
                f"{record.label} was closed with a returnless refund: nothing came back to inspect"
            )
        check_transition(record.label, record.status, Status.CLOSED)
        if record.status is not Status.RECEIVED:
            raise IllegalReturnChangeError(
                f"{record.label} is {record.status.value}: receive it before inspecting it"
            )
        return _close_inspected(frames, record, command.grade, when)

    return _transaction(uow, work)


def reject_return(uow: AbstractUnitOfWork, command: RejectReturn) -> ReturnResult:
    """Reject a return that is not closed yet; nothing is refunded.

    The reason is reported back; the returns table has no column to keep it.
    """
    command.validate()

    def work(frames: FrameStore) -> ReturnResult:
        conn = frames.connection
        record = _return(conn, command.rma_number)
        if record.status is Status.REJECTED:
            return ReturnResult(record, False, f"{record.label} was rejected already")
        check_transition(record.label, record.status, Status.REJECTED)
        if not store.reject(conn, record.return_id, record.status):
            now = _return(conn, command.rma_number)
            if now.status is Status.REJECTED:
                return ReturnResult(now, False, f"{now.label} was rejected already")
            raise IllegalReturnChangeError(f"{now.label} changed while this request ran")
        now = _return(conn, command.rma_number)
        return ReturnResult(now, True, f"{now.label} rejected: {command.reason.strip()}")

    return _transaction(uow, work)


def list_returns(
    uow: AbstractUnitOfWork, *, statuses: Sequence[Status] = (), limit: int | None = 50
) -> pl.DataFrame:
    """Returns newest first with their order, SKU, grade, disposition and money."""
    with uow:
        return store.return_list(uow.frames.connection, statuses=statuses, limit=limit)


def returns_report(
    uow: AbstractUnitOfWork, *, start: dt.date, end: dt.date, by: Grouping = "sku"
) -> pl.DataFrame:
    """Return rates and reasons from ``start`` to ``end`` by SKU, category or supplier.

    See :mod:`shopops.analytics.returns` for what is counted and the supplier rule.
    """
    if end < start:
        raise InvalidReturnError(f"to ({end}) is before from ({start})")
    with uow:
        conn = uow.frames.connection
        shipped = store.shipped_units(conn, start, end)
        returned = store.requested_returns(conn, start, end)
        skus = uow.frames.read("skus").select("sku_id", "category_id")
        offers, tiers, currencies = store.offer_frames(uow.frames)
    suppliers = sku_suppliers(offers, tiers, currencies, as_of=end)
    return return_rates(shipped, returned, skus, suppliers, by=by)


def _transaction(uow: AbstractUnitOfWork, work: Callable[[FrameStore], Result]) -> Result:
    """Run ``work`` in a unit of work and commit; again when a concurrent writer won."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with uow:
                result = work(uow.frames)
                uow.commit()
                return result
        except sa.exc.DBAPIError as error:
            if attempt == _ATTEMPTS or not is_write_conflict(error):
                raise
            time.sleep(0.02 * attempt)
    raise AssertionError("unreachable")


def _return(conn: sa.Connection, rma_number: str) -> ReturnRecord:
    record = store.find_return(conn, rma_number.strip())
    if record is None:
        raise UnknownReturnError(f"rma: no return {rma_number!r}")
    return record


def _returnable_line(conn: sa.Connection, order_id: int, command: RequestReturn) -> ReturnableLine:
    line = store.load_line(conn, order_id, command.line_no)
    if line is None:
        numbers = ", ".join(str(n) for n in store.line_numbers(conn, order_id)) or "none"
        raise UnknownReturnError(
            f"line_no: order {command.external_order_id} has no line {command.line_no} "
            f"(lines: {numbers})"
        )
    return line


def _check_returnable(
    conn: sa.Connection, line: ReturnableLine, command: RequestReturn, day: dt.date, window: int
) -> None:
    check_returnable(
        line.label,
        line_status=line.status,
        delivered_on=None if line.delivered_at is None else line.delivered_at.date(),
        requested_on=day,
        window_days=window,
        shipped_units=line.quantity_units,
        returned_units=store.units_returned(conn, line.order_id, line.line_no),
        asked_units=command.quantity_units,
    )


def _open_return(
    frames: FrameStore, line: ReturnableLine, command: RequestReturn, day: dt.date
) -> ReturnResult:
    """Book the RMA: open, or closed at once with a returnless refund."""
    freight = _freight(frames, line, command.quantity_units)
    request = pl.DataFrame(
        {
            "reason": [command.reason.value],
            "price_usd": [line.price_usd],
            "unit_cost_usd": [line.unit_cost_usd],
            "quantity_units": [command.quantity_units],
            "return_freight_usd": [freight],
        }
    )
    grade_mix = grade_mix_from_history(store.graded_units(frames.connection))
    decision = return_decisions(request, _costs(frames), grade_mix).row(0, named=True)
    returnless = bool(decision["returnless"])
    paid = command.quantity_units * line.unit_price_usd
    record = store.add_return(
        frames.connection,
        order_id=line.order_id,
        line_no=line.line_no,
        quantity_units=command.quantity_units,
        reason=command.reason,
        status=Status.CLOSED if returnless else Status.REQUESTED,
        requested_date=day,
        refund_usd=refund_usd(command.reason, None, paid) if returnless else 0.0,
        recovered_value_usd=0.0 if returnless else None,
    )
    expected = float(decision["expected_recovery_usd"])
    if returnless:
        message = (
            f"{record.label}: returnless refund of {record.refund_usd:,.2f} USD; the units "
            f"are expected to bring {expected:,.2f} USD, less than the "
            f"{freight:,.2f} USD postage back"
        )
    else:
        units = f"{command.quantity_units} unit{'' if command.quantity_units == 1 else 's'}"
        message = f"{record.label} opened for {units} of {line.label}"
    return ReturnResult(record, True, message, freight, expected)


def _freight(frames: FrameStore, line: ReturnableLine, quantity: int) -> float:
    if line.service_id is None or line.zone is None:
        return math.nan
    rates = RateTable.from_frames(*store.rate_frames(frames))
    return return_freight_usd(
        rates,
        line.service_id,
        line.zone,
        quantity * line.weight_kg,
        quantity * line.volume_cm3,
    )


def _costs(frames: FrameStore) -> DispositionCosts:
    return DispositionCosts.from_params(load_plan_params(frames))


def _check_receipt(
    conn: sa.Connection, record: ReturnRecord, command: ReceiveReturn, today: dt.date
) -> None:
    if not store.warehouse_exists(conn, command.warehouse_id):
        raise InvalidReturnError(f"warehouse: no warehouse {command.warehouse_id!r}")
    assert command.received_date is not None
    if command.received_date < record.requested_date:
        raise InvalidReturnError(
            f"received_date {command.received_date} is before {record.label} was requested "
            f"({record.requested_date})"
        )
    if command.received_date > today:
        raise InvalidReturnError(f"received_date {command.received_date} is in the future")


def _received_before(record: ReturnRecord, command: ReceiveReturn) -> ReturnResult:
    """The return was received before (or by a concurrent request): the same receipt?"""
    if record.status is Status.REJECTED or record.warehouse_id is None:
        check_transition(record.label, record.status, Status.RECEIVED)
    same = (record.warehouse_id, record.received_date) == (
        command.warehouse_id,
        command.received_date,
    )
    if not same:
        raise ConflictingReturnError(
            f"{record.label} was received already at {record.warehouse_id} on "
            f"{record.received_date}; this receipt says {command.warehouse_id} on "
            f"{command.received_date}"
        )
    return ReturnResult(record, False, f"{record.label} was received already: {record.status}")


def _inspected_before(
    conn: sa.Connection, record: ReturnRecord, grade: ConditionGrade
) -> ReturnResult:
    if record.condition_grade is not grade:
        assert record.condition_grade is not None
        raise ConflictingReturnError(
            f"{record.label} was inspected already and graded {record.condition_grade.value}, "
            f"not {grade.value}"
        )
    movement = store.restock_movement_id(conn, record.return_id)
    message = f"{record.label} was inspected already: {record.disposition}"
    return ReturnResult(record, False, message, movement_id=movement)


def _close_inspected(
    frames: FrameStore, record: ReturnRecord, grade: ConditionGrade, when: dt.datetime
) -> ReturnResult:
    conn = frames.connection
    line = store.load_line(conn, record.order_id, record.line_no)
    assert line is not None
    freight = _freight(frames, line, record.quantity_units)
    item = pl.DataFrame(
        {
            "price_usd": [line.price_usd],
            "unit_cost_usd": [line.unit_cost_usd],
            "condition_grade": [grade.value],
            "quantity_units": [record.quantity_units],
            "return_freight_usd": [0.0 if math.isnan(freight) else freight],
        }
    )
    chosen = choose_dispositions(item, _costs(frames)).row(0, named=True)
    disposition = Disposition(chosen["disposition"])
    refund = refund_usd(record.reason, grade, record.quantity_units * line.unit_price_usd)
    recovered = float(chosen["recovered_value_usd"])
    if not store.close_inspected(
        conn,
        record.return_id,
        grade=grade,
        disposition=disposition,
        refund_usd=refund,
        recovered_value_usd=recovered,
    ):
        now = _return(conn, record.rma_number)
        if now.status is Status.CLOSED and now.condition_grade is not None:
            return _inspected_before(conn, now, grade)
        raise IllegalReturnChangeError(f"{now.label} changed while it was inspected")
    movement = None
    if disposition is Disposition.RESTOCK:
        assert record.warehouse_id is not None
        movement = store.add_restock_movement(
            conn,
            return_id=record.return_id,
            sku_id=line.sku_id,
            warehouse_id=record.warehouse_id,
            units=record.quantity_units,
            moved_at=when,
        )
    now = _return(conn, record.rma_number)
    message = (
        f"{now.label} graded {grade.value}: {disposition.value}, recovers {recovered:,.2f} USD; "
        f"refund {refund:,.2f} USD"
    )
    return ReturnResult(now, True, message, freight, movement_id=movement)
