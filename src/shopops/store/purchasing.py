"""Purchase orders, their events, receipts, invoices and receipt stock movements in SQL.

Every function runs on the caller's connection, inside its transaction. New record
numbers are ``max + 1`` read in the transaction; the insert runs in a savepoint, so a
number taken meanwhile by a concurrent transaction is retried with the next one, and a
reference booked meanwhile (a receipt reference, an invoice number) is reported as such
instead of failing the whole transaction. A status changes only through
:func:`change_status`, one conditional ``UPDATE``: of two concurrent changes from the
same status, exactly one takes effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import sqlalchemy as sa

from shopops.data.schemas import ALL_TABLES
from shopops.domain.inventory import MovementReference, MovementType
from shopops.domain.orders import OrderLineStatus
from shopops.domain.planning import PlanRunKind, PlanRunStatus
from shopops.domain.purchasing import InvoiceLine, ReceiveCommand, RecordInvoice
from shopops.domain.supply import OPEN_PURCHASE_ORDER_STATUSES, PurchaseOrderStatus
from shopops.store.frames import FrameStore
from shopops.store.tables import SQL_TABLES

_POS = SQL_TABLES["purchase_orders"]
_LINES = SQL_TABLES["purchase_order_lines"]
_EVENTS = SQL_TABLES["purchase_order_events"]
_RECEIPTS = SQL_TABLES["receipts"]
_INVOICES = SQL_TABLES["supplier_invoices"]
_INVOICE_LINES = SQL_TABLES["supplier_invoice_lines"]
_MOVEMENTS = SQL_TABLES["inventory_movements"]
_SKUS = SQL_TABLES["skus"]
_CURRENCIES = SQL_TABLES["currencies"]
_ORDERS = SQL_TABLES["orders"]
_ORDER_LINES = SQL_TABLES["order_lines"]
_POLICIES = SQL_TABLES["inventory_policies"]
_RUNS = SQL_TABLES["plan_runs"]

_ID_ATTEMPTS = 8
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_POSTGRES_RETRYABLE = frozenset({"40001", "40P01"})  # serialization failure, deadlock
_RECENT_DEMAND_DAYS = 28


@dataclass(frozen=True, slots=True)
class PurchaseOrderRecord:
    po_id: int
    po_number: str
    supplier_id: str
    warehouse_id: str
    status: PurchaseOrderStatus
    currency_code: str
    ordered_date: dt.date | None
    created_at: dt.datetime

    @property
    def order_date(self) -> dt.date:
        """The day it was ordered: sent to the supplier, or created while not sent yet."""
        return self.ordered_date or self.created_at.date()

    @property
    def label(self) -> str:
        return f"PO {self.po_number} (#{self.po_id})"


@dataclass(frozen=True, slots=True)
class PoLineRecord:
    """A PO line with what its receipts brought: counted in, and accepted (put away)."""

    po_id: int
    line_no: int
    sku_id: str
    quantity_units: int
    cancelled_units: int
    unit_price: float
    expected_date: dt.date
    received_units: int
    accepted_units: int

    @property
    def open_units(self) -> int:
        """Units still expected: ordered less cancelled and accepted, never below zero."""
        return max(self.quantity_units - self.cancelled_units - self.accepted_units, 0)


@dataclass(frozen=True, slots=True)
class ReceiptRecord:
    receipt_id: int
    receipt_reference: str
    po_id: int
    line_no: int
    received_date: dt.date
    received_units: int
    damaged_units: int
    rejected_units: int


@dataclass(frozen=True, slots=True)
class InvoiceRecord:
    invoice_id: int
    supplier_id: str
    invoice_number: str
    invoice_date: dt.date
    currency_code: str
    lines: tuple[InvoiceLine, ...]


def is_write_conflict(error: sa.exc.DBAPIError) -> bool:
    """Whether ``error`` means a concurrent transaction got there first, so a retry may pass.

    SQLite refuses at once ("database is locked") a transaction that read before another
    one wrote; PostgreSQL reports serialization failures and deadlocks.
    """
    code = getattr(error.orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return getattr(error.orig, "sqlstate", None) in _POSTGRES_RETRYABLE


def find_po_id(conn: sa.Connection, reference: str) -> int | None:
    """The number of the PO whose ``po_number`` is ``reference``, or whose id it is."""
    by_number = conn.execute(sa.select(_POS.c.po_id).where(_POS.c.po_number == reference))
    found = by_number.scalar_one_or_none()
    if found is not None or not reference.isdigit():
        return found
    by_id = conn.execute(sa.select(_POS.c.po_id).where(_POS.c.po_id == int(reference)))
    return by_id.scalar_one_or_none()


def load_purchase_order(conn: sa.Connection, po_id: int) -> PurchaseOrderRecord | None:
    query = sa.select(*_columns(_POS, *PurchaseOrderRecord.__slots__))
    row = conn.execute(query.where(_POS.c.po_id == po_id)).one_or_none()
    if row is None:
        return None
    values = row._asdict()
    values["status"] = PurchaseOrderStatus(values["status"])
    return PurchaseOrderRecord(**values)


def load_po_lines(conn: sa.Connection, po_id: int) -> list[PoLineRecord]:
    """The PO's lines by line number, with units received and accepted so far."""
    received = _receipt_totals().where(_RECEIPTS.c.po_id == po_id).subquery("received")
    query = (
        sa.select(
            *_columns(_LINES, *PoLineRecord.__slots__[:7]),
            sa.func.coalesce(received.c.received_units, 0).label("received_units"),
            sa.func.coalesce(received.c.accepted_units, 0).label("accepted_units"),
        )
        .outerjoin(received, _same_line(received, _LINES))
        .where(_LINES.c.po_id == po_id)
        .order_by(_LINES.c.line_no)
    )
    return [PoLineRecord(**row._asdict()) for row in conn.execute(query)]


