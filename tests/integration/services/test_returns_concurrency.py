"""Returns requests racing each other take effect once, on SQLite and PostgreSQL.

Each test makes both requests read the return (or the order line) before either writes, by
holding each thread's first call of a store function until the other thread reaches it.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from returns_world import fill, first_call_waits, first_calls_meet_if_they_can, in_parallel, rows

from shopops.domain.orders import ConditionGrade, ReturnReason
from shopops.domain.returning import (
    InspectReturn,
    InvalidReturnError,
    ReceiveReturn,
    RequestReturn,
)
from shopops.services import returns as service
from shopops.store.unit_of_work import SqlUnitOfWork

TODAY = dt.date(2025, 11, 25)


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    return fill(engine)


def _receive(db: sa.Engine) -> service.ReturnResult:
    command = ReceiveReturn("RMA-0002", "WH-NJ", TODAY)
    return service.receive_return(SqlUnitOfWork(db), command, today=TODAY)


def test_the_same_receipt_racing_itself_is_received_once(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_call_waits(monkeypatch, "mark_received", threading.Barrier(2))
    results = in_parallel(lambda: _receive(db), lambda: _receive(db))
    assert sorted(r.changed for r in results) == [False, True]
    assert all(r.record.status.value == "received" for r in results)


def test_an_inspection_racing_itself_restocks_once(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _receive(db)
    first_call_waits(monkeypatch, "close_inspected", threading.Barrier(2))
    command = InspectReturn("RMA-0002", ConditionGrade.A)

    def inspect() -> service.ReturnResult:
        return service.inspect_return(SqlUnitOfWork(db), command, at=dt.datetime(2025, 11, 25, 16))

    results = in_parallel(inspect, inspect)
    assert sorted(r.changed for r in results) == [False, True]
    assert rows(
        db,
        "SELECT count(*) FROM inventory_movements WHERE reference_type = 'return' "
        "AND reference_id = 2",
    ) == [(1,)]


def test_two_identical_requests_at_once_open_one_rma(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_call_waits(monkeypatch, "lock_order_line", threading.Barrier(2))
    command = RequestReturn("TT-5790005", 1, 2, ReturnReason.CHANGED_MIND)

    def request() -> service.ReturnResult:
        return service.request_return(SqlUnitOfWork(db), command, today=TODAY)

    results = in_parallel(request, request)
    assert sorted(r.changed for r in results) == [False, True]
    assert results[0].record.rma_number == results[1].record.rma_number
    assert rows(db, "SELECT count(*) FROM returns WHERE order_id = 5") == [(1,)]


def test_two_requests_for_the_last_units_at_once_let_only_one_through(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3 lip glosses delivered: 2 for a changed mind and 2 for a wrong item cannot both pass;
    # without the line's lock both would count the units returned before either books
    first_calls_meet_if_they_can(monkeypatch, "units_returned")
    outcomes: list[str] = []

    def request(reason: ReturnReason) -> None:
        command = RequestReturn("TT-5790005", 1, 2, reason)
        try:
            service.request_return(SqlUnitOfWork(db), command, today=TODAY)
            outcomes.append("opened")
        except InvalidReturnError as error:
            outcomes.append(str(error))

    in_parallel(
        lambda: request(ReturnReason.CHANGED_MIND), lambda: request(ReturnReason.WRONG_ITEM)
    )
    refused = [text for text in outcomes if text != "opened"]
    assert len(refused) == 1
    assert "2 returned or being returned, 1 can still be returned" in refused[0]
    assert rows(db, "SELECT sum(quantity_units) FROM returns WHERE order_id = 5") == [(2,)]
