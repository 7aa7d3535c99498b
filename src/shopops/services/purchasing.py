"""Purchase-order use cases: status changes, receipts, invoices, matching and expediting.

Each change runs in one unit of work and commits at the end; any refusal leaves nothing
written. Changes are idempotent: a status change the PO already has, a receipt reference
or an invoice number booked before with the same content returns the state as it is,
with ``changed`` false. Concurrent requests are settled by the database: the status
changes with one conditional ``UPDATE`` and a reference is unique, so of two racing
requests one takes effect and the other finds it done. A transaction that lost such a
race before it could write (SQLite refuses it at once) runs again from the start.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polars as pl
import sqlalchemy as sa

from shopops.analytics.budgets import ApprovalOutcome, approval_check, budget_status
from shopops.analytics.expediting import expediting_list, supplier_delays
from shopops.analytics.matching import three_way_match
from shopops.domain.purchasing import (
    ALLOWED_TRANSITIONS,
    MANUAL_TARGETS,
    RECEIVABLE_STATUSES,
    CancelPurchaseOrder,
    ChangeStatus,
    ConflictingDuplicateError,
    IllegalTransitionError,
    InvalidDocumentError,
    InvoiceLine,
    OverBudgetError,
    ReceiveCommand,
    RecordInvoice,
    UnknownPurchaseOrderError,
    cancellation_target,
    check_transition,
    receipt_status,
)
from shopops.domain.supply import PurchaseOrderStatus
from shopops.errors import DataError
from shopops.services.planning import utc_now
from shopops.store import purchasing as store
from shopops.store.frames import FrameStore
from shopops.store.purchasing import PoLineRecord, PurchaseOrderRecord, ReceiptRecord
from shopops.store.snapshot import load_plan_params
from shopops.store.unit_of_work import AbstractUnitOfWork

Status = PurchaseOrderStatus
Result = TypeVar("Result")

_ATTEMPTS = 5
_RECEIPT_FIELDS = (
    "po_id",
    "line_no",
    "received_date",
    "received_units",
    "damaged_units",
    "rejected_units",
)
INVOICE_FILE_COLUMNS = ("po_id", "line_no", "quantity_units", "unit_price")


@dataclass(frozen=True)
class StatusChange:
    """A PO's status after a request; ``changed`` is false when it was so already."""

    po_id: int
    po_number: str
    status: Status
    changed: bool
    message: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReceiptResult:
    """A booked receipt; ``changed`` is false when the same receipt was booked before.

    ``over_received_units`` is how many units the line's accepted total exceeds what it
    still orders (ordered less cancelled); ``movement_id`` is the stock movement posted.
    """

    receipt_id: int
    receipt_reference: str
    po_id: int
    line_no: int
    accepted_units: int
    over_received_units: int
    po_status: Status
    movement_id: int | None
    changed: bool
    message: str


@dataclass(frozen=True)
class InvoiceResult:
    invoice_id: int
    supplier_id: str
    invoice_number: str
    changed: bool
    message: str


@dataclass(frozen=True)
class PurchaseOrderDetails:
    """A PO as ``po show`` prints it: header, lines, receipts and status history."""

    purchase_order: PurchaseOrderRecord
    lines: pl.DataFrame
    receipts: pl.DataFrame
    events: pl.DataFrame


def resolve_po(uow: AbstractUnitOfWork, reference: str) -> int:
    """The number of the PO whose ``po_number`` or number is ``reference``."""
    with uow:
        po_id = store.find_po_id(uow.frames.connection, reference.strip())
    if po_id is None:
        raise UnknownPurchaseOrderError(f"po: no purchase order {reference!r}")
    return po_id


def change_status(
    uow: AbstractUnitOfWork, command: ChangeStatus, user: str, at: dt.datetime | None = None
) -> StatusChange:
    """Approve, send, confirm or close a PO; approval is checked against the budgets.

    Raises
    ------
    IllegalTransitionError
        The PO's status does not allow it (the message lists what does).
    OverBudgetError
        A blocking budget of one of the PO's categories would be exceeded.
    """
    if command.target not in MANUAL_TARGETS:
        raise IllegalTransitionError(
            f"a PO becomes {command.target.value} by its receipts or by cancelling, not directly"
        )
    when = at or utc_now()

    def work(frames: FrameStore) -> StatusChange:
        conn = frames.connection
        po = _purchase_order(conn, command.po_id)
        if _done_before(conn, po, command.target):
            return _unchanged(po)
        check_transition(po.label, po.status, command.target)
        if po.status is Status.PARTIALLY_RECEIVED:
            raise IllegalTransitionError(
                f"{po.label} is partially received: cancel it to close it, so its open "
                "units are cancelled"
            )
        warnings = _check_budget(frames, po) if command.target is Status.APPROVED else ()
        sent_on = (command.ordered_date or when.date()) if command.target is Status.SENT else None
        if not store.change_status(conn, po.po_id, po.status, command.target, ordered_date=sent_on):
            return _after_race(conn, po, command.target)
        note = "; ".join(text for text in (command.note, *warnings) if text) or None
        _record(conn, po, po.status, command.target, user, when, note)
        message = f"{po.label}: {po.status.value} -> {command.target.value}"
        return StatusChange(po.po_id, po.po_number, command.target, True, message, warnings)

    return _transaction(uow, work)


