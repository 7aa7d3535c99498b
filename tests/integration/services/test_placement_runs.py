"""Weekly placement through the service, on SQLite and PostgreSQL, on the minimal marketplace.

Added to tests/factories.py's marketplace: order 10 from NYC on 20 January 2026 for 38 units
of SKU-003 (0.05 kg lip gloss). With order 3's 2 units (cancelled as a stock-out, still
demand) NYC wants 40 in the four weeks before Monday 2 February, LAX 4 (order 2). SKU-003
has 443 units available at WH-LA (447 on hand, 4 reserved) and none at WH-NJ. NYC's cheapest
lane is WH-NJ (zone 1, COL-ECO 4.20 x 1.05 = 4.41 USD); from WH-LA it is zone 8 (UPS-GND
9.80 x 1.12 = 10.976 USD). Moving the 40 units saves 262.64 USD of postage for about
24.6 USD by the unit, 5 USD for the line and 150 USD for the WH-LA -> WH-NJ dispatch (the
default fixed costs), so it pays. Transfer 2 (run 1) is an older proposal still open.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.domain.inventory import TransferStatus
from shopops.planning.placement import great_circle_km
from shopops.services.placement import (
    TransferError,
    approve_transfer,
    cancel_transfer,
    list_transfers,
    propose_placement,
)
from shopops.store.unit_of_work import SqlUnitOfWork

MONDAY = dt.date(2026, 2, 2)
AT = dt.datetime(2026, 2, 2, 6, 0)


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.commit()
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO orders VALUES (10, 'TT-10', 'shop', '2026-01-20 10:00:00', 'NYC', "
                "NULL, 'delivered', '2026-01-22', '2026-01-28', NULL)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO order_lines VALUES "
                "(10, 1, 'SKU-003', 38, 9.9, 'shipped', 'WH-LA', NULL, NULL)"
            )
        )
    return engine


def _rows(engine: sa.Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def _propose(engine: sa.Engine) -> Any:
    return propose_placement(SqlUnitOfWork(engine), as_of=MONDAY, clock=lambda: AT)


def test_stock_moves_towards_the_demand_and_older_proposals_are_cancelled(
    db: sa.Engine,
) -> None:
    report = _propose(db)
    road_km = great_circle_km(np.array([34.06, 40.73]), np.array([-117.65, -74.17]))[0, 1] * 1.2
    per_unit_cost = 0.5 + 0.05 * 0.05 * road_km / 100
    rows = _rows(
        db,
        "SELECT sku_id, from_warehouse_id, to_warehouse_id, quantity_units, status, "
        "proposed_date, transfer_cost_usd, shipping_saved_usd, run_id "
        "FROM stock_transfers WHERE transfer_id > 2",
    )
    assert len(rows) == 1
    sku, source, target, units, status, proposed, cost, saved, run_id = rows[0]
    assert (sku, source, target, units, status) == ("SKU-003", "WH-LA", "WH-NJ", 40, "proposed")
    assert str(proposed) == "2026-02-02"
    assert saved == pytest.approx(40 * (10.976 - 4.41), abs=0.01)
    assert cost == pytest.approx(40 * per_unit_cost + 5.0 + 150.0, abs=0.01)
    assert run_id == report.run_id
    assert report.cancelled_transfer_ids == [2]
    assert _rows(db, "SELECT status FROM stock_transfers WHERE transfer_id = 2") == [("cancelled",)]
    kind, run_status, message = _rows(
        db, "SELECT kind, status, message FROM plan_runs WHERE run_id = :r", r=report.run_id
    )[0]
    assert (kind, run_status) == ("placement", "done")
    assert message.startswith(
        "1 transfers proposed (40 units on 1 lanes): 262.64 USD postage saved for "
        f"{cost:,.2f} USD of transfers, net {saved - cost:,.2f} USD; "
    )
    assert message.endswith("1 earlier proposals cancelled")


def test_approved_transfers_count_as_stock_at_their_destination(db: sa.Engine) -> None:
    first = _propose(db)
    approve_transfer(SqlUnitOfWork(db), first.transfer_ids[0])
    second = _propose(db)
    assert second.transfer_ids == []
    assert second.cancelled_transfer_ids == []
    statuses = _rows(db, "SELECT transfer_id, status FROM stock_transfers ORDER BY transfer_id")
    assert statuses[-1] == (first.transfer_ids[0], "approved")


def test_a_newer_run_cancels_the_proposals_of_the_older_one(db: sa.Engine) -> None:
    first = _propose(db)
    second = _propose(db)
    assert second.cancelled_transfer_ids == first.transfer_ids
    open_ = list_transfers(SqlUnitOfWork(db), status=TransferStatus.PROPOSED)
    assert open_["transfer_id"].to_list() == second.transfer_ids
    assert open_["run_id"].to_list() == [second.run_id]


def test_approve_and_cancel_take_effect_once(db: sa.Engine) -> None:
    transfer_id = _propose(db).transfer_ids[0]
    approved = approve_transfer(SqlUnitOfWork(db), transfer_id)
    again = approve_transfer(SqlUnitOfWork(db), transfer_id)
    assert (approved.status, approved.changed) == (TransferStatus.APPROVED, True)
    assert (again.status, again.changed) == (TransferStatus.APPROVED, False)
    cancelled = cancel_transfer(SqlUnitOfWork(db), transfer_id)
    assert (cancelled.status, cancelled.changed) == (TransferStatus.CANCELLED, True)
    assert not cancel_transfer(SqlUnitOfWork(db), transfer_id).changed
    with pytest.raises(TransferError, match="is cancelled: only a proposed transfer can be"):
        approve_transfer(SqlUnitOfWork(db), transfer_id)
    with pytest.raises(TransferError, match="transfer_id: no transfer 999"):
        cancel_transfer(SqlUnitOfWork(db), 999)


def test_a_transfer_on_the_road_cannot_be_cancelled(db: sa.Engine) -> None:
    with pytest.raises(TransferError, match="is received: only a proposed or approved"):
        cancel_transfer(SqlUnitOfWork(db), 1)
    assert not approve_transfer(SqlUnitOfWork(db), 1).changed


def test_of_two_concurrent_approvals_one_takes_effect(db: sa.Engine) -> None:
    transfer_id = _propose(db).transfer_ids[0]
    barrier = threading.Barrier(2)
    changed: list[bool] = []

    def approve() -> None:
        barrier.wait()
        changed.append(approve_transfer(SqlUnitOfWork(db), transfer_id).changed)

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(changed) == [False, True]
    assert _rows(
        db, "SELECT status FROM stock_transfers WHERE transfer_id = :t", t=transfer_id
    ) == [("approved",)]
