"""Row validation derived from the contract: cells → typed values, or structured errors.

:class:`RowValidator` is built once per sheet from the contract and the sheet's header layout. It
compiles one converter per column (type, required, pattern, allowed values and EMIS code lists,
min/max, ward codes, future dates), then applies the contract's cross-field rules (``le``,
``not_before``, ``age_between``), the uniqueness of ``Contract.key`` within the file, the ward-code
existence check for the row's period and — in ``load`` only — the cross-source references.

Rows are validated a block at a time, column by column. Converters cache their results per distinct
cell value (a school code, a birth date or a grade repeats thousands of times in a file), so the common
path per cell is one dictionary lookup made in C.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache, partial
from itertools import compress
from typing import Any, Protocol

from . import reference
from .normalize import (
    CHECK_MARKS,
    INT32,
    INT64,
    MAX_TEXT_LENGTH,
    CellError,
    cell_text,
    clean_text,
    is_formula_like,
    loose_label,
    normalize_label,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_grade,
    parse_int,
    parse_number,
    parse_school_year,
    today_vn,
)
from .readers import Block, Issue, Sheet
from .sources import Column, Contract, Reference, Rule

#: Distinct values a converter remembers per column.
CACHE_LIMIT = 50_000
#: Timestamps may be up to a day ahead of the server clock (time zones) before they count as future.
FUTURE_TOLERANCE = timedelta(days=1)

_FORMULA_INITIALS = frozenset("=+-@\t\r")
#: A formula-like value starts right after a line break in the "\n"-joined column.
_FORMULA_MARKERS = tuple("\n" + c for c in _FORMULA_INITIALS)
_YEAR_OF = operator.attrgetter("year")
_FIFTH = operator.itemgetter(4)
_NUMERIC_BOUNDS = {"integer": INT32, "bigint": INT64}

#: A warning raised inside a converter: (column, rule, message, value).
Warn = tuple[str, str, str, str]
Converter = Callable[[Any, list[Warn]], Any]


class ReferenceLookup(Protocol):
    """Where cross-source references are checked (the loader's warehouse lookup)."""

    def codes(self, ref: Reference, period: str | None) -> frozenset[str] | None:
        """Values of ``ref.target_column`` in ``ref.source`` (for ``period`` when given), or ``None``
        when that source holds no rows for it (the check is then skipped with a warning)."""
        ...


@dataclass
class FileState:
    """What validation remembers across the rows (and sheets) of one file."""

    keys: dict[Any, set[int]] = field(default_factory=dict)
    periods: set[str] = field(default_factory=set)
    #: Boolean columns written with check marks ("x" = yes, empty = no) ...
    marks_seen: set[str] = field(default_factory=set)
    #: ... and, per such column, the last row number of each sheet validated before the first mark was
    #: seen (those earlier rows hold NULL for "no"; the loader sets them to false).
    check_mark_columns: dict[str, dict[str | None, int]] = field(default_factory=dict)
    #: Last row number validated per sheet.
    progress: dict[str | None, int] = field(default_factory=dict)
    file_warnings: list[Issue] = field(default_factory=list)
    unchecked_references: set[tuple[str, str | None]] = field(default_factory=set)


def _display_value(value: Any) -> str:
    text = cell_text(value)
    return text if len(text) <= 200 else text[:197] + "..."


# --------------------------------------------------------------------------------------------------
# Converters
# --------------------------------------------------------------------------------------------------
def _text_of(cell: Any) -> str:
    if cell is None:
        return ""
    return cell.strip() if cell.__class__ is str else cell_text(cell).strip()


def _text_converter(col: Column) -> Converter:
    """Free text (:func:`normalize.clean_text`); formula-like text is kept with a warning; an all-digit
    identifier read from a numeric XLSX cell gets the leading zeros Excel dropped back (warning)."""
    pattern = re.compile(col.pattern) if col.pattern else None
    digits = _fixed_digits(col.pattern)
    name = col.name

    def convert(cell: Any, warns: list[Warn]) -> str | None:
        text = clean_text(cell)
        if text is None:
            return None
        if digits and isinstance(cell, int | float) and text.isdigit() and digits - 3 <= len(text) < digits:
            padded = text.zfill(digits)
            warns.append((name, "leading_zero_restored", f"numeric cell {text} read as {padded}", text))
            text = padded
        if text[0] in _FORMULA_INITIALS and is_formula_like(text):
            warns.append(
                (
                    name,
                    "formula_like",
                    "text starts like a spreadsheet formula; kept as text, never evaluated",
                    text,
                )
            )
        if digits:
            if len(text) != digits or not text.isdigit() or not text.isascii():
                raise CellError("pattern", f"{text!r} is not {digits} digits")
        elif pattern is not None and not pattern.match(text):
            raise CellError("pattern", f"{text!r} does not match the expected form {col.pattern}")
        return text

    return convert


def _fixed_digits(pattern: str | None) -> int:
    """12 for ``^\\d{12}$``: the width of an all-digit identifier (Excel drops its leading zeros)."""
    match = re.fullmatch(r"\^\\d\{(\d+)\}\$", pattern or "")
    return int(match.group(1)) if match else 0


class _Vocabulary:
    """The accepted spellings of a code-list column: canonical labels, value aliases, EMIS codes."""

    def __init__(self, col: Column, code_map: dict[str, str]) -> None:
        self.col = col
        self.allowed = col.allowed
        self.labels: dict[str, str] = {}
        for value in col.allowed or ():
            self.labels[normalize_label(value)] = value
        for alias, value in col.value_aliases.items():
            self.labels[normalize_label(alias)] = value
        loose: dict[str, set[str]] = {}
        for key, value in self.labels.items():
            loose.setdefault(loose_label(key), set()).add(value)
        self.loose = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1}
        self.codes = code_map
        self.code_width = max((len(c) for c in code_map), default=0)

    def decode_code(self, text: str) -> str | None:
        """The canonical value of an EMIS code, ``None`` if ``text`` is not a code of the list."""
        value = self.codes.get(text)
        if value is None and text.isdigit() and len(text) < self.code_width:
            value = self.codes.get(text.zfill(self.code_width))
        if value is None:
            return None
        if value == "":
            raise CellError(
                "unmapped_code",
                f"code {text} of {self.col.code_list or 'the code list'} has no equivalent in the "
                "contract's values",
            )
        return value

    def label(self, text: str) -> str | None:
        key = normalize_label(text)
        found = self.labels.get(key)
        if found is None:
            found = self.loose.get(loose_label(key))
        return found


