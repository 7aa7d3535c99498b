"""Writing and reading table files: what is written reads back exactly, in every format."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from factories import minimal_marketplace
from shopops.data.files import excel, read_tables, write_csv, write_parquet, write_workbook
from shopops.data.schemas import table
from shopops.data.validation import validate_tables
from shopops.errors import ExportRefused

MARKET = minimal_marketplace()


def stored_market(name: str, columns: tuple[str, ...]) -> pl.DataFrame:
    return MARKET[name].select(columns).unique()


def read_back(source: Path) -> dict[str, pl.DataFrame]:
    found = read_tables(source)
    assert found.issues == ()
    return validate_tables(found.tables)


def write_all(directory: Path, file_format: str) -> None:
    if file_format == "xlsx":
        write_workbook(directory / "book.xlsx", [(table(n), [f]) for n, f in MARKET.items()])
        return
    writer = write_csv if file_format == "csv" else write_parquet
    for name, frame in MARKET.items():
        writer(directory / f"{name}.{file_format}", table(name), [frame])


@pytest.mark.parametrize("file_format", ["csv", "parquet", "xlsx"])
def test_every_table_reads_back_exactly(tmp_path: Path, file_format: str) -> None:
    write_all(tmp_path, file_format)

    frames = read_back(tmp_path)

    assert list(frames) == list(MARKET)
    for name, frame in MARKET.items():
        assert frames[name].equals(frame), name


def random_movements(count: int) -> pl.DataFrame:
    """Stock movements at random microsecond instants, for exactness checks."""
    rng = random.Random(7)
    start = dt.datetime(1990, 1, 1)
    moments = [start + dt.timedelta(microseconds=rng.randrange(10**15)) for _ in range(count)]
    return table("inventory_movements").conform(
        pl.DataFrame(
            {
                "movement_id": range(1, count + 1),
                "sku_id": ["SKU-001"] * count,
                "warehouse_id": ["WH-NJ"] * count,
                "movement_type": ["adjustment"] * count,
                "quantity_units": [rng.choice([-1, 1]) * rng.randrange(1, 10**6) for _ in moments],
                "moved_at": moments,
                "reference_type": [None] * count,
                "reference_id": [None] * count,
            }
        )
    )


def random_currencies(count: int) -> pl.DataFrame:
    rng = random.Random(11)
    rates = [rng.random() * 10 ** rng.randrange(-6, 6) for _ in range(count)]
    rates[0] = 0.1 + 0.2
    return pl.DataFrame(
        {
            "currency_code": [f"{i:03}" for i in range(count)],
            "name": ["x"] * count,
            "usd_per_unit": rates,
        }
    )


@pytest.mark.parametrize("file_format", ["csv", "parquet", "xlsx"])
def test_floats_and_microseconds_survive_every_format(tmp_path: Path, file_format: str) -> None:
    movements, currencies = random_movements(3000), random_currencies(900)
    if file_format == "xlsx":
        sheets = [(table("currencies"), [currencies]), (table("inventory_movements"), [movements])]
        write_workbook(tmp_path / "book.xlsx", sheets)
    else:
        writer = write_csv if file_format == "csv" else write_parquet
        writer(tmp_path / f"currencies.{file_format}", table("currencies"), [currencies])
        writer(
            tmp_path / f"inventory_movements.{file_format}",
            table("inventory_movements"),
            [movements],
        )

    found = read_tables(tmp_path)
    frames = validate_tables(found.tables, stored_keys=stored_market, mode="upsert")

    assert frames["currencies"].equals(currencies)
    assert frames["inventory_movements"].equals(movements)


def test_excel_dates_are_real_dates(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    write_workbook(book, [(table("orders"), [MARKET["orders"]])])

    sheet = openpyxl.load_workbook(book)["orders"]

    assert [cell.value for cell in sheet[1]] == table("orders").column_names
    ordered_at, dispatch = sheet["D2"], sheet["H2"]
    assert ordered_at.is_date
    assert dispatch.is_date
    assert dispatch.value == dt.datetime(2025, 11, 12)
    assert isinstance(sheet["A2"].value, int)


def test_chunks_write_one_file_with_one_header(tmp_path: Path) -> None:
    orders = MARKET["orders"]
    chunks = [orders.slice(0, 1), orders.slice(1, 2), orders.slice(3, 1)]

    rows = write_csv(tmp_path / "orders.csv", table("orders"), chunks)
    write_parquet(tmp_path / "orders.parquet", table("orders"), iter(chunks))

    assert rows == 4
    lines = (tmp_path / "orders.csv").read_text().splitlines()
    assert [line.startswith("order_id,") for line in lines] == [True, False, False, False, False]
    assert pl.read_parquet(tmp_path / "orders.parquet").equals(orders)


def test_an_empty_table_is_written_as_a_header(tmp_path: Path) -> None:
    write_csv(tmp_path / "carriers.csv", table("carriers"), [])

    assert (tmp_path / "carriers.csv").read_text() == "carrier_id,name,tracking_number_pattern\n"
    assert read_back(tmp_path)["carriers"].is_empty()


def test_csv_keeps_commas_quotes_newlines_and_unicode(tmp_path: Path) -> None:
    carriers = pl.DataFrame(
        {
            "carrier_id": ["A", "B", "C"],
            "name": ['Say "hi", ok', "two\nlines", "快递 ✓"],
            "tracking_number_pattern": ["^A[0-9]{8}$", None, '^C,"x"$'],
        }
    )
    write_csv(tmp_path / "carriers.csv", table("carriers"), [carriers])

    assert read_back(tmp_path)["carriers"].equals(carriers)


def test_a_table_larger_than_a_sheet_is_refused_and_no_file_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel, "MAX_SHEET_ROWS", 5)
    book = tmp_path / "book.xlsx"
    sheets = [(table("skus"), [MARKET["skus"]]), (table("order_lines"), [MARKET["order_lines"]])]

    with pytest.raises(ExportRefused, match="table order_lines has 8 rows") as caught:
        write_workbook(book, sheets)

    assert "CSV or Parquet" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "orders.csv"
    target.write_text("previous")

    def broken() -> list[pl.DataFrame]:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_csv(target, table("orders"), (chunk for chunk in broken()))

    assert target.read_text() == "previous"
    assert list(tmp_path.iterdir()) == [target]
