"""Loading the planning snapshot: demand history as ordered, parameters over defaults."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.data.schemas import ALL_TABLES
from shopops.domain.params import AbcClass, PlanParams, ServiceMeasure, XyzClass
from shopops.store.snapshot import load_snapshot
from shopops.store.unit_of_work import SqlUnitOfWork


def _filled(engine: sa.Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        for spec in ALL_TABLES:
            uow.frames.write(spec.name, minimal_marketplace()[spec.name])
        uow.commit()


def _expected_demand(start: dt.date, end: dt.date) -> Counter[tuple[object, ...]]:
    market = minimal_marketplace()
    orders = {row["order_id"]: row for row in market["orders"].iter_rows(named=True)}
    expected: Counter[tuple[object, ...]] = Counter()
    for line in market["order_lines"].iter_rows(named=True):
        order = orders[line["order_id"]]
        day = order["ordered_at"].date()
        stockout = line["cancel_reason"] == "stockout"
        if not start <= day < end or (line["status"] == "cancelled" and not stockout):
            continue
        key = (
            line["sku_id"],
            order["region_id"],
            line["warehouse_id"],
            day,
            line["status"],
            stockout,
        )
        expected[key] += line["quantity_units"]
    return expected


def test_demand_lines_are_the_units_ordered_less_buyer_cancellations(engine: sa.Engine) -> None:
    _filled(engine)
    as_of = dt.date(2026, 3, 1)
    with SqlUnitOfWork(engine) as uow:
        snapshot = load_snapshot(uow.frames, as_of, history_days=400)
    got = Counter({tuple(row[:-1]): row[-1] for row in snapshot.demand_lines.iter_rows()})
    expected = _expected_demand(as_of - dt.timedelta(days=400), as_of)
    assert expected
    assert got == expected


def test_a_window_before_any_order_is_empty(engine: sa.Engine) -> None:
    _filled(engine)
    with SqlUnitOfWork(engine) as uow:
        snapshot = load_snapshot(uow.frames, dt.date(2020, 1, 1), history_days=30)
    assert snapshot.demand_lines.is_empty()
    assert snapshot.skus.height == minimal_marketplace()["skus"].height


def test_stored_parameters_override_the_defaults_and_the_rest_stay(engine: sa.Engine) -> None:
    _filled(engine)
    with SqlUnitOfWork(engine) as uow:
        params = load_snapshot(uow.frames, dt.date(2026, 3, 1), history_days=30).params
    assert params.holding_cost_rate_per_year == 0.3
    assert params.review_period_days == 7
    assert params.backtest_weeks == PlanParams().backtest_weeks
    targets = {(t.abc_class, t.xyz_class): t for t in params.service_targets}
    assert len(targets) == 9
    assert targets[AbcClass.A, XyzClass.X].target == 0.985
    assert targets[AbcClass.C, XyzClass.Z].measure is ServiceMeasure.CYCLE_SERVICE_LEVEL
    default_by = {(t.abc_class, t.xyz_class): t for t in PlanParams().service_targets}
    assert targets[AbcClass.B, XyzClass.Y] == default_by[AbcClass.B, XyzClass.Y]