def _choice_converter(col: Column, code_map: dict[str, str], codes_first: bool, is_grade: bool) -> Converter:
    vocab = _Vocabulary(col, code_map)
    allowed = col.allowed

    def convert(cell: Any, warns: list[Warn]) -> str | None:
        text = original = _text_of(cell)
        if not text:
            return None
        if codes_first and vocab.codes:
            value = vocab.decode_code(text)
            if value is not None:
                return value
        if is_grade:
            text = parse_grade(text)
        if allowed is None:
            if vocab.codes and text.isdigit():
                value = vocab.decode_code(text)
                if value is None:
                    raise CellError("unknown_code", f"{text} is not a code of {col.code_list}")
                return value
            if len(text) > MAX_TEXT_LENGTH:
                raise CellError("too_long", f"text of {len(text):,} characters exceeds the limit")
            return text
        found = vocab.label(text)
        if found is not None:
            return found
        if vocab.codes:
            value = vocab.decode_code(original)
            if value is not None:
                return value
            raise CellError(
                "unknown_code",
                f"{text!r} is neither a code of {col.code_list} nor one of: {', '.join(allowed)}",
            )
        raise CellError("not_allowed", f"{text!r} is not one of: {', '.join(allowed)}")

    return convert


def _bool_converter(col: Column, code_map: dict[str, str], state: FileState) -> Converter:
    vocab = _Vocabulary(col, code_map) if code_map else None
    name = col.name
    marks = state.marks_seen

    def convert(cell: Any, warns: list[Warn]) -> bool | None:
        if vocab is not None and cell is not None:
            text = _text_of(cell)
            if text in vocab.codes:
                return parse_bool(vocab.decode_code(text))
        try:
            value = parse_bool(cell)
        except CellError:
            text = _text_of(cell)
            decoded = vocab.decode_code(text) if vocab is not None else None
            if decoded is None:
                if vocab is not None and text.isdigit():
                    raise CellError("unknown_code", f"{text} is not a code of {col.code_list}") from None
                raise
            value = parse_bool(decoded)
        if value and cell.__class__ is str and cell.strip().lower() in CHECK_MARKS:
            marks.add(name)
        return value

    return convert


def _number_converter(col: Column) -> Converter:
    low = col.min_value
    high = col.max_value
    if col.semantic == "birth_year":
        high = float(today_vn().year) if high is None else min(high, today_vn().year)
    bounds = _NUMERIC_BOUNDS.get(col.type)

    def convert(cell: Any, warns: list[Warn]) -> int | Decimal | None:
        if bounds is not None:
            value = parse_int(cell, bounds)
        else:
            value = parse_number(cell)
            if value is not None and abs(value) >= 10**16:
                raise CellError("out_of_range", f"{value} is outside the range the column can hold")
        if value is None:
            return None
        if low is not None and value < low:
            raise CellError("min_value", f"{value} is below the minimum {_num(low)}")
        if high is not None and value > high:
            raise CellError("max_value", f"{value} is above the maximum {_num(high)}")
        return value

    return convert


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _date_converter(col: Column) -> Converter:
    not_future = col.not_future

    def convert(cell: Any, warns: list[Warn]) -> date | None:
        value = parse_date(cell)
        if value is not None and not_future and value > today_vn():
            raise CellError("future_date", f"{value.isoformat()} is in the future")
        return value

    return convert


