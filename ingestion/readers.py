"""Readers: stream the rows of a delivered CSV or XLSX file, below its real header.

One path for every source: the reader opens the file (encoding and delimiter detection for text,
openpyxl read-only streaming for XLSX), finds the header row below any title block by matching the
contract's headers (two-row merged headers included), and yields the data rows one by one. Total rows
("Tổng cộng") and the notes under them are recognised and reported as excluded rows, never as data.
Nothing here holds a whole file in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from . import reference
from .normalize import cell_text, normalize_header, normalize_label, strip_accents
from .sources import Contract

#: Rows scanned for the header below a title block.
HEADER_SCAN_ROWS = 30
#: Bytes decoded to decide between UTF-8 and Windows-1258.
ENCODING_SAMPLE = 1 << 20
#: Headers of row-number columns, kept in ``_extra`` without a warning.
ROW_NUMBER_HEADERS = frozenset({"stt", "tt", "số tt", "số thứ tự", "no", "no.", "#"})

_TOTAL_WORDS = ("tổng cộng", "tổng số", "tổng", "cộng", "toàn quận", "toàn huyện", "toàn thành phố", "total")
_NOTE_PREFIXES = (
    "ghi chú",
    "lưu ý",
    "chú thích",
    "nguồn:",
    "nguồn số liệu",
    "người lập",
    "người lập biểu",
    "người báo cáo",
    "nơi nhận",
    "thủ trưởng",
    "xác nhận",
    "chủ tịch",
    "tm.",
    "kt.",
)
#: Rows handed on per block by :meth:`Sheet.batches`.
BATCH_ROWS = 10_000
#: How a total or note label can start: only rows whose first cell starts like one of these (or is
#: empty) are examined closely; the others are data. Both Unicode forms, any case.
_LABEL_STARTS = (
    "tổng",
    "cộng",
    "toàn",
    "total",
    "ghi chú",
    "lưu ý",
    "chú thích",
    "nguồn",
    "người",
    "nơi nhận",
    "thủ trưởng",
    "xác nhận",
    "chủ tịch",
    "tm",
    "kt",
    "ngày",
)
_SUSPECT_START = re.compile(
    r"\s|"
    + "|".join(
        sorted({re.escape(unicodedata.normalize(form, w)) for w in _LABEL_STARTS for form in ("NFC", "NFD")})
    ),
    re.IGNORECASE,
).match
_LABEL_INITIALS = frozenset(
    c
    for w in _LABEL_STARTS
    for form in ("NFC", "NFD")
    for c in unicodedata.normalize(form, w[0] + w[0].upper())
) | frozenset(" \t\r\n\u00a0")
_FIRST = itemgetter(0)
_SIGNATURE_DATE = re.compile(r"ngày\s*[.…\d]*\s*tháng\s*[.…\d]*\s*năm")
_TITLE_SCHOOL_YEAR = re.compile(r"năm học\s*(\d{4})\s*-\s*(\d{4})")
_TITLE_YEAR = re.compile(r"(?:năm|year)\s*(\d{4})\b")
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,3})\s*\)?$")


class FileRejected(Exception):
    """The whole file cannot be accepted (a file rule): nothing of it is loaded."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding, with the same structure everywhere (CLI JSON, audit.quarantine, reports)."""

    row: int | None
    column: str | None
    rule: str
    message: str
    value: str | None = None
    severity: str = "error"
    file: str | None = None
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "value": self.value,
        }


