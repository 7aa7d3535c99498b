"""Rich renderings of results: the marketplace status and the table descriptions."""

from __future__ import annotations

import datetime as dt

import polars as pl
from rich.console import JustifyMethod
from rich.table import Table as RichTable

from shopops.cli.console import console
from shopops.data.spec import Table
from shopops.store.views import DateRange, MarketplaceStatus


def print_table_spec(spec: Table) -> None:
    """The columns a file for ``spec`` must have, with types, units and allowed values."""
    grid = RichTable(title=f"{spec.name} — {spec.description}", title_justify="left")
    for heading in ("column", "type", "unit", "required", "allowed", "description"):
        grid.add_column(heading, overflow="fold")
    for column in spec.columns:
        grid.add_row(
            column.name,
            column.dtype.value,
            column.unit or "",
            "" if column.nullable else "yes",
            column.expected(),
            column.description,
        )
    console.print(grid)
    console.print(f"key: {', '.join(spec.primary_key)}\n")


def print_frame(frame: pl.DataFrame, title: str) -> None:
    """A frame as a Rich table, numbers right-aligned with thousands separators."""
    grid = RichTable(title=title, title_justify="left")
    cells = [[_cell(value) for value in row] for row in frame.iter_rows()]
    for index, (name, dtype) in enumerate(frame.schema.items()):
        widest = max((len(row[index]) for row in cells), default=0)
        justify: JustifyMethod = "right" if dtype.is_numeric() else "left"
        grid.add_column(name, justify=justify, min_width=widest, no_wrap=True)
    for row in cells:
        grid.add_row(*row)
    console.print(grid)


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value != value:
            return ""
        return f"{value:.3f}" if abs(value) < 10 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


_STOCK = {
    "warehouse_id": "warehouse",
    "operator": "run by",
    "skus_in_stock": "SKUs",
    "on_hand_units": "on hand",
    "stock_value_usd": "value $",
    "reserved_units": "reserved",
    "on_order_units": "on order",
}
_PURCHASING = {
    "warehouse_id": "warehouse",
    "open_purchase_orders": "open POs",
    "open_po_value_usd": "open PO value $",
}


def print_status(status: MarketplaceStatus) -> None:
    """The marketplace at a glance: data held, history covered, stock and supply."""
    ranges = pl.DataFrame(
        {
            "history": ["orders placed", "stock moved", "purchase orders sent"],
            "first": [_when(r.first) for r in _ranges(status)],
            "last": [_when(r.last) for r in _ranges(status)],
        }
    )
    print_frame(status.table_rows, "Rows by table")
    print_frame(ranges, "History")
    print_frame(status.orders_by_status, "Orders by status")
    by_warehouse = pl.concat(
        [
            status.warehouses.drop("name"),
            status.totals.select(
                pl.lit("all").alias("warehouse_id"), pl.lit("").alias("operator"), pl.all()
            ),
        ]
    )
    for headings, title in ((_STOCK, "Stock"), (_PURCHASING, "Open purchase orders")):
        print_frame(by_warehouse.select(list(headings)).rename(headings), title)


def _ranges(status: MarketplaceStatus) -> list[DateRange[dt.datetime] | DateRange[dt.date]]:
    return [status.orders_placed, status.stock_moved, status.purchase_orders_sent]


def _when(value: dt.date | None) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else value.isoformat()
