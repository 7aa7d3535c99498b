"""Moving whole frames in and out of the database fast, inside the caller's transaction.

Row-by-row ORM inserts cannot load tens of millions of order lines. On PostgreSQL frames
stream through ``COPY`` in CSV chunks; on SQLite through one prepared ``executemany``
per chunk. Reads go the other way (``COPY ... TO STDOUT`` / a plain cursor) and come
back typed by the table's schema. Both run on the connection they are given, so a
caller's rollback undoes them.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl
import sqlalchemy as sa

from shopops.data.spec import POLARS_TYPES, DType, Table

CHUNK_ROWS = 250_000

_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S%.6f"
"""SQLAlchemy's storage format for DateTime on SQLite; rows we write must match it."""


def write_frame(conn: sa.Connection, spec: Table, frame: pl.DataFrame) -> int:
    """Insert every row of ``frame`` (columns as in ``spec``) into its table; returns rows."""
    frame = spec.conform(frame)
    if frame.is_empty():
        return 0
    writer = _copy_in if conn.dialect.name == "postgresql" else _execute_many
    with _as_sqlalchemy_errors(conn, f"bulk insert into {spec.name}"):
        for chunk in _chunks(frame):
            writer(conn, spec, chunk)
    return frame.height


@contextlib.contextmanager
def _as_sqlalchemy_errors(conn: sa.Connection, statement: str) -> Iterator[None]:
    """Raise driver errors as SQLAlchemy's (IntegrityError...), as the ORM paths would."""
    dbapi_error = conn.dialect.loaded_dbapi.Error
    try:
        yield
    except dbapi_error as error:
        raise sa.exc.DBAPIError.instance(statement, None, error, dbapi_error) from error


def read_frame(
    conn: sa.Connection,
    spec: Table,
    *,
    where: str | None = None,
    params: dict[str, Any] | None = None,
) -> pl.DataFrame:
    """All rows of ``spec``'s table (optionally filtered by a SQL ``where``), by primary key."""
    columns = ", ".join(spec.column_names)
    sql = f"SELECT {columns} FROM {spec.name}"
    if where:
        sql += f" WHERE {where}"
    sql += " ORDER BY " + ", ".join(spec.primary_key)
    if conn.dialect.name == "postgresql":
        return _copy_out(conn, spec, sa.text(sql).bindparams(**(params or {})))
    rows = conn.execute(sa.text(sql), params or {}).all()
    return _typed(spec, pl.DataFrame(rows, schema=_raw_schema(spec), orient="row"))


def _chunks(frame: pl.DataFrame) -> Iterator[pl.DataFrame]:
    for offset in range(0, frame.height, CHUNK_ROWS):
        yield frame.slice(offset, CHUNK_ROWS)


def _execute_many(conn: sa.Connection, spec: Table, frame: pl.DataFrame) -> None:
    stored = frame.with_columns(
        pl.col(c.name).dt.strftime(_SQLITE_DATETIME)
        for c in spec.columns
        if c.dtype is DType.DATETIME
    ).with_columns(
        pl.col(c.name).dt.strftime("%Y-%m-%d") for c in spec.columns if c.dtype is DType.DATE
    )
    marks = ", ".join("?" for _ in spec.columns)
    sql = f"INSERT INTO {spec.name} ({', '.join(spec.column_names)}) VALUES ({marks})"
    cursor: Any = conn.connection.cursor()
    try:
        cursor.executemany(sql, stored.iter_rows())
    finally:
        cursor.close()


def _copy_in(conn: sa.Connection, spec: Table, frame: pl.DataFrame) -> None:
    payload = frame.write_csv(include_header=False, datetime_format="%Y-%m-%d %H:%M:%S%.6f")
    sql = f"COPY {spec.name} ({', '.join(spec.column_names)}) FROM STDIN (FORMAT csv)"
    cursor: Any = conn.connection.cursor()
    try:
        with cursor.copy(sql) as copy:
            copy.write(payload)
    finally:
        cursor.close()


def _copy_out(conn: sa.Connection, spec: Table, query: sa.TextClause) -> pl.DataFrame:
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    buffer = io.BytesIO()
    cursor: Any = conn.connection.cursor()
    try:
        with cursor.copy(f"COPY ({compiled}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
    finally:
        cursor.close()
    if buffer.tell() == 0:
        return spec.empty_frame()
    buffer.seek(0)
    raw = pl.read_csv(
        buffer,
        has_header=False,
        new_columns=spec.column_names,
        schema_overrides=_raw_schema(spec),
    )
    return _typed(spec, raw)


def _raw_schema(spec: Table) -> dict[str, pl.DataType]:
    """Types as the driver hands them back: dates, times and booleans as text."""
    raw: dict[DType, pl.DataType] = {
        DType.DATE: pl.String(),
        DType.DATETIME: pl.String(),
        DType.BOOLEAN: pl.String(),
    }
    return {c.name: raw.get(c.dtype, c.polars_type) for c in spec.columns}


def _typed(spec: Table, raw: pl.DataFrame) -> pl.DataFrame:
    return raw.select(_parse(raw.schema[c.name], c.name, c.dtype) for c in spec.columns)


def _parse(current: pl.DataType, name: str, dtype: DType) -> pl.Expr:
    col = pl.col(name)
    if current != pl.String() or dtype is DType.STRING:
        return col.cast(_target(dtype))
    match dtype:
        case DType.DATE:
            return col.str.slice(0, 10).str.to_date("%Y-%m-%d")
        case DType.DATETIME:
            return col.str.replace("T", " ").str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us")
        case DType.BOOLEAN:
            return col.str.to_lowercase().is_in(["t", "true", "1"]).cast(pl.Boolean)
    return col.cast(_target(dtype))


def _target(dtype: DType) -> pl.DataType:
    return POLARS_TYPES[dtype]


def table_counts(conn: sa.Connection, names: Sequence[str]) -> dict[str, int]:
    """Row count of each named table."""
    return {
        name: int(conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one())
        for name in names
    }