# --------------------------------------------------------------------------------------------------
# Header matching
# --------------------------------------------------------------------------------------------------
class HeaderIndex:
    """Every accepted spelling of every column of one contract.

    Keys are :func:`normalize_header` forms of the canonical name, the Vietnamese header and its
    aliases, and the coded CSDL field names of the EMIS sources; a second index without tone marks
    catches other tone-mark placements and ASCII exports when it is unambiguous.
    """

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.exact: dict[str, str] = {}
        self.coded: dict[str, str] = {}
        for col in contract.columns:
            for text in (col.name, *col.headers):
                self.exact.setdefault(normalize_header(text), col.name)
        if contract.source in reference.EMIS_SOURCES:
            for field_name, canonical in reference.emis_field_aliases(contract.source).items():
                key = normalize_header(field_name)
                self.coded[key] = canonical
                self.exact.setdefault(key, canonical)
        loose: dict[str, set[str]] = {}
        for key, canonical in self.exact.items():
            loose.setdefault(strip_accents(key), set()).add(canonical)
        self.loose = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1}
        self._matches: dict[str, str | None] = {}

    def match(self, text: object) -> str | None:
        raw = str(text) if text is not None else ""
        if raw in self._matches:
            return self._matches[raw]
        key = normalize_header(raw)
        found = self.exact.get(key) if key else None
        if found is None and key:
            found = self.loose.get(strip_accents(key))
        if len(self._matches) < 10_000:
            self._matches[raw] = found
        return found

    def is_coded(self, text: object) -> bool:
        """Whether the header is a coded CSDL field name (its values are DM_* codes)."""
        return normalize_header(text) in self.coded

    def display(self, canonical: str) -> str:
        """``Mã trường (school_code)``: how messages name a column."""
        col = self.contract.column(canonical)
        return f"{col.headers[0]} ({canonical})" if col.headers else canonical


@dataclass
class HeaderLayout:
    """Where the header of a sheet is and what each column holds."""

    rows: tuple[int, ...]  # 0-based indexes in the scanned block
    labels: list[str]  # display text of every column (unique)
    mapping: dict[int, str]  # column index -> canonical column
    coded: set[int]  # column indexes whose header is a coded CSDL field name
    extras: dict[int, str]  # column index -> header of an unknown column
    duplicates: dict[int, str]  # column index -> canonical already taken by an earlier column
    unlabeled: set[int] = field(default_factory=set)

    @property
    def score(self) -> int:
        return len(set(self.mapping.values()))


def _text(value: object) -> str:
    return cell_text(value).strip() if value is not None else ""


def _forward_fill(row: list[str]) -> list[str]:
    filled, last = [], ""
    for text in row:
        last = text or last
        filled.append(last)
    return filled


def _layout(index: HeaderIndex, rows: list[list[str]], start: int) -> HeaderLayout:
    """Match one header row (``len(rows) == 1``) or a group row above a leaf row."""
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    mapping: dict[int, str] = {}
    coded: set[int] = set()
    labels: list[str] = []
    extras: dict[int, str] = {}
    duplicates: dict[int, str] = {}
    unlabeled: set[int] = set()
    group = _forward_fill(grid[0]) if len(grid) == 2 else grid[0]
    taken: set[str] = set()
    for j in range(width):
        if len(grid) == 1:
            candidates = [grid[0][j]]
        else:
            upper, leaf = grid[0][j], grid[1][j]
            candidates = [leaf] if leaf else [upper]
            if leaf and group[j] and group[j] != leaf:
                candidates += [f"{group[j]} {leaf}", f"{leaf} {group[j]}", f"{leaf} ({group[j]})"]
        label, canonical = "", None
        for text in candidates:
            canonical = index.match(text) if text else None
            if canonical is not None:
                label = text
                break
        if not label:
            if len(grid) == 1 or not grid[1][j]:
                label = grid[0][j]
            else:
                label = f"{group[j]} / {grid[1][j]}" if group[j] and group[j] != grid[1][j] else grid[1][j]
        label = " ".join(label.split())
        if canonical is not None:
            if canonical in taken:
                duplicates[j] = canonical
            else:
                taken.add(canonical)
                mapping[j] = canonical
                if index.is_coded(label):
                    coded.add(j)
        elif label:
            extras[j] = label
        else:
            unlabeled.add(j)
        labels.append(label or f"column_{j + 1}")
    seen: dict[str, int] = {}
    for j, label in enumerate(labels):
        if label in seen:
            seen[label] += 1
            labels[j] = f"{label} ({seen[label]})"
        else:
            seen[label] = 1
    return HeaderLayout(
        tuple(range(start, start + len(rows))), labels, mapping, coded, extras, duplicates, unlabeled
    )


