"""Moving whole frames in and out of the database fast, inside the caller's transaction.

Row-by-row ORM inserts cannot load tens of millions of order lines. On PostgreSQL frames
stream through ``COPY`` in CSV chunks; on SQLite through one prepared ``executemany``
per chunk. Reads go the other way (``COPY ... TO STDOUT`` / a plain cursor) and come
back typed by the table's schema; large tables can be read in primary-key order, one
chunk at a time. Upserts stage the frame in a temporary table with the same bulk path,
then merge it with one ``INSERT ... SELECT ... ON CONFLICT`` statement. Everything runs
on the connection it is given, so a caller's rollback undoes it.
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
    with _as_sqlalchemy_errors(conn, f"bulk insert into {spec.name}"):
        _load(conn, spec, frame, spec.name)
    return frame.height


def upsert_frame(conn: sa.Connection, spec: Table, frame: pl.DataFrame) -> int:
    """Insert the rows of ``frame``, updating those whose primary key exists; returns rows.

    The frame is bulk-loaded into a temporary staging table and merged in one statement,
    so the cost is that of a bulk insert plus one indexed merge, not a query per row.
    """
    frame = spec.conform(frame)
    if frame.is_empty():
        return 0
    stage = f"shopops_stage_{spec.name}"
    # A failure leaves the stage to the caller's rollback, which drops it with the rest.
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {stage}")
    conn.exec_driver_sql(_create_stage_sql(conn, spec, stage))
    with _as_sqlalchemy_errors(conn, f"bulk upsert into {spec.name}"):
        _load(conn, spec, frame, stage)
    conn.exec_driver_sql(_merge_sql(spec, stage))
    conn.exec_driver_sql(f"DROP TABLE {stage}")
    return frame.height


def _create_stage_sql(conn: sa.Connection, spec: Table, stage: str) -> str:
    if conn.dialect.name == "postgresql":
        return f"CREATE TEMPORARY TABLE {stage} (LIKE {spec.name})"
    columns = ", ".join(spec.column_names)
    return f"CREATE TEMPORARY TABLE {stage} AS SELECT {columns} FROM {spec.name} WHERE 0"


def _merge_sql(spec: Table, stage: str) -> str:
    # "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
    columns = ", ".join(spec.column_names)
    keys = ", ".join(spec.primary_key)
    others = [c for c in spec.column_names if c not in spec.primary_key]
    action = (
        "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in others)
        if others
        else "DO NOTHING"
    )
    return (
        f"INSERT INTO {spec.name} ({columns}) SELECT {columns} FROM {stage} WHERE true "
        f"ON CONFLICT ({keys}) {action}"
    )


def _load(conn: sa.Connection, spec: Table, frame: pl.DataFrame, target: str) -> None:
    """Bulk-insert a conformed frame into ``target`` (the table itself or its stage)."""
    writer = _copy_in if conn.dialect.name == "postgresql" else _execute_many
    for chunk in _chunks(frame):
        writer(conn, spec, chunk, target)


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
    limit: int | None = None,
) -> pl.DataFrame:
    """Rows of ``spec``'s table (optionally filtered by a SQL ``where``), by primary key."""
    sql = f"SELECT {', '.join(spec.column_names)} FROM {spec.name}"
    if where:
        sql += f" WHERE {where}"
    sql += " ORDER BY " + ", ".join(spec.primary_key)
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _query(conn, spec, spec.column_names, sa.text(sql).bindparams(**(params or {})))


def read_chunks(
    conn: sa.Connection, spec: Table, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pl.DataFrame]:
    """All rows of a table in primary-key order, ``chunk_rows`` at a time.

    Each chunk starts after the last key of the one before (keyset paging), so every
    chunk is an indexed range read and memory holds one chunk, whatever the table size.
    """
    where: str | None = None
    params: dict[str, Any] = {}
    while True:
        chunk = read_frame(conn, spec, where=where, params=params, limit=chunk_rows)
        if not chunk.is_empty():
            yield chunk
        if chunk.height < chunk_rows:
            return
        last = chunk.select(spec.primary_key).row(-1)
        marks = ", ".join(f":after_{i}" for i in range(len(last)))
        where = f"({', '.join(spec.primary_key)}) > ({marks})"
        params = {f"after_{i}": value for i, value in enumerate(last)}


