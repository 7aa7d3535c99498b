"""A table as read from a file, before parsing, and the problems common to all readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from shopops.data.schemas import TABLES_BY_NAME
from shopops.errors import Issue


@dataclass(frozen=True)
class RawTable:
    """The rows of one table as read from one file, before any parsing.

    ``rows`` holds, for each record, the number a user finds it under: the line of a
    CSV file or the row of an Excel sheet (header = row 1), or for Parquet the 1-based
    record number (``row_word`` = ``"record"``).
    """

    table: str
    file: str
    frame: pl.DataFrame
    rows: pl.Series
    row_word: str = "row"


class UnreadableFileError(Exception):
    """A file that is not what its name says (not CSV, corrupt Parquet, not a workbook)."""


def unknown_table(file: str, name: str) -> Issue:
    """The issue for a file or sheet whose name is not a table of the data model."""
    return Issue(file, None, None, name, "unknown table", "one of " + ", ".join(TABLES_BY_NAME))


def unique_columns(
    file: str, frame: pl.DataFrame, names: Sequence[str]
) -> tuple[pl.DataFrame, list[Issue]]:
    """Name the frame's columns as the header does, keeping the first of repeated names."""
    keep: dict[str, str] = {}
    issues: list[Issue] = []
    for current, name in zip(frame.columns, names, strict=True):
        if name in keep:
            issues.append(Issue(file, None, name, None, "column appears more than once"))
        else:
            keep[name] = current
    frame = frame.select(pl.col(current).alias(name) for name, current in keep.items())
    return frame, issues
