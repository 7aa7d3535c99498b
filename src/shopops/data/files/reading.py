"""Finding the tables in what the user hands over and reading each one as it is written.

A source is a directory, single files, or both: ``<table>.csv`` and ``<table>.parquet``
hold one table each, an ``.xlsx`` workbook one table per sheet (sheet name = table name).
Nothing is checked against the schema here beyond the file and table names; problems
reading a file become :class:`~shopops.errors.Issue` records, so one pass reports every
unreadable file together with everything validation finds in the readable ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from shopops.data.files.excel import read_workbook
from shopops.data.files.raw import RawTable, UnreadableFileError, unique_columns, unknown_table
from shopops.data.schemas import TABLES_BY_NAME
from shopops.errors import Issue, ValidationFailed

SUFFIXES = (".csv", ".parquet", ".xlsx")


@dataclass(frozen=True)
class ReadResult:
    """Every table that could be read, and every file-level problem met on the way."""

    tables: tuple[RawTable, ...] = ()
    issues: tuple[Issue, ...] = ()


def read_tables(source: Path | Sequence[Path]) -> ReadResult:
    """Read every table in ``source``: a directory, a file, or a sequence of either."""
    paths = [source] if isinstance(source, Path) else list(source)
    tables: list[RawTable] = []
    issues: list[Issue] = []
    files = _files(paths, issues)
    for path in files:
        found, problems = _read_file(path)
        tables += found
        issues += problems
    if not files and not issues:
        where = ", ".join(str(path) for path in paths) or "the source"
        expected = "<table>.csv or <table>.parquet files, or an .xlsx workbook"
        issues.append(Issue(where, None, None, None, "no files to import", expected))
    return ReadResult(*_once_per_table(tables, issues))


def _files(paths: Iterable[Path], issues: list[Issue]) -> list[Path]:
    """The files to read: directories expanded to their visible files, by name."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and not _hidden(p))
        elif path.is_file():
            files.append(path)
        else:
            issues.append(Issue(str(path), None, None, None, "no such file or directory"))
    return files


def _hidden(path: Path) -> bool:
    return path.name.startswith((".", "~$"))


def _read_file(path: Path) -> tuple[list[RawTable], list[Issue]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_workbook(path)
    if suffix not in SUFFIXES:
        expected = "a .csv, .parquet or .xlsx file"
        return [], [Issue(path.name, None, None, None, "not a file ShopOps reads", expected)]
    if path.stem not in TABLES_BY_NAME:
        return [], [unknown_table(path.name, path.stem)]
    try:
        table, issues = _read_csv(path) if suffix == ".csv" else (_read_parquet(path), [])
    except UnreadableFileError as error:
        return [], [Issue(path.name, None, None, None, str(error))]
    return [table], issues


def read_file_as(path: Path, table_name: str) -> RawTable:
    """A CSV or Parquet file read as the rows of ``table_name``, whatever the file is called.

    Raises
    ------
    ValidationFailed
        If the file is missing, of another kind, unreadable, or has duplicate columns.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        expected = "a .csv or .parquet file"
        issue = Issue(path.name, None, None, None, "not a file ShopOps reads", expected)
        raise ValidationFailed((issue,), 1)
    try:
        raw, issues = _read_csv(path) if suffix == ".csv" else (_read_parquet(path), [])
    except (UnreadableFileError, FileNotFoundError) as error:
        raise ValidationFailed((Issue(path.name, None, None, None, str(error)),), 1) from None
    if issues:
        raise ValidationFailed(tuple(issues), len(issues))
    return RawTable(table_name, raw.file, raw.frame, raw.rows, raw.row_word)


def _read_csv(path: Path) -> tuple[RawTable, list[Issue]]:
    """Every cell as text, so each bad cell can be reported on its own."""
    try:
        header = pl.read_csv(path, has_header=False, n_rows=1, infer_schema=False)
        frame = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.NoDataError:
        raise UnreadableFileError("empty file; expected a header row naming the columns") from None
    except (pl.exceptions.PolarsError, OSError) as error:
        raise UnreadableFileError(f"not a readable UTF-8 CSV file ({_first_line(error)})") from None
    names = ["" if name is None else str(name) for name in header.row(0)]
    lines = _line_numbers(frame, first=2 + sum(name.count("\n") for name in names))
    frame, issues = unique_columns(path.name, frame, [name.strip() for name in names])
    return RawTable(path.stem, path.name, frame, lines), issues


def _line_numbers(frame: pl.DataFrame, *, first: int) -> pl.Series:
    """The line each record starts on, counting the line breaks inside quoted values."""
    breaks = [pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in frame.columns]
    height = 1 + pl.sum_horizontal(breaks) if breaks else pl.lit(1)
    starts = height.cum_sum().shift(1, fill_value=0) + first
    return frame.select(starts.cast(pl.Int64).alias("rows")).to_series()


def _read_parquet(path: Path) -> RawTable:
    try:
        frame = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise UnreadableFileError(f"not a readable Parquet file ({_first_line(error)})") from None
    rows = pl.int_range(1, frame.height + 1, eager=True, dtype=pl.Int64)
    return RawTable(path.stem, path.name, frame, rows, row_word="record")


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _once_per_table(
    tables: list[RawTable], issues: list[Issue]
) -> tuple[tuple[RawTable, ...], tuple[Issue, ...]]:
    """Keep the first file of each table, in load order; a table given twice is an error."""
    first: dict[str, RawTable] = {}
    for raw in tables:
        if raw.table in first:
            problem = f"table {raw.table} given twice (also in {first[raw.table].file})"
            issues.append(Issue(raw.file, None, None, None, problem))
        else:
            first[raw.table] = raw
    in_order = tuple(first[name] for name in TABLES_BY_NAME if name in first)
    return in_order, tuple(issues)