def _receipt_totals() -> sa.Select[Any]:
    accepted = _RECEIPTS.c.received_units - _RECEIPTS.c.damaged_units - _RECEIPTS.c.rejected_units
    return sa.select(
        _RECEIPTS.c.po_id,
        _RECEIPTS.c.line_no,
        _int_sum(_RECEIPTS.c.received_units).label("received_units"),
        _int_sum(accepted).label("accepted_units"),
    ).group_by(_RECEIPTS.c.po_id, _RECEIPTS.c.line_no)


def change_status(
    conn: sa.Connection,
    po_id: int,
    from_status: PurchaseOrderStatus,
    to_status: PurchaseOrderStatus,
    *,
    ordered_date: dt.date | None = None,
) -> bool:
    """Set the status if it still is ``from_status``; whether this call changed it.

    ``ordered_date``, when given, is stored with the change (a PO being sent).
    """
    values: dict[str, Any] = {"status": to_status.value}
    if ordered_date is not None:
        values["ordered_date"] = ordered_date
    result = conn.execute(
        sa.update(_POS)
        .where(_POS.c.po_id == po_id, _POS.c.status == from_status.value)
        .values(values)
    )
    return result.rowcount == 1


def add_event(
    conn: sa.Connection,
    *,
    po_id: int,
    from_status: PurchaseOrderStatus | None,
    to_status: PurchaseOrderStatus,
    changed_at: dt.datetime,
    changed_by: str,
    note: str | None,
) -> int:
    """Record a status change; returns its event number."""
    values = {
        "po_id": po_id,
        "from_status": None if from_status is None else from_status.value,
        "to_status": to_status.value,
        "changed_at": changed_at,
        "changed_by": changed_by[:64],
        "note": None if note is None else _clip(note, 500),
    }
    event_id = _insert_with_new_id(conn, _EVENTS, "event_id", values)
    assert event_id is not None
    return event_id