def cancel(
    uow: AbstractUnitOfWork, command: CancelPurchaseOrder, user: str, at: dt.datetime | None = None
) -> StatusChange:
    """Cancel a PO; a partially received one keeps what came and is closed.

    Every line's ``cancelled_units`` grows by the units it still expected.
    """
    when = at or utc_now()

    def work(frames: FrameStore) -> StatusChange:
        conn = frames.connection
        po = _purchase_order(conn, command.po_id)
        if po.status in (Status.CANCELLED, Status.CLOSED):
            return _unchanged(po)
        lines = store.load_po_lines(conn, po.po_id)
        target = cancellation_target(po.status, sum(line.received_units for line in lines))
        check_transition(po.label, po.status, target)
        if not store.change_status(conn, po.po_id, po.status, target):
            return _after_race(conn, po, target)
        # read again under the PO's lock: a receipt booked meanwhile counts
        units = store.cancel_open_units(conn, store.load_po_lines(conn, po.po_id))
        note = "; ".join(t for t in (command.reason, f"{units} open units cancelled") if t)
        _record(conn, po, po.status, target, user, when, note)
        message = f"{po.label}: {po.status.value} -> {target.value}, {units} open units cancelled"
        return StatusChange(po.po_id, po.po_number, target, True, message)

    return _transaction(uow, work)


def receive(
    uow: AbstractUnitOfWork, command: ReceiveCommand, user: str, at: dt.datetime | None = None
) -> ReceiptResult:
    """Book goods received against a PO line, put accepted units on the stock ledger.

    The PO becomes ``received`` once every line has ``accepted + cancelled >= ordered``,
    else ``partially_received``. Receiving more than ordered is booked and reported.

    Raises
    ------
    InvalidDocumentError
        A bad quantity or date (the message names the field).
    UnknownPurchaseOrderError, IllegalTransitionError
        No such PO or line; a PO not sent yet, or already closed.
    ConflictingDuplicateError
        The reference was booked before with other content.
    """
    command.validate()
    when = at or utc_now()

    def work(frames: FrameStore) -> ReceiptResult:
        conn = frames.connection
        existing = store.find_receipt(conn, command.receipt_reference)
        if existing is not None:
            return _booked_receipt(conn, existing, command)
        po, line = _receivable(conn, command, when.date())
        receipt_id = store.add_receipt(conn, command)
        if receipt_id is None:
            booked = store.find_receipt(conn, command.receipt_reference)
            assert booked is not None
            return _booked_receipt(conn, booked, command)
        movement_id = None
        if command.accepted_units > 0:
            movement_id = store.add_receipt_movement(
                conn,
                receipt_id=receipt_id,
                sku_id=line.sku_id,
                warehouse_id=po.warehouse_id,
                units=command.accepted_units,
                moved_at=dt.datetime.combine(command.received_date, when.time()),
            )
        status, lines = _settle_after_receipt(conn, po, command, user, when)
        return _receipt_result(receipt_id, command, status, lines, movement_id, changed=True)

    return _transaction(uow, work)


def record_invoice(uow: AbstractUnitOfWork, command: RecordInvoice) -> InvoiceResult:
    """Book a supplier invoice; the same supplier and invoice number are booked once.

    Raises
    ------
    InvalidDocumentError, UnknownPurchaseOrderError
        Unknown supplier, currency or PO line, a line of another supplier's PO, or a bad
        quantity or price (the message names the field).
    ConflictingDuplicateError
        The invoice number was booked before for the supplier with other content.
    """
    command.validate()

    def work(frames: FrameStore) -> InvoiceResult:
        conn = frames.connection
        existing = store.find_invoice(conn, command.supplier_id, command.invoice_number)
        if existing is None:
            _check_invoice(conn, command)
            invoice_id = store.add_invoice(conn, command)
            if invoice_id is not None:
                message = f"invoice {command.invoice_number} of {command.supplier_id} booked"
                return InvoiceResult(
                    invoice_id, command.supplier_id, command.invoice_number, True, message
                )
            existing = store.find_invoice(conn, command.supplier_id, command.invoice_number)
            assert existing is not None
        _same_invoice(existing, command)
        message = f"invoice {command.invoice_number} of {command.supplier_id} was booked already"
        return InvoiceResult(
            existing.invoice_id, command.supplier_id, command.invoice_number, False, message
        )

    return _transaction(uow, work)


