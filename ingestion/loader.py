"""Check and load one delivered file: read → match headers → normalise → validate → COPY.

``check_file`` runs the whole path without a warehouse and returns a :class:`CheckReport`.
``load_file`` runs the same path inside ONE transaction per file: it records the manifest row, streams
the good rows into ``raw.<source>`` and the bad ones into ``audit.quarantine`` with PostgreSQL ``COPY``
in chunks, and updates the counts; any failure rolls everything back and records a ``rejected``
manifest row instead, so a rerun is always safe. A file already loaded (same source and sha256) gets a
``duplicate`` manifest row and loads nothing.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .normalize import cell_text, normalize_header
from .readers import ROW_NUMBER_HEADERS, FileRejected, Issue, Sheet, Table, open_table, title_period
from .sources import CONTRACTS, Contract, Reference, get_contract
from .validate import Batch, FileState, RowValidator

if TYPE_CHECKING:
    import sqlalchemy as sa

log = logging.getLogger("ingestion")

#: Rows per COPY chunk (memory stays flat whatever the file size).
CHUNK_ROWS = 50_000
#: Detailed errors (and row-level warnings) kept in a report; all of them are counted.
MAX_REPORTED = 1_000
#: Rows between two progress callbacks.
PROGRESS_EVERY = 100_000
LINEAGE = ("_extra", "_row_number", "_file_id", "_sheet", "_loaded_at", "_run_id")
QUARANTINE_COLUMNS = ("file_id", "source", "sheet", "row_number", "raw_record", "errors", "run_id")

NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_BOOL_TEXT = {True: "t", False: "f"}
_FORMAT: dict[str, Callable[[Any], str]] = {
    "text": str,
    "integer": str,
    "bigint": str,
    "numeric": str,
    "date": date.isoformat,
    "timestamp": datetime.isoformat,
    "boolean": _BOOL_TEXT.__getitem__,
}

Progress = Callable[[int], None]


def copy_escape(text: str) -> str:
    """A value in PostgreSQL COPY text format (backslash, tab, newline and carriage return escaped)."""
    return text.translate(_COPY_ESCAPES)


# --------------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------------
@dataclass
class CheckReport:
    """The outcome of checking (or loading) one file."""

    source: str
    file: str
    status: str = "ok"  # ok / warn / rejected
    rows_read: int = 0
    rows_valid: int = 0
    rows_quarantined: int = 0
    rows_excluded: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    error_counts: dict[str, int] = field(default_factory=dict)
    warning_counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    rule: str | None = None
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[dict[str, Any]] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": self.file,
            "status": self.status,
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "rows_quarantined": self.rows_quarantined,
            "rows_excluded": self.rows_excluded,
            "error": self.error,
            "rule": self.rule,
            "error_counts": self.error_counts,
            "warning_counts": self.warning_counts,
            "errors": self.errors,
            "warnings": self.warnings,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheets": self.sheets,
            "periods": self.periods,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second),
        }


class _Collector:
    """Counts every issue and keeps the first :data:`MAX_REPORTED` of each kind in detail."""

    def __init__(self, report: CheckReport) -> None:
        self.report = report
        self.file_warnings: list[dict[str, Any]] = []
        self.row_warnings: list[dict[str, Any]] = []
        self.first_warning: dict[str, dict[str, Any]] = {}

    @staticmethod
    def _key(issue: Issue) -> str:
        return f"{issue.rule}:{issue.column}" if issue.column else issue.rule

    def error(self, issue: Issue) -> None:
        counts = self.report.error_counts
        key = self._key(issue)
        counts[key] = counts.get(key, 0) + 1
        if len(self.report.errors) < MAX_REPORTED:
            self.report.errors.append(issue.to_dict())

    def warning(self, issue: Issue, *, file_level: bool = False) -> None:
        counts = self.report.warning_counts
        key = self._key(issue)
        counts[key] = counts.get(key, 0) + 1
        if file_level:
            self.file_warnings.append(issue.to_dict())
            return
        if key not in self.first_warning:
            self.first_warning[key] = issue.to_dict()
        if len(self.row_warnings) < MAX_REPORTED:
            self.row_warnings.append(issue.to_dict())

    def finish(self, started: float) -> None:
        """Fill the report's warnings, duration and status (ok / warn unless already rejected)."""
        report = self.report
        report.warnings = self.file_warnings + self.row_warnings
        report.seconds = time.monotonic() - started
        if report.status != "rejected":
            report.status = "warn" if report.rows_quarantined or report.warning_counts else "ok"

    def manifest_warnings(self) -> list[dict[str, Any]]:
        """File-level warnings in full, row-level warnings summarised (first occurrence + count)."""
        summary = list(self.file_warnings)
        for key, first in self.first_warning.items():
            summary.append({**first, "count": self.report.warning_counts[key]})
        return summary


