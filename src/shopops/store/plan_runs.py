"""The plan-run record: one row per run, with its status, parameters and message."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import sqlalchemy as sa

from shopops.domain.params import PlanParams
from shopops.domain.planning import PlanRunKind, PlanRunStatus
from shopops.store.frames import FrameStore
from shopops.store.tables import SQL_TABLES

_RUNS = SQL_TABLES["plan_runs"]


def add_run(
    frames: FrameStore,
    *,
    kind: PlanRunKind,
    as_of: dt.date,
    params: PlanParams,
    started_at: dt.datetime,
) -> int:
    """Record a new running plan run; returns its number."""
    conn = frames.connection
    run_id = (
        int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(_RUNS.c.run_id), 0))).scalar_one())
        + 1
    )
    row = {
        "run_id": [run_id],
        "kind": [kind.value],
        "status": [PlanRunStatus.RUNNING.value],
        "as_of": [as_of],
        "started_at": [started_at],
        "finished_at": [None],
        "parameters": [json.dumps(params.as_record(), sort_keys=True)],
        "message": [None],
    }
    frames.write("plan_runs", pl.DataFrame(row))
    return run_id


def finish_run(
    frames: FrameStore,
    run_id: int,
    *,
    status: PlanRunStatus,
    finished_at: dt.datetime,
    message: str,
) -> None:
    """Close a run as done, failed or cancelled, with a message for the user."""
    frames.connection.execute(
        _RUNS.update()
        .where(_RUNS.c.run_id == run_id)
        .values(status=status.value, finished_at=finished_at, message=message)
    )
