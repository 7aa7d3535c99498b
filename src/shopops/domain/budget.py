"""Spending limits by category and period."""

from enum import StrEnum


class OverBudgetAction(StrEnum):
    """What an approval over budget does: only warn the buyer, or refuse."""

    WARN = "warn"
    BLOCK = "block"
