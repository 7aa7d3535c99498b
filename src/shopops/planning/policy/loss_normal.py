"""Normal loss functions of first and second order, and their inverses.

For a random demand ``D`` and a stock level ``x`` the first-order loss ``n(x) = E[(D - x)+]`` is
the expected shortage and its complement ``n̄(x) = E[(x - D)+]`` the expected leftover. The
second-order loss ``n2(x) = ½ E[((D - x)+)²]`` is the integral of ``n`` from ``x`` to infinity;
it gives the exact cost of (r, Q) policies. Source: Snyder & Shen, *Fundamentals of Supply Chain
Theory*, 2nd ed., Appendix C; Hadley & Whitin (1963), *Analysis of Inventory Systems*.

The upper tail is computed with the scaled complementary error function so that losses keep
their relative precision far into the tail (z = 30 and beyond), where the textbook formula
``φ(z) - z(1 - Φ(z))`` cancels to zero.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import special

from shopops.planning.policy._arrays import BoolArray, FloatArray, IntArray, Numbers, as_float
from shopops.planning.policy._roots import find_root

_SQRT_HALF_PI = float(np.sqrt(np.pi / 2.0))
_SQRT_TWO_PI = float(np.sqrt(2.0 * np.pi))


class LossPair(NamedTuple):
    """A loss function value and its complement.

    ``loss`` is ``E[(D - x)+]`` (first order) or ``½ E[((D - x)+)²]`` (second order);
    ``complementary`` is ``E[(x - D)+]`` or ``½ E[((x - D)+)²]`` for continuous ``D``.
    """

    loss: FloatArray
    complementary: FloatArray


def standard_normal_pdf(z: Numbers) -> FloatArray:
    """Density φ(z) of the standard normal distribution."""
    z = as_float(z)
    return np.exp(-0.5 * z * z) / _SQRT_TWO_PI


def _mills_ratio(z: FloatArray) -> FloatArray:
    """(1 - Φ(z)) / φ(z), accurate for large z."""
    return np.asarray(_SQRT_HALF_PI * special.erfcx(z / np.sqrt(2.0)), dtype=np.float64)


def _scaled_loss(z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(L(z), L2(z)) computed without cancellation on either side of zero."""
    finite = np.isfinite(z)
    z_finite = np.where(finite, z, 0.0)
    pdf = standard_normal_pdf(z_finite)
    upper = z_finite > 0.0
    zu = np.where(upper, z_finite, 0.0)
    mills = _mills_ratio(zu)
    survival = special.ndtr(-z_finite)
    first = np.where(upper, pdf * (1.0 - zu * mills), pdf - z_finite * survival)
    second_upper = 0.5 * pdf * ((zu * zu + 1.0) * mills - zu)
    second_lower = 0.5 * ((z_finite * z_finite + 1.0) * survival - z_finite * pdf)
    second = np.where(upper, second_upper, second_lower)
    # Infinite levels: nothing is ever short above +inf, everything below -inf.
    at_infinity = np.where(z > 0.0, 0.0, np.inf)
    first = np.where(finite, np.maximum(first, 0.0), np.where(np.isnan(z), np.nan, at_infinity))
    second = np.where(finite, np.maximum(second, 0.0), np.where(np.isnan(z), np.nan, at_infinity))
    return first, second


def standard_normal_loss(z: Numbers) -> LossPair:
    """First-order standard normal loss ``L(z) = φ(z) - z(1 - Φ(z))`` and ``L̄(z) = z + L(z)``.

    The complement is computed as ``L̄(z) = L(-z)`` (``-Z`` has the same law as ``Z``), so it
    keeps its digits where it is tiny instead of being a difference of two large numbers.

    Parameters
    ----------
    z
        Standardised stock level(s).

    Returns
    -------
    LossPair
        ``L(z) = E[(Z - z)+]`` and ``L̄(z) = E[(z - Z)+]`` for ``Z ~ N(0, 1)``.

    Examples
    --------
    >>> round(float(standard_normal_loss(-1.4).loss), 6)
    1.436668
    """
    z = as_float(z)
    return LossPair(_scaled_loss(z)[0], _scaled_loss(-z)[0])


def standard_normal_second_loss(z: Numbers) -> LossPair:
    """Second-order standard normal loss ``L2(z) = ½[(z² + 1)(1 - Φ(z)) - zφ(z)]``.

    The complement ``L̄2(z) = ½(z² + 1) - L2(z)`` (Snyder & Shen, eq. C.24-C.25) is computed
    as ``L2(-z)``.

    Examples
    --------
    >>> round(float(standard_normal_second_loss(0.3).loss), 6)
    0.15103
    """
    z = as_float(z)
    return LossPair(_scaled_loss(z)[1], _scaled_loss(-z)[1])