def list_purchase_orders(
    uow: AbstractUnitOfWork,
    *,
    statuses: Sequence[Status] = (),
    supplier_id: str | None = None,
    limit: int | None = 50,
) -> pl.DataFrame:
    """POs newest first, with lines, units still open and value in their currency."""
    with uow:
        return store.purchase_order_list(
            uow.frames.connection, statuses=statuses, supplier_id=supplier_id, limit=limit
        )


def purchase_order_details(uow: AbstractUnitOfWork, po_id: int) -> PurchaseOrderDetails:
    """A PO with its lines (received, accepted, open units), receipts and history."""
    with uow:
        conn = uow.frames.connection
        po = _purchase_order(conn, po_id)
        lines = store.load_po_lines(conn, po_id)
        return PurchaseOrderDetails(
            purchase_order=po,
            lines=_lines_frame(lines),
            receipts=store.receipts_of(conn, po_id),
            events=store.purchase_order_events(conn, po_id),
        )


def match_invoices(
    uow: AbstractUnitOfWork, *, po_id: int | None = None, supplier_id: str | None = None
) -> pl.DataFrame:
    """The three-way match of a PO, a supplier's POs, or every PO sent, at the tolerances set."""
    with uow:
        params = load_plan_params(uow.frames)
        lines, receipts, invoice_lines = store.match_inputs(
            uow.frames.connection, po_id=po_id, supplier_id=supplier_id
        )
    return three_way_match(
        lines,
        receipts,
        invoice_lines,
        price_tolerance=params.invoice_price_tolerance,
        quantity_tolerance=params.invoice_quantity_tolerance,
    )


def expediting(uow: AbstractUnitOfWork, *, as_of: dt.date | None = None) -> pl.DataFrame:
    """Late and at-risk open PO lines, ranked by the sales they hold up, as of a day."""
    day = as_of or utc_now().date()
    with uow:
        inputs = store.expediting_inputs(uow.frames.connection, day)
    return expediting_list(
        inputs.open_po_lines,
        inputs.stock,
        inputs.open_customer_lines,
        inputs.forecast_daily,
        supplier_delays(inputs.receipt_history),
        as_of=day,
    )


def read_invoice_lines(path: Path) -> tuple[InvoiceLine, ...]:
    """Invoice lines from a CSV file with the columns :data:`INVOICE_FILE_COLUMNS`."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        missing = [c for c in INVOICE_FILE_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise DataError(f"{path.name}: missing column(s) {', '.join(missing)}")
        return tuple(_invoice_line(path.name, n, row) for n, row in enumerate(reader, start=2))


def _invoice_line(file: str, row_no: int, row: dict[str, str]) -> InvoiceLine:
    values: list[int | float] = []
    for column, kind in zip(INVOICE_FILE_COLUMNS, (int, int, int, float), strict=True):
        try:
            values.append(kind(row[column]))
        except (TypeError, ValueError):
            raise DataError(
                f"{file}, row {row_no}, column {column}: {row[column]!r} is not "
                f"{'a whole number' if kind is int else 'a number'}"
            ) from None
    po_id, line_no, quantity, price = values
    return InvoiceLine(int(po_id), int(line_no), int(quantity), float(price))


def _transaction(uow: AbstractUnitOfWork, work: Callable[[FrameStore], Result]) -> Result:
    """Run ``work`` in a unit of work and commit; again when a concurrent writer won."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with uow:
                result = work(uow.frames)
                uow.commit()
                return result
        except sa.exc.DBAPIError as error:
            if attempt == _ATTEMPTS or not store.is_write_conflict(error):
                raise
            time.sleep(0.02 * attempt)
    raise AssertionError("unreachable")


def _purchase_order(conn: sa.Connection, po_id: int) -> PurchaseOrderRecord:
    po = store.load_purchase_order(conn, po_id)
    if po is None:
        raise UnknownPurchaseOrderError(f"po_id: no purchase order {po_id}")
    return po


