"""The one-period cost curve ``G(y)`` of Poisson lead-time demand, on integer stock levels.

``G(y) = h E[(y - D)+] + p E[(D - y)+] = h(y - μ) + (h + p) n(y)`` with ``D ~ Poisson(μ)``.
Sums of ``G`` over a run of integers are closed forms, because the second-order loss telescopes:
``n2(y - 1) - n2(y) = n(y)``, so ``Σ_{y=a}^{b} n(y) = n2(a - 1) - n2(b)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.policy._arrays import FloatArray, IntArray
from shopops.planning.policy.loss_discrete import (
    poisson_quantile,
    poisson_second_loss,
    poisson_shortage,
)


@dataclass(frozen=True, slots=True)
class PoissonCostCurve:
    """``G`` for many rows; methods take stock levels and the row indices they belong to."""

    mean: FloatArray
    holding: FloatArray
    stockout: FloatArray

    def value(self, y: FloatArray, rows: IntArray) -> FloatArray:
        """``G(y)`` for integer ``y`` (any shape whose first axis matches ``rows``)."""
        mu, h, p = self.mean[rows], self.holding[rows], self.stockout[rows]
        if y.ndim == 2:
            mu, h, p = mu[:, None], h[:, None], p[:, None]
        return h * (y - mu) + (h + p) * poisson_shortage(y, mu)

    def total(self, first: FloatArray, last: FloatArray, rows: IntArray) -> FloatArray:
        """``Σ_{y=first}^{last} G(y)`` in closed form (0 when ``last < first``)."""
        mu, h, p = self.mean[rows], self.holding[rows], self.stockout[rows]
        count = last - first + 1.0
        linear = count * (0.5 * (first + last) - mu)
        tail = poisson_second_loss(first - 1.0, mu).loss - poisson_second_loss(last, mu).loss
        return np.where(count > 0, h * linear + (h + p) * tail, 0.0)

    def minimiser(self) -> FloatArray:
        """Smallest integer minimiser of ``G``: the ``p/(p + h)`` quantile of demand."""
        return poisson_quantile(self.stockout / (self.stockout + self.holding), self.mean)

    def last_at_most(
        self, level: FloatArray, low: FloatArray, high: FloatArray, rows: IntArray
    ) -> FloatArray:
        """Largest integer ``y`` in ``[low, high]`` with ``G(y) <= level`` where ``G`` rises.

        ``G(low) <= level`` and ``G(high) > level`` are required; integer bisection.
        """
        low, high = low.copy(), high.copy()
        while True:
            open_ = np.flatnonzero(high - low > 1.0)
            if open_.size == 0:
                return low
            mid = np.floor(0.5 * (low[open_] + high[open_]))
            inside = self.value(mid, rows[open_]) <= level[open_]
            low[open_] = np.where(inside, mid, low[open_])
            high[open_] = np.where(inside, high[open_], mid)

    def first_at_most(
        self, level: FloatArray, low: FloatArray, high: FloatArray, rows: IntArray
    ) -> FloatArray:
        """Smallest integer ``y`` in ``[low, high]`` with ``G(y) <= level`` where ``G`` falls.

        ``G(low) > level`` and ``G(high) <= level`` are required; integer bisection.
        """
        low, high = low.copy(), high.copy()
        while True:
            open_ = np.flatnonzero(high - low > 1.0)
            if open_.size == 0:
                return high
            mid = np.floor(0.5 * (low[open_] + high[open_]))
            inside = self.value(mid, rows[open_]) <= level[open_]
            high[open_] = np.where(inside, mid, high[open_])
            low[open_] = np.where(inside, low[open_], mid)
