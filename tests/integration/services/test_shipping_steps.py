"""Shipments picked, packed, shipped and delivered, on SQLite and PostgreSQL.

Order 2 is first made into parcels (see test_shipping_creation): shipment 3 from WH-LA (line 1,
4 x SKU-003, poly bag POLY-M, no packaging SKU, COL-ECO) and shipment 4 from WH-NJ
(lines 2 and 3, 4 x SKU-001, box BOX-M bought as SKU-004, UPS-GND, tracking numbers
``^1Z[0-9A-Z]{16}$``). SKU-001 at WH-NJ: 69 on hand, 4 reserved.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import sqlalchemy as sa
from shipping_world import (
    NOW,
    events,
    fill,
    in_parallel,
    line_states,
    movements,
    order_status,
    shipment_row,
)

from shopops.domain.shipping import (
    IllegalStepError,
    InvalidShipmentRequestError,
    ShipmentStep,
    Stage,
    Step,
)
from shopops.services import shipping as service
from shopops.store import shipments as store
from shopops.store.stock import available_stock
from shopops.store.unit_of_work import SqlUnitOfWork

LA, NJ = 3, 4
UPS_NUMBER = "1Z999AA10123456784"


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    fill(engine)
    service.create_shipments(2, SqlUnitOfWork(engine), now=NOW, by="wave 7")
    return engine


def _step(
    engine: sa.Engine,
    shipment_id: int,
    step: Step,
    hours: float = 1,
    *,
    tracking: str | None = None,
    note: str | None = None,
) -> service.StepResult:
    command = ShipmentStep(shipment_id, step, tracking_number=tracking, note=note)
    at = NOW + dt.timedelta(hours=hours)
    return service.advance(SqlUnitOfWork(engine), command, now=at, by="packer: José")


def _stock(engine: sa.Engine, sku_id: str, warehouse_id: str) -> tuple[int, int, int]:
    with engine.connect() as conn:
        frame = available_stock(conn, [sku_id])
    row = frame.filter(warehouse_id=warehouse_id).select(
        "on_hand_units", "reserved_units", "available_units"
    )
    return row.row(0) if row.height else (0, 0, 0)


def test_picking_takes_the_units_and_the_carton_off_the_shelf(db: sa.Engine) -> None:
    result = _step(db, NJ, Step.PICK)
    assert (result.changed, result.stage) == (True, Stage.TO_PACK)
    assert movements(db, NJ) == [
        ("SKU-001", "WH-NJ", "pick", -4),
        ("SKU-004", "WH-NJ", "pick", -1),
    ]
    # on hand 69 - 4; the units left the reservation, so available stays 65
    assert _stock(db, "SKU-001", "WH-NJ") == (65, 0, 65)
    assert line_states(db, 2) == [(1, "reserved", LA), (2, "picked", NJ), (3, "picked", NJ)]
    assert shipment_row(db, NJ, "status, picked_at") == ("picking", NOW + dt.timedelta(hours=1))
    assert events(db, NJ)[-1] == ("picking", "picking", "packer: José", None)
    again = _step(db, NJ, Step.PICK, 2)
    assert again.changed is False
    assert len(movements(db, NJ)) == 2


def test_a_parcel_without_a_packaging_sku_posts_only_its_goods(db: sa.Engine) -> None:
    _step(db, LA, Step.PICK)
    assert movements(db, LA) == [("SKU-003", "WH-LA", "pick", -4)]


def test_packing_before_picking_is_refused_naming_the_next_steps(db: sa.Engine) -> None:
    with pytest.raises(
        IllegalStepError, match="is to_pick: it cannot pack; allowed next: pick, cancel"
    ):
        _step(db, NJ, Step.PACK)
    assert events(db, NJ)[-1][1] == "picking"


def test_the_order_follows_its_parcels_to_delivered(db: sa.Engine) -> None:
    for shipment_id in (NJ, LA):
        _step(db, shipment_id, Step.PICK, 1)
        _step(db, shipment_id, Step.PACK, 2)
    _step(db, NJ, Step.SHIP, 8, tracking=UPS_NUMBER)
    assert order_status(db, 2) == "partially_shipped"
    assert line_states(db, 2) == [(1, "picked", LA), (2, "shipped", NJ), (3, "shipped", NJ)]
    shipped = _step(db, LA, Step.SHIP, 8, tracking="COL-778")
    assert shipped.warnings == ()  # Colis Privé has no pattern: any number is valid
    assert order_status(db, 2) == "shipped"
    _step(db, NJ, Step.IN_TRANSIT, 12)
    _step(db, NJ, Step.DELIVER, 80)
    assert order_status(db, 2) == "shipped"
    _step(db, LA, Step.DELIVER, 90)
    assert order_status(db, 2) == "delivered"
    stamps = shipment_row(db, NJ, "picked_at, packed_at, shipped_at, delivered_at, tracking_number")
    hours = [1, 2, 8, 80]
    assert stamps == (*(NOW + dt.timedelta(hours=h) for h in hours), UPS_NUMBER)
    assert [e[:2] for e in events(db, NJ)] == [
        (None, "picking"),
        ("picking", "picking"),
        ("picking", "packed"),
        ("packed", "shipped"),
        ("shipped", "in_transit"),
        ("in_transit", "delivered"),
    ]
    late_feed = _step(db, NJ, Step.IN_TRANSIT, 99)
    assert (late_feed.changed, late_feed.stage) == (False, Stage.DELIVERED)


def test_a_tracking_number_off_the_carrier_pattern_is_kept_with_a_warning(db: sa.Engine) -> None:
    _step(db, NJ, Step.PICK)
    _step(db, NJ, Step.PACK)
    result = _step(db, NJ, Step.SHIP, tracking="12345")
    assert result.changed is True
    assert result.warnings == (
        "tracking number '12345' does not match UPS's pattern ^1Z[0-9A-Z]{16}$",
    )
    assert shipment_row(db, NJ, "tracking_number") == ("12345",)
    assert events(db, NJ)[-1][3] == result.warnings[0]


def test_an_exception_needs_a_note_and_can_be_recovered(db: sa.Engine) -> None:
    for step in (Step.PICK, Step.PACK, Step.SHIP):
        _step(db, NJ, step, tracking=UPS_NUMBER if step is Step.SHIP else None)
    with pytest.raises(InvalidShipmentRequestError, match="note: an exception needs a note"):
        _step(db, NJ, Step.EXCEPTION, 20)
    held = _step(db, NJ, Step.EXCEPTION, 20, note="held at depot")
    assert (held.status.value, events(db, NJ)[-1][3]) == ("exception", "held at depot")
    assert _step(db, NJ, Step.EXCEPTION, 21, note="held at depot").changed is False
    with pytest.raises(IllegalStepError, match="allowed next: in_transit, deliver"):
        _step(db, NJ, Step.CANCEL, 22)
    assert _step(db, NJ, Step.DELIVER, 40).stage is Stage.DELIVERED


def test_cancelling_a_picked_parcel_gives_the_lines_back_their_reservation(db: sa.Engine) -> None:
    _step(db, NJ, Step.PICK)
    result = _step(db, NJ, Step.CANCEL, 2, note="address check")
    assert result.stage is Stage.CANCELLED
    assert line_states(db, 2) == [(1, "reserved", LA), (2, "reserved", None), (3, "reserved", None)]
    assert movements(db, NJ)[2:] == [
        ("SKU-001", "WH-NJ", "adjustment", 4),
        ("SKU-004", "WH-NJ", "adjustment", 1),
    ]
    assert _stock(db, "SKU-001", "WH-NJ") == (69, 4, 65)
    with pytest.raises(IllegalStepError, match="is cancelled: it cannot pick; allowed next: none"):
        _step(db, NJ, Step.PICK, 3)
    (again,) = service.create_shipments(2, SqlUnitOfWork(db), now=NOW, by="wave 8")
    assert (again.shipment_id, again.line_nos) == (5, (2, 3))


def test_two_concurrent_picks_take_the_units_once(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both requests read the shipment as not picked before either changes it.
    barrier = threading.Barrier(2)
    real = store.change_status
    waited = threading.local()

    def waiting(*args: Any, **kwargs: Any) -> Any:
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait(timeout=10)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "change_status", waiting)
    results = in_parallel(lambda: _step(db, NJ, Step.PICK), lambda: _step(db, NJ, Step.PICK))
    assert sorted(r.changed for r in results) == [False, True]
    assert len(movements(db, NJ)) == 2
    assert [e[:2] for e in events(db, NJ)] == [(None, "picking"), ("picking", "picking")]


def test_two_parcels_of_one_order_shipping_at_once_leave_it_shipped(
    db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    for shipment_id in (LA, NJ):
        _step(db, shipment_id, Step.PICK, 1)
        _step(db, shipment_id, Step.PACK, 2)
    if db.dialect.name == "postgresql":
        # Both parcels are shipped, lines included, before either works out the order's
        # status; SQLite lets one writer at a time in, so there the two run one by one.
        barrier = threading.Barrier(2)
        real = store.lock_order

        def waiting(*args: Any, **kwargs: Any) -> Any:
            barrier.wait(timeout=10)
            return real(*args, **kwargs)

        monkeypatch.setattr(store, "lock_order", waiting)
    in_parallel(
        lambda: _step(db, LA, Step.SHIP, 8, tracking="COL-1"),
        lambda: _step(db, NJ, Step.SHIP, 8, tracking=UPS_NUMBER),
    )
    assert order_status(db, 2) == "shipped"
