"""Running a unit of work again when a concurrent writer got there first."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from shopops.domain.ordering import OrderingError
from shopops.store.purchasing import is_write_conflict
from shopops.store.unit_of_work import AbstractUnitOfWork

Result = TypeVar("Result")

ATTEMPTS = 8


class LineChangedError(Exception):
    """A line changed between reading and updating it; the transaction runs again."""


def run_in_transaction(uow: AbstractUnitOfWork, work: Callable[[sa.Connection], Result]) -> Result:
    """Run ``work`` in a unit of work and commit; again when a concurrent writer won."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with uow:
                result = work(uow.frames.connection)
                uow.commit()
                return result
        except LineChangedError:
            if attempt == ATTEMPTS:
                raise OrderingError("the order kept changing; try again") from None
        except sa.exc.DBAPIError as error:
            if attempt == ATTEMPTS or not is_write_conflict(error):
                raise
        time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")
