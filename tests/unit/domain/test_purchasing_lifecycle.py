"""The purchase-order lifecycle as a buyer knows it, and the checks on receipts and invoices."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from shopops.domain.purchasing import (
    CancelPurchaseOrder,
    IllegalTransitionError,
    InvalidDocumentError,
    InvoiceLine,
    ReceiveCommand,
    RecordInvoice,
    allowed_next,
    cancellation_target,
    check_transition,
    receipt_status,
)
from shopops.domain.supply import PurchaseOrderStatus as S

LIFECYCLE = {
    (S.PROPOSED, S.APPROVED),
    (S.PROPOSED, S.CANCELLED),
    (S.APPROVED, S.SENT),
    (S.APPROVED, S.CANCELLED),
    (S.SENT, S.CONFIRMED),
    (S.SENT, S.PARTIALLY_RECEIVED),
    (S.SENT, S.RECEIVED),
    (S.SENT, S.CANCELLED),
    (S.CONFIRMED, S.PARTIALLY_RECEIVED),
    (S.CONFIRMED, S.RECEIVED),
    (S.CONFIRMED, S.CANCELLED),
    (S.PARTIALLY_RECEIVED, S.RECEIVED),
    (S.PARTIALLY_RECEIVED, S.CLOSED),
    (S.RECEIVED, S.CLOSED),
}
"""Every allowed change, written out from the lifecycle the buyers follow."""

ILLEGAL = sorted(set(itertools.product(S, S)) - LIFECYCLE)


@pytest.mark.parametrize(("current", "target"), sorted(LIFECYCLE))
def test_every_lifecycle_step_is_allowed(current: S, target: S) -> None:
    check_transition("PO-1", current, target)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_other_change_is_refused(current: S, target: S) -> None:
    with pytest.raises(IllegalTransitionError, match=f"PO-1 is {current.value}"):
        check_transition("PO-1", current, target)


def test_a_refusal_names_the_po_its_status_and_what_may_follow() -> None:
    with pytest.raises(IllegalTransitionError) as refused:
        check_transition("PO PO-2026-0007 (#7)", S.SENT, S.APPROVED)
    assert str(refused.value) == (
        "PO PO-2026-0007 (#7) is sent: it cannot become approved; "
        "allowed next: confirmed, partially_received, received, cancelled"
    )


def test_final_statuses_allow_nothing() -> None:
    for final in (S.CANCELLED, S.CLOSED):
        assert allowed_next(final) == ()
        with pytest.raises(IllegalTransitionError, match=r"allowed next: none \(final status\)"):
            check_transition("PO-1", final, S.APPROVED)


def test_a_received_po_can_only_be_closed() -> None:
    assert allowed_next(S.RECEIVED) == (S.CLOSED,)
    with pytest.raises(IllegalTransitionError, match="cannot become cancelled"):
        check_transition("PO-1", S.RECEIVED, S.CANCELLED)


def test_cancelling_closes_a_partly_received_po_and_cancels_the_others() -> None:
    assert cancellation_target(S.PARTIALLY_RECEIVED, received_units=30) is S.CLOSED
    for status in (S.PROPOSED, S.APPROVED, S.SENT, S.CONFIRMED):
        assert cancellation_target(status, received_units=0) is S.CANCELLED
    assert CancelPurchaseOrder(4, "price rise refused").reason == "price rise refused"


def test_a_po_is_received_when_every_line_is_accepted_or_cancelled() -> None:
    # (ordered, cancelled, accepted) per line
    assert receipt_status([(100, 0, 100), (50, 10, 40)]) is S.RECEIVED
    assert receipt_status([(100, 0, 120)]) is S.RECEIVED
    assert receipt_status([(100, 0, 100), (50, 0, 49)]) is S.PARTIALLY_RECEIVED
    assert receipt_status([(100, 0, 0)]) is S.PARTIALLY_RECEIVED


def _receipt(**changes: int) -> ReceiveCommand:
    values = {"received_units": 10, "damaged_units": 2, "rejected_units": 1} | changes
    return ReceiveCommand("GRN-1", 1, 1, dt.date(2026, 2, 1), **values)


def test_accepted_units_leave_out_damaged_and_rejected() -> None:
    assert _receipt().accepted_units == 7
    _receipt().validate()


@pytest.mark.parametrize("field", ["received_units", "damaged_units", "rejected_units"])
def test_negative_units_are_refused_by_name(field: str) -> None:
    with pytest.raises(InvalidDocumentError, match=f"^{field} must not be negative: -1"):
        _receipt(**{field: -1}).validate()


def test_more_damaged_and_rejected_than_received_is_refused() -> None:
    with pytest.raises(InvalidDocumentError, match=r"damaged_units \+ rejected_units \(6 \+ 5\)"):
        _receipt(damaged_units=6, rejected_units=5).validate()


def test_a_receipt_needs_a_reference() -> None:
    command = ReceiveCommand(" ", 1, 1, dt.date(2026, 2, 1), 5)
    with pytest.raises(InvalidDocumentError, match="receipt_reference"):
        command.validate()


def _invoice(*lines: InvoiceLine) -> RecordInvoice:
    return RecordInvoice("SUP-SZ", "INV-1", dt.date(2026, 2, 1), "CNY", lines)


def test_invoice_checks_name_the_field() -> None:
    _invoice(InvoiceLine(1, 1, 10, 3.4)).validate()
    refusals = {
        "lines: an invoice needs at least one line": _invoice(),
        "lines: PO 1 line 1 appears twice": _invoice(
            InvoiceLine(1, 1, 10, 3.4), InvoiceLine(1, 1, 5, 3.4)
        ),
        "quantity_units of PO 1 line 2 must be positive: 0": _invoice(InvoiceLine(1, 2, 0, 3.4)),
        "unit_price of PO 1 line 2 must not be negative: -0.5": _invoice(
            InvoiceLine(1, 2, 3, -0.5)
        ),
    }
    for message, invoice in refusals.items():
        with pytest.raises(InvalidDocumentError) as refused:
            invoice.validate()
        assert str(refused.value) == message
