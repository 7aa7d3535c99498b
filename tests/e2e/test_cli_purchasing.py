"""The ``shopops po`` commands as a buyer runs them, on a SQLite file with a small marketplace."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from factories import minimal_marketplace
from shopops.cli import app
from shopops.store.db import create_engine
from shopops.store.unit_of_work import SqlUnitOfWork

COMMANDS = [
    "list",
    "show",
    "approve",
    "send",
    "confirm",
    "cancel",
    "receive",
    "invoice",
    "match",
    "expedite",
]


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'shopops.db'}"
    assert CliRunner().invoke(app, ["--database-url", url, "init"]).exit_code == 0
    engine = create_engine(url)
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.commit()
    engine.dispose()
    return url


def _po(url: str, *args: str) -> tuple[int, str]:
    """Exit code and output, its lines joined (a narrow terminal wraps long sentences)."""
    result = CliRunner().invoke(
        app, ["--database-url", url, "po", *args], env={"COLUMNS": "200"}, catch_exceptions=False
    )
    return result.exit_code, " ".join(result.output.split())


def _scalar(url: str, sql: str) -> object:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql)).scalar_one()
    engine.dispose()
    return value


@pytest.mark.parametrize("command", COMMANDS)
def test_every_po_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, ["po", command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_approve_then_list_shows_the_po_approved(url: str) -> None:
    code, output = _po(url, "approve", "PO-2026-0003", "--user", "zoe", "--note", "for 11.11")
    assert code == 0, output
    assert "proposed -> approved" in output
    code, output = _po(url, "list", "--status", "approved")
    assert code == 0, output
    assert "PO-2026-0003" in output
    assert "PO-2026-0001" not in output  # confirmed, not approved
    assert _scalar(url, "SELECT changed_by FROM purchase_order_events WHERE po_id = 3") == "zoe"


def test_an_illegal_step_fails_with_the_allowed_ones(url: str) -> None:
    code, output = _po(url, "confirm", "PO-2026-0003")
    assert code == 1
    assert "is proposed: it cannot become confirmed; allowed next: approved, cancelled" in output


def test_receiving_twice_books_once(url: str) -> None:
    receipt = ["receive", "PO-2026-0001", "2", "--reference", "GRN-E2E", "--units", "20"]
    receipt += ["--damaged", "2", "--date", "2026-01-27"]
    code, first = _po(url, *receipt)
    assert code == 0, first
    assert "receipt GRN-E2E booked: 18 of 20 units accepted into stock" in first
    code, second = _po(url, *receipt)
    assert code == 0, second
    assert "was booked already" in second
    assert _scalar(url, "SELECT count(*) FROM receipts WHERE receipt_reference = 'GRN-E2E'") == 1
    movements = "SELECT sum(quantity_units) FROM inventory_movements WHERE reference_type = "
    movements += "'receipt' AND reference_id = (SELECT receipt_id FROM receipts "
    movements += "WHERE receipt_reference = 'GRN-E2E')"
    assert _scalar(url, movements) == 18
    code, shown = _po(url, "show", "1")
    assert code == 0, shown
    assert "partially_received" in shown
    assert "GRN-E2E" in shown


def test_an_invoice_from_a_file_is_matched(url: str, tmp_path: Path) -> None:
    lines = tmp_path / "invoice.csv"
    lines.write_text("po_id,line_no,quantity_units,unit_price\n1,2,30,15.5\n")
    _po(
        url,
        "receive",
        "PO-2026-0001",
        "2",
        "--reference",
        "GRN-9",
        "--units",
        "30",
        "--date",
        "2026-01-27",
    )
    code, output = _po(
        url,
        "invoice",
        "--supplier",
        "SUP-SZ",
        "--number",
        "SZ-2026-001",
        "--currency",
        "CNY",
        "--date",
        "2026-01-28",
        "--lines",
        str(lines),
    )
    assert code == 0, output
    assert "invoice SZ-2026-001 of SUP-SZ booked" in output
    code, output = _po(url, "match", "--po", "PO-2026-0001")
    assert code == 0, output
    assert "ask SUP-SZ for a credit note of 30 units x 0.50 CNY" in output


def test_expedite_puts_the_latest_line_first_when_none_holds_up_sales(url: str) -> None:
    code, output = _po(url, "expedite", "--as-of", "2026-02-15", "--top", "2")
    assert code == 0, output
    assert "1. chase SUP-US: PO-2026-0004 line 1: 10 units of SKU-001 for WH-LA, 26 days late" in (
        output
    )
    assert "2. chase SUP-IE: PO-2026-0002 line 1: 53 units of SKU-003 for WH-LA, 21 days" in output
    assert " 3. " not in output
