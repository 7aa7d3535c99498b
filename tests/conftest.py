"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL comes from ``SHOPOPS_TEST_POSTGRES_URL`` (default: the local server at
127.0.0.1:5432, database ``test``, trust auth). Each pytest worker gets a private
database there. Where the server cannot be reached the PostgreSQL tests fail when
``SHOPOPS_REQUIRE_POSTGRES`` or ``CI`` is set, and are skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings

from shopops.store.db import create_engine
from shopops.store.migrate import reset_database

settings.register_profile("shopops", deadline=None)
settings.load_profile("shopops")
"""Property tests check values, not speed: no per-example deadline on a busy machine."""

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _postgres_required() -> bool:
    return bool(os.environ.get("SHOPOPS_REQUIRE_POSTGRES") or os.environ.get("CI"))


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    """URL of a private PostgreSQL database for this pytest worker, dropped at the end."""
    base = os.environ.get("SHOPOPS_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"shopops_test_{worker_id}_{os.getpid()}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        message = f"PostgreSQL not reachable at {base}: {error}"
        if _postgres_required():
            pytest.fail(message)
        pytest.skip(message)
    url = sa.make_url(admin.url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _fresh(engine: sa.Engine) -> sa.Engine:
    """The engine's database emptied and migrated to the newest schema, as ``init`` does."""
    reset_database(engine)
    return engine


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest schema once, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "shopops.db"
    _fresh(create_engine(f"sqlite:///{path}")).dispose()
    return path


@pytest.fixture(scope="session")
def postgres_fresh(postgres_url: str) -> Iterator[Callable[[], None]]:
    """Recreates this worker's PostgreSQL database from a template migrated once.

    Copying a template database takes a fraction of the time the migrations take.
    """
    url = sa.make_url(postgres_url)
    name, template = url.database, f"{url.database}_template"
    admin = create_engine(
        url.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{template}"')
    template_url = url.set(database=template).render_as_string(hide_password=False)
    _fresh(create_engine(template_url)).dispose()

    def recreate() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    yield recreate
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shopops.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def engine(database_url: str, request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """An engine on a database holding the empty ShopOps tables (SQLite and PostgreSQL).

    The schema comes from the migrations (run once per session into a template the
    database is copied from), so the database is at the newest revision.
    """
    if database_url.startswith("sqlite"):
        shutil.copyfile(
            request.getfixturevalue("sqlite_template"), database_url[len("sqlite:///") :]
        )
    else:
        request.getfixturevalue("postgres_fresh")()
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """An engine on an empty SQLite file with the ShopOps tables, for SQLite-only tests."""
    path = tmp_path / "shopops.db"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    engine = create_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()
