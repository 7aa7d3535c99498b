"""Import and export against SQLite and PostgreSQL: round trips, modes, and failures.

A failed import must leave every table exactly as it was, whether validation refuses
the files or the database refuses the rows; so these tests compare full table contents
before and after.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Self

import polars as pl
import pytest
import sqlalchemy as sa

from factories import minimal_marketplace
from shopops.data.files import read_tables, write_csv, write_parquet
from shopops.data.schemas import ALL_TABLES, table
from shopops.errors import ExportRefused, ImportRefused, ValidationFailed
from shopops.services import exporting
from shopops.services.exporting import export_tables
from shopops.services.importing import import_tables
from shopops.store.frames import FrameStore
from shopops.store.unit_of_work import SqlUnitOfWork

MARKET = minimal_marketplace()


def contents(engine: sa.Engine) -> dict[str, pl.DataFrame]:
    """Every row of every table, by primary key."""
    with SqlUnitOfWork(engine) as uow:
        return {spec.name: uow.frames.read(spec.name) for spec in ALL_TABLES}


def assert_same(actual: dict[str, pl.DataFrame], expected: dict[str, pl.DataFrame]) -> None:
    """Same tables with the same rows (compared in one key order: collations differ)."""
    assert list(actual) == list(expected)
    for name, frame in expected.items():
        key = table(name).primary_key
        assert actual[name].sort(key).equals(frame.sort(key)), name


def fill(engine: sa.Engine, frames: dict[str, pl.DataFrame] = MARKET) -> None:
    with SqlUnitOfWork(engine) as uow:
        for name, frame in frames.items():
            uow.frames.write(name, frame)
        uow.commit()


def as_files(directory: Path, frames: dict[str, pl.DataFrame]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        write_csv(directory / f"{name}.csv", table(name), [frame])
    return directory


@pytest.mark.parametrize("file_format", ["csv", "parquet", "xlsx"])
def test_export_import_export_round_trips_every_table(
    engine: sa.Engine, tmp_path: Path, file_format: str
) -> None:
    fill(engine)
    first = tmp_path / ("first.xlsx" if file_format == "xlsx" else "first")
    second = tmp_path / ("second.xlsx" if file_format == "xlsx" else "second")

    exported = export_tables(SqlUnitOfWork(engine), first, file_format=file_format)  # type: ignore[arg-type]
    with SqlUnitOfWork(engine) as uow:
        uow.frames.clear_all()
        uow.commit()
    imported = import_tables(first, SqlUnitOfWork(engine))
    export_tables(SqlUnitOfWork(engine), second, file_format=file_format)  # type: ignore[arg-type]

    assert_same(contents(engine), MARKET)
    assert exported.rows == imported.rows == {n: f.height for n, f in MARKET.items()}
    again, twice = read_tables(first), read_tables(second)
    assert [t.table for t in again.tables] == [t.table for t in twice.tables] == list(MARKET)
    for one, two in zip(again.tables, twice.tables, strict=True):
        assert one.frame.equals(two.frame), one.table
    if file_format == "csv":
        for path in exported.files:
            assert path.read_bytes() == (second / path.name).read_bytes()


def test_the_format_follows_the_destination(engine: sa.Engine, tmp_path: Path) -> None:
    fill(engine)

    book = export_tables(SqlUnitOfWork(engine), tmp_path / "all.xlsx", tables=["skus", "orders"])
    single = export_tables(SqlUnitOfWork(engine), tmp_path / "x" / "skus.parquet", tables=["skus"])
    folder = export_tables(SqlUnitOfWork(engine), tmp_path / "csv", tables=["orders", "skus"])

    assert (book.file_format, book.files) == ("xlsx", (tmp_path / "all.xlsx",))
    assert list(book.rows) == ["skus", "orders"]  # load order, whatever order was asked
    assert pl.read_parquet(single.files[0]).equals(MARKET["skus"])
    assert folder.files == (tmp_path / "csv" / "skus.csv", tmp_path / "csv" / "orders.csv")


def test_an_export_refuses_a_table_too_large_for_a_sheet(
    engine: sa.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(engine)
    monkeypatch.setattr(exporting, "MAX_SHEET_ROWS", 7)

    with pytest.raises(ExportRefused, match="table order_lines has 8 rows"):
        export_tables(SqlUnitOfWork(engine), tmp_path / "book.xlsx")

    assert not (tmp_path / "book.xlsx").exists()


def test_a_bad_file_after_good_ones_leaves_the_database_unchanged(
    engine: sa.Engine, tmp_path: Path
) -> None:
    fill(engine, {n: MARKET[n] for n in ("currencies", "regions", "categories")})
    before = contents(engine)
    lines = MARKET["order_lines"].with_columns(quantity_units=pl.lit(-1, pl.Int64))
    files = as_files(tmp_path / "in", {**MARKET, "order_lines": lines})
    (tmp_path / "in" / "currencies.csv").unlink()
    (tmp_path / "in" / "regions.csv").unlink()
    (tmp_path / "in" / "categories.csv").unlink()

    with pytest.raises(ValidationFailed) as caught:
        import_tables(files, SqlUnitOfWork(engine))

    assert caught.value.total == MARKET["order_lines"].height
    assert all(i.file == "order_lines.csv" for i in caught.value.issues)
    assert_same(contents(engine), before)


class _ChangedUnderneath(SqlUnitOfWork):
    """A unit of work where another change lands just before the import commits."""

    def __init__(self, engine: sa.Engine, sql: str) -> None:
        super().__init__(engine)
        self.sql = sql

    def commit(self) -> None:
        self.connection.execute(sa.text(self.sql))
        super().commit()


def test_a_refusal_at_commit_rolls_the_whole_import_back(engine: sa.Engine, tmp_path: Path) -> None:
    stored = ("currencies", "regions", "categories", "skus")
    fill(engine, {n: MARKET[n] for n in stored})
    before = contents(engine)
    files = as_files(tmp_path / "in", {n: f for n, f in MARKET.items() if n not in stored})
    gone = _ChangedUnderneath(engine, "DELETE FROM skus WHERE sku_id = 'SKU-002'")

    with pytest.raises(ImportRefused, match="while committing; nothing was written"):
        import_tables(files, gone)

    assert_same(contents(engine), before)


class _RacingFrameStore(FrameStore):
    """Writes an order of its own before the import's orders, as a concurrent user might."""

    def write(self, table_name: str, frame: pl.DataFrame) -> int:
        if table_name == "orders":
            taken = MARKET["orders"].slice(0, 1).with_columns(order_id=pl.lit(999, pl.Int64))
            super().write("orders", taken)
        return super().write(table_name, frame)


