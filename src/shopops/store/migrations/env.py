"""Alembic's entry script: runs the migrations on the connection ShopOps hands it.

:mod:`shopops.store.migrate` passes its open connection in ``config.attributes``, so
migrations run inside the caller's transaction. Developers running the ``alembic``
command (``alembic revision --autogenerate``) get a connection from
``SHOPOPS_DATABASE_URL`` or ``sqlalchemy.url`` in ``alembic.ini`` instead.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context

from shopops.store.db import create_engine
from shopops.store.tables import metadata


def _configure(connection: sa.Connection) -> None:
    """Batch mode for SQLite's limited ALTER; DDL inside the transaction on both databases.

    Alembic assumes SQLite cannot roll back DDL, but with the BEGIN that our engines emit
    it can, so a failed upgrade leaves the schema as it was.
    """
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transactional_ddl=True,
        compare_type=True,
    )


def _url() -> str:
    url = os.environ.get("SHOPOPS_DATABASE_URL") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set SHOPOPS_DATABASE_URL or sqlalchemy.url in alembic.ini")
    return url


def run_offline() -> None:
    """Write the migration SQL to standard output instead of running it."""
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on the given connection, or on one of our own."""
    given: sa.Connection | None = context.config.attributes.get("connection")
    if given is not None:
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()


if context.config.config_file_name is not None:
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)
if context.is_offline_mode():
    run_offline()
else:
    run_online()
