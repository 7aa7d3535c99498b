"""The coupling rows of the award MILP: category share caps, dual sourcing, and the floor
each requirement's own cost cannot go below (see :mod:`.model` for the formulation)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from shopops.planning.solvers import FloatArray
from shopops.planning.sourcing.arrays import IntArray, SubProblem
from shopops.planning.sourcing.builder import ModelBuilder


def _max_units(sub: SubProblem, per_value: FloatArray, ranged: NDArray[np.bool_]) -> FloatArray:
    return per_value * np.where(ranged, sub.hi_multiples, 1.0)


def pair_max_units(
    sub: SubProblem, per_value: FloatArray, ranged: NDArray[np.bool_], member: NDArray[np.bool_]
) -> FloatArray:
    """Per member option: the most units its pair can take if it is the pair's largest
    option, else 0 (so that sums over options count each pair once)."""
    most = _max_units(sub, per_value, ranged)[member]
    _, pair_of = np.unique(sub.pair[member], return_inverse=True)
    pair_most = np.zeros(int(pair_of.max()) + 1)
    np.maximum.at(pair_most, pair_of, most)
    first = np.zeros(len(pair_of), bool)
    first[np.unique(pair_of, return_index=True)[1]] = True
    return np.where(first, pair_most[pair_of], 0.0)


def _group_supplier_rows(
    group: IntArray, supplier: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Per member option: its group number, its (group, supplier) number; group of each
    (group, supplier) and the number of suppliers per group."""
    groups, group_of = np.unique(group, return_inverse=True)
    keys = group_of.astype(np.int64) * (int(supplier.max()) + 1) + supplier
    _, first, pair_of = np.unique(keys, return_index=True, return_inverse=True)
    pair_group = group_of[first]
    suppliers_per_group = np.bincount(pair_group, minlength=len(groups))
    return group_of, pair_of, pair_group, suppliers_per_group


def share_rows(builder: ModelBuilder, sub: SubProblem, units: tuple[IntArray, FloatArray]) -> None:
    """Category spend ``S_c`` and ``spend_ck - cap S_c - v_ck <= 0`` per supplier."""
    member = sub.share_group >= 0
    if not member.any():
        return
    group_of, pair_of, pair_group, _ = _group_supplier_rows(
        sub.share_group[member], sub.supplier[member]
    )
    groups = int(group_of.max()) + 1
    spend_columns = builder.columns(np.zeros(groups), 0.0, np.inf, False)
    excess = builder.columns(np.full(len(pair_group), sub.share_penalty_rate), 0.0, np.inf, False)
    column = units[0][member]
    spend = units[1][member] * sub.spend_usd_per_unit[member]
    builder.rows(
        np.concatenate([group_of, np.arange(groups)]),
        np.concatenate([column, spend_columns]),
        np.concatenate([-spend, np.ones(groups)]),
        np.zeros(groups),
        np.zeros(groups),
    )
    pairs = np.arange(len(pair_group))
    builder.rows(
        np.concatenate([pair_of, pairs, pairs]),
        np.concatenate([column, spend_columns[pair_group], excess]),
        np.concatenate([spend, np.full(len(pairs), -sub.share_cap), -np.ones(len(pairs))]),
        -np.inf,
        np.zeros(len(pairs)),
    )


