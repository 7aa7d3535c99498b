"""Writing tables as CSV and Parquet files, a chunk at a time.

Exports take the rows of a table as an iterable of frames (chunks read in primary-key
order) and never gather them into one frame, so a table of any size costs the memory
of one chunk. Each file is written under a temporary name and moved into place only
when complete: a failed export never leaves a truncated file behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import polars as pl
from polars.io.plugins import register_io_source

from shopops.data.spec import Table

CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S%.f"
"""Datetimes as ``2026-11-11 08:00:00.250000``: readable, and exact to the microsecond."""


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it once the block succeeds."""
    partial = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        yield partial
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def write_csv(path: Path, spec: Table, chunks: Iterable[pl.DataFrame]) -> int:
    """Write the rows as one CSV file with a header row; returns rows written.

    Empty cells are nulls; floats are written in full (they read back exactly).
    """
    rows = 0
    with replacing(path) as partial, partial.open("wb") as out:
        spec.empty_frame().write_csv(out)
        for chunk in chunks:
            chunk.write_csv(
                out, include_header=False, datetime_format=CSV_DATETIME_FORMAT, null_value=""
            )
            rows += chunk.height
    return rows


def write_parquet(path: Path, spec: Table, chunks: Iterable[pl.DataFrame]) -> int:
    """Write the rows as one Parquet file typed by the schema; returns rows written."""
    rows = 0

    def counted() -> Iterator[pl.DataFrame]:
        nonlocal rows
        for chunk in chunks:
            rows += chunk.height
            yield spec.conform(chunk)

    with replacing(path) as partial:
        _streamed(spec, counted()).sink_parquet(partial)
    return rows


def _streamed(spec: Table, chunks: Iterator[pl.DataFrame]) -> pl.LazyFrame:
    """The chunks as one lazy frame that Polars' streaming engine pulls one at a time."""

    def source(
        with_columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        for chunk in chunks:
            if predicate is not None:
                chunk = chunk.filter(predicate)
            yield chunk if with_columns is None else chunk.select(with_columns)

    return register_io_source(source, schema=spec.polars_schema())
