"""Returns disposition: what to do with a returned item, and whether to have it sent back at all.

Per unit of a SKU with selling price ``p`` and unit cost ``c``, the value of each option
(net of what it costs us to carry out) is

==========  =====================================================  ===============
option      value per unit (USD)                                   open to grades
==========  =====================================================  ===============
restock     ``p - h`` (A, sold as new);                            A, B
            ``p x (1 - open_box_discount) - h`` (B, open box)
refurbish   ``p x refurbished_price_share - refurbish_cost_share   B, C
            x c``
liquidate   ``liquidation_recovery_share x c``                     A, B, C
dispose     ``-disposal_cost_usd_per_unit``                        A, B, C, D
==========  =====================================================  ===============

with ``h`` the restock handling per unit. C and D items cannot be sold as new; D is scrap and
can only be disposed of. The disposition is the option of highest value (ties go to the
earlier option in the table), and the recovered value of a return is
``quantity x best value - return freight``.

At request time the item has not been seen: its expected recovery is
``quantity x sum_g P(g | reason) x best value(g)`` over the grades, with ``P(g | reason)`` the
reason's grade mix: the typical one (:data:`TYPICAL_GRADE_MIX`), or the inspections on record
shrunk towards it (:func:`grade_mix_from_history`). When that is below the return freight
of the parcel, the buyer gets a returnless refund: shipping it back would cost more than it
brings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from shopops.domain.orders import ConditionGrade, Disposition, ReturnReason
from shopops.domain.params import PlanParams
from shopops.planning.fulfillment.rates import RateTable

FloatArray = NDArray[np.float64]

OPTIONS = tuple(Disposition)
"""The dispositions in order of preference when two are worth the same."""

GRADES = tuple(ConditionGrade)

OPEN_BOX_DISCOUNT = 0.25
"""A grade B item sells as open box at a quarter off the price."""

REFURBISHED_PRICE_SHARE = 0.6
"""A refurbished item sells at 60 % of the new price."""

_OPEN: Mapping[ConditionGrade, frozenset[Disposition]] = {
    ConditionGrade.A: frozenset({Disposition.RESTOCK, Disposition.LIQUIDATE, Disposition.DISPOSE}),
    ConditionGrade.B: frozenset(OPTIONS),
    ConditionGrade.C: frozenset(
        {Disposition.REFURBISH, Disposition.LIQUIDATE, Disposition.DISPOSE}
    ),
    ConditionGrade.D: frozenset({Disposition.DISPOSE}),
}

TYPICAL_GRADE_MIX: Mapping[ReturnReason, tuple[float, float, float, float]] = {
    ReturnReason.DAMAGED: (0.05, 0.15, 0.45, 0.35),
    ReturnReason.DEFECTIVE: (0.0, 0.10, 0.50, 0.40),
    ReturnReason.WRONG_ITEM: (0.80, 0.15, 0.05, 0.0),
    ReturnReason.NOT_AS_DESCRIBED: (0.55, 0.30, 0.10, 0.05),
    ReturnReason.SIZE_FIT: (0.75, 0.20, 0.05, 0.0),
    ReturnReason.CHANGED_MIND: (0.70, 0.25, 0.05, 0.0),
    ReturnReason.LATE_DELIVERY: (0.80, 0.15, 0.05, 0.0),
}
"""Share of returns graded A, B, C, D for each reason, as inspections typically find."""

GradeMix = Mapping[ReturnReason, tuple[float, float, float, float]]

PRIOR_UNITS = 20.0
"""Weight of the typical grade mix, in units, against the inspections on record."""

VALUE_COLUMNS = tuple(f"{option.value}_value_usd" for option in OPTIONS)
_OPTION_NAMES = {i: option.value for i, option in enumerate(OPTIONS)}
_REASONS = tuple(ReturnReason)


@dataclass(frozen=True, kw_only=True)
class DispositionCosts:
    """What each disposition costs or brings, per unit (see the module's table)."""

    restock_handling_usd_per_unit: float = 1.5
    refurbish_cost_share: float = 0.2
    liquidation_recovery_share: float = 0.3
    disposal_cost_usd_per_unit: float = 0.75
    open_box_discount: float = OPEN_BOX_DISCOUNT
    refurbished_price_share: float = REFURBISHED_PRICE_SHARE

    @classmethod
    def from_params(cls, params: PlanParams) -> DispositionCosts:
        """The costs users set in the planning parameters."""
        return cls(
            restock_handling_usd_per_unit=params.restock_handling_usd_per_unit,
            refurbish_cost_share=params.refurbish_cost_share,
            liquidation_recovery_share=params.liquidation_recovery_share,
            disposal_cost_usd_per_unit=params.disposal_cost_usd_per_unit,
        )


def option_values_usd(
    price_usd: FloatArray,
    unit_cost_usd: FloatArray,
    grade: NDArray[np.int64],
    costs: DispositionCosts,
) -> FloatArray:
    """Value per unit of each option (columns in :data:`OPTIONS` order); ``-inf`` where closed.

    ``grade`` holds positions in :data:`GRADES` (0 for A ... 3 for D).
    """
    price = np.asarray(price_usd, dtype=np.float64)
    cost = np.asarray(unit_cost_usd, dtype=np.float64)
    grade = np.asarray(grade, dtype=np.int64)
    resale = np.where(grade == 0, price, price * (1.0 - costs.open_box_discount))
    values = np.stack(
        [
            resale - costs.restock_handling_usd_per_unit,
            price * costs.refurbished_price_share - costs.refurbish_cost_share * cost,
            costs.liquidation_recovery_share * cost,
            np.full(price.shape, -costs.disposal_cost_usd_per_unit),
        ],
        axis=-1,
    )
    open_ = np.array([[option in _OPEN[g] for option in OPTIONS] for g in GRADES])
    return np.where(open_[grade], values, -np.inf)


def best_options(values: FloatArray) -> tuple[NDArray[np.int64], FloatArray]:
    """Position in :data:`OPTIONS` and value of the best option of each row (first on ties)."""
    best = np.argmax(values, axis=-1)
    return best, np.take_along_axis(values, best[..., None], axis=-1)[..., 0]


def choose_dispositions(items: pl.DataFrame, costs: DispositionCosts) -> pl.DataFrame:
    """The disposition of each graded return and the value it recovers.

    Parameters
    ----------
    items
        ``price_usd``, ``unit_cost_usd``, ``condition_grade`` (A-D), ``quantity_units`` and,
        optionally, ``return_freight_usd`` (paid to bring the parcel back; 0 if missing).

    Returns
    -------
    The items with each option's value per unit (``<option>_value_usd``, null where the grade
    does not allow it), ``disposition`` and ``recovered_value_usd`` =
    ``quantity x best value - return freight``.
    """
    grade = _grade_positions(items["condition_grade"])
    values = option_values_usd(
        items["price_usd"].to_numpy(), items["unit_cost_usd"].to_numpy(), grade, costs
    )
    best, best_value = best_options(values)
    freight = (
        items["return_freight_usd"].fill_null(0.0).to_numpy()
        if "return_freight_usd" in items.columns
        else np.zeros(items.height)
    )
    recovered = items["quantity_units"].to_numpy() * best_value - freight
    columns = {
        name: pl.Series(name, np.where(np.isinf(values[:, i]), np.nan, values[:, i])).fill_nan(None)
        for i, name in enumerate(VALUE_COLUMNS)
    }
    return items.with_columns(
        **columns,
        disposition=pl.Series(best, dtype=pl.Int64).replace_strict(
            _OPTION_NAMES, return_dtype=pl.String
        ),
        recovered_value_usd=pl.Series(np.round(recovered, 2), dtype=pl.Float64),
    )


def expected_recovery_usd_per_unit(
    price_usd: FloatArray,
    unit_cost_usd: FloatArray,
    reason: NDArray[np.int64],
    costs: DispositionCosts,
    grade_mix: GradeMix = TYPICAL_GRADE_MIX,
) -> FloatArray:
    """``sum_g P(g | reason) x best value(g)`` per unit, for items not inspected yet.

    ``reason`` holds positions in :class:`ReturnReason`'s order.
    """
    price = np.asarray(price_usd, dtype=np.float64)
    cost = np.asarray(unit_cost_usd, dtype=np.float64)
    mix = np.array([grade_mix[r] for r in _REASONS], dtype=np.float64)[np.asarray(reason)]
    best_by_grade = np.stack(
        [
            best_options(option_values_usd(price, cost, np.full(price.shape, g), costs))[1]
            for g in range(len(GRADES))
        ],
        axis=-1,
    )
    return np.asarray((mix * best_by_grade).sum(axis=-1))


def grade_mix_from_history(
    graded: pl.DataFrame, *, prior: GradeMix = TYPICAL_GRADE_MIX, prior_units: float = PRIOR_UNITS
) -> dict[ReturnReason, tuple[float, float, float, float]]:
    """The grade mix of each reason, learned from inspections and shrunk to the typical one.

    ``P(g | reason) = (prior_units x typical share(g) + units graded g) / (prior_units + units
    graded)``, counting the units of ``graded`` (``reason``, ``condition_grade``,
    ``quantity_units``): with no history it is the typical mix, with much it is the record.
    """
    counts = np.zeros((len(_REASONS), len(GRADES)))
    if graded.height:
        reason = _positions(graded["reason"], [r.value for r in _REASONS], "reason")
        grade = _grade_positions(graded["condition_grade"])
        np.add.at(counts, (reason, grade), graded["quantity_units"].to_numpy())
    mix = np.array([prior[r] for r in _REASONS]) * prior_units + counts
    mix /= mix.sum(axis=1, keepdims=True)
    return {r: (mix[i, 0], mix[i, 1], mix[i, 2], mix[i, 3]) for i, r in enumerate(_REASONS)}


def return_decisions(
    requests: pl.DataFrame,
    costs: DispositionCosts,
    grade_mix: GradeMix = TYPICAL_GRADE_MIX,
) -> pl.DataFrame:
    """Whether each requested return is worth shipping back, or refunded returnless.

    ``requests`` has ``reason``, ``price_usd``, ``unit_cost_usd``, ``quantity_units`` and
    ``return_freight_usd`` (NaN or null when no carrier prices the parcel: it comes back).
    Adds ``expected_recovery_usd`` and ``returnless`` (expected recovery < freight).
    """
    per_unit = expected_recovery_usd_per_unit(
        requests["price_usd"].to_numpy(),
        requests["unit_cost_usd"].to_numpy(),
        _positions(requests["reason"], [r.value for r in _REASONS], "reason"),
        costs,
        grade_mix,
    )
    expected = requests["quantity_units"].to_numpy() * per_unit
    freight = requests["return_freight_usd"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    returnless = np.where(np.isnan(freight), False, expected < freight)
    return requests.with_columns(
        expected_recovery_usd=pl.Series(np.round(expected, 2), dtype=pl.Float64),
        returnless=pl.Series(returnless, dtype=pl.Boolean),
    )


def return_freight_usd(
    rates: RateTable, service_id: str, zone: int, weight_kg: float, volume_cm3: float
) -> float:
    """Postage of the parcel coming back, on the lane it went out on.

    Priced with the outbound shipment's service; if that service does not take the parcel,
    with the cheapest service that does in the zone; NaN when none does.
    """
    if service_id in rates.service_ids:
        service = rates.index([service_id])
        _, price = rates.parcel_cost_usd(
            service, np.array([zone]), np.array([weight_kg]), np.array([volume_cm3])
        )
        if not np.isnan(price[0]):
            return float(price[0])
    every = np.arange(len(rates.service_ids))
    _, prices = rates.parcel_cost_usd(
        every,
        np.full(every.shape, zone),
        np.full(every.shape, weight_kg),
        np.full(every.shape, volume_cm3),
    )
    return float(np.nanmin(prices)) if np.any(~np.isnan(prices)) else float("nan")


def _grade_positions(grades: pl.Series) -> NDArray[np.int64]:
    return _positions(grades, [g.value for g in GRADES], "condition_grade")


def _positions(values: pl.Series, names: list[str], column: str) -> NDArray[np.int64]:
    """Index of each value in ``names``; unknown values are refused, naming the column."""
    unknown = values.filter(~values.is_in(names)).unique().sort().to_list()
    if unknown:
        raise ValueError(f"{column} must be one of {', '.join(names)}; got {unknown}")
    position = {name: i for i, name in enumerate(names)}
    return values.replace_strict(position, return_dtype=pl.Int64).to_numpy()
