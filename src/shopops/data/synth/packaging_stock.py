"""Packaging stock in the history: on hand per carton x warehouse, its use and its review.

Each warehouse opens with about four weeks of the cartons it is expected to use (a bundle
at least). Each day's packed parcels take their carton from stock: one ledger row per
warehouse and carton, a ``pick`` for the shipments, booked when the last of them was
packed. A warehouse out of a carton uses the smallest one in stock that holds it (at
least as long, wide and deep, and as strong), and ships the parcel in the product's own
packaging when none is left, so packaging stock never goes negative.

Every Monday the packaging of every warehouse is reviewed like the goods. Its use per point of
planned demand index (of the categories shipping in that carton) over the last four weeks,
or the last week if higher, times the index over lead time, review period and a week of
safety, is the reorder point (a bundle at least); at or below it the warehouse orders up to
two weeks more, in bundles and at least the MOQ. Between reviews, stock that would not last
the lead time and two more days at the last week's pace is ordered at once.
"""

from __future__ import annotations

import numpy as np

from shopops.data.synth.ledger import Arrival, Inbound, Movements
from shopops.data.synth.randomness import stream
from shopops.data.synth.shipping import (
    CARTON_MAX_WEIGHT_KG,
    CARTON_SIDES_CM,
    CARTON_VOLUME_CM3,
    NO_CARTON,
)
from shopops.data.synth.world import World
from shopops.domain.inventory import MovementReference, MovementType

OPENING_DAYS = 28
TRAILING_DAYS = 28
REVIEW_PERIOD_DAYS = 7
REVIEW_WEEKDAY = 0
"""Packaging is reviewed on Mondays, all warehouses at once."""
SAFETY_DAYS = 7.0
CYCLE_DAYS = 14.0
RUSH_MARGIN_DAYS = 2.0


def stand_ins() -> tuple[tuple[int, ...], ...]:
    """Per carton, the other cartons that hold whatever it holds, smallest first."""
    sides, strength = CARTON_SIDES_CM, np.array(CARTON_MAX_WEIGHT_KG)
    holds = (sides[:, None, :] >= sides[None, :, :]).all(axis=2)
    holds &= strength[:, None] >= strength[None, :]
    by_volume = np.argsort(CARTON_VOLUME_CM3, kind="stable")
    return tuple(
        tuple(int(j) for j in by_volume if holds[j, c] and j != c) for c in range(len(sides))
    )


STAND_INS = stand_ins()


