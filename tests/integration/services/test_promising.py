"""Delivery promises through the service, on SQLite and PostgreSQL, on the minimal marketplace.

The marketplace (tests/factories.py): SKU-002 (0.3 kg, 600 cm3) has 9 units at WH-NJ
(cut-off 16:00, handling 1.20 a parcel + 0.25 a unit beyond the first), zone 1 from NYC.
UPS-GND (fuel 12 %) prices zone 1 at 5.10 up to 1 kg and 7.40 up to 5 kg, 1 day; COL-ECO
(fuel 5 %) 4.20 up to 2 kg, 2 days; UPS-NDA (fuel 18 %) 18.00 up to 1 kg, 1 day.
28 January 2026 is a Wednesday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.errors import DataError
from shopops.services.promising import PromiseReferenceCache, PromiseRequest, promise_delivery
from shopops.store.unit_of_work import SqlUnitOfWork

WED_0930 = dt.datetime(2026, 1, 28, 9, 30)
D = dt.date


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.commit()
    return engine


def _options(
    engine: sa.Engine, cache: PromiseReferenceCache, *lines: tuple[str, int]
) -> list[tuple[Any, ...]]:
    request = PromiseRequest("NYC", list(lines))
    promise = promise_delivery(request, SqlUnitOfWork(engine), cache=cache, now=WED_0930)
    return promise.options.select("service_id", "delivery_date", "cost_usd").rows()


def _execute(engine: sa.Engine, sql: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(sql))


@pytest.fixture
def statements(db: sa.Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``db`` while the test runs (transaction control left out)."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        if args[2].split()[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            seen.append(args[2])

    sa.event.listen(db, "before_cursor_execute", record)
    yield seen
    sa.event.remove(db, "before_cursor_execute", record)


def test_options_are_priced_from_the_rate_cards_and_the_cutoff(db: sa.Engine) -> None:
    # UPS-GND: 5.10 x 1.12 + 1.20 on Thursday; COL-ECO: 4.20 x 1.05 + 1.20 on Friday;
    # UPS-NDA (18.00 x 1.18 + 1.20) arrives Thursday too, dearer, so it is not offered
    assert _options(db, PromiseReferenceCache(), ("SKU-002", 1)) == [
        ("UPS-GND", D(2026, 1, 29), 6.91),
        ("COL-ECO", D(2026, 1, 30), 5.61),
    ]


def test_each_request_reads_the_stock_of_that_moment(db: sa.Engine) -> None:
    cache = PromiseReferenceCache()
    request = PromiseRequest("NYC", [("SKU-002", 10)])
    short = promise_delivery(request, SqlUnitOfWork(db), cache=cache, now=WED_0930)
    assert short.reason == "not in stock: SKU-002: 10 units wanted, at most 9 in one warehouse"
    _execute(
        db,
        "INSERT INTO inventory_movements VALUES "
        "(13, 'SKU-002', 'WH-NJ', 'adjustment', 1, '2026-01-28 09:00:00', 'cycle_count', NULL)",
    )
    # 3 kg: only UPS-GND's 5 kg band takes it, 7.40 x 1.12 + 1.20 + 9 x 0.25
    assert _options(db, cache, ("SKU-002", 10)) == [("UPS-GND", D(2026, 1, 29), 11.74)]


def test_reference_data_is_read_once_until_refreshed(db: sa.Engine, statements: list[str]) -> None:
    cache = PromiseReferenceCache(max_age=None)
    _options(db, cache, ("SKU-002", 1))
    statements.clear()
    _execute(db, "UPDATE warehouses SET order_cutoff_hour = 9 WHERE warehouse_id = 'WH-NJ'")
    statements.clear()
    assert _options(db, cache, ("SKU-002", 1))[0] == ("UPS-GND", D(2026, 1, 29), 6.91)
    assert len(statements) == 1
    assert "inventory_movements" in statements[0]
    cache.refresh()
    assert _options(db, cache, ("SKU-002", 1)) == [
        ("UPS-GND", D(2026, 1, 30), 6.91),
        ("COL-ECO", D(2026, 2, 2), 5.61),
    ]


def test_stale_reference_data_is_reloaded(db: sa.Engine) -> None:
    cache = PromiseReferenceCache(max_age=dt.timedelta(minutes=5))
    cache.get(SqlUnitOfWork(db), WED_0930 - dt.timedelta(minutes=10))
    _execute(db, "UPDATE warehouses SET order_cutoff_hour = 9 WHERE warehouse_id = 'WH-NJ'")
    assert _options(db, cache, ("SKU-002", 1))[0] == ("UPS-GND", D(2026, 1, 30), 6.91)


def test_a_bad_cart_is_refused_naming_the_line(db: sa.Engine) -> None:
    cache = PromiseReferenceCache()
    with pytest.raises(DataError, match="cart line 2: sku_id 'SKU-999' is not in the catalogue"):
        _options(db, cache, ("SKU-002", 1), ("SKU-999", 1))
    with pytest.raises(DataError, match="cart line 1"):
        _options(db, cache, ("SKU-002", 1.5))  # type: ignore[arg-type]
