"""A sourcing run over the database: requirements, awards and proposed POs stored together."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import sqlalchemy as sa

from shopops.data.synth import MarketplaceConfig
from shopops.errors import ShopOpsError
from shopops.services.generating import generate_into_database
from shopops.services.planning import run_inventory_plan
from shopops.services.sourcing import run_sourcing
from shopops.store.unit_of_work import SqlUnitOfWork

END = dt.date(2025, 10, 31)
AS_OF = END + dt.timedelta(days=1)
CONFIG = MarketplaceConfig(skus=60, warehouses=2, days=200, end_date=END, seed=11)
NOON = dt.datetime(2025, 11, 1, 12, 0)


@pytest.fixture
def planned(engine: sa.Engine) -> sa.Engine:
    generate_into_database(CONFIG, SqlUnitOfWork(engine))
    run_inventory_plan(SqlUnitOfWork(engine), as_of=AS_OF, clock=lambda: NOON)
    return engine


def _frame(engine: sa.Engine, sql: str) -> pl.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(sa.text(sql))
        return pl.DataFrame(
            [tuple(r) for r in result.all()], schema=list(result.keys()), orient="row"
        )


def test_sourcing_needs_policies_first(engine: sa.Engine) -> None:
    generate_into_database(CONFIG, SqlUnitOfWork(engine))
    with pytest.raises(ShopOpsError, match="shopops policy"):
        run_sourcing(SqlUnitOfWork(engine), as_of=AS_OF)


def test_a_sourcing_run_stores_requirements_awards_and_proposed_orders(planned: sa.Engine) -> None:
    report = run_sourcing(SqlUnitOfWork(planned), as_of=AS_OF, clock=lambda: NOON)
    runs = _frame(planned, "SELECT run_id, kind, status FROM plan_runs ORDER BY run_id")
    assert runs.row(-1) == (report.run_id, "sourcing", "done")
    requirements = _frame(planned, "SELECT * FROM net_requirements")
    assert requirements.height == report.plan.requirements.height > 0
    # every unit is either awarded or reported short, never dropped
    assert (
        requirements["awarded_units"] + requirements["shortfall_units"]
        >= requirements["quantity_units"]
    ).all()
    awards = _frame(planned, "SELECT * FROM sourcing_awards")
    proposed = _frame(
        planned,
        "SELECT l.po_id, l.line_no, l.sku_id, l.quantity_units, l.unit_price, o.supplier_id, "
        "o.warehouse_id, o.status, o.created_by FROM purchase_order_lines l "
        "JOIN purchase_orders o ON o.po_id = l.po_id WHERE o.status = 'proposed'",
    )
    released = awards.filter(pl.col("po_id").is_not_null())
    assert proposed.height == released.height > 0
    assert set(proposed["created_by"]) == {f"sourcing run {report.run_id}"}
    assert proposed["quantity_units"].sum() == released["quantity_units"].sum()
    # one PO per supplier and warehouse
    assert (
        proposed.select("po_id").n_unique()
        == proposed.select("supplier_id", "warehouse_id").n_unique()
    )
    events = _frame(
        planned,
        "SELECT po_id, from_status, to_status FROM purchase_order_events "
        "WHERE to_status = 'proposed' AND from_status IS NULL",
    )
    assert set(proposed["po_id"]) <= set(events["po_id"])


def test_each_line_is_priced_at_the_tier_its_quantity_reaches(planned: sa.Engine) -> None:
    run_sourcing(SqlUnitOfWork(planned), as_of=AS_OF, clock=lambda: NOON)
    lines = _frame(
        planned,
        "SELECT a.offer_id, a.quantity_units, l.unit_price FROM sourcing_awards a "
        "JOIN purchase_order_lines l ON l.po_id = a.po_id AND l.sku_id = a.sku_id",
    )
    tiers = _frame(
        planned, "SELECT offer_id, min_quantity_units, unit_price FROM offer_price_tiers"
    )
    for offer_id, quantity, price in lines.iter_rows():
        reached = tiers.filter(
            (pl.col("offer_id") == offer_id) & (pl.col("min_quantity_units") <= quantity)
        ).sort("min_quantity_units")
        assert reached.height > 0, "a line below the offer's first tier"
        assert price == pytest.approx(reached["unit_price"][-1])


def test_no_award_goes_to_a_blocked_supplier(planned: sa.Engine) -> None:
    run_sourcing(SqlUnitOfWork(planned), as_of=AS_OF, clock=lambda: NOON)
    blocked = _frame(
        planned,
        "SELECT a.supplier_id FROM sourcing_awards a JOIN suppliers s "
        "ON s.supplier_id = a.supplier_id WHERE s.status = 'blocked'",
    )
    assert blocked.height == 0
    excluded = _frame(
        planned,
        "SELECT x.reason FROM award_alternatives x JOIN suppliers s "
        "ON s.supplier_id = x.supplier_id WHERE s.status = 'blocked'",
    )
    assert excluded.height == 0 or all("blocked" in r for r in excluded["reason"])


def test_a_second_run_supersedes_the_first_runs_unapproved_proposals(planned: sa.Engine) -> None:
    first = run_sourcing(SqlUnitOfWork(planned), as_of=AS_OF, clock=lambda: NOON)
    second = run_sourcing(SqlUnitOfWork(planned), as_of=AS_OF, clock=lambda: NOON)
    old = _frame(
        planned,
        "SELECT po_id, status FROM purchase_orders "
        f"WHERE created_by = 'sourcing run {first.run_id}'",
    )
    assert old.height > 0
    assert set(old["status"]) == {"cancelled"}
    assert sorted(second.superseded_po_ids) == sorted(old["po_id"])
    notes = _frame(
        planned,
        "SELECT note FROM purchase_order_events WHERE to_status = 'cancelled' "
        f"AND changed_by = 'sourcing run {second.run_id}'",
    )
    assert notes.height == old.height
    assert set(notes["note"]) == {f"superseded by sourcing run {second.run_id}"}
