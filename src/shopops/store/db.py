"""Database engines: SQLite (embedded default) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_engine(url: str, **kwargs: Any) -> sa.Engine:
    """An engine for ``url`` with foreign keys enforced and real transactions on SQLite.

    pysqlite's own transaction handling skips BEGIN for DDL and defers it for DML; we
    turn it off and emit BEGIN ourselves, so a unit of work is one transaction on both
    databases (SQLAlchemy's documented recipe for pysqlite).
    """
    engine = sa.create_engine(normalise_url(url), **kwargs)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _configure_sqlite)
        sa.event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        sa.event.listen(engine, "handle_error", _end_refused_commit)
    return engine


def _end_refused_commit(context: sa.engine.ExceptionContext) -> None:
    """Roll back a transaction whose COMMIT SQLite refused, as PostgreSQL does by itself.

    SQLite keeps the transaction open when COMMIT fails (a deferred foreign key is
    broken), while SQLAlchemy counts it as ended; the pooled connection would carry it
    into its next use and fail there with "cannot start a transaction within a transaction".
    """
    if context.statement is not None or context.connection is None:
        return
    dbapi_connection = context.connection.connection.dbapi_connection
    if dbapi_connection is not None and dbapi_connection.in_transaction:
        dbapi_connection.rollback()


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()
