"""Demand over the protection interval (lead time, plus the review period when there is one)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.policy._arrays import FloatArray, Numbers, PolicyTable, as_rows


@dataclass(frozen=True, slots=True)
class LeadTimeDemand(PolicyTable):
    """Mean and standard deviation of demand over each row's protection interval."""

    demand_mean_units_per_day: FloatArray
    demand_sd_units_per_day: FloatArray
    lead_time_mean_days: FloatArray
    lead_time_sd_days: FloatArray
    review_period_days: FloatArray
    protection_interval_days: FloatArray
    lead_time_demand_mean_units: FloatArray
    lead_time_demand_sd_units: FloatArray


def compute_lead_time_demand(
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_mean_days: Numbers,
    lead_time_sd_days: Numbers = 0.0,
    review_period_days: Numbers = 0.0,
) -> LeadTimeDemand:
    """Demand over lead time (and review period) with random daily demand and lead time.

    With daily demand of mean ``μ_d`` and sd ``σ_d`` (independent from day to day), a lead
    time of mean ``L`` and sd ``σ_L`` (independent of demand), and a review period ``R``::

        μ_LTD  = μ_d (L + R)
        σ²_LTD = (L + R) σ_d² + μ_d² σ_L²

    This is the random-sum variance formula (Snyder & Shen, 2nd ed., §4.3.3; Silver, Pyke &
    Thomas, *Inventory and Production Management in Supply Chains*, 4th ed., §6.10.1).
    ``R = 0`` is continuous review; ``R > 0`` is the protection interval of an
    order-up-to policy reviewed every ``R`` days.

    Parameters
    ----------
    demand_mean_units_per_day, demand_sd_units_per_day
        Mean and standard deviation of one day's demand.
    lead_time_mean_days, lead_time_sd_days
        Mean and standard deviation of the replenishment lead time.
    review_period_days
        Days between reviews (0 for continuous review).

    Returns
    -------
    LeadTimeDemand
        The inputs, the protection interval ``L + R`` and the mean and sd of its demand.

    Examples
    --------
    >>> ltd = compute_lead_time_demand(10.0, 3.0, 4.0, 1.0)
    >>> float(ltd.lead_time_demand_mean_units[0]), float(ltd.lead_time_demand_sd_units[0])
    (40.0, 11.661903789690601)
    """
    mean, sd, lead, lead_sd, review = as_rows(
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_mean_days,
        lead_time_sd_days,
        review_period_days,
    )
    interval = lead + review
    variance = interval * sd * sd + mean * mean * lead_sd * lead_sd
    return LeadTimeDemand(
        demand_mean_units_per_day=mean,
        demand_sd_units_per_day=sd,
        lead_time_mean_days=lead,
        lead_time_sd_days=lead_sd,
        review_period_days=review,
        protection_interval_days=interval,
        lead_time_demand_mean_units=mean * interval,
        lead_time_demand_sd_units=np.sqrt(variance),
    )