def _timestamp_converter(col: Column) -> Converter:
    not_future = col.not_future

    def convert(cell: Any, warns: list[Warn]) -> datetime | None:
        value = parse_datetime(cell)
        if value is not None and not_future and value > datetime.now() + FUTURE_TOLERANCE:
            raise CellError("future_date", f"{value.isoformat(sep=' ')} is in the future")
        return value

    return convert


def _ward_converter(col: Column) -> Converter:
    name = col.name

    def convert(cell: Any, warns: list[Warn]) -> str | None:
        text = _text_of(cell)
        if not text:
            return None
        if not text.isdigit():
            raise CellError("invalid_ward_code", f"{text!r} is not a GSO ward code (5 digits)")
        if len(text) < 5:
            padded = text.zfill(5)
            warns.append(
                (
                    name,
                    "ward_code_padded",
                    f"ward code {text} read as {padded} (leading zeros restored)",
                    text,
                )
            )
            return padded
        if len(text) > 5:
            raise CellError("invalid_ward_code", f"{text!r} is not a GSO ward code (5 digits)")
        return text

    return convert


def _school_year_converter(col: Column) -> Converter:
    def convert(cell: Any, warns: list[Warn]) -> str | None:
        return parse_school_year(cell)

    return convert


def make_converter(
    col: Column, code_map: dict[str, str], *, codes_first: bool, state: FileState
) -> tuple[Converter, bool]:
    """The converter of one column, and whether its results may be cached per distinct cell value
    (not for timestamps, keys and personal data, whose values are mostly unique)."""
    if col.type == "boolean":
        return _bool_converter(col, code_map, state), True
    if col.type in ("integer", "bigint", "numeric"):
        return _number_converter(col), True
    if col.type == "date":
        return _date_converter(col), True
    if col.type == "timestamp":
        return _timestamp_converter(col), False
    if col.semantic == "ward_code":
        return _ward_converter(col), True
    if col.semantic == "school_year":
        return _school_year_converter(col), True
    if col.allowed is not None or code_map:
        return _choice_converter(col, code_map, codes_first, is_grade=col.name == "grade"), True
    return _text_converter(col), not col.personal and not col.pattern


def _text_many(col: Column) -> Callable[[list[Any]], list[Any] | None]:
    """A whole column of free text at C speed, or ``None`` when any cell needs the per-cell path
    (not text, too long, NUL, formula-like, not matching the pattern)."""
    pattern = re.compile(col.pattern) if col.pattern else None
    digits = _fixed_digits(col.pattern)
    nfc = partial(unicodedata.normalize, "NFC")

    def many(cells: Any) -> list[Any] | None:
        if set(map(type, cells)) != {str}:
            return None
        values: list[Any] = list(map(str.strip, cells))
        present = values
        if "" in values:
            values = [v or None for v in values]
            present = [v for v in values if v]
            if not present:
                return values
        joined = "\n" + "\n".join(present)
        if digits:
            if (
                set(map(len, present)) != {digits}
                or not joined.isascii()
                or not joined.replace("\n", "").isdigit()
            ):
                return None
            return values
        if "\x00" in joined or any(marker in joined for marker in _FORMULA_MARKERS):
            return None
        if max(map(len, present)) > MAX_TEXT_LENGTH:
            return None
        if pattern is not None and not all(map(pattern.match, present)):
            return None
        if not joined.isascii() and not unicodedata.is_normalized("NFC", joined):
            values = [None if v is None else nfc(v) for v in values]
        return values

    return many


def _timestamp_many(col: Column) -> Callable[[list[Any]], list[Any] | None]:
    """A column of ISO timestamps (``2024-05-01 08:30:00``) at C speed, else ``None``."""
    not_future = col.not_future

    def many(cells: list[Any]) -> list[Any] | None:
        if set(map(type, cells)) != {str}:
            return None
        present = cells
        if "" in cells:
            present = [c for c in cells if c]
        try:
            if set(map(_FIFTH, present)) - {"-"}:  # the extended form only, as parse_datetime reads it
                return None
            parsed = list(map(datetime.fromisoformat, present))
        except (ValueError, IndexError):
            return None
        if parsed and (
            {v.tzinfo for v in parsed} != {None}
            or (not_future and max(parsed) > datetime.now() + FUTURE_TOLERANCE)
        ):
            return None
        if present is cells:
            return parsed
        found = iter(parsed)
        return [next(found) if c else None for c in cells]

    return many


