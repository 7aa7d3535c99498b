"""Filling a database with a generated marketplace, in one transaction.

The generator streams the tables in load order and in chunks; each chunk is written as
it comes and the unit of work commits once at the end, so a failure leaves the database
as it was. An existing database is only overwritten when asked to.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from shopops.data.schemas import TABLES
from shopops.data.synth import MarketplaceConfig, generate_marketplace
from shopops.errors import ConfigurationError
from shopops.services.progress import Progress, no_progress
from shopops.store.unit_of_work import AbstractUnitOfWork

SQLITE_BULK_CACHE_KIB = 2 * 1024 * 1024
"""Page cache for the load on SQLite: room for the indexes being filled (2 GiB at most).

With SQLite's default 2 MB, tens of millions of inserts into indexes on random keys
(SKU, warehouse) keep evicting and re-reading pages, and the load slows as it grows.
The cache takes memory only as pages are used, and is given back afterwards.
"""


@dataclass(frozen=True)
class GenerationReport:
    """What a generation wrote: rows per table in load order, and how long it took."""

    rows: dict[str, int]
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def generate_into_database(
    config: MarketplaceConfig,
    uow: AbstractUnitOfWork,
    *,
    replace: bool = False,
    progress: Progress = no_progress,
) -> GenerationReport:
    """Generate the marketplace described by ``config`` into the database of ``uow``.

    Parameters
    ----------
    replace
        Delete every row already in the database first. Without it, a database holding
        any data is refused.
    progress
        Told the days of history simulated so far.

    Raises
    ------
    ConfigurationError
        If the database already holds data and ``replace`` is false; nothing is changed.
    """
    started = time.perf_counter()
    written = dict.fromkeys((spec.name for spec in TABLES), 0)

    def on_day(done: int, total: int) -> None:
        progress("simulating the history", done, total)

    with uow, _bulk_load_cache(uow):
        if replace:
            uow.frames.clear_all()
        else:
            _refuse_if_holding_data(uow)
        progress("writing master data", 0, config.days)
        for name, frame in generate_marketplace(config, on_day=on_day):
            written[name] += uow.frames.write(name, frame)
        progress("committing", config.days, config.days)
        uow.commit()
    return GenerationReport(rows=written, seconds=time.perf_counter() - started)


@contextmanager
def _bulk_load_cache(uow: AbstractUnitOfWork) -> Iterator[None]:
    """On SQLite, a page cache large enough for a bulk load, restored afterwards."""
    connection = uow.frames.connection
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")


def _refuse_if_holding_data(uow: AbstractUnitOfWork) -> None:
    """Raise if any table of the data model holds a row."""
    for spec in TABLES:
        count = uow.frames.count(spec.name)
        if count:
            raise ConfigurationError(
                f"the database already holds data ({spec.name} has {count:,} rows); "
                "generate with replace to delete everything in it first"
            )
