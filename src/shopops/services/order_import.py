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

from shopops.data.files import read_file_as
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
    when = now or utc_now()
    raw = read_file_as(path, ORDER_FILE.name)
    frame = validate_standalone(raw, ORDER_FILE, max_errors=max_errors).with_columns(
        raw.rows.alias("row")
    )
    orders = _orders(path.name, frame, raw.row_word, max_errors)
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
        context = IntakeContext.load(uow.frames)
        issues: list[Issue] = []
        created = stored = lines = units = 0
        short: list[LineReservation] = []
        for order in orders:
            try:
                placed = intake(conn, context, order.command, when)
            except (InvalidOrderError, OrderConflictError) as error:
                issues += _issues(path.name, order, error, raw.row_word)
                continue
            if not placed.created:
                stored += 1
                continue
            created += 1
            lines += len(order.command.lines)
            if reserve:
                warehouses_near = warehouses.get(order.command.region_id, [])
                outcome = reserve_open_lines(conn, placed.order_id, warehouses_near, {})
                units += outcome.reserved_units
                short += outcome.short_lines
        if issues:
            raise ValidationFailed(tuple(issues[:max_errors]), len(issues))
        uow.commit()
    return OrderImportReport(path.name, created, stored, lines, units, tuple(short))


def _orders(file: str, frame: pl.DataFrame, row_word: str, max_errors: int) -> list[_FileOrder]:
    """The file's rows grouped into orders, in the order they first appear.

    Raises :class:`ValidationFailed` when rows of one order disagree on its header.
    """
    issues: list[Issue] = []
    orders: list[_FileOrder] = []
    for (external_id,), group in frame.group_by("external_order_id", maintain_order=True):
        rows = group.to_dicts()
        issues += _header_issues(file, rows, row_word)
        orders.append(_FileOrder(_command(str(external_id), rows), tuple(r["row"] for r in rows)))
    if issues:
        raise ValidationFailed(tuple(issues[:max_errors]), len(issues))
    return orders


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