class PackagingStock:
    """Packaging on hand and on order ([carton, warehouse]), what is due, and daily use."""

    def __init__(self, world: World) -> None:
        self.supply = world.packaging
        shape = self.supply.use_per_day.shape
        self.on_hand: np.ndarray = np.zeros(shape, dtype=np.int64)
        self.on_order: np.ndarray = np.zeros(shape, dtype=np.int64)
        self.used: np.ndarray = np.zeros((world.config.days, *shape), dtype=np.int64)
        self.inbound = Inbound()
        self.first_weekday = world.config.start_date.weekday()
        self.rng = stream(world.config.seed, "packaging history")
        self.paper_rng = stream(world.config.seed, "packaging documents")

    def opening(self, at_us: int) -> Movements:
        """Opening balances: the use expected over the first four weeks, at least a bundle."""
        supply = self.supply
        index = supply.index_sums[:, OPENING_DAYS] - supply.index_sums[:, 0]
        weeks = np.ceil(supply.use_per_day * index[:, None]).astype(np.int64)
        self.on_hand[:] = np.maximum(weeks, supply.multiple_units[:, None])
        carton, warehouse = np.indices(self.on_hand.shape).reshape(2, -1)
        return Movements.of(
            MovementType.ADJUSTMENT,
            MovementReference.OPENING_BALANCE,
            sku=supply.first_sku + carton,
            warehouse=warehouse,
            quantity=self.on_hand.reshape(-1),
            moved_at_us=np.full(len(carton), at_us),
        )

    def use(
        self, day: int, carton: np.ndarray, warehouse: np.ndarray, packed_us: np.ndarray
    ) -> tuple[np.ndarray, Movements]:
        """Take the cartons of the day's parcels packed in the history (``packed_us`` >= 0).

        Returns each parcel's carton (a stand-in where stock ran short, or
        :data:`~shopops.data.synth.shipping.NO_CARTON`) and the ledger rows.
        """
        packed = packed_us >= 0
        n_wh = self.on_hand.shape[1]
        need = np.bincount(carton[packed] * n_wh + warehouse[packed], minlength=self.on_hand.size)
        if (need > self.on_hand.reshape(-1)).any():
            carton = self._substitute(carton, warehouse, packed)
        boxed = packed & (carton != NO_CARTON)
        pairs = carton[boxed] * n_wh + warehouse[boxed]
        count = np.bincount(pairs, minlength=self.on_hand.size)
        last_us = np.zeros(self.on_hand.size, dtype=np.int64)
        np.maximum.at(last_us, pairs, packed_us[boxed])
        self.on_hand.reshape(-1)[:] -= count
        self.used[day].reshape(-1)[:] += count
        rows = np.flatnonzero(count)
        return carton, Movements.of(
            MovementType.PICK,
            MovementReference.SHIPMENT,
            sku=self.supply.first_sku + rows // n_wh,
            warehouse=rows % n_wh,
            quantity=-count[rows],
            moved_at_us=last_us[rows],
        )

    def _substitute(
        self, carton: np.ndarray, warehouse: np.ndarray, packed: np.ndarray
    ) -> np.ndarray:
        """Cartons after stand-ins, parcel by parcel in order, for a day stock runs short."""
        left = self.on_hand.copy()
        chosen = carton.copy()
        for i in np.flatnonzero(packed).tolist():
            w = int(warehouse[i])
            options = [c for c in (int(carton[i]), *STAND_INS[carton[i]]) if left[c, w] > 0]
            chosen[i] = options[0] if options else NO_CARTON
            if options:
                left[options[0], w] -= 1
        return chosen

    def put_away(self, arrival: Arrival) -> None:
        """Book received packaging into stock and release it from what is on order."""
        carton = arrival.sku - self.supply.first_sku
        np.add.at(self.on_hand, (carton, arrival.warehouse), arrival.accepted)
        np.subtract.at(self.on_order, (carton, arrival.warehouse), arrival.on_order_release)

    def review(self, day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Carton, warehouse and units to order today: on the review day, what is at or
        below its reorder point; any day, a rush order where the stock would not last the
        lead time and a couple of days at the last week's pace."""
        supply = self.supply
        reviewed = (self.first_weekday + day) % REVIEW_PERIOD_DAYS == REVIEW_WEEKDAY
        base = np.maximum(self._use_per_index(day, TRAILING_DAYS), self._use_per_index(day, 7))
        protect = supply.lead_time_days + REVIEW_PERIOD_DAYS + SAFETY_DAYS
        multiple = supply.multiple_units[:, None]
        reorder = np.maximum(base * self._planned_index(day, protect)[:, None], multiple)
        up_to = base * self._planned_index(day, protect + CYCLE_DAYS)[:, None]
        last_week = self.used[max(0, day - 6) : day + 1].sum(axis=0) / min(day + 1, 7)
        rush = last_week * (supply.lead_time_days + RUSH_MARGIN_DAYS)[:, None]
        position = self.on_hand + self.on_order
        due = (reviewed & (position <= reorder)) | (position <= rush)
        short = np.maximum(np.maximum(up_to, reorder) - position, 1)
        units = np.maximum(np.ceil(short / multiple) * multiple, supply.moq_units[:, None])
        carton, warehouse = np.nonzero(due)
        return carton, warehouse, units[carton, warehouse].astype(np.int64)

    def _use_per_index(self, day: int, days: int) -> np.ndarray:
        """[carton, warehouse] use per point of planned index over the last ``days`` days;
        days before the history count at the expected use and an index of 1."""
        first = max(0, day + 1 - days)
        missing = days - (day + 1 - first)
        used = self.used[first : day + 1].sum(axis=0) + missing * self.supply.use_per_day
        sums = self.supply.index_sums
        index = sums[:, day + 1] - sums[:, first] + missing
        return np.asarray(used / index[:, None])

    def _planned_index(self, day: int, days: np.ndarray) -> np.ndarray:
        """Per carton, the planned index summed over the ``days`` days after ``day``."""
        sums = self.supply.index_sums
        last = sums.shape[1] - 1
        end = np.minimum(day + 1 + np.ceil(days).astype(np.int64), last)
        rows = np.arange(len(sums))
        return np.asarray(sums[rows, end] - sums[rows, min(day + 1, last)])
