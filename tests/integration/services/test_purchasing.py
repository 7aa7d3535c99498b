"""Purchase orders through the services, on SQLite and PostgreSQL, on the minimal marketplace.

The marketplace (tests/factories.py) has PO 1 confirmed (SUP-SZ, CNY, WH-NJ), PO 2 partially
received (SUP-IE, EUR, WH-LA), PO 3 proposed, PO 4 cancelled, PO 5 received and PO 6
approved; SKU-002 has 9 units on hand at WH-NJ.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.domain.purchasing import (
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
)
from shopops.domain.supply import PurchaseOrderStatus as S
from shopops.services import purchasing as service
from shopops.store import purchasing as store
from shopops.store.unit_of_work import SqlUnitOfWork
from shopops.store.views import stock_positions

AT = dt.datetime(2026, 1, 28, 9, 30)
BUYER = "buyer: Zoë"


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    """The migrated database holding the minimal marketplace."""
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.commit()
    return engine


def _uow(engine: sa.Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


def _rows(engine: sa.Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def _count(engine: sa.Engine, table: str) -> int:
    return int(_rows(engine, f"SELECT count(*) FROM {table}")[0][0])


def _status(engine: sa.Engine, po_id: int) -> str:
    return str(_rows(engine, "SELECT status FROM purchase_orders WHERE po_id = :p", p=po_id)[0][0])


def _read(engine: sa.Engine, table: str, where: str, **params: Any) -> pl.DataFrame:
    with SqlUnitOfWork(engine) as uow:
        return uow.frames.read(table, where=where, params=params)


def _events(engine: sa.Engine, po_id: int) -> list[tuple[Any, ...]]:
    columns = ("from_status", "to_status", "changed_by", "changed_at", "note")
    return _read(engine, "purchase_order_events", "po_id = :p", p=po_id).select(columns).rows()


def _add_po(
    engine: sa.Engine, po_id: int, lines: list[tuple[str, int, float]], currency: str = "USD"
) -> None:
    """A proposed PO from SUP-US to WH-NJ, created on 20 January 2026."""
    with SqlUnitOfWork(engine) as uow:
        uow.frames.write(
            "purchase_orders",
            pl.DataFrame(
                {
                    "po_id": [po_id],
                    "po_number": [f"PO-T-{po_id}"],
                    "supplier_id": ["SUP-US"],
                    "warehouse_id": ["WH-NJ"],
                    "status": ["proposed"],
                    "currency_code": [currency],
                    "incoterm": ["DDP"],
                    "ordered_date": [None],
                    "created_at": [dt.datetime(2026, 1, 20, 8)],
                    "created_by": ["plan run 9"],
                }
            ),
        )
        uow.frames.write(
            "purchase_order_lines",
            pl.DataFrame(
                [
                    (po_id, n, sku, units, price, dt.date(2026, 3, 1), 0)
                    for n, (sku, units, price) in enumerate(lines, start=1)
                ],
                schema=[
                    "po_id",
                    "line_no",
                    "sku_id",
                    "quantity_units",
                    "unit_price",
                    "expected_date",
                    "cancelled_units",
                ],
                orient="row",
            ),
        )
        uow.commit()


def _approve(engine: sa.Engine, po_id: int, note: str | None = None) -> service.StatusChange:
    return service.change_status(_uow(engine), ChangeStatus(po_id, S.APPROVED, note), BUYER, AT)


# --- lifecycle ---------------------------------------------------------------------------


def test_a_po_goes_through_its_lifecycle_and_every_step_is_recorded(db: sa.Engine) -> None:
    approved = _approve(db, 3, "needed for 11.11")
    assert (approved.status, approved.changed) == (S.APPROVED, True)
    later = AT + dt.timedelta(hours=2)
    sent = service.change_status(
        _uow(db), ChangeStatus(3, S.SENT, ordered_date=dt.date(2026, 1, 29)), "edi", later
    )
    confirmed = service.change_status(_uow(db), ChangeStatus(3, S.CONFIRMED), "supplier", later)
    assert (sent.status, confirmed.status) == (S.SENT, S.CONFIRMED)
    assert _events(db, 3) == [
        ("proposed", "approved", BUYER, AT, "needed for 11.11"),
        ("approved", "sent", "edi", later, None),
        ("sent", "confirmed", "supplier", later, None),
    ]
    ordered = _read(db, "purchase_orders", "po_id = 3")["ordered_date"].item()
    assert ordered == dt.date(2026, 1, 29)


def test_an_illegal_change_is_refused_and_nothing_is_written(db: sa.Engine) -> None:
    events = _count(db, "purchase_order_events")
    with pytest.raises(IllegalTransitionError) as refused:
        service.change_status(_uow(db), ChangeStatus(3, S.CONFIRMED), BUYER, AT)
    assert str(refused.value) == (
        "PO PO-2026-0003 (#3) is proposed: it cannot become confirmed; "
        "allowed next: approved, cancelled"
    )
    with pytest.raises(IllegalTransitionError, match="by its receipts"):
        service.change_status(_uow(db), ChangeStatus(1, S.RECEIVED), BUYER, AT)
    with pytest.raises(UnknownPurchaseOrderError, match="po_id: no purchase order 99"):
        _approve(db, 99)
    assert (_status(db, 3), _count(db, "purchase_order_events")) == ("proposed", events)


def test_the_same_approval_twice_takes_effect_once(db: sa.Engine) -> None:
    first, second = _approve(db, 3), _approve(db, 3)
    assert (first.changed, second.changed) == (True, False)
    assert second.status is S.APPROVED
    assert [e[1] for e in _events(db, 3)] == ["approved"]
    # an approval arriving after the PO moved on is the same approval, not an error
    service.change_status(_uow(db), ChangeStatus(3, S.SENT), "edi", AT)
    late = _approve(db, 3)
    assert (late.changed, late.status) == (False, S.SENT)


def _first_call_waits(
    monkeypatch: pytest.MonkeyPatch, name: str, barrier: threading.Barrier
) -> None:
    """Make each thread's first call of ``store.<name>`` wait for the other thread's."""
    real: Callable[..., Any] = getattr(store, name)
    waited = threading.local()

    def waiting(*args: Any, **kwargs: Any) -> Any:
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait(timeout=10)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, name, waiting)


def _in_parallel(*calls: Callable[[], Any]) -> list[Any]:
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except Exception as error:  # reported below, in the test's thread
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def test_two_concurrent_approvals_record_one_event(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both requests read the PO as proposed before either changes it.
    _first_call_waits(monkeypatch, "change_status", threading.Barrier(2))
    results = _in_parallel(lambda: _approve(db, 3), lambda: _approve(db, 3))
    assert sorted(r.changed for r in results) == [False, True]
    assert all(r.status is S.APPROVED for r in results)
    assert [e[:2] for e in _events(db, 3)] == [("proposed", "approved")]


def test_cancelling_a_partly_received_po_cancels_the_rest_and_closes_it(db: sa.Engine) -> None:
    result = service.cancel(_uow(db), CancelPurchaseOrder(2, "supplier stopped"), BUYER, AT)
    assert (result.status, result.changed) == (S.CLOSED, True)
    # line 1: 500 ordered, 447 accepted -> 53 cancelled; line 2 was over-received
    lines = _rows(db, "SELECT line_no, cancelled_units FROM purchase_order_lines WHERE po_id = 2")
    assert sorted(lines) == [(1, 53), (2, 0)]
    assert _events(db, 2) == [
        ("partially_received", "closed", BUYER, AT, "supplier stopped; 53 open units cancelled")
    ]
    again = service.cancel(_uow(db), CancelPurchaseOrder(2), BUYER, AT)
    assert again.changed is False
    assert len(_events(db, 2)) == 1


def test_cancelling_an_open_po_cancels_every_unit(db: sa.Engine) -> None:
    result = service.cancel(_uow(db), CancelPurchaseOrder(1), BUYER, AT)
    assert result.status is S.CANCELLED
    lines = _rows(db, "SELECT line_no, cancelled_units FROM purchase_order_lines WHERE po_id = 1")
    assert sorted(lines) == [(1, 1_000), (2, 200)]
    with pytest.raises(IllegalTransitionError, match="allowed next: closed"):
        service.cancel(_uow(db), CancelPurchaseOrder(5), BUYER, AT)


# --- budgets -----------------------------------------------------------------------------


def test_a_blocking_budget_refuses_the_approval_with_its_numbers(db: sa.Engine) -> None:
    # BEAUTY, Q1 2026: 40,000 USD budget (block). Already used: PO 2 line 1 still expects
    # 50 units x 1.5 EUR and received 447 good units x 1.5 EUR, at 1.085 USD per EUR:
    # 808.87 USD. A new 50,000 USD PO leaves 40,000 - 808.87 - 50,000 = -10,808.87.
    _add_po(db, 7, [("SKU-003", 50_000, 1.0)])
    with pytest.raises(OverBudgetError) as refused:
        _approve(db, 7)
    message = str(refused.value)
    assert "category BEAUTY, 2026-01-01 to 2026-03-31" in message
    assert "40,000.00 USD budget" in message
    assert "10,808.87 USD over" in message
    assert (_status(db, 7), _events(db, 7)) == ("proposed", [])


def test_a_warning_budget_approves_and_writes_the_warning_down(db: sa.Engine) -> None:
    # ELEC, Q1 2026: 250,000 USD (warn); SKU-002 is ELEC, 300,000 USD breaks it.
    _add_po(db, 8, [("SKU-002", 30_000, 10.0)])
    result = _approve(db, 8, "peak stock")
    assert (result.status, result.changed) == (S.APPROVED, True)
    (warning,) = result.warnings
    assert "exceeds the budget of category ELEC" in warning
    assert "approved with a warning" in warning
    (event,) = _events(db, 8)
    assert event[4] == f"peak stock; {warning}"


def test_a_po_across_categories_is_checked_per_category(db: sa.Engine) -> None:
    # Small ELEC line, BEAUTY line over its blocking budget: refused for BEAUTY alone.
    _add_po(db, 9, [("SKU-002", 10, 10.0), ("SKU-003", 45_000, 1.0)])
    with pytest.raises(OverBudgetError, match="category BEAUTY") as refused:
        _approve(db, 9)
    assert "category ELEC" not in str(refused.value)
    # Small BEAUTY line, ELEC line over its warning budget: approved with one warning.
    _add_po(db, 10, [("SKU-003", 100, 1.0), ("SKU-002", 30_000, 10.0)])
    result = _approve(db, 10)
    assert result.changed
    assert len(result.warnings) == 1
    assert "category ELEC" in result.warnings[0]


# --- receipts ----------------------------------------------------------------------------


def _receive(engine: sa.Engine, reference: str, po_id: int, line: int, units: int, **more: Any):
    command = ReceiveCommand(reference, po_id, line, dt.date(2026, 1, 27), units, **more)
    return service.receive(_uow(engine), command, "dock 3", AT)


def _on_hand(engine: sa.Engine, sku: str, warehouse: str) -> int:
    with engine.connect() as conn:
        stock = stock_positions(conn)
    row = stock.filter((pl.col("sku_id") == sku) & (pl.col("warehouse_id") == warehouse))
    return int(row["on_hand_units"].sum())


def test_a_partial_receipt_puts_accepted_units_in_stock(db: sa.Engine) -> None:
    result = _receive(db, "GRN-100", 1, 2, 120, damaged_units=5, rejected_units=3)
    assert (result.changed, result.accepted_units, result.over_received_units) == (True, 112, 0)
    assert result.po_status is S.PARTIALLY_RECEIVED
    assert _on_hand(db, "SKU-002", "WH-NJ") == 9 + 112
    movement = _read(db, "inventory_movements", "movement_id = :m", m=result.movement_id)
    assert movement.select(
        "movement_type", "quantity_units", "reference_type", "reference_id", "moved_at"
    ).rows() == [("receipt", 112, "receipt", result.receipt_id, dt.datetime(2026, 1, 27, 9, 30))]
    assert _events(db, 1)[-1] == (
        "confirmed",
        "partially_received",
        "dock 3",
        AT,
        "receipt GRN-100: 120 received, 112 accepted",
    )


def test_the_last_receipt_completes_the_po_and_over_receipt_is_reported(db: sa.Engine) -> None:
    _receive(db, "GRN-1", 1, 1, 900)  # 1,000 ordered, 100 cancelled
    partial = _receive(db, "GRN-2", 1, 2, 150)
    assert partial.po_status is S.PARTIALLY_RECEIVED
    last = _receive(db, "GRN-3", 1, 2, 62)  # 212 accepted against 200 ordered
    assert (last.po_status, last.over_received_units) == (S.RECEIVED, 12)
    assert "12 units over the ordered quantity of line 2" in last.message
    assert [e[1] for e in _events(db, 1)][-2:] == ["partially_received", "received"]
    with pytest.raises(IllegalTransitionError, match="goods are received only against"):
        _receive(db, "GRN-4", 1, 2, 1)
    closed = service.change_status(_uow(db), ChangeStatus(1, S.CLOSED, "paid"), BUYER, AT)
    assert (closed.status, _events(db, 1)[-1]) == (
        S.CLOSED,
        ("received", "closed", BUYER, AT, "paid"),
    )


def test_a_partly_received_po_is_closed_by_cancelling_it(db: sa.Engine) -> None:
    with pytest.raises(IllegalTransitionError, match="cancel it to close it"):
        service.change_status(_uow(db), ChangeStatus(2, S.CLOSED), BUYER, AT)
    assert _status(db, 2) == "partially_received"


def test_a_fully_damaged_delivery_is_booked_without_a_stock_movement(db: sa.Engine) -> None:
    movements = _count(db, "inventory_movements")
    result = _receive(db, "GRN-DMG", 1, 2, 10, damaged_units=6, rejected_units=4)
    assert (result.accepted_units, result.movement_id) == (0, None)
    assert _count(db, "inventory_movements") == movements
    assert result.po_status is S.PARTIALLY_RECEIVED


def test_the_same_receipt_twice_is_booked_once(db: sa.Engine) -> None:
    first = _receive(db, "DN 77/2026", 1, 2, 50)
    receipts, movements = _count(db, "receipts"), _count(db, "inventory_movements")
    second = _receive(db, "DN 77/2026", 1, 2, 50)
    assert (first.changed, second.changed) == (True, False)
    assert (second.receipt_id, second.movement_id) == (first.receipt_id, first.movement_id)
    assert (_count(db, "receipts"), _count(db, "inventory_movements")) == (receipts, movements)
    assert _on_hand(db, "SKU-002", "WH-NJ") == 9 + 50


def test_the_same_reference_with_other_content_is_refused(db: sa.Engine) -> None:
    _receive(db, "DN 78/2026", 1, 2, 50)
    receipts = _count(db, "receipts")
    with pytest.raises(ConflictingDuplicateError) as refused:
        _receive(db, "DN 78/2026", 1, 2, 60)
    assert "with received_units 50; this one has 60" in str(refused.value)
    with pytest.raises(ConflictingDuplicateError, match="line_no 2; this one has 1"):
        _receive(db, "DN 78/2026", 1, 1, 50)
    assert _count(db, "receipts") == receipts


@pytest.mark.parametrize(
    ("command", "error", "field"),
    [
        (ReceiveCommand("X-1", 99, 1, dt.date(2026, 1, 27), 5), UnknownPurchaseOrderError, "po_id"),
        (
            ReceiveCommand("X-2", 1, 9, dt.date(2026, 1, 27), 5),
            UnknownPurchaseOrderError,
            "line_no",
        ),
        (
            ReceiveCommand("X-3", 1, 1, dt.date(2026, 1, 4), 5),
            InvalidDocumentError,
            "received_date",
        ),
        (
            ReceiveCommand("X-4", 1, 1, dt.date(2026, 1, 27), -5),
            InvalidDocumentError,
            "received_units",
        ),
        (
            ReceiveCommand("X-5", 1, 1, dt.date(2026, 1, 27), 5, 3, 3),
            InvalidDocumentError,
            r"damaged_units \+ rejected_units",
        ),
        (ReceiveCommand("X-6", 3, 1, dt.date(2026, 1, 27), 5), IllegalTransitionError, "proposed"),
    ],
)
def test_bad_receipts_name_the_field_and_write_nothing(
    db: sa.Engine, command: ReceiveCommand, error: type[Exception], field: str
) -> None:
    before = {
        t: _count(db, t) for t in ("receipts", "inventory_movements", "purchase_order_events")
    }
    with pytest.raises(error, match=field):
        service.receive(_uow(db), command, "dock 3", AT)
    assert {t: _count(db, t) for t in before} == before


def test_a_receipt_submitted_twice_at_once_is_booked_once(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both submissions find no receipt under the reference before either books it.
    _first_call_waits(monkeypatch, "add_receipt", threading.Barrier(2))
    results = _in_parallel(
        lambda: _receive(db, "GRN-RACE", 1, 2, 40), lambda: _receive(db, "GRN-RACE", 1, 2, 40)
    )
    assert sorted(r.changed for r in results) == [False, True]
    assert results[0].receipt_id == results[1].receipt_id
    assert _rows(db, "SELECT count(*) FROM receipts WHERE receipt_reference = 'GRN-RACE'") == [(1,)]
    assert _on_hand(db, "SKU-002", "WH-NJ") == 9 + 40
    assert [e[1] for e in _events(db, 1)].count("partially_received") == 1


# --- invoices and matching ---------------------------------------------------------------


def _invoice(number: str, *lines: InvoiceLine, currency: str = "CNY") -> RecordInvoice:
    return RecordInvoice("SUP-SZ", number, dt.date(2026, 1, 28), currency, lines)


def test_an_invoice_is_booked_once(db: sa.Engine) -> None:
    first = service.record_invoice(_uow(db), _invoice("SZ-9", InvoiceLine(1, 2, 50, 15.0)))
    again = service.record_invoice(_uow(db), _invoice("SZ-9", InvoiceLine(1, 2, 50, 15.0)))
    assert (first.changed, again.changed, again.invoice_id) == (True, False, first.invoice_id)
    with pytest.raises(ConflictingDuplicateError, match="with other lines"):
        service.record_invoice(_uow(db), _invoice("SZ-9", InvoiceLine(1, 2, 50, 15.5)))
    assert _count(db, "supplier_invoices") == 3
    assert _rows(
        db,
        "SELECT quantity_units, unit_price FROM supplier_invoice_lines WHERE invoice_id = :i",
        i=first.invoice_id,
    ) == [(50, 15.0)]


def test_an_invoice_for_another_suppliers_po_is_refused(db: sa.Engine) -> None:
    with pytest.raises(InvalidDocumentError, match="PO 2 line 1 was ordered from SUP-IE"):
        service.record_invoice(_uow(db), _invoice("SZ-10", InvoiceLine(2, 1, 5, 1.5)))
    with pytest.raises(UnknownPurchaseOrderError, match="PO 1 has no line 7"):
        service.record_invoice(_uow(db), _invoice("SZ-11", InvoiceLine(1, 7, 5, 1.5)))
    with pytest.raises(InvalidDocumentError, match="currency_code: no currency 'XXX'"):
        service.record_invoice(_uow(db), _invoice("SZ-12", InvoiceLine(1, 1, 5, 1), currency="XXX"))
    assert _count(db, "supplier_invoices") == 2


def test_the_match_compares_invoices_with_receipts_and_po_prices(db: sa.Engine) -> None:
    _receive(db, "GRN-M", 1, 2, 50)
    # 2.07 USD is 15 CNY at 0.138 USD per CNY: the PO price, invoiced in dollars
    service.record_invoice(_uow(db), _invoice("SZ-M", InvoiceLine(1, 2, 50, 2.07), currency="USD"))
    frame = service.match_invoices(_uow(db))
    rows = {(r["po_id"], r["line_no"]): r for r in frame.iter_rows(named=True)}
    assert set(rows) == {(1, 1), (1, 2), (2, 1), (2, 2), (5, 1)}  # sent or further on
    assert rows[(1, 2)]["match_status"] == "matched"
    assert rows[(1, 2)]["invoiced_unit_price"] == pytest.approx(15.0)
    # PO 2 line 1: 450 invoiced at 1.5 EUR, 447 accepted -> credit 3 x 1.5
    assert rows[(2, 1)]["match_status"] == "quantity_over_invoiced"
    assert rows[(2, 1)]["amount_at_stake_po_currency"] == pytest.approx(4.5)
    # PO 2 line 2: invoiced at 9.9 EUR against 9.5 -> 120 x 0.40
    assert rows[(2, 2)]["match_status"] == "price_over"
    assert rows[(2, 2)]["amount_at_stake_po_currency"] == pytest.approx(48.0)
    assert rows[(5, 1)]["match_status"] == "matched"
    assert rows[(1, 1)]["match_status"] == "not_received"
    only_po_2 = service.match_invoices(_uow(db), po_id=2)
    assert only_po_2["line_no"].to_list() == [1, 2]


# --- expediting, listing ------------------------------------------------------------------


def test_the_expediting_list_ranks_what_holds_up_orders_first(db: sa.Engine) -> None:
    with SqlUnitOfWork(db) as uow:  # 30 units of SKU-002 waiting at WH-NJ, 9 on hand
        uow.frames.write(
            "orders",
            minimal_marketplace()["orders"]
            .head(1)
            .with_columns(
                order_id=pl.lit(50, pl.Int64),
                external_order_id=pl.lit("TT-50"),
                status=pl.lit("open"),
                ordered_at=pl.lit(dt.datetime(2026, 2, 12, 10)),
                event_id=pl.lit(None, pl.String),
            ),
        )
        uow.frames.write(
            "order_lines",
            minimal_marketplace()["order_lines"]
            .head(1)
            .with_columns(
                order_id=pl.lit(50, pl.Int64),
                sku_id=pl.lit("SKU-002"),
                quantity_units=pl.lit(30, pl.Int64),
                status=pl.lit("reserved"),
                shipment_id=pl.lit(None, pl.Int64),
            ),
        )
        uow.commit()
    frame = service.expediting(_uow(db), as_of=dt.date(2026, 2, 15))
    ranked = [(r["po_id"], r["line_no"]) for r in frame.iter_rows(named=True)]
    # PO 1 line 2 holds up 30 - 9 = 21 units x 12.50 USD; the rest hold up nothing and go
    # by days late: PO 6 (due 20 Jan), PO 2 line 1 (25 Jan), PO 1 line 1 (10 Feb).
    assert ranked == [(1, 2), (6, 1), (2, 1), (1, 1)]
    top = frame.row(0, named=True)
    assert (top["customer_units_waiting"], top["value_at_risk_usd"]) == (21, pytest.approx(262.5))
    by_line = {(r["po_id"], r["line_no"]): r for r in frame.iter_rows(named=True)}
    # SUP-IE delivered a day late once in four receipts; SKU-001 at WH-NJ: 69 on hand,
    # 4 reserved, 5 a day in the last policy run -> runs out 13 days after 15 Feb.
    assert by_line[(2, 1)]["supplier_mean_days_late"] == pytest.approx(0.25)
    assert by_line[(2, 1)]["days_late"] == 21
    assert by_line[(1, 1)]["on_hand_units"] == 69
    assert by_line[(1, 1)]["stockout_date"] == dt.date(2026, 2, 28)


def test_list_and_show_report_open_units(db: sa.Engine) -> None:
    listed = service.list_purchase_orders(_uow(db), statuses=[S.CONFIRMED, S.PARTIALLY_RECEIVED])
    assert listed.select("po_id", "open_units").rows() == [(2, 53), (1, 1_100)]
    details = service.purchase_order_details(_uow(db), service.resolve_po(_uow(db), "PO-2026-0002"))
    assert details.lines["open_units"].to_list() == [53, 0]
    assert details.receipts["accepted_units"].to_list() == [297, 120, 150]
    assert details.events.is_empty()