def detect_header(index: HeaderIndex, block: list[list[str]]) -> HeaderLayout | None:
    """The header among the first rows: the row (or group + leaf pair of rows) matching the most
    distinct contract columns; ties go to the single row, then to the earlier one."""
    best: HeaderLayout | None = None
    for i, row in enumerate(block):
        if not any(row):
            continue
        single = _layout(index, [row], i)
        if best is None or single.score > best.score:
            best = single
        if i + 1 < len(block) and any(block[i + 1]):
            pair = _layout(index, [row, block[i + 1]], i)
            below = _layout(index, [block[i + 1]], i + 1)
            if pair.score > max(single.score, below.score) and (best is None or pair.score > best.score):
                best = pair
    if best is None or best.score < min(2, len(index.contract.columns)):
        return None
    return best


def title_period(lines: list[str]) -> tuple[str, str] | None:
    """("school_year", "2024-2025") or ("year", "2024") read from title rows
    ("BÁO CÁO ... NĂM 2024", "NĂM HỌC 2024-2025")."""
    for line in lines:
        key = normalize_label(line)
        match = _TITLE_SCHOOL_YEAR.search(key)
        if match and int(match.group(2)) == int(match.group(1)) + 1:
            return "school_year", f"{match.group(1)}-{match.group(2)}"
    for line in lines:
        match = _TITLE_YEAR.search(normalize_label(line))
        if match:
            return "year", match.group(1)
    return None


def _is_total_text(text: str) -> bool:
    key = normalize_label(text).rstrip(" :.")
    if key in _TOTAL_WORDS:
        return True
    for word in _TOTAL_WORDS:
        if key.startswith(word) and key[len(word) : len(word) + 1] in (":", " ", "(", "-"):
            rest = key[len(word) :].lstrip(" :-(")
            return rest.startswith(("toàn", "cả", "chung", "quận", "huyện", "thành phố", "tp", "số"))
    return False


def _is_note_text(text: str) -> bool:
    key = normalize_label(text)
    return key.startswith(_NOTE_PREFIXES) or bool(_SIGNATURE_DATE.search(key))


# --------------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Block:
    """A block of data rows: their row numbers, and the cells row by row or column by column (a
    quote-free CSV block is split straight into columns; either form is derived when asked for)."""

    numbers: list[int]
    rows: list[Any] | None = None
    columns: list[list[Any]] | None = None

    def __len__(self) -> int:
        return len(self.numbers)

    def row(self, k: int) -> Any:
        if self.rows is not None:
            return self.rows[k]
        assert self.columns is not None
        return [column[k] for column in self.columns]

    def column_view(self, need: int) -> list[Any]:
        """At least ``need`` columns, a missing cell being None."""
        m = len(self.numbers)
        if self.columns is not None:
            columns: list[Any] = self.columns
        else:
            assert self.rows is not None
            rows = self.rows
            if need and min(map(len, rows)) < need:
                rows = [row if len(row) >= need else [*row, *([None] * (need - len(row)))] for row in rows]
            columns = list(zip(*rows, strict=False))
        if len(columns) < need:
            columns = [*columns, *([[None] * m] * (need - len(columns)))]
        return columns


#: A block as a reader produces it: ("rows", rows) or ("columns", columns, row count).
RawBlock = tuple[Any, ...]


