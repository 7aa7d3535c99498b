"""Fulfillment metrics and the at-risk list read from the database (SQLite and PostgreSQL).

Order 2 is made into parcels on Friday 2026-01-16 09:00 (see shipping_world): shipment 3
from WH-LA, shipment 4 from WH-NJ; the marketplace's shipment 2 (order 2, WH-LA, created
the evening before) waits to be picked too. Order 2 is due for dispatch on the 16th.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from shipping_world import NOW, fill

from shopops.analytics.fulfillment_metrics import GroupBy
from shopops.domain.shipping import ShipmentStep, Step
from shopops.services import fulfillment_reports as reports
from shopops.services import shipping as service
from shopops.store.unit_of_work import SqlUnitOfWork

H = dt.timedelta(hours=1)


@pytest.fixture
def db(engine: sa.Engine) -> sa.Engine:
    fill(engine)
    service.create_shipments(2, SqlUnitOfWork(engine), now=NOW, by="wave 7")
    return engine


def _step(engine: sa.Engine, step: Step, at: dt.datetime, tracking: str | None = None) -> None:
    command = ShipmentStep(4, step, tracking_number=tracking)
    service.advance(SqlUnitOfWork(engine), command, now=at, by="WH-NJ")


def test_the_at_risk_list_uses_the_step_times_seen_so_far(db: sa.Engine) -> None:
    _step(db, Step.PICK, NOW + H)
    ranked = reports.at_risk(SqlUnitOfWork(db), now=NOW + 2 * H)
    # The only finished step in four weeks: shipment 4's pick, 1 h; no pack yet (0 h).
    # WH-LA takes the network's 1 h pick: 14:00 cut-off - 11:00 - 1 h = 2 h of slack.
    # Shipment 4 is picked; WH-NJ's cut-off is 16:00: 5 h left, nothing known to do.
    assert ranked.select("rank", "shipment_id", "warehouse_id", "stage", "slack_hours").rows() == [
        (1, 2, "WH-LA", "to_pick", 2.0),
        (2, 3, "WH-LA", "to_pick", 2.0),
        (3, 4, "WH-NJ", "to_pack", 5.0),
    ]
    assert ranked["external_order_id"].unique().to_list() == ["TT-5790002"]
    assert reports.at_risk(SqlUnitOfWork(db), now=NOW + 2 * H, limit=1).height == 1


def test_metrics_count_the_first_pickup_and_the_tracking_number(db: sa.Engine) -> None:
    _step(db, Step.PICK, NOW + H)
    _step(db, Step.PACK, NOW + 2 * H)
    _step(db, Step.SHIP, NOW + 8 * H, tracking="1Z999AA10123456784")
    day = dt.date(2026, 1, 16)

    def figures(by: GroupBy, as_of: dt.datetime) -> list[tuple[object, ...]]:
        frame = reports.metrics(SqlUnitOfWork(db), start=day, end=day, by=by, as_of=as_of)
        return frame.rows()

    # Friday 17:00: order 2's first pickup was in time; WH-LA's day is not over yet
    evening = NOW + 8 * H
    assert figures(None, evening) == [("all", 1, 0, 0.0, 0, 0, None, 1, 1, 1.0)]
    assert figures("warehouse", evening) == [("WH-NJ", 1, 0, 0.0, 0, 0, None, 1, 1, 1.0)]
    # Saturday noon: WH-LA never handed its parcels over in time
    saturday = dt.datetime(2026, 1, 17, 12)
    assert figures("warehouse", saturday) == [
        ("WH-LA", 1, 1, 1.0, 0, 0, None, 0, 0, None),
        ("WH-NJ", 1, 0, 0.0, 0, 0, None, 1, 1, 1.0),
    ]
    # by carrier: shipment 3 (COL-ECO) never left; UPS's first pickup for order 2 was
    # shipment 4's, in time, though shipment 2 (UPS-GND at WH-LA) never left either
    assert figures("carrier", saturday) == [
        ("COL", 1, 1, 1.0, 0, 0, None, 0, 0, None),
        ("UPS", 1, 0, 0.0, 0, 0, None, 1, 1, 1.0),
    ]


def test_reserved_lines_without_a_parcel_are_at_risk_too(engine: sa.Engine) -> None:
    fill(engine)
    ranked = reports.at_risk(SqlUnitOfWork(engine), now=NOW)
    # no step history in four weeks: nothing known to do, slack = hours to the cut-off
    assert ranked.select("shipment_id", "warehouse_id", "stage", "slack_hours").rows() == [
        (2, "WH-LA", "to_pick", 5.0),
        (None, "WH-LA", "to_pick", 5.0),
        (None, "WH-NJ", "to_pick", 7.0),
    ]
