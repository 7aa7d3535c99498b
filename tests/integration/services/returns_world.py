"""The minimal marketplace with one more delivered order, for the returns tests.

From tests/factories.py: order TT-5790001 was delivered on 13 November 2025 from WH-NJ by UPS
Ground, zone 1 (line 1: 2 earbuds SKU-001 at 35.99, one returned as RMA-0001, closed;
line 2: 1 phone stand SKU-002 at 12.50, RMA-0002 requested for a changed mind). Added here:
order TT-5790005, delivered on 20 November 2025 from WH-NJ by UPS Ground, zone 1, line 1:
3 lip glosses SKU-003 at 9.90. The return window is 30 days.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.store import returns as store
from shopops.store.unit_of_work import SqlUnitOfWork

T = dt.datetime


def fill(engine: sa.Engine) -> sa.Engine:
    """Write the marketplace and order TT-5790005 into the migrated database."""
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.frames.write("orders", _order())
        uow.frames.write("shipments", _shipment())
        uow.frames.write(
            "order_lines",
            pl.DataFrame(
                {
                    "order_id": [5],
                    "line_no": [1],
                    "sku_id": ["SKU-003"],
                    "quantity_units": [3],
                    "unit_price_usd": [9.9],
                    "status": ["shipped"],
                    "warehouse_id": ["WH-NJ"],
                    "shipment_id": [3],
                    "cancel_reason": [None],
                },
                schema_overrides={"cancel_reason": pl.String},
            ),
        )
        uow.commit()
    return engine


def _order() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "order_id": [5],
            "external_order_id": ["TT-5790005"],
            "channel": ["shop"],
            "ordered_at": [T(2025, 11, 17, 10)],
            "region_id": ["NYC"],
            "customer_id": ["C-005"],
            "status": ["delivered"],
            "promised_dispatch_date": [dt.date(2025, 11, 18)],
            "promised_delivery_date": [dt.date(2025, 11, 21)],
            "event_id": [None],
        },
        schema_overrides={"event_id": pl.String},
    )


def _shipment() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "shipment_id": [3],
            "order_id": [5],
            "warehouse_id": ["WH-NJ"],
            "service_id": ["UPS-GND"],
            "status": ["delivered"],
            "carton_code": [None],
            "weight_kg": [0.2],
            "billable_weight_kg": [0.2],
            "zone": [1],
            "shipping_cost_usd": [5.71],
            "tracking_number": [None],
            "created_at": [T(2025, 11, 17, 11)],
            "picked_at": [T(2025, 11, 18, 9)],
            "packed_at": [T(2025, 11, 18, 9, 30)],
            "shipped_at": [T(2025, 11, 18, 17)],
            "delivered_at": [T(2025, 11, 20, 12)],
        },
        schema_overrides={"carton_code": pl.String, "tracking_number": pl.String},
    )


def rows(engine: sa.Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def first_call_waits(
    monkeypatch: pytest.MonkeyPatch, name: str, barrier: threading.Barrier
) -> None:
    """Make each thread's first call of ``store.<name>`` wait for the other thread's."""
    real: Callable[..., Any] = getattr(store, name)
    waited = threading.local()

    def waiting(*args: Any, **kwargs: Any) -> Any:
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait(timeout=10)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, name, waiting)


def first_calls_meet_if_they_can(
    monkeypatch: pytest.MonkeyPatch, name: str, seconds: float = 1.0
) -> None:
    """Hold each thread's first call of ``store.<name>`` until the other's, for ``seconds``.

    When a lock keeps the other thread out, the first goes on alone after ``seconds``;
    without the lock both calls meet, and the race the lock prevents happens.
    """
    barrier = threading.Barrier(2)
    real: Callable[..., Any] = getattr(store, name)
    waited = threading.local()

    def waiting(*args: Any, **kwargs: Any) -> Any:
        if not getattr(waited, "done", False):
            waited.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, name, waiting)


def in_parallel(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads at once; their results, or the first error raised."""
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except Exception as error:  # re-raised below, in the test's thread
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results
