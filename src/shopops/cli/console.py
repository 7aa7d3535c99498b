"""Terminal output shared by the commands: one console, progress bars, error exits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from shopops.services.progress import Progress as ProgressCallback

console = Console()
errors = Console(stderr=True)


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback]:
    """A Rich progress bar fed by a service's progress reports (hidden when not a terminal)."""
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=errors, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def report(description: str, completed: int, total: int) -> None:
            bar.update(
                task, description=f"{label}: {description}", completed=completed, total=total
            )

        yield report


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` to stderr and return the exit to raise."""
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)
