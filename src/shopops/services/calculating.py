"""The stand-alone policy calculator as a use case: validate a file, plan it, write a file."""

from __future__ import annotations

from pathlib import Path

from shopops.data.files import read_file_as
from shopops.data.files.writing import replacing
from shopops.data.policy_items import POLICY_ITEMS
from shopops.data.validation import validate_standalone
from shopops.errors import DataError
from shopops.planning.calculator import calculate_policies


def calculate_policy_file(source: Path, destination: Path, *, max_errors: int = 100) -> int:
    """Write the policy of every item in ``source`` to ``destination``; returns the rows.

    Both files are CSV or Parquet (by their suffix). Nothing is written when any row of
    ``source`` is bad: the error names every bad cell by row and column.
    """
    if destination.suffix.lower() not in (".csv", ".parquet"):
        raise DataError(f"{destination}: the output must be a .csv or .parquet file")
    raw = read_file_as(source, POLICY_ITEMS.name)
    policies = calculate_policies(validate_standalone(raw, POLICY_ITEMS, max_errors=max_errors))
    with replacing(destination) as staged:
        if destination.suffix.lower() == ".csv":
            policies.write_csv(staged)
        else:
            policies.write_parquet(staged)
    return policies.height
