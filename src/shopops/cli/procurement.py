"""The buyer's commands: ``shopops source``, ``suppliers``, ``budget`` and ``brief``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from shopops.cli.console import console, fail, progress_bar
from shopops.cli.render import print_frame
from shopops.domain.supply import ScorecardKind
from shopops.errors import ShopOpsError
from shopops.services import procurement_reports
from shopops.services.sourcing import SourcingReport, run_sourcing

AsOf = Annotated[
    dt.datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Planning day (default: today)."),
]
Period = Annotated[str, typer.Option(help="Scorecard period: week, month or quarter.")]
SHOWN_ROWS = 15

suppliers_app = typer.Typer(help="Supplier, warehouse and carrier scorecards; certificates.")


def _day(as_of: dt.datetime | None) -> dt.date:
    return as_of.date() if as_of else dt.date.today()


def source(ctx: typer.Context, as_of: AsOf = None) -> None:
    """Net requirements from the latest policies, award suppliers, propose purchase orders."""
    from shopops.cli.app import build_app

    application = build_app(ctx)
    try:
        with progress_bar("Sourcing") as progress:
            report = run_sourcing(application.unit_of_work(), as_of=_day(as_of), progress=progress)
    except ShopOpsError as error:
        raise fail(str(error)) from error
    print_sourcing(report)


def print_sourcing(report: SourcingReport) -> None:
    """The proposed POs by supplier, what could not be covered, and a few explanations."""
    plan = report.plan
    ordered = plan.awards.filter(pl.col("po_id").is_not_null())
    if ordered.height:
        by_po = (
            ordered.group_by("po_id", "supplier_id", "warehouse_id")
            .agg(
                lines=pl.len(),
                units=pl.col("quantity_units").sum(),
                cost_usd=pl.col("total_cost_usd").sum(),
                expedited=pl.col("expedited").sum(),
            )
            .sort("cost_usd", descending=True)
        )
        print_frame(by_po.head(SHOWN_ROWS), f"Proposed purchase orders ({by_po.height:,})")
        console.print("[bold]Why these suppliers[/] (largest lines):")
        for text in ordered.sort("total_cost_usd", descending=True).head(3)["explanation"]:
            console.print(f"  - {text}", highlight=False)
    short = plan.award.shortfalls
    if short.height:
        by_reason = (
            short.with_columns(reason=pl.col("reason").str.extract(r"^([^:(]+)").str.strip_chars())
            .group_by("reason")
            .agg(requirements=pl.len(), units=pl.col("quantity_units").sum())
            .sort("units", descending=True)
        )
        print_frame(by_reason, "Not covered, by reason (net_requirements has each one)")
    if report.superseded_po_ids:
        console.print(
            f"{len(report.superseded_po_ids):,} earlier proposals nobody approved were superseded."
        )
    console.print(f"Sourcing run {report.run_id}: {report.message}.")


@suppliers_app.command("scorecard")
def scorecard(
    ctx: typer.Context,
    kind: Annotated[
        ScorecardKind, typer.Option(help="Rate suppliers, warehouses or carriers.")
    ] = ScorecardKind.SUPPLIER,
    period: Period = "quarter",
    as_of: AsOf = None,
    latest: Annotated[bool, typer.Option(help="Only each one's latest period.")] = True,
) -> None:
    """Weighted scorecards from history; only periods with transactions are scored."""
    from shopops.cli.app import build_app

    application = build_app(ctx)
    try:
        scored = procurement_reports.scorecard(
            application.unit_of_work(), kind=kind, as_of=_day(as_of), period=period
        )
    except (ShopOpsError, ValueError) as error:
        raise fail(str(error)) from error
    subject = scored.columns[0]
    if latest and scored.height:
        scored = scored.sort("period_start").group_by(subject).last()
    shown = scored.select(
        subject, "period_start", *_score_columns(scored), "score", "standing"
    ).sort("score")
    print_frame(shown.head(SHOWN_ROWS * 2), f"{kind.value.title()} scorecard, worst first")
    counts = scored.group_by("standing").len().sort("standing")
    console.print(
        ", ".join(f"{row['len']:,} {row['standing']}" for row in counts.iter_rows(named=True))
    )


def _score_columns(scored: pl.DataFrame) -> list[str]:
    return [c for c in scored.columns if c.endswith("_score")]


@suppliers_app.command("metrics")
def metrics(
    kind: Annotated[ScorecardKind, typer.Option(help="Which scorecard.")] = ScorecardKind.SUPPLIER,
) -> None:
    """What each scorecard metric measures and how it is scored."""
    print_frame(procurement_reports.scorecard_metrics(kind), f"{kind.value} metrics")


@suppliers_app.command("certificates")
def certificates(ctx: typer.Context, as_of: AsOf = None) -> None:
    """Certificates expired or expiring soon."""
    from shopops.cli.app import build_app

    application = build_app(ctx)
    alerts = procurement_reports.certification_report(application.unit_of_work(), as_of=_day(as_of))
    print_frame(alerts, f"Certificate alerts ({alerts.height:,})")


def budget(ctx: typer.Context) -> None:
    """Budgets by category and period: committed, received, invoiced, planned, left."""
    from shopops.cli.app import build_app

    application = build_app(ctx)
    status = procurement_reports.budget_report(application.unit_of_work())
    over = status.filter(pl.col("over_budget"))
    print_frame(status.sort("utilisation", descending=True).head(SHOWN_ROWS * 2), "Budgets")
    console.print(f"{over.height:,} of {status.height:,} budgets over.")


def brief(
    ctx: typer.Context,
    supplier_id: Annotated[str, typer.Argument(help="Supplier to negotiate with.")],
    out: Annotated[Path | None, typer.Option(help="HTML file to write.")] = None,
    as_of: AsOf = None,
) -> None:
    """A one-page negotiation brief (HTML): prices, alternatives, volume, scorecard."""
    from shopops.cli.app import build_app

    application = build_app(ctx)
    try:
        html = procurement_reports.negotiation_brief(
            application.unit_of_work(), supplier_id=supplier_id, as_of=_day(as_of)
        )
    except ShopOpsError as error:
        raise fail(str(error)) from error
    path = out or Path(f"brief-{supplier_id}.html")
    path.write_text(html, encoding="utf-8")
    console.print(f"Negotiation brief for {supplier_id}: {path}")
