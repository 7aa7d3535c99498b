"""Checks of generated frames against the data model, for the generator's tests."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from shopops.data.schemas import TABLES, TABLES_BY_NAME
from shopops.data.spec import Table


def collect(chunks: Iterable[tuple[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """Concatenate the generator's chunks per table, checking the load order on the way."""
    frames: dict[str, list[pl.DataFrame]] = {}
    for name, frame in chunks:
        assert frame.schema == TABLES_BY_NAME[name].polars_schema(), f"{name}: wrong columns"
        frames.setdefault(name, []).append(frame)
    return {name: pl.concat(parts) for name, parts in frames.items()}


def schema_problems(spec: Table, frame: pl.DataFrame) -> list[str]:
    """Every way ``frame`` breaks its table's columns, keys, rules and tier orders."""
    problems = []
    for column in spec.columns:
        values = frame[column.name]
        if not column.nullable and values.null_count():
            problems.append(f"{spec.name}.{column.name}: {values.null_count()} nulls")
        for name, sql in column.value_checks():
            bad = frame.filter(~pl.sql_expr(sql)).height
            if bad:
                problems.append(f"{spec.name}: {bad} rows break {name}")
        if column.max_length is not None and values.dtype == pl.String:
            too_long = (values.str.len_chars() > column.max_length).sum()
            if too_long:
                problems.append(f"{spec.name}.{column.name}: {too_long} values too long")
    for rule in spec.rules:
        bad = frame.filter(rule.expr().not_()).height
        if bad:
            problems.append(f"{spec.name}: {bad} rows break rule {rule.name}")
    for key in (spec.primary_key, *spec.unique):
        duplicates = frame.height - frame.select(key).unique().height
        if duplicates:
            problems.append(f"{spec.name}: {duplicates} duplicate keys {key}")
    problems += _monotonic_problems(spec, frame)
    return problems


def _monotonic_problems(spec: Table, frame: pl.DataFrame) -> list[str]:
    problems = []
    for rule in spec.monotonic:
        step = (
            frame.sort([*rule.group_by, rule.order_by])
            .with_columns(pl.col(rule.column).diff().over(rule.group_by).alias("_step"))
            .get_column("_step")
        )
        wrong = (step > 0) if rule.direction == "non_increasing" else (step < 0)
        if wrong.sum():
            problems.append(f"{spec.name}: {wrong.sum()} rows out of order ({rule.message})")
    return problems


def reference_problems(frames: dict[str, pl.DataFrame]) -> list[str]:
    """Foreign keys whose values are missing from the referenced table."""
    problems = []
    for spec in TABLES:
        frame = frames.get(spec.name)
        if frame is None:
            continue
        for fk in spec.all_foreign_keys():
            target = frames[fk.table].select(
                [pl.col(r).alias(c) for c, r in zip(fk.columns, fk.ref_columns, strict=True)]
            )
            used = frame.select(fk.columns).drop_nulls().unique()
            missing = used.join(target.unique(), on=list(fk.columns), how="anti").height
            if missing:
                problems.append(f"{spec.name}{fk.columns} -> {fk.table}: {missing} missing")
    return problems
