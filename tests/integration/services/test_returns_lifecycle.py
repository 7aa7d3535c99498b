"""Returns through the services, on SQLite and PostgreSQL (the marketplace of returns_world).

Postage back of one earbud, one phone stand or one lip gloss by UPS Ground, zone 1: the band up
to 1 kg, 5.10 USD, plus 12 % fuel = 5.712 USD.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from returns_world import fill, rows

from shopops.domain.orders import ConditionGrade, ReturnReason
from shopops.domain.returning import (
    ConflictingReturnError,
    IllegalReturnChangeError,
    InspectReturn,
    InvalidReturnError,
    ReceiveReturn,
    RejectReturn,
    RequestReturn,
    UnknownReturnError,
)
from shopops.services import returns as service
from shopops.store import returns as store
from shopops.store.unit_of_work import SqlUnitOfWork

TODAY = dt.date(2025, 11, 25)
AT = dt.datetime(2025, 11, 25, 15, 30)


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    return fill(engine)


def _request(
    db: sa.Engine, order: str, line: int, units: int, reason: str, day: dt.date = TODAY
) -> service.ReturnResult:
    command = RequestReturn(order, line, units, ReturnReason(reason))
    return service.request_return(SqlUnitOfWork(db), command, today=day)


def _receive(
    db: sa.Engine, rma: str, warehouse: str = "WH-NJ", day: dt.date | None = None
) -> service.ReturnResult:
    """Receive ``rma`` on ``day``, by default today (TODAY)."""
    return service.receive_return(
        SqlUnitOfWork(db), ReceiveReturn(rma, warehouse, day), today=TODAY
    )


def _inspect(db: sa.Engine, rma: str, grade: str) -> service.ReturnResult:
    return service.inspect_return(
        SqlUnitOfWork(db), InspectReturn(rma, ConditionGrade(grade)), at=AT
    )


def _return_row(db: sa.Engine, rma: str) -> tuple[object, ...]:
    columns = (
        "status",
        "warehouse_id",
        "received_date",
        "condition_grade",
        "disposition",
        "refund_usd",
        "recovered_value_usd",
    )
    with SqlUnitOfWork(db) as uow:
        found = uow.frames.read("returns", where="rma_number = :rma", params={"rma": rma})
    return found.select(columns).row(0)


def _on_hand(db: sa.Engine, sku: str, warehouse: str) -> int:
    found = rows(
        db,
        "SELECT sum(quantity_units) FROM inventory_movements "
        "WHERE sku_id = :s AND warehouse_id = :w",
        s=sku,
        w=warehouse,
    )
    return int(found[0][0] or 0)


def _count(db: sa.Engine, table: str) -> int:
    return int(rows(db, f"SELECT count(*) FROM {table}")[0][0])


# --- requests ----------------------------------------------------------------------------


def test_a_return_of_delivered_units_opens_an_rma(db: sa.Engine) -> None:
    result = _request(db, "TT-5790001", 1, 1, "damaged")
    record = result.record
    assert (record.rma_number, record.status.value, record.refund_usd) == (
        "RMA-0003",
        "requested",
        0.0,
    )
    assert (record.order_id, record.line_no, record.requested_date) == (1, 1, TODAY)
    # damaged: the typical mix 5/15/45/35 % over 20 units plus RMA-0001's unit graded C gives
    # 1, 3, 10, 7 in 21; best values A 38.49, B 28.4925, C 21.754, D -0.75:
    # (38.49 + 85.4775 + 217.54 - 5.25) / 21 = 16.012
    assert result.return_freight_usd == pytest.approx(5.712)
    assert result.expected_recovery_usd == 16.01
    assert _return_row(db, "RMA-0003")[0] == "requested"


def test_the_same_request_the_same_day_is_the_same_rma(db: sa.Engine) -> None:
    first = _request(db, "TT-5790001", 1, 1, "damaged")
    again = _request(db, "TT-5790001", 1, 1, "damaged")
    assert (first.changed, again.changed) == (True, False)
    assert again.record.rma_number == first.record.rma_number
    assert _count(db, "returns") == 3
    # the next day it is a new request, and nothing is left to return
    with pytest.raises(InvalidReturnError, match="0 can still be returned"):
        _request(db, "TT-5790001", 1, 1, "damaged", TODAY + dt.timedelta(days=1))


REFUSED_REQUESTS = [
    (
        "TT-5790001",
        1,
        2,
        InvalidReturnError,
        "quantity_units 2: line 1 of order TT-5790001 shipped 2 units, 1 returned or being "
        "returned, 1 can still be returned",
    ),
    ("TT-5790001", 2, 1, InvalidReturnError, "0 can still be returned"),
    ("TT-5790002", 1, 1, InvalidReturnError, "line 1 of order TT-5790002 is reserved"),
    ("TT-404", 1, 1, UnknownReturnError, "order: no order 'TT-404'"),
    ("TT-5790001", 9, 1, UnknownReturnError, r"no line 9 \(lines: 1, 2\)"),
]


def test_a_request_for_units_that_cannot_come_back_is_refused(db: sa.Engine) -> None:
    for order, line, units, error, message in REFUSED_REQUESTS:
        with pytest.raises(error, match=message):
            _request(db, order, line, units, "changed_mind")
    assert _count(db, "returns") == 2


def test_the_return_window_closes_thirty_days_after_delivery(db: sa.Engine) -> None:
    with pytest.raises(InvalidReturnError, match="delivery on 2025-11-13 closed on 2025-12-13"):
        _request(db, "TT-5790001", 1, 1, "defective", dt.date(2025, 12, 14))
    last_day = _request(db, "TT-5790001", 1, 1, "defective", dt.date(2025, 12, 13))
    assert last_day.record.status.value == "requested"


def test_a_lip_gloss_not_worth_its_postage_is_refunded_without_coming_back(
    db: sa.Engine,
) -> None:
    # damaged lip gloss, grades 1/3/10/7 in 21 as above: (8.40 + 3 x 5.925 + 10 x 5.58
    # - 7 x 0.75) / 21 = 3.654 USD < 5.712 USD postage
    one = _request(db, "TT-5790005", 1, 1, "damaged")
    assert one.record.status.value == "closed"
    assert _return_row(db, one.record.rma_number) == ("closed", None, None, None, None, 9.9, 0.0)
    assert "returnless refund of 9.90 USD" in one.message
    with pytest.raises(IllegalReturnChangeError, match="is closed: it cannot become received"):
        _receive(db, one.record.rma_number)
    with pytest.raises(IllegalReturnChangeError, match="nothing came back to inspect"):
        _inspect(db, one.record.rma_number, "A")
    # two more are worth 7.31 USD, more than one parcel back: they come back
    two = _request(db, "TT-5790005", 1, 2, "damaged")
    assert (two.record.status.value, two.expected_recovery_usd) == ("requested", 7.31)


# --- receipt, inspection, refund, restock ------------------------------------------------


def test_receiving_an_rma_twice_books_it_once(db: sa.Engine) -> None:
    first = _receive(db, "RMA-0002", day=dt.date(2025, 11, 24))
    again = _receive(db, "RMA-0002", day=dt.date(2025, 11, 24))
    assert (first.changed, again.changed) == (True, False)
    assert _return_row(db, "RMA-0002")[:3] == ("received", "WH-NJ", dt.date(2025, 11, 24))
    with pytest.raises(ConflictingReturnError, match="received already at WH-NJ on 2025-11-24"):
        _receive(db, "RMA-0002", "WH-LA", dt.date(2025, 11, 24))


REFUSED_RECEIPTS = [
    ("RMA-0002", "WH-XX", TODAY, InvalidReturnError, "warehouse: no warehouse 'WH-XX'"),
    ("RMA-0002", "WH-NJ", dt.date(2025, 11, 17), InvalidReturnError, "before return RMA-0002"),
    ("RMA-0002", "WH-NJ", dt.date(2025, 11, 26), InvalidReturnError, "in the future"),
    ("RMA-9999", "WH-NJ", TODAY, UnknownReturnError, "rma: no return 'RMA-9999'"),
]


def test_a_bad_receipt_is_refused_and_changes_nothing(db: sa.Engine) -> None:
    for rma, warehouse, day, error, message in REFUSED_RECEIPTS:
        with pytest.raises(error, match=message):
            _receive(db, rma, warehouse, day)
    assert _return_row(db, "RMA-0002")[0] == "requested"


def test_an_open_box_phone_stand_is_restocked_and_refunded_less_the_fee(db: sa.Engine) -> None:
    _receive(db, "RMA-0002")
    result = _inspect(db, "RMA-0002", "B")
    # open box 12.50 x 0.75 - 1.50 = 7.875 beats refurbished 7.50 - 0.50 = 7.00; less 5.712
    # postage: 2.163. Changed mind, grade B: 12.50 less 15 % = 10.625 -> 10.63
    assert _return_row(db, "RMA-0002") == (
        "closed",
        "WH-NJ",
        TODAY,
        "B",
        "restock",
        10.63,
        2.16,
    )
    assert _on_hand(db, "SKU-002", "WH-NJ") == 9 + 1
    with SqlUnitOfWork(db) as uow:
        movement = uow.frames.read(
            "inventory_movements", where="movement_id = :m", params={"m": result.movement_id}
        )
    columns = ("movement_type", "quantity_units", "reference_type", "reference_id", "moved_at")
    assert movement.select(columns).rows() == [("return", 1, "return", 2, AT)]
    again = _inspect(db, "RMA-0002", "B")
    assert (again.changed, again.movement_id) == (False, result.movement_id)
    assert _on_hand(db, "SKU-002", "WH-NJ") == 10
    with pytest.raises(ConflictingReturnError, match="graded B, not A"):
        _inspect(db, "RMA-0002", "A")


def test_damaged_earbuds_are_refurbished_with_a_full_refund_and_no_restock(
    db: sa.Engine,
) -> None:
    rma = _request(db, "TT-5790001", 1, 1, "damaged").record.rma_number
    _receive(db, rma)
    movements = _count(db, "inventory_movements")
    result = _inspect(db, rma, "C")
    # refurbished 39.99 x 0.6 - 0.2 x 11.20 = 21.754, less 5.712 postage = 16.042
    assert _return_row(db, rma)[3:] == ("C", "refurbish", 35.99, 16.04)
    assert (result.movement_id, _count(db, "inventory_movements")) == (None, movements)


def test_a_return_is_inspected_only_once_received(db: sa.Engine) -> None:
    with pytest.raises(IllegalReturnChangeError, match="receive it before inspecting it"):
        _inspect(db, "RMA-0002", "A")
    assert _return_row(db, "RMA-0002")[0] == "requested"


def test_a_failed_restock_leaves_the_return_received_and_unrefunded(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _receive(db, "RMA-0002")

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(store, "add_restock_movement", broken)
    with pytest.raises(RuntimeError, match="ledger unavailable"):
        _inspect(db, "RMA-0002", "A")
    assert _return_row(db, "RMA-0002") == ("received", "WH-NJ", TODAY, None, None, 0.0, None)
    assert _on_hand(db, "SKU-002", "WH-NJ") == 9


# --- rejection ---------------------------------------------------------------------------


def test_a_rejected_return_gets_no_refund_and_frees_its_units(db: sa.Engine) -> None:
    reject = RejectReturn("RMA-0002", "serial number is not ours")
    result = service.reject_return(SqlUnitOfWork(db), reject)
    assert result.message == "return RMA-0002 rejected: serial number is not ours"
    assert _return_row(db, "RMA-0002")[0] == "rejected"
    assert service.reject_return(SqlUnitOfWork(db), reject).changed is False
    # the unit of line 2 may be asked for again
    assert _request(db, "TT-5790001", 2, 1, "wrong_item").record.status.value == "requested"


def test_a_closed_return_cannot_be_rejected_and_a_reason_is_required(db: sa.Engine) -> None:
    with pytest.raises(IllegalReturnChangeError, match=r"allowed next: none \(final status\)"):
        service.reject_return(SqlUnitOfWork(db), RejectReturn("RMA-0001", "late"))
    with pytest.raises(InvalidReturnError, match="say why"):
        service.reject_return(SqlUnitOfWork(db), RejectReturn("RMA-0002", "  "))
    assert _return_row(db, "RMA-0002")[0] == "requested"


# --- list and report ---------------------------------------------------------------------


def test_returns_are_listed_newest_first(db: sa.Engine) -> None:
    listed = service.list_returns(SqlUnitOfWork(db))
    assert listed.select("rma_number", "external_order_id", "sku_id", "status").rows() == [
        ("RMA-0002", "TT-5790001", "SKU-002", "requested"),
        ("RMA-0001", "TT-5790001", "SKU-001", "closed"),
    ]
    closed = service.list_returns(SqlUnitOfWork(db), statuses=[store.ReturnStatus.CLOSED])
    assert closed["rma_number"].to_list() == ["RMA-0001"]


def test_the_report_counts_returns_against_units_shipped_in_the_period(db: sa.Engine) -> None:
    start, end = dt.date(2025, 11, 1), dt.date(2025, 11, 30)
    _request(db, "TT-5790005", 1, 2, "defective")
    by_sku = service.returns_report(SqlUnitOfWork(db), start=start, end=end, by="sku")
    figures = by_sku.select("sku_id", "shipped_units", "returned_units", "return_rate").rows()
    # shipped in November: 2 earbuds and a stand on the 11th, 3 lip glosses on the 18th
    assert figures == [
        ("SKU-003", 3, 2, pytest.approx(2 / 3)),
        ("SKU-001", 2, 1, 0.5),
        ("SKU-002", 1, 1, 1.0),
    ]
    # SKU-001 and SKU-002 come cheapest from SUP-SZ, SKU-003 only from SUP-IE
    by_supplier = service.returns_report(SqlUnitOfWork(db), start=start, end=end, by="supplier")
    quality = by_supplier.select("supplier_id", "shipped_units", "returned_units", "quality_share")
    assert quality.rows() == [("SUP-IE", 3, 2, 1.0), ("SUP-SZ", 3, 2, 0.0)]
    with pytest.raises(InvalidReturnError, match="before from"):
        service.returns_report(SqlUnitOfWork(db), start=end, end=start)
