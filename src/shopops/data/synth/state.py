"""The simulation's state between days: stock, stock due, document numbers, pending rows."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl

from shopops.data.schemas import TABLES
from shopops.data.synth.budgets import Spend
from shopops.data.synth.columns import US_PER_DAY, epoch_day
from shopops.data.synth.ledger import Inbound, Movements, movements_frame
from shopops.data.synth.packaging_stock import PackagingStock
from shopops.data.synth.randomness import stream
from shopops.data.synth.world import World


class SimulationState:
    """The simulation's state between days, and the rows it has produced but not yielded."""

    def __init__(self, world: World) -> None:
        config = world.config
        self.world = world
        self.rng = stream(config.seed, "history")
        self.paper_rng = stream(config.seed, "purchasing documents")
        shape = world.stocked.shape
        self.on_hand = np.zeros(shape, dtype=np.int64)
        self.on_order = np.zeros(shape, dtype=np.int64)
        self.inbound = Inbound()
        self.first_day = epoch_day(config.start_date)
        self.last_day = config.days - 1
        self.end_us = (self.first_day + config.days) * US_PER_DAY
        self.next_id: dict[str, int] = dict.fromkeys(
            (
                "order",
                "shipment",
                "shipment_event",
                "po",
                "po_event",
                "receipt",
                "invoice",
                "return",
                "movement",
                "transfer",
                "count",
            ),
            1,
        )
        self.id_clock_offset_s = int(self.rng.integers(10**9, 2 * 10**9))
        self.spend = Spend(world)
        self.packaging = PackagingStock(world)
        self.rows: dict[str, list[pl.DataFrame]] = {}
        self.moves: list[Movements] = []

    def take_ids(self, kind: str, n: int) -> np.ndarray:
        """The next ``n`` numbers of a document sequence."""
        first = self.next_id[kind]
        self.next_id[kind] = first + n
        return np.arange(first, first + n, dtype=np.int64)

    def day_start_us(self, day: int) -> int:
        """Midnight (UTC) starting day index ``day``, in microseconds since the epoch."""
        return (self.first_day + day) * US_PER_DAY

    def add(self, table: str, frame: pl.DataFrame) -> None:
        """Hold rows of ``table`` until the next flush."""
        if frame.height:
            self.rows.setdefault(table, []).append(frame)

    def move(self, movements: Movements) -> None:
        """Hold ledger movements until the next flush, which numbers them."""
        if len(movements.sku):
            self.moves.append(movements)

    def flush(self) -> Iterator[tuple[str, pl.DataFrame]]:
        """The rows produced since the last flush, table by table in load order."""
        if self.moves:
            world = self.world
            first = int(self.take_ids("movement", sum(len(m.sku) for m in self.moves))[0])
            self.add(
                "inventory_movements",
                movements_frame(self.moves, first, world.book.sku_ids, world.network.warehouse_ids),
            )
            self.moves = []
        for spec in TABLES:
            frames = self.rows.pop(spec.name, [])
            if frames:
                yield spec.name, pl.concat(frames, how="vertical")
