"""Parcels made from reserved order lines, on SQLite and PostgreSQL (see shipping_world).

Worked by hand, Friday 2026-01-16 09:00, packing volume factor 1.2:

- WH-LA, line 1: 4 x 90 cm3 x 1.2 = 432 cm3 -> POLY-M (9,600 cm3), 4 x 0.05 + 0.03 =
  0.23 kg. COL-ECO bills 9600 / 6000 = 1.6 kg: 4.20 x 1.05 = 4.41, arriving Tue 20 (on
  time); UPS-GND 1.92 kg: 7.40 x 1.12 = 8.29, arriving Mon 19. Cheapest on time: COL-ECO.
- WH-NJ, lines 2+3: 4 earbuds, boxed -> BOX-M (30,000 cm3), 4 x 0.15 + 0.22 = 0.82 kg;
  zone 8 is UPS-GND only: 30000 / 5000 = 6 kg, 10 kg band 21.00 x 1.12 = 23.52, 5 days
  -> Fri 23, after the promise: the fastest.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import sqlalchemy as sa
from shipping_world import NOW, events, fill, in_parallel, line_states, rows, shipment_row

from factories import minimal_marketplace
from shopops.domain.shipping import NoServiceError
from shopops.planning.parcels import ALLOCATED, CHEAPEST_ON_TIME, FASTEST
from shopops.services import shipping as service
from shopops.store import shipments as store
from shopops.store.unit_of_work import SqlUnitOfWork


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    return fill(engine)


def _create(engine: sa.Engine, now: dt.datetime = NOW) -> tuple[service.CreatedShipment, ...]:
    return service.create_shipments(2, SqlUnitOfWork(engine), now=now, by="wave 7")


def _count(engine: sa.Engine, table: str) -> int:
    return int(rows(engine, f"SELECT count(*) FROM {table}")[0][0])


def test_an_order_becomes_one_parcel_per_warehouse_priced_by_hand(db: sa.Engine) -> None:
    la, nj = _create(db)
    assert (la.shipment_id, la.warehouse_id, la.line_nos) == (3, "WH-LA", (1,))
    assert (la.carton_code, la.service_id, la.service_choice) == (
        "POLY-M",
        "COL-ECO",
        CHEAPEST_ON_TIME,
    )
    assert (la.weight_kg, la.billable_weight_kg, la.shipping_cost_usd) == (0.23, 1.6, 4.41)
    assert (la.arrival_date, la.on_time) == (dt.date(2026, 1, 20), True)
    assert (nj.shipment_id, nj.warehouse_id, nj.line_nos) == (4, "WH-NJ", (2, 3))
    assert (nj.carton_code, nj.service_id, nj.service_choice) == ("BOX-M", "UPS-GND", FASTEST)
    assert (nj.weight_kg, nj.billable_weight_kg, nj.shipping_cost_usd) == (0.82, 6.0, 23.52)
    assert (nj.arrival_date, nj.on_time) == (dt.date(2026, 1, 23), False)
    stored = shipment_row(db, 4, "status, carton_code, zone, shipping_cost_usd, created_at")
    assert stored == ("picking", "BOX-M", 8, pytest.approx(23.52), NOW)
    assert line_states(db, 2) == [(1, "reserved", 3), (2, "reserved", 4), (3, "reserved", 4)]
    ((before, after, by, note),) = events(db, 4)
    assert (before, after, by) == (None, "picking", "wave 7")
    assert note.startswith("lines 2, 3 in BOX-M; UPS-GND, fastest")


def test_creating_again_skips_lines_already_on_a_shipment(db: sa.Engine) -> None:
    _create(db)
    assert _create(db) == ()
    assert _count(db, "shipments") == 4
    assert _count(db, "shipment_events") == 5 + 2


def test_the_latest_allocation_run_chooses_the_service(db: sa.Engine) -> None:
    with db.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO fulfillment_allocations VALUES "
                "(1, 2, 1, 'WH-LA', 'COL-ECO', '2026-01-16', '2026-01-20', true), "
                "(2, 2, 1, 'WH-LA', 'UPS-GND', '2026-01-16', '2026-01-19', true), "
                "(2, 2, 2, 'WH-LA', 'UPS-NDA', '2026-01-16', '2026-01-19', true)"
            )
        )
    la, nj = _create(db)
    assert (la.service_id, la.service_choice, la.shipping_cost_usd) == ("UPS-GND", ALLOCATED, 8.29)
    # line 2 was allocated at another warehouse than it is reserved at: the rule decides
    assert (nj.service_id, nj.service_choice) == ("UPS-GND", FASTEST)


def test_after_the_cut_off_the_parcel_ships_next_business_day(db: sa.Engine) -> None:
    # 15:00 is past WH-LA's 14:00 cut-off: handed over Saturday, COL-ECO arrives Wed 21 and
    # misses the promise, UPS-GND arrives Tue 20
    la, _ = _create(db, dt.datetime(2026, 1, 16, 15, 0))
    assert (la.service_id, la.arrival_date, la.shipping_cost_usd) == (
        "UPS-GND",
        dt.date(2026, 1, 20),
        8.29,
    )


def test_a_parcel_no_service_carries_is_refused_and_nothing_is_written(engine: sa.Engine) -> None:
    fill(engine, minimal_marketplace())
    with pytest.raises(
        NoServiceError,
        match=r"0\.42 kg parcel \(BOX-M, 30,000 cm3\) from WH-LA to zone 1; "
        r"order 2: .* 0\.82 kg parcel \(BOX-M, 30,000 cm3\) from WH-NJ to zone 8",
    ):
        _create(engine)
    assert _count(engine, "shipments") == 2
    assert [line[2] for line in line_states(engine, 2)] == [None, None, None]


def test_two_concurrent_creations_put_each_line_on_one_parcel(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    barrier = threading.Barrier(2)
    real = store.unshipped_lines
    waited = threading.local()

    def waiting(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait(timeout=10)
        return found

    monkeypatch.setattr(store, "unshipped_lines", waiting)
    results = in_parallel(lambda: _create(db), lambda: _create(db))
    assert sorted(len(r) for r in results) == [0, 2]
    assert _count(db, "shipments") == 4
    assert [line[2] for line in line_states(db, 2)] == [3, 4, 4]
