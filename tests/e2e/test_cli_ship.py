"""The ``shopops ship`` commands as a warehouse runs them, on a SQLite file.

The minimal marketplace (tests/factories.py) plus a POLY-M poly bag and a UPS-GND zone 8
band up to 10 kg, so both parcels of order TT-5790002 can be priced. Its promised delivery
date is 2026-01-20. Created on Friday 2026-01-16 09:00, WH-LA's bag goes cheapest on time
by COL-ECO (1.6 kg billable, 4.20 x 1.05 = 4.41); WH-NJ's box by UPS-GND, the only
service to zone 8 (6 kg, 21.00 x 1.12 = 23.52). Created at today's clock, the promise is
long past and the bag takes the fastest service, UPS-GND (1.92 kg, 7.40 x 1.12 = 8.29).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from factories import minimal_marketplace
from shopops.cli.console import console
from shopops.cli.shipping import ship_app
from shopops.config import Settings
from shopops.store.db import create_engine
from shopops.store.migrate import ensure_database
from shopops.store.unit_of_work import SqlUnitOfWork

COMMANDS = ["create", "pick", "pack", "ship", "in-transit", "deliver", "exception", "cancel"]
COMMANDS += ["history", "metrics", "at-risk"]


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as they need: the shared console may have fixed a width on import."""
    monkeypatch.setattr(console, "_width", 240)


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'shopops.db'}"
    engine = create_engine(url)
    ensure_database(engine)
    tables = minimal_marketplace()
    extra = {
        "cartons": ("POLY-M", "poly_bag", 40.0, 30.0, 8.0, 5.0, 0.03, None),
        "rate_cards": ("UPS-GND", 8, 10.0, 21.0),
    }
    for name, row in extra.items():
        tables[name] = pl.concat(
            [tables[name], pl.DataFrame([row], schema=tables[name].schema, orient="row")]
        )
    with SqlUnitOfWork(engine) as uow:
        for name, frame in tables.items():
            uow.frames.write(name, frame)
        uow.commit()
    engine.dispose()
    return url


def _ship(url: str, *args: str) -> tuple[int, str]:
    """Exit code and output (stdout and stderr), lines joined and table rules dropped."""
    result = CliRunner().invoke(
        ship_app,
        list(args),
        obj=Settings(database_url=url),
        env={"COLUMNS": "220", "SHOPOPS_USER": "dock 3"},
    )
    text = "".join(" " if "\u2500" <= c <= "\u257f" else c for c in result.output)
    return result.exit_code, " ".join(text.split())


def _scalar(url: str, sql: str) -> object:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql)).scalar_one()
    engine.dispose()
    return value


@pytest.mark.parametrize("command", COMMANDS)
def test_every_ship_command_has_help(command: str) -> None:
    result = CliRunner().invoke(ship_app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_a_parcel_from_creation_to_delivery(url: str) -> None:
    code, out = _ship(url, "create", "TT-5790002", "--at", "2026-01-16 09:00")
    assert code == 0, out
    assert "Shipments created (2)" in out
    assert "3 2 WH-LA 1 POLY-M COL-ECO cheapest on time 1.600" in out
    assert _scalar(url, "SELECT shipping_cost_usd FROM shipments WHERE shipment_id = 3") == 4.41
    assert _scalar(url, "SELECT shipping_cost_usd FROM shipments WHERE shipment_id = 4") == 23.52
    assert _ship(url, "create", "TT-5790002")[1] == "No reserved lines waiting for a parcel."

    code, out = _ship(url, "pack", "4")
    assert code == 1
    assert "cannot pack; allowed next: pick, cancel" in out
    assert _ship(url, "pick", "4", "--at", "2026-01-16 10:00")[1] == (
        "shipment 4 (order TT-5790002): to_pick -> to_pack"
    )
    assert _ship(url, "pick", "4")[1].endswith("is to_pack: nothing changed")
    _ship(url, "pack", "4", "--at", "2026-01-16 10:30")
    code, out = _ship(url, "ship", "4", "--tracking", "12345", "--at", "2026-01-16 17:00")
    assert code == 0
    assert "warning: tracking number '12345' does not match UPS's pattern" in out
    assert _scalar(url, "SELECT status FROM orders WHERE order_id = 2") == "partially_shipped"
    assert _ship(url, "exception", "4")[0] == 2  # --note is required
    code, _ = _ship(url, "exception", "4", "--note", "held at depot", "--at", "2026-01-17 09:00")
    assert code == 0
    assert _ship(url, "deliver", "4", "--at", "2026-01-22 15:00")[0] == 0
    assert _scalar(
        url, "SELECT changed_by FROM shipment_events ORDER BY event_id DESC LIMIT 1"
    ) == ("dock 3")
    code, out = _ship(url, "history", "4")
    assert code == 0
    assert "held at depot" in out


def test_create_needs_orders_or_all_reserved_and_names_unknown_orders(url: str) -> None:
    assert _ship(url, "create")[0] == 1
    code, out = _ship(url, "create", "TT-404")
    assert (code, out) == (1, "error: order: no order 'TT-404'")
    code, out = _ship(url, "create", "--all-reserved")
    assert code == 0
    assert "Shipments created (2)" in out
    assert "POLY-M UPS-GND fastest (none on time) 1.920 8.290" in out
    code, out = _ship(url, "pick", "3", "--at", "2026-01-16 10:00")
    assert code == 1
    assert "error: at: 2026-01-16 10:00 is before shipment 3 (order TT-5790002)'s last step" in out


def test_metrics_and_the_at_risk_list(url: str) -> None:
    _ship(url, "create", "--all-reserved", "--at", "2026-01-16 09:00")
    _ship(url, "pick", "4", "--at", "2026-01-16 10:00")
    _ship(url, "pack", "4", "--at", "2026-01-16 10:30")
    _ship(url, "ship", "4", "--tracking", "1Z999AA10123456784", "--at", "2026-01-16 17:00")
    code, out = _ship(
        url, "metrics", "--from", "2026-01-16", "--to", "2026-01-16", "--by", "warehouse"
    )
    assert code == 0, out
    # by today every parcel of order 2 at WH-LA is overdue; WH-NJ's left in time, tracked
    assert "WH-LA 1 1 1.000" in out
    assert "WH-NJ 1 0 0.000 0 0 1 1 1.000" in out
    code, out = _ship(url, "at-risk", "--limit", "2")
    assert code == 0, out
    assert out.count("TT-5790002") == 2
    assert "dispatch deadline 2026-01-16 14:00 passed" in out
    code, out = _ship(url, "metrics", "--from", "2026-01-17", "--to", "2026-01-16")
    assert (code, out) == (1, "error: to: 2026-01-16 is before from: 2026-01-17")
