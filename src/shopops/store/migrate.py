"""Creating and upgrading the database schema with the Alembic migrations in the package.

Every database ShopOps works on carries the revision of its schema in Alembic's version
table. Entry points call :func:`ensure_database` before use; it brings an older or empty
database up to date and refuses one written by a newer ShopOps, rather than guessing.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from shopops.errors import ConfigurationError
from shopops.store.tables import SQL_TABLES

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"


def upgrade_database(engine: sa.Engine, revision: str = "head") -> None:
    """Migrate the schema forward to ``revision`` (by default the newest), in one transaction."""
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade_database(engine: sa.Engine, revision: str) -> None:
    """Migrate the schema back to ``revision`` (``"base"`` removes every table)."""
    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def database_revision(engine: sa.Engine) -> str | None:
    """The schema revision the database is at; ``None`` if it has never been migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest schema revision this version of ShopOps knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise AssertionError(f"no migrations found in {MIGRATIONS}")
    return head


def reset_database(engine: sa.Engine) -> None:
    """Drop every ShopOps table and the version table, then create the schema afresh."""
    with engine.begin() as connection:
        present = set(sa.inspect(connection).get_table_names())
        doomed = [name for name in (*SQL_TABLES, VERSION_TABLE) if name in present]
        reflected = sa.MetaData()
        reflected.reflect(connection, only=doomed)
        reflected.drop_all(connection)
    upgrade_database(engine)


def ensure_database(engine: sa.Engine) -> None:
    """Bring the database up to this version's schema, or explain why it cannot be used.

    Raises
    ------
    ConfigurationError
        The database is at a revision this version does not know (written by a newer
        ShopOps), or holds ShopOps tables that were not created by its migrations.
    """
    current = database_revision(engine)
    if current is None:
        _refuse_unmigrated_tables(engine)
    elif not _is_known(current):
        raise ConfigurationError(
            f"the database {_shown(engine)} is at schema revision {current!r}, which this "
            f"version of ShopOps does not know (its newest is {head_revision()!r}); it was "
            "probably written by a newer ShopOps. Upgrade ShopOps, or use another database."
        )
    if current != head_revision():
        upgrade_database(engine)


def _refuse_unmigrated_tables(engine: sa.Engine) -> None:
    present = set(sa.inspect(engine).get_table_names()) & SQL_TABLES.keys()
    if present:
        raise ConfigurationError(
            f"the database {_shown(engine)} holds ShopOps tables ({', '.join(sorted(present))}) "
            "but no schema revision, so its layout is unknown. Drop those tables or use an "
            "empty database."
        )


def _is_known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except CommandError:
        return False


def _config(connection: sa.Connection | None = None) -> Config:
    """Alembic settings built in code, so no ``alembic.ini`` is needed at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _shown(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
