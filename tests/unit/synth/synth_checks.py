"""Checks of generated frames against the data model, for the generator's tests."""

from __future__ import annotations

import datetime as dt
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


def load_order_problems(chunks: Iterable[tuple[str, pl.DataFrame]]) -> list[str]:
    """References of each chunk to rows not yielded before it (the generator's load order)."""
    seen: dict[tuple[str, tuple[str, ...]], pl.DataFrame] = {}
    problems = []
    for name, frame in chunks:
        spec = TABLES_BY_NAME[name]
        for fk in spec.all_foreign_keys():
            used = frame.select(fk.columns).drop_nulls().unique()
            known = seen.get((fk.table, fk.ref_columns))
            if known is None:
                pairs = zip(fk.columns, fk.ref_columns, strict=True)
                known = pl.DataFrame(schema={r: used.schema[c] for c, r in pairs})
            if fk.table == name:  # rows may refer to rows earlier in the same chunk
                known = pl.concat([known, _earlier_self_keys(frame, fk.ref_columns, fk.columns)])
            known = known.rename(dict(zip(fk.ref_columns, fk.columns, strict=True)))
            missing = used.join(known, on=list(fk.columns), how="anti").height
            if missing:
                problems.append(f"{name}{fk.columns}: {missing} values not yielded before")
        for other in TABLES:
            for fk in other.all_foreign_keys():
                if fk.table == name:
                    key = (name, fk.ref_columns)
                    part = frame.select(fk.ref_columns)
                    seen[key] = part if key not in seen else pl.concat([seen[key], part])
    return problems


def _earlier_self_keys(
    frame: pl.DataFrame, keys: tuple[str, ...], refs: tuple[str, ...]
) -> pl.DataFrame:
    """Keys of ``frame`` that appear before the first row referring to them."""
    indexed = frame.with_row_index("_row")
    first_use = indexed.drop_nulls(list(refs)).group_by(list(refs)).agg(pl.col("_row").min())
    first_use = first_use.rename(dict(zip(refs, keys, strict=True)))
    rows = indexed.select("_row", *keys).join(first_use, on=list(keys), suffix="_use")
    return rows.filter(pl.col("_row") < pl.col("_row_use")).select(keys)


def packaging_skus(market: dict[str, pl.DataFrame]) -> pl.Series:
    """The SKUs of the packaging category: bought and used up, never sold."""
    skus = market["skus"]
    return skus.filter(pl.col("category_id") == "PACKAGING")["sku_id"]


def share(mask: pl.Series) -> float:
    """Share of true values in a boolean column."""
    return number(mask.cast(pl.Float64).mean())


def number(value: object) -> float:
    """A statistic of a column (``max()``, ``mean()``...) as a float."""
    assert isinstance(value, int | float), value
    return float(value)


def latest(column: pl.Series) -> dt.date:
    """The last date (or the date of the last time) in a column."""
    value = column.max()
    if isinstance(value, dt.datetime):
        return value.date()
    assert isinstance(value, dt.date), value
    return value
