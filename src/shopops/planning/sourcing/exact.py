"""The exact award of one requirement on its own, by dynamic programming over covered units.

Without coupling (a weekly capacity shared with another requirement, dual sourcing, a share
cap) a requirement's award is a small knapsack: at most one line per offer, each line a
multiple count in a tier range with a fixed and a per-unit cost, the rest short at the
shortfall cost. ``best[x]``, the least cost of lines covering at least ``x`` of the
``Q`` units, is built offer by offer (each offer adds at most one of its options)::

    best'[x] = min(best[x], min_{option, n in lo..hi} f + c m n + best[max(x - m n, 0)])

and the award is ``min_x best[x] + s (Q - x)``. For the ``n`` with ``m n <= x`` the inner
minimum is ``f + c x + min_{y} (best[y] - c y)`` over ``y = x - m n`` in a window of one
residue class modulo ``m``: a sliding-window minimum, so each option costs ``O(Q)``. The
result is the optimum of the MILP of :mod:`.model` for that requirement alone, with no gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import minimum_filter1d

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.arrays import IntArray, SubProblem

RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Option:
    """One option as the dynamic programme reads it (``row`` in its sub-problem)."""

    row: int
    fixed: float
    unit_cost: float
    multiple: int
    lo: int
    hi: int


def _with_line(best: FloatArray, option: Option) -> FloatArray:
    """``min_n f + c m n + best[max(x - m n, 0)]`` for every ``x`` (one line of ``option``
    on top of ``best``)."""
    size = len(best)
    x = np.arange(size)
    m, c = option.multiple, option.unit_cost
    if option.lo == option.hi:
        units = m * option.lo
        return option.fixed + c * units + best[np.maximum(x - units, 0)]
    alone_count = np.maximum(option.lo, -(-x // m))
    alone = np.where(alone_count <= option.hi, option.fixed + c * m * alone_count + best[0], np.inf)
    rows = -(-size // m)
    if option.lo >= rows:
        return alone
    table = np.full(rows * m, np.inf)
    table[:size] = best - c * x
    window = _window_minimum(table.reshape(rows, m), option.lo, option.hi)
    on_top = option.fixed + c * x + window.reshape(-1)[:size]
    return np.minimum(alone, on_top)


def _window_minimum(table: FloatArray, lo: int, hi: int) -> FloatArray:
    """``out[J] = min(table[max(J - hi, 0) : J - lo + 1])`` down each column (``inf`` when
    ``J < lo``): a prefix minimum when the window reaches back to row 0 for every ``J``."""
    rows = len(table)
    out = np.full_like(table, np.inf)
    if hi >= rows - 1:
        out[lo:] = np.minimum.accumulate(table, axis=0)[: rows - lo]
        return out
    width = hi - lo + 1
    padded = np.concatenate([np.full((hi, table.shape[1]), np.inf), table])
    return minimum_filter1d(
        padded, size=width, axis=0, mode="constant", cval=np.inf, origin=-(width // 2)
    )[:rows]


def _line_for(previous: FloatArray, target: float, x: int, option: Option) -> int | None:
    """The multiple count of ``option`` that reaches ``target`` at ``x``, if any."""
    counts = np.arange(option.lo, option.hi + 1)
    left = np.maximum(x - option.multiple * counts, 0)
    values = option.fixed + option.unit_cost * option.multiple * counts + previous[left]
    hits = np.flatnonzero(values <= target + RELATIVE_TOLERANCE * max(abs(target), 1.0))
    return int(counts[hits[0]]) if len(hits) else None


def cover_costs(quantity_units: int, offers: list[list[Option]]) -> list[FloatArray]:
    """``best`` after each offer: ``stages[k][x]`` is the least cost of lines from the first
    ``k`` offers that cover at least ``x`` units (``inf`` when none can)."""
    best = np.full(quantity_units + 1, np.inf)
    best[0] = 0.0
    stages = [best]
    for options in offers:
        current = stages[-1]
        for option in options:
            current = np.minimum(current, _with_line(stages[-1], option))
        stages.append(current)
    return stages


def solve_requirement(
    quantity_units: int, shortfall_cost: float, offers: list[list[Option]]
) -> tuple[float, dict[int, int]]:
    """Least cost of one requirement and the multiple count of each option used."""
    stages = cover_costs(quantity_units, offers)
    short = shortfall_cost * (quantity_units - np.arange(quantity_units + 1))
    total = stages[-1] + short
    x = int(np.argmin(total))
    return float(total[x]), trace(stages, offers, x)


def trace(stages: list[FloatArray], offers: list[list[Option]], x: int) -> dict[int, int]:
    """The multiple count per option row of the lines that reach ``stages[-1][x]``."""
    counts: dict[int, int] = {}
    for stage in range(len(offers), 0, -1):
        target, previous = stages[stage][x], stages[stage - 1]
        if target == previous[x]:
            continue
        for option in offers[stage - 1]:
            count = _line_for(previous, target, x, option)
            if count is not None:
                counts[option.row] = count
                x = max(x - option.multiple * count, 0)
                break
        else:
            raise RuntimeError("dynamic programme could not retrace its award")
    return counts


def useful_options(sub: SubProblem) -> np.ndarray:
    """Options that can be part of a requirement's cheapest award: an option whose least
    line costs more than covering the requirement with its best single line (or leaving it
    short) never is."""
    need = sub.quantity_units[sub.option_requirement]
    count = np.clip(np.ceil(need / sub.multiple_units), sub.lo_multiples, sub.hi_multiples)
    short = np.maximum(need - count * sub.multiple_units, 0.0)
    single = (
        sub.fixed_cost_usd
        + count * sub.multiple_units * sub.cost_usd_per_unit
        + short * sub.shortfall_cost_usd_per_unit[sub.option_requirement]
    )
    bound = sub.quantity_units * sub.shortfall_cost_usd_per_unit
    np.minimum.at(bound, sub.option_requirement, single)
    least = sub.fixed_cost_usd + sub.lo_multiples * sub.multiple_units * sub.cost_usd_per_unit
    return least <= bound[sub.option_requirement] * (1.0 + RELATIVE_TOLERANCE)


def solve_requirements(sub: SubProblem, requirements: IntArray) -> tuple[FloatArray, FloatArray]:
    """Exact multiple counts per option for ``requirements`` of ``sub`` (each on its own);
    other options keep a count of 0. Returns the counts and each requirement's cost."""
    counts = np.zeros(sub.num_options)
    costs = np.zeros(len(requirements))
    useful = useful_options(sub)
    order = np.lexsort((sub.pair, sub.option_requirement))
    order = order[useful[order]]
    bounds = np.searchsorted(sub.option_requirement[order], [requirements, requirements + 1])
    for k, (first, last) in enumerate(zip(bounds[0], bounds[1], strict=True)):
        offers = offers_of(sub, order[first:last])
        requirement = requirements[k]
        cost, used = solve_requirement(
            int(sub.quantity_units[requirement]),
            float(sub.shortfall_cost_usd_per_unit[requirement]),
            offers,
        )
        costs[k] = cost
        for row, count in used.items():
            counts[row] = count
    return counts, costs


def offers_of(sub: SubProblem, rows: IntArray) -> list[list[Option]]:
    """The options of one requirement grouped by pair (offer)."""
    grouped: list[list[Option]] = []
    last_pair = None
    for row in rows:
        option = Option(
            row=int(row),
            fixed=float(sub.fixed_cost_usd[row]),
            unit_cost=float(sub.cost_usd_per_unit[row]),
            multiple=int(sub.multiple_units[row]),
            lo=int(sub.lo_multiples[row]),
            hi=int(sub.hi_multiples[row]),
        )
        if sub.pair[row] != last_pair:
            grouped.append([])
            last_pair = sub.pair[row]
        grouped[-1].append(option)
    return grouped
