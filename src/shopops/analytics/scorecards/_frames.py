"""Helpers the scorecards share: periods and the columns a frame must have."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import polars as pl

from shopops.errors import DataError

Period = Literal["week", "month", "quarter"]

_EVERY: dict[str, str] = {"week": "1w", "month": "1mo", "quarter": "1q"}


def period_start(date: pl.Expr, period: Period) -> pl.Expr:
    """First day of the week (Monday), month or quarter holding ``date``."""
    if period not in _EVERY:
        raise ValueError(f"period must be week, month or quarter, got {period!r}")
    return date.cast(pl.Date).dt.truncate(_EVERY[period]).alias("period_start")


def require_columns(frame: pl.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Refuse ``frame`` (the table ``name``) unless it has every one of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{name} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )


def share(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """``numerator / denominator``, null where the denominator is zero."""
    return pl.when(denominator > 0).then(numerator / denominator).otherwise(None)
