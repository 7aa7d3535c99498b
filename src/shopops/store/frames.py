"""The repository for whole tables as frames: what import, export and generation use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl
import sqlalchemy as sa

from shopops.data.schemas import ALL_TABLES, table
from shopops.store import bulk


class FrameStore:
    """Reads and writes tables of the data model as Polars frames on one connection."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def write(self, table_name: str, frame: pl.DataFrame) -> int:
        """Insert the rows of ``frame``; returns how many."""
        return bulk.write_frame(self.connection, table(table_name), frame)

    def upsert(self, table_name: str, frame: pl.DataFrame) -> int:
        """Insert the rows of ``frame``, updating those whose primary key exists; returns rows."""
        return bulk.upsert_frame(self.connection, table(table_name), frame)

    def read(
        self, table_name: str, *, where: str | None = None, params: dict[str, Any] | None = None
    ) -> pl.DataFrame:
        """Rows of a table, typed by its schema, ordered by primary key."""
        return bulk.read_frame(self.connection, table(table_name), where=where, params=params)

    def read_chunks(
        self, table_name: str, *, chunk_rows: int = bulk.CHUNK_ROWS
    ) -> Iterator[pl.DataFrame]:
        """Rows of a table in primary-key order, at most ``chunk_rows`` per frame."""
        return bulk.read_chunks(self.connection, table(table_name), chunk_rows=chunk_rows)

    def keys(self, table_name: str, columns: tuple[str, ...]) -> pl.DataFrame:
        """Distinct values of ``columns`` present in a table (for reference checks)."""
        return bulk.read_keys(self.connection, table(table_name), columns)

    def count(self, table_name: str) -> int:
        return bulk.table_counts(self.connection, [table(table_name).name])[table_name]

    def clear_all(self) -> None:
        """Delete every row of every table of the data model (children before parents)."""
        for spec in reversed(ALL_TABLES):
            self.connection.execute(sa.text(f"DELETE FROM {spec.name}"))