# --------------------------------------------------------------------------------------------------
# The shared path
# --------------------------------------------------------------------------------------------------
class _Sink:
    """Receives validated rows: counts only (check) or COPY buffers (load)."""

    def good(self, sheet: Sheet, batch: Batch, keep: list[int] | None, extra_cols: tuple[int, ...]) -> None:
        """The valid rows of a block: all of them (``keep is None``) or those at ``keep``."""
        return None

    def bad(self, sheet: Sheet, number: int, cells: Any, issues: list[Issue]) -> None:
        return None

    def flush(self) -> None:
        return None


def _extra_json(sheet: Sheet, cells: Any, columns: tuple[int, ...]) -> str | None:
    labels = sheet.layout.labels
    data: dict[str, str] = {}
    for j in columns:
        if j < len(cells):
            text = cell_text(cells[j]).strip()
            if text:
                data[labels[j]] = text
    for j in range(len(labels), len(cells)):
        text = cell_text(cells[j]).strip()
        if text:
            data[f"column_{j + 1}"] = text
    return json.dumps(data, ensure_ascii=False) if data else None


def raw_record(sheet: Sheet, cells: Any) -> dict[str, str]:
    """The row exactly as read: header → cell text, for every column of the sheet."""
    labels = sheet.layout.labels
    record = {label: cell_text(cells[j]) if j < len(cells) else "" for j, label in enumerate(labels)}
    for j in range(len(labels), len(cells)):
        text = cell_text(cells[j])
        if text:
            record[f"column_{j + 1}"] = text
    return record


def _sheet_warnings(sheet: Sheet, file: str) -> list[Issue]:
    layout = sheet.layout
    issues: list[Issue] = []
    unknown = [
        label
        for j, label in sorted(layout.extras.items())
        if normalize_header(label) not in ROW_NUMBER_HEADERS
    ]
    if unknown:
        issues.append(
            Issue(
                None,
                None,
                "unknown_column",
                f"column(s) not in the contract, kept in _extra: {', '.join(unknown)}",
                ", ".join(unknown),
                "warning",
                file,
                sheet.name,
            )
        )
    for j, canonical in sorted(layout.duplicates.items()):
        issues.append(
            Issue(
                None,
                canonical,
                "duplicate_column",
                f"column {layout.labels[j]!r} is a second {canonical} column; the first one is used, "
                "this one is kept in _extra",
                layout.labels[j],
                "warning",
                file,
                sheet.name,
            )
        )
    return issues


