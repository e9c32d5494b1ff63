"""The operator's command line: ``python -m ingestion``.

Subcommands: ``check`` and ``load`` of one file, ``warehouse start|stop|status|url``. Other modules add
their own subcommands: each module named in :data:`SUBCOMMAND_MODULES` has a ``register(subparsers)``
function that adds parsers and sets ``func`` (a callable taking the parsed arguments and returning the
exit code) with ``set_defaults``.

Exit codes: 0 ok or warn, 1 rejected (or a failure), 2 usage error (unknown source, missing file).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .sources import SOURCES

#: Modules that add subcommands through ``register(subparsers)``.
SUBCOMMAND_MODULES: list[str] = ["ingestion.quality.cli"]

#: Errors shown in the human-readable report.
SHOWN_ERRORS = 20

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

log = logging.getLogger("ingestion")


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a one-line hint for usage errors (its default too, made explicit)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


# --------------------------------------------------------------------------------------------------
# check / load
# --------------------------------------------------------------------------------------------------
def _progress(source: str) -> Callable[[int], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(rows: int) -> None:
        print(f"\r{source}: {rows:,} rows read", end="", file=sys.stderr, flush=True)

    return show


def _end_progress(progress: Callable[[int], None] | None) -> None:
    if progress is not None:
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def _usable_file(path: Path) -> str | None:
    if not path.exists():
        return f"file not found: {path}"
    if not path.is_file():
        return f"not a file: {path}"
    return None


def _format_counts(counts: dict[str, int]) -> list[str]:
    return [f"  {count:>8,}  {key}" for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def format_report(report: Any) -> str:
    """Human-readable report: summary, error counts, then the first errors grouped by column and rule."""
    lines = [
        f"{report.source}  {report.file}",
        f"status: {report.status.upper()}",
        f"rows read {report.rows_read:,}, valid {report.rows_valid:,}, "
        f"quarantined {report.rows_quarantined:,}, "
        f"excluded {report.rows_excluded:,}",
    ]
    if report.format:
        details = [report.format]
        if report.encoding:
            details.append(f"encoding {report.encoding}")
        if report.delimiter:
            details.append(f"delimiter {report.delimiter!r}")
        for sheet in report.sheets:
            where = f"sheet {sheet['sheet']!r}, " if sheet["sheet"] else ""
            rows = "-".join(str(r) for r in sheet["header_rows"])
            details.append(f"{where}header on row {rows}")
        lines.append("read as " + ", ".join(details))
    if report.periods:
        lines.append("periods: " + ", ".join(report.periods))
    if report.error:
        lines.append(f"REJECTED ({report.rule}): {report.error}")
    row_errors = [e for e in report.errors if e["row"] is not None]
    if row_errors:
        lines.append("errors by rule and column (all rows):")
        lines += _format_counts(report.error_counts)
        shown = row_errors[:SHOWN_ERRORS]
        lines.append(f"first {len(shown)} errors, grouped by column and rule:")
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for issue in shown:
            groups.setdefault((issue["column"] or "-", issue["rule"]), []).append(issue)
        for (column, rule), issues in groups.items():
            lines.append(f"  {column} / {rule}:")
            for issue in issues:
                sheet = f"sheet {issue['sheet']!r} " if issue["sheet"] else ""
                lines.append(f"    {sheet}row {issue['row']}: {issue['message']}")
    if report.warning_counts:
        lines.append("warnings by rule and column (all rows):")
        lines += _format_counts(report.warning_counts)
        lines.append(f"first {min(len(report.warnings), SHOWN_ERRORS)} warnings:")
        for issue in report.warnings[:SHOWN_ERRORS]:
            where = f"row {issue['row']}: " if issue["row"] is not None else ""
            lines.append(f"    {issue['rule']}: {where}{issue['message']}")
    return "\n".join(lines)


def _cmd_check(args: argparse.Namespace) -> int:
    from .loader import check_file

    path = Path(args.file)
    problem = _usable_file(path)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    progress = _progress(args.source)
    report = check_file(args.source, path, progress=progress)
    _end_progress(progress)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print(format_report(report))
    return EXIT_REJECTED if report.status == "rejected" else EXIT_OK


def _cmd_load(args: argparse.Namespace) -> int:
    from .loader import load

    path = Path(args.file)
    problem = _usable_file(path)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    progress = _progress(args.source)
    result = load(args.source, path, run_id=args.run_id, progress=progress)
    _end_progress(progress)
    manifest = result.manifest
    if args.json:
        print(
            json.dumps(
                {**manifest, "report": result.report.to_dict()}, ensure_ascii=False, indent=2, default=str
            )
        )
    else:
        print(format_report(result.report))
        print("manifest row (audit.load_manifest):")
        for key in (
            "file_id",
            "status",
            "rows_in",
            "rows_loaded",
            "rows_quarantined",
            "rows_excluded",
            "duplicate_of",
            "periods",
            "sha256",
            "run_id",
            "error",
        ):
            if manifest.get(key) not in (None, [], ""):
                print(f"  {key}: {manifest[key]}")
    return EXIT_REJECTED if manifest["status"] == "rejected" else EXIT_OK


def register_files(subparsers: Any) -> None:
    for name, func, help_text in (
        ("check", _cmd_check, "parse and validate a file without writing to the warehouse"),
        ("load", _cmd_load, "check a file, then load it into raw and audit in one transaction"),
    ):
        parser = subparsers.add_parser(name, help=help_text, description=help_text)
        parser.add_argument(
            "--source", required=True, choices=SOURCES, metavar="SOURCE", help=f"one of: {', '.join(SOURCES)}"
        )
        parser.add_argument("file", metavar="FILE", help="the delivered CSV or XLSX file")
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        if name == "load":
            parser.add_argument(
                "--run-id", default=None, help="run id recorded with the rows (default: generated)"
            )
        parser.set_defaults(func=func)


# --------------------------------------------------------------------------------------------------
# contracts
# --------------------------------------------------------------------------------------------------
def _column_rule(col: Any) -> str:
    parts = []
    if col.allowed:
        parts.append("one of: " + ", ".join(col.allowed))
    if col.value_aliases:
        parts.append("also: " + ", ".join(f"{a} → {v}" for a, v in col.value_aliases.items()))
    if col.code_list:
        parts.append(f"codes: {col.code_list}")
    if col.pattern:
        parts.append(f"pattern `{col.pattern}`")
    if col.min_value is not None:
        parts.append(f"≥ {col.min_value:g}")
    if col.max_value is not None:
        parts.append(f"≤ {col.max_value:g}")
    if col.semantic == "ward_code":
        parts.append("GSO ward code valid for the row's period")
    elif col.semantic == "ward_name":
        parts.append("agrees with the ward code (warning)")
    elif col.semantic == "birth_year":
        parts.append("≤ this year")
    elif col.semantic == "school_year":
        parts.append("school year yyyy-yyyy")
    if col.not_future:
        parts.append("not in the future")
    if col.personal:
        parts.append("personal data")
    return "; ".join(parts)


def contracts_markdown(sources: tuple[str, ...] = SOURCES) -> str:
    """The contracts as the code encodes them, as Markdown (docs/ingestion.md embeds this text)."""
    from . import reference
    from .sources import get_contract

    out: list[str] = []
    for source in sources:
        c = get_contract(source)
        out.append(f"### {c.source} — {c.title_vi} ({c.title_en})")
        out.append("")
        facts = [
            f"table `{c.table}`",
            f"key ({', '.join(c.key)}) unique in a file",
            f"period column `{c.period_column}` ({c.period_kind})" if c.period_column else "no period column",
            f"formats: {', '.join(c.formats)}",
            f"cadence: {c.cadence}",
        ]
        out.append("- " + "; ".join(facts))
        for rule in c.rules:
            if rule.kind == "age_between":
                text = f"age on 31/12 of the period's first year in [{rule.low}, {rule.high}]"
            elif rule.kind == "le":
                text = f"`{rule.left}` ≤ `{rule.right}`"
            else:
                text = f"`{rule.left}` not before `{rule.right}`"
            out.append(f"- rule `{rule.kind}` on `{rule.left}`: {text} ({rule.severity})")
        for ref in c.references:
            scope = "of the same period" if ref.same_period else "of any period"
            out.append(
                f"- reference: `{ref.column}` must exist in `{ref.source}.{ref.target_column}` {scope}"
                " (load only)"
            )
        coded: dict[str, list[str]] = {}
        if source in reference.EMIS_SOURCES:
            for field_name, canonical in reference.emis_field_aliases(source).items():
                coded.setdefault(canonical, []).append(field_name)
        out.append("")
        out.append("| column | type | headers accepted | required | rule |")
        out.append("|---|---|---|---|---|")
        for col in c.columns:
            names = list(dict.fromkeys([*col.headers, *coded.get(col.name, [])]))
            out.append(
                f"| `{col.name}` | {col.type} | {', '.join(names) or '—'} | "
                f"{'yes' if col.required else ''} | "
                f"{_column_rule(col)} |"
            )
        out.append("")
    return "\n".join(out)


def _cmd_contracts(args: argparse.Namespace) -> int:
    print(contracts_markdown(tuple(args.source) if args.source else SOURCES))
    return EXIT_OK


def register_contracts(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "contracts",
        help="print the file contracts (columns, headers, rules) as Markdown",
        description="print the file contracts (columns, headers, rules) as Markdown",
    )
    parser.add_argument(
        "--source", action="append", choices=SOURCES, metavar="SOURCE", help="only this source"
    )
    parser.set_defaults(func=_cmd_contracts)


# --------------------------------------------------------------------------------------------------
# warehouse
# --------------------------------------------------------------------------------------------------
def _cmd_warehouse(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from . import warehouse
    from .config import settings

    external = settings().warehouse_url
    if args.action == "url":
        print(warehouse.warehouse_url())
        return EXIT_OK
    if args.action == "start":
        if not external:
            warehouse.embedded().start()
        warehouse.bootstrap()
        url = sa.make_url(warehouse.warehouse_url()).render_as_string(hide_password=True)
        print(f"warehouse ready ({'external' if external else 'embedded'}): {url}")
        return EXIT_OK
    if args.action == "stop":
        if external:
            print("LCP_WAREHOUSE_URL points at an external server: nothing to stop")
            return EXIT_OK
        stopped = warehouse.embedded().stop()
        print("embedded warehouse stopped" if stopped else "embedded warehouse was not running")
        return EXIT_OK
    if external:
        url = sa.make_url(external)
        try:
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                conn.execute(sa.text("select 1"))
            running = True
            engine.dispose()
        except sa.exc.SQLAlchemyError:
            running = False
        status: dict[str, Any] = {"mode": "external", "running": running, "host": url.host, "port": url.port}
    else:
        status = warehouse.embedded().status()
    for key, value in status.items():
        print(f"{key}: {value}")
    return EXIT_OK


def register_warehouse(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "warehouse",
        help="manage the embedded local PostgreSQL",
        description="manage the embedded local PostgreSQL",
    )
    parser.add_argument("action", choices=("start", "stop", "status", "url"))
    parser.set_defaults(func=_cmd_warehouse)


# --------------------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m ingestion", description="Learning City Platform: ingestion of delivered files"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    register_files(subparsers)
    register_contracts(subparsers)
    register_warehouse(subparsers)
    for module_name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:  # the other commands stay usable
            print(f"warning: the subcommands of {module_name} are unavailable: {exc}", file=sys.stderr)
            continue
        module.register(subparsers)
    return parser


def _configure_logging() -> None:
    interactive = sys.stderr.isatty()
    logging.basicConfig(
        level=logging.WARNING if interactive else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an operator gets a message, never a traceback
        log.debug("command failed", exc_info=True)
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_REJECTED


if __name__ == "__main__":
    raise SystemExit(main())
