"""The return (RMA) lifecycle: which status may follow which, the commands, the refund policy.

::

    requested -> in_transit -> received -> closed
        |  \\          |            |
        |   `----------`------------`--> rejected
        `--> closed (returnless refund: the buyer keeps the item, nothing comes back)

A return is requested for units of a shipped and delivered order line, received at a
warehouse, then inspected: the grade decides the disposition and the refund, and the
return is closed. A return may be rejected (with a reason) until it is closed.

Refund policy (:func:`refund_usd`): the price paid for the units returned, in full when
the seller is at fault (damaged, defective, wrong item, not as described, late delivery)
or the item comes back as new (grade A); a buyer's own reason (changed mind, size or
fit) with an item graded B to D is refunded less a restocking fee of
:data:`RESTOCKING_FEE_SHARE` of that price. A returnless refund is in full.

Errors::

    ReturnError
    ├── UnknownReturnError        no such RMA, order or order line
    ├── IllegalReturnChangeError  the return's status does not allow the change
    ├── InvalidReturnError        a request or inspection with a bad field
    └── ConflictingReturnError    a change done before, with other content
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shopops.domain.orders import ConditionGrade, OrderLineStatus, ReturnReason, ReturnStatus

Status = ReturnStatus

ALLOWED_TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.REQUESTED: frozenset(
        {Status.IN_TRANSIT, Status.RECEIVED, Status.CLOSED, Status.REJECTED}
    ),
    Status.IN_TRANSIT: frozenset({Status.RECEIVED, Status.REJECTED}),
    Status.RECEIVED: frozenset({Status.CLOSED, Status.REJECTED}),
    Status.CLOSED: frozenset(),
    Status.REJECTED: frozenset(),
}
"""The statuses each status may change to."""

RECEIVABLE_STATUSES = frozenset({Status.REQUESTED, Status.IN_TRANSIT})
"""Statuses in which a returned parcel may be received at a warehouse."""

SELLER_FAULT_REASONS = frozenset(
    {
        ReturnReason.DAMAGED,
        ReturnReason.DEFECTIVE,
        ReturnReason.WRONG_ITEM,
        ReturnReason.NOT_AS_DESCRIBED,
        ReturnReason.LATE_DELIVERY,
    }
)
"""Reasons that are the seller's fault: always refunded in full."""

QUALITY_REASONS = frozenset({ReturnReason.DEFECTIVE, ReturnReason.NOT_AS_DESCRIBED})
"""Reasons that speak of the product itself, and so of its supplier."""

RESTOCKING_FEE_SHARE = 0.15
"""Share of the price paid kept back when a buyer's own reason returns a B-D item."""

_ORDER = tuple(Status)


class ReturnError(Exception):
    """Base of the errors of returns."""


class UnknownReturnError(ReturnError):
    """The RMA, order or order line does not exist."""


class IllegalReturnChangeError(ReturnError):
    """The return's current status does not allow the change asked for."""


class InvalidReturnError(ReturnError):
    """A request or inspection field is out of bounds; the message names the field."""


class ConflictingReturnError(ReturnError):
    """The same change was made before with different content."""


def allowed_next(status: Status) -> tuple[Status, ...]:
    """The statuses ``status`` may change to, in lifecycle order."""
    return tuple(s for s in _ORDER if s in ALLOWED_TRANSITIONS[status])


def check_transition(label: str, current: Status, target: Status) -> None:
    """Refuse a change the lifecycle does not allow, naming the return and the options."""
    if target in ALLOWED_TRANSITIONS[current]:
        return
    options = ", ".join(s.value for s in allowed_next(current)) or "none (final status)"
    raise IllegalReturnChangeError(
        f"{label} is {current.value}: it cannot become {target.value}; allowed next: {options}"
    )


def parse_reason(text: str) -> ReturnReason:
    """The reason named by ``text``; an empty or unknown reason is refused with the choices."""
    cleaned = text.strip().lower().replace("-", "_").replace(" ", "_")
    if not cleaned:
        raise InvalidReturnError(f"reason is required; one of {_choices(ReturnReason)}")
    try:
        return ReturnReason(cleaned)
    except ValueError:
        raise InvalidReturnError(
            f"reason {text!r} is not known; expected one of {_choices(ReturnReason)}"
        ) from None