def reached_status(conn: sa.Connection, po_id: int, status: PurchaseOrderStatus) -> bool:
    """Whether the PO's history shows it changed to ``status`` at some point."""
    query = (
        sa.select(sa.literal(1))
        .where(_EVENTS.c.po_id == po_id, _EVENTS.c.to_status == status.value)
        .limit(1)
    )
    return conn.execute(query).first() is not None


def cancel_open_units(conn: sa.Connection, lines: Sequence[PoLineRecord]) -> int:
    """Cancel what each line still expects (``cancelled_units`` grows by it); units cancelled."""
    total = 0
    for line in lines:
        if line.open_units == 0:
            continue
        conn.execute(
            sa.update(_LINES)
            .where(_LINES.c.po_id == line.po_id, _LINES.c.line_no == line.line_no)
            .values(cancelled_units=line.cancelled_units + line.open_units)
        )
        total += line.open_units
    return total


def find_receipt(conn: sa.Connection, reference: str) -> ReceiptRecord | None:
    query = sa.select(*_columns(_RECEIPTS, *ReceiptRecord.__slots__)).where(
        _RECEIPTS.c.receipt_reference == reference
    )
    row = conn.execute(query).one_or_none()
    return None if row is None else ReceiptRecord(*row)


def add_receipt(conn: sa.Connection, command: ReceiveCommand) -> int | None:
    """Book a receipt; its number, or ``None`` when its reference was booked already."""
    values = {
        "receipt_reference": command.receipt_reference,
        "po_id": command.po_id,
        "line_no": command.line_no,
        "received_date": command.received_date,
        "received_units": command.received_units,
        "damaged_units": command.damaged_units,
        "rejected_units": command.rejected_units,
    }
    return _insert_with_new_id(
        conn,
        _RECEIPTS,
        "receipt_id",
        values,
        already_booked=lambda: find_receipt(conn, command.receipt_reference) is not None,
    )


def add_receipt_movement(
    conn: sa.Connection,
    *,
    receipt_id: int,
    sku_id: str,
    warehouse_id: str,
    units: int,
    moved_at: dt.datetime,
) -> int:
    """Put ``units`` accepted by a receipt on the stock ledger; returns the movement number."""
    values = {
        "sku_id": sku_id,
        "warehouse_id": warehouse_id,
        "movement_type": MovementType.RECEIPT.value,
        "quantity_units": units,
        "moved_at": moved_at,
        "reference_type": MovementReference.RECEIPT.value,
        "reference_id": receipt_id,
    }
    movement_id = _insert_with_new_id(conn, _MOVEMENTS, "movement_id", values)
    assert movement_id is not None
    return movement_id


def receipt_movement_id(
    conn: sa.Connection, receipt_id: int, sku_id: str, warehouse_id: str
) -> int | None:
    """The stock movement a receipt posted, if it accepted any units."""
    query = sa.select(_MOVEMENTS.c.movement_id).where(
        _MOVEMENTS.c.sku_id == sku_id,
        _MOVEMENTS.c.warehouse_id == warehouse_id,
        _MOVEMENTS.c.reference_type == MovementReference.RECEIPT.value,
        _MOVEMENTS.c.reference_id == receipt_id,
    )
    return conn.execute(query).scalars().first()


def exists(conn: sa.Connection, table_name: str, column: str, value: object) -> bool:
    """Whether ``table_name`` has a row whose ``column`` is ``value`` (a code lookup)."""
    table = SQL_TABLES[table_name]
    query = sa.select(sa.literal(1)).where(table.c[column] == value).limit(1)
    return conn.execute(query).first() is not None


