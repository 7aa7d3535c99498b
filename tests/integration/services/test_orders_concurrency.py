"""Orders placed, reserved and cancelled at the same time, on SQLite and PostgreSQL.

Each worker thread has its own unit of work, so its own connection and transaction, as
two web requests or two import processes would.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.domain.ordering import CancelOrder, OrderLineRequest, PlacedOrder, PlaceOrder
from shopops.domain.orders import CancelReason
from shopops.services import orders as service
from shopops.store import orders as store
from shopops.store.db import create_engine
from shopops.store.stock import available_stock
from shopops.store.unit_of_work import SqlUnitOfWork

NOW = dt.datetime(2026, 1, 28, 9, 30)
WORKERS = 16
STOCK_UNITS = 100
MOST_ORDERS_PER_WORKER = 60


@pytest.fixture
def db(engine: sa.Engine) -> Iterator[sa.Engine]:
    """The minimal marketplace plus SKU-RACE, of which only WH-LA holds exactly 100 units.

    The engine's pool has a connection for every worker.
    """
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.commit()
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO skus VALUES ('SKU-RACE', 'Flash-sale lipstick', 'BEAUTY', 2.0, 9.9, "
                "0.05, 10.0, 3.0, 3.0, 'poly_bag', NULL, 'active')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO inventory_movements VALUES (100, 'SKU-RACE', 'WH-LA', 'receipt', "
                f"{STOCK_UNITS}, '2026-01-27 08:00:00', NULL, NULL)"
            )
        )
    pooled = create_engine(engine.url.render_as_string(hide_password=False), pool_size=WORKERS + 2)
    yield pooled
    pooled.dispose()


def _order(external_id: str, units: int, sku_id: str = "SKU-RACE") -> PlaceOrder:
    return PlaceOrder(
        external_order_id=external_id,
        channel="live_stream",
        ordered_at=NOW,
        region_id="LAX",
        lines=(OrderLineRequest(sku_id, units, 9.9),),
    )


def _in_parallel(*calls: Callable[[], Any]) -> list[Any]:
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except Exception as error:  # reported in the test's thread
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    errors = [r for r in results if isinstance(r, Exception)]
    if errors:
        raise errors[0]
    return results


def _reserved_units(engine: sa.Engine, sku_id: str) -> dict[str | None, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT warehouse_id, sum(quantity_units) FROM order_lines "
                "WHERE sku_id = :s AND status = 'reserved' GROUP BY warehouse_id"
            ),
            {"s": sku_id},
        )
        return {warehouse: int(units) for warehouse, units in rows}


def _available(engine: sa.Engine, sku_id: str, warehouse_id: str) -> int:
    with SqlUnitOfWork(engine) as uow:
        stock = available_stock(uow.frames.connection, [sku_id])
    row = stock.filter(stock["warehouse_id"] == warehouse_id)
    return int(row["available_units"].item())


def _shop(engine: sa.Engine, worker: int) -> list[PlacedOrder]:
    """Order 1 to 3 units again and again; after a short order, single units until one
    is short too (the shelf is then empty, as nothing is ever put back)."""
    rng = random.Random(worker)
    placed: list[PlacedOrder] = []
    units = rng.randint(1, 3)
    for n in range(MOST_ORDERS_PER_WORKER):
        command = _order(f"LIVE-{worker:02d}-{n:03d}", units)
        result = service.place_order(command, SqlUnitOfWork(engine), now=NOW, reserve=True)
        placed.append(result)
        assert result.reservation is not None
        if result.reservation.short_lines:
            if units == 1:
                break
            units = 1
        else:
            units = rng.randint(1, 3)
    return placed


def test_sixteen_shoppers_racing_for_100_units_reserve_exactly_100(db: sa.Engine) -> None:
    """The flash sale: every worker orders with reserve, nobody gets units that are not there."""
    results = _in_parallel(*(lambda w=w: _shop(db, w) for w in range(WORKERS)))

    placed = [order for worker in results for order in worker]
    reserved_by_outcome = sum(p.reservation.reserved_units for p in placed if p.reservation)
    assert reserved_by_outcome == STOCK_UNITS
    assert _reserved_units(db, "SKU-RACE") == {"WH-LA": STOCK_UNITS}
    assert _available(db, "SKU-RACE", "WH-LA") == 0
    assert len({p.order_id for p in placed}) == len(placed)  # every order its own number
    with db.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT count(*) FROM orders WHERE external_order_id LIKE 'LIVE-%'")
        ).scalar_one()
        allocated = conn.execute(
            sa.text("SELECT count(*) FROM orders WHERE status = 'allocated'")
        ).scalar_one()
    assert stored == len(placed)
    assert allocated == 1 + sum(1 for p in placed if p.status.value == "allocated")


def test_two_batch_reservations_at_once_never_take_more_than_there_is(db: sa.Engine) -> None:
    """Two allocation runs reserve 20 stored orders of 3 units each at WH-LA, at once."""
    ids = [
        service.place_order(_order(f"RUN-{n:02d}", 3), SqlUnitOfWork(db), now=NOW).order_id
        for n in range(40)
    ]
    start = threading.Barrier(2)

    def run(order_ids: list[int]) -> pl.DataFrame:
        assignments = pl.DataFrame(
            {"order_id": order_ids, "line_no": [1] * 20, "warehouse_id": ["WH-LA"] * 20}
        )
        start.wait(timeout=10)
        with SqlUnitOfWork(db) as uow:
            result = service.reserve_lines(uow.frames.connection, assignments)
            uow.commit()
        return result

    first, second = _in_parallel(lambda: run(ids[0::2]), lambda: run(ids[1::2]))

    assert int(first["reserved"].sum()) + int(second["reserved"].sum()) == 33
    assert _reserved_units(db, "SKU-RACE") == {"WH-LA": 99}
    assert _available(db, "SKU-RACE", "WH-LA") == 1


def _first_call_waits(
    monkeypatch: pytest.MonkeyPatch, name: str, barrier: threading.Barrier
) -> None:
    """Each thread's first call of ``store.<name>`` waits until the other thread's comes."""
    real: Callable[..., Any] = getattr(store, name)
    waited = threading.local()

    def waiting(*args: Any, **kwargs: Any) -> Any:
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait(timeout=10)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, name, waiting)


@pytest.mark.parametrize("reserve", [False, True])
def test_the_same_order_sent_twice_at_once_is_stored_once(db: sa.Engine, reserve: bool) -> None:
    start = threading.Barrier(2)
    command = _order("TT-TWICE", 30)

    def send() -> PlacedOrder:
        start.wait(timeout=10)
        return service.place_order(command, SqlUnitOfWork(db), now=NOW, reserve=reserve)

    results = _in_parallel(send, send)

    assert sorted(r.created for r in results) == [False, True]
    assert results[0].order_id == results[1].order_id
    with db.connect() as conn:
        count = conn.execute(
            sa.text("SELECT count(*) FROM orders WHERE external_order_id = 'TT-TWICE'")
        ).scalar_one()
        lines = conn.execute(
            sa.text("SELECT count(*) FROM order_lines WHERE order_id = :o"),
            {"o": results[0].order_id},
        ).scalar_one()
    assert (count, lines) == (1, 1)
    assert _reserved_units(db, "SKU-RACE") == ({"WH-LA": 30} if reserve else {})


def test_reserving_stored_orders_at_once_never_takes_more_than_there_is(db: sa.Engine) -> None:
    """Orders stored first, then reserved by sixteen workers at once (an allocation run
    and shop requests together): 40 orders of 3 units want 120 of the 100 units."""
    ids = [
        service.place_order(_order(f"BATCH-{n:02d}", 3), SqlUnitOfWork(db), now=NOW).order_id
        for n in range(40)
    ]
    share = [ids[w::WORKERS] for w in range(WORKERS)]

    def reserve(order_ids: list[int]) -> int:
        return sum(
            service.reserve_order(order_id, SqlUnitOfWork(db)).reserved_units
            for order_id in order_ids
        )

    reserved = _in_parallel(*(lambda mine=mine: reserve(mine) for mine in share))

    assert sum(reserved) == 99  # 33 orders of 3; the last unit covers no order
    assert _reserved_units(db, "SKU-RACE") == {"WH-LA": 99}
    assert _available(db, "SKU-RACE", "WH-LA") == 1


def test_two_cancellations_at_once_release_the_stock_once(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    service.place_order(_order("TT-CANCEL", 40), SqlUnitOfWork(db), now=NOW, reserve=True)
    assert _available(db, "SKU-RACE", "WH-LA") == 60
    _first_call_waits(monkeypatch, "find_order_id", threading.Barrier(2))
    command = CancelOrder("TT-CANCEL", CancelReason.CUSTOMER)

    results = _in_parallel(*[lambda: service.cancel_order(command, SqlUnitOfWork(db))] * 2)

    assert sorted((r.changed, r.released_units) for r in results) == [(False, 0), (True, 40)]
    assert _available(db, "SKU-RACE", "WH-LA") == STOCK_UNITS
    assert _reserved_units(db, "SKU-RACE") == {}
