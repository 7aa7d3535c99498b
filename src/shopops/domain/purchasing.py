"""The purchase-order lifecycle: which status may follow which, the commands, the errors.

::

    proposed -> approved -> sent -> confirmed -> partially_received -> received -> closed
        \\           \\         \\         \\               \\
         `-----------`---------`---------`--> cancelled   `--> closed (open remainder
                                                                cancelled)

Receipts move a sent or confirmed PO straight to ``partially_received`` or ``received``.
Cancelling a partially received PO cancels only what is still open and closes it.
Every change is recorded as a ``purchase_order_events`` row.

Errors::

    PurchasingError
    ├── UnknownPurchaseOrderError    no such PO (or PO line)
    ├── IllegalTransitionError       the PO's status does not allow the change
    ├── InvalidDocumentError         a receipt or invoice with a bad field
    ├── ConflictingDuplicateError    a reference seen before, with other content
    └── OverBudgetError              approval refused by a blocking budget
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from shopops.domain.supply import PurchaseOrderStatus

Status = PurchaseOrderStatus

ALLOWED_TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.PROPOSED: frozenset({Status.APPROVED, Status.CANCELLED}),
    Status.APPROVED: frozenset({Status.SENT, Status.CANCELLED}),
    Status.SENT: frozenset(
        {Status.CONFIRMED, Status.PARTIALLY_RECEIVED, Status.RECEIVED, Status.CANCELLED}
    ),
    Status.CONFIRMED: frozenset({Status.PARTIALLY_RECEIVED, Status.RECEIVED, Status.CANCELLED}),
    Status.PARTIALLY_RECEIVED: frozenset({Status.RECEIVED, Status.CLOSED}),
    Status.RECEIVED: frozenset({Status.CLOSED}),
    Status.CANCELLED: frozenset(),
    Status.CLOSED: frozenset(),
}
"""The statuses each status may change to."""

MANUAL_TARGETS = frozenset({Status.APPROVED, Status.SENT, Status.CONFIRMED, Status.CLOSED})
"""Statuses a user sets; receipts set the received ones, cancelling its own."""

RECEIVABLE_STATUSES = frozenset({Status.SENT, Status.CONFIRMED, Status.PARTIALLY_RECEIVED})
"""Statuses in which goods may be received against a PO."""

_ORDER = tuple(Status)


class PurchasingError(Exception):
    """Base of the errors of purchase orders, receipts and invoices."""


class UnknownPurchaseOrderError(PurchasingError):
    """The PO, or the PO line, does not exist."""


class IllegalTransitionError(PurchasingError):
    """The PO's current status does not allow the change asked for."""


class InvalidDocumentError(PurchasingError):
    """A receipt or invoice field is out of bounds; the message names the field."""


class ConflictingDuplicateError(PurchasingError):
    """A receipt or invoice reference already booked with different content."""


class OverBudgetError(PurchasingError):
    """A blocking budget refused the approval; the message carries the numbers."""


def allowed_next(status: Status) -> tuple[Status, ...]:
    """The statuses ``status`` may change to, in lifecycle order."""
    return tuple(s for s in _ORDER if s in ALLOWED_TRANSITIONS[status])


def check_transition(po_label: str, current: Status, target: Status) -> None:
    """Refuse a change the lifecycle does not allow, naming the PO, status and the options."""
    if target in ALLOWED_TRANSITIONS[current]:
        return
    options = ", ".join(s.value for s in allowed_next(current)) or "none (final status)"
    raise IllegalTransitionError(
        f"{po_label} is {current.value}: it cannot become {target.value}; allowed next: {options}"
    )


def cancellation_target(current: Status, received_units: int) -> Status:
    """Where a cancellation leads: ``closed`` once anything was received, else ``cancelled``."""
    if current is Status.PARTIALLY_RECEIVED and received_units > 0:
        return Status.CLOSED
    return Status.CANCELLED


