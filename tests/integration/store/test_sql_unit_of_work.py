"""A unit of work is one transaction: committed work stays, everything else is undone."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
import sqlalchemy as sa

from shopops.store.unit_of_work import SqlUnitOfWork


class WorkFailedError(Exception):
    pass


def _count(engine: sa.Engine, name: str) -> int:
    with SqlUnitOfWork(engine) as uow:
        return uow.frames.count(name)


def _work(engine: sa.Engine, *steps: Callable[[SqlUnitOfWork], object]) -> None:
    """Run ``steps`` in one unit of work; like a service, it commits only if a step says so."""
    with SqlUnitOfWork(engine) as uow:
        for step in steps:
            step(uow)


def _fail(_uow: SqlUnitOfWork) -> None:
    raise WorkFailedError


def _commit(uow: SqlUnitOfWork) -> None:
    uow.commit()


def _write(name: str, frame: pl.DataFrame) -> Callable[[SqlUnitOfWork], int]:
    return lambda uow: uow.frames.write(name, frame)


def test_commit_persists(engine: sa.Engine, marketplace: dict[str, pl.DataFrame]) -> None:
    _work(engine, _write("currencies", marketplace["currencies"]), _commit)
    assert _count(engine, "currencies") == 3


def test_leaving_without_commit_keeps_nothing(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    _work(engine, _write("currencies", marketplace["currencies"]))
    assert _count(engine, "currencies") == 0


def test_an_exception_rolls_everything_back(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    steps = (
        _write("currencies", marketplace["currencies"]),
        _write("regions", marketplace["regions"]),
    )
    with pytest.raises(WorkFailedError):
        _work(engine, *steps, _fail, _commit)
    assert _count(engine, "currencies") == _count(engine, "regions") == 0


def test_work_after_a_commit_is_rolled_back_on_exception(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    first, second = (
        _write("currencies", marketplace["currencies"]),
        _write("regions", marketplace["regions"]),
    )
    with pytest.raises(WorkFailedError):
        _work(engine, first, _commit, second, _fail)
    assert (_count(engine, "currencies"), _count(engine, "regions")) == (3, 0)


def test_a_refused_row_undoes_the_whole_unit(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    bad_regions = marketplace["regions"].with_columns(population=pl.lit(-1))
    steps = (_write("currencies", marketplace["currencies"]), _write("regions", bad_regions))
    with pytest.raises(sa.exc.IntegrityError):
        _work(engine, *steps, _commit)
    assert _count(engine, "currencies") == 0


def test_the_connection_is_only_there_inside_the_block(engine: sa.Engine) -> None:
    uow = SqlUnitOfWork(engine)
    with uow:
        assert not uow.connection.closed
    with pytest.raises(RuntimeError, match="not open"):
        uow.connection  # noqa: B018
    with pytest.raises(RuntimeError, match="not open"):
        uow.commit()


def test_a_commit_refused_by_a_foreign_key_leaves_nothing_and_the_database_usable(
    engine: sa.Engine, marketplace: dict[str, pl.DataFrame]
) -> None:
    stray = marketplace["warehouses"].head(1).with_columns(region_id=pl.lit("NOWHERE"))
    steps = (_write("regions", marketplace["regions"]), _write("warehouses", stray))
    for _attempt in range(2):
        with pytest.raises(sa.exc.IntegrityError):
            _work(engine, *steps, _commit)
    assert _count(engine, "regions") == 0
    _work(engine, _write("regions", marketplace["regions"]), _commit)
    assert _count(engine, "regions") == 3