def _done_before(conn: sa.Connection, po: PurchaseOrderRecord, target: Status) -> bool:
    """Whether the PO is at ``target``, or went through it and on (a repeated request)."""
    if po.status is target:
        return True
    return target not in ALLOWED_TRANSITIONS[po.status] and store.reached_status(
        conn, po.po_id, target
    )


def _unchanged(po: PurchaseOrderRecord) -> StatusChange:
    message = f"{po.label} is {po.status.value}: nothing changed"
    return StatusChange(po.po_id, po.po_number, po.status, False, message)


def _after_race(conn: sa.Connection, po: PurchaseOrderRecord, target: Status) -> StatusChange:
    """The PO changed since it was read: done already by the other request, or refused."""
    now = _purchase_order(conn, po.po_id)
    if now.status is target:
        return _unchanged(now)
    check_transition(now.label, now.status, target)
    raise IllegalTransitionError(f"{now.label} changed while this request ran; try again")


def _record(
    conn: sa.Connection,
    po: PurchaseOrderRecord,
    from_status: Status,
    to_status: Status,
    user: str,
    at: dt.datetime,
    note: str | None,
) -> None:
    store.add_event(
        conn,
        po_id=po.po_id,
        from_status=from_status,
        to_status=to_status,
        changed_at=at,
        changed_by=user,
        note=note,
    )


def _check_budget(frames: FrameStore, po: PurchaseOrderRecord) -> tuple[str, ...]:
    """Budget warnings for approving ``po``, checked per category it buys in.

    Raises :class:`OverBudgetError` with every blocking budget's numbers.
    """
    values = store.po_value_by_category(frames.connection, po.po_id)
    if not values:
        return ()
    tables = store.budget_inputs(frames, po.po_id)
    status = budget_status(
        tables["budgets"],
        tables["purchase_orders"],
        tables["purchase_order_lines"],
        tables["receipts"],
        tables["supplier_invoices"],
        tables["supplier_invoice_lines"],
        tables["skus"],
        tables["currencies"],
    )
    decisions = [approval_check(status, c, po.order_date, value) for c, value in values]
    blocked = [d.message for d in decisions if d.outcome is ApprovalOutcome.BLOCK]
    if blocked:
        raise OverBudgetError(f"{po.label} not approved: {'; '.join(blocked)}")
    return tuple(d.message for d in decisions if d.outcome is ApprovalOutcome.WARN)


def _receivable(
    conn: sa.Connection, command: ReceiveCommand, today: dt.date
) -> tuple[PurchaseOrderRecord, PoLineRecord]:
    po = _purchase_order(conn, command.po_id)
    if po.status not in RECEIVABLE_STATUSES:
        raise IllegalTransitionError(
            f"{po.label} is {po.status.value}: goods are received only against sent, "
            "confirmed or partially received POs"
        )
    lines = {line.line_no: line for line in store.load_po_lines(conn, po.po_id)}
    if command.line_no not in lines:
        numbers = ", ".join(str(n) for n in lines) or "none"
        raise UnknownPurchaseOrderError(
            f"line_no: {po.label} has no line {command.line_no} (lines: {numbers})"
        )
    if command.received_date < po.order_date:
        raise InvalidDocumentError(
            f"received_date {command.received_date} is before {po.label} was ordered "
            f"({po.order_date})"
        )
    if command.received_date > today:
        raise InvalidDocumentError(f"received_date {command.received_date} is in the future")
    return po, lines[command.line_no]


def _settle_after_receipt(
    conn: sa.Connection,
    po: PurchaseOrderRecord,
    command: ReceiveCommand,
    user: str,
    at: dt.datetime,
) -> tuple[Status, list[PoLineRecord]]:
    """Set the PO's status from its lines' totals, with the same conditional update.

    The update runs even when the status stays, so a concurrent cancellation or receipt
    of the same PO waits for this one, or this one sees it and decides again.
    """
    for _ in range(_ATTEMPTS):
        current = _purchase_order(conn, po.po_id)
        if current.status not in RECEIVABLE_STATUSES:
            raise IllegalTransitionError(
                f"{current.label} became {current.status.value} while the receipt was booked"
            )
        lines = store.load_po_lines(conn, po.po_id)
        target = receipt_status(
            (x.quantity_units, x.cancelled_units, x.accepted_units) for x in lines
        )
        if store.change_status(conn, po.po_id, current.status, target):
            if target is not current.status:
                note = (
                    f"receipt {command.receipt_reference}: {command.received_units} received, "
                    f"{command.accepted_units} accepted"
                )
                _record(conn, po, current.status, target, user, at, note)
            return target, lines
    raise IllegalTransitionError(f"{po.label} kept changing while the receipt was booked")


