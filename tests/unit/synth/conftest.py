"""One generated marketplace shared by the generator's unit tests (it takes seconds)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from synth_checks import collect

from shopops.data.synth import MarketplaceConfig, generate_marketplace

SMALL = MarketplaceConfig(skus=300, warehouses=3, days=365, end_date=dt.date(2025, 10, 31))


@pytest.fixture(scope="session")
def config() -> MarketplaceConfig:
    return SMALL


@pytest.fixture(scope="session")
def market() -> dict[str, pl.DataFrame]:
    """Every table of the small marketplace, chunks concatenated."""
    return collect(generate_marketplace(SMALL))