@dataclass
class Sheet:
    """The data part of one sheet (or of a CSV file): a header layout and a stream of rows.

    Iterating yields ``(row_number, cells)`` for data rows only (1-based row numbers as a spreadsheet
    shows them); excluded rows (totals, notes, a column-number row) are collected in ``excluded``.
    """

    name: str | None
    layout: HeaderLayout
    header_row_numbers: tuple[int, ...]
    title_lines: list[str]
    first_data_row: int
    #: Yields the raw blocks of the data part, given a block size in rows.
    _source: Callable[[int], Iterator[RawBlock]]
    excluded: list[Issue] = field(default_factory=list)
    required_present: tuple[int, ...] = ()
    #: Turns an exception raised while streaming rows into the file rule it breaks.
    read_error: Callable[[Exception], FileRejected | None] | None = None

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        for block in self.batches():
            for k, number in enumerate(block.numbers):
                yield number, block.row(k)

    def _raw_blocks(self, size: int) -> Iterator[RawBlock]:
        source = self._source(size)
        while True:
            try:
                raw = next(source)
            except StopIteration:
                return
            except FileRejected:
                raise
            except Exception as exc:
                rejected = self.read_error(exc) if self.read_error is not None else None
                if rejected is None:
                    raise
                raise rejected from None
            yield raw

    def batches(self, size: int | None = None) -> Iterator[Block]:
        """Data rows in blocks of up to about ``size`` rows (default :data:`BATCH_ROWS`).

        Blocks whose rows all start with ordinary text go through untouched (the fast path of a big
        export); in the others, blank rows are skipped and totals and notes are excluded.
        """
        number = self.first_data_row - 1
        first = True
        after_total = False
        for raw in self._raw_blocks(size or BATCH_ROWS):
            if raw[0] == "columns":
                columns, count = raw[1], raw[2]
                start = number + 1
                number += count
                if not after_total and not first and _plain_heads(columns[0]):
                    yield Block(list(range(start, number + 1)), columns=columns)
                    continue
                block: list[Any] = [list(row) for row in zip(*columns, strict=True)]
            else:
                block = raw[1]
                start = number + 1
                number += len(block)
            if not block:
                continue
            if first:
                first = False
                lead = next((k for k, row in enumerate(block) if row and any(row)), None)
                if lead is not None and self._is_column_numbers(block[lead]):
                    self._exclude(
                        start + lead, "column_numbers_row", "row of column numbers under the header"
                    )
                    block[lead] = ()
            if not after_total:
                heads = [row[0] if row else "" for row in block]
                if _plain_heads(heads):
                    yield Block(list(range(start, number + 1)), rows=block)
                    continue
                odd_set = {
                    k for k, head in enumerate(heads) if not (head.__class__ is str and _plain_head(head))
                }
            numbers: list[int] = []
            kept: list[Any] = []
            for k, row in enumerate(block):
                if not after_total and k not in odd_set:
                    numbers.append(start + k)
                    kept.append(row)
                    continue
                if not row or not any(row):
                    continue
                kind = self._kind(row, after_total) if after_total or self._suspect(row) else "data"
                if kind == "data":
                    numbers.append(start + k)
                    kept.append(row)
                elif kind != "empty":
                    after_total = after_total or kind == "total"
                    self._exclude_row(start + k, row, kind)
            if kept:
                yield Block(numbers, rows=kept)

    @staticmethod
    def _suspect(row: Any) -> bool:
        """Whether the row needs a closer look: the first non-empty of its first cells starts like a total
        or note label, or those cells are all empty."""
        for cell in row[:4]:
            if cell is None or cell == "":
                continue
            return isinstance(cell, str) and not _plain_head(cell.lstrip())
        return True  # the first cells are empty: a total label further right, or a blank row

    def _kind(self, row: Any, after_total: bool) -> str:
        texts = [_text(c) for c in row]
        if not any(texts):
            return "empty"
        return self._classify(texts, tuple(self.layout.mapping), self.required_present, after_total)

    def _exclude(self, number: int, rule: str, message: str) -> None:
        self.excluded.append(Issue(number, None, rule, message, severity="warning", sheet=self.name))

    def _exclude_row(self, number: int, row: Any, kind: str) -> None:
        preview = _preview([_text(c) for c in row])
        self._exclude(number, f"{kind}_row", f"{kind} row excluded: {preview}")

    def _is_column_numbers(self, row: Any) -> bool:
        numbers = []
        for cell in row:
            text = _text(cell)
            if not text:
                continue
            match = _COLUMN_NUMBER.match(text)
            if not match:
                return False
            numbers.append(int(match.group(1)))
        return len(numbers) >= 3 and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))

    @staticmethod
    def _classify(
        texts: list[str], mapped: tuple[int, ...], required: tuple[int, ...], after_total: bool
    ) -> str:
        leading = [t for t in texts[:4] if t][:2]
        if any(_is_total_text(t) for t in leading):
            return "total"
        filled = sum(1 for t in texts if t)
        if leading and _is_note_text(leading[0]) and filled <= 2:
            return "note"
        if after_total:
            mapped_filled = sum(1 for j in mapped if j < len(texts) and texts[j])
            looks_like_data = (required and all(j < len(texts) and texts[j] for j in required)) or (
                mapped and mapped_filled * 2 >= len(mapped)
            )
            if not looks_like_data:
                return "note"
        return "data"


