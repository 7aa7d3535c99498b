"""Award requirements to supplier offers at least landed cost plus risk: the public entry.

:func:`award_suppliers` solves the award piece by piece (:mod:`.decomposition`), exactly up
to ``rules.mip_gap``; :func:`solve_direct` builds the same model as one HiGHS MILP, the
reference both are checked against. Both return an :class:`Award` of frames.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass

import polars as pl

from shopops.planning.solvers import SolverOptions, relative_gap, solve
from shopops.planning.sourcing.decomposition import (
    DecomposedAward,
    solve_decomposed,
    worker_pool,
)
from shopops.planning.sourcing.evaluate import evaluate
from shopops.planning.sourcing.explain import award_alternatives, explain_lines, pair_facts
from shopops.planning.sourcing.inputs import validate_inputs
from shopops.planning.sourcing.instance import SourcingInstance, build_instance
from shopops.planning.sourcing.model import build_problem
from shopops.planning.sourcing.report import award_lines
from shopops.planning.sourcing.rules import SourcingRules
from shopops.planning.sourcing.shortfalls import (
    award_shortfalls,
    dual_source_violations,
    share_of_spend,
    share_violations,
)

POOL_FROM_REQUIREMENTS = 2_000
"""Below this many requirements the award is solved in this process (a pool of processes
takes about a second to start, started while the instance is built)."""


@dataclass(frozen=True)
class AwardStats:
    """How the award was solved: objective and proven bound (USD), their relative gap,
    wall time, independent components, MILPs solved, requirements decided exactly without a
    MILP, MILP columns and integer columns, and the solver status (optimal or feasible)."""

    objective_usd: float
    best_bound_usd: float
    gap: float
    seconds: float
    components: int
    sub_problems: int
    exact_requirements: int
    variables: int
    binaries: int
    status: str


@dataclass(frozen=True)
class Award:
    """The award: order lines, every alternative, shortfalls, broken rules and stats."""

    lines: pl.DataFrame
    alternatives: pl.DataFrame
    shortfalls: pl.DataFrame
    share_violations: pl.DataFrame
    dual_source_violations: pl.DataFrame
    stats: AwardStats


def award_suppliers(
    requirements: pl.DataFrame,
    offers: pl.DataFrame,
    tiers: pl.DataFrame,
    suppliers: pl.DataFrame,
    *,
    order_date: dt.date,
    rules: SourcingRules | None = None,
    workers: int | None = None,
) -> Award:
    """Award each requirement to supplier offers at least cost (see the package notes).

    Parameters
    ----------
    requirements, offers, tiers, suppliers
        The frames of :mod:`.inputs` (prices in USD, offers valid on ``order_date``).
    order_date
        The day purchase orders are placed.
    rules
        Share cap, dual sourcing, penalty rates, gap and time limit.
    workers
        Processes to solve pieces over; ``None``: every core for a large award, this
        process for a small one.

    Raises
    ------
    ValueError
        A frame lacks a required column (named in the message) or holds impossible values.
    """
    began = time.perf_counter()
    rules = rules or SourcingRules()
    if workers is None:
        large = requirements.height >= POOL_FROM_REQUIREMENTS
        workers = (os.cpu_count() or 1) if large else 1
    with worker_pool(workers) as run:
        instance = _instance(requirements, offers, tiers, suppliers, order_date, rules)
        result = solve_decomposed(instance.arrays, rules, run=run, workers=workers)
    return _award(instance, result, time.perf_counter() - began)


def solve_direct(
    requirements: pl.DataFrame,
    offers: pl.DataFrame,
    tiers: pl.DataFrame,
    suppliers: pl.DataFrame,
    *,
    order_date: dt.date,
    rules: SourcingRules | None = None,
) -> Award:
    """The same award as one HiGHS MILP of the whole instance, with HiGHS's defaults."""
    began = time.perf_counter()
    rules = rules or SourcingRules()
    instance = _instance(requirements, offers, tiers, suppliers, order_date, rules)
    arrays = instance.arrays
    problem, columns = build_problem(arrays)
    options = SolverOptions(
        mip_rel_gap=rules.mip_gap,
        time_limit_seconds=rules.time_limit_seconds,
        threads=rules.threads,
    )
    solution = solve(problem, options)
    if not solution.has_values:
        raise RuntimeError(f"the sourcing MILP ended {solution.status.value}")
    counts = columns.option_counts(solution.values)
    result = DecomposedAward(
        counts=counts,
        objective_usd=evaluate(arrays, counts).objective_usd,
        best_bound_usd=solution.best_bound,
        status=solution.status,
        components=1,
        sub_problems=1,
        exact_requirements=0,
        variables=problem.num_columns,
        binaries=problem.num_integers,
    )
    return _award(instance, result, time.perf_counter() - began)


def _instance(
    requirements: pl.DataFrame,
    offers: pl.DataFrame,
    tiers: pl.DataFrame,
    suppliers: pl.DataFrame,
    order_date: dt.date,
    rules: SourcingRules,
) -> SourcingInstance:
    validate_inputs(requirements, offers, tiers, suppliers)
    return build_instance(
        requirements, offers, tiers, suppliers, order_date=order_date, rules=rules
    )


def _award(instance: SourcingInstance, result: DecomposedAward, seconds: float) -> Award:
    lines = award_lines(instance, result.counts)
    facts = pair_facts(instance, lines, _capped_suppliers(instance, lines))
    alternatives = award_alternatives(facts)
    shortfall = evaluate(instance.arrays, result.counts).shortfall_units
    return Award(
        lines=explain_lines(instance, lines, facts),
        alternatives=alternatives,
        shortfalls=award_shortfalls(instance, shortfall, facts),
        share_violations=share_violations(instance, lines),
        dual_source_violations=dual_source_violations(instance, lines),
        stats=_stats(result, seconds),
    )


def _capped_suppliers(instance: SourcingInstance, lines: pl.DataFrame) -> pl.DataFrame:
    """Suppliers at (or above) their category's share cap: ``category_id``, ``supplier_id``."""
    cap = instance.rules.category_share_cap
    return (
        share_of_spend(instance, lines)
        .filter(pl.col("share") >= cap - 1e-6)
        .select("category_id", "supplier_id", pl.lit(True).alias("_at_cap"))
    )


def _stats(result: DecomposedAward, seconds: float) -> AwardStats:
    return AwardStats(
        objective_usd=result.objective_usd,
        best_bound_usd=result.best_bound_usd,
        gap=relative_gap(result.objective_usd, result.best_bound_usd),
        seconds=seconds,
        components=result.components,
        sub_problems=result.sub_problems,
        exact_requirements=result.exact_requirements,
        variables=result.variables,
        binaries=result.binaries,
        status=result.status.value,
    )
