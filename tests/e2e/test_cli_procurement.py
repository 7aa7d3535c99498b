"""The buyer's commands as a user runs them: source, suppliers, budget, brief."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from shopops.cli import app

SMALL = ["--skus", "60", "--warehouses", "2", "--days", "200", "--end-date", "2026-10-31"]
AS_OF = ["--as-of", "2026-11-01"]


def _run(url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--database-url", url, *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def sourced_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('source') / 'demo.db'}"
    _run(url, "generate", *SMALL)
    _run(url, "policy", *AS_OF)
    return url


def _scalar(url: str, sql: str) -> object:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql)).scalar_one()
    engine.dispose()
    return value


def test_source_proposes_purchase_orders_and_says_what_they_cost(sourced_db: str) -> None:
    output = _run(sourced_db, "source", *AS_OF)
    run_id = _scalar(sourced_db, "SELECT max(run_id) FROM plan_runs WHERE kind = 'sourcing'")
    proposed = _scalar(
        sourced_db,
        f"SELECT count(*) FROM purchase_orders WHERE created_by = 'sourcing run {run_id}'",
    )
    assert f"Sourcing run {run_id}" in output
    assert f"{proposed:,} proposed POs" in output
    assert "Why these suppliers" in output


def test_a_proposal_can_be_approved_with_the_po_commands(sourced_db: str) -> None:
    _run(sourced_db, "source", *AS_OF)
    po_number = _scalar(
        sourced_db,
        "SELECT min(po_number) FROM purchase_orders WHERE status = 'proposed' "
        "AND created_by LIKE 'sourcing run %'",
    )
    _run(sourced_db, "po", "approve", str(po_number), "--user", "buyer")
    status = _scalar(
        sourced_db, f"SELECT status FROM purchase_orders WHERE po_number = '{po_number}'"
    )
    assert status == "approved"


def test_supplier_scorecard_lists_standings(sourced_db: str) -> None:
    output = _run(sourced_db, "suppliers", "scorecard", *AS_OF)
    assert "Supplier scorecard" in output
    assert any(word in output for word in ("good", "warn", "block"))
    carriers = _run(sourced_db, "suppliers", "scorecard", "--kind", "carrier", *AS_OF)
    assert "Carrier scorecard" in carriers


def test_budget_shows_every_budget_row(sourced_db: str) -> None:
    output = _run(sourced_db, "budget")
    rows = _scalar(sourced_db, "SELECT count(*) FROM budgets")
    assert f"of {rows:,} budgets over" in output


def test_brief_writes_a_self_contained_page(sourced_db: str, tmp_path: Path) -> None:
    supplier = _scalar(
        sourced_db,
        "SELECT supplier_id FROM purchase_orders GROUP BY supplier_id "
        "ORDER BY count(*) DESC LIMIT 1",
    )
    out = tmp_path / "brief.html"
    _run(sourced_db, "brief", str(supplier), "--out", str(out), *AS_OF)
    page = out.read_text(encoding="utf-8")
    assert str(supplier) in page
    assert "<script src=" not in page
    assert "Plotly" in page


def test_brief_of_an_unknown_supplier_fails_clearly(sourced_db: str) -> None:
    result = CliRunner().invoke(app, ["--database-url", sourced_db, "brief", "NOPE"])
    assert result.exit_code == 1
    assert "no supplier 'NOPE'" in result.output