def _plain_head(text: str) -> bool:
    """A non-empty first cell that cannot begin a total or a note label."""
    return bool(text) and _SUSPECT_START(text) is None


def _plain_heads(heads: list[Any]) -> bool:
    """Whether every first cell of a block is non-empty text that cannot begin a total or a note (the
    common case is decided on the first letters alone, at C speed)."""
    if "" in heads or set(map(type, heads)) != {str}:
        return False
    if set(map(_FIRST, heads)).isdisjoint(_LABEL_INITIALS):
        return True
    return not any(map(_SUSPECT_START, heads))


def _preview(texts: list[str]) -> str:
    shown = " | ".join(t for t in texts if t)
    return shown if len(shown) <= 80 else shown[:77] + "..."


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------
@dataclass
class Table:
    """An opened file: its format details and its data sheets (use as a context manager)."""

    path: Path
    format: str
    sheets: list[Sheet]
    encoding: str | None = None
    delimiter: str | None = None
    warnings: list[Issue] = field(default_factory=list)
    _closer: Any = None

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
            self._closer = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_table(path: Path, contract: Contract) -> Table:
    """Open a delivered file for reading; raises :class:`FileRejected` for the file rules."""
    path = Path(path)
    if not path.exists():
        raise FileRejected("file_missing", f"file {path} does not exist")
    if not path.is_file():
        raise FileRejected("file_missing", f"{path} is not a file")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise FileRejected("file_unreadable", f"cannot read {path}: {exc.strerror or exc}") from None
    if size == 0:
        raise FileRejected("file_empty", "the file is empty (0 bytes)")
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, contract)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            "unsupported_format",
            "this is an Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx or CSV (UTF-8)",
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileRejected("file_unreadable", "the .xlsx file is not a valid workbook (not a ZIP archive)")
    return _open_text(path, contract)


def _check_sheet(
    index: HeaderIndex, name: str | None, block: list[list[str]]
) -> tuple[HeaderLayout | None, list[str]]:
    """Header layout and missing required columns (display form) of a sheet's first rows."""
    layout = detect_header(index, block)
    if layout is None:
        return None, []
    present = set(layout.mapping.values())
    period = index.contract.period_column
    titled = title_period([" ".join(r) for r in block[: layout.rows[0]]])
    missing = [
        index.display(c)
        for c in index.contract.required_columns
        if c not in present and not (c == period and titled is not None)
    ]
    return layout, missing


def _no_header(contract: Contract, where: str) -> FileRejected:
    examples = ", ".join(c.headers[0] if c.headers else c.name for c in contract.columns[:4])
    return FileRejected(
        "no_header",
        f"no recognisable header in the first {HEADER_SCAN_ROWS} rows{where}: expected the headers of "
        f"{contract.source} ({contract.title_vi}), such as {examples}",
    )


def _missing(missing: list[str], where: str) -> FileRejected:
    return FileRejected("missing_columns", f"required column(s) missing{where}: {', '.join(missing)}")


def _make_sheet(
    name: str | None,
    layout: HeaderLayout,
    block: list[list[str]],
    source: Callable[[int], Iterator[RawBlock]],
    contract: Contract,
) -> Sheet:
    required = tuple(j for j, c in layout.mapping.items() if contract.column(c).required)
    return Sheet(
        name=name,
        layout=layout,
        header_row_numbers=tuple(r + 1 for r in layout.rows),
        title_lines=[" ".join(t for t in r if t) for r in block[: layout.rows[0]] if any(r)],
        first_data_row=layout.rows[-1] + 2,
        _source=source,
        required_present=required,
    )


def _row_blocks(rows: Iterator[Any]) -> Callable[[int], Iterator[RawBlock]]:
    """Raw blocks of ``size`` rows from a row iterator (XLSX)."""

    def blocks(size: int) -> Iterator[RawBlock]:
        while True:
            block = list(islice(rows, size))
            if not block:
                return
            yield ("rows", block)

    return blocks


