"""Importing tables from CSV, Parquet and Excel files: all checked first, then written at once.

Files are read and validated against the data model and the keys already stored; only
when nothing is wrong are the tables written, in load order, in one unit of work that
commits at the end. A failed import therefore leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from shopops.data.files import read_tables
from shopops.data.validation import ImportMode, import_mode, validate_tables
from shopops.errors import ImportRefused
from shopops.services.progress import Progress, no_progress
from shopops.store.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote: rows per table, in load order."""

    rows: dict[str, int]
    mode: ImportMode

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def import_tables(
    source: Path | Sequence[Path],
    uow: AbstractUnitOfWork,
    *,
    mode: str = "insert",
    max_errors: int = 100,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import the tables found in ``source`` (a directory, files, or an .xlsx workbook).

    Parameters
    ----------
    source
        A directory of ``<table>.csv`` / ``<table>.parquet`` files, such files, or an
        ``.xlsx`` workbook with one sheet per table; any subset of the tables.
    mode
        ``"insert"`` refuses rows whose key is already stored; ``"upsert"`` updates them
        (for master data) and inserts the rest.
    max_errors
        How many problems to list before "... and N more".

    Raises
    ------
    ValidationFailed
        If any file is unreadable or any row breaks the data model; nothing is written.
    ImportRefused
        If the database refuses the rows anyway; the import is rolled back.
    """
    checked_mode = import_mode(mode)
    progress("reading files", 0, 1)
    found = read_tables(source)
    with uow:
        progress("validating", 0, 1)
        frames = validate_tables(
            found.tables,
            stored_keys=uow.frames.keys,
            mode=checked_mode,
            max_errors=max_errors,
            prior_issues=found.issues,
        )
        rows = _write(uow, frames, checked_mode, progress)
        _commit(uow)
    return ImportReport(rows=rows, mode=checked_mode)


def _write(
    uow: AbstractUnitOfWork, frames: dict[str, pl.DataFrame], mode: ImportMode, progress: Progress
) -> dict[str, int]:
    """Write every table in load order; the caller commits."""
    write = uow.frames.upsert if mode == "upsert" else uow.frames.write
    rows: dict[str, int] = {}
    for done, (name, frame) in enumerate(frames.items()):
        progress(f"writing {name}", done, len(frames))
        try:
            rows[name] = write(name, frame)
        except sa.exc.DBAPIError as error:
            raise _refused(f"writing {name}", error) from error
    progress("writing", len(frames), len(frames))
    return rows


def _commit(uow: AbstractUnitOfWork) -> None:
    try:
        uow.commit()
    except sa.exc.DBAPIError as error:
        raise _refused("committing", error) from error


def _refused(step: str, error: sa.exc.DBAPIError) -> ImportRefused:
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return ImportRefused(
        f"the database refused the import while {step}; nothing was written: {reason}"
    )
