"""Validation is vectorised: a million order lines are read and checked in seconds."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from factories import minimal_marketplace
from shopops.data.files import read_tables
from shopops.data.validation import validate_tables
from shopops.errors import ValidationFailed

LINES = 1_000_000
ORDERS = LINES // 4


def stored(table_name: str, columns: tuple[str, ...]) -> pl.DataFrame:
    """A database holding the minimal marketplace and a quarter of a million orders."""
    if table_name == "orders":
        return pl.DataFrame({"order_id": pl.int_range(1, ORDERS + 1, eager=True)}).select(columns)
    frame = minimal_marketplace()[table_name]
    return frame.select(columns).unique().clear() if table_name == "order_lines" else frame


def order_lines() -> pl.DataFrame:
    index = pl.int_range(0, LINES)
    return pl.select(
        order_id=index // 4 + 1,
        line_no=index % 4 + 1,
        sku_id=pl.format("SKU-00{}", index % 3 + 1),
        quantity_units=index % 7 + 1,
        unit_price_usd=pl.lit(9.99),
        status=pl.lit("open"),
        warehouse_id=pl.lit(None, pl.String),
        shipment_id=pl.lit(None, pl.Int64),
        cancel_reason=pl.lit(None, pl.String),
    )


@pytest.mark.slow
def test_a_million_order_lines_validate_in_seconds(tmp_path: Path) -> None:
    lines = order_lines()
    lines.with_row_index().with_columns(
        pl.when(pl.col("index") == 654_321)
        .then(pl.lit(0))
        .otherwise("quantity_units")
        .alias("quantity_units")
    ).drop("index").write_csv(tmp_path / "order_lines.csv")

    start = time.perf_counter()
    found = read_tables(tmp_path)
    with pytest.raises(ValidationFailed) as caught:
        validate_tables(found.tables, stored_keys=stored)
    elapsed = time.perf_counter() - start

    assert elapsed < 20, f"validation took {elapsed:.1f} s"
    assert [(i.row, i.column) for i in caught.value.issues] == [(654_323, "quantity_units")]
