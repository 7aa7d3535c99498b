"""Service-level targets per ABC / XYZ class, as users set them in a table.

A ``service_targets`` row gives ``abc_class``, ``xyz_class``, ``measure``
(``cycle_service_level`` or ``fill_rate``) and ``target``. A null class matches any class, so
one row with both null is the default. Each SKU takes the most specific row that matches:
both classes, then its ABC class alone, then its XYZ class alone, then the default.
"""

from __future__ import annotations

import polars as pl

from shopops.errors import DataError

MEASURES = ("cycle_service_level", "fill_rate")
TARGET_COLUMNS = ("abc_class", "xyz_class", "measure", "target")


def check_service_targets(service_targets: pl.DataFrame) -> pl.DataFrame:
    """The targets, checked: known measures, targets strictly between 0 and 1, no duplicates."""
    missing = set(TARGET_COLUMNS) - set(service_targets.columns)
    if missing:
        raise DataError(f"service_targets lacks column(s) {', '.join(sorted(missing))}")
    targets = service_targets.select(
        pl.col("abc_class").cast(pl.String),
        pl.col("xyz_class").cast(pl.String),
        pl.col("measure").cast(pl.String),
        pl.col("target").cast(pl.Float64),
    )
    unknown = targets.filter(~pl.col("measure").is_in(MEASURES)).get_column("measure")
    if unknown.len():
        raise DataError(f"unknown service measure(s): {', '.join(sorted(set(unknown)))}")
    if targets.filter(~((pl.col("target") > 0) & (pl.col("target") < 1))).height:
        raise DataError("service targets must lie strictly between 0 and 1")
    if targets.select("abc_class", "xyz_class").is_duplicated().any():
        raise DataError("service_targets has more than one row for a class")
    return targets


def assign_service_targets(rows: pl.DataFrame, service_targets: pl.DataFrame) -> pl.DataFrame:
    """``rows`` (with ``abc_class`` and ``xyz_class``) plus ``service_measure`` and
    ``service_target`` from the most specific matching target (null where none matches)."""
    targets = check_service_targets(service_targets)
    frame = rows.with_row_index("_row")
    measures, values = [], []
    for i, (on, which) in enumerate(_LEVELS):
        level = targets.filter(which).select(
            *on, pl.col("measure").alias(f"_measure{i}"), pl.col("target").alias(f"_target{i}")
        )
        if on:
            frame = frame.join(level, on=on, how="left")
        else:  # the default row, if there is one, applies to every row
            default = level.row(0) if level.height else (None, None)
            frame = frame.with_columns(
                pl.lit(default[0], dtype=pl.String).alias(f"_measure{i}"),
                pl.lit(default[1], dtype=pl.Float64).alias(f"_target{i}"),
            )
        measures.append(f"_measure{i}")
        values.append(f"_target{i}")
    return (
        frame.sort("_row")
        .with_columns(
            pl.coalesce(*measures).alias("service_measure"),
            pl.coalesce(*values).alias("service_target"),
        )
        .drop("_row", *measures, *values)
    )


_ABC, _NO_ABC = pl.col("abc_class").is_not_null(), pl.col("abc_class").is_null()
_LEVELS: tuple[tuple[list[str], pl.Expr], ...] = (
    (["abc_class", "xyz_class"], _ABC & pl.col("xyz_class").is_not_null()),
    (["abc_class"], _ABC & pl.col("xyz_class").is_null()),
    (["xyz_class"], _NO_ABC & pl.col("xyz_class").is_not_null()),
    ([], _NO_ABC & pl.col("xyz_class").is_null()),
)
"""Matching order: both classes, ABC alone, XYZ alone, the default."""