def parse_grade(text: str) -> ConditionGrade:
    """The grade named by ``text`` (A to D, any case)."""
    try:
        return ConditionGrade(text.strip().upper())
    except ValueError:
        raise InvalidReturnError(
            f"grade {text!r} is not known; expected one of {_choices(ConditionGrade)}"
        ) from None


def _choices(enum: type[ReturnReason] | type[ConditionGrade]) -> str:
    return ", ".join(member.value for member in enum)


def refund_usd(reason: ReturnReason, grade: ConditionGrade | None, price_paid_usd: float) -> float:
    """The refund for units that cost the buyer ``price_paid_usd`` in all, to the cent (half up).

    ``grade`` is ``None`` for a returnless refund (nothing inspected): refunded in full.
    """
    fee_share = 0.0
    buyer_reason = reason not in SELLER_FAULT_REASONS
    if buyer_reason and grade is not None and grade is not ConditionGrade.A:
        fee_share = RESTOCKING_FEE_SHARE
    refund = Decimal(repr(price_paid_usd * (1.0 - fee_share)))
    return float(refund.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def check_returnable(
    label: str,
    *,
    line_status: str,
    delivered_on: dt.date | None,
    requested_on: dt.date,
    window_days: int,
    shipped_units: int,
    returned_units: int,
    asked_units: int,
) -> None:
    """Refuse a return of units not delivered, asked after the window, or not left to return.

    ``returned_units`` are those of the line returned or being returned already; the window
    closes ``window_days`` after delivery (that day included).
    """
    if line_status != OrderLineStatus.SHIPPED or delivered_on is None:
        shipped = line_status == OrderLineStatus.SHIPPED
        state = "shipped, not delivered yet" if shipped else line_status
        raise InvalidReturnError(f"{label} is {state}: only delivered units can be returned")
    if requested_on < delivered_on:
        raise InvalidReturnError(
            f"requested_date {requested_on} is before delivery on {delivered_on}"
        )
    if (requested_on - delivered_on).days > window_days:
        last = delivered_on + dt.timedelta(days=window_days)
        raise InvalidReturnError(
            f"requested_date {requested_on}: the return window of {window_days} days after "
            f"delivery on {delivered_on} closed on {last}"
        )
    left = shipped_units - returned_units
    if asked_units > left:
        raise InvalidReturnError(
            f"quantity_units {asked_units}: {label} shipped {shipped_units} units, "
            f"{returned_units} returned or being returned, {max(left, 0)} can still be returned"
        )


@dataclass(frozen=True, slots=True)
class RequestReturn:
    """A buyer asks to return ``quantity_units`` of line ``line_no`` of an order.

    The order is named by the marketplace's order id. The same request (order, line,
    reason and quantity) made again on the same day is the same return.
    """

    external_order_id: str
    line_no: int
    quantity_units: int
    reason: ReturnReason

    def validate(self) -> None:
        """Refuse impossible fields, naming the field."""
        if not self.external_order_id.strip():
            raise InvalidReturnError("order: the marketplace order id is required")
        if self.line_no < 1:
            raise InvalidReturnError(f"line_no must be 1 or more: {self.line_no}")
        if self.quantity_units < 1:
            raise InvalidReturnError(f"quantity_units must be 1 or more: {self.quantity_units}")


@dataclass(frozen=True, slots=True)
class ReceiveReturn:
    """The returned parcel of an RMA arrived at ``warehouse_id`` on ``received_date``.

    Without ``received_date`` it arrived today.
    """

    rma_number: str
    warehouse_id: str
    received_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class InspectReturn:
    """A received return was inspected and graded."""

    rma_number: str
    grade: ConditionGrade


@dataclass(frozen=True, slots=True)
class RejectReturn:
    """A return refused, e.g. outside policy or not the item sold; ``reason`` is required."""

    rma_number: str
    reason: str

    def validate(self) -> None:
        if not self.reason.strip():
            raise InvalidReturnError("reason: say why the return is rejected")