class _RacingUnitOfWork(SqlUnitOfWork):
    def __enter__(self) -> Self:
        super().__enter__()
        self.frames = _RacingFrameStore(self.connection)
        return self


def test_a_refusal_while_writing_rolls_back_the_tables_written_before(
    engine: sa.Engine, tmp_path: Path
) -> None:
    files = as_files(tmp_path / "in", MARKET)

    with pytest.raises(ImportRefused, match="while writing orders; nothing was written"):
        import_tables(files, _RacingUnitOfWork(engine))

    assert_same(contents(engine), {n: table(n).empty_frame() for n in MARKET})


def test_importing_the_same_files_twice_refuses_every_duplicate(
    engine: sa.Engine, tmp_path: Path
) -> None:
    files = as_files(tmp_path / "in", MARKET)
    import_tables(files, SqlUnitOfWork(engine))
    before = contents(engine)

    with pytest.raises(ValidationFailed) as caught:
        import_tables(files, SqlUnitOfWork(engine), max_errors=5)

    error = caught.value
    assert error.total == sum(frame.height for frame in MARKET.values())
    assert [i.problem for i in error.issues] == ["key already in the database"] * 5
    assert str(error.issues[0]) == (
        "currencies.csv, row 2, column currency_code: key already in the database "
        "(value 'currency_code=USD'); expected a key not yet in the database "
        "(import in upsert mode to update rows)"
    )
    assert str(error).endswith(f"... and {error.total - 5} more")
    assert_same(contents(engine), before)


def test_upsert_updates_existing_rows_and_inserts_new_ones(
    engine: sa.Engine, tmp_path: Path
) -> None:
    fill(engine)
    new_sku = MARKET["skus"].slice(0, 1).with_columns(sku_id=pl.lit("SKU-005"), launch_date=None)
    skus = pl.concat([MARKET["skus"].with_columns(price_usd=pl.col("price_usd") + 1), new_sku])
    files = as_files(tmp_path / "in", {"skus": skus})
    before = contents(engine)

    with pytest.raises(ValidationFailed) as refused:
        import_tables(files, SqlUnitOfWork(engine))
    unchanged = contents(engine)
    report = import_tables(files, SqlUnitOfWork(engine), mode="upsert")

    assert refused.value.total == 4
    assert_same(unchanged, before)
    assert report.rows == {"skus": 5}
    after = contents(engine)
    assert_same({"skus": after["skus"]}, {"skus": skus})
    assert_same(
        {n: f for n, f in after.items() if n != "skus"},
        {n: f for n, f in before.items() if n != "skus"},
    )


