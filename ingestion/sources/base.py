"""The contract model: every source declares its columns, aliases, types and rules as data.

A new source is a new ``Contract`` instance, not new plumbing: the reader, the normalisers, the
validator, the loader, the raw DDL and the Great Expectations suites are all derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["text", "integer", "bigint", "numeric", "date", "timestamp", "boolean"]

#: PostgreSQL type of each contract type in the raw layer.
PG_TYPES: dict[str, str] = {
    "text": "text",
    "integer": "integer",
    "bigint": "bigint",
    "numeric": "numeric(20,4)",
    "date": "date",
    "timestamp": "timestamp",
    "boolean": "boolean",
}

#: Lineage columns every raw table carries, in order.
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_extra", "jsonb"),
    ("_file_id", "bigint not null"),
    ("_sheet", "text"),
    ("_row_number", "integer not null"),
    ("_loaded_at", "timestamptz not null"),
    ("_run_id", "text not null"),
)


@dataclass(frozen=True)
class Column:
    """One canonical column of a source.

    ``headers`` are the Vietnamese header and its aliases as the contract spells them; the canonical
    name itself is always accepted too. ``allowed`` lists the canonical values of a code list and
    ``value_aliases`` the other spellings that map onto them (matched after normalisation).
    ``code_list`` names the Ministry's DM_* list whose numeric codes decode to ``allowed`` values in
    the coded EMIS form. ``semantic`` marks columns with a meaning the validator knows
    (``ward_code``, ``ward_name``, ``school_year``, ``year``, ``birth_year``). ``not_future`` marks dates
    and timestamps that cannot lie in the future (birth dates, loans, visits): a future value is a row
    error.
    """

    name: str
    type: ColumnType = "text"
    headers: tuple[str, ...] = ()
    required: bool = False
    allowed: tuple[str, ...] | None = None
    value_aliases: dict[str, str] = field(default_factory=dict)
    code_list: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    pattern: str | None = None
    semantic: str | None = None
    personal: bool = False
    description: str = ""
    not_future: bool = False


@dataclass(frozen=True)
class Rule:
    """A cross-field row rule.

    kinds: ``le`` (left <= right, both numeric), ``not_before`` (left datetime/date not before
    right), ``age_between`` (birth date column ``left`` gives an age in [low, high] on 31 December
    of the period's first year).
    """

    kind: Literal["le", "not_before", "age_between"]
    left: str
    right: str | None = None
    low: int | None = None
    high: int | None = None
    severity: Literal["error", "warning"] = "error"
    message: str = ""

    @property
    def name(self) -> str:
        if self.kind == "age_between":
            return f"{self.left}_age_between_{self.low}_{self.high}"
        return f"{self.left}_{self.kind}_{self.right}"


@dataclass(frozen=True)
class Reference:
    """A cross-source reference (checked by the Great Expectations suites and dbt tests)."""

    column: str
    source: str
    target_column: str
    same_period: bool = True


@dataclass(frozen=True)
class Contract:
    """The file contract of one source (see shared/spec/inputs.md)."""

    source: str
    title_vi: str
    title_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    period_column: str | None
    period_kind: Literal["school_year", "year", "date", "timestamp"] | None
    rules: tuple[Rule, ...] = ()
    references: tuple[Reference, ...] = ()
    cadence: str = "daily"
    freshness_days: int = 2
    formats: tuple[str, ...] = ("csv", "xlsx")
    description: str = ""

    @property
    def table(self) -> str:
        return f"raw.{self.source}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def personal_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.personal)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.source} has no column {name!r}")

    def ddl(self) -> str:
        """CREATE TABLE statement of the raw table (idempotent)."""
        cols = [f"    {c.name} {PG_TYPES[c.type]}" for c in self.columns]
        cols += [f"    {name} {pg}" for name, pg in LINEAGE_COLUMNS]
        body = ",\n".join(cols)
        return (
            f"create table if not exists {self.table} (\n{body}\n);\n"
            f"create index if not exists {self.source}__file_idx on {self.table} (_file_id);\n"
        )
