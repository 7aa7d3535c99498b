"""The composition root: the one place settings become a database engine and units of work.

Entry points (CLI, API, worker) call :func:`build` once and hand the parts to services;
tests build the same :class:`App` on their own database.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from shopops.config import Settings, get_settings
from shopops.store.db import create_engine
from shopops.store.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True)
class App:
    """The wired parts of a running ShopOps process."""

    settings: Settings
    engine: sa.Engine

    def unit_of_work(self) -> SqlUnitOfWork:
        """A new unit of work on the configured database."""
        return SqlUnitOfWork(self.engine)


def build(settings: Settings | None = None) -> App:
    """Wire ShopOps from ``settings`` (by default the ``SHOPOPS_*`` environment)."""
    settings = settings or get_settings()
    return App(settings=settings, engine=create_engine(settings.database_url))
