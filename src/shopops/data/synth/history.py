"""The day-by-day history: orders served from stock, replenished by purchase orders.

Each day, in order: stock due arrives (receipts, put-away returns, transfers, packaging);
the day's orders come in; unless they belong to the last days (left open as the backlog),
buyers cancel a few, the rest are served from the nearest warehouse with stock (else
cancelled as stock-outs), packed into shipments (taking their cartons from the packaging
stock) and picked; returns of the delivered lines are scheduled; the weekly reviews raise
purchase orders for goods and packaging; once a week surplus stock moves to a warehouse
running short; and a few bins are counted. Every step works on whole arrays
of the day's lines and of all SKU x warehouse pairs at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import polars as pl

from shopops.data.synth import daily, packaging_orders
from shopops.data.synth.state import SimulationState
from shopops.data.synth.stock_moves import count_cycles, opening_balances, plan_transfers
from shopops.data.synth.world import World

DayCallback = Callable[[int, int], None]
"""Told (days simulated, days in total) after every simulated day."""
TRANSFER_WEEKDAY = 3
"""Transfers are planned once a week: on the days whose index in the history is 3 mod 7."""


def simulate(world: World, on_day: DayCallback | None = None) -> Iterator[tuple[str, pl.DataFrame]]:
    """Run the history, yielding its rows every ``chunk_days`` days, budgets last."""
    config = world.config
    state = SimulationState(world)
    state.move(opening_balances(state))
    state.move(state.packaging.opening(state.day_start_us(0)))
    for day in range(config.days):
        daily.receive(state, day)
        packaging_orders.receive(state, day)
        daily.trade(state, day)
        daily.replenish(state, day)
        packaging_orders.replenish(state, day)
        if day % 7 == TRANSFER_WEEKDAY:
            state.move(plan_transfers(state, day))
        state.move(count_cycles(state, day))
        if on_day is not None:
            on_day(day + 1, config.days)
        if (day + 1) % config.chunk_days == 0 or day == state.last_day:
            yield from state.flush()
    yield "budgets", state.spend.budgets()
