"""Loss functions of discrete demand: Poisson, negative binomial and any tabulated pmf.

For integer demand ``D`` and stock ``x`` (Snyder & Shen, 2nd ed., Appendix C.3):

- first order  ``n(x) = E[(D - x)+]``, complement ``n̄(x) = E[(x - D)+] = x - E[D] + n(x)``;
- second order ``n2(x) = ½ E[(D - x)(D - x - 1); D > x]`` and
  ``n̄2(x) = ½ E[(x - D)(x + 1 - D); D <= x]``, which add up to ``½ E[(D - x)(D - x - 1)]``.

The Poisson and negative-binomial forms are closed: with ``k = floor(x) + 1`` the first integer
above ``x``, ``E[D; D >= k] = E[D] · P(D' >= k - 1)`` where ``D'`` is the size-biased
distribution (Poisson again, or negative binomial with ``r + 1``), and likewise for the factorial
moment ``E[D(D - 1); D >= k]``. No sums over the support are needed.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from shopops.planning.policy._arrays import FloatArray, Numbers, as_float
from shopops.planning.policy.loss_normal import LossPair


def _poisson_at_least(k: FloatArray, mean: FloatArray) -> FloatArray:
    """P(D >= k) for D ~ Poisson(mean) and integer k (1 for k <= 0)."""
    return np.where(k <= 0, 1.0, special.pdtrc(np.maximum(k - 1.0, 0.0), mean))


def _poisson_at_most(k: FloatArray, mean: FloatArray) -> FloatArray:
    """P(D <= k) for D ~ Poisson(mean) and integer k (0 for k < 0)."""
    return np.where(k < 0, 0.0, special.pdtr(np.maximum(k, 0.0), mean))


def poisson_loss(x: Numbers, mean: Numbers) -> LossPair:
    """First-order Poisson loss and its complement, each from its own tail.

    With ``j = ⌊x⌋``: ``n(x) = λ P(D >= j) - x P(D > j)`` and
    ``n̄(x) = x P(D <= j) - λ P(D <= j - 1)`` (from ``E[D; D >= k] = λ P(D >= k - 1)``).
    For integer ``x`` the first is the textbook ``n(x) = -(x - λ)(1 - F(x)) + λ f(x)``. The
    smaller of the two is taken from its tail and the other from ``n̄ - n = x - λ``, so
    neither loses digits to cancellation.

    Examples
    --------
    >>> round(float(poisson_loss(5, 7).loss), 6)
    2.2926
    """
    x, mean = as_float(x), as_float(mean)
    j = np.floor(x)
    loss = mean * _poisson_at_least(j, mean) - x * _poisson_at_least(j + 1.0, mean)
    leftover = x * _poisson_at_most(j, mean) - mean * _poisson_at_most(j - 1.0, mean)
    return _smaller_first(np.maximum(loss, 0.0), np.maximum(leftover, 0.0), x - mean)


def poisson_shortage(x: Numbers, mean: Numbers) -> FloatArray:
    """``n(x)`` alone, from the upper tail: exact to a few ulps of ``max(x, λ)``.

    Half the work of :func:`poisson_loss`; enough wherever only absolute accuracy matters,
    as in the cost curve ``G(y) = h(y - λ) + (h + p) n(y)``.
    """
    x, mean = as_float(x), as_float(mean)
    j = np.floor(x)
    loss = mean * _poisson_at_least(j, mean) - x * _poisson_at_least(j + 1.0, mean)
    return np.asarray(np.maximum(loss, 0.0), dtype=np.float64)


def _smaller_first(loss: FloatArray, leftover: FloatArray, gap: FloatArray) -> LossPair:
    """Keep the smaller half as computed and derive the other from ``leftover - loss = gap``."""
    above = gap >= 0.0
    return LossPair(np.where(above, loss, leftover - gap), np.where(above, loss + gap, leftover))


def poisson_second_loss(x: Numbers, mean: Numbers) -> LossPair:
    """Second-order Poisson loss and its complement, each from its own tail.

    With ``j = ⌊x⌋``, from ``(D - x)(D - x - 1) = D(D - 1) - 2xD + x(x + 1)`` and
    ``E[D(D - 1); D >= k] = λ² P(D >= k - 2)``::

        n2(x) = ½[λ² P(D >= j - 1) - 2xλ P(D >= j) + x(x + 1) P(D > j)]
        n̄2(x) = ½[x(x + 1) P(D <= j) - 2xλ P(D <= j - 1) + λ² P(D <= j - 2)]

    and ``n2 + n̄2 = ½((x - λ)² + x)``.
    """
    x, mean = as_float(x), as_float(mean)
    j = np.floor(x)
    square, cross = mean * mean, 2.0 * x * mean
    loss = 0.5 * (
        square * _poisson_at_least(j - 1.0, mean)
        - cross * _poisson_at_least(j, mean)
        + x * (x + 1.0) * _poisson_at_least(j + 1.0, mean)
    )
    leftover = 0.5 * (
        x * (x + 1.0) * _poisson_at_most(j, mean)
        - cross * _poisson_at_most(j - 1.0, mean)
        + square * _poisson_at_most(j - 2.0, mean)
    )
    whole = 0.5 * ((x - mean) ** 2 + x)
    loss, leftover = np.maximum(loss, 0.0), np.maximum(leftover, 0.0)
    small_loss = loss <= leftover
    return LossPair(
        np.where(small_loss, loss, whole - leftover), np.where(small_loss, whole - loss, leftover)
    )


def negative_binomial_parameters(mean: Numbers, sd: Numbers) -> tuple[FloatArray, FloatArray]:
    """Size ``r`` and success probability ``p`` of the negative binomial with this mean and sd.

    ``p = mean / sd²`` and ``r = mean · p / (1 - p)``; it needs ``sd² > mean``
    (over-dispersed demand), otherwise the result is ``nan``.
    """
    mean, sd = as_float(mean), as_float(sd)
    variance = sd * sd
    valid = variance > mean
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(valid, mean / np.where(valid, variance, 1.0), np.nan)
        r = np.where(valid, mean * p / (1.0 - p), np.nan)
    return r, p


def _negative_binomial_at_least(k: FloatArray, r: FloatArray, p: FloatArray) -> FloatArray:
    """P(D >= k) for D ~ NB(r, p) counting failures before the r-th success."""
    safe_k = np.maximum(k, 1.0)
    return np.where(k <= 0, 1.0, special.betainc(safe_k, r, 1.0 - p))


def negative_binomial_loss(x: Numbers, mean: Numbers, sd: Numbers) -> LossPair:
    """First-order loss of the negative binomial with the given mean and sd.

    ``n(x) = E[D] · P(D⁺ >= k - 1) - x P(D >= k)`` where ``D⁺ ~ NB(r + 1, p)`` and
    ``k = ⌊x⌋ + 1`` (``k f_r(k) = r(1 - p)/p · f_{r+1}(k - 1)``). The tail
    ``P(D >= k) = I_{1-p}(k, r)`` is the regularised incomplete beta function.
    """
    x = as_float(x)
    r, p = negative_binomial_parameters(mean, sd)
    k = np.floor(x) + 1.0
    expected = r * (1.0 - p) / p
    loss = expected * _negative_binomial_at_least(
        k - 1.0, r + 1.0, p
    ) - x * _negative_binomial_at_least(k, r, p)
    loss = np.maximum(loss, 0.0)
    return LossPair(loss, x - expected + loss)


def negative_binomial_second_loss(x: Numbers, mean: Numbers, sd: Numbers) -> LossPair:
    """Second-order loss of the negative binomial (same construction as the Poisson one).

    ``E[D(D - 1); D >= k] = r(r + 1)(1 - p)²/p² · P(D⁺⁺ >= k - 2)`` with
    ``D⁺⁺ ~ NB(r + 2, p)``.
    """
    x = as_float(x)
    r, p = negative_binomial_parameters(mean, sd)
    k = np.floor(x) + 1.0
    ratio = (1.0 - p) / p
    expected = r * ratio
    factorial = r * (r + 1.0) * ratio * ratio
    loss = 0.5 * (
        factorial * _negative_binomial_at_least(k - 2.0, r + 2.0, p)
        - 2.0 * x * expected * _negative_binomial_at_least(k - 1.0, r + 1.0, p)
        + x * (x + 1.0) * _negative_binomial_at_least(k, r, p)
    )
    loss = np.maximum(loss, 0.0)
    whole = 0.5 * (factorial - 2.0 * x * expected + x * (x + 1.0))
    return LossPair(loss, whole - loss)


def discrete_loss(x: Numbers, support: Numbers, pmf: Numbers) -> LossPair:
    """First-order loss of a tabulated distribution, for one or many rows.

    Parameters
    ----------
    x
        Stock level per row (scalar or shape ``(rows,)``).
    support, pmf
        Demand values and their probabilities, shape ``(k,)`` for one distribution or
        ``(rows, k)``; pad short rows with probability 0.

    Returns
    -------
    LossPair
        ``Σ (d - x)+ f(d)`` and ``Σ (x - d)+ f(d)`` per row.
    """
    x, values, weights = _tabulated(x, support, pmf)
    gap = values - x[..., None]
    return LossPair(
        (np.maximum(gap, 0.0) * weights).sum(axis=-1),
        (np.maximum(-gap, 0.0) * weights).sum(axis=-1),
    )


def discrete_second_loss(x: Numbers, support: Numbers, pmf: Numbers) -> LossPair:
    """Second-order loss of a tabulated distribution (integer support, see module notes)."""
    x, values, weights = _tabulated(x, support, pmf)
    gap = values - x[..., None]
    above = np.where(gap > 0.0, gap * (gap - 1.0), 0.0)
    below = np.where(gap <= 0.0, gap * (gap - 1.0), 0.0)
    return LossPair(0.5 * (above * weights).sum(axis=-1), 0.5 * (below * weights).sum(axis=-1))


def _tabulated(
    x: Numbers, support: Numbers, pmf: Numbers
) -> tuple[FloatArray, FloatArray, FloatArray]:
    x = as_float(x)
    values, weights = np.broadcast_arrays(as_float(support), as_float(pmf))
    return x, values, np.nan_to_num(weights)


def poisson_quantile(probability: Numbers, mean: Numbers) -> FloatArray:
    """Smallest integer ``k`` with ``P(Poisson(mean) <= k) >= probability``.

    Starts from the continuous inverse of the regularised incomplete gamma function
    (``scipy.special.pdtrik``) and then steps one unit at a time until the definition holds,
    which takes at most a step or two.
    """
    q, lam = np.broadcast_arrays(as_float(probability), as_float(mean))
    with np.errstate(invalid="ignore"):
        start = np.ceil(special.pdtrik(q, lam))
    k = np.where(np.isfinite(start), np.maximum(start, 0.0), 0.0)
    k = np.where(q >= 1.0, np.inf, k)
    finite = np.isfinite(k)
    for _ in range(1000):
        below = finite & (special.pdtr(np.where(finite, k, 0.0), lam) < q)
        above = finite & (k > 0) & (special.pdtr(np.maximum(k - 1.0, 0.0), lam) >= q)
        if not (below.any() or above.any()):
            break
        k = k + below - above
    return np.asarray(k, dtype=np.float64)
