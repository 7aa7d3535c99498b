"""Vectorised root finding: a safeguarded Newton method over many rows at once."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from shopops.planning.policy._arrays import FloatArray, IntArray

# value(x, rows) -> (f(x), f'(x)) for the rows selected by the index array ``rows``.
ValueAndSlope = Callable[[FloatArray, IntArray], tuple[FloatArray, FloatArray]]


def find_root(
    value_and_slope: ValueAndSlope,
    low: FloatArray,
    high: FloatArray,
    *,
    increasing: bool,
    start: FloatArray | None = None,
    tolerance: float = 1e-12,
    max_iterations: int = 200,
) -> FloatArray:
    """Root of a monotone function in ``[low, high]`` for every row.

    Newton steps are taken while they stay inside the current bracket; otherwise the bracket
    is halved. The bracket shrinks at every step, so the method cannot diverge, and near the
    root it converges quadratically. Only rows that have not converged are evaluated again.

    Parameters
    ----------
    value_and_slope
        ``f(x, rows)`` returning the function value and its derivative at ``x`` for the rows
        ``rows`` (an index array into the full row set).
    low, high
        A bracket per row: ``f(low)`` and ``f(high)`` must have opposite signs (or be zero).
    increasing
        Whether ``f`` rises with ``x`` (otherwise it falls).
    start
        First guess per row (the bracket midpoint when omitted).
    tolerance
        Convergence when a step is smaller than ``tolerance * (1 + |x|)``.
    max_iterations
        Upper bound on the number of steps.

    Returns
    -------
    numpy.ndarray
        The root per row; ``nan`` where the bracket was ``nan``.
    """
    low = np.array(low, dtype=np.float64)
    high = np.array(high, dtype=np.float64)
    x = 0.5 * (low + high) if start is None else np.clip(start, low, high)
    active = np.flatnonzero(np.isfinite(x))
    for _ in range(max_iterations):
        if active.size == 0:
            break
        xa = x[active]
        value, slope = value_and_slope(xa, active)
        root_below = value > 0.0 if increasing else value < 0.0
        lo = np.where(root_below, low[active], xa)
        hi = np.where(root_below, xa, high[active])
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = xa - value / slope
        inside = np.isfinite(newton) & (newton > lo) & (newton < hi)
        step = np.where(inside, newton, 0.5 * (lo + hi))
        step = np.where(value == 0.0, xa, step)
        low[active], high[active], x[active] = lo, hi, step
        moving = np.abs(step - xa) > tolerance * (1.0 + np.abs(xa))
        active = active[moving & (hi - lo > tolerance * (1.0 + np.abs(xa)))]
    return x
