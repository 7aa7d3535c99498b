from __future__ import annotations

import polars as pl
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from shopops.errors import ConfigurationError
from shopops.store.migrate import (
    VERSION_TABLE,
    database_revision,
    downgrade_database,
    ensure_database,
    head_revision,
    reset_database,
    upgrade_database,
)
from shopops.store.tables import SQL_TABLES, metadata
from shopops.store.unit_of_work import SqlUnitOfWork


def _shopops_tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) & SQL_TABLES.keys()


def _reflected_names(inspector: sa.Inspector, name: str) -> set[str | None]:
    names = {inspector.get_pk_constraint(name)["name"]}
    names |= {fk["name"] for fk in inspector.get_foreign_keys(name)}
    names |= {uq["name"] for uq in inspector.get_unique_constraints(name)}
    names |= {ck["name"] for ck in inspector.get_check_constraints(name)}
    names |= {ix["name"] for ix in inspector.get_indexes(name) if "duplicates_constraint" not in ix}
    return names


def test_upgrade_of_an_empty_database_yields_exactly_the_metadata(blank_engine: sa.Engine) -> None:
    upgrade_database(blank_engine)
    with blank_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_upgrade_creates_every_key_check_and_index_by_name(blank_engine: sa.Engine) -> None:
    upgrade_database(blank_engine)
    inspector = sa.inspect(blank_engine)
    for name, table in SQL_TABLES.items():
        expected = {c.name for c in table.constraints} | {i.name for i in table.indexes}
        assert _reflected_names(inspector, name) == expected, name


def test_revision_is_none_before_and_head_after_upgrade(blank_engine: sa.Engine) -> None:
    assert database_revision(blank_engine) is None
    upgrade_database(blank_engine)
    assert database_revision(blank_engine) == head_revision()


def test_downgrade_to_base_removes_every_table(blank_engine: sa.Engine) -> None:
    upgrade_database(blank_engine)
    downgrade_database(blank_engine, "base")
    assert _shopops_tables(blank_engine) == set()
    assert database_revision(blank_engine) is None


def test_upgrade_after_downgrade_restores_the_schema(blank_engine: sa.Engine) -> None:
    upgrade_database(blank_engine)
    downgrade_database(blank_engine, "base")
    upgrade_database(blank_engine)
    assert _shopops_tables(blank_engine) == SQL_TABLES.keys()


def test_reset_empties_a_filled_database(filled_engine: sa.Engine) -> None:
    reset_database(filled_engine)
    with SqlUnitOfWork(filled_engine) as uow:
        assert {name: uow.frames.count(name) for name in SQL_TABLES} == dict.fromkeys(SQL_TABLES, 0)
    assert database_revision(filled_engine) == head_revision()


def test_reset_works_on_a_blank_database(blank_engine: sa.Engine) -> None:
    reset_database(blank_engine)
    assert _shopops_tables(blank_engine) == SQL_TABLES.keys()


def test_ensure_creates_the_schema_in_an_empty_database(blank_engine: sa.Engine) -> None:
    ensure_database(blank_engine)
    assert _shopops_tables(blank_engine) == SQL_TABLES.keys()
    assert database_revision(blank_engine) == head_revision()


def test_ensure_leaves_a_current_database_and_its_rows_alone(filled_engine: sa.Engine) -> None:
    ensure_database(filled_engine)
    with SqlUnitOfWork(filled_engine) as uow:
        assert uow.frames.count("orders") == 4


def test_ensure_refuses_a_revision_it_does_not_know(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = 'f00dfacecafe'"))
    with pytest.raises(ConfigurationError, match=r"'f00dfacecafe'.*does not know"):
        ensure_database(engine)


def test_ensure_refuses_tables_created_without_migrations(blank_engine: sa.Engine) -> None:
    metadata.create_all(blank_engine)
    with pytest.raises(ConfigurationError, match="no schema revision"):
        ensure_database(blank_engine)


def test_a_migrated_database_accepts_rows(engine: sa.Engine) -> None:
    regions = pl.DataFrame(
        {
            "region_id": ["SEA"],
            "name": ["Seattle, WA"],
            "country_code": ["US"],
            "latitude": [47.61],
            "longitude": [-122.33],
            "population": [4_000_000],
        }
    )
    with SqlUnitOfWork(engine) as uow:
        assert uow.frames.write("regions", regions) == 1