def receipt_status(lines: Iterable[tuple[int, int, int]]) -> Status:
    """``received`` when every line has ``accepted + cancelled >= ordered``, else partial.

    ``lines`` holds ``(ordered_units, cancelled_units, accepted_units)`` per PO line.
    """
    complete = all(accepted + cancelled >= ordered for ordered, cancelled, accepted in lines)
    return Status.RECEIVED if complete else Status.PARTIALLY_RECEIVED


@dataclass(frozen=True, slots=True)
class ChangeStatus:
    """Move a PO to ``target`` (approve, send, confirm, close), with an optional note.

    ``ordered_date`` is the day it went to the supplier, set when sending (default: today).
    """

    po_id: int
    target: Status
    note: str | None = None
    ordered_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CancelPurchaseOrder:
    """Cancel a PO, or the open remainder of a partially received one."""

    po_id: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ReceiveCommand:
    """Goods counted in at the dock against one PO line.

    ``receipt_reference`` (goods-received or delivery note number) identifies the receipt:
    the same receipt reported twice is booked once. Accepted units, the ones put away, are
    ``received_units - damaged_units - rejected_units``.
    """

    receipt_reference: str
    po_id: int
    line_no: int
    received_date: dt.date
    received_units: int
    damaged_units: int = 0
    rejected_units: int = 0

    @property
    def accepted_units(self) -> int:
        return self.received_units - self.damaged_units - self.rejected_units

    def validate(self) -> None:
        """Refuse impossible quantities and references, naming the field."""
        reference = self.receipt_reference.strip()
        if not reference or len(reference) > 64:
            raise InvalidDocumentError("receipt_reference must have 1 to 64 characters")
        for name in ("received_units", "damaged_units", "rejected_units"):
            if getattr(self, name) < 0:
                raise InvalidDocumentError(f"{name} must not be negative: {getattr(self, name)}")
        if self.damaged_units + self.rejected_units > self.received_units:
            raise InvalidDocumentError(
                f"damaged_units + rejected_units ({self.damaged_units} + "
                f"{self.rejected_units}) must not exceed received_units ({self.received_units})"
            )


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """What an invoice charges for one PO line, at a price in the invoice currency."""

    po_id: int
    line_no: int
    quantity_units: int
    unit_price: float


@dataclass(frozen=True, slots=True)
class RecordInvoice:
    """A supplier invoice; ``supplier_id`` + ``invoice_number`` identify it."""

    supplier_id: str
    invoice_number: str
    invoice_date: dt.date
    currency_code: str
    lines: tuple[InvoiceLine, ...]

    def validate(self) -> None:
        """Refuse an empty invoice, repeated lines and impossible amounts, naming the field."""
        if not self.invoice_number.strip() or len(self.invoice_number) > 64:
            raise InvalidDocumentError("invoice_number must have 1 to 64 characters")
        if not self.lines:
            raise InvalidDocumentError("lines: an invoice needs at least one line")
        seen: set[tuple[int, int]] = set()
        for line in self.lines:
            key = (line.po_id, line.line_no)
            if key in seen:
                raise InvalidDocumentError(f"lines: PO {key[0]} line {key[1]} appears twice")
            seen.add(key)
            if line.quantity_units <= 0:
                raise InvalidDocumentError(
                    f"quantity_units of PO {key[0]} line {key[1]} must be positive: "
                    f"{line.quantity_units}"
                )
            if not line.unit_price >= 0:
                raise InvalidDocumentError(
                    f"unit_price of PO {key[0]} line {key[1]} must not be negative: "
                    f"{line.unit_price}"
                )


class MatchStatus(StrEnum):
    """How an invoiced PO line compares with the PO and what was received.

    quantity_over_invoiced: more units invoiced than accepted; price_over / price_under:
    invoiced price outside the tolerance around the PO price; not_received: nothing
    accepted yet; not_yet_invoiced: accepted units still to be invoiced; matched: in line.
    """

    MATCHED = "matched"
    PRICE_OVER = "price_over"
    PRICE_UNDER = "price_under"
    QUANTITY_OVER_INVOICED = "quantity_over_invoiced"
    NOT_YET_INVOICED = "not_yet_invoiced"
    NOT_RECEIVED = "not_received"
