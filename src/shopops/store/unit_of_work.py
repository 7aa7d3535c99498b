"""Units of work: one database transaction, committed only when asked.

Services open a unit of work, read and write through its repositories, and call
:meth:`AbstractUnitOfWork.commit`; leaving the ``with`` block without committing rolls
everything back, so a failure never leaves half-written data.
"""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Self

import sqlalchemy as sa

from shopops.store.frames import FrameStore


class AbstractUnitOfWork(abc.ABC):
    frames: FrameStore

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


class SqlUnitOfWork(AbstractUnitOfWork):
    """A unit of work on one connection and transaction of ``engine``."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._connection: sa.Connection | None = None
        self._transaction: sa.RootTransaction | None = None

    def __enter__(self) -> Self:
        self._connection = self.engine.connect()
        self._transaction = self._connection.begin()
        self.frames = FrameStore(self._connection)
        return super().__enter__()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        finally:
            if self._connection is not None:
                self._connection.close()
            self._connection = self._transaction = None

    @property
    def connection(self) -> sa.Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open; use it in a with block")
        return self._connection

    def commit(self) -> None:
        if self._transaction is None:
            raise RuntimeError("the unit of work is not open; use it in a with block")
        try:
            self._transaction.commit()
        except BaseException:
            self.connection.invalidate()
            self._transaction = None
            raise
        self._transaction = self.connection.begin()

    def rollback(self) -> None:
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()
