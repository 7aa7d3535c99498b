"""Excel workbooks: one sheet per table, a header row, real Excel dates and numbers.

Writing uses XlsxWriter in constant-memory mode, row by row from chunks. Numbers are
written with all 17 significant digits (XlsxWriter writes 16, which does not bring every
float back exactly). Reading uses openpyxl in read-only mode and takes date cells as
their serial numbers: openpyxl rounds dates to the millisecond, the data model keeps
microseconds, so :func:`serials_to_datetimes` converts them exactly instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from shopops.data.files.raw import RawTable, UnreadableFileError, unique_columns, unknown_table
from shopops.data.files.writing import replacing
from shopops.data.schemas import TABLES_BY_NAME
from shopops.data.spec import Column, DType, Table
from shopops.errors import ExportRefused, Issue

MAX_SHEET_ROWS = 1_048_575
"""Data rows an Excel sheet holds under its header row."""

_MICROS_PER_DAY = 86_400_000_000
_UNIX_EPOCH = dt.datetime(1970, 1, 1)
_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss.000"


def too_many_rows(table: str, rows: int) -> ExportRefused:
    """The error for a table larger than an Excel sheet."""
    return ExportRefused(
        f"table {table} has {rows:,} rows but an Excel sheet holds at most "
        f"{MAX_SHEET_ROWS:,}; export it as CSV or Parquet instead"
    )


# --- writing ---------------------------------------------------------------------------


class _ExactWorksheet(Worksheet):  # type: ignore[misc]
    """A worksheet writing numbers (and so dates) with every digit they need."""

    def _xml_number_element(self, number: float, attributes: Sequence[Any] = ()) -> None:
        attrs = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
        self.fh.write(f"<c{attrs}><v>{number!r}</v></c>")


def write_workbook(
    path: Path, sheets: Iterable[tuple[Table, Iterable[pl.DataFrame]]]
) -> dict[str, int]:
    """Write each table as a sheet of one workbook; returns rows written per table.

    Raises :class:`~shopops.errors.ExportRefused` when a table exceeds a sheet.
    """
    options = {
        "constant_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    rows: dict[str, int] = {}
    with replacing(path) as partial:
        workbook = xlsxwriter.Workbook(str(partial), options)
        try:
            for spec, chunks in sheets:
                rows[spec.name] = _write_sheet(workbook, spec, chunks)
        finally:
            workbook.close()
    return rows


def _write_sheet(workbook: Any, spec: Table, chunks: Iterable[pl.DataFrame]) -> int:
    sheet = workbook.add_worksheet(spec.name, worksheet_class=_ExactWorksheet)
    header = workbook.add_format({"bold": True})
    for index, column in enumerate(spec.columns):
        sheet.set_column(index, index, max(len(column.name) + 2, 12))
        sheet.write_string(0, index, column.name, header)
    sheet.freeze_panes(1, 0)
    writers = [_cell_writer(workbook, sheet, column) for column in spec.columns]
    row = 0
    for chunk in chunks:
        if row + chunk.height > MAX_SHEET_ROWS:
            raise too_many_rows(spec.name, row + chunk.height)
        for values in spec.conform(chunk).iter_rows():
            row += 1
            for index, (value, write) in enumerate(zip(values, writers, strict=True)):
                if value is not None:
                    write(row, index, value)
    return row


def _cell_writer(workbook: Any, sheet: Any, column: Column) -> Callable[[int, int, Any], Any]:
    match column.dtype:
        case DType.STRING:
            return sheet.write_string  # type: ignore[no-any-return]
        case DType.INTEGER | DType.FLOAT:
            return sheet.write_number  # type: ignore[no-any-return]
        case DType.BOOLEAN:
            return sheet.write_boolean  # type: ignore[no-any-return]
    style = workbook.add_format(
        {"num_format": _DATE_FORMAT if column.dtype is DType.DATE else _DATETIME_FORMAT}
    )
    return lambda row, col, value: sheet.write_datetime(row, col, value, style)


# --- reading ---------------------------------------------------------------------------


def read_workbook(path: Path) -> tuple[list[RawTable], list[Issue]]:
    """Every sheet of a workbook as a table; sheets without any cell are skipped."""
    tables: list[RawTable] = []
    issues: list[Issue] = []
    try:
        workbook = _open(path)
        try:
            for sheet in workbook.worksheets:
                table, problems = _read_sheet(path.name, sheet, workbook.epoch)
                tables += [table] if table is not None else []
                issues += problems
        finally:
            workbook.close()
    except UnreadableFileError as error:
        return [], [Issue(path.name, None, None, None, str(error))]
    return tables, issues


def _open(path: Path) -> Any:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        message = f"not a readable Excel .xlsx workbook ({type(error).__name__}: {error})"
        raise UnreadableFileError(message) from None
    workbook._date_formats = set()  # date cells as serial numbers; see the module docstring
    return workbook


def _read_sheet(file: str, sheet: Any, epoch: dt.datetime) -> tuple[RawTable | None, list[Issue]]:
    sheet.reset_dimensions()  # trust the cells, not the sheet's stated size
    rows = _cells(sheet)
    names = _header(next(rows, ()))
    if not names:
        return None, []
    label = f"{file}, sheet {sheet.title}"
    if sheet.title not in TABLES_BY_NAME:
        return None, [unknown_table(file, sheet.title)]
    spec = TABLES_BY_NAME[sheet.title]
    numbers, records = _records(rows)
    issues = _cells_without_header(label, names, numbers, records)
    columns = _transposed(records, len(names))
    series = [
        _series(f"column_{i}", values, spec.column(n) if n in spec.column_names else None, epoch)
        for i, (n, values) in enumerate(zip(names, columns, strict=True))
    ]
    frame, repeated = unique_columns(label, pl.DataFrame(series), names)
    rows_seen = pl.Series("rows", numbers, dtype=pl.Int64)
    return RawTable(spec.name, label, frame, rows_seen), issues + repeated


def _cells(sheet: Any) -> Any:
    try:
        yield from sheet.iter_rows(values_only=True)
    except Exception as error:  # a damaged sheet inside a readable workbook
        raise UnreadableFileError(f"sheet {sheet.title} cannot be read ({error})") from None


def _header(cells: Sequence[Any]) -> list[str]:
    names = ["" if cell is None else str(cell).strip() for cell in cells]
    while names and not names[-1]:
        names.pop()
    return names


def _records(rows: Iterable[Sequence[Any]]) -> tuple[list[int], list[Sequence[Any]]]:
    """Rows holding at least one value, with the sheet row number of each."""
    numbers: list[int] = []
    records: list[Sequence[Any]] = []
    for number, row in enumerate(rows, start=2):
        if any(cell is not None for cell in row):
            numbers.append(number)
            records.append(row)
    return numbers, records


def _cells_without_header(
    file: str, names: list[str], numbers: list[int], records: list[Sequence[Any]]
) -> list[Issue]:
    for number, row in zip(numbers, records, strict=True):
        extra = [cell for cell in row[len(names) :] if cell is not None]
        if extra:
            problem = "value in a column without a header"
            return [Issue(file, number, None, _text(extra[0]), problem, "a named column")]
    return []


def _transposed(records: list[Sequence[Any]], width: int) -> list[list[Any]]:
    columns: list[list[Any]] = [[] for _ in range(width)]
    for row in records:
        for index in range(width):
            columns[index].append(row[index] if index < len(row) else None)
    return columns


def _series(name: str, values: list[Any], column: Column | None, epoch: dt.datetime) -> pl.Series:
    """One sheet column as a typed series: numbers, text, booleans or datetimes."""
    kinds = {type(value) for value in values if value is not None}
    dated = column is not None and column.dtype in (DType.DATE, DType.DATETIME)
    if kinds <= {int, float} and kinds:
        numbers = pl.Series(name, values, dtype=pl.Float64 if float in kinds else pl.Int64)
        return serials_to_datetimes(numbers, epoch) if dated else numbers
    for kind, dtype in ((str, pl.String()), (bool, pl.Boolean()), (dt.datetime, pl.Datetime())):
        if kinds <= {kind}:
            return pl.Series(name, values, dtype=dtype)
    texts = [None if v is None else _text(v, epoch if dated else None) for v in values]
    return pl.Series(name, texts, dtype=pl.String)


def _text(value: Any, epoch: dt.datetime | None = None) -> str:
    """A cell of a mixed column as text: numbers in date columns as the date they show."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) and epoch is not None:
        moment = serials_to_datetimes(pl.Series([float(value)]), epoch)[0]
        value = value if moment is None else moment
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def serials_to_datetimes(serials: pl.Series, epoch: dt.datetime) -> pl.Series:
    """Excel serial day numbers as datetimes, exact to the microsecond.

    Whole days and the fraction of the day are converted apart, so the float's error
    never reaches a full microsecond. (Serials before 1 March 1900 are off by Excel's
    phantom 29 February 1900; no ShopOps date is that old.)
    """
    days = serials.cast(pl.Float64).floor()
    fraction = ((serials - days) * _MICROS_PER_DAY).round()
    offset = (epoch - _UNIX_EPOCH) // dt.timedelta(microseconds=1)
    micros = days.cast(pl.Int64, strict=False) * _MICROS_PER_DAY + fraction.cast(pl.Int64)
    return (micros + offset).cast(pl.Datetime("us")).alias(serials.name)