def dual_rows(
    builder: ModelBuilder,
    sub: SubProblem,
    units: tuple[IntArray, FloatArray],
    ranged: NDArray[np.bool_],
) -> None:
    """SKU units ``T_d`` and the minimum share of at least two suppliers per A-class SKU."""
    member = sub.dual_group >= 0
    if not member.any():
        return
    group_of, pair_of, pair_group, suppliers = _group_supplier_rows(
        sub.dual_group[member], sub.supplier[member]
    )
    groups = len(suppliers)
    most = np.bincount(group_of, weights=pair_max_units(sub, units[1], ranged, member))
    big_m = sub.min_share * most
    penalty = np.zeros(groups)
    penalty[group_of] = sub.dual_penalty_usd_per_unit[member]
    total = builder.columns(np.zeros(groups), 0.0, np.inf, False)
    counted = builder.columns(
        np.zeros(len(pair_group)), (suppliers[pair_group] <= 2).astype(np.float64), 1.0, True
    )
    deficit = builder.columns(penalty[pair_group], 0.0, big_m[pair_group], False)
    column, per_value = units[0][member], units[1][member]
    builder.rows(
        np.concatenate([group_of, np.arange(groups)]),
        np.concatenate([column, total]),
        np.concatenate([-per_value, np.ones(groups)]),
        np.zeros(groups),
        np.zeros(groups),
    )
    pairs = np.arange(len(pair_group))
    builder.rows(
        np.concatenate([pair_of, pairs, pairs, pairs]),
        np.concatenate([column, total[pair_group], deficit, counted]),
        np.concatenate(
            [
                per_value,
                np.full(len(pairs), -sub.min_share),
                np.ones(len(pairs)),
                -big_m[pair_group],
            ]
        ),
        -big_m[pair_group],
        np.inf,
    )
    needed = np.minimum(suppliers, 2).astype(np.float64)
    builder.rows(pair_group, counted, np.ones(len(pairs)), needed, np.inf)
    _no_supplier_above_rows(builder, sub, (column, per_value), pair_of, pair_group, total, deficit)


def _no_supplier_above_rows(
    builder: ModelBuilder,
    sub: SubProblem,
    units: tuple[IntArray, FloatArray],
    pair_of: IntArray,
    pair_group: IntArray,
    total: IntArray,
    deficit: IntArray,
) -> None:
    """``units_dk <= (1 - share) T_d + sum_j e_dj`` for every supplier ``k`` of SKU ``d``.

    Valid for every award: of the two counted suppliers one is not ``k`` and takes at least
    ``share T_d - e``. Implied by the rows above, but without it the relaxation spreads the
    counted binaries thin and forgets dual sourcing altogether.
    """
    sizes = np.bincount(pair_group)
    group_start = np.cumsum(sizes) - sizes
    repeats = sizes[pair_group]
    row = np.repeat(np.arange(len(pair_group)), repeats)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    others = group_start[pair_group[row]] + offset
    pairs = np.arange(len(pair_group))
    builder.rows(
        np.concatenate([pair_of, pairs, row]),
        np.concatenate([units[0], total[pair_group], deficit[others]]),
        np.concatenate([units[1], np.full(len(pairs), sub.min_share - 1.0), -np.ones(len(row))]),
        -np.inf,
        np.zeros(len(pairs)),
    )


def floor_rows(
    builder: ModelBuilder,
    sub: SubProblem,
    columns: tuple[IntArray, IntArray, NDArray[np.bool_]],
    costs: tuple[FloatArray, FloatArray],
    shortfall: IntArray,
) -> None:
    """``own cost of requirement r >= floor_r``: the least cost of ``r`` on its own (no
    coupling) bounds its cost in any award; it closes most of the relaxation's gap.
    ``columns``: placed and count columns and which options are ranged; ``costs``: their
    objective coefficients."""
    if sub.requirement_floor_usd is None:
        return
    placed, counts, ranged = columns
    placed_cost, count_cost = costs
    floor = sub.requirement_floor_usd
    kept = np.isfinite(floor)
    row_of = np.cumsum(kept) - 1
    options = kept[sub.option_requirement]
    ranged_options = options & ranged
    requirements = np.flatnonzero(kept)
    builder.rows(
        np.concatenate(
            [
                row_of[sub.option_requirement[options]],
                row_of[sub.option_requirement[ranged_options]],
                row_of[requirements],
            ]
        ),
        np.concatenate([placed[options], counts[ranged_options[ranged]], shortfall[requirements]]),
        np.concatenate(
            [
                placed_cost[options],
                count_cost[ranged_options[ranged]],
                sub.shortfall_cost_usd_per_unit[requirements],
            ]
        ),
        floor[kept],
        np.inf,
    )