def read_keys(conn: sa.Connection, spec: Table, columns: Sequence[str]) -> pl.DataFrame:
    """The distinct values of ``columns`` in a table, typed by the schema."""
    sql = f"SELECT DISTINCT {', '.join(columns)} FROM {spec.name}"
    return _query(conn, spec, list(columns), sa.text(sql))


def _query(
    conn: sa.Connection, spec: Table, columns: Sequence[str], query: sa.TextClause
) -> pl.DataFrame:
    if conn.dialect.name == "postgresql":
        return _copy_out(conn, spec, columns, query)
    rows = conn.execute(query).all()
    return _typed(
        spec, columns, pl.DataFrame(rows, schema=_raw_schema(spec, columns), orient="row")
    )


def _chunks(frame: pl.DataFrame) -> Iterator[pl.DataFrame]:
    for offset in range(0, frame.height, CHUNK_ROWS):
        yield frame.slice(offset, CHUNK_ROWS)


def _execute_many(conn: sa.Connection, spec: Table, frame: pl.DataFrame, target: str) -> None:
    stored = frame.with_columns(
        pl.col(c.name).dt.strftime(_SQLITE_DATETIME)
        for c in spec.columns
        if c.dtype is DType.DATETIME
    ).with_columns(
        pl.col(c.name).dt.strftime("%Y-%m-%d") for c in spec.columns if c.dtype is DType.DATE
    )
    marks = ", ".join("?" for _ in spec.columns)
    sql = f"INSERT INTO {target} ({', '.join(spec.column_names)}) VALUES ({marks})"
    cursor: Any = conn.connection.cursor()
    try:
        cursor.executemany(sql, stored.iter_rows())
    finally:
        cursor.close()


def _copy_in(conn: sa.Connection, spec: Table, frame: pl.DataFrame, target: str) -> None:
    payload = frame.write_csv(include_header=False, datetime_format="%Y-%m-%d %H:%M:%S%.6f")
    sql = f"COPY {target} ({', '.join(spec.column_names)}) FROM STDIN (FORMAT csv)"
    cursor: Any = conn.connection.cursor()
    try:
        with cursor.copy(sql) as copy:
            copy.write(payload)
    finally:
        cursor.close()


def _copy_out(
    conn: sa.Connection, spec: Table, columns: Sequence[str], query: sa.TextClause
) -> pl.DataFrame:
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    buffer = io.BytesIO()
    cursor: Any = conn.connection.cursor()
    try:
        with cursor.copy(f"COPY ({compiled}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
    finally:
        cursor.close()
    raw_schema = _raw_schema(spec, columns)
    if buffer.tell() == 0:
        return _typed(spec, columns, pl.DataFrame(schema=raw_schema))
    buffer.seek(0)
    raw = pl.read_csv(
        buffer, has_header=False, new_columns=list(columns), schema_overrides=raw_schema
    )
    return _typed(spec, columns, raw)


def _raw_schema(spec: Table, columns: Sequence[str]) -> dict[str, pl.DataType]:
    """Types as the driver hands them back: dates, times and booleans as text."""
    raw: dict[DType, pl.DataType] = {
        DType.DATE: pl.String(),
        DType.DATETIME: pl.String(),
        DType.BOOLEAN: pl.String(),
    }
    return {
        name: raw.get(spec.column(name).dtype, spec.column(name).polars_type) for name in columns
    }


def _typed(spec: Table, columns: Sequence[str], raw: pl.DataFrame) -> pl.DataFrame:
    return raw.select(_parse(raw.schema[name], name, spec.column(name).dtype) for name in columns)


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