def _standardised(
    x: Numbers, mean: Numbers, sd: Numbers
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, BoolArray]:
    """Broadcast ``x``, ``mean``, ``sd``; ``z = (x - mean)/sd`` where ``sd > 0`` (else 0)."""
    x, mean, sd = (np.asarray(a, dtype=np.float64) for a in np.broadcast_arrays(x, mean, sd))
    positive = np.asarray(sd > 0.0, dtype=np.bool_)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(positive, (x - mean) / np.where(positive, sd, 1.0), 0.0)
    return x, mean, sd, z, positive


def normal_shortage(x: Numbers, mean: Numbers, sd: Numbers) -> FloatArray:
    """``n(x)`` alone: the expected units short at level ``x`` (half the work of the pair)."""
    x, mean, sd, z, positive = _standardised(x, mean, sd)
    return np.where(positive, sd * _scaled_loss(z)[0], np.maximum(mean - x, 0.0))


def normal_second_shortage(x: Numbers, mean: Numbers, sd: Numbers) -> FloatArray:
    """``n2(x)`` alone: ``∫_x^∞ n(y) dy``, the second-order loss without its complement."""
    x, mean, sd, z, positive = _standardised(x, mean, sd)
    return np.where(positive, sd * sd * _scaled_loss(z)[1], 0.5 * np.maximum(mean - x, 0.0) ** 2)


def normal_loss(x: Numbers, mean: Numbers, sd: Numbers) -> LossPair:
    """First-order loss of ``N(mean, sd²)``: ``n(x) = sd · L((x - mean) / sd)``.

    The complement is ``n̄(x) = x - mean + n(x) = sd · L((mean - x) / sd)``. A zero ``sd`` is
    deterministic demand: ``n(x) = (mean - x)+``.
    """
    x, mean, sd, z, positive = _standardised(x, mean, sd)
    loss = np.where(positive, sd * _scaled_loss(z)[0], np.maximum(mean - x, 0.0))
    leftover = np.where(positive, sd * _scaled_loss(-z)[0], np.maximum(x - mean, 0.0))
    return LossPair(loss, leftover)


def normal_second_loss(x: Numbers, mean: Numbers, sd: Numbers) -> LossPair:
    """Second-order loss of ``N(mean, sd²)``: ``n2(x) = sd² · L2((x - mean) / sd)``.

    The complement is ``n̄2(x) = ½((x - mean)² + sd²) - n2(x) = sd² · L2((mean - x) / sd)``.
    A zero ``sd`` gives ``n2(x) = ½((mean - x)+)²``.
    """
    x, mean, sd, z, positive = _standardised(x, mean, sd)
    loss = np.where(positive, sd * sd * _scaled_loss(z)[1], 0.5 * np.maximum(mean - x, 0.0) ** 2)
    leftover = np.where(
        positive, sd * sd * _scaled_loss(-z)[1], 0.5 * np.maximum(x - mean, 0.0) ** 2
    )
    return LossPair(loss, leftover)


def inverse_standard_normal_loss(loss: Numbers) -> FloatArray:
    """The ``z`` with ``L(z) = loss``: the standardised stock that leaves ``loss`` short.

    ``L`` falls from infinity to zero, so every positive ``loss`` has exactly one ``z``.
    Solved by safeguarded Newton steps on ``log L(z)``, whose slope is
    ``-(1 - Φ(z)) / L(z)``. ``loss = 0`` gives ``+inf``; a negative ``loss`` gives ``nan``.

    Examples
    --------
    >>> round(float(inverse_standard_normal_loss(0.266761242117210)), 9)
    0.3
    """
    return _invert(as_float(loss), order=1)


def inverse_standard_normal_second_loss(loss: Numbers) -> FloatArray:
    """The ``z`` with ``L2(z) = loss`` (``L2`` falls with slope ``-L(z)``)."""
    return _invert(as_float(loss), order=2)


def _invert(target: FloatArray, *, order: int) -> FloatArray:
    shape = target.shape
    flat = target.reshape(-1)
    result = np.full(flat.shape, np.nan)
    result[flat == 0.0] = np.inf
    solvable = np.flatnonzero(flat > 0.0)
    if solvable.size:
        wanted = flat[solvable]
        log_wanted = np.log(wanted)
        # L(z) >= -z and L2(z) >= z²/2 for z <= 0; both tails fall faster than φ(z) for z >= 1.
        reach = wanted if order == 1 else np.sqrt(2.0 * wanted)
        low = -reach - 1.0
        tail = np.sqrt(np.maximum(-2.0 * np.log(wanted * _SQRT_TWO_PI), 0.0))
        high = np.maximum(tail, 1.0) + 1.0

        def value_and_slope(z: np.ndarray, rows: IntArray) -> tuple[FloatArray, FloatArray]:
            first, second = _scaled_loss(z)
            level, slope = (first, -special.ndtr(-z)) if order == 1 else (second, -first)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.log(level) - log_wanted[rows], slope / level

        result[solvable] = find_root(value_and_slope, low, high, increasing=False)
    return result.reshape(shape)
