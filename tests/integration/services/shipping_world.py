"""The minimal marketplace (tests/factories.py) made shippable, and helpers to read it back.

Order 2 (TT-5790002, to LAX, promised dispatch 2026-01-16, delivery 2026-01-20) has line 1
(4 x SKU-003, lip gloss in a poly bag) reserved at WH-LA (zone 1, cut-off 14:00) and lines
2 and 3 (3 + 1 x SKU-001, boxed earbuds) at WH-NJ (zone 8, cut-off 16:00). Two rows are
added: a 40 x 30 x 8 cm poly bag, POLY-M, and a UPS-GND zone 8 band up to 10 kg at 21.00,
so that both parcels can be priced.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import polars as pl
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.store.unit_of_work import SqlUnitOfWork

NOW = dt.datetime(2026, 1, 16, 9, 0)
"""Friday morning, before both warehouses' cut-off."""
POLY_M = ("POLY-M", "poly_bag", 40.0, 30.0, 8.0, 5.0, 0.03, None)
HEAVY_BAND = ("UPS-GND", 8, 10.0, 21.0)


def shipping_marketplace() -> dict[str, pl.DataFrame]:
    tables = minimal_marketplace()
    for name, row in (("cartons", POLY_M), ("rate_cards", HEAVY_BAND)):
        added = pl.DataFrame([row], schema=tables[name].schema, orient="row")
        tables[name] = pl.concat([tables[name], added])
    return tables


def fill(engine: sa.Engine, tables: dict[str, pl.DataFrame] | None = None) -> sa.Engine:
    with SqlUnitOfWork(engine) as uow:
        for name, frame in (tables or shipping_marketplace()).items():
            uow.frames.write(name, frame)
        uow.commit()
    return engine


def rows(engine: sa.Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def shipment_row(engine: sa.Engine, shipment_id: int, columns: str) -> tuple[Any, ...]:
    """``columns`` (comma-separated) of a shipment, typed as the data model says."""
    with SqlUnitOfWork(engine) as uow:
        frame = uow.frames.read("shipments", where="shipment_id = :s", params={"s": shipment_id})
    return frame.select(c.strip() for c in columns.split(",")).row(0)


def events(engine: sa.Engine, shipment_id: int) -> list[tuple[Any, ...]]:
    return rows(
        engine,
        "SELECT from_status, to_status, changed_by, note FROM shipment_events "
        "WHERE shipment_id = :s ORDER BY event_id",
        s=shipment_id,
    )


def movements(engine: sa.Engine, shipment_id: int) -> list[tuple[Any, ...]]:
    return rows(
        engine,
        "SELECT sku_id, warehouse_id, movement_type, quantity_units FROM inventory_movements "
        "WHERE reference_type = 'shipment' AND reference_id = :s ORDER BY movement_id",
        s=shipment_id,
    )


def line_states(engine: sa.Engine, order_id: int) -> list[tuple[Any, ...]]:
    return rows(
        engine,
        "SELECT line_no, status, shipment_id FROM order_lines WHERE order_id = :o ORDER BY line_no",
        o=order_id,
    )


def order_status(engine: sa.Engine, order_id: int) -> str:
    return str(rows(engine, "SELECT status FROM orders WHERE order_id = :o", o=order_id)[0][0])


def in_parallel(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads at once; their results, raising the first error."""
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except Exception as error:  # reported in the test's thread
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