def _scan(
    contract: Contract,
    path: Path,
    report: CheckReport,
    sink: _Sink,
    collector: _Collector,
    *,
    references: Any = None,
    progress: Progress | None = None,
) -> FileState:
    """Read, validate and hand every row to ``sink``; raises :class:`FileRejected` for file rules."""
    state = FileState()
    file = str(path)
    rows_in = valid = quarantined = 0
    with _gc_paused(), open_table(path, contract) as table:
        _describe(report, table)
        for issue in table.warnings:
            collector.warning(_with_file(issue, file), file_level=True)
        for sheet in table.sheets:
            for issue in _sheet_warnings(sheet, file):
                collector.warning(issue, file_level=True)
            validator = RowValidator(
                contract,
                sheet,
                state,
                file=file,
                references=references,
                title=title_period(sheet.title_lines),
            )
            layout = sheet.layout
            extra_cols = tuple(sorted({*layout.extras, *layout.duplicates, *layout.unlabeled}))
            next_progress = (rows_in // PROGRESS_EVERY + 1) * PROGRESS_EVERY
            for block in sheet.batches():
                batch = validator.validate_batch(block)
                numbers = block.numbers
                rows_in += len(numbers)
                keep: list[int] | None = None
                if batch.errors:
                    for k in sorted(batch.errors):
                        errors = batch.errors[k]
                        for issue in errors:
                            collector.error(issue)
                        sink.bad(sheet, numbers[k], block.row(k), errors + batch.warnings.get(k, []))
                    keep = [k for k in range(len(numbers)) if k not in batch.errors]
                    quarantined += len(batch.errors)
                valid += len(numbers) - len(batch.errors)
                for k in sorted(batch.warnings):
                    for issue in batch.warnings[k]:
                        collector.warning(issue)
                sink.good(sheet, batch, keep, extra_cols)
                if rows_in >= next_progress:
                    next_progress = (rows_in // PROGRESS_EVERY + 1) * PROGRESS_EVERY
                    if progress is not None:
                        progress(rows_in)
            for issue in sheet.excluded:
                report.rows_excluded += 1
                collector.warning(_with_file(issue, file), file_level=True)
            report.sheets.append(
                {
                    "sheet": sheet.name,
                    "header_rows": list(sheet.header_row_numbers),
                    "columns": {layout.labels[j]: c for j, c in sorted(layout.mapping.items())},
                }
            )
        report.rows_read, report.rows_valid, report.rows_quarantined = rows_in, valid, quarantined
        sink.flush()
    for issue in state.file_warnings:
        collector.warning(issue, file_level=True)
    if report.rows_read == 0:
        detail = f" ({report.rows_excluded} total/note row(s) excluded)" if report.rows_excluded else ""
        raise FileRejected("header_only", f"the file has a header but no data rows{detail}")
    report.periods = sorted(state.periods)
    return state


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file streams through: the millions of short-lived row
    lists and tuples form no cycles, and repeated collections over them cost more than the parsing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _with_file(issue: Issue, file: str) -> Issue:
    return Issue(
        issue.row, issue.column, issue.rule, issue.message, issue.value, issue.severity, file, issue.sheet
    )


def _describe(report: CheckReport, table: Table) -> None:
    report.format = table.format
    report.encoding = table.encoding
    report.delimiter = table.delimiter


def _reject(report: CheckReport, exc: FileRejected) -> None:
    report.status = "rejected"
    report.error = exc.message
    report.rule = exc.rule
    report.errors.insert(0, Issue(None, None, exc.rule, exc.message, None, "error", report.file).to_dict())
    report.error_counts[exc.rule] = 1


def _summary(report: CheckReport, verb: str) -> None:
    log.info(
        "%s %s %s: %s — %s rows read, %s valid, %s quarantined, %s excluded in %.1fs (%s rows/s)%s",
        verb,
        report.source,
        report.file,
        report.status,
        f"{report.rows_read:,}",
        f"{report.rows_valid:,}",
        f"{report.rows_quarantined:,}",
        f"{report.rows_excluded:,}",
        report.seconds,
        f"{report.rows_per_second:,.0f}",
        f": {report.error}" if report.error else "",
    )


def check_file(source: str, path: str | Path, *, progress: Progress | None = None) -> CheckReport:
    """Parse and validate a file without the warehouse (cross-source references are not checked)."""
    contract = get_contract(source)
    path = Path(path)
    report = CheckReport(source=source, file=str(path))
    collector = _Collector(report)
    started = time.monotonic()
    try:
        _scan(contract, path, report, _Sink(), collector, progress=progress)
    except FileRejected as exc:
        _reject(report, exc)
    collector.finish(started)
    _summary(report, "checked")
    return report


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------
class _CopyWriter:
    """Runs the COPY statements of one file on a background thread, so that PostgreSQL ingests a
    chunk while the next one is validated. Statements run in submission order on the file's
    connection (inside its transaction); the first failure is raised in the caller's thread."""

    def __init__(self, connection: Any) -> None:
        self.cursor = connection.cursor()
        self.queue: queue.Queue[tuple[str, bytes] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="ingestion-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is None:
                try:
                    copy_rows(self.cursor, *item)
                except BaseException as exc:  # handed over to the caller's thread
                    self.error = exc

    def submit(self, sql: str, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((sql, data))

    def close(self) -> None:
        """Wait for every submitted COPY; raise the first failure."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        self.cursor.close()
        if self.error is not None:
            raise self.error


class _CopySink(_Sink):
    """Formats good rows as COPY text for ``raw.<source>`` and bad rows for ``audit.quarantine``, and
    hands them to the writer in chunks of about :data:`CHUNK_ROWS` rows."""

    def __init__(
        self, writer: _CopyWriter, contract: Contract, file_id: int, run_id: str, loaded_at: str
    ) -> None:
        self.writer = writer
        self.contract = contract
        self.file_id = file_id
        self.run_id = run_id
        self.loaded_at = loaded_at
        columns = ", ".join((*contract.column_names, *LINEAGE))
        self.raw_sql = f"copy {contract.table} ({columns}) from stdin"
        self.quarantine_sql = f"copy audit.quarantine ({', '.join(QUARANTINE_COLUMNS)}) from stdin"
        self.formats = tuple(_FORMAT[c.type] for c in contract.columns)
        self.texts = tuple(c.type == "text" for c in contract.columns)
        # free text may hold tabs, line breaks or backslashes; labels, codes and years never do
        self.free_text = tuple(
            c.type == "text" and c.allowed is None and c.semantic is None and c.code_list is None
            for c in contract.columns
        )
        self.parts: list[str] = []
        self.pending = 0
        self.quarantine: list[str] = []

    def _lineage(self, sheet: Sheet) -> str:
        name = "\\N" if sheet.name is None else copy_escape(sheet.name)
        return f"{self.file_id}\t{name}\t{self.loaded_at}\t{copy_escape(self.run_id)}"

    def good(self, sheet: Sheet, batch: Batch, keep: list[int] | None, extra_cols: tuple[int, ...]) -> None:
        columns: list[Any] = batch.columns
        numbers: Any = batch.numbers
        if keep is not None:
            if not keep:
                return
            pick = itemgetter(*keep, keep[0])  # one index would return a bare value: pad, then drop
            columns = [pick(c)[:-1] for c in columns]
            numbers = pick(numbers)[:-1]
        fields: list[Any] = []
        complete = batch.complete
        for pos, values in enumerate(columns):
            if self.free_text[pos] and _needs_escape(values):
                fields.append([NULL if v is None else copy_escape(v) for v in values])
            elif pos not in complete and None in values:
                fmt = self.formats[pos]
                fields.append([NULL if v is None else fmt(v) for v in values])
            elif self.texts[pos]:
                fields.append(values)
            else:
                fields.append(map(self.formats[pos], values))
        block = batch.block
        width = len(sheet.layout.labels)
        wide = (
            len(block.columns) > width
            if block.columns is not None
            else max(map(len, block.rows or [()])) > width
        )
        if extra_cols or wide:
            rows = range(len(batch.numbers)) if keep is None else keep
            extras: Any = [_copy_json(_extra_json(sheet, block.row(k), extra_cols)) for k in rows]
        else:
            extras = repeat(NULL)
        lines = map("\t".join, zip(*fields, extras, map(str, numbers), repeat(self._lineage(sheet))))
        self.parts.append("\n".join(lines) + "\n")
        self.pending += len(numbers)
        if self.pending >= CHUNK_ROWS:
            self._send_raw()

    def bad(self, sheet: Sheet, number: int, cells: Any, issues: list[Issue]) -> None:
        record = json.dumps(raw_record(sheet, cells), ensure_ascii=False)
        problems = json.dumps([i.to_dict() for i in issues], ensure_ascii=False)
        sheet_text = NULL if sheet.name is None else copy_escape(sheet.name)
        self.quarantine.append(
            f"{self.file_id}\t{copy_escape(self.contract.source)}\t{sheet_text}\t{number}\t"
            f"{copy_escape(record)}\t{copy_escape(problems)}\t{copy_escape(self.run_id)}\n"
        )
        if len(self.quarantine) >= CHUNK_ROWS:
            self._send_quarantine()

    def _send_raw(self) -> None:
        if self.parts:
            self.writer.submit(self.raw_sql, "".join(self.parts).encode())
            self.parts = []
            self.pending = 0

    def _send_quarantine(self) -> None:
        if self.quarantine:
            self.writer.submit(self.quarantine_sql, "".join(self.quarantine).encode())
            self.quarantine = []

    def flush(self) -> None:
        self._send_raw()
        self._send_quarantine()


def _needs_escape(values: Any) -> bool:
    text = "".join(filter(None, values))
    return "\\" in text or "\t" in text or "\n" in text or "\r" in text


def _copy_json(text: str | None) -> str:
    return NULL if text is None else copy_escape(text)


def copy_rows(cursor: Any, sql: str, data: bytes) -> None:
    """One COPY of a chunk of text-format lines, UTF-8 encoded (psycopg2 ``copy_expert``)."""
    cursor.copy_expert(sql, io.BytesIO(data), size=len(data) + 1)


class _WarehouseReferences:
    """Cross-source reference values read from raw (rows of loaded files only), on a connection of
    their own (the file's connection is busy with COPY)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.connection: Any = None

    @property
    def cursor(self) -> Any:
        if self.connection is None:
            self.connection = self.engine.raw_connection()
        return self.connection.cursor()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def codes(self, ref: Reference, period: str | None) -> frozenset[str] | None:
        target = CONTRACTS[ref.source]
        sql = (
            f"select distinct r.{ref.target_column}::text from {target.table} r "
            "join audit.load_manifest m on m.file_id = r._file_id and m.status = 'loaded'"
        )
        params: tuple[Any, ...] = ()
        if period is not None and target.period_column is not None:
            sql += f" where r.{target.period_column}::text = %s"
            params = (period,)
        cursor = self.cursor
        cursor.execute(sql, params)
        values = frozenset(row[0] for row in cursor.fetchall() if row[0] is not None)
        cursor.close()
        self.connection.rollback()
        return values or None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_bootstrapped: set[tuple[str, str]] = set()


def _ensure_bootstrapped(engine: sa.Engine, contract: Contract) -> None:
    """Create the audit and raw tables on first use of a database (pointed at an empty database, the
    pipeline creates what it needs)."""
    import sqlalchemy as sa

    key = (engine.url.render_as_string(hide_password=True), contract.source)
    if key in _bootstrapped:
        return
    with engine.connect() as conn:
        ready = conn.execute(
            sa.text("select to_regclass('audit.load_manifest') is not null and to_regclass(:t) is not null"),
            {"t": contract.table},
        ).scalar()
    if not ready:
        from .warehouse import bootstrap

        bootstrap(engine)
    _bootstrapped.add(key)


def _default_engine() -> sa.Engine:
    from .warehouse import engine

    return engine()


_MANIFEST_INSERT = """
insert into audit.load_manifest
    (source, path, file_name, sha256, size_bytes, received_at, rows_in, rows_loaded, rows_quarantined,
     rows_excluded, status, error, warnings, periods, duplicate_of, run_id)
values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s)
returning file_id
"""


@dataclass
class _FileFacts:
    path: Path
    sha256: str
    size: int
    received_at: datetime


def _facts(path: Path) -> _FileFacts:
    try:
        stat = path.stat()
        return _FileFacts(path, sha256_of(path), stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))
    except OSError:
        return _FileFacts(path, "", 0, datetime.now(UTC))


def _insert_manifest(cursor: Any, source: str, facts: _FileFacts, run_id: str, **values: Any) -> int:
    cursor.execute(
        _MANIFEST_INSERT,
        (
            source,
            str(facts.path.resolve()) if facts.path.exists() else str(facts.path),
            facts.path.name,
            facts.sha256,
            facts.size,
            facts.received_at,
            values.get("rows_in", 0),
            values.get("rows_loaded", 0),
            values.get("rows_quarantined", 0),
            values.get("rows_excluded", 0),
            values["status"],
            values.get("error"),
            json.dumps(values.get("warnings", []), ensure_ascii=False, default=str),
            values.get("periods", []),
            values.get("duplicate_of"),
            run_id,
        ),
    )
    return int(cursor.fetchone()[0])


def _manifest_row(cursor: Any, file_id: int) -> dict[str, Any]:
    cursor.execute("select * from audit.load_manifest where file_id = %s", (file_id,))
    names = [d[0] for d in cursor.description]
    row = dict(zip(names, cursor.fetchone(), strict=True))
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


@dataclass
class LoadResult:
    """The manifest row of a load and the report of its checks."""

    manifest: dict[str, Any]
    report: CheckReport


def load_file(
    source: str,
    path: str | Path,
    run_id: str | None = None,
    engine: sa.Engine | None = None,
    *,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Load one file in one transaction; returns its ``audit.load_manifest`` row."""
    return load(source, path, run_id=run_id, engine=engine, progress=progress).manifest


def load(
    source: str,
    path: str | Path,
    run_id: str | None = None,
    engine: sa.Engine | None = None,
    *,
    progress: Progress | None = None,
) -> LoadResult:
    """:func:`load_file` returning the check report too (the CLI prints both)."""
    contract = get_contract(source)
    path = Path(path)
    run_id = run_id or f"manual__{datetime.now(UTC):%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:8]}"
    engine = engine or _default_engine()
    _ensure_bootstrapped(engine, contract)
    report = CheckReport(source=source, file=str(path))
    collector = _Collector(report)
    started = time.monotonic()
    facts = _facts(path)
    connection = engine.raw_connection()
    try:
        connection.set_client_encoding("UTF8")  # the COPY data is sent as UTF-8 bytes
        cursor = connection.cursor()
        try:
            manifest = _load_in_transaction(
                connection, engine, contract, facts, run_id, report, collector, progress
            )
            connection.commit()
        except Exception as exc:
            connection.rollback()
            rejected = (
                exc
                if isinstance(exc, FileRejected)
                else FileRejected(
                    "load_failed", f"load failed and was rolled back: {type(exc).__name__}: {exc}"
                )
            )
            if not isinstance(exc, FileRejected):
                log.exception("loading %s %s failed", source, path)
            _reject(report, rejected)
            file_id = _insert_manifest(
                cursor,
                source,
                facts,
                run_id,
                status="rejected",
                error=rejected.message,
                rows_in=0,
                warnings=collector.manifest_warnings(),
            )
            manifest = _manifest_row(cursor, file_id)
            connection.commit()
        cursor.close()
    finally:
        connection.close()
    collector.finish(started)
    if manifest["status"] == "duplicate":
        log.info("duplicate %s %s: already loaded as file_id %s", source, path, manifest["duplicate_of"])
    else:
        _summary(report, "loaded")
    return LoadResult(manifest, report)


def _load_in_transaction(
    connection: Any,
    engine: sa.Engine,
    contract: Contract,
    facts: _FileFacts,
    run_id: str,
    report: CheckReport,
    collector: _Collector,
    progress: Progress | None,
) -> dict[str, Any]:
    if not facts.sha256:
        raise FileRejected("file_missing", f"file {facts.path} does not exist or cannot be read")
    cursor = connection.cursor()
    cursor.execute(
        "select pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{contract.source}:{facts.sha256}",)
    )
    cursor.execute(
        "select file_id from audit.load_manifest where source = %s and sha256 = %s and status = 'loaded' "
        "order by file_id limit 1",
        (contract.source, facts.sha256),
    )
    earlier = cursor.fetchone()
    if earlier is not None:
        file_id = _insert_manifest(
            cursor, contract.source, facts, run_id, status="duplicate", duplicate_of=earlier[0]
        )
        report.status = "ok"
        return _manifest_row(cursor, file_id)
    file_id = _insert_manifest(cursor, contract.source, facts, run_id, status="loaded")
    cursor.execute("select now()")
    loaded_at = cursor.fetchone()[0].isoformat()
    writer = _CopyWriter(connection)
    references = _WarehouseReferences(engine) if contract.references else None
    try:
        sink = _CopySink(writer, contract, file_id, run_id, loaded_at)
        state = _scan(contract, facts.path, report, sink, collector, references=references, progress=progress)
    finally:
        writer.close()
        if references is not None:
            references.close()
    for column, before in sorted(state.check_mark_columns.items()):
        for sheet, last_row in before.items():
            cursor.execute(
                f"update {contract.table} set {column} = false where _file_id = %s and {column} is null"
                " and _sheet is not distinct from %s and _row_number <= %s",
                (file_id, sheet, last_row),
            )
    cursor.execute(
        "update audit.load_manifest set rows_in = %s, rows_loaded = %s, rows_quarantined = %s,"
        " rows_excluded = %s,"
        " load_seconds = round(cast(extract(epoch from clock_timestamp() - loaded_at) as numeric), 3),"
        " warnings = %s::jsonb, periods = %s where file_id = %s",
        (
            report.rows_read,
            report.rows_valid,
            report.rows_quarantined,
            report.rows_excluded,
            json.dumps(collector.manifest_warnings(), ensure_ascii=False, default=str),
            report.periods,
            file_id,
        ),
    )
    return _manifest_row(cursor, file_id)