def _booked_receipt(
    conn: sa.Connection, booked: ReceiptRecord, command: ReceiveCommand
) -> ReceiptResult:
    """The receipt booked before under the same reference, if it says the same."""
    for field in _RECEIPT_FIELDS:
        before, now = getattr(booked, field), getattr(command, field)
        if before != now:
            raise ConflictingDuplicateError(
                f"receipt {booked.receipt_reference} was booked already (receipt "
                f"#{booked.receipt_id}) with {field} {before}; this one has {now}"
            )
    po = _purchase_order(conn, booked.po_id)
    lines = store.load_po_lines(conn, booked.po_id)
    sku_id = next(x.sku_id for x in lines if x.line_no == booked.line_no)
    movement_id = store.receipt_movement_id(conn, booked.receipt_id, sku_id, po.warehouse_id)
    return _receipt_result(booked.receipt_id, command, po.status, lines, movement_id, changed=False)


def _receipt_result(
    receipt_id: int,
    command: ReceiveCommand,
    status: Status,
    lines: list[PoLineRecord],
    movement_id: int | None,
    *,
    changed: bool,
) -> ReceiptResult:
    line = next(x for x in lines if x.line_no == command.line_no)
    over = max(line.accepted_units - (line.quantity_units - line.cancelled_units), 0)
    message = (
        f"receipt {command.receipt_reference} "
        f"{'booked' if changed else 'was booked already'}: {command.accepted_units} of "
        f"{command.received_units} units accepted into stock; PO {status.value}"
    )
    if over:
        message += f"; {over} units over the ordered quantity of line {line.line_no}"
    return ReceiptResult(
        receipt_id=receipt_id,
        receipt_reference=command.receipt_reference,
        po_id=command.po_id,
        line_no=command.line_no,
        accepted_units=command.accepted_units,
        over_received_units=over,
        po_status=status,
        movement_id=movement_id,
        changed=changed,
        message=message,
    )


def _check_invoice(conn: sa.Connection, command: RecordInvoice) -> None:
    if not store.exists(conn, "suppliers", "supplier_id", command.supplier_id):
        raise InvalidDocumentError(f"supplier_id: no supplier {command.supplier_id!r}")
    if not store.exists(conn, "currencies", "currency_code", command.currency_code):
        raise InvalidDocumentError(f"currency_code: no currency {command.currency_code!r}")
    keys = [(line.po_id, line.line_no) for line in command.lines]
    suppliers = store.line_suppliers(conn, keys)
    for po_id, line_no in keys:
        owner = suppliers.get((po_id, line_no))
        if owner is None:
            raise UnknownPurchaseOrderError(f"lines: PO {po_id} has no line {line_no}")
        if owner != command.supplier_id:
            raise InvalidDocumentError(
                f"lines: PO {po_id} line {line_no} was ordered from {owner}, "
                f"not {command.supplier_id}"
            )


def _same_invoice(booked: store.InvoiceRecord, command: RecordInvoice) -> None:
    differences = [
        f"{name} {before} (now {now})"
        for name, before, now in (
            ("invoice_date", booked.invoice_date, command.invoice_date),
            ("currency_code", booked.currency_code, command.currency_code),
        )
        if before != now
    ]
    ordered = tuple(sorted(command.lines, key=lambda x: (x.po_id, x.line_no)))
    if booked.lines != ordered:
        differences.append("lines")
    if differences:
        raise ConflictingDuplicateError(
            f"invoice {booked.invoice_number} of {booked.supplier_id} was booked already "
            f"(invoice #{booked.invoice_id}) with other {', '.join(differences)}"
        )


def _lines_frame(lines: Sequence[PoLineRecord]) -> pl.DataFrame:
    columns = {
        "line_no": [x.line_no for x in lines],
        "sku_id": [x.sku_id for x in lines],
        "ordered_units": [x.quantity_units for x in lines],
        "cancelled_units": [x.cancelled_units for x in lines],
        "received_units": [x.received_units for x in lines],
        "accepted_units": [x.accepted_units for x in lines],
        "open_units": [x.open_units for x in lines],
        "unit_price": [x.unit_price for x in lines],
        "expected_date": [x.expected_date for x in lines],
    }
    schema = {
        "line_no": pl.Int64,
        "sku_id": pl.String,
        "ordered_units": pl.Int64,
        "cancelled_units": pl.Int64,
        "received_units": pl.Int64,
        "accepted_units": pl.Int64,
        "open_units": pl.Int64,
        "unit_price": pl.Float64,
        "expected_date": pl.Date,
    }
    return pl.DataFrame(columns, schema=schema)
