"""Generating a marketplace into SQLite and PostgreSQL, all at once or not at all."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa

from shopops.data.schemas import TABLES
from shopops.data.synth import MarketplaceConfig, generate_marketplace
from shopops.errors import ConfigurationError
from shopops.services.generating import generate_into_database
from shopops.store.unit_of_work import SqlUnitOfWork

TINY = MarketplaceConfig(skus=40, warehouses=2, days=35, end_date=dt.date(2025, 6, 30))

RARE_IN_A_MONTH = {"stock_transfers"}
"""Tables a month of a small marketplace can leave empty: no warehouse ran short enough."""

pytestmark = pytest.mark.postgres


def _expected_rows(config: MarketplaceConfig) -> dict[str, int]:
    rows: Counter[str] = Counter()
    for name, frame in generate_marketplace(config):
        rows[name] += frame.height
    return {spec.name: rows[spec.name] for spec in TABLES}


def _stored_rows(engine: sa.Engine) -> dict[str, int]:
    with SqlUnitOfWork(engine) as uow:
        return {spec.name: uow.frames.count(spec.name) for spec in TABLES}


def test_every_generated_row_is_stored(engine: sa.Engine) -> None:
    calls: list[tuple[str, int, int]] = []
    report = generate_into_database(
        TINY, SqlUnitOfWork(engine), progress=lambda *call: calls.append(call)
    )
    expected = _expected_rows(TINY)
    assert report.rows == expected
    assert _stored_rows(engine) == expected
    assert all(count > 0 for name, count in expected.items() if name not in RARE_IN_A_MONTH)
    assert report.total_rows == sum(expected.values())
    assert report.seconds > 0
    days = [done for _, done, total in calls if total == TINY.days]
    assert days == sorted(days)
    assert days[-1] == TINY.days
    assert len(set(days)) > TINY.days // 2  # reported day by day


def test_a_database_holding_data_is_refused_and_left_alone(engine: sa.Engine) -> None:
    generate_into_database(TINY, SqlUnitOfWork(engine))
    before = _stored_rows(engine)
    other = dataclasses.replace(TINY, seed=TINY.seed + 1)
    with pytest.raises(ConfigurationError, match="already holds data"):
        generate_into_database(other, SqlUnitOfWork(engine))
    assert _stored_rows(engine) == before


def test_replace_deletes_the_old_marketplace_first(engine: sa.Engine) -> None:
    generate_into_database(TINY, SqlUnitOfWork(engine))
    bigger = dataclasses.replace(TINY, skus=60, seed=TINY.seed + 1)
    report = generate_into_database(bigger, SqlUnitOfWork(engine), replace=True)
    assert _stored_rows(engine) == report.rows == _expected_rows(bigger)
    with SqlUnitOfWork(engine) as uow:
        stored = uow.frames.read("orders")
    generated = next(frame for name, frame in generate_marketplace(bigger) if name == "orders")
    assert stored.head(generated.height).equals(generated)


def test_a_failure_half_way_leaves_nothing_behind(engine: sa.Engine) -> None:
    def fail_on_day_20(description: str, completed: int, total: int) -> None:
        if completed == 20 and total == TINY.days:
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError, match="stopped"):
        generate_into_database(TINY, SqlUnitOfWork(engine), progress=fail_on_day_20)
    assert set(_stored_rows(engine).values()) == {0}


def test_the_larger_sqlite_page_cache_is_given_back(sqlite_engine: sa.Engine) -> None:
    with sqlite_engine.connect() as connection:
        default = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    generate_into_database(TINY, SqlUnitOfWork(sqlite_engine))
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == default