def make_many(col: Column) -> Callable[[list[Any]], list[Any] | None] | None:
    """The whole-column fast path of an uncached column (``None`` when it has none)."""
    if col.type == "timestamp":
        return _timestamp_many(col)
    if col.type == "text" and col.semantic is None and col.allowed is None:
        return _text_many(col)
    return None


# --------------------------------------------------------------------------------------------------
# Row validation
# --------------------------------------------------------------------------------------------------
def period_text(value: Any) -> str | None:
    """The period of a row as text: ``2024-2025``, or the year ``2024`` for years, dates, timestamps."""
    if value is None:
        return None
    if isinstance(value, date):
        return str(value.year)
    return str(value)


def _first_year(period: Any) -> int | None:
    if period is None:
        return None
    if isinstance(period, date):
        return period.year
    text = str(period)
    return int(text[:4]) if text[:4].isdigit() else None


@dataclass(frozen=True, slots=True)
class _Period:
    """What the checks need to know about one period value (computed once per distinct value)."""

    text: str | None
    first_year: int | None
    wards: frozenset[str]
    wards_label: str
    structures: tuple[str, ...]


#: The period of rows whose checks need no period facts.
_NO_PERIOD = _Period(None, None, frozenset(), "", ())


@cache
def _all_wards() -> frozenset[str]:
    return reference.ward_codes(reference.PRE_2025) | reference.ward_codes(reference.POST_2025)


def _period_facts(period: Any) -> _Period:
    both = reference.STRUCTURES
    text = period_text(period)
    if period is None:
        return _Period(None, None, _all_wards(), "either structure", both)
    if isinstance(period, date):
        structure = reference.structure_for_date(
            period if not isinstance(period, datetime) else period.date()
        )
        codes = reference.ward_codes(structure)
        return _Period(text, period.year, codes, f"the {_structure_text(structure)} structure", (structure,))
    try:
        codes = reference.ward_codes_for_period(period)
        structure = reference.structure_for_period(period)
    except (ValueError, TypeError):
        return _Period(text, _first_year(period), _all_wards(), "either structure", both)
    if len(codes) != len(reference.ward_codes(structure)):
        return _Period(text, _first_year(period), codes, "either structure", both)
    return _Period(
        text, _first_year(period), codes, f"the {_structure_text(structure)} structure", (structure,)
    )


@dataclass
class Batch:
    """Validated rows of one block: typed values column by column, problems by row index."""

    numbers: list[int]
    block: Block
    columns: list[list[Any]]
    errors: dict[int, list[Issue]]
    warnings: dict[int, list[Issue]]
    #: Positions of the columns without an empty value in this block.
    complete: set[int] = field(default_factory=set)


class _ValueCache(dict[Any, Any]):
    """Converted value per distinct cell value of a column.

    ``map(cache.__getitem__, cells)`` converts a whole column at C speed: a hit is a dictionary lookup,
    and only a value never seen before reaches Python (``__missing__``), once. A value that fails or
    warns is not remembered; it is noted in ``problems`` so that its rows can be reported.
    """

    def __init__(self, convert: Converter) -> None:
        super().__init__()
        self.convert = convert
        self.problems: dict[Any, CellError | list[Warn]] = {}

    def __missing__(self, cell: Any) -> Any:
        warns: list[Warn] = []
        try:
            value = self.convert(cell, warns)
        except CellError as exc:
            # a fresh copy without the traceback: a stored traceback would keep the caller's frame, and
            # with it the whole block of rows, alive in a reference cycle
            self.problems[cell] = CellError(exc.rule, exc.message)
            return None
        if warns:
            self.problems[cell] = warns
        elif len(self) < CACHE_LIMIT:
            self[cell] = value
        return value


@dataclass(frozen=True, slots=True)
class _ColumnPlan:
    pos: int
    index: int
    name: str
    convert: Converter
    cache: _ValueCache | None
    many: Callable[[list[Any]], list[Any] | None] | None
    required: bool


def _indexes_of(values: Any, bad: Any) -> list[int]:
    """Positions of the values that are in ``bad`` (a set or dict view), at C speed."""
    return list(compress(range(len(values)), map(bad.__contains__, values)))


