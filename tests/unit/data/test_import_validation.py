"""Validation of input files: every kind of bad input is found, located and explained.

Each test writes files holding the minimal marketplace with one thing wrong and checks
that the issue names the file, the row the user sees, the column, the value and what
was expected. The "database" is a key lookup over frames: no database is involved.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from factories import minimal_marketplace
from shopops.data.files import read_tables, write_workbook
from shopops.data.files.cells import cell_present, cell_value
from shopops.data.schemas import table
from shopops.data.spec import Column, DType
from shopops.data.validation import KeyLookup, no_stored_keys, validate_tables
from shopops.errors import Issue, ValidationFailed

MARKET = minimal_marketplace()


def stored_in(frames: dict[str, pl.DataFrame]) -> KeyLookup:
    """A key lookup over a database holding ``frames``."""

    def lookup(table_name: str, columns: tuple[str, ...]) -> pl.DataFrame:
        if table_name not in frames:
            return no_stored_keys(table_name, columns)
        return frames[table_name].select(columns).unique()

    return lookup


def as_text(name: str) -> pl.DataFrame:
    return MARKET[name].select(pl.all().cast(pl.String))


def edited(name: str, index: int, column: str, text: str | None) -> pl.DataFrame:
    """Table ``name`` as text with the cell at data row ``index`` replaced by ``text``."""
    frame = as_text(name)
    at = pl.int_range(pl.len()) == index
    return frame.with_columns(
        pl.when(at).then(pl.lit(text)).otherwise(pl.col(column)).alias(column)
    )


def write(directory: Path, **frames: pl.DataFrame) -> Path:
    for name, frame in frames.items():
        frame.write_csv(directory / f"{name}.csv")
    return directory


def validate(
    source: Path | list[Path], *, stored: KeyLookup | None = None, **options: object
) -> dict[str, pl.DataFrame]:
    """Read and validate like an import into a database holding every other table."""
    found = read_tables(source)
    names = {raw.table for raw in found.tables}
    others = {name: frame for name, frame in MARKET.items() if name not in names}
    return validate_tables(
        found.tables,
        stored_keys=stored or stored_in(others),
        prior_issues=found.issues,
        **options,  # type: ignore[arg-type]
    )


def failure(source: Path | list[Path], **options: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        validate(source, **options)  # type: ignore[arg-type]
    return caught.value


def only(error: ValidationFailed) -> Issue:
    assert len(error.issues) == 1, str(error)
    return error.issues[0]


BAD_CELLS = [
    ("order_lines", 1, "quantity_units", "12.5", "not a whole number", "a whole number > 0"),
    ("order_lines", 0, "quantity_units", "-3", "below the minimum", "a whole number > 0"),
    ("supplier_offers", 2, "valid_from", "2026-13-01", "not a date", "a date YYYY-MM-DD"),
    ("skus", 1, "price_usd", "12,50", "not a number", "a number > 0"),
    ("orders", 0, "ordered_at", "2025-11-11 25:00:00", "not a date and time", "a date and time"),
    ("categories", 2, "expected_return_rate", "1.5", "above the maximum", "a number >= 0, <= 1"),
    ("orders", 3, "status", "lost", "not an allowed value", "one of open, allocated"),
    ("skus", 0, "name", "é" * 201, "text too long (201 characters)", "at most 200 characters"),
    ("skus", 2, "category_id", "", "missing value", "text at most 64 characters"),
    ("warehouses", 1, "order_cutoff_hour", "24", "above the maximum", "<= 23"),
]


@pytest.mark.parametrize(("name", "index", "column", "text", "problem", "expected"), BAD_CELLS)
def test_a_bad_cell_is_reported_with_file_row_column_value_and_expectation(
    tmp_path: Path, name: str, index: int, column: str, text: str, problem: str, expected: str
) -> None:
    issue = only(failure(write(tmp_path, **{name: edited(name, index, column, text)})))

    assert (issue.file, issue.row, issue.column) == (f"{name}.csv", index + 2, column)
    assert problem in issue.problem
    assert expected in (issue.expected or "")
    shown = None if text == "" else text[:60] + ("…" if len(text) > 60 else "")
    assert issue.value == shown
    assert f"{name}.csv, row {index + 2}, column {column}: {problem}" in str(issue)


def test_missing_required_and_unknown_columns_are_named(tmp_path: Path) -> None:
    skus = as_text("skus").drop("price_usd").with_columns(colour=pl.lit("red"))

    error = failure(write(tmp_path, skus=skus))

    found = {(i.column, i.problem) for i in error.issues}
    assert found == {("colour", "unknown column"), ("price_usd", "required column missing")}
    assert all(i.row is None and i.file == "skus.csv" for i in error.issues)
    assert "skus.csv, column colour: unknown column" in str(error)


def test_optional_columns_may_be_left_out_and_columns_come_in_any_order(tmp_path: Path) -> None:
    skus = as_text("skus").drop("launch_date")
    skus = skus.select(reversed(skus.columns))

    frames = validate(write(tmp_path, skus=skus))

    assert frames["skus"].columns == table("skus").column_names
    assert frames["skus"]["launch_date"].null_count() == 4
    assert frames["skus"].drop("launch_date").equals(MARKET["skus"].drop("launch_date"))


def test_a_key_repeated_within_a_file_names_the_first_row(tmp_path: Path) -> None:
    lines = pl.concat([as_text("order_lines"), as_text("order_lines").slice(2, 1)])

    issue = only(failure(write(tmp_path, order_lines=lines)))

    assert (issue.row, issue.column) == (10, "order_id, line_no")
    assert issue.value == "order_id=2, line_no=1"
    assert issue.problem == "duplicate key: first used in row 4"


def test_a_repeated_unique_key_is_reported(tmp_path: Path) -> None:
    orders = edited("orders", 3, "external_order_id", "TT-5790001")

    issue = only(failure(write(tmp_path, orders=orders)))

    assert (issue.row, issue.column, issue.value) == (
        5,
        "external_order_id",
        "external_order_id=TT-5790001",
    )
    assert issue.problem.startswith("duplicate unique key: first used in row 2")


def test_keys_already_stored_are_refused_in_insert_mode_only(tmp_path: Path) -> None:
    write(tmp_path, currencies=as_text("currencies"))
    everything = stored_in(MARKET)

    error = failure(tmp_path, stored=everything)
    frames = validate(tmp_path, stored=everything, mode="upsert")

    assert [(i.row, i.value) for i in error.issues] == [
        (2, "currency_code=USD"),
        (3, "currency_code=CNY"),
        (4, "currency_code=EUR"),
    ]
    assert error.issues[0].problem == "key already in the database"
    assert "upsert" in (error.issues[0].expected or "")
    assert frames["currencies"].equals(MARKET["currencies"])


def test_a_unique_key_held_by_another_stored_row_is_refused_even_in_upsert_mode(
    tmp_path: Path,
) -> None:
    orders = as_text("orders").slice(0, 1)
    orders = orders.with_columns(order_id=pl.lit("99"), external_order_id=pl.lit("TT-5790002"))
    write(tmp_path, orders=orders)

    for mode in ("insert", "upsert"):
        issue = only(failure(tmp_path, stored=stored_in(MARKET), mode=mode))
        assert (issue.row, issue.column) == (2, "external_order_id")
        assert issue.problem == "unique key already used by another row in the database"


def test_an_upsert_may_keep_its_own_unique_key(tmp_path: Path) -> None:
    orders = edited("orders", 1, "status", "shipped")

    frames = validate(write(tmp_path, orders=orders), stored=stored_in(MARKET), mode="upsert")

    assert frames["orders"]["status"].to_list()[1] == "shipped"


def test_an_unknown_reference_is_reported_unless_the_files_provide_it(tmp_path: Path) -> None:
    lines = edited("order_lines", 2, "sku_id", "SKU-999")
    write(tmp_path, order_lines=lines)

    issue = only(failure(tmp_path))
    new_sku = as_text("skus").slice(0, 1).with_columns(sku_id=pl.lit("SKU-999"))
    frames = validate(write(tmp_path, skus=pl.concat([as_text("skus"), new_sku])))

    assert (issue.file, issue.row, issue.column, issue.value) == (
        "order_lines.csv",
        4,
        "sku_id",
        "sku_id=SKU-999",
    )
    assert issue.problem == "unknown reference to skus"
    assert "skus.sku_id" in (issue.expected or "")
    assert "SKU-999" in frames["order_lines"]["sku_id"].to_list()


def test_composite_references_are_checked_against_database_and_files(tmp_path: Path) -> None:
    receipts = edited("receipts", 1, "line_no", "9")
    write(tmp_path, receipts=receipts)

    issue = only(failure(tmp_path))
    extra_line = as_text("purchase_order_lines").slice(2, 1).with_columns(line_no=pl.lit("9"))
    lines = pl.concat([as_text("purchase_order_lines"), extra_line])
    validate(write(tmp_path, purchase_order_lines=lines))

    assert (issue.row, issue.column, issue.value) == (3, "po_id, line_no", "po_id=2, line_no=9")
    assert issue.problem == "unknown reference to purchase_order_lines"


@pytest.mark.parametrize(
    ("name", "index", "column", "text", "message"),
    [
        ("supplier_offers", 1, "valid_to", "2024-12-31", "valid_to must not be before valid_from"),
        ("receipts", 0, "damaged_units", "300", "must not exceed received_units"),
        ("warehouses", 0, "partner_name", "", "partner_name is required when operator is 3pl"),
    ],
)
def test_a_broken_multi_column_rule_shows_the_values_involved(
    tmp_path: Path, name: str, index: int, column: str, text: str, message: str
) -> None:
    issue = only(failure(write(tmp_path, **{name: edited(name, index, column, text)})))

    assert (issue.file, issue.row) == (f"{name}.csv", index + 2)
    assert column in (issue.column or "")
    assert message in issue.problem
    assert issue.value is not None
    assert f"{column}={text}" in issue.value


def test_price_tiers_out_of_order_are_reported(tmp_path: Path) -> None:
    tiers = edited("offer_price_tiers", 1, "unit_price", "90.0")

    issue = only(failure(write(tmp_path, offer_price_tiers=tiers)))

    assert (issue.row, issue.column) == (3, "min_quantity_units, unit_price")
    assert issue.value == (
        "min_quantity_units=1000, unit_price=90.0; previous: min_quantity_units=1, unit_price=80.0"
    )
    assert "a larger quantity must not have a higher unit price" in issue.problem


def test_rate_card_weight_bands_out_of_order_are_reported(tmp_path: Path) -> None:
    cards = edited("rate_cards", 2, "rate_usd", "5.0")

    issue = only(failure(write(tmp_path, rate_cards=cards)))

    assert (issue.row, issue.column) == (4, "max_weight_kg, rate_usd")
    assert "a heavier band must not cost less" in issue.problem


def test_a_new_tier_is_checked_against_the_stored_tiers_of_its_offer(tmp_path: Path) -> None:
    tier = pl.DataFrame(
        {"offer_id": ["OFF-1"], "min_quantity_units": ["2000"], "unit_price": ["79"]}
    )

    issue = only(failure(write(tmp_path, offer_price_tiers=tier), stored=stored_in(MARKET)))

    assert (issue.file, issue.row) == ("offer_price_tiers.csv", 2)
    assert "previous: min_quantity_units=1000, unit_price=75.0" in (issue.value or "")


def test_unreadable_and_unknown_files_are_reported_with_the_rest(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_bytes(b"\xff\xfe\x00bad\x00\x81")
    (tmp_path / "skus.parquet").write_bytes(b"PAR1 not really parquet")
    (tmp_path / "regions.csv").write_bytes(b"")
    (tmp_path / "book.xlsx").write_text("a,b\n1,2\n")
    (tmp_path / "colours.csv").write_text("colour\nred\n")
    (tmp_path / "notes.txt").write_text("hello")
    write(tmp_path, order_lines=edited("order_lines", 0, "quantity_units", "many"))

    error = failure(tmp_path)

    problems = {issue.file: issue.problem for issue in error.issues}
    assert problems["orders.csv"].startswith("not a readable UTF-8 CSV file")
    assert problems["skus.parquet"].startswith("not a readable Parquet file")
    assert problems["regions.csv"].startswith("empty file")
    assert problems["book.xlsx"].startswith("not a readable Excel .xlsx workbook")
    assert problems["colours.csv"] == "unknown table"
    assert problems["notes.txt"] == "not a file ShopOps reads"
    assert problems["order_lines.csv"] == "not a whole number"
    assert error.total == 7


def test_every_problem_of_every_file_is_listed_at_once_in_load_order(tmp_path: Path) -> None:
    lines = edited("order_lines", 0, "quantity_units", "0")
    lines = lines.with_columns(status=pl.lit("lost"))
    skus = edited("skus", 3, "weight_kg", "heavy")

    error = failure(write(tmp_path, order_lines=lines, skus=skus))

    located = [(i.file, i.row, i.column) for i in error.issues]
    assert located[0] == ("skus.csv", 5, "weight_kg")
    assert located[1:3] == [
        ("order_lines.csv", 2, "quantity_units"),
        ("order_lines.csv", 2, "status"),
    ]
    assert sum(i.problem == "not an allowed value" for i in error.issues) == 8
    assert sum(i.problem == "cancel_reason is only for cancelled lines" for i in error.issues) == 2
    assert error.total == len(error.issues) == 12


def test_the_error_list_stops_at_the_limit_and_counts_the_rest(tmp_path: Path) -> None:
    rows = 150
    regions = pl.DataFrame(
        {
            "region_id": [f"R{i}" for i in range(rows)],
            "name": ["Somewhere"] * rows,
            "country_code": ["US"] * rows,
            "latitude": ["91"] * rows,
            "longitude": ["0"] * rows,
            "population": ["1"] * rows,
        }
    )

    error = failure(write(tmp_path, regions=regions), max_errors=100)

    assert len(error.issues) == 100
    assert error.total == 150
    assert str(error).startswith("import refused, nothing was written: 150 problems found")
    assert str(error).endswith("... and 50 more")


def test_parquet_problems_are_located_by_record(tmp_path: Path) -> None:
    edited("order_lines", 3, "quantity_units", "-1").with_columns(
        pl.col("order_id", "line_no", "quantity_units").cast(pl.Int64)
    ).write_parquet(tmp_path / "order_lines.parquet")

    issue = only(failure(tmp_path))

    assert (issue.file, issue.row, issue.row_word) == ("order_lines.parquet", 4, "record")
    assert "order_lines.parquet, record 4, column quantity_units" in str(issue)


def test_excel_cells_holding_real_dates_and_numbers_are_accepted(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    write_workbook(book, [(table("orders"), [MARKET["orders"]]), (table("skus"), [MARKET["skus"]])])

    frames = validate(book)

    assert frames["orders"].equals(MARKET["orders"])
    assert frames["skus"].equals(MARKET["skus"])


def test_excel_problems_are_located_by_sheet_and_row(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    orders = MARKET["orders"].with_columns(
        pl.when(pl.col("order_id") == 3).then(pl.lit("lost")).otherwise("status").alias("status")
    )
    write_workbook(book, [(table("orders"), [orders])])

    issue = only(failure(book))

    assert (issue.file, issue.row, issue.column) == ("book.xlsx, sheet orders", 4, "status")


def test_an_unknown_sheet_is_named(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    write_workbook(book, [(table("skus"), [MARKET["skus"]])])
    import openpyxl

    workbook = openpyxl.load_workbook(book)
    workbook.create_sheet("Colours").append(["colour"])
    workbook.save(book)

    issue = only(failure(book))

    assert (issue.file, issue.value, issue.problem) == ("book.xlsx", "Colours", "unknown table")


@pytest.mark.parametrize(
    "text",
    ["2026-01-15 20:30:45.123456", "2026-01-15T20:30:45.123456", "2026-01-15T20:30:45.123456Z"],
)
def test_datetimes_are_read_with_a_space_or_a_t(tmp_path: Path, text: str) -> None:
    orders = edited("orders", 1, "ordered_at", text)

    frames = validate(write(tmp_path, orders=orders))

    assert frames["orders"]["ordered_at"][1] == dt.datetime(2026, 1, 15, 20, 30, 45, 123456)


def test_booleans_read_as_true_false_one_or_zero() -> None:
    column = Column("active", DType.BOOLEAN, "A flag.")
    cells = pl.DataFrame({"active": ["true", "FALSE", "1", "0", "yes", ""]})

    read = cells.select(
        cell_value("active", pl.String(), column).alias("value"),
        cell_present("active", pl.String(), column).alias("present"),
    )

    assert read["value"].to_list() == [True, False, True, False, None, None]
    assert read["present"].to_list() == [True, True, True, True, True, False]


def test_a_table_given_twice_is_refused(tmp_path: Path) -> None:
    write(tmp_path, skus=as_text("skus"))
    MARKET["skus"].write_parquet(tmp_path / "skus.parquet")

    issue = only(failure(tmp_path))

    assert issue.file == "skus.parquet"
    assert issue.problem == "table skus given twice (also in skus.csv)"


def test_a_column_named_twice_in_the_header_is_refused(tmp_path: Path) -> None:
    (tmp_path / "carriers.csv").write_text("carrier_id,name,name\nUPS,UPS,Again\n")

    issue = only(failure(tmp_path))

    assert (issue.file, issue.column, issue.problem) == (
        "carriers.csv",
        "name",
        "column appears more than once",
    )


def test_single_files_may_be_given_instead_of_a_directory(tmp_path: Path) -> None:
    write(tmp_path, skus=as_text("skus"), carriers=as_text("carriers"))

    frames = validate([tmp_path / "carriers.csv"])

    assert list(frames) == ["carriers"]


def test_a_csv_saved_by_excel_reads_like_any_other(tmp_path: Path) -> None:
    text = '\ufeffcarrier_id , name\r\nUPS,United Parcel Service\r\nDHL,"DHL, Express"\r\n'
    (tmp_path / "carriers.csv").write_bytes(text.encode("utf-8"))

    frames = validate(tmp_path)

    assert frames["carriers"]["name"].to_list() == ["United Parcel Service", "DHL, Express"]


def test_nothing_to_import_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "skus.parquet").write_bytes(b"nope")

    nothing = only(failure(tmp_path / "empty"))
    unreadable = only(failure(tmp_path / "skus.parquet"))

    assert nothing.problem == "no files to import"
    assert unreadable.problem.startswith("not a readable Parquet file")


def test_csv_rows_are_the_lines_a_text_editor_shows(tmp_path: Path) -> None:
    text = 'carrier_id,name\nUPS,"United\nParcel\nService"\nDHL,DHL\n,Nobody\n'
    (tmp_path / "carriers.csv").write_text(text)

    issue = only(failure(tmp_path))

    assert (issue.row, issue.column, issue.problem) == (6, "carrier_id", "missing value")


def test_a_workbook_typed_by_hand_is_read_with_its_dates_and_numbers(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "sales_events"
    sheet.append(["event_id", "name", "event_type", "start_date", "end_date", "channel"])
    sheet.append(["EV-BF", 2026, "black_friday", dt.date(2026, 11, 27), dt.datetime(2026, 11, 30)])
    sheet.append(["EV-X", "Flash", "flash_sale", "2026-12-01", dt.date(2026, 12, 1), "live_stream"])
    workbook.save(tmp_path / "calendar.xlsx")

    events = validate(tmp_path / "calendar.xlsx")["sales_events"]

    assert events["name"].to_list() == ["2026", "Flash"]
    assert events["start_date"].to_list() == [dt.date(2026, 11, 27), dt.date(2026, 12, 1)]
    assert events["end_date"].to_list() == [dt.date(2026, 11, 30), dt.date(2026, 12, 1)]
    assert events["channel"].to_list() == [None, "live_stream"]