# -- text files ------------------------------------------------------------------------------------
def detect_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-16`` (BOM), ``utf-16-le``/``-be`` (no BOM), ``utf-8`` or ``cp1258``."""
    with path.open("rb") as fh:
        sample = fh.read(ENCODING_SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = sample[:4096]
    nuls = head.count(0)
    if nuls:
        even = head[0::2].count(0)
        odd = head[1::2].count(0)
        if odd > len(head) // 4 and even < odd // 8:
            return "utf-16-le"
        if even > len(head) // 4 and odd < even // 8:
            return "utf-16-be"
        if nuls > len(head) // 100 + 2:
            raise FileRejected("file_unreadable", "the file is binary, not a CSV text file")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < ENCODING_SAMPLE)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            "file_unreadable",
            f"the text is neither UTF-8, UTF-16 nor Windows-1258 (byte {exc.start}): re-export it as UTF-8",
        ) from None
    return "cp1258"


def _sniff_delimiter(index: HeaderIndex, lines: list[str], suffix: str) -> str:
    """The delimiter under which the header matches best (then: the most consistent field count)."""
    best: tuple[int, int, int] | None = None
    chosen = "\t" if suffix == ".tsv" else ","
    sample = "".join(lines)
    for rank, delim in enumerate((",", ";", "\t", "|")):
        if delim not in sample:
            continue
        rows = list(csv.reader(lines, delimiter=delim))
        block = [[c.strip() for c in r] for r in rows[:HEADER_SCAN_ROWS]]
        layout = detect_header(index, block) if block else None
        widths = [len(r) for r in rows if len(r) > 1]
        consistent = max((widths.count(w) for w in set(widths)), default=0)
        score = (layout.score if layout else 0, consistent, -rank)
        if best is None or score > best:
            best, chosen = score, delim
    return chosen


def _open_text(path: Path, contract: Contract) -> Table:
    encoding = detect_encoding(path)
    index = HeaderIndex(contract)
    handle = path.open("r", encoding=encoding, newline="")
    try:
        try:
            sample_lines = list(islice(handle, HEADER_SCAN_ROWS * 3))
        except UnicodeDecodeError as exc:
            raise FileRejected("file_unreadable", f"invalid {encoding} text: {exc.reason}") from None
        sample_lines = [unicodedata.normalize("NFC", line) for line in sample_lines]
        if not any(line.strip(" \t\r\n,;|") for line in sample_lines):
            raise FileRejected("file_empty", "the file has no content (only blank lines or separators)")
        delimiter = _sniff_delimiter(index, sample_lines, path.suffix.lower())
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        raw_block: list[list[str]] = []
        try:
            for row in reader:
                raw_block.append(row)
                if len(raw_block) >= HEADER_SCAN_ROWS:
                    break
        except csv.Error as exc:
            raise FileRejected(
                "file_unreadable", f"malformed CSV near line {reader.line_num}: {exc}"
            ) from None
        except UnicodeDecodeError as exc:
            raise FileRejected("file_unreadable", f"invalid {encoding} text: {exc.reason}") from None
        block = [[c.strip() for c in r] for r in raw_block]
        layout, missing = _check_sheet(index, None, block)
        if layout is None:
            raise _no_header(contract, "")
        if missing:
            raise _missing(missing, "")
        rest = raw_block[layout.rows[-1] + 1 :]
        sheet = _make_sheet(None, layout, block, partial(_csv_blocks, handle, delimiter, rest), contract)
        sheet.read_error = partial(_csv_error, reader, encoding)
    except BaseException:
        handle.close()
        raise
    return Table(path, "csv", [sheet], encoding=encoding, delimiter=delimiter, _closer=handle.close)


#: Characters of text read per block of a CSV file (about 10,000 rows of an EMIS export).
CSV_BLOCK_CHARS = 1 << 21


def _csv_blocks(handle: Any, delimiter: str, first: list[list[str]], size: int) -> Iterator[RawBlock]:
    """The data part of a CSV file in blocks of whole records.

    ``first`` are the data rows already parsed with the header scan. The rest is read as text, cut at
    a line break outside quotes; a block without quotes and with the same number of fields on every
    line is split straight into columns (what ``csv`` would return, without building rows), any other
    block is parsed by ``csv``.
    """
    if first:
        yield ("rows", first)
    chars = min(CSV_BLOCK_CHARS, max(4096, size * 200))
    carry = ""
    while True:
        text = handle.read(chars)
        if not text:
            if carry:
                yield _parse_csv_block(carry, delimiter)
            return
        text = carry + text
        cut = text.rfind("\n") + 1
        head, carry = text[:cut], text[cut:]
        while head.count('"') % 2:  # a quoted field goes on past the cut
            more = handle.read(chars)
            if not more:
                head, carry = head + carry, ""
                break
            text = carry + more
            cut = text.rfind("\n") + 1
            head, carry = head + text[:cut], text[cut:]
        if head:
            yield _parse_csv_block(head, delimiter)


def _parse_csv_block(text: str, delimiter: str) -> RawBlock:
    if '"' not in text:
        body = text.replace("\r\n", "\n") if "\r" in text else text
        if "\r" not in body:
            body = body[:-1] if body.endswith("\n") else body
            lines = body.split("\n")
            counts = set(map(str.count, lines, repeat(delimiter)))
            if len(counts) == 1:
                width = counts.pop() + 1
                flat = body.replace("\n", delimiter).split(delimiter)
                return ("columns", [flat[j::width] for j in range(width)], len(lines))
    return ("rows", list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))


def _csv_error(reader: Any, encoding: str, exc: Exception) -> FileRejected | None:
    """The file rule for an error raised while streaming CSV rows (``None``: not a data error)."""
    if isinstance(exc, csv.Error):
        return FileRejected("file_unreadable", f"malformed CSV: {exc}")
    if isinstance(exc, UnicodeDecodeError):
        return FileRejected(
            "file_unreadable",
            f"invalid {encoding} text after the first {reader.line_num} lines: {exc.reason}; "
            "re-export the file as UTF-8",
        )
    return None


# -- workbooks -------------------------------------------------------------------------------------
def _open_xlsx(path: Path, contract: Contract) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileRejected(
            "file_unreadable", f"the workbook cannot be opened (corrupt or not XLSX): {exc}"
        ) from None
    except Exception as exc:  # openpyxl raises assorted parser errors on damaged archives
        raise FileRejected(
            "file_unreadable", f"the workbook cannot be opened: {type(exc).__name__}: {exc}"
        ) from None
    index = HeaderIndex(contract)
    sheets: list[Sheet] = []
    warnings: list[Issue] = []
    best_missing: tuple[str, list[str]] | None = None
    try:
        if not workbook.worksheets:
            raise FileRejected(
                "file_unreadable", "the workbook contains no readable worksheet (damaged file)"
            )
        for ws in workbook.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            ws.reset_dimensions()
            rows = ws.iter_rows(values_only=True)
            try:
                raw_block = list(islice(rows, HEADER_SCAN_ROWS))
            except Exception as exc:
                raise FileRejected("file_unreadable", f"sheet {ws.title!r} cannot be read: {exc}") from None
            block = [[_text(c) for c in r] for r in raw_block]
            layout, missing = _check_sheet(index, ws.title, block)
            if layout is None:
                continue
            if missing:
                if best_missing is None or len(missing) < len(best_missing[1]):
                    best_missing = (ws.title, missing)
                continue
            data = chain(raw_block[layout.rows[-1] + 1 :], rows)
            sheet = _make_sheet(ws.title, layout, block, _row_blocks(data), contract)
            sheet.read_error = partial(_xlsx_error, ws.title)
            sheets.append(sheet)
        if not sheets:
            if best_missing is not None:
                raise _missing(best_missing[1], f" in sheet {best_missing[0]!r}")
            raise _no_header(contract, " of any sheet")
        if best_missing is not None:
            warnings.append(
                Issue(
                    None,
                    None,
                    "sheet_ignored",
                    f"sheet {best_missing[0]!r} ignored: required column(s) missing: "
                    f"{', '.join(best_missing[1])}",
                    severity="warning",
                    sheet=best_missing[0],
                )
            )
    except BaseException:
        workbook.close()
        raise
    return Table(path, "xlsx", sheets, warnings=warnings, _closer=workbook.close)


def _xlsx_error(title: str, exc: Exception) -> FileRejected:
    return FileRejected("file_unreadable", f"sheet {title!r} cannot be read: {type(exc).__name__}: {exc}")
