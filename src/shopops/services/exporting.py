"""Exporting tables to CSV or Parquet files, or to one Excel workbook.

Tables are read in primary-key order, a chunk at a time, and streamed to their files,
so exporting a large table costs the memory of one chunk. What is written imports back
unchanged: the same tables, in the same formats, are what :mod:`.importing` reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

import polars as pl

from shopops.data.files import (
    MAX_SHEET_ROWS,
    too_many_rows,
    write_csv,
    write_parquet,
    write_workbook,
)
from shopops.data.schemas import ALL_TABLES, TABLES_BY_NAME
from shopops.data.spec import Table
from shopops.errors import ExportRefused
from shopops.services.progress import Progress, no_progress
from shopops.store.unit_of_work import AbstractUnitOfWork

FileFormat = Literal["csv", "parquet", "xlsx"]
FILE_FORMATS: tuple[str, ...] = get_args(FileFormat)


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: the files, and rows per table in load order."""

    file_format: FileFormat
    files: tuple[Path, ...]
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def export_tables(
    uow: AbstractUnitOfWork,
    destination: Path,
    *,
    file_format: str | None = None,
    tables: Sequence[str] | None = None,
    progress: Progress = no_progress,
) -> ExportReport:
    """Write tables of the database to ``destination``.

    Parameters
    ----------
    destination
        A directory for ``<table>.csv`` or ``<table>.parquet`` files (created if
        needed), a ``.csv`` or ``.parquet`` file for a single table, or an ``.xlsx``
        workbook that gets one sheet per table.
    file_format
        ``"csv"``, ``"parquet"`` or ``"xlsx"``; by default the destination's suffix
        decides, and a directory gets CSV files.
    tables
        Names of the tables to export (all by default); written in load order.

    Raises
    ------
    ExportRefused
        If a table is larger than an Excel sheet, or the destination does not fit the
        request. Nothing is written then.
    """
    chosen = _chosen(tables)
    fmt = _file_format(destination, file_format)
    with uow:
        if fmt == "xlsx":
            rows = _export_workbook(uow, destination, chosen, progress)
            files: tuple[Path, ...] = (destination,)
        else:
            files, rows = _export_files(uow, destination, fmt, chosen, progress)
    return ExportReport(file_format=fmt, files=files, rows=rows)


def _chosen(names: Sequence[str] | None) -> list[Table]:
    """The named tables (all by default), in load order; unknown names are refused."""
    if names is None:
        return list(ALL_TABLES)
    unknown = [n for n in names if n not in TABLES_BY_NAME]
    if unknown:
        known = ", ".join(TABLES_BY_NAME)
        raise ExportRefused(f"unknown table {', '.join(unknown)}; tables are {known}")
    return [spec for spec in ALL_TABLES if spec.name in names]


def _file_format(destination: Path, given: str | None) -> FileFormat:
    if given is not None:
        if given not in FILE_FORMATS:
            raise ExportRefused(f"file format must be one of {', '.join(FILE_FORMATS)}")
        return cast(FileFormat, given)
    suffix = destination.suffix.lower().lstrip(".")
    if suffix in FILE_FORMATS and not destination.is_dir():
        return cast(FileFormat, suffix)
    return "csv"


def _export_workbook(
    uow: AbstractUnitOfWork, destination: Path, chosen: list[Table], progress: Progress
) -> dict[str, int]:
    """Check every table fits a sheet, then write the workbook."""
    if destination.is_dir():
        raise ExportRefused(f"{destination} is a directory; give the workbook's file name")
    for spec in chosen:
        count = uow.frames.count(spec.name)
        if count > MAX_SHEET_ROWS:
            raise too_many_rows(spec.name, count)
    destination.parent.mkdir(parents=True, exist_ok=True)

    def sheets() -> Iterator[tuple[Table, Iterator[pl.DataFrame]]]:
        for done, spec in enumerate(chosen):
            progress(f"writing {spec.name}", done, len(chosen))
            yield spec, uow.frames.read_chunks(spec.name)

    rows = write_workbook(destination, sheets())
    progress("writing", len(chosen), len(chosen))
    return rows


def _export_files(
    uow: AbstractUnitOfWork,
    destination: Path,
    fmt: FileFormat,
    chosen: list[Table],
    progress: Progress,
) -> tuple[tuple[Path, ...], dict[str, int]]:
    single = destination.suffix.lower() == f".{fmt}" and not destination.is_dir()
    if single and len(chosen) != 1:
        raise ExportRefused(
            f"{destination.name} can hold one table but {len(chosen)} were asked for; "
            "give a directory to export several tables"
        )
    folder = destination.parent if single else destination
    folder.mkdir(parents=True, exist_ok=True)
    write = write_csv if fmt == "csv" else write_parquet
    files: list[Path] = []
    rows: dict[str, int] = {}
    for done, spec in enumerate(chosen):
        progress(f"writing {spec.name}", done, len(chosen))
        path = destination if single else folder / f"{spec.name}.{fmt}"
        rows[spec.name] = write(path, spec, uow.frames.read_chunks(spec.name))
        files.append(path)
    progress("writing", len(chosen), len(chosen))
    return tuple(files), rows
