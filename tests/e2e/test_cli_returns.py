"""The ``shopops returns`` commands as the returns desk runs them, on a SQLite file.

The marketplace is the minimal one (tests/factories.py): order TT-5790001 was delivered on
13 November 2025; RMA-0001 is closed and RMA-0002 (a phone stand, changed mind) requested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from factories import minimal_marketplace
from shopops.cli.returns import returns_app
from shopops.config import Settings
from shopops.store.db import create_engine
from shopops.store.migrate import reset_database
from shopops.store.unit_of_work import SqlUnitOfWork

COMMANDS = ["request", "receive", "inspect", "reject", "list", "report"]


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'shopops.db'}"
    engine = create_engine(url)
    reset_database(engine)
    with SqlUnitOfWork(engine) as uow:
        for name, frame in minimal_marketplace().items():
            uow.frames.write(name, frame)
        uow.commit()
    engine.dispose()
    return url


def _returns(url: str, *args: str) -> tuple[int, str]:
    """Exit code and output, its lines joined (a narrow terminal wraps long sentences)."""
    result = CliRunner().invoke(
        returns_app, list(args), obj=Settings(database_url=url), env={"COLUMNS": "200"}
    )
    return result.exit_code, " ".join(result.output.split())


def _scalar(url: str, sql: str) -> object:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql)).scalar_one()
    engine.dispose()
    return value


@pytest.mark.parametrize("command", COMMANDS)
def test_every_returns_command_has_help(command: str) -> None:
    result = CliRunner().invoke(returns_app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_a_return_from_request_to_refund(url: str) -> None:
    code, out = _returns(
        url,
        "request",
        "TT-5790001",
        "--line",
        "1",
        "--quantity",
        "1",
        "--reason",
        "defective",
        "--date",
        "2025-11-25",
    )
    assert (code, out) == (0, "return RMA-0003 opened for 1 unit of line 1 of order TT-5790001")
    code, out = _returns(url, "receive", "RMA-0003", "--warehouse", "WH-NJ", "--date", "2025-11-27")
    assert (code, out) == (0, "return RMA-0003 received at WH-NJ on 2025-11-27")
    code, out = _returns(url, "inspect", "RMA-0003", "--grade", "a")
    # as new: restock 39.99 - 1.50 = 38.49, less 5.712 postage = 32.78; defective: full refund
    assert code == 0
    assert out == "return RMA-0003 graded A: restock, recovers 32.78 USD; refund 35.99 USD"
    assert (
        _scalar(
            url,
            "SELECT sum(quantity_units) FROM inventory_movements "
            "WHERE reference_type = 'return' AND reference_id = 3",
        )
        == 1
    )
    code, out = _returns(url, "list", "--status", "closed")
    assert code == 0
    listed = [word for word in out.split() if word.startswith("RMA-")]
    assert listed == ["RMA-0003", "RMA-0001"]


def test_a_request_with_an_unknown_reason_is_refused_with_the_choices(url: str) -> None:
    code, out = _returns(
        url, "request", "TT-5790001", "--line", "1", "--quantity", "1", "--reason", "broken"
    )
    assert code == 1
    assert "reason 'broken' is not known; expected one of damaged, defective" in out
    assert _scalar(url, "SELECT count(*) FROM returns") == 2


def test_a_closed_return_cannot_be_rejected(url: str) -> None:
    code, out = _returns(url, "reject", "RMA-0001", "--reason", "too late")
    assert code == 1
    assert "return RMA-0001 is closed: it cannot become rejected" in out
    code, out = _returns(url, "reject", "RMA-0002", "--reason", "not our serial number")
    assert (code, out) == (0, "return RMA-0002 rejected: not our serial number")


def test_the_report_by_supplier(url: str) -> None:
    code, out = _returns(
        url, "report", "--from", "2025-11-01", "--to", "2025-11-30", "--by", "supplier"
    )
    # 2 earbuds and 1 phone stand shipped (both from SUP-SZ), one of each returned
    assert code == 0
    assert "SUP-SZ" in out
    assert "2 units returned of 3 shipped: 66.7%." in out
