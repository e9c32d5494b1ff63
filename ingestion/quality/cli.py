"""``python -m ingestion quality …``: regenerate the suites, validate a run, write the report and docs.

Listed in ``ingestion.cli.SUBCOMMAND_MODULES`` as ``ingestion.quality.cli``.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path


def _suites(args: argparse.Namespace) -> int:
    from .suites import generate

    sizes = generate()
    for name, count in sizes.items():
        print(f"{name:<32} {count:>3} expectations")
    print(f"{sum(sizes.values())} expectations in {len(sizes)} suites (expectations/gx/expectations/)")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_batch, validate_marts

    summary = (validate_marts if args.marts else validate_batch)(args.run_id, output_dir=args.output_dir)
    print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    for r in summary.error_failures + summary.warning_failures:
        print(f"{r.severity.upper():<8} {r.check_id}: {r.observed_value}")
    return 1 if summary.error_failures else 0


def _report(args: argparse.Namespace) -> int:
    from .report import build_report

    print(build_report(args.run_id, output_dir=args.output_dir))
    return 0


def _docs(args: argparse.Namespace) -> int:
    from .docs import write_docs

    print(write_docs(args.path))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quality", help="data quality: Great Expectations suites, the validation gate, the auditors' report"
    )
    sub = parser.add_subparsers(dest="quality_cmd", required=True)
    p = sub.add_parser("suites", help="regenerate the suites from the contracts into expectations/gx/")
    p.set_defaults(func=_suites)
    p = sub.add_parser(
        "validate", help="validate the rows a run loaded (exit 1 if an error-level check fails)"
    )
    p.add_argument("--run-id", required=True)
    p.add_argument(
        "--marts", action="store_true", help="validate marts.indicator_values instead of the raw batch"
    )
    p.add_argument("--output-dir", type=Path, default=None, help="default: LCP_OUTPUT_DIR or output/")
    p.set_defaults(func=_validate)
    p = sub.add_parser("report", help="write the HTML report of a run to <output>/quality/")
    p.add_argument("--run-id", required=True)
    p.add_argument("--output-dir", type=Path, default=None, help="default: LCP_OUTPUT_DIR or output/")
    p.set_defaults(func=_report)
    p = sub.add_parser("docs", help="regenerate docs/data-quality.md from the checks")
    p.add_argument("--path", type=Path, default=None)
    p.set_defaults(func=_docs)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
