"""The command line as a user drives it: generate, status, export, import, schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from shopops.cli import app
from shopops.data.docs import render_data_model
from shopops.data.schemas import TABLES

COMMANDS = ["init", "generate", "import", "export", "status", "schema"]
SMALL = ["--skus", "60", "--warehouses", "3", "--days", "60", "--end-date", "2026-11-20"]


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    result = CliRunner().invoke(app, ["--database-url", url, "generate", *SMALL, "--seed", "3"])
    assert result.exit_code == 0, result.output
    return url


def _counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counts = {
            t.name: conn.execute(sa.text(f"SELECT count(*) FROM {t.name}")).scalar_one()
            for t in TABLES
        }
    engine.dispose()
    return counts


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_python_dash_m_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "shopops", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_status_reports_what_is_in_the_database(generated_db: str) -> None:
    counts = _counts(generated_db)
    result = CliRunner().invoke(app, ["--database-url", generated_db, "status"])
    assert result.exit_code == 0, result.output
    assert f"{counts['orders']:,}" in result.output
    assert f"{counts['skus']:,}" in result.output
    assert "Stock" in result.output or "stock" in result.output


def test_generate_refuses_a_filled_database_without_replace(generated_db: str) -> None:
    before = _counts(generated_db)
    result = CliRunner().invoke(app, ["--database-url", generated_db, "generate", *SMALL])
    assert result.exit_code != 0
    assert _counts(generated_db) == before


def test_export_then_import_into_an_empty_database_gives_the_same_tables(
    generated_db: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "export"
    assert runner.invoke(app, ["--database-url", generated_db, "export", str(out)]).exit_code == 0
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    result = runner.invoke(app, ["--database-url", target, "import", str(out)])
    assert result.exit_code == 0, result.output
    assert _counts(target) == _counts(generated_db)
    again = tmp_path / "again"
    assert runner.invoke(app, ["--database-url", target, "export", str(again)]).exit_code == 0
    for spec in TABLES:
        first = pl.read_csv(out / f"{spec.name}.csv", infer_schema=False)
        second = pl.read_csv(again / f"{spec.name}.csv", infer_schema=False)
        assert first.equals(second), spec.name


def test_a_bad_file_is_rejected_with_file_row_and_column_and_nothing_written(
    generated_db: str, tmp_path: Path
) -> None:
    before = _counts(generated_db)
    bad = tmp_path / "carriers.csv"
    bad.write_text("carrier_id,name\nNEWCO,New Carrier\n,Nameless Carrier\n")
    result = CliRunner().invoke(app, ["--database-url", generated_db, "import", str(bad)])
    assert result.exit_code != 0
    assert "carriers.csv" in result.output
    assert "3" in result.output
    assert "carrier_id" in result.output
    assert _counts(generated_db) == before


def test_schema_markdown_is_the_data_model_document() -> None:
    result = CliRunner().invoke(app, ["schema", "--markdown"])
    assert result.exit_code == 0
    assert result.output == render_data_model()


def test_schema_of_an_unknown_table_fails_naming_the_tables() -> None:
    result = CliRunner().invoke(app, ["schema", "sku"])
    assert result.exit_code != 0
    assert "skus" in result.output
