"""Loss functions of skewed continuous demand: gamma, exponential and lognormal.

Closed forms from partial expectations (Snyder & Shen, 2nd ed., Appendix C): for ``x >= 0``,

- gamma with shape ``a`` and scale ``b``: ``E[D; D > x] = ab · Q(a + 1, x/b)`` and
  ``E[D²; D > x] = a(a + 1)b² · Q(a + 2, x/b)``, ``Q`` the regularised upper incomplete gamma;
- lognormal with log-mean ``μ`` and log-sd ``σ``: ``E[Dᵏ; D > x] = e^{kμ + k²σ²/2} Φ(d_k)``,
  ``d_k = (μ + kσ² - ln x) / σ``.

Then ``n(x) = E[D; D > x] - x P(D > x)`` and
``n2(x) = ½(E[D²; D > x] - 2x E[D; D > x] + x² P(D > x))``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from shopops.planning.policy._arrays import FloatArray, Numbers, as_float
from shopops.planning.policy.loss_normal import LossPair


def _from_partial_moments(
    x: FloatArray,
    tail: FloatArray,
    first: FloatArray,
    second: FloatArray,
    mean: FloatArray,
    mean_square: FloatArray,
) -> tuple[LossPair, LossPair]:
    loss = np.maximum(first - x * tail, 0.0)
    loss2 = np.maximum(0.5 * (second - 2.0 * x * first + x * x * tail), 0.0)
    whole2 = 0.5 * (mean_square - 2.0 * x * mean + x * x)
    return LossPair(loss, x - mean + loss), LossPair(loss2, whole2 - loss2)


def _gamma_pairs(x: Numbers, shape: Numbers, scale: Numbers) -> tuple[LossPair, LossPair]:
    x, a, b = as_float(x), as_float(shape), as_float(scale)
    u = np.maximum(x, 0.0) / b
    mean, mean_square = a * b, a * (a + 1.0) * b * b
    return _from_partial_moments(
        x,
        special.gammaincc(a, u),
        mean * special.gammaincc(a + 1.0, u),
        mean_square * special.gammaincc(a + 2.0, u),
        mean,
        mean_square,
    )


def gamma_loss(x: Numbers, shape: Numbers, scale: Numbers) -> LossPair:
    """First-order loss of the gamma distribution with ``shape`` a and ``scale`` b."""
    return _gamma_pairs(x, shape, scale)[0]


def gamma_second_loss(x: Numbers, shape: Numbers, scale: Numbers) -> LossPair:
    """Second-order loss ``½ E[((D - x)+)²]`` of the gamma distribution."""
    return _gamma_pairs(x, shape, scale)[1]


def exponential_loss(x: Numbers, rate: Numbers) -> LossPair:
    """First-order loss of the exponential distribution: ``n(x) = e^{-rate·x} / rate``."""
    return _gamma_pairs(x, 1.0, 1.0 / as_float(rate))[0]


def exponential_second_loss(x: Numbers, rate: Numbers) -> LossPair:
    """Second-order loss of the exponential distribution: ``n2(x) = e^{-rate·x} / rate²``."""
    return _gamma_pairs(x, 1.0, 1.0 / as_float(rate))[1]


def _lognormal_pairs(x: Numbers, log_mean: Numbers, log_sd: Numbers) -> tuple[LossPair, LossPair]:
    x, mu, sigma = as_float(x), as_float(log_mean), as_float(log_sd)
    positive = x > 0.0
    with np.errstate(divide="ignore"):
        log_x = np.where(positive, np.log(np.where(positive, x, 1.0)), -np.inf)
    mean = np.exp(mu + 0.5 * sigma * sigma)
    mean_square = np.exp(2.0 * mu + 2.0 * sigma * sigma)
    return _from_partial_moments(
        x,
        special.ndtr((mu - log_x) / sigma),
        mean * special.ndtr((mu + sigma * sigma - log_x) / sigma),
        mean_square * special.ndtr((mu + 2.0 * sigma * sigma - log_x) / sigma),
        mean,
        mean_square,
    )


def lognormal_loss(x: Numbers, log_mean: Numbers, log_sd: Numbers) -> LossPair:
    """First-order loss of the lognormal distribution with parameters ``μ``, ``σ`` of ``ln D``."""
    return _lognormal_pairs(x, log_mean, log_sd)[0]


def lognormal_second_loss(x: Numbers, log_mean: Numbers, log_sd: Numbers) -> LossPair:
    """Second-order loss ``½ E[((D - x)+)²]`` of the lognormal distribution."""
    return _lognormal_pairs(x, log_mean, log_sd)[1]
