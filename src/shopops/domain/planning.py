"""Plan runs: what was planned, and where the run stands."""

from enum import StrEnum


class PlanRunKind(StrEnum):
    FORECAST = "forecast"
    POLICY = "policy"
    PLAN = "plan"
    SOURCING = "sourcing"
    ALLOCATION = "allocation"
    PLACEMENT = "placement"


class PlanRunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
