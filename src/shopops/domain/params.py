"""Business parameters of a plan run: service targets and the planning knobs users set.

Users edit them as rows (``planning_parameters``, ``service_level_targets``); each plan run
copies the values it used into its record, so any run can be explained and replayed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class AbcClass(StrEnum):
    """Share of consumption value: A the few SKUs that make most of it, C the long tail."""

    A = "A"
    B = "B"
    C = "C"


class XyzClass(StrEnum):
    """Variability of weekly demand: X steady, Y variable, Z erratic or sporadic."""

    X = "X"
    Y = "Y"
    Z = "Z"


class ServiceMeasure(StrEnum):
    """What a service target promises: units served from stock, or cycles without stock-out."""

    FILL_RATE = "fill_rate"
    CYCLE_SERVICE_LEVEL = "cycle_service_level"


@dataclass(frozen=True)
class ServiceTarget:
    """The service an ABC/XYZ class of SKUs should get."""

    abc_class: AbcClass
    xyz_class: XyzClass
    measure: ServiceMeasure
    target: float

    def __post_init__(self) -> None:
        if not 0.0 < self.target < 1.0:
            raise ValueError(f"service target {self.target} must lie strictly between 0 and 1")


def _default_targets() -> tuple[ServiceTarget, ...]:
    fill_rates = {"A": (0.98, 0.97, 0.95), "B": (0.96, 0.95, 0.93), "C": (0.93, 0.92, 0.90)}
    return tuple(
        ServiceTarget(AbcClass(abc), XyzClass(xyz), ServiceMeasure.FILL_RATE, rate)
        for abc, rates in fill_rates.items()
        for xyz, rate in zip("XYZ", rates, strict=True)
    )


@dataclass(frozen=True, kw_only=True)
class PlanParams:
    """Everything a plan run needs to know besides the data; defaults are sensible starts."""

    forecast_horizon_days: int = 91
    backtest_weeks: int = 8
    holding_cost_rate_per_year: float = 0.25
    review_period_days: int = 0
    abc_a_share: float = 0.80
    abc_b_share: float = 0.95
    xyz_x_cv: float = 0.5
    xyz_y_cv: float = 1.0
    category_share_cap: float = 0.7
    dual_source_min_share: float = 0.2
    risk_penalty_rate: float = 0.05
    late_penalty_rate_per_day: float = 0.02
    sourcing_mip_gap: float = 0.001
    invoice_price_tolerance: float = 0.02
    invoice_quantity_tolerance: float = 0.0
    scorecard_warn_below: float = 0.75
    scorecard_block_below: float = 0.5
    certification_warning_days: int = 30
    dispatch_business_days: int = 2
    split_penalty_usd_per_parcel: float = 1.5
    late_delivery_penalty_usd_per_day: float = 25.0
    packing_volume_factor: float = 1.2
    restock_handling_usd_per_unit: float = 1.5
    refurbish_cost_share: float = 0.2
    liquidation_recovery_share: float = 0.3
    disposal_cost_usd_per_unit: float = 0.75
    return_window_days: int = 30
    transfer_handling_usd_per_unit: float = 0.5
    transfer_cost_usd_per_kg_100km: float = 0.05
    service_targets: tuple[ServiceTarget, ...] = field(default_factory=_default_targets)

    @classmethod
    def numeric_names(cls) -> tuple[str, ...]:
        """Names of the parameters stored as rows of ``planning_parameters``."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.name != "service_targets")

    @classmethod
    def from_rows(
        cls, values: Mapping[str, float], targets: Iterable[ServiceTarget] = ()
    ) -> PlanParams:
        """Defaults overridden by the stored values and targets (unknown names refused)."""
        unknown = set(values) - set(cls.numeric_names())
        if unknown:
            raise ValueError(f"unknown planning parameters: {', '.join(sorted(unknown))}")
        kinds = {f.name: f.type for f in dataclasses.fields(cls)}
        typed = {n: int(v) if kinds[n] == "int" else float(v) for n, v in values.items()}
        stored = {(t.abc_class, t.xyz_class): t for t in targets}
        merged = {(t.abc_class, t.xyz_class): t for t in _default_targets()} | stored
        return cls(**typed, service_targets=tuple(merged.values()))  # type: ignore[arg-type]

    def as_record(self) -> dict[str, object]:
        """A JSON-ready copy, stored with each plan run."""
        record: dict[str, object] = {n: getattr(self, n) for n in self.numeric_names()}
        record["service_targets"] = [
            {
                "abc_class": t.abc_class.value,
                "xyz_class": t.xyz_class.value,
                "measure": t.measure.value,
                "target": t.target,
            }
            for t in self.service_targets
        ]
        return record
