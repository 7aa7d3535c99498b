"""``orders promise`` and ``transfers`` as a user runs them, on a SQLite file with the minimal
marketplace (tests/factories.py) plus order 10: 38 units of SKU-003 to NYC on 20 January 2026.

The commands are registered on a small app here, as the main app does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from factories import minimal_marketplace
from shopops.cli.placement import transfers_app
from shopops.cli.promise import promise
from shopops.config import Settings
from shopops.store.db import create_engine
from shopops.store.migrate import ensure_database
from shopops.store.unit_of_work import SqlUnitOfWork


def _app() -> typer.Typer:
    app = typer.Typer(no_args_is_help=True)
    orders = typer.Typer(no_args_is_help=True)
    orders.command()(promise)
    app.add_typer(orders, name="orders")
    app.add_typer(transfers_app)
    return app


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'shopops.db'}"
    engine = create_engine(url)
    ensure_database(engine)
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
    engine.dispose()
    return url


def _run(url: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(_app(), list(args), obj=Settings(database_url=url))
    assert result.exit_code == code, result.output
    return result.output


def _status(url: str, transfer_id: int) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        query = sa.text("SELECT status FROM stock_transfers WHERE transfer_id = :t")
        status = str(conn.execute(query, {"t": transfer_id}).scalar_one())
    engine.dispose()
    return status


def test_promise_lists_the_options_fastest_first(url: str) -> None:
    output = _run(
        url, "orders", "promise", "SKU-002=1", "--region", "NYC", "--at", "2026-01-28T09:30"
    )
    ground, economy = output.index("UPS-GND"), output.index("COL-ECO")
    assert ground < economy
    assert "2026-01-29" in output
    assert "6.91" in output
    assert "2026-01-30" in output
    assert "5.61" in output
    assert "UPS-NDA" not in output


def test_promise_says_why_there_is_no_option(url: str) -> None:
    output = _run(
        url, "orders", "promise", "SKU-002=10", "--region", "NYC", "--at", "2026-01-28T09:30"
    )
    assert "No delivery option: not in stock: SKU-002: 10 units wanted, at most 9" in output


def test_promise_refuses_a_bad_line(url: str) -> None:
    output = _run(url, "orders", "promise", "SKU-002=two", "--region", "NYC", code=1)
    assert "cart line 'SKU-002=two'" in output
    unknown = _run(url, "orders", "promise", "SKU-404", "--region", "NYC", code=1)
    assert "sku_id 'SKU-404' is not in the catalogue" in unknown


def test_transfers_are_proposed_listed_approved_and_cancelled(url: str) -> None:
    proposed = _run(url, "transfers", "propose", "--week", "2026-02-04")
    assert "Proposed transfers for the week of 2026-02-02 (1)" in proposed
    assert "40 units of SKU-003 to WH-NJ" in proposed
    assert "1 earlier proposals cancelled" in proposed
    listed = _run(url, "transfers", "list", "--status", "proposed")
    assert "SKU-003" in listed
    assert "WH-LA" in listed
    assert "Transfers (0 shown)" in _run(url, "transfers", "list", "--status", "approved")
    assert "proposed -> approved" in _run(url, "transfers", "approve", "3")
    assert _status(url, 3) == "approved"
    assert "transfer 3 (40 x SKU-003, WH-LA -> WH-NJ) is approved" in _run(
        url, "transfers", "approve", "3"
    )
    assert "approved -> cancelled" in _run(url, "transfers", "cancel", "3")
    refused = _run(url, "transfers", "approve", "3", code=1)
    assert "only a proposed transfer can be approved" in refused
    assert "no transfer 77" in _run(url, "transfers", "cancel", "77", code=1)
