"""Available stock of chosen SKUs, against the factory rows worked out by hand (see
``tests/factories.py``), and the stock lock that serialises reservations."""

from __future__ import annotations

import threading
import time

import polars as pl
import sqlalchemy as sa

from shopops.store.stock import available_stock, lock_stock
from shopops.store.unit_of_work import SqlUnitOfWork


def test_available_stock_of_chosen_skus(filled_engine: sa.Engine) -> None:
    with SqlUnitOfWork(filled_engine) as uow:
        stock = available_stock(uow.connection, ["SKU-001", "SKU-003", "SKU-404"])

    assert stock.rows() == [
        ("SKU-001", "WH-LA", 100, 0, 100),
        ("SKU-001", "WH-NJ", 69, 4, 65),
        ("SKU-003", "WH-LA", 447, 4, 443),
    ]


def test_no_skus_no_rows(filled_engine: sa.Engine) -> None:
    with SqlUnitOfWork(filled_engine) as uow:
        assert available_stock(uow.connection, []).is_empty()


def test_a_second_transaction_waits_for_the_stock_lock(filled_engine: sa.Engine) -> None:
    """The second locker reads stock only after the first committed its reservation."""
    held = threading.Event()
    seen: list[pl.DataFrame] = []

    def first() -> None:
        with SqlUnitOfWork(filled_engine) as uow:
            lock_stock(uow.connection, [("SKU-002", "WH-NJ")])
            held.set()
            time.sleep(0.5)
            uow.connection.execute(
                sa.text(
                    "UPDATE order_lines SET status = 'reserved', warehouse_id = 'WH-NJ' "
                    "WHERE order_id = 3 AND line_no = 1"
                )
            )
            uow.commit()

    def second() -> None:
        held.wait()
        with SqlUnitOfWork(filled_engine) as uow:
            lock_stock(uow.connection, [("SKU-002", "WH-NJ")])
            seen.append(available_stock(uow.connection, ["SKU-002"]))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen[0].rows() == [("SKU-002", "WH-NJ", 9, 1, 8)]
