"""Filling a database with a generated marketplace, in one transaction.

The generator streams the tables in load order and in chunks; each chunk is written as
it comes and the unit of work commits once at the end, so a failure leaves the database
as it was. An existing database is only overwritten when asked to.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from shopops.data.schemas import TABLES
from shopops.data.synth import MarketplaceConfig, generate_marketplace
from shopops.errors import ConfigurationError
from shopops.services.progress import Progress, no_progress
from shopops.store.unit_of_work import AbstractUnitOfWork


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

    with uow:
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


def _refuse_if_holding_data(uow: AbstractUnitOfWork) -> None:
    for spec in TABLES:
        count = uow.frames.count(spec.name)
        if count:
            raise ConfigurationError(
                f"the database already holds data ({spec.name} has {count:,} rows); "
                "generate with replace to delete everything in it first"
            )
