"""Importing files of orders through the service, on SQLite and PostgreSQL, on the minimal
marketplace (tests/factories.py): SKU-001 has 65 units available at WH-NJ next to NYC and
100 at WH-LA next to LAX; SKU-002 9 units at WH-NJ."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.errors import ValidationFailed
from shopops.services.order_import import OrderImportReport, import_orders
from shopops.store.unit_of_work import SqlUnitOfWork

NOW = dt.datetime(2026, 1, 28, 9, 30)
T = dt.datetime


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.commit()
    return engine


def _file(tmp_path: Path, rows: list[tuple[object, ...]], name: str = "orders.parquet") -> Path:
    frame = pl.DataFrame(
        rows,
        schema={
            "external_order_id": pl.String,
            "channel": pl.String,
            "ordered_at": pl.Datetime("us"),
            "region_id": pl.String,
            "customer_id": pl.String,
            "sku_id": pl.String,
            "quantity_units": pl.Int64,
            "unit_price_usd": pl.Float64,
        },
        orient="row",
    )
    path = tmp_path / name
    frame.write_parquet(path)
    return path


def _counts(engine: sa.Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        orders = conn.execute(sa.text("SELECT count(*) FROM orders")).scalar_one()
        lines = conn.execute(sa.text("SELECT count(*) FROM order_lines")).scalar_one()
    return int(orders), int(lines)


def _import(engine: sa.Engine, path: Path, *, reserve: bool = False) -> OrderImportReport:
    return import_orders(path, SqlUnitOfWork(engine), now=NOW, reserve=reserve)


FLASH_SALE = [
    ("LS-1", "live_stream", T(2026, 1, 27, 21), "NYC", "C-1", "SKU-002", 5, 9.9),
    ("LS-1", "live_stream", T(2026, 1, 27, 21), "NYC", "C-1", "SKU-001", 1, 30.0),
    ("LS-2", "live_stream", T(2026, 1, 27, 21, 1), "NYC", "C-2", "SKU-002", 5, 9.9),
    ("LS-3", "live_stream", T(2026, 1, 27, 21, 2), "LAX", None, "SKU-001", 3, 30.0),
]


def test_a_file_is_imported_once_with_stock_reserved_in_file_order(
    db: sa.Engine, tmp_path: Path
) -> None:
    path = _file(tmp_path, FLASH_SALE)

    report = _import(db, path, reserve=True)

    assert (report.orders_created, report.orders_already_stored, report.lines_created) == (3, 0, 4)
    # LS-1 takes 5 of the 9 SKU-002 at WH-NJ; LS-2 finds 4 and waits; LS-3 from WH-LA
    assert report.reserved_units == 5 + 1 + 3
    assert [(x.line_no, x.reason) for x in report.short_lines] == [
        (1, "4 of 5 units of SKU-002 available at any warehouse (most: WH-NJ)")
    ]
    with db.connect() as conn:
        statuses = conn.execute(
            sa.text(
                "SELECT external_order_id, status FROM orders WHERE order_id > 4 ORDER BY order_id"
            )
        ).all()
    assert [tuple(s) for s in statuses] == [
        ("LS-1", "allocated"),
        ("LS-2", "open"),
        ("LS-3", "allocated"),
    ]

    again = _import(db, path, reserve=True)
    assert (again.orders_created, again.orders_already_stored, again.reserved_units) == (0, 3, 0)
    assert (
        again.message
        == "orders.parquet: 0 orders (0 lines) imported, 3 already imported before: nothing new"
    )
    assert _counts(db) == (7, 12)


def test_one_bad_order_keeps_the_whole_file_out(db: sa.Engine, tmp_path: Path) -> None:
    rows = [
        *FLASH_SALE,
        ("LS-4", "live_stream", T(2026, 1, 27, 22), "NYC", None, "SKU-004", 1, 15.0),
    ]
    with pytest.raises(ValidationFailed) as refused:
        _import(db, _file(tmp_path, rows), reserve=True)
    assert [str(issue) for issue in refused.value.issues] == [
        "orders.parquet, record 5, column sku_id: SKU-004 is discontinued, no longer sold"
    ]
    assert _counts(db) == (4, 8)


def test_an_order_imported_before_with_other_lines_is_a_conflict(
    db: sa.Engine, tmp_path: Path
) -> None:
    _import(db, _file(tmp_path, FLASH_SALE[:2], name="first.parquet"))
    changed = [(*FLASH_SALE[0][:6], 6, 9.9), *FLASH_SALE[1:]]
    with pytest.raises(ValidationFailed) as refused:
        _import(db, _file(tmp_path, changed, name="second.parquet"))
    (issue,) = refused.value.issues
    assert (issue.row, issue.column) == (1, "external_order_id")
    assert "order LS-1 was placed already (order #5) with other lines" in issue.problem
    assert _counts(db) == (5, 10)