def line_suppliers(
    conn: sa.Connection, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    """The supplier of each existing PO line among ``keys`` (``(po_id, line_no)``)."""
    po_ids = sorted({po_id for po_id, _ in keys})
    query = (
        sa.select(_LINES.c.po_id, _LINES.c.line_no, _POS.c.supplier_id)
        .join(_POS, _POS.c.po_id == _LINES.c.po_id)
        .where(_LINES.c.po_id.in_(po_ids))
    )
    wanted = set(keys)
    return {(p, n): s for p, n, s in conn.execute(query) if (p, n) in wanted}


def find_invoice(
    conn: sa.Connection, supplier_id: str, invoice_number: str
) -> InvoiceRecord | None:
    header = conn.execute(
        sa.select(*_columns(_INVOICES, *InvoiceRecord.__slots__[:5])).where(
            _INVOICES.c.supplier_id == supplier_id, _INVOICES.c.invoice_number == invoice_number
        )
    ).one_or_none()
    if header is None:
        return None
    lines = conn.execute(
        sa.select(*_columns(_INVOICE_LINES, "po_id", "line_no", "quantity_units", "unit_price"))
        .where(_INVOICE_LINES.c.invoice_id == header.invoice_id)
        .order_by(_INVOICE_LINES.c.po_id, _INVOICE_LINES.c.line_no)
    )
    return InvoiceRecord(**header._asdict(), lines=tuple(InvoiceLine(*line) for line in lines))


def add_invoice(conn: sa.Connection, command: RecordInvoice) -> int | None:
    """Book an invoice and its lines; its number, or ``None`` if it was booked already."""
    values = {
        "invoice_number": command.invoice_number,
        "supplier_id": command.supplier_id,
        "invoice_date": command.invoice_date,
        "currency_code": command.currency_code,
    }
    invoice_id = _insert_with_new_id(
        conn,
        _INVOICES,
        "invoice_id",
        values,
        already_booked=lambda: (
            find_invoice(conn, command.supplier_id, command.invoice_number) is not None
        ),
    )
    if invoice_id is not None:
        conn.execute(
            sa.insert(_INVOICE_LINES),
            [
                {
                    "invoice_id": invoice_id,
                    "po_id": line.po_id,
                    "line_no": line.line_no,
                    "quantity_units": line.quantity_units,
                    "unit_price": line.unit_price,
                }
                for line in command.lines
            ],
        )
    return invoice_id


def _insert_with_new_id(
    conn: sa.Connection,
    table: sa.Table,
    id_column: str,
    values: Mapping[str, Any],
    *,
    already_booked: Callable[[], bool] | None = None,
) -> int | None:
    """Insert ``values`` under the next free number; ``None`` if ``already_booked`` says so.

    The insert runs in a savepoint: when it breaks a unique constraint the savepoint is
    rolled back and the cause looked up. A number taken meanwhile is retried with the
    next one; any other refusal is raised.
    """
    key = table.c[id_column]
    for _ in range(_ID_ATTEMPTS):
        new_id = conn.execute(sa.select(sa.func.coalesce(sa.func.max(key), 0) + 1)).scalar_one()
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(table).values({id_column: new_id, **values}))
        except sa.exc.IntegrityError:
            if already_booked is not None and already_booked():
                return None
            if not conn.execute(sa.select(key).where(key == new_id)).first():
                raise
            continue
        return int(new_id)
    raise RuntimeError(f"no free {table.name}.{id_column} after {_ID_ATTEMPTS} attempts")


def po_value_by_category(conn: sa.Connection, po_id: int) -> list[tuple[str, float]]:
    """``(category_id, value_usd)`` of the units a PO still orders (less cancelled)."""
    value = (
        (_LINES.c.quantity_units - _LINES.c.cancelled_units)
        * _LINES.c.unit_price
        * _CURRENCIES.c.usd_per_unit
    )
    query = (
        sa.select(_SKUS.c.category_id, sa.func.sum(value))
        .select_from(_LINES)
        .join(_POS, _POS.c.po_id == _LINES.c.po_id)
        .join(_CURRENCIES, _CURRENCIES.c.currency_code == _POS.c.currency_code)
        .join(_SKUS, _SKUS.c.sku_id == _LINES.c.sku_id)
        .where(_LINES.c.po_id == po_id)
        .group_by(_SKUS.c.category_id)
        .order_by(_SKUS.c.category_id)
    )
    return [(category, float(total)) for category, total in conn.execute(query)]


