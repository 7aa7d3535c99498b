"""Checking input tables against the data model, all of them, before anything is written.

Every check is a vectorised Polars filter producing a frame of issues, so a file with a
million rows is checked in seconds and every problem of every file is found in one
pass. Checks follow the schema: the header, each cell's type, missing values, column
bounds, choices and lengths, the multi-column rules (the same SQL the database enforces
as CHECK constraints), monotonic tiers and rate cards, duplicate and unique keys, and
references. Keys are checked against the other files of the same import and against
the keys already stored; the caller passes those in as frames through a
:data:`KeyLookup`, so this module never touches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, cast, get_args

import polars as pl

from shopops.data.files.cells import TYPE_PROBLEMS, cell_present, cell_text, cell_value
from shopops.data.files.raw import RawTable
from shopops.data.schemas import ALL_TABLES, TABLES_BY_NAME
from shopops.data.spec import Column, ForeignKey, Monotonic, Rule, Table
from shopops.errors import Issue, ValidationFailed

ImportMode = Literal["insert", "upsert"]
"""insert: every key must be new; upsert: rows with a stored key replace the stored row."""

IMPORT_MODES: tuple[str, ...] = get_args(ImportMode)

KeyLookup = Callable[[str, tuple[str, ...]], pl.DataFrame]
"""``(table, columns) -> frame`` of the distinct values stored in those columns."""

_ROW = "__row__"
_TEXT = "text:"
_SHOWN_CHARACTERS = 60
_ALL = pl.lit(True)
_ISSUE_SCHEMA = pl.Schema(
    {
        "row": pl.Int64(),
        "column": pl.String(),
        "value": pl.String(),
        "problem": pl.String(),
        "expected": pl.String(),
    }
)


def import_mode(mode: str) -> ImportMode:
    """``mode`` checked to be an :data:`ImportMode`."""
    if mode not in IMPORT_MODES:
        raise ValueError(f"mode must be one of {', '.join(IMPORT_MODES)}, not {mode!r}")
    return cast(ImportMode, mode)


def no_stored_keys(table_name: str, columns: tuple[str, ...]) -> pl.DataFrame:
    """A :data:`KeyLookup` for an empty database."""
    spec = TABLES_BY_NAME[table_name]
    return pl.DataFrame(schema={c: spec.column(c).polars_type for c in columns})


def validate_tables(
    tables: Sequence[RawTable],
    *,
    stored_keys: KeyLookup = no_stored_keys,
    mode: str = "insert",
    max_errors: int = 100,
    prior_issues: Sequence[Issue] = (),
) -> dict[str, pl.DataFrame]:
    """The tables typed by their schema, in load order, or every problem at once.

    Parameters
    ----------
    tables
        Tables as read from the files, at most one per table name.
    stored_keys
        Where to find the keys already in the database.
    mode
        ``"insert"`` refuses keys already stored; ``"upsert"`` accepts them.
    max_errors
        How many issues the error lists before "... and N more".
    prior_issues
        Problems found while reading the files, reported first.

    Raises
    ------
    ValidationFailed
        If anything is wrong, with every issue found (up to ``max_errors``).
    """
    checked_mode = import_mode(mode)
    if max_errors < 1:
        raise ValueError("max_errors must be at least 1")
    lookup = _Memo(stored_keys)
    order = {spec.name: index for index, spec in enumerate(ALL_TABLES)}
    parsed = {t.table: _ParsedTable(t) for t in sorted(tables, key=lambda t: order[t.table])}
    found = [
        table.issues(parsed, lookup, checked_mode).with_columns(
            table_index=pl.lit(order[name]), file=pl.lit(table.raw.file)
        )
        for name, table in parsed.items()
    ]
    _raise_if_any(list(prior_issues), found, parsed, max_errors)
    return {name: table.spec.conform(table.typed) for name, table in parsed.items()}


def validate_standalone(raw: RawTable, spec: Table, *, max_errors: int = 100) -> pl.DataFrame:
    """One file checked against a table that is not stored (an analyst's input list).

    The same checks as an import, less those against the database: types, required
    values, bounds, choices, duplicate keys and the table's rules.

    Raises
    ------
    ValidationFailed
        With every issue found (up to ``max_errors``).
    """
    parsed = {raw.table: _ParsedTable(raw, spec)}

    def nothing_stored(table_name: str, columns: tuple[str, ...]) -> pl.DataFrame:
        return pl.DataFrame(schema={c: spec.column(c).polars_type for c in columns})

    found = parsed[raw.table].issues(parsed, _Memo(nothing_stored), "insert")
    found = found.with_columns(table_index=pl.lit(0), file=pl.lit(raw.file))
    _raise_if_any([], [found], parsed, max_errors)
    return spec.conform(parsed[raw.table].typed)


class _Memo:
    """Asks the lookup once per (table, columns)."""

    def __init__(self, lookup: KeyLookup) -> None:
        self._lookup = lookup
        self._seen: dict[tuple[str, tuple[str, ...]], pl.DataFrame] = {}

    def __call__(self, table_name: str, columns: Iterable[str]) -> pl.DataFrame:
        key = (table_name, tuple(columns))
        if key not in self._seen:
            self._seen[key] = self._lookup(*key)
        return self._seen[key]


@dataclass(frozen=True)
class _Check:
    """Rows of a frame that break one expectation, and how to describe them."""

    mask: pl.Expr
    column: str | None
    value: pl.Expr | None
    problem: str | pl.Expr
    expected: str | None = None

    def issues(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.filter(self.mask).select(
            pl.col(_ROW).alias("row"),
            pl.lit(self.column, pl.String).alias("column"),
            (self.value if self.value is not None else pl.lit(None)).cast(pl.String).alias("value"),
            _literal(self.problem).alias("problem"),
            pl.lit(self.expected, pl.String).alias("expected"),
        )


class _ParsedTable:
    """One input table read as its schema's types, with the checks that concern it."""

    def __init__(self, raw: RawTable, spec: Table | None = None) -> None:
        self.raw = raw
        self.spec = spec or TABLES_BY_NAME[raw.table]
        self.known = [c for c in raw.frame.columns if c in self.spec.column_names]
        source = raw.frame.select(self.known)
        self.typed = source.select(
            raw.rows.alias(_ROW),
            *(self._value(c) for c in self.spec.columns),
        )
        texts = source.select(pl.col(c).alias(_TEXT + c) for c in self.known)
        self.work = pl.concat([self.typed, texts], how="horizontal").lazy()

    def _value(self, column: Column) -> pl.Expr:
        if column.name not in self.known:
            return pl.lit(None, column.polars_type).alias(column.name)
        return cell_value(column.name, self.raw.frame.schema[column.name], column)

    def issues(
        self, files: dict[str, _ParsedTable], stored: _Memo, mode: ImportMode
    ) -> pl.LazyFrame:
        """Every issue of this table, in check order (``seq``) within each row."""
        checks = [*self._cell_checks(), *self._rule_checks()]
        frames = [self._header_issues()]
        frames += [check.issues(self.work) for check in checks]
        frames += self._duplicate_issues()
        frames += self._stored_key_issues(stored, mode)
        frames += [self._reference_issues(fk, files, stored) for fk in self.spec.all_foreign_keys()]
        frames += [self._monotonic_issues(rule, stored) for rule in self.spec.monotonic]
        return pl.concat(
            [frame.with_columns(seq=pl.lit(index)) for index, frame in enumerate(frames)]
        )

    def _header_issues(self) -> pl.LazyFrame:
        columns = self.raw.frame.columns
        names = ", ".join(self.spec.column_names)
        expected = f"one of the columns of {self.spec.name}: {names}"
        rows = [
            (None, c, None, "unknown column", expected)
            for c in columns
            if c not in self.spec.column_names
        ]
        rows += [
            (None, c.name, None, "required column missing", c.expected())
            for c in self.spec.columns
            if c.name not in columns and not c.nullable
        ]
        return pl.LazyFrame(rows, schema=_ISSUE_SCHEMA, orient="row")

    def _cell_checks(self) -> list[_Check]:
        """Type, presence, bounds, choices and length of every cell of the known columns."""
        checks: list[_Check] = []
        for column in self.spec.columns:
            if column.name in self.known:
                text, current = _TEXT + column.name, self.raw.frame.schema[column.name]
                shown = cell_text(text, current)
                checks += _type_checks(column, cell_present(text, current, column), shown)
                checks += _value_checks(column, shown)
        return checks

    def _rule_checks(self) -> list[_Check]:
        return [_rule_check(rule) for rule in self.spec.rules]

    def _duplicate_issues(self) -> list[pl.LazyFrame]:
        """Rows repeating the primary key or a unique key of an earlier row of the file."""
        keys = [(self.spec.primary_key, "duplicate key")]
        keys += [(key, "duplicate unique key") for key in self.spec.unique]
        return [self._duplicates(key, problem) for key, problem in keys]

    def _duplicates(self, key: tuple[str, ...], problem: str) -> pl.LazyFrame:
        # The first row of each key is found before filtering, which would drop it.
        marked = self.work.with_columns(
            (_complete(key) & ~pl.struct(key).is_first_distinct()).alias("repeated"),
            pl.col(_ROW).min().over(key).alias("first_row"),
        )
        text = pl.concat_str(
            pl.lit(f"{problem}: first used in {self.raw.row_word} "),
            pl.col("first_row").cast(pl.String),
        )
        expected = f"each {', '.join(key)} only once"
        check = _Check(pl.col("repeated"), ", ".join(key), _pairs(key), text, expected)
        return check.issues(marked)

    def _stored_key_issues(self, stored: _Memo, mode: ImportMode) -> list[pl.LazyFrame]:
        """Keys that clash with rows already in the database."""
        key = list(self.spec.primary_key)
        if mode == "upsert" and not self.spec.unique:
            return []
        wanted = list(dict.fromkeys([*key, *(c for unique in self.spec.unique for c in unique)]))
        rows = stored(self.spec.name, wanted).lazy()
        issues: list[pl.LazyFrame] = []
        if mode == "insert":
            clash = self.work.join(rows.select(key), on=key, how="semi")
            problem = "key already in the database"
            expected = "a key not yet in the database (import in upsert mode to update rows)"
            issues.append(
                _Check(_ALL, ", ".join(key), _pairs(key), problem, expected).issues(clash)
            )
        others = rows.join(self.work.select(key), on=key, how="anti")
        for unique in self.spec.unique:
            clash = self.work.filter(_complete(unique)).join(
                others.select(unique), on=list(unique), how="semi"
            )
            problem = "unique key already used by another row in the database"
            expected = f"a {', '.join(unique)} no other row has"
            check = _Check(_ALL, ", ".join(unique), _pairs(unique), problem, expected)
            issues.append(check.issues(clash))
        return issues

    def _reference_issues(
        self, fk: ForeignKey, files: dict[str, _ParsedTable], stored: _Memo
    ) -> pl.LazyFrame:
        """Rows naming a parent row that is neither stored nor being imported."""
        known = [stored(fk.table, fk.ref_columns).lazy()]
        if fk.table in files:
            known.append(files[fk.table].typed.lazy().select(fk.ref_columns))
        orphans = self.work.filter(_complete(fk.columns)).join(
            pl.concat(known), left_on=list(fk.columns), right_on=list(fk.ref_columns), how="anti"
        )
        target = ", ".join(f"{fk.table}.{c}" for c in fk.ref_columns)
        problem = f"unknown reference to {fk.table}"
        expected = f"an existing {target} (in the database or in the imported files)"
        check = _Check(_ALL, ", ".join(fk.columns), _pairs(fk.columns), problem, expected)
        return check.issues(orphans)

    def _monotonic_issues(self, rule: Monotonic, stored: _Memo) -> pl.LazyFrame:
        """Tiers out of order, within the file and against the stored tiers it joins."""
        key = list(self.spec.primary_key)
        wanted = list(dict.fromkeys([*key, *rule.group_by, rule.order_by, rule.column]))
        kept = stored(self.spec.name, wanted).lazy().join(self.work.select(key), on=key, how="anti")
        combined = pl.concat(
            [
                self.work.select(_ROW, *wanted),
                kept.select(pl.lit(None, pl.Int64).alias(_ROW), *wanted),
            ]
        )
        ordered = combined.filter(_complete(wanted)).sort([*rule.group_by, rule.order_by])
        pair = [rule.order_by, rule.column]
        before = {c: pl.col(c).shift(1).over(list(rule.group_by)) for c in (_ROW, *pair)}
        change = pl.col(rule.column) - before[rule.column]
        wrong = change > 0 if rule.direction == "non_increasing" else change < 0
        from_file = pl.col(_ROW).is_not_null() | before[_ROW].is_not_null()
        located = ordered.with_columns(
            pl.coalesce(_ROW, before[_ROW]).alias(_ROW),
            (wrong & from_file).alias("out_of_order"),
            pl.concat_str(_pairs(pair), pl.lit("; previous: "), _pairs(pair, before)).alias(
                "shown"
            ),
        )
        check = _Check(pl.col("out_of_order"), ", ".join(pair), pl.col("shown"), rule.message)
        return check.issues(located)


def _type_checks(column: Column, present: pl.Expr, shown: pl.Expr) -> list[_Check]:
    """Cells that hold something unreadable, and required cells that hold nothing."""
    expected = column.expected()
    unreadable = present & pl.col(column.name).is_null()
    checks = [_Check(unreadable, column.name, shown, TYPE_PROBLEMS[column.dtype], expected)]
    if not column.nullable:
        checks.append(_Check(~present, column.name, None, "missing value", expected))
    return checks


def _value_checks(column: Column, shown: pl.Expr) -> list[_Check]:
    """Bounds, choices and length of one typed column."""
    col, name, expected = pl.col(column.name), column.name, column.expected()
    checks: list[_Check] = []
    if column.minimum is not None:
        low = col <= column.minimum if column.minimum_exclusive else col < column.minimum
        checks.append(_Check(low, name, shown, "below the minimum", expected))
    if column.maximum is not None:
        checks.append(_Check(col > column.maximum, name, shown, "above the maximum", expected))
    if column.choices is not None:
        unknown = ~col.is_in(column.choices)
        checks.append(_Check(unknown, name, shown, "not an allowed value", expected))
    if column.max_length is not None:
        length = col.str.len_chars()
        problem = pl.format("text too long ({} characters)", length)
        checks.append(_Check(length > column.max_length, name, _clipped(shown), problem, expected))
    return checks


def _rule_check(rule: Rule) -> _Check:
    names = rule.expr().meta.root_names()
    return _Check(rule.expr().not_(), ", ".join(names), _pairs(names), rule.message)


def _complete(columns: Iterable[str]) -> pl.Expr:
    return pl.all_horizontal(pl.col(c).is_not_null() for c in columns)


def _pairs(columns: Iterable[str], values: dict[str, pl.Expr] | None = None) -> pl.Expr:
    """``a=1, b=2`` for the given columns of a row."""
    parts: list[pl.Expr] = []
    for index, name in enumerate(columns):
        value = (values or {}).get(name, pl.col(name))
        parts += [pl.lit(f"{', ' if index else ''}{name}="), value.cast(pl.String).fill_null("")]
    return pl.concat_str(parts)


def _clipped(text: pl.Expr) -> pl.Expr:
    short = text.str.slice(0, _SHOWN_CHARACTERS)
    return pl.when(text.str.len_chars() > _SHOWN_CHARACTERS).then(short + "…").otherwise(text)


def _literal(value: str | pl.Expr) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value, pl.String)


def _raise_if_any(
    prior: list[Issue],
    found: list[pl.LazyFrame],
    parsed: dict[str, _ParsedTable],
    max_errors: int,
) -> None:
    issues = pl.DataFrame(schema=_ISSUE_SCHEMA)
    if found:
        issues = pl.concat(found).sort("table_index", "row", "seq", nulls_last=False).collect()
    total = len(prior) + issues.height
    if total == 0:
        return
    words = {table.raw.file: table.raw.row_word for table in parsed.values()}
    shown = prior[:max_errors] + [
        Issue(
            file=row["file"],
            row=row["row"],
            column=row["column"],
            value=row["value"],
            problem=row["problem"],
            expected=row["expected"],
            row_word=words[row["file"]],
        )
        for row in issues.head(max(max_errors - len(prior), 0)).iter_rows(named=True)
    ]
    raise ValidationFailed(tuple(shown), total)
