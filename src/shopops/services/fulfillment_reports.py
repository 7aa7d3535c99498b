"""Fulfillment reports: the marketplace's metrics for a period and the orders at risk."""

from __future__ import annotations

import datetime as dt

import polars as pl

from shopops.analytics.fulfillment_metrics import (
    GroupBy,
    fulfillment_metrics,
    orders_at_risk,
    stage_times,
)
from shopops.errors import DataError
from shopops.services.planning import utc_now
from shopops.store import fulfillment_views as views
from shopops.store.unit_of_work import AbstractUnitOfWork

HISTORY_DAYS = 28
"""How far back the median pick, pack and pickup times are taken."""


def metrics(
    uow: AbstractUnitOfWork,
    *,
    start: dt.date,
    end: dt.date,
    by: GroupBy = None,
    as_of: dt.datetime | None = None,
) -> pl.DataFrame:
    """Late dispatch, on-time delivery and valid tracking rates from ``start`` to ``end``."""
    if end < start:
        raise DataError(f"to: {end} is before from: {start}")
    with uow:
        inputs = views.metrics_inputs(uow.frames.connection, start, end)
    return fulfillment_metrics(
        inputs.orders,
        inputs.lines,
        inputs.shipments,
        inputs.carriers,
        start=start,
        end=end,
        as_of=as_of or utc_now(),
        by=by,
    )


def at_risk(
    uow: AbstractUnitOfWork, *, now: dt.datetime | None = None, limit: int | None = None
) -> pl.DataFrame:
    """Work not handed to a carrier, most at risk of dispatching late first.

    Stage times are the medians of the shipments created in the :data:`HISTORY_DAYS`
    days before ``now``.
    """
    when = now or utc_now()
    with uow:
        conn = uow.frames.connection
        work = views.open_work(conn)
        history = views.stage_history(conn, when - dt.timedelta(days=HISTORY_DAYS))
    ranked = orders_at_risk(work, when, stage_times(history))
    return ranked if limit is None else ranked.head(limit)
