"""Return rules without a database: lifecycle, returnable units and window, refund policy."""

from __future__ import annotations

import datetime as dt

import pytest

from shopops.domain.orders import ConditionGrade, ReturnReason, ReturnStatus
from shopops.domain.returning import (
    IllegalReturnChangeError,
    InvalidReturnError,
    allowed_next,
    check_returnable,
    check_transition,
    parse_grade,
    parse_reason,
    refund_usd,
)

DELIVERED = dt.date(2025, 11, 13)


def _check(day: dt.date, *, status: str = "shipped", returned: int = 0, asked: int = 1) -> None:
    check_returnable(
        "line 1 of order TT-1",
        line_status=status,
        delivered_on=DELIVERED if status == "shipped" else None,
        requested_on=day,
        window_days=30,
        shipped_units=2,
        returned_units=returned,
        asked_units=asked,
    )


def test_a_return_may_be_asked_from_delivery_to_the_thirtieth_day_after() -> None:
    _check(DELIVERED)
    _check(dt.date(2025, 12, 13))
    with pytest.raises(InvalidReturnError, match="closed on 2025-12-13"):
        _check(dt.date(2025, 12, 14))
    with pytest.raises(InvalidReturnError, match="before delivery on 2025-11-13"):
        _check(dt.date(2025, 11, 12))


def test_only_units_delivered_and_not_returned_yet_can_come_back() -> None:
    _check(DELIVERED, returned=1, asked=1)
    with pytest.raises(InvalidReturnError, match="2 units, 1 returned or being returned, 1 can"):
        _check(DELIVERED, returned=1, asked=2)
    with pytest.raises(InvalidReturnError, match="is picked: only delivered units"):
        _check(DELIVERED, status="picked")


def test_the_lifecycle_refuses_changes_after_the_end() -> None:
    assert allowed_next(ReturnStatus.REQUESTED) == (
        ReturnStatus.IN_TRANSIT,
        ReturnStatus.RECEIVED,
        ReturnStatus.CLOSED,
        ReturnStatus.REJECTED,
    )
    check_transition("return RMA-1", ReturnStatus.RECEIVED, ReturnStatus.CLOSED)
    with pytest.raises(IllegalReturnChangeError, match=r"allowed next: none \(final status\)"):
        check_transition("return RMA-1", ReturnStatus.CLOSED, ReturnStatus.REJECTED)
    with pytest.raises(IllegalReturnChangeError, match="allowed next: received, rejected"):
        check_transition("return RMA-1", ReturnStatus.IN_TRANSIT, ReturnStatus.CLOSED)


@pytest.mark.parametrize(
    ("reason", "grade", "refund"),
    [
        (ReturnReason.DEFECTIVE, ConditionGrade.D, 25.0),  # seller's fault: in full
        (ReturnReason.LATE_DELIVERY, ConditionGrade.B, 25.0),
        (ReturnReason.CHANGED_MIND, ConditionGrade.A, 25.0),  # back as new: in full
        (ReturnReason.CHANGED_MIND, ConditionGrade.B, 21.25),  # 25.00 less 15 %
        (ReturnReason.SIZE_FIT, ConditionGrade.C, 21.25),
        (ReturnReason.SIZE_FIT, None, 25.0),  # returnless
    ],
)
def test_the_refund_policy(
    reason: ReturnReason, grade: ConditionGrade | None, refund: float
) -> None:
    assert refund_usd(reason, grade, 25.0) == refund


def test_refunds_round_half_a_cent_up() -> None:
    # 12.50 less 15 % = 10.625
    assert refund_usd(ReturnReason.CHANGED_MIND, ConditionGrade.B, 12.5) == 10.63


def test_reasons_and_grades_are_read_leniently_and_refused_with_the_choices() -> None:
    assert parse_reason(" Changed mind ") is ReturnReason.CHANGED_MIND
    assert parse_reason("wrong-item") is ReturnReason.WRONG_ITEM
    assert parse_grade("b") is ConditionGrade.B
    with pytest.raises(InvalidReturnError, match="reason is required; one of damaged"):
        parse_reason(" ")
    with pytest.raises(InvalidReturnError, match="grade 'E' is not known; expected one of A, B"):
        parse_grade("E")
