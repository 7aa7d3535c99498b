"""Importing a file of orders: every row checked, then every order placed in one transaction.

The file is validated against :data:`~shopops.data.order_files.ORDER_FILE` (types, bounds,
a SKU twice in one order); its rows are grouped into orders by ``external_order_id``; each
order then goes through the same intake as a single order (:func:`shopops.services.orders.intake`),
and every problem found is reported by file, row and column. Only when no order has a
problem is the transaction committed, so a bad row leaves the database as it was. Orders
stored before with the same content are counted, not added again, so importing a file
twice creates nothing the second time. With ``reserve`` each new order's stock is
reserved as it comes in, in file order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa

from shopops.data.files import read_file_as
from shopops.data.files.raw import RawTable
from shopops.data.order_files import ORDER_FILE, ORDER_HEADER_COLUMNS
from shopops.data.validation import validate_standalone
from shopops.domain.ordering import (
    FieldProblem,
    InvalidOrderError,
    LineReservation,
    OrderConflictError,
    OrderLineRequest,
    PlaceOrder,
)
from shopops.errors import Issue, ValidationFailed
from shopops.services.order_intake import IntakeContext
from shopops.services.orders import intake, reserve_open_lines
from shopops.services.planning import utc_now
from shopops.store import orders as store
from shopops.store.stock import lock_stock
from shopops.store.unit_of_work import AbstractUnitOfWork

_LINE_FIELD = re.compile(r"lines\[(\d+)\]\.(\w+)")


@dataclass(frozen=True)
class OrderImportReport:
    """What an import did: orders created, orders found stored already, stock reserved."""

    file: str
    orders_created: int
    orders_already_stored: int
    lines_created: int
    reserved_units: int = 0
    short_lines: tuple[LineReservation, ...] = ()

    @property
    def message(self) -> str:
        text = (
            f"{self.file}: {self.orders_created} orders ({self.lines_created} lines) imported, "
            f"{self.orders_already_stored} already imported before"
        )
        if self.orders_created == 0:
            text += ": nothing new"
        return text


@dataclass(frozen=True)
class _FileOrder:
    """An order of the file and the row each of its lines came from."""

    command: PlaceOrder
    rows: tuple[int, ...]


def import_orders(
    path: Path,
    uow: AbstractUnitOfWork,
    *,
    now: dt.datetime | None = None,
    reserve: bool = False,
    max_errors: int = 100,
) -> OrderImportReport:
    """Place every order of a CSV or Parquet file of order lines, or none of them.

    Raises
    ------
    ValidationFailed
        With every problem found, each naming the file, row and column; nothing is written.
    """
    raw = read_file_as(path, ORDER_FILE.name)
    orders, issues = _checked_orders(raw, max_errors)
    warehouses = _warehouses_by_region(uow, orders) if reserve else {}
    pairs = [
        (line.sku_id, w)
        for order in orders
        for line in order.command.lines
        for w in warehouses.get(order.command.region_id, [])
    ]
    with uow:
        conn = uow.frames.connection
        lock_stock(conn, pairs)
        store.lock_order_numbers(conn)
        placing = _Placing(conn, IntakeContext.load(uow.frames), now or utc_now(), raw.row_word)
        for order in orders:
            placing.place(path.name, order, warehouses if reserve else None)
        issues += placing.issues
        if issues:
            ordered = sorted(issues, key=lambda x: (x.row or 0, x.column or ""))
            raise ValidationFailed(tuple(ordered[:max_errors]), len(issues))
        uow.commit()
    return placing.report(path.name)


class _Placing:
    """The orders of one import placed in turn, with what each did or why it was refused."""

    def __init__(
        self, conn: sa.Connection, context: IntakeContext, now: dt.datetime, row_word: str
    ) -> None:
        self.conn, self.context, self.now, self.row_word = conn, context, now, row_word
        self.issues: list[Issue] = []
        self.created = self.stored = self.lines = self.reserved_units = 0
        self.short: list[LineReservation] = []

    def place(self, file: str, order: _FileOrder, warehouses: dict[str, list[str]] | None) -> None:
        """Place one order; with ``warehouses`` (nearest first, by region) reserve it too."""
        try:
            placed = intake(self.conn, self.context, order.command, self.now)
        except (InvalidOrderError, OrderConflictError) as error:
            self.issues += _issues(file, order, error, self.row_word)
            return
        if not placed.created:
            self.stored += 1
            return
        self.created += 1
        self.lines += len(order.command.lines)
        if warehouses is not None:
            near = warehouses.get(order.command.region_id, [])
            outcome = reserve_open_lines(self.conn, placed.order_id, near, {})
            self.reserved_units += outcome.reserved_units
            self.short += outcome.short_lines

    def report(self, file: str) -> OrderImportReport:
        return OrderImportReport(
            file, self.created, self.stored, self.lines, self.reserved_units, tuple(self.short)
        )


def _checked_orders(raw: RawTable, max_errors: int) -> tuple[list[_FileOrder], list[Issue]]:
    """The orders whose rows pass the file's checks, and the problems of the other rows.

    An order with any bad row is left out, so the rest can still be checked against the
    database and every problem reported in one pass.
    """
    try:
        return _orders(validate_standalone(raw, ORDER_FILE, max_errors=max_errors), raw)
    except ValidationFailed as failed:
        bad_rows = [issue.row for issue in failed.issues]
        if None in bad_rows or failed.total > len(failed.issues):
            raise
        bad_ids = raw.frame.filter(raw.rows.is_in(bad_rows))["external_order_id"]
        keep = ~raw.frame["external_order_id"].is_in(bad_ids.drop_nulls().implode())
        rest = RawTable(
            raw.table, raw.file, raw.frame.filter(keep), raw.rows.filter(keep), raw.row_word
        )
        orders, issues = _checked_orders(rest, max_errors)
        return orders, [*failed.issues, *issues]


def _orders(frame: pl.DataFrame, raw: RawTable) -> tuple[list[_FileOrder], list[Issue]]:
    """The file's rows grouped into orders, in the order they first appear, and the rows
    that disagree with the first row of their order on the order's columns."""
    issues: list[Issue] = []
    orders: list[_FileOrder] = []
    rows_by_order = frame.with_columns(raw.rows.alias("row")).group_by(
        "external_order_id", maintain_order=True
    )
    for (external_id,), group in rows_by_order:
        rows = group.to_dicts()
        mismatches = _header_issues(raw.file, rows, raw.row_word)
        if mismatches:
            issues += mismatches
            continue
        orders.append(_FileOrder(_command(str(external_id), rows), tuple(r["row"] for r in rows)))
    return orders, issues


