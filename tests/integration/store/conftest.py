"""Fixtures for the storage tests: a blank database and one holding the minimal marketplace."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.store.db import create_engine
from shopops.store.unit_of_work import SqlUnitOfWork


@pytest.fixture
def blank_engine(database_url: str) -> Iterator[sa.Engine]:
    """An engine on a database without any table, not even Alembic's version table."""
    engine = create_engine(database_url)
    everything = sa.MetaData()
    everything.reflect(engine)
    everything.drop_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def marketplace() -> dict[str, pl.DataFrame]:
    return minimal_marketplace()


@pytest.fixture
def filled_engine(engine: sa.Engine, marketplace: dict[str, pl.DataFrame]) -> sa.Engine:
    """The migrated database holding the minimal marketplace, committed."""
    with SqlUnitOfWork(engine) as uow:
        for name, frame in marketplace.items():
            uow.frames.write(name, frame)
        uow.commit()
    return engine