class RowValidator:
    """Validates the rows of one sheet against a contract, a block of rows at a time.

    Each column is converted as a whole (a cache lookup per distinct value, C-level where possible);
    the cross-field rules, the key and the ward codes are checked with set operations on the block,
    and only the rows that fail are examined one by one.
    """

    def __init__(
        self,
        contract: Contract,
        sheet: Sheet,
        state: FileState,
        *,
        file: str,
        references: ReferenceLookup | None = None,
        title: tuple[str, str] | None = None,
    ) -> None:
        self.contract = contract
        self.state = state
        self.file = file
        self.sheet_name = sheet.name
        self.references = references
        self.names = contract.column_names
        self.width = len(self.names)
        self.positions = {name: i for i, name in enumerate(self.names)}
        layout = sheet.layout
        emis = contract.source in reference.EMIS_SOURCES
        field_lists = reference.emis_field_code_list(contract.source) if emis else {}
        by_column = {canonical: j for j, canonical in layout.mapping.items()}
        self.plans: list[_ColumnPlan] = []
        for pos, col in enumerate(contract.columns):
            j = by_column.get(col.name)
            if j is None:
                continue
            coded = j in layout.coded
            list_name = (field_lists.get(col.name) if coded else None) or col.code_list
            code_map = reference.emis_code_map(list_name) if list_name else {}
            converter, cacheable = make_converter(
                col, code_map, codes_first=coded or col.name != "grade", state=state
            )
            cached = cacheable and contract.key != (col.name,)
            self.plans.append(
                _ColumnPlan(
                    pos,
                    j,
                    col.name,
                    converter,
                    _ValueCache(converter) if cached else None,
                    None if cached else make_many(col),
                    col.required,
                )
            )
        self.min_cells = max(layout.mapping, default=-1) + 1
        self.bool_plans = [p for p in self.plans if contract.columns[p.pos].type == "boolean"]
        self.constants = self._title_constants(by_column, title)
        period = contract.period_column
        self.period_pos = self.positions[period] if period else None
        self.period_is_instant = contract.period_kind in ("date", "timestamp")
        key_pos = [self.positions[k] for k in contract.key]
        #: The key's period column partitions the remembered keys; the rest of the key is hashed.
        self.key_period = self.period_pos if self.period_pos in key_pos else None
        self.key_rest = [p for p in key_pos if p != self.key_period]
        self.ward_pos = [i for i, c in enumerate(contract.columns) if c.semantic == "ward_code"]
        name_cols = [i for i, c in enumerate(contract.columns) if c.semantic == "ward_name"]
        self.ward_name_pos = name_cols[0] if name_cols and self.ward_pos else None
        self.refs = (
            [(self.positions[r.column], r) for r in contract.references] if references is not None else []
        )
        self._periods: dict[Any, _Period] = {}
        self._ward_names: dict[tuple[str, str, tuple[str, ...]], bool] = {}
        self._ref_sets: dict[tuple[str, str | None], frozenset[str] | None] = {}

    # -- set-up --------------------------------------------------------------------------------
    def _title_constants(
        self, by_column: dict[str, int], title: tuple[str, str] | None
    ) -> list[tuple[int, Any]]:
        """The period column filled from the title when the sheet has no such column."""
        period = self.contract.period_column
        if period is None or period in by_column or title is None:
            return []
        col = self.contract.column(period)
        kind, text = title
        value: Any = None
        if col.semantic == "school_year" and kind == "school_year":
            value = text
        elif col.type in ("integer", "bigint"):
            value = int(text[:4])
        if value is None:
            return []
        self.state.file_warnings.append(
            self._issue(
                None,
                period,
                "period_from_title",
                f"{period} taken from the title: {value}",
                str(value),
                "warning",
            )
        )
        return [(self.positions[period], value)]

    def _issue(
        self,
        row: int | None,
        column: str | None,
        rule: str,
        message: str,
        value: str | None,
        severity: str = "error",
    ) -> Issue:
        return Issue(row, column, rule, message, value, severity, self.file, self.sheet_name)

    def _period(self, value: Any) -> _Period:
        facts = self._periods.get(value)
        if facts is None:
            facts = _period_facts(value)
            self._periods[value] = facts
        return facts

    def _ward_name_matches(self, code: str, name: str, structures: tuple[str, ...]) -> bool:
        key = (code, name, structures)
        found = self._ward_names.get(key)
        if found is None:
            units = [u for s in structures if (u := reference.ward(code, s)) is not None]
            found = not units or any(
                reference.same_name(name, u.unit_name) or reference.same_name(name, u.full_name)
                for u in units
            )
            if len(self._ward_names) < CACHE_LIMIT:
                self._ward_names[key] = found
        return found

    def _reference_codes(self, ref: Reference, period: str | None) -> frozenset[str] | None:
        key = (ref.column, period)
        if key not in self._ref_sets:
            assert self.references is not None
            found = self.references.codes(ref, period)
            self._ref_sets[key] = found
            marker = (ref.source, period)
            if found is None and marker not in self.state.unchecked_references:
                self.state.unchecked_references.add(marker)
                scope = f" for {period}" if period else ""
                self.state.file_warnings.append(
                    self._issue(
                        None,
                        ref.column,
                        "reference_not_checked",
                        f"reference not checked: {ref.source} has no rows{scope} in the warehouse yet",
                        period,
                        "warning",
                    )
                )
        return self._ref_sets[key]

    # -- a block of rows ----------------------------------------------------------------------
    def validate_batch(self, block: Block) -> Batch:
        """Validate a block of rows of the sheet."""
        numbers = block.numbers
        m = len(numbers)
        cells_by_index = block.column_view(self.min_cells)
        batch = Batch(numbers, block, [[None] * m] * self.width, {}, {})
        columns = batch.columns = list(batch.columns)
        failed: dict[int, set[str]] = {}
        for plan in self.plans:
            columns[plan.pos] = self._convert(plan, cells_by_index[plan.index], batch, failed)
        for pos, value in self.constants:
            columns[pos] = [value] * m
            batch.complete.add(pos)
        self._apply_check_marks(batch)
        period_values = columns[self.period_pos] if self.period_pos is not None else [None] * m
        periods = self._row_periods(period_values)
        self._check_wards(batch, periods)
        self._check_rules(batch, periods)
        self._check_keys(batch)
        self._check_references(batch, periods)
        if numbers:
            self.state.progress[self.sheet_name] = numbers[-1]
        return batch

    def _apply_check_marks(self, batch: Batch) -> None:
        """In a column written with check marks, an empty cell means no."""
        state = self.state
        for plan in self.bool_plans:
            if plan.name not in state.marks_seen:
                continue
            if plan.name not in state.check_mark_columns:
                state.check_mark_columns[plan.name] = dict(state.progress)
            values = batch.columns[plan.pos]
            if None in values:
                batch.columns[plan.pos] = [False if v is None else v for v in values]
            batch.complete.add(plan.pos)

    def _add(self, target: dict[int, list[Issue]], k: int, issue: Issue) -> None:
        found = target.get(k)
        if found is None:
            target[k] = [issue]
        else:
            found.append(issue)

    def _convert(self, plan: _ColumnPlan, cells: Any, batch: Batch, failed: dict[int, set[str]]) -> list[Any]:
        if plan.cache is not None:
            return self._convert_distinct(plan, plan.cache, cells, batch, failed)
        values = plan.many(cells) if plan.many is not None else None
        if values is None:
            values = [self._convert_cell(plan, k, cell, batch, failed) for k, cell in enumerate(cells)]
        self._check_required(plan, values, batch, failed)
        return values

    def _check_required(
        self, plan: _ColumnPlan, values: list[Any], batch: Batch, failed: dict[int, set[str]]
    ) -> None:
        if None not in values:
            batch.complete.add(plan.pos)
        elif plan.required:
            for k, value in enumerate(values):
                if value is None and plan.name not in failed.get(k, ()):
                    self._required(batch, k, plan.name)

    def _required(self, batch: Batch, k: int, name: str) -> None:
        self._add(
            batch.errors, k, self._issue(batch.numbers[k], name, "required", f"{name} is required", None)
        )

    def _convert_distinct(
        self, plan: _ColumnPlan, cache: _ValueCache, cells: Any, batch: Batch, failed: dict[int, set[str]]
    ) -> list[Any]:
        """The column through its value cache; rows are visited one by one only where a value failed or
        warned."""
        try:
            values = list(map(cache.__getitem__, cells))
        except TypeError:  # an unhashable cell: convert one by one
            values = [self._convert_cell(plan, k, cell, batch, failed) for k, cell in enumerate(cells)]
        if cache.problems:
            problems, cache.problems = cache.problems, {}
            for k in _indexes_of(cells, problems.keys()):
                cell = cells[k]
                problem = problems[cell]
                if isinstance(problem, CellError):
                    self._add(
                        batch.errors,
                        k,
                        Issue(
                            batch.numbers[k],
                            plan.name,
                            problem.rule,
                            problem.message,
                            _display_value(cell),
                            "error",
                            self.file,
                            self.sheet_name,
                        ),
                    )
                    failed.setdefault(k, set()).add(plan.name)
                else:
                    for column, rule, message, shown in problem:
                        self._add(
                            batch.warnings,
                            k,
                            self._issue(batch.numbers[k], column, rule, message, shown, "warning"),
                        )
        self._check_required(plan, values, batch, failed)
        return values

    def _convert_cell(
        self,
        plan: _ColumnPlan,
        k: int,
        cell: Any,
        batch: Batch,
        failed: dict[int, set[str]],
    ) -> Any:
        warns: list[Warn] = []
        try:
            value = plan.convert(cell, warns)
        except CellError as exc:
            self._add(
                batch.errors,
                k,
                Issue(
                    batch.numbers[k],
                    plan.name,
                    exc.rule,
                    exc.message,
                    _display_value(cell),
                    "error",
                    self.file,
                    self.sheet_name,
                ),
            )
            failed.setdefault(k, set()).add(plan.name)
            return None
        for column, rule, message, shown in warns:
            self._add(
                batch.warnings, k, self._issue(batch.numbers[k], column, rule, message, shown, "warning")
            )
        return value

    def _row_periods(self, values: list[Any]) -> list[_Period] | _Period:
        """The period facts of every row (one object when the block has a single period)."""
        if self.period_is_instant:
            days = {v if v.__class__ is date else v.date() for v in set(values) if v is not None}
            self.state.periods.update({str(d.year) for d in days})
            if not (self.ward_pos or any(ref.same_period for _, ref in self.refs)):
                return _NO_PERIOD
            if len(days) == 1 and None not in values:
                return self._period(next(iter(days)))
            return [
                self._period(None if v is None else v if v.__class__ is date else v.date()) for v in values
            ]
        distinct = set(values)
        for value in distinct:
            facts = self._period(value)
            if facts.text:
                self.state.periods.add(facts.text)
        if len(distinct) == 1:
            return self._period(next(iter(distinct)))
        return [self._period(v) for v in values]

    def _check_wards(self, batch: Batch, periods: list[_Period] | _Period) -> None:
        for pos in self.ward_pos:
            codes = batch.columns[pos]
            if isinstance(periods, _Period):
                unknown = set(codes) - periods.wards
                unknown.discard(None)
                if not unknown:
                    continue
                bad = _indexes_of(codes, unknown)
            else:
                bad = [
                    k
                    for k, (c, p) in enumerate(zip(codes, periods, strict=True))
                    if c is not None and c not in p.wards
                ]
            for k in bad:
                facts = periods if isinstance(periods, _Period) else periods[k]
                scope = f" (period {facts.text})" if facts.text else ""
                self._add(
                    batch.errors,
                    k,
                    self._issue(
                        batch.numbers[k],
                        self.names[pos],
                        "unknown_ward_code",
                        f"ward code {codes[k]} is not a ward of {facts.wards_label}{scope}",
                        codes[k],
                    ),
                )
        if self.ward_name_pos is None:
            return
        names, codes = batch.columns[self.ward_name_pos], batch.columns[self.ward_pos[0]]
        for k, (name, code) in enumerate(zip(names, codes, strict=True)):
            facts = periods if isinstance(periods, _Period) else periods[k]
            if (
                name
                and code
                and code in facts.wards
                and not self._ward_name_matches(code, name, facts.structures)
            ):
                self._add(
                    batch.warnings,
                    k,
                    self._issue(
                        batch.numbers[k],
                        self.names[self.ward_name_pos],
                        "ward_name_mismatch",
                        f"ward name {name!r} does not match ward code {code}",
                        name,
                        "warning",
                    ),
                )

    def _check_rules(self, batch: Batch, periods: list[_Period] | _Period) -> None:
        columns = batch.columns
        for rule in self.contract.rules:
            left = columns[self.positions[rule.left]]
            if rule.kind == "age_between":
                bad = self._age_failures(rule, left, periods)
            else:
                right = columns[self.positions[rule.right or ""]]
                bad = _order_failures(rule.kind, left, right)
            target = batch.errors if rule.severity == "error" else batch.warnings
            for k in bad:
                message = self._rule_message(
                    rule,
                    left[k],
                    columns[self.positions[rule.right]][k] if rule.right else None,
                    periods if isinstance(periods, _Period) else periods[k],
                )
                self._add(
                    target,
                    k,
                    self._issue(
                        batch.numbers[k],
                        rule.left,
                        rule.kind,
                        message,
                        _display_value(left[k]),
                        rule.severity,
                    ),
                )

    def _age_failures(self, rule: Rule, births: list[Any], periods: list[_Period] | _Period) -> list[int]:
        low = rule.low if rule.low is not None else -(10**6)
        high = rule.high if rule.high is not None else 10**6
        if isinstance(periods, _Period):
            year = periods.first_year
            if year is None:
                return []
            born = list(map(_YEAR_OF, filter(None, births)))
            if not born or (low <= year - max(born) and year - min(born) <= high):
                return []
            return [k for k, b in enumerate(births) if b is not None and not low <= year - b.year <= high]
        return [
            k
            for k, (b, p) in enumerate(zip(births, periods, strict=True))
            if b is not None and p.first_year is not None and not low <= p.first_year - b.year <= high
        ]

    @staticmethod
    def _rule_message(rule: Rule, left: Any, right: Any, period: _Period) -> str:
        label = rule.message or rule.name
        if rule.kind == "le":
            return f"{label}: {rule.left}={left} > {rule.right}={right}"
        if rule.kind == "not_before":
            return f"{label}: {rule.left}={cell_text(left)} < {rule.right}={cell_text(right)}"
        year = period.first_year
        return f"{label}: age {year - left.year} on 31/12/{year} (born {left.isoformat()})"

    def _check_keys(self, batch: Batch) -> None:
        """Later rows repeating the key of an earlier row (of this file) are errors.

        One hash per key is remembered, never the rows, in one set per value of the key's period column
        (a school year, a date): a block of one period is checked with set operations, and rows are
        visited one by one only around a repeated hash.
        """
        columns = batch.columns
        rest = [columns[p] for p in self.key_rest]
        keys: list[Any] = (
            list(zip(*rest, strict=True)) if len(rest) > 1 else rest[0] if rest else [0] * len(batch.numbers)
        )
        incomplete = {k for p in rest if None in p for k in _indexes_of(p, {None})}
        if self.key_period is None:
            groups: dict[Any, list[int] | None] = {None: None}
        else:
            periods = columns[self.key_period]
            distinct = set(periods)
            if len(distinct) == 1:
                groups = {next(iter(distinct)): None}
            else:
                groups = {}
                for k, period in enumerate(periods):
                    groups.setdefault(period, []).append(k)  # type: ignore[union-attr]
        for period, indexes in groups.items():
            if period is None and self.key_period is not None:
                continue  # no period: a required-column error already
            seen = self.state.keys.setdefault(period, set())
            self._unique(batch, keys, indexes, incomplete, seen)

    def _unique(
        self, batch: Batch, keys: list[Any], indexes: list[int] | None, incomplete: set[int], seen: set[int]
    ) -> None:
        rows = range(len(keys)) if indexes is None else indexes
        hashes = list(map(hash, keys)) if indexes is None else [hash(keys[k]) for k in indexes]
        fresh = set(hashes)
        if not incomplete and len(fresh) == len(hashes) and seen.isdisjoint(fresh):
            seen |= fresh
            return
        suspects = fresh & seen
        if len(fresh) < len(hashes):
            suspects |= {h for h, n in Counter(hashes).items() if n > 1}
        seen |= fresh - suspects - {hashes[i] for i, k in enumerate(rows) if k in incomplete}
        for i in _indexes_of(hashes, suspects):
            k = rows[i]
            if k in incomplete:
                continue
            if hashes[i] in seen:
                self._add(batch.errors, k, self._duplicate(batch.numbers[k], batch, k))
            else:
                seen.add(hashes[i])

    def _check_references(self, batch: Batch, periods: list[_Period] | _Period) -> None:
        for pos, ref in self.refs:
            values = batch.columns[pos]
            groups: dict[str | None, list[int]] = {}
            if not ref.same_period or isinstance(periods, _Period):
                scope = (periods.text if isinstance(periods, _Period) else None) if ref.same_period else None
                groups[scope] = list(range(len(values)))
            else:
                for k, p in enumerate(periods):
                    groups.setdefault(p.text, []).append(k)
            for scope, indexes in groups.items():
                codes = self._reference_codes(ref, scope)
                if codes is None:
                    continue
                for k in indexes:
                    value = values[k]
                    if value is not None and value not in codes:
                        where = f" for {scope}" if scope else ""
                        self._add(
                            batch.errors,
                            k,
                            self._issue(
                                batch.numbers[k],
                                ref.column,
                                "unknown_reference",
                                f"{ref.column} {value} is not in {ref.source}{where}",
                                str(value),
                            ),
                        )

    def _duplicate(self, number: int, batch: Batch, k: int) -> Issue:
        shown = ", ".join(
            f"{name}={cell_text(batch.columns[self.positions[name]][k])}" for name in self.contract.key
        )
        return self._issue(
            number,
            self.contract.key[0],
            "duplicate_key",
            f"duplicate key ({shown}): an earlier row of the file has the same key",
            shown,
        )


def _order_failures(kind: str, left: list[Any], right: list[Any]) -> list[int]:
    """Rows where ``le`` (left <= right) or ``not_before`` (left >= right) fails; nulls pass."""
    compare = operator.gt if kind == "le" else operator.lt
    if None not in left and None not in right:
        try:
            if not any(map(compare, left, right)):
                return []
        except TypeError:
            pass
    bad = []
    for k, (a, b) in enumerate(zip(left, right, strict=True)):
        if a is None or b is None:
            continue
        if isinstance(a, datetime) != isinstance(b, datetime):
            a = a if isinstance(a, datetime) else datetime.combine(a, datetime.min.time())
            b = b if isinstance(b, datetime) else datetime.combine(b, datetime.min.time())
        if compare(a, b):
            bad.append(k)
    return bad


def _structure_text(structure: str) -> str:
    return structure.replace("_", "-")
