"""Analytics: scorecards of suppliers, warehouses and carriers, and spend against budgets.

Part of the analytics layer: pure functions over Polars frames. They take the tables as
frames and the dates to judge by as arguments, and return frames; they never open a
database or a file, read settings or look at the clock. They import only
``shopops.domain`` and ``shopops.data`` from the project.
"""

from shopops.analytics.budgets import (
    BUDGET_STATUS_COLUMNS,
    ApprovalDecision,
    ApprovalOutcome,
    approval_check,
    budget_status,
)

__all__ = [
    "BUDGET_STATUS_COLUMNS",
    "ApprovalDecision",
    "ApprovalOutcome",
    "approval_check",
    "budget_status",
]
