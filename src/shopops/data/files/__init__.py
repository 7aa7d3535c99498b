"""Table files: reading CSV, Parquet and Excel sources and writing exports in each format.

Readers return the cells as written (see :mod:`.cells` for how they become typed
values); :mod:`shopops.data.validation` checks them against the data model. Writers
take each table as chunks of frames so that exports of any size stream to disk.
"""

from shopops.data.files.excel import MAX_SHEET_ROWS, too_many_rows, write_workbook
from shopops.data.files.raw import RawTable
from shopops.data.files.reading import ReadResult, read_file_as, read_tables
from shopops.data.files.writing import write_csv, write_parquet

__all__ = [
    "MAX_SHEET_ROWS",
    "RawTable",
    "ReadResult",
    "read_file_as",
    "read_tables",
    "too_many_rows",
    "write_csv",
    "write_parquet",
    "write_workbook",
]
