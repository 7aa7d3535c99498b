"""The demo marketplace's business parameters: the planning defaults, written as rows.

Writing them out (rather than leaving the tables empty) shows users what they can edit.
"""

from __future__ import annotations

import polars as pl

from shopops.data.schemas import PLANNING_PARAMETERS, SCORECARD_WEIGHTS, SERVICE_LEVEL_TARGETS
from shopops.domain.params import PlanParams

_WHY = "default; edit and import with --mode upsert"
SCORECARD_EMPHASIS = (
    ("supplier", "on_time_in_full", 3.0),
    ("supplier", "fill_rate", 2.0),
    ("warehouse", "on_time_dispatch", 2.0),
    ("carrier", "on_time_delivery", 2.0),
)
"""The demo's weights: delivery counts most; metrics without a row get the average weight."""


def parameter_frames() -> list[tuple[str, pl.DataFrame]]:
    """``planning_parameters``, ``service_level_targets`` and ``scorecard_weights``."""
    defaults = PlanParams()
    names = PlanParams.numeric_names()
    parameters = pl.DataFrame(
        {
            "name": list(names),
            "value": [float(getattr(defaults, name)) for name in names],
            "description": [_WHY] * len(names),
        }
    )
    targets = pl.DataFrame(
        {
            "abc_class": [t.abc_class.value for t in defaults.service_targets],
            "xyz_class": [t.xyz_class.value for t in defaults.service_targets],
            "measure": [t.measure.value for t in defaults.service_targets],
            "target": [t.target for t in defaults.service_targets],
        }
    )
    weights = pl.DataFrame(
        SCORECARD_EMPHASIS, schema=["scorecard", "metric", "weight"], orient="row"
    )
    return [
        (PLANNING_PARAMETERS.name, PLANNING_PARAMETERS.conform(parameters)),
        (SERVICE_LEVEL_TARGETS.name, SERVICE_LEVEL_TARGETS.conform(targets)),
        (SCORECARD_WEIGHTS.name, SCORECARD_WEIGHTS.conform(weights)),
    ]
