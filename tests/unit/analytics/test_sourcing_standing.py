"""Certification alerts and who sourcing may use, on suppliers worked by hand.

Judged on 1 March 2025 with 30 days' warning. A certificate is valid through its expiry
date, so one expiring on 1 March has 0 days left and one on 31 March 30 days.

======  =========  ===========================  ================================  ========
sup.    status     certificates                 latest scored period before as_of excluded / warning
======  =========  ===========================  ================================  ========
SUP1    approved   ISO 9001 expired 28 Feb;     -                                 excluded; warning
                   BSCI to 31 Mar (30 days)
SUP2    probation  ISO 9001 to 1 Apr (31 days)  -                                 warning
SUP3    blocked    BSCI to 1 Mar (0 days)       -                                 both
SUP4    approved   -                            Feb good (Jan block, Mar ignored) neither
SUP5    approved   -                            Feb warn 0.7                      warning
SUP6    approved   -                            Feb block 0.4 (Jan good)          excluded
======  =========  ===========================  ================================  ========
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.analytics.scorecards import certification_alerts, sourcing_standing
from shopops.errors import DataError

AS_OF = dt.date(2025, 3, 1)


def d(month: int, day: int) -> dt.date:
    return dt.date(2025, month, day)


def _certifications() -> pl.DataFrame:
    rows = [
        ("SUP1", "ISO 9001", "Q-1", dt.date(2022, 3, 1), d(2, 28)),
        ("SUP1", "BSCI", "S-1", dt.date(2023, 3, 31), d(3, 31)),
        ("SUP2", "ISO 9001", None, dt.date(2022, 4, 1), d(4, 1)),
        ("SUP3", "BSCI", "S-3", dt.date(2023, 3, 1), d(3, 1)),
    ]
    columns = ["supplier_id", "certification", "certificate_number", "issued_date", "expiry_date"]
    return pl.DataFrame(rows, schema=columns, orient="row")


def _suppliers() -> pl.DataFrame:
    statuses = ["approved", "probation", "blocked", "approved", "approved", "approved"]
    return pl.DataFrame({"supplier_id": [f"SUP{n}" for n in range(1, 7)], "status": statuses})


def _scorecard() -> pl.DataFrame:
    rows = [
        ("SUP4", d(1, 1), 0.3, "block"),
        ("SUP4", d(2, 1), 0.95, "good"),
        ("SUP4", d(3, 1), 0.2, "block"),
        ("SUP5", d(2, 1), 0.7, "warn"),
        ("SUP6", d(2, 1), 0.4, "block"),
        ("SUP6", d(1, 1), 0.9, "good"),
    ]
    columns = ["supplier_id", "period_start", "score", "standing"]
    return pl.DataFrame(rows, schema=columns, orient="row")


def test_alerts_list_expired_and_expiring_certificates_soonest_first() -> None:
    alerts = certification_alerts(_certifications(), as_of=AS_OF, warning_days=30)
    assert alerts.select("supplier_id", "certification", "days_left", "alert").rows() == [
        ("SUP1", "ISO 9001", -1, "expired"),
        ("SUP3", "BSCI", 0, "expiring"),
        ("SUP1", "BSCI", 30, "expiring"),
    ]
    assert alerts["certificate_number"].to_list() == ["Q-1", "S-3", "S-1"]


def test_warning_window_is_a_parameter() -> None:
    alerts = certification_alerts(_certifications(), as_of=AS_OF, warning_days=31)
    assert alerts["supplier_id"].to_list() == ["SUP1", "SUP3", "SUP1", "SUP2"]
    assert certification_alerts(_certifications(), as_of=AS_OF, warning_days=0).height == 2


def test_sourcing_standing_per_supplier() -> None:
    standing = sourcing_standing(_suppliers(), _certifications(), _scorecard(), as_of=AS_OF)
    assert standing.columns == ["supplier_id", "excluded_reason", "warning"]
    rows = {
        r["supplier_id"]: (r["excluded_reason"], r["warning"])
        for r in standing.iter_rows(named=True)
    }
    assert rows == {
        "SUP1": (
            "certification ISO 9001 expired on 2025-02-28",
            "certification BSCI expires on 2025-03-31 (30 days left)",
        ),
        "SUP2": (None, "supplier status probation"),
        "SUP3": (
            "supplier status blocked",
            "certification BSCI expires on 2025-03-01 (0 days left)",
        ),
        "SUP4": (None, None),
        "SUP5": (None, "scorecard standing warn (score 0.7 in the period from 2025-02-01)"),
        "SUP6": ("scorecard standing block (score 0.4 in the period from 2025-02-01)", None),
    }


def test_several_reasons_are_joined_status_then_certificates_then_scorecard() -> None:
    suppliers = pl.DataFrame({"supplier_id": ["SUP6"], "status": ["probation"]})
    certificates = pl.DataFrame(
        {
            "supplier_id": ["SUP6", "SUP6"],
            "certification": ["FSC", "BSCI"],
            "expiry_date": [d(3, 10), d(2, 1)],
        }
    )
    standing = sourcing_standing(suppliers, certificates, _scorecard(), as_of=AS_OF)
    assert standing.row(0) == (
        "SUP6",
        "certification BSCI expired on 2025-02-01; "
        "scorecard standing block (score 0.4 in the period from 2025-02-01)",
        "supplier status probation; certification FSC expires on 2025-03-10 (9 days left)",
    )


def test_warning_days_reach_sourcing_standing() -> None:
    standing = sourcing_standing(
        _suppliers(), _certifications(), _scorecard(), as_of=AS_OF, warning_days=31
    )
    assert standing["warning"][1] == (
        "supplier status probation; certification ISO 9001 expires on 2025-04-01 (31 days left)"
    )


@pytest.mark.parametrize("column", ["standing", "score"])
def test_scorecard_columns_are_required(column: str) -> None:
    with pytest.raises(DataError, match=column):
        sourcing_standing(_suppliers(), _certifications(), _scorecard().drop(column), as_of=AS_OF)
