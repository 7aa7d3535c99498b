"""The repository for whole tables as frames: what import, export and generation use."""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa

from shopops.data.schemas import TABLES, table
from shopops.store import bulk


class FrameStore:
    """Reads and writes tables of the data model as Polars frames on one connection."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def write(self, table_name: str, frame: pl.DataFrame) -> int:
        """Insert the rows of ``frame``; returns how many."""
        return bulk.write_frame(self.connection, table(table_name), frame)

    def read(
        self, table_name: str, *, where: str | None = None, params: dict[str, Any] | None = None
    ) -> pl.DataFrame:
        """Rows of a table, typed by its schema, ordered by primary key."""
        return bulk.read_frame(self.connection, table(table_name), where=where, params=params)

    def keys(self, table_name: str, columns: tuple[str, ...]) -> pl.DataFrame:
        """Distinct values of ``columns`` present in a table (for reference checks)."""
        spec = table(table_name)
        cols = ", ".join(columns)
        rows = self.connection.execute(sa.text(f"SELECT DISTINCT {cols} FROM {spec.name}")).all()
        schema = {c: spec.column(c).polars_type for c in columns}
        return pl.DataFrame(rows, schema=schema, orient="row")

    def count(self, table_name: str) -> int:
        return bulk.table_counts(self.connection, [table(table_name).name])[table_name]

    def clear_all(self) -> None:
        """Delete every row of every table of the data model (children before parents)."""
        for spec in reversed(TABLES):
            self.connection.execute(sa.text(f"DELETE FROM {spec.name}"))
