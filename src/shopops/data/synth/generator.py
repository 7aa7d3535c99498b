"""The generator's entry point: master data, then the simulated history."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.history import DayCallback, simulate
from shopops.data.synth.parameters import parameter_frames
from shopops.data.synth.world import build_world


def generate_marketplace(
    config: MarketplaceConfig, *, on_day: DayCallback | None = None
) -> Iterator[tuple[str, pl.DataFrame]]:
    """Yield ``(table name, frame)`` chunks of a synthetic marketplace in load order.

    Every frame has exactly its table's columns and types, and every row it references
    was yielded earlier. ``on_day(done, total)`` is told after each simulated day.

    Examples
    --------
    >>> import datetime as dt
    >>> config = MarketplaceConfig(skus=50, warehouses=2, days=30, end_date=dt.date(2025, 6, 30))
    >>> names = [name for name, _ in generate_marketplace(config)]
    >>> names[:3]
    ['currencies', 'regions', 'categories']
    """
    world = build_world(config)
    yield from world.master_frames()
    yield from parameter_frames()
    yield from simulate(world, on_day)
