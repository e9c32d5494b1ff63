"""Every file of the sample generator (scale 0.001) checks with exactly the errors it was built to carry.

The generator (ingestion/sample.py) documents its deliberately bad rows in ``BAD_ROWS``; ``check`` must
find those (except references, which only ``load`` checks against the warehouse) and nothing else, and
reject no file: its mess (coded EMIS form, title blocks, merged headers, Windows-1258, BOMs, Excel dates,
Vietnamese numbers) must load.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.loader import CheckReport, check_file

sample = pytest.importorskip("ingestion.sample")

#: The generator's names for rules → the rule the ingestion reports.
RULES = {
    "ward_exists": "unknown_ward_code",
    "unique": "duplicate_key",
    "date": "invalid_date",
    "datetime": "invalid_datetime",
    "reference": "unknown_reference",
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[CheckReport]]:
    out = tmp_path_factory.mktemp("landing")
    files = sample.generate(out, scale=0.001)
    return {source: [check_file(source, Path(p)) for p in paths] for source, paths in files.items()}


def test_every_source_has_files(reports: dict[str, list[CheckReport]]) -> None:
    assert set(reports) == set(sample.SOURCES)
    assert all(reports[s] for s in reports)


def test_no_file_is_rejected_and_counts_add_up(reports: dict[str, list[CheckReport]]) -> None:
    for source, found in reports.items():
        for report in found:
            assert report.status != "rejected", (source, report.file, report.error)
            assert report.rows_read > 0
            assert report.rows_read == report.rows_valid + report.rows_quarantined


def test_errors_are_exactly_the_planted_bad_rows(reports: dict[str, list[CheckReport]]) -> None:
    expected = {
        (b.source, b.column, RULES.get(b.rule, b.rule)) for b in sample.BAD_ROWS if b.rule != "reference"
    }
    found = {(source, e["column"], e["rule"]) for source, rs in reports.items() for r in rs for e in r.errors}
    assert found - expected == set(), "unexpected errors"
    assert expected - found == set(), "planted bad rows not found"


def test_khuyenhoc_totals_and_notes_are_excluded(reports: dict[str, list[CheckReport]]) -> None:
    for report in reports["khuyenhoc_ward_report"]:
        rules = {w["rule"] for w in report.warnings}
        assert "total_row" in rules
        assert report.rows_excluded >= 1
