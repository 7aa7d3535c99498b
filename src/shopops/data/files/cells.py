"""Reading the cells of an input file as the values its schema column asks for.

Files arrive in every shape: CSV cells are all text, Parquet columns carry their own
types, Excel cells are text, numbers, booleans or dates. Each function here turns one
input column into the schema's type without failing: a cell that cannot be read
becomes null, and validation compares that with :func:`cell_present` to report it.

Accepted text: integers as ``12`` (or ``12.0``), numbers in plain or exponent form,
dates ``YYYY-MM-DD``, datetimes ``YYYY-MM-DD HH:MM:SS[.ffffff]`` or with ``T`` (a
trailing ``Z`` is allowed, times are UTC), booleans ``true/false/1/0``. Empty cells
are missing values; so is surrounding whitespace alone, except in text columns, whose
values are kept exactly as written.
"""

from __future__ import annotations

import polars as pl

from shopops.data.spec import Column, DType

_EXACT_INTEGER = 2.0**53
"""Whole numbers beyond this cannot come exactly from a float cell."""

_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f")

TYPE_PROBLEMS: dict[DType, str] = {
    DType.STRING: "not text",
    DType.INTEGER: "not a whole number",
    DType.FLOAT: "not a number",
    DType.BOOLEAN: "not true or false",
    DType.DATE: "not a date",
    DType.DATETIME: "not a date and time",
}
"""How a cell that cannot be read as each type is described to the user."""


def cell_present(name: str, current: pl.DataType, column: Column) -> pl.Expr:
    """True where the cell holds a value (not empty, and not only blanks in a non-text column)."""
    return _normalised(name, current, column).is_not_null()


def cell_value(name: str, current: pl.DataType, column: Column) -> pl.Expr:
    """The cell read as ``column``'s type, null where empty or unreadable."""
    value = _normalised(name, current, column)
    if current == pl.String():
        return _from_text(value, column.dtype).alias(name)
    return _from_typed(value, current, column.dtype).alias(name)


def cell_text(name: str, current: pl.DataType) -> pl.Expr:
    """The cell as text, to show the user what was found."""
    return pl.col(name).cast(pl.String) if current != pl.String() else pl.col(name)


def _normalised(name: str, current: pl.DataType, column: Column) -> pl.Expr:
    col = pl.col(name)
    if current != pl.String():
        return col
    text = col if column.dtype is DType.STRING else col.str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _from_text(text: pl.Expr, dtype: DType) -> pl.Expr:
    match dtype:
        case DType.STRING:
            return text
        case DType.INTEGER:
            return _first_of(text.str.to_integer(strict=False), _whole(_number(text)))
        case DType.FLOAT:
            return _finite(_number(text))
        case DType.BOOLEAN:
            lowered = text.str.to_lowercase()
            truth = pl.when(lowered.is_in(["true", "1"])).then(True)
            return truth.when(lowered.is_in(["false", "0"])).then(False).otherwise(None)
        case DType.DATE:
            return text.str.to_date("%Y-%m-%d", strict=False)
        case DType.DATETIME:
            return _datetime_from_text(text)
    raise AssertionError(dtype)


def _datetime_from_text(text: pl.Expr) -> pl.Expr:
    utc = text.str.strip_suffix("Z")
    parsed = [utc.str.to_datetime(f, time_unit="us", strict=False) for f in _DATETIME_FORMATS]
    midnight = utc.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us"))
    return _first_of(*parsed, midnight)


def _from_typed(value: pl.Expr, current: pl.DataType, dtype: DType) -> pl.Expr:
    """Cells of a typed file column (Parquet, Excel) read as ``dtype``."""
    if dtype is DType.STRING:
        return value.cast(pl.String)
    if isinstance(current, pl.Datetime) and current.time_zone is not None:
        value = value.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    if current.is_numeric() and dtype in (DType.INTEGER, DType.FLOAT):
        number = value.cast(pl.Float64) if current.is_float() else value
        if dtype is DType.INTEGER:
            return number.cast(pl.Int64, strict=False) if current.is_integer() else _whole(number)
        return _finite(number.cast(pl.Float64))
    if current == pl.Boolean() and dtype is DType.BOOLEAN:
        return value
    if current.is_integer() and dtype is DType.BOOLEAN:
        return pl.when(value.is_in([0, 1])).then(value.cast(pl.Boolean))
    if current.is_temporal() and dtype is DType.DATETIME:
        return value.cast(pl.Datetime("us"))
    if isinstance(current, pl.Datetime) and dtype is DType.DATE:
        return pl.when(value.dt.time() == pl.time(0)).then(value.dt.date())
    if current == pl.Date() and dtype is DType.DATE:
        return value
    return _from_text(value.cast(pl.String), dtype)


def _number(text: pl.Expr) -> pl.Expr:
    return text.cast(pl.Float64, strict=False)


def _finite(number: pl.Expr) -> pl.Expr:
    return pl.when(number.is_finite()).then(number)


def _whole(number: pl.Expr) -> pl.Expr:
    whole = number.cast(pl.Int64, strict=False)
    exact = (whole.cast(pl.Float64) == number) & (number.abs() < _EXACT_INTEGER)
    return pl.when(exact).then(whole)


def _first_of(first: pl.Expr, *others: pl.Expr) -> pl.Expr:
    """The first non-null of the readings (like coalesce, and faster in Polars)."""
    if not others:
        return first
    return pl.when(first.is_not_null()).then(first).otherwise(_first_of(*others))
