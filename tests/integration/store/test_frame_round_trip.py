"""Every table of the minimal marketplace goes through the bulk path and back unchanged."""

from __future__ import annotations

import polars as pl
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from factories import minimal_marketplace
from shopops.data.schemas import ALL_TABLES
from shopops.store.unit_of_work import SqlUnitOfWork


def test_every_table_reads_back_as_written(filled_engine: sa.Engine) -> None:
    with SqlUnitOfWork(filled_engine) as uow:
        for spec, written in zip(ALL_TABLES, minimal_marketplace().values(), strict=True):
            read = uow.frames.read(spec.name)
            expected = spec.conform(written).sort(spec.primary_key)
            assert_frame_equal(read.sort(spec.primary_key), expected, check_exact=True)
            assert read.sort(spec.primary_key).equals(expected), spec.name


def test_reads_come_back_in_primary_key_order(filled_engine: sa.Engine) -> None:
    with SqlUnitOfWork(filled_engine) as uow:
        movements = uow.frames.read("inventory_movements")
    assert movements["movement_id"].to_list() == list(range(1, 13))


def test_the_marketplace_fills_every_table_in_load_order() -> None:
    marketplace = minimal_marketplace()
    assert list(marketplace) == [spec.name for spec in ALL_TABLES]
    assert all(frame.height >= 2 for frame in marketplace.values())


def test_the_marketplace_has_nullable_columns_both_empty_and_set() -> None:
    marketplace = minimal_marketplace()
    for spec in ALL_TABLES:
        frame = marketplace[spec.name]
        for column in (c.name for c in spec.columns if c.nullable):
            assert 0 < frame[column].null_count() < frame.height, f"{spec.name}.{column}"


def test_the_marketplace_keeps_price_tiers_and_rate_cards_in_order() -> None:
    marketplace = minimal_marketplace()
    for spec in ALL_TABLES:
        for rule in spec.monotonic:
            steps = (
                marketplace[spec.name]
                .sort(rule.order_by)
                .select(pl.col(rule.column).diff().over(rule.group_by).drop_nulls())
                .to_series()
            )
            rising = rule.direction == "non_decreasing"
            assert (steps >= 0).all() if rising else (steps <= 0).all(), rule.message
