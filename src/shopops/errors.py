"""ShopOps's exceptions. Every error a user can cause says what was wrong and where.

The hierarchy::

    ShopOpsError
    ├── DataError            bad input data (files, requests)
    │   ├── ValidationFailed the rows of one or more files broke the data model;
    │   │                    carries every issue found (file, row, column, value, expected)
    │   ├── ImportRefused    the database refused rows that passed validation;
    │   │                    nothing was written
    │   └── ExportRefused    the data cannot be written in the chosen file format
    └── ConfigurationError   settings or database that cannot be used
"""

from __future__ import annotations

from dataclasses import dataclass


class ShopOpsError(Exception):
    """Base of every error ShopOps raises on purpose."""


class DataError(ShopOpsError):
    """Input data that cannot be accepted."""


class ConfigurationError(ShopOpsError):
    """Settings, database URL or database state that ShopOps cannot work with."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in an input file, located as a user would look for it.

    ``row`` is the number the user sees: the line of a CSV file or the row of an Excel
    sheet (the header is row 1), or the 1-based record of a Parquet file
    (``row_word`` is then ``"record"``). ``row`` and ``column`` are ``None`` for
    problems of the whole file or of a whole column.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    problem: str
    expected: str | None = None
    row_word: str = "row"

    def __str__(self) -> str:
        place = [self.file]
        if self.row is not None:
            place.append(f"{self.row_word} {self.row}")
        if self.column is not None:
            place.append(f"column{'s' if ', ' in self.column else ''} {self.column}")
        text = f"{', '.join(place)}: {self.problem}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        return text


class ValidationFailed(DataError):  # noqa: N818 - named for what happened, like the tree above
    """Input files broke the data model; nothing was written.

    ``issues`` holds the first problems found (at most the import's error limit) and
    ``total`` how many there were in all.
    """

    def __init__(self, issues: tuple[Issue, ...], total: int | None = None) -> None:
        self.issues = issues
        self.total = len(issues) if total is None else total
        super().__init__(self._message())

    def _message(self) -> str:
        noun = "problem" if self.total == 1 else "problems"
        lines = [f"import refused, nothing was written: {self.total} {noun} found"]
        lines += [f"  {issue}" for issue in self.issues]
        if self.total > len(self.issues):
            lines.append(f"  ... and {self.total - len(self.issues)} more")
        return "\n".join(lines)


class ImportRefused(DataError):  # noqa: N818
    """The database refused an import that passed validation; it was rolled back."""


class ExportRefused(DataError):  # noqa: N818
    """Tables cannot be exported as asked (too many rows for a sheet, wrong destination)."""