def _header_issues(file: str, rows: Sequence[dict[str, Any]], row_word: str) -> list[Issue]:
    first = rows[0]
    return [
        Issue(
            file,
            row["row"],
            column,
            None if row[column] is None else str(row[column]),
            f"differs from {row_word} {first['row']} of the same order ({first[column]})",
            "the same value on every row of an order",
            row_word,
        )
        for row in rows[1:]
        for column in ORDER_HEADER_COLUMNS
        if row[column] != first[column]
    ]


def _command(external_id: str, rows: Sequence[dict[str, Any]]) -> PlaceOrder:
    first = rows[0]
    return PlaceOrder(
        external_order_id=external_id,
        channel=first["channel"],
        ordered_at=first["ordered_at"],
        region_id=first["region_id"],
        lines=tuple(
            OrderLineRequest(r["sku_id"], r["quantity_units"], r["unit_price_usd"]) for r in rows
        ),
        customer_id=first["customer_id"],
        event_id=first["event_id"],
        promised_delivery_date=first["promised_delivery_date"],
    )


def _issues(
    file: str, order: _FileOrder, error: InvalidOrderError | OrderConflictError, row_word: str
) -> list[Issue]:
    if isinstance(error, OrderConflictError):
        problems: Sequence[FieldProblem] = [FieldProblem("external_order_id", str(error))]
    else:
        problems = error.problems
    return [_issue(file, order, problem, row_word) for problem in problems]


def _issue(file: str, order: _FileOrder, problem: FieldProblem, row_word: str) -> Issue:
    """The problem placed at the row and column a user would correct."""
    line = _LINE_FIELD.fullmatch(problem.field)
    if line is None:
        return Issue(file, order.rows[0], problem.field, None, problem.message, None, row_word)
    row = order.rows[int(line.group(1)) - 1]
    return Issue(file, row, line.group(2), None, problem.message, None, row_word)


def _warehouses_by_region(
    uow: AbstractUnitOfWork, orders: Sequence[_FileOrder]
) -> dict[str, list[str]]:
    """Warehouses shipping to each region of the file, nearest first."""
    with uow:
        zones = store.zones_by_distance(
            uow.frames.connection, {order.command.region_id for order in orders}
        )
    return {
        str(region): list(group["warehouse_id"])
        for (region,), group in zones.group_by("region_id", maintain_order=True)
    }
