"""The ``shopops orders`` commands as an operator runs them, on a SQLite file with the
minimal marketplace (tests/factories.py): SKU-001 has 65 units available at WH-NJ, 15 km
from NYC; SKU-002 9 units at WH-NJ; SKU-004 is no longer sold."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from factories import minimal_marketplace
from shopops.cli import app
from shopops.cli.orders import orders_app
from shopops.config import Settings
from shopops.store.db import create_engine
from shopops.store.unit_of_work import SqlUnitOfWork

HEADER = (
    "external_order_id,channel,ordered_at,region_id,customer_id,sku_id,quantity_units,"
    "unit_price_usd,event_id,promised_delivery_date"
)
GOOD_ROWS = [
    "TT-7001,live_stream,2026-01-15 20:05:00,NYC,C-1,SKU-001,2,35.0,EV-LIVE,",
    "TT-7001,live_stream,2026-01-15 20:05:00,NYC,C-1,SKU-002,1,12.5,EV-LIVE,",
    "TT-7002,shop,2026-01-16 08:00:00,LAX,,SKU-003,4,9.9,,2026-01-23",
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


def _orders(url: str, *args: str) -> tuple[int, str]:
    """Exit code and output as words: lines joined (a narrow terminal wraps sentences),
    table borders dropped."""
    result = CliRunner().invoke(
        orders_app, list(args), obj=Settings(database_url=url), env={"COLUMNS": "200"}
    )
    return result.exit_code, " ".join(result.output.replace("│", " ").split())


def _counts(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        orders = conn.execute(sa.text("SELECT count(*) FROM orders")).scalar_one()
        lines = conn.execute(sa.text("SELECT count(*) FROM order_lines")).scalar_one()
    engine.dispose()
    return int(orders), int(lines)


def _csv(tmp_path: Path, *rows: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["import", "cancel", "list", "show"])
def test_every_orders_command_has_help(command: str) -> None:
    result = CliRunner().invoke(orders_app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_a_file_with_bad_rows_names_file_row_and_column_and_writes_nothing(
    url: str, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        *GOOD_ROWS,
        "TT-7003,shop,2026-01-16 09:00:00,NYC,,SKU-001,0,39.99,,",
        "TT-7003,shop,2026-01-16 09:00:00,NYC,,SKU-001,1,39.99,,",
    )
    code, output = _orders(url, "import", str(path))

    assert code == 1
    assert "import refused, nothing was written: 2 problems found" in output
    assert (
        "orders.csv, row 5, column quantity_units: below the minimum (value '0'); expected "
        "a whole number > 0" in output
    )
    assert "orders.csv, row 6, columns external_order_id, sku_id: duplicate key" in output
    assert _counts(url) == (4, 8)


def test_problems_of_the_file_and_of_the_database_come_in_one_report(
    url: str, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        *GOOD_ROWS,
        "TT-7003,shop,2026-01-16 09:00:00,NYC,,SKU-001,0,39.99,,",
        "TT-7004,shop,2026-01-16 09:00:00,NYC,,SKU-404,1,5.0,,",
    )
    code, output = _orders(url, "import", str(path))

    assert code == 1
    assert "2 problems found" in output
    assert "orders.csv, row 5, column quantity_units: below the minimum" in output
    assert "orders.csv, row 6, column sku_id: unknown SKU 'SKU-404'" in output
    assert _counts(url) == (4, 8)


def test_rows_of_one_order_must_agree_on_the_order(url: str, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "TT-7006,video,2026-01-16 09:00:00,NYC,,SKU-001,1,39.99,,",
        "TT-7006,shop,2026-01-16 09:00:00,NYC,,SKU-002,1,12.5,,",
    )
    code, output = _orders(url, "import", str(path))
    assert code == 1
    assert (
        "orders.csv, row 3, column channel: differs from row 2 of the same order (video) "
        "(value 'shop'); expected the same value on every row of an order" in output
    )
    assert _counts(url) == (4, 8)


def test_problems_found_against_the_database_are_placed_at_their_row(
    url: str, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        *GOOD_ROWS,
        "TT-7004,shop,2026-01-16 09:00:00,NYC,,SKU-404,1,5.0,,",
        "TT-7004,shop,2026-01-16 09:00:00,NYC,,SKU-004,1,15.0,,",
        "TT-7005,video,2026-01-16 09:00:00,XX,,SKU-001,1,39.99,,",
    )
    code, output = _orders(url, "import", str(path))

    assert code == 1
    assert "3 problems found" in output
    assert "orders.csv, row 5, column sku_id: unknown SKU 'SKU-404'" in output
    assert "orders.csv, row 6, column sku_id: SKU-004 is discontinued, no longer sold" in output
    assert "orders.csv, row 7, column region_id: unknown region 'XX'" in output
    assert _counts(url) == (4, 8)


def test_a_good_file_imports_and_a_second_import_creates_nothing(url: str, tmp_path: Path) -> None:
    path = _csv(tmp_path, *GOOD_ROWS)

    code, output = _orders(url, "import", str(path))
    assert code == 0, output
    assert "orders.csv: 2 orders (3 lines) imported, 0 already imported before" in output
    assert _counts(url) == (6, 11)

    code, output = _orders(url, "import", str(path))
    assert code == 0, output
    assert "0 orders (0 lines) imported, 2 already imported before: nothing new" in output
    assert _counts(url) == (6, 11)


def test_a_parquet_file_imports_with_stock_reserved(url: str, tmp_path: Path) -> None:
    frame = pl.read_csv(_csv(tmp_path, *GOOD_ROWS), try_parse_dates=True)
    path = tmp_path / "orders.parquet"
    frame.write_parquet(path)

    code, output = _orders(url, "import", str(path), "--reserve")

    assert code == 0, output
    assert "2 orders (3 lines) imported" in output
    assert "7 units reserved; 0 lines wait for stock." in output
    code, output = _orders(url, "show", "TT-7001")
    assert code == 0, output
    assert "order TT-7001 (#5) allocated" in output
    assert "3 units reserved for this order." in output


def test_cancel_a_line_then_list_and_show(url: str, tmp_path: Path) -> None:
    _orders(url, "import", str(_csv(tmp_path, *GOOD_ROWS)), "--reserve")

    code, output = _orders(url, "cancel", "TT-7001", "--line", "2", "--reason", "customer")
    assert code == 0, output
    assert (
        "order TT-7001 (#5): line(s) 2 cancelled, 1 reserved units released; order allocated"
        in output
    )

    code, output = _orders(url, "cancel", "TT-5790001", "--reason", "fraud")
    assert code == 1
    assert "line 1 is shipped, line 2 is shipped" in output

    code, output = _orders(url, "list", "--status", "allocated")
    assert code == 0, output
    assert "TT-7001" in output
    assert "TT-7002" in output
    assert "TT-5790003" not in output  # open

    code, output = _orders(url, "show", "TT-7001")
    assert "1 SKU-001 2 35.00 reserved WH-NJ 2" in output
    assert "2 SKU-002 1 12.50 cancelled WH-NJ 0" in output  # the reason may be cut short
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        reason = conn.execute(
            sa.text("SELECT cancel_reason FROM order_lines WHERE order_id = 5 AND line_no = 2")
        ).scalar_one()
    engine.dispose()
    assert reason == "customer"
    code, output = _orders(url, "show", "TT-0")
    assert code == 1
    assert "external_order_id: no order 'TT-0'" in output
