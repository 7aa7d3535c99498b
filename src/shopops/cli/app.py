"""The ``shopops`` commands for setting up, loading, exporting and inspecting the data."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shopops import bootstrap
from shopops.cli.allocation import allocate
from shopops.cli.console import console, fail, progress_bar
from shopops.cli.orders import orders_app
from shopops.cli.placement import transfers_app
from shopops.cli.planning import forecast, policy
from shopops.cli.procurement import brief, budget, source, suppliers_app
from shopops.cli.promise import promise
from shopops.cli.purchasing import po_app
from shopops.cli.render import print_status, print_table_spec
from shopops.cli.returns import returns_app
from shopops.cli.shipping import ship_app
from shopops.config import Settings
from shopops.data.docs import render_data_model
from shopops.data.schemas import TABLES, table
from shopops.data.synth import MarketplaceConfig
from shopops.errors import ShopOpsError
from shopops.services.exporting import export_tables
from shopops.services.generating import generate_into_database
from shopops.services.importing import import_tables
from shopops.store.migrate import ensure_database
from shopops.store.views import marketplace_status

app = typer.Typer(
    name="shopops",
    help="Procurement and order-fulfillment planning for e-commerce marketplaces.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ImportMode(StrEnum):
    INSERT = "insert"
    UPSERT = "upsert"


class FileFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    XLSX = "xlsx"


@app.callback()
def configure(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            envvar="SHOPOPS_DATABASE_URL",
            help="Database URL (default sqlite:///shopops.db; postgresql://... for PostgreSQL).",
        ),
    ] = None,
) -> None:
    """Procurement and order-fulfillment planning for e-commerce marketplaces."""
    settings = Settings(database_url=database_url) if database_url else Settings()
    ctx.obj = settings


def build_app(ctx: typer.Context) -> bootstrap.App:
    """The wired application, with its database created or upgraded to this version."""
    settings: Settings = ctx.obj
    application = bootstrap.build(settings)
    try:
        ensure_database(application.engine)
    except ShopOpsError as error:
        raise fail(str(error)) from error
    return application


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the database, or upgrade it to this version of ShopOps."""
    application = build_app(ctx)
    console.print(f"Database ready: {application.engine.url.render_as_string()}")


@app.command()
def generate(
    ctx: typer.Context,
    skus: Annotated[int, typer.Option(min=10, help="Number of SKUs.")] = 2000,
    warehouses: Annotated[int, typer.Option(min=2, max=10, help="Number of warehouses.")] = 6,
    days: Annotated[int, typer.Option(min=30, help="Days of order history.")] = 365,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 7,
    end_date: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Last day of history (default: yesterday)."),
    ] = None,
    replace: Annotated[bool, typer.Option(help="Delete the data already in the database.")] = False,
) -> None:
    """Generate a realistic demo marketplace into the database."""
    last_day = end_date.date() if end_date else dt.date.today() - dt.timedelta(days=1)
    config = MarketplaceConfig(
        skus=skus, warehouses=warehouses, days=days, end_date=last_day, seed=seed
    )
    application = build_app(ctx)
    try:
        with progress_bar("Generating") as progress:
            report = generate_into_database(
                config, application.unit_of_work(), replace=replace, progress=progress
            )
    except ShopOpsError as error:
        raise fail(str(error)) from error
    rows = sum(report.rows.values())
    console.print(
        f"Generated {skus:,} SKUs, {warehouses} warehouses, {days} days up to {last_day}: "
        f"{rows:,} rows in {report.seconds:.1f} s."
    )


@app.command("import")
def import_(
    ctx: typer.Context,
    sources: Annotated[
        list[Path],
        typer.Argument(
            exists=True,
            help="Directory of <table>.csv/.parquet files, such "
            "files, or an .xlsx workbook with a sheet per table.",
        ),
    ],
    mode: Annotated[
        ImportMode, typer.Option(help="insert: new rows only; upsert: update rows by key.")
    ] = ImportMode.INSERT,
    max_errors: Annotated[int, typer.Option(min=1, help="Most errors to list.")] = 100,
) -> None:
    """Validate files and load them in one transaction; nothing is written if any row is bad."""
    application = build_app(ctx)
    try:
        with progress_bar("Importing") as progress:
            report = import_tables(
                sources,
                application.unit_of_work(),
                mode=mode.value,
                max_errors=max_errors,
                progress=progress,
            )
    except ShopOpsError as error:
        raise fail(str(error)) from error
    for name, count in report.rows.items():
        console.print(f"  {name}: {count:,} rows")
    console.print(f"Imported {sum(report.rows.values()):,} rows.")


@app.command()
def export(
    ctx: typer.Context,
    destination: Annotated[
        Path, typer.Argument(help="Directory (csv, parquet) or workbook file (.xlsx).")
    ],
    file_format: Annotated[
        FileFormat | None,
        typer.Option("--format", help="csv, parquet or xlsx (default: from the destination)."),
    ] = None,
    tables: Annotated[
        list[str] | None, typer.Option("--table", help="Export only this table (repeatable).")
    ] = None,
) -> None:
    """Export tables as CSV files, Parquet files or one Excel workbook."""
    for name in tables or []:
        try:
            table(name)
        except KeyError as error:
            raise fail(str(error.args[0])) from error
    application = build_app(ctx)
    try:
        with progress_bar("Exporting") as progress:
            report = export_tables(
                application.unit_of_work(),
                destination,
                file_format=file_format.value if file_format else None,
                tables=tables,
                progress=progress,
            )
    except ShopOpsError as error:
        raise fail(str(error)) from error
    console.print(f"Exported {sum(report.rows.values()):,} rows to {destination}.")


@app.command()
def status(ctx: typer.Context) -> None:
    """Summarise the marketplace: counts, date ranges, stock and open POs by warehouse."""
    application = build_app(ctx)
    with application.engine.connect() as conn:
        print_status(marketplace_status(conn))


@app.command()
def schema(
    name: Annotated[str | None, typer.Argument(help="Table to describe (default: all).")] = None,
    markdown: Annotated[bool, typer.Option(help="Print the whole data model as Markdown.")] = False,
) -> None:
    """Describe the tables and columns that files must have."""
    if markdown:
        typer.echo(render_data_model(), nl=False)
        return
    try:
        specs = [table(name)] if name else list(TABLES)
    except KeyError as error:
        raise fail(str(error.args[0])) from error
    for spec in specs:
        print_table_spec(spec)


app.command()(forecast)
app.command()(policy)
app.command()(source)
app.command()(budget)
app.command()(brief)
app.add_typer(suppliers_app, name="suppliers")
app.add_typer(po_app)
orders_app.command()(allocate)
orders_app.command()(promise)
app.add_typer(orders_app)
app.add_typer(ship_app)
app.add_typer(returns_app)
app.add_typer(transfers_app)


def main() -> None:
    """Run the command line."""
    app()
