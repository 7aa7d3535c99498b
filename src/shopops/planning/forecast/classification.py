"""Demand patterns by the Syntetos–Boylan scheme: smooth, erratic, intermittent, lumpy.

Two numbers describe a series over its observed periods (from its first sale):

- ADI, the average inter-demand interval: periods observed / periods with demand;
- CV², the squared coefficient of variation of the non-zero demand sizes
  (population variance over squared mean).

With the cut-offs ADI 1.32 and CV² 0.49 (Syntetos, Boylan & Croston 2005, "On the
categorization of demand patterns", JORS 56(5)) the four patterns are::

                   CV² <= 0.49     CV² > 0.49
    ADI <= 1.32    smooth          erratic
    ADI >  1.32    intermittent    lumpy

A series is *intermittent* for model choice when ADI > 1.32 (the intermittent and lumpy
patterns): Croston-type methods then forecast better than smoothing of the raw series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from shopops.planning.forecast.panel import FloatArray, build_panel

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49
PATTERNS = ("smooth", "erratic", "intermittent", "lumpy", "no_demand")


@dataclass(frozen=True)
class DemandPatterns:
    """ADI, CV² and pattern name of each series."""

    adi: FloatArray
    cv2: FloatArray
    pattern: npt.NDArray[np.str_]

    @property
    def intermittent(self) -> npt.NDArray[np.bool_]:
        """Series with ADI above the cut-off (the intermittent and lumpy patterns)."""
        return np.asarray(self.adi > ADI_CUTOFF)


def demand_patterns(values: FloatArray) -> DemandPatterns:
    """Classify every column of a ``(periods, series)`` array; ``nan`` cells are not observed.

    Returns
    -------
    DemandPatterns
        ``adi = n_observed / n_demand`` and ``cv2 = var(sizes) / mean(sizes)²`` of the
        positive values; both ``inf``/``nan`` and pattern ``no_demand`` without demand.

    Examples
    --------
    >>> import numpy as np
    >>> p = demand_patterns(np.array([[0.0], [2.0], [0.0], [0.0], [6.0], [0.0]]))
    >>> float(p.adi[0]), float(p.cv2[0]), str(p.pattern[0])
    (3.0, 0.25, 'intermittent')
    """
    observed = (~np.isnan(values)).sum(axis=0).astype(np.float64)
    positive = np.nan_to_num(values, nan=0.0) > 0
    sizes = np.where(positive, values, 0.0)
    count = positive.sum(axis=0).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(count > 0, observed / count, np.inf)
        mean = sizes.sum(axis=0) / count
        variance = (sizes * sizes).sum(axis=0) / count - mean * mean
        cv2 = np.where(count > 0, np.maximum(variance, 0.0) / (mean * mean), np.nan)
    index = (adi > ADI_CUTOFF).astype(np.int64) * 2 + (cv2 > CV2_CUTOFF).astype(np.int64)
    index = np.where(count > 0, index, len(PATTERNS) - 1)
    return DemandPatterns(adi, cv2, np.asarray(PATTERNS)[index])


def classify_demand(
    history: pl.DataFrame,
    *,
    keys: Sequence[str] = ("sku_id", "region_id"),
    period_days: int = 1,
) -> pl.DataFrame:
    """ADI, CV² and Syntetos–Boylan pattern of each series of a demand history.

    Parameters
    ----------
    history:
        Key columns, ``date`` and ``units``; days without a row are zero demand.
    keys:
        Columns that identify a series.
    period_days:
        1 for daily, 7 for weekly history.

    Returns
    -------
    polars.DataFrame
        Key columns, ``adi``, ``cv2``, ``demand_pattern`` and ``intermittent``.
    """
    panel = build_panel(history, keys=keys, period_days=period_days)
    patterns = demand_patterns(panel.values)
    return panel.keys.with_columns(
        pl.Series("adi", patterns.adi),
        pl.Series("cv2", patterns.cv2),
        pl.Series("demand_pattern", patterns.pattern.astype(str)),
        pl.Series("intermittent", patterns.intermittent),
    )