def budget_inputs(frames: FrameStore, po_id: int) -> dict[str, pl.DataFrame]:
    """The tables :func:`shopops.analytics.budgets.budget_status` needs for a PO's categories.

    Only rows of the categories the PO buys in are read: their budgets and SKUs, the
    PO lines of those SKUs with their POs, receipts and invoices.
    """
    categories = (
        "(SELECT s.category_id FROM purchase_order_lines l JOIN skus s ON s.sku_id = l.sku_id "
        "WHERE l.po_id = :po_id)"
    )
    lines = f"sku_id IN (SELECT sku_id FROM skus WHERE category_id IN {categories})"
    of_lines = (
        "EXISTS (SELECT 1 FROM purchase_order_lines l JOIN skus s ON s.sku_id = l.sku_id "
        "WHERE l.po_id = {t}.po_id AND l.line_no = {t}.line_no "
        f"AND s.category_id IN {categories})"
    )
    wheres = {
        "budgets": f"category_id IN {categories}",
        "purchase_orders": f"po_id IN (SELECT po_id FROM purchase_order_lines WHERE {lines})",
        "purchase_order_lines": lines,
        "receipts": of_lines.format(t="receipts"),
        "supplier_invoices": "invoice_id IN (SELECT invoice_id FROM supplier_invoice_lines "
        f"WHERE {of_lines.format(t='supplier_invoice_lines')})",
        "supplier_invoice_lines": of_lines.format(t="supplier_invoice_lines"),
        "skus": f"category_id IN {categories}",
    }
    read = {name: frames.read(name, where=w, params={"po_id": po_id}) for name, w in wheres.items()}
    return read | {"currencies": frames.read("currencies")}


def purchase_order_list(
    conn: sa.Connection,
    *,
    statuses: Sequence[PurchaseOrderStatus] = (),
    supplier_id: str | None = None,
    limit: int | None = None,
) -> pl.DataFrame:
    """POs newest first, with their number of lines, value and units still open."""
    chosen = sa.select(_POS.c.po_id).order_by(_POS.c.po_id.desc()).limit(limit)
    if statuses:
        chosen = chosen.where(_POS.c.status.in_([s.value for s in statuses]))
    if supplier_id is not None:
        chosen = chosen.where(_POS.c.supplier_id == supplier_id)
    chosen_ids = chosen.subquery("chosen")
    received = (
        _receipt_totals()
        .where(_RECEIPTS.c.po_id.in_(sa.select(chosen_ids.c.po_id)))
        .subquery("received")
    )
    value = (_LINES.c.quantity_units - _LINES.c.cancelled_units) * _LINES.c.unit_price
    header = _columns(_POS, *_HEADER, "currency_code")
    query = (
        sa.select(
            *header,
            sa.func.count(_LINES.c.line_no).label("lines"),
            _int_sum(sa.case((_is_open_po(), _open_units(received)), else_=0)).label("open_units"),
            sa.func.coalesce(sa.func.sum(value), 0.0).label("value"),
        )
        .select_from(_POS)
        .join(chosen_ids, chosen_ids.c.po_id == _POS.c.po_id)
        .outerjoin(_LINES, _LINES.c.po_id == _POS.c.po_id)
        .outerjoin(received, _same_line(received, _LINES))
        .group_by(*header)
        .order_by(_POS.c.po_id.desc())
    )
    return _frame(conn, query)


_HEADER = ("po_id", "po_number", "supplier_id", "warehouse_id", "status", "ordered_date")


def _open_units(received: sa.Subquery) -> sa.ColumnElement[Any]:
    left = (
        _LINES.c.quantity_units
        - _LINES.c.cancelled_units
        - sa.func.coalesce(received.c.accepted_units, 0)
    )
    return sa.case((left > 0, left), else_=0)


def _same_line(left: sa.FromClause, right: sa.FromClause) -> sa.ColumnElement[bool]:
    return (left.c.po_id == right.c.po_id) & (left.c.line_no == right.c.line_no)