def test_progress_is_reported_per_table(engine: sa.Engine, tmp_path: Path) -> None:
    files = as_files(tmp_path / "in", {n: MARKET[n] for n in ("currencies", "regions")})
    seen: list[tuple[str, int, int]] = []

    import_tables(files, SqlUnitOfWork(engine), progress=lambda *args: seen.append(args))

    assert ("writing currencies", 0, 2) in seen
    assert ("writing regions", 1, 2) in seen
    assert seen[-1] == ("writing", 2, 2)


def test_parquet_and_excel_sources_import_too(engine: sa.Engine, tmp_path: Path) -> None:
    fill(engine)
    export_tables(SqlUnitOfWork(engine), tmp_path / "book.xlsx", tables=["orders"])
    for name in ("currencies", "regions"):
        write_parquet(tmp_path / f"{name}.parquet", table(name), [MARKET[name]])
    with SqlUnitOfWork(engine) as uow:
        uow.frames.clear_all()
        uow.commit()

    report = import_tables(
        [tmp_path / "currencies.parquet", tmp_path / "regions.parquet"], SqlUnitOfWork(engine)
    )
    with pytest.raises(ValidationFailed, match="unknown reference to sales_events"):
        import_tables(tmp_path / "book.xlsx", SqlUnitOfWork(engine))

    assert report.rows == {"currencies": 3, "regions": 3}


def read_in_chunks(engine: sa.Engine, name: str, rows: int) -> list[pl.DataFrame]:
    with SqlUnitOfWork(engine) as uow:
        return list(uow.frames.read_chunks(name, chunk_rows=rows))


@pytest.mark.parametrize("name", ["budgets", "rate_cards", "order_lines", "orders"])
def test_chunked_reads_return_every_row_once_in_key_order(engine: sa.Engine, name: str) -> None:
    fill(engine)

    chunks = read_in_chunks(engine, name, 3)

    assert [c.height for c in chunks][:-1] == [3] * (len(chunks) - 1)
    assert pl.concat(chunks).equals(contents(engine)[name])


def test_bulk_upsert_merges_on_the_primary_key(engine: sa.Engine) -> None:
    fill(engine)
    cards = MARKET["rate_cards"].with_columns(rate_usd=pl.col("rate_usd") * 2)
    extra = cards.slice(0, 1).with_columns(max_weight_kg=pl.lit(30.5), rate_usd=pl.lit(99.0))

    with SqlUnitOfWork(engine) as uow:
        written = uow.frames.upsert("rate_cards", pl.concat([cards, extra]))
        uow.commit()

    assert written == 7
    assert_same(
        {"rate_cards": contents(engine)["rate_cards"]}, {"rate_cards": pl.concat([cards, extra])}
    )


def test_datetimes_keep_their_microseconds_through_excel(engine: sa.Engine, tmp_path: Path) -> None:
    fill(engine, {n: MARKET[n] for n in ("currencies", "regions", "categories", "sales_events")})
    moments = [dt.datetime(2026, 11, 11, 0, 0, 0, 1), dt.datetime(2026, 11, 11, 23, 59, 59, 999999)]
    orders = MARKET["orders"].slice(0, 2).with_columns(ordered_at=pl.Series(moments))
    fill(engine, {"orders": orders})

    export_tables(SqlUnitOfWork(engine), tmp_path / "o.xlsx", tables=["orders"])
    with SqlUnitOfWork(engine) as uow:
        uow.connection.execute(sa.text("DELETE FROM orders"))
        uow.commit()
    import_tables(tmp_path / "o.xlsx", SqlUnitOfWork(engine))

    assert contents(engine)["orders"]["ordered_at"].to_list() == moments


def test_export_refuses_what_it_cannot_write(engine: sa.Engine, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()

    with pytest.raises(ExportRefused, match="unknown table colours"):
        export_tables(SqlUnitOfWork(engine), out, tables=["skus", "colours"])
    with pytest.raises(ExportRefused, match=r"one\.csv can hold one table but 2 were asked for"):
        export_tables(SqlUnitOfWork(engine), out / "one.csv", tables=["skus", "orders"])
    with pytest.raises(ValueError, match="mode must be one of insert, upsert"):
        import_tables(out, SqlUnitOfWork(engine), mode="replace")

    assert list(out.iterdir()) == []


@pytest.mark.parametrize("file_format", ["csv", "parquet", "xlsx"])
def test_an_empty_database_exports_headers_that_import_as_nothing(
    engine: sa.Engine, tmp_path: Path, file_format: str
) -> None:
    target = tmp_path / ("empty.xlsx" if file_format == "xlsx" else "empty")

    export_tables(SqlUnitOfWork(engine), target, file_format=file_format)
    report = import_tables(target, SqlUnitOfWork(engine))

    assert report.rows == {spec.name: 0 for spec in ALL_TABLES}
