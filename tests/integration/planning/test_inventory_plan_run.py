"""An inventory plan run over the database: recorded, stored, replayable, and failing cleanly."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from shopops.data.synth import MarketplaceConfig
from shopops.domain.params import PlanParams
from shopops.services import planning as planning_service
from shopops.services.generating import generate_into_database
from shopops.services.planning import run_inventory_plan
from shopops.store.unit_of_work import SqlUnitOfWork

END = dt.date(2025, 10, 31)
AS_OF = END + dt.timedelta(days=1)
CONFIG = MarketplaceConfig(skus=80, warehouses=3, days=240, end_date=END, seed=5)
NOON = dt.datetime(2025, 11, 1, 12, 0)


@pytest.fixture
def filled(engine: sa.Engine) -> sa.Engine:
    generate_into_database(CONFIG, SqlUnitOfWork(engine))
    return engine


def _rows(engine: sa.Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql)).all()]


def test_a_policy_run_stores_its_results_and_the_parameters_it_used(filled: sa.Engine) -> None:
    report = run_inventory_plan(SqlUnitOfWork(filled), as_of=AS_OF, clock=lambda: NOON)
    [(run_id, kind, status, as_of, parameters, message)] = _rows(
        filled, "SELECT run_id, kind, status, as_of, parameters, message FROM plan_runs"
    )
    assert (run_id, kind, status) == (report.run_id, "policy", "done")
    assert str(as_of).startswith(AS_OF.isoformat())
    assert json.loads(str(parameters)) == json.loads(json.dumps(PlanParams().as_record()))
    assert message == report.message
    policies = report.plan.policies
    [(stored,)] = _rows(filled, "SELECT count(*) FROM inventory_policies")
    assert stored == policies.height > 0
    [(series,)] = _rows(filled, "SELECT count(*) FROM forecast_models")
    assert series == report.plan.forecast_models.height
    [(segments,)] = _rows(filled, "SELECT count(*) FROM policy_backtests WHERE segment = 'all'")
    assert segments == 1
    weekly = _rows(filled, "SELECT sum(units) FROM demand_forecasts")[0][0]
    assert weekly == pytest.approx(report.plan.forecast["units_forecast"].sum(), rel=1e-9)


def test_a_forecast_run_stores_no_policies(filled: sa.Engine) -> None:
    report = run_inventory_plan(SqlUnitOfWork(filled), as_of=AS_OF, policies=False)
    assert _rows(filled, "SELECT kind, status FROM plan_runs") == [("forecast", "done")]
    assert _rows(filled, "SELECT count(*) FROM inventory_policies") == [(0,)]
    assert report.plan.forecast_accuracy.height > 0


def test_runs_are_numbered_in_order(filled: sa.Engine) -> None:
    first = run_inventory_plan(SqlUnitOfWork(filled), as_of=AS_OF, policies=False)
    second = run_inventory_plan(SqlUnitOfWork(filled), as_of=AS_OF, policies=False)
    assert (first.run_id, second.run_id) == (1, 2)


def test_a_failing_engine_leaves_a_failed_run_and_no_results(
    filled: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(planning_service, "plan_inventory_run", broken)
    with pytest.raises(RuntimeError, match="solver exploded"):
        run_inventory_plan(SqlUnitOfWork(filled), as_of=AS_OF)
    [(status, message)] = _rows(filled, "SELECT status, message FROM plan_runs")
    assert status == "failed"
    assert "solver exploded" in str(message)
    assert _rows(filled, "SELECT count(*) FROM forecast_models") == [(0,)]
