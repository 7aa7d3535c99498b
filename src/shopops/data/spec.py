"""The vocabulary for describing a table once: columns, keys, references and rules.

A :class:`Table` is the single definition of a table's columns, types, units and
constraints. The database tables (``store.tables``), the file importers and their
validation (``data.validation``), the exporters and ``docs/data-model.md`` are all
derived from it, so a column is never described twice.

Rules that involve several columns are written once as SQL boolean expressions: the
database enforces them as CHECK constraints, and validation evaluates the same text on
frames with :func:`polars.sql_expr`. A rule holds unless the expression is false (SQL
semantics: a NULL operand passes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import polars as pl


class DType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"


POLARS_TYPES: dict[DType, pl.DataType] = {
    DType.STRING: pl.String(),
    DType.INTEGER: pl.Int64(),
    DType.FLOAT: pl.Float64(),
    DType.BOOLEAN: pl.Boolean(),
    DType.DATE: pl.Date(),
    DType.DATETIME: pl.Datetime("us"),
}

EXPECTED_TEXT: dict[DType, str] = {
    DType.STRING: "text",
    DType.INTEGER: "a whole number",
    DType.FLOAT: "a number",
    DType.BOOLEAN: "true or false",
    DType.DATE: "a date YYYY-MM-DD",
    DType.DATETIME: "a date and time YYYY-MM-DD HH:MM:SS",
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its type, unit, meaning and the values it may hold.

    ``minimum``/``maximum`` bound numbers (inclusive unless ``minimum_exclusive``),
    ``choices`` lists the allowed values of a code column, and ``references`` names the
    ``table.column`` a value must exist in.
    """

    name: str
    dtype: DType
    description: str
    unit: str | None = None
    nullable: bool = False
    minimum: float | None = None
    minimum_exclusive: bool = False
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    references: str | None = None
    max_length: int | None = None

    @property
    def polars_type(self) -> pl.DataType:
        return POLARS_TYPES[self.dtype]

    def expected(self) -> str:
        """What a valid value looks like, in words, for error messages and docs."""
        parts = [EXPECTED_TEXT[self.dtype]]
        if self.choices is not None:
            parts = ["one of " + ", ".join(self.choices)]
        if self.minimum is not None:
            parts.append(f"{'>' if self.minimum_exclusive else '>='} {_number(self.minimum)}")
        if self.maximum is not None:
            parts.append(f"<= {_number(self.maximum)}")
        if self.max_length is not None:
            parts.append(f"at most {self.max_length} characters")
        return " ".join(parts[:1]) + ("" if len(parts) == 1 else " " + ", ".join(parts[1:]))

    def value_checks(self) -> list[tuple[str, str]]:
        """The column's value constraints as ``(name, SQL expression)`` pairs."""
        checks: list[tuple[str, str]] = []
        q = self.name
        if self.minimum is not None:
            op = ">" if self.minimum_exclusive else ">="
            checks.append((f"{q}_min", f"{q} {op} {_number(self.minimum)}"))
        if self.maximum is not None:
            checks.append((f"{q}_max", f"{q} <= {_number(self.maximum)}"))
        if self.choices is not None:
            allowed = ", ".join(f"'{c}'" for c in self.choices)
            checks.append((f"{q}_choice", f"{q} IN ({allowed})"))
        return checks


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """Columns of this table whose values must exist as a key of another table."""

    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """A row rule over several columns as a SQL boolean expression; ``message`` in words."""

    name: str
    sql: str
    message: str

    def expr(self) -> pl.Expr:
        return pl.sql_expr(self.sql)


@dataclass(frozen=True, slots=True)
class Monotonic:
    """Within each group, ``column`` must not rise (or not fall) as ``order_by`` rises.

    Used for price tiers (a larger quantity never costs more per unit) and rate cards (a
    heavier weight band never costs less). Checked by validation; databases cannot.
    """

    group_by: tuple[str, ...]
    order_by: str
    column: str
    direction: str  # "non_increasing" or "non_decreasing"
    message: str


@dataclass(frozen=True)
class Table:
    """A table of the data model: the one place its columns and constraints are defined."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    rules: tuple[Rule, ...] = ()
    monotonic: tuple[Monotonic, ...] = ()
    _by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {c.name: c for c in self.columns}
        if len(by_name) != len(self.columns):
            raise ValueError(f"table {self.name}: duplicate column names")
        for key in (self.primary_key, *self.unique):
            missing = set(key) - by_name.keys()
            if missing:
                raise ValueError(f"table {self.name}: key names unknown columns {sorted(missing)}")
        object.__setattr__(self, "_by_name", by_name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return self._by_name[name]

    def all_foreign_keys(self) -> list[ForeignKey]:
        """Table-level foreign keys plus those declared on single columns."""
        fks = list(self.foreign_keys)
        for col in self.columns:
            if col.references is not None:
                table, ref_col = col.references.split(".")
                fks.append(ForeignKey((col.name,), table, (ref_col,)))
        return fks

    def polars_schema(self) -> pl.Schema:
        return pl.Schema({c.name: c.polars_type for c in self.columns})

    def empty_frame(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema())

    def conform(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Columns in schema order with schema types; raises if a column is missing.

        For frames already known to be valid (generated or read back from the store);
        files from users go through ``data.validation`` instead.
        """
        missing = [c for c in self.column_names if c not in frame.columns]
        if missing:
            raise KeyError(f"table {self.name}: frame lacks columns {missing}")
        return frame.select(pl.col(c.name).cast(c.polars_type, strict=True) for c in self.columns)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
