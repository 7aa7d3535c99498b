"""The planning commands as a user runs them: forecast, policy, and the calculator."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from shopops.cli import app

SMALL = ["--skus", "60", "--warehouses", "3", "--days", "200", "--end-date", "2026-10-31"]


@pytest.fixture(scope="module")
def planned_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('plan') / 'demo.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--database-url", url, "generate", *SMALL]).exit_code == 0
    return url


def test_policy_prints_accuracy_policies_and_back_test_and_records_the_run(
    planned_db: str,
) -> None:
    result = CliRunner().invoke(
        app, ["--database-url", planned_db, "policy", "--as-of", "2026-11-01"]
    )
    assert result.exit_code == 0, result.output
    for heading in ("Forecast accuracy", "Inventory policies by ABC class", "Policy back-test"):
        assert heading in result.output
    engine = sa.create_engine(planned_db)
    with engine.connect() as conn:
        runs = conn.execute(sa.text("SELECT run_id, kind, status FROM plan_runs")).all()
        policies = conn.execute(sa.text("SELECT count(*) FROM inventory_policies")).scalar_one()
    engine.dispose()
    assert [tuple(r) for r in runs][-1][1:] == ("policy", "done")
    assert policies > 0
    assert f"Plan run {runs[-1][0]}" in result.output


def test_forecast_prints_its_accuracy(planned_db: str) -> None:
    result = CliRunner().invoke(
        app, ["--database-url", planned_db, "forecast", "--as-of", "2026-11-01"]
    )
    assert result.exit_code == 0, result.output
    assert "Forecast accuracy" in result.output
    assert "intermittent" in result.output


def test_the_calculator_writes_a_policy_per_item(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    items.write_text(
        "item_id,demand_mean_units_per_day,demand_sd_units_per_day,lead_time_mean_days,"
        "service_measure,service_target,unit_cost_usd,fixed_order_cost_usd\n"
        "A,10,3,4,cycle_service_level,0.95,12,30\nB,0.5,0.7,20,fill_rate,0.9,4,15\n"
    )
    out = tmp_path / "policy.csv"
    result = CliRunner().invoke(app, ["policy", "--input", str(items), "--output", str(out)])
    assert result.exit_code == 0, result.output
    policies = pl.read_csv(out)
    assert policies["item_id"].to_list() == ["A", "B"]
    assert policies["reorder_point_units"][0] == pytest.approx(49.869, abs=1e-3)


def test_the_calculator_names_every_bad_cell_and_writes_nothing(tmp_path: Path) -> None:
    items = tmp_path / "items.csv"
    items.write_text(
        "item_id,demand_mean_units_per_day,demand_sd_units_per_day,lead_time_mean_days,"
        "service_measure,service_target,unit_cost_usd,fixed_order_cost_usd\n"
        "A,-1,3,4,cycle_service_level,0.95,12,30\nB,0.5,0.7,20,percent,0.9,4,15\n"
    )
    out = tmp_path / "policy.csv"
    result = CliRunner().invoke(app, ["policy", "--input", str(items), "--output", str(out)])
    assert result.exit_code != 0
    assert "items.csv, row 2, column demand_mean_units_per_day" in result.output
    assert "items.csv, row 3, column service_measure" in result.output
    assert not out.exists()
