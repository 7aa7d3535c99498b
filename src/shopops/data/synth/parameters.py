"""The demo marketplace's business parameters: the planning defaults, written as rows.

Writing them out (rather than leaving the tables empty) shows users what they can edit.
"""

from __future__ import annotations

import polars as pl

from shopops.data.schemas import PLANNING_PARAMETERS, SERVICE_LEVEL_TARGETS
from shopops.domain.params import PlanParams

_WHY = "default; edit and import with --mode upsert"


def parameter_frames() -> list[tuple[str, pl.DataFrame]]:
    """``planning_parameters`` and ``service_level_targets`` holding the defaults."""
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
    return [
        (PLANNING_PARAMETERS.name, PLANNING_PARAMETERS.conform(parameters)),
        (SERVICE_LEVEL_TARGETS.name, SERVICE_LEVEL_TARGETS.conform(targets)),
    ]
