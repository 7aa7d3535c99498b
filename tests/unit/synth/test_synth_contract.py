"""The generator's contract: load order, schema conformance, reproducibility, settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import polars as pl
import pytest
from synth_checks import (
    collect,
    latest,
    load_order_problems,
    reference_problems,
    schema_problems,
)

from shopops.data.schemas import TABLES
from shopops.data.spec import Table
from shopops.data.synth import MarketplaceConfig, generate_marketplace
from shopops.errors import ConfigurationError

TINY = MarketplaceConfig(skus=60, warehouses=2, days=45, end_date=dt.date(2025, 3, 31))
MASTER = ("currencies", "regions", "categories", "skus", "cartons", "suppliers",
          "supplier_certifications", "supplier_offers", "offer_price_tiers", "warehouses",
          "shipping_zones", "carriers", "carrier_services", "rate_cards", "transit_times",
          "sales_events")  # fmt: skip


def test_every_table_is_generated(market: dict[str, pl.DataFrame]) -> None:
    assert {name for name, frame in market.items() if frame.height} == {t.name for t in TABLES}


@pytest.mark.parametrize("spec", TABLES, ids=lambda t: t.name)
def test_rows_keep_every_rule_of_their_table(market: dict[str, pl.DataFrame], spec: Table) -> None:
    assert schema_problems(spec, market[spec.name]) == []


def test_every_reference_resolves(market: dict[str, pl.DataFrame]) -> None:
    assert reference_problems(market) == []


def test_referenced_rows_come_in_earlier_chunks() -> None:
    chunks = list(generate_marketplace(dataclasses.replace(TINY, chunk_days=7)))
    assert load_order_problems(chunks) == []
    names = [name for name, _ in chunks]
    assert tuple(names[: len(MASTER)]) == MASTER
    assert names[-1] == "budgets"
    assert names.count("orders") == 7  # 45 days in chunks of 7


def test_history_chunks_hold_at_most_chunk_days_of_orders() -> None:
    config = dataclasses.replace(TINY, chunk_days=10)
    for name, frame in generate_marketplace(config):
        if name == "orders":
            days = frame["ordered_at"].dt.date().n_unique()
            assert days <= 10


def test_same_settings_give_identical_frames() -> None:
    first = list(generate_marketplace(TINY))
    second = list(generate_marketplace(TINY))
    assert [name for name, _ in first] == [name for name, _ in second]
    for (name, a), (_, b) in zip(first, second, strict=True):
        assert a.equals(b), name


def test_another_seed_gives_other_data() -> None:
    first = collect(generate_marketplace(TINY))
    other = collect(generate_marketplace(dataclasses.replace(TINY, seed=TINY.seed + 1)))
    for name in ("skus", "supplier_offers", "orders", "order_lines", "inventory_movements"):
        assert not first[name].equals(other[name]), name
    assert first["regions"].equals(other["regions"])  # real places do not depend on the seed


def test_history_ends_on_the_end_date(
    market: dict[str, pl.DataFrame], config: MarketplaceConfig
) -> None:
    ordered = market["orders"]["ordered_at"].dt.date()
    assert ordered.min() == config.start_date
    assert ordered.max() == config.end_date
    assert latest(market["inventory_movements"]["moved_at"]) <= config.end_date
    assert latest(market["receipts"]["received_date"]) <= config.end_date
    assert latest(market["returns"]["requested_date"]) <= config.end_date


@pytest.mark.parametrize(
    "change",
    [
        {"warehouses": 1},
        {"warehouses": 11},
        {"skus": 5},
        {"days": 10},
        {"weekday_profile": (1.0,) * 6},
        {"lines_per_order": 0.5},
    ],
    ids=lambda c: next(iter(c)),
)
def test_settings_out_of_range_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError, match=next(iter(change))):
        dataclasses.replace(TINY, **change)  # type: ignore[arg-type]


def test_end_date_is_required() -> None:
    with pytest.raises(TypeError):
        MarketplaceConfig(skus=100)  # type: ignore[call-arg]


def test_two_to_ten_warehouses_are_supported() -> None:
    for warehouses in (2, 10):
        config = dataclasses.replace(TINY, warehouses=warehouses, days=30)
        chunks = itertools.islice(generate_marketplace(config), len(MASTER))
        frames = dict(chunks)
        assert frames["warehouses"].height == warehouses
        assert frames["shipping_zones"].height == warehouses * frames["regions"].height