def purchase_order_events(conn: sa.Connection, po_id: int) -> pl.DataFrame:
    """The PO's status history, oldest first."""
    columns = ("event_id", "from_status", "to_status", "changed_at", "changed_by", "note")
    query = sa.select(*_columns(_EVENTS, *columns)).where(_EVENTS.c.po_id == po_id)
    return _frame(conn, query.order_by(_EVENTS.c.changed_at, _EVENTS.c.event_id))


def receipts_of(conn: sa.Connection, po_id: int) -> pl.DataFrame:
    """The PO's receipts by date, with accepted units."""
    query = sa.select(*_columns(_RECEIPTS, *ReceiptRecord.__slots__)).where(
        _RECEIPTS.c.po_id == po_id
    )
    frame = _frame(conn, query.order_by(_RECEIPTS.c.received_date, _RECEIPTS.c.receipt_id))
    accepted = pl.col("received_units") - pl.col("damaged_units") - pl.col("rejected_units")
    return frame.with_columns(accepted_units=accepted)


def match_inputs(
    conn: sa.Connection, *, po_id: int | None = None, supplier_id: str | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """PO lines, receipts and invoice lines for the three-way match.

    Without ``po_id`` the POs are those sent or further on, and cancelled ones that were
    invoiced. Invoice prices come converted to the PO's currency.
    """
    scope = _match_scope(po_id, supplier_id)
    lines = sa.select(
        *_columns(_LINES, "po_id", "line_no", "sku_id"),
        *_columns(_POS, "po_number", "supplier_id", "currency_code"),
        *_columns(_LINES, "quantity_units", "cancelled_units", "unit_price"),
    ).join(_POS, _POS.c.po_id == _LINES.c.po_id)
    receipt_columns = ("po_id", "line_no", "received_units", "damaged_units", "rejected_units")
    receipts = sa.select(*_columns(_RECEIPTS, *receipt_columns)).join(
        _POS, _POS.c.po_id == _RECEIPTS.c.po_id
    )
    return (
        _frame(conn, lines.where(scope).order_by(_LINES.c.po_id, _LINES.c.line_no)),
        _frame(conn, receipts.where(scope)),
        _invoice_lines_in_po_currency(conn, scope),
    )


def _match_scope(po_id: int | None, supplier_id: str | None) -> sa.ColumnElement[bool]:
    if po_id is not None:
        return _POS.c.po_id == po_id
    not_yet_sent = [PurchaseOrderStatus.PROPOSED.value, PurchaseOrderStatus.APPROVED.value]
    invoiced = sa.select(_INVOICE_LINES.c.po_id)
    scope = sa.and_(
        _POS.c.status.not_in(not_yet_sent),
        (_POS.c.status != PurchaseOrderStatus.CANCELLED.value) | _POS.c.po_id.in_(invoiced),
    )
    return scope if supplier_id is None else scope & (_POS.c.supplier_id == supplier_id)


def _invoice_lines_in_po_currency(
    conn: sa.Connection, scope: sa.ColumnElement[bool]
) -> pl.DataFrame:
    invoice_rate, po_rate = _CURRENCIES.alias("invoice_rate"), _CURRENCIES.alias("po_rate")
    price = sa.case(
        (_INVOICES.c.currency_code == _POS.c.currency_code, _INVOICE_LINES.c.unit_price),
        else_=_INVOICE_LINES.c.unit_price * invoice_rate.c.usd_per_unit / po_rate.c.usd_per_unit,
    )
    query = (
        sa.select(
            *_columns(_INVOICE_LINES, "invoice_id", "po_id", "line_no", "quantity_units"),
            price.label("unit_price"),
        )
        .join(_INVOICES, _INVOICES.c.invoice_id == _INVOICE_LINES.c.invoice_id)
        .join(_POS, _POS.c.po_id == _INVOICE_LINES.c.po_id)
        .join(invoice_rate, invoice_rate.c.currency_code == _INVOICES.c.currency_code)
        .join(po_rate, po_rate.c.currency_code == _POS.c.currency_code)
        .where(scope)
    )
    return _frame(conn, query)


@dataclass(frozen=True, slots=True)
class ExpeditingInputs:
    """The frames :func:`shopops.analytics.expediting.expediting_list` works on."""

    open_po_lines: pl.DataFrame
    stock: pl.DataFrame
    open_customer_lines: pl.DataFrame
    forecast_daily: pl.DataFrame
    receipt_history: pl.DataFrame


def expediting_inputs(conn: sa.Connection, as_of: dt.date) -> ExpeditingInputs:
    """Open PO lines, with stock, waiting orders and demand of their SKU x warehouse.

    Stock and orders count up to the end of ``as_of``; demand per day is the latest
    finished policy run's, or for pairs it did not plan the last four weeks' average.
    The database sums per SKU x warehouse; only the pairs of open lines are kept.
    """
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    lines = _open_po_lines(conn)
    pairs = lines.select(_PAIR).unique()
    return ExpeditingInputs(
        open_po_lines=lines,
        stock=_stock_on_hand(conn, end).join(pairs, on=_PAIR, how="semi"),
        open_customer_lines=_waiting_order_lines(conn, end).join(pairs, on=_PAIR, how="semi"),
        forecast_daily=_daily_demand(conn, as_of).join(pairs, on=_PAIR, how="semi"),
        receipt_history=_receipt_history(conn, as_of),
    )


_PAIR = ["sku_id", "warehouse_id"]


def _is_open_po() -> sa.ColumnElement[bool]:
    return _POS.c.status.in_([s.value for s in OPEN_PURCHASE_ORDER_STATUSES])


def _open_po_lines(conn: sa.Connection) -> pl.DataFrame:
    open_pos = sa.select(_POS.c.po_id).where(_is_open_po())
    received = _receipt_totals().where(_RECEIPTS.c.po_id.in_(open_pos)).subquery("received")
    query = (
        sa.select(
            *_columns(_LINES, "po_id", "line_no", "sku_id", "expected_date"),
            *_columns(_POS, "po_number", "supplier_id", "warehouse_id"),
            _open_units(received).label("open_units"),
            _SKUS.c.price_usd,
        )
        .join(_POS, _POS.c.po_id == _LINES.c.po_id)
        .join(_SKUS, _SKUS.c.sku_id == _LINES.c.sku_id)
        .outerjoin(received, _same_line(received, _LINES))
        .where(_is_open_po())
        .order_by(_LINES.c.po_id, _LINES.c.line_no)
    )
    return _frame(conn, query).filter(pl.col("open_units") > 0)


def _stock_on_hand(conn: sa.Connection, end: dt.datetime) -> pl.DataFrame:
    """On hand at ``end``: the whole ledger (summed from its index) less what moved since."""
    pair = _columns(_MOVEMENTS, "sku_id", "warehouse_id")
    total = sa.select(*pair, _int_sum(_MOVEMENTS.c.quantity_units).label("on_hand_units"))
    since = sa.select(*pair, _MOVEMENTS.c.quantity_units).where(_MOVEMENTS.c.moved_at >= end)
    moved_since = _frame(conn, since).group_by(_PAIR).agg(pl.col("quantity_units").sum())
    return (
        _frame(conn, total.group_by(*pair))
        .join(moved_since, on=_PAIR, how="left")
        .select(
            *_PAIR,
            on_hand_units=pl.col("on_hand_units") - pl.col("quantity_units").fill_null(0),
        )
    )


def _waiting_order_lines(conn: sa.Connection, end: dt.datetime) -> pl.DataFrame:
    waiting = [OrderLineStatus.OPEN.value, OrderLineStatus.RESERVED.value]
    query = (
        sa.select(
            *_columns(_ORDER_LINES, "order_id", "sku_id", "warehouse_id", "quantity_units"),
            _ORDERS.c.promised_dispatch_date,
        )
        .join(_ORDERS, _ORDERS.c.order_id == _ORDER_LINES.c.order_id)
        .where(
            _ORDER_LINES.c.status.in_(waiting),
            _ORDER_LINES.c.warehouse_id.is_not(None),
            _ORDERS.c.ordered_at < end,
        )
    )
    return _frame(conn, query)


def _daily_demand(conn: sa.Connection, as_of: dt.date) -> pl.DataFrame:
    """Units a day: the latest policy run's demand, else the last four weeks' average."""
    latest = (
        sa.select(sa.func.max(_RUNS.c.run_id))
        .where(
            _RUNS.c.kind == PlanRunKind.POLICY.value,
            _RUNS.c.status == PlanRunStatus.DONE.value,
            _RUNS.c.as_of <= as_of,
        )
        .scalar_subquery()
    )
    planned = sa.select(
        *_columns(_POLICIES, "sku_id", "warehouse_id"),
        _POLICIES.c.demand_mean_units_per_day.label("demand_units_per_day"),
    ).where(_POLICIES.c.run_id == latest)
    start = dt.datetime.combine(as_of - dt.timedelta(days=_RECENT_DEMAND_DAYS), dt.time())
    units = sa.cast(_int_sum(_ORDER_LINES.c.quantity_units), sa.Float) / _RECENT_DEMAND_DAYS
    recent = (
        sa.select(
            *_columns(_ORDER_LINES, "sku_id", "warehouse_id"),
            units.label("demand_units_per_day"),
        )
        .join(_ORDERS, _ORDERS.c.order_id == _ORDER_LINES.c.order_id)
        .where(
            _ORDERS.c.ordered_at >= start,
            _ORDERS.c.ordered_at < dt.datetime.combine(as_of, dt.time()),
            _ORDER_LINES.c.status != OrderLineStatus.CANCELLED.value,
            _ORDER_LINES.c.warehouse_id.is_not(None),
        )
        .group_by(_ORDER_LINES.c.sku_id, _ORDER_LINES.c.warehouse_id)
    )
    from_policies = _frame(conn, planned)
    from_orders = _frame(conn, recent).join(from_policies, on=_PAIR, how="anti")
    return pl.concat([from_policies, from_orders])


def _receipt_history(conn: sa.Connection, as_of: dt.date) -> pl.DataFrame:
    query = (
        sa.select(_POS.c.supplier_id, _LINES.c.expected_date, _RECEIPTS.c.received_date)
        .select_from(_RECEIPTS)
        .join(_LINES, _same_line(_LINES, _RECEIPTS))
        .join(_POS, _POS.c.po_id == _RECEIPTS.c.po_id)
        .where(_RECEIPTS.c.received_date <= as_of)
    )
    return _frame(conn, query)


_FRAME_TYPES: dict[str, pl.DataType] = {
    column.name: column.polars_type for spec in ALL_TABLES for column in spec.columns
} | {
    "lines": pl.Int64(),
    "open_units": pl.Int64(),
    "on_hand_units": pl.Int64(),
    "value": pl.Float64(),
    "demand_units_per_day": pl.Float64(),
}
"""Frame types of the columns queried: as in the data model, or of the figures computed."""


def _frame(conn: sa.Connection, query: sa.Select[Any]) -> pl.DataFrame:
    """The rows of ``query`` as a frame typed by column name (see :data:`_FRAME_TYPES`)."""
    names = query.selected_columns.keys()
    schema = {name: _FRAME_TYPES[name] for name in names}
    return pl.DataFrame([tuple(row) for row in conn.execute(query)], schema=schema, orient="row")


def _columns(table: sa.Table, *names: str) -> list[sa.Column[Any]]:
    return [table.c[name] for name in names]


def _int_sum(units: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    """Sum of a units column as a whole number (PostgreSQL would return numeric)."""
    return sa.cast(sa.func.sum(units), sa.BigInteger())


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
