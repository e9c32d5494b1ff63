"""Loading into PostgreSQL: one transaction per file, duplicates, failures that leave nothing behind,
cross-source references, lineage and the typed values that land in raw."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ingestion import loader, readers
from ingestion.config import REPO_ROOT
from ingestion.loader import check_file, load_file

from .builders import WARDS, records, table, write_csv, write_xlsx


def _rows(engine: sa.Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params).mappings())


def _manifest(engine: sa.Engine, file_id: int) -> Any:
    return _rows(engine, "select * from audit.load_manifest where file_id = :f", f=file_id)[0]


def test_load_twice_is_a_duplicate(tmp_path: Path, engine: sa.Engine) -> None:
    path = write_csv(tmp_path / "schools.csv", table("emis_schools", records("emis_schools", salt="dup")))
    first = load_file("emis_schools", path, run_id="dup-1", engine=engine)
    second = load_file("emis_schools", path, run_id="dup-2", engine=engine)
    assert first["status"] == "loaded" and first["rows_loaded"] == 3
    assert second["status"] == "duplicate"
    assert second["duplicate_of"] == first["file_id"]
    assert second["rows_loaded"] == 0
    count = _rows(engine, "select count(*) n from raw.emis_schools where _file_id = :f", f=second["file_id"])[
        0
    ]
    assert count["n"] == 0
    # a copy under another name is the same delivery
    copy = tmp_path / "schools_resent.csv"
    copy.write_bytes(path.read_bytes())
    assert load_file("emis_schools", copy, engine=engine)["status"] == "duplicate"


def test_concurrent_loads_of_one_file_load_it_once(tmp_path: Path, engine: sa.Engine) -> None:
    path = write_csv(
        tmp_path / "register.csv", table("clc_register", records("clc_register", salt="concurrent"))
    )
    results: list[dict[str, Any]] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        results.append(load_file("clc_register", path, engine=engine))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r["status"] for r in results) == ["duplicate", "loaded"]


def test_failure_mid_load_leaves_nothing_and_a_rerun_loads(
    tmp_path: Path, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = records("emis_schools", 500, salt="midload")
    path = write_csv(tmp_path / "schools.csv", table("emis_schools", rows))
    monkeypatch.setattr(readers, "BATCH_ROWS", 100)
    monkeypatch.setattr(loader, "CHUNK_ROWS", 100)
    real_copy = loader.copy_rows
    calls = {"n": 0}

    def failing_copy(cursor: Any, sql: str, data: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full (injected)")
        real_copy(cursor, sql, data)

    monkeypatch.setattr(loader, "copy_rows", failing_copy)
    manifest = load_file("emis_schools", path, run_id="midload", engine=engine)
    assert calls["n"] >= 2
    assert manifest["status"] == "rejected"
    assert "disk full (injected)" in manifest["error"]
    left = _rows(engine, "select count(*) n from raw.emis_schools where school_name like '%midload%'")[0]
    assert left["n"] == 0
    monkeypatch.setattr(loader, "copy_rows", real_copy)
    again = load_file("emis_schools", path, run_id="midload-rerun", engine=engine)
    assert again["status"] == "loaded"
    assert again["rows_loaded"] == 500
    loaded = _rows(engine, "select count(*) n from raw.emis_schools where school_name like '%midload%'")[0]
    assert loaded["n"] == 500


def test_rejected_file_records_why_and_loads_nothing(tmp_path: Path, engine: sa.Engine) -> None:
    path = write_csv(
        tmp_path / "visits.csv",
        table("library_visits", records("library_visits"), columns=["library_code", "visitors"]),
    )
    manifest = load_file("library_visits", path, engine=engine)
    assert manifest["status"] == "rejected"
    assert "Ngày (visit_date)" in manifest["error"]
    missing = load_file("library_visits", tmp_path / "nope.csv", engine=engine)
    assert missing["status"] == "rejected"
    assert "does not exist" in missing["error"]


def test_references_are_checked_against_loaded_rows(tmp_path: Path, engine: sa.Engine) -> None:
    year = "2023-2024"
    schools = records("emis_schools", 2, salt="ref", school_year=year)
    schools[0]["school_code"] = "REF001"
    schools[1]["school_code"] = "REF002"
    load_file("emis_schools", write_csv(tmp_path / "s.csv", table("emis_schools", schools)), engine=engine)
    students = records("emis_students", 3, salt="ref", school_year=year, school_code="REF001")
    students[2]["school_code"] = "REF999"
    manifest = load_file(
        "emis_students", write_csv(tmp_path / "p.csv", table("emis_students", students)), engine=engine
    )
    assert manifest["status"] == "loaded"
    assert (manifest["rows_loaded"], manifest["rows_quarantined"]) == (2, 1)
    [bad] = _rows(
        engine, "select row_number, errors from audit.quarantine where file_id = :f", f=manifest["file_id"]
    )
    assert bad["row_number"] == 4
    assert [(e["column"], e["rule"]) for e in bad["errors"]] == [("school_code", "unknown_reference")]
    assert "2023-2024" in bad["errors"][0]["message"]
    # check (no warehouse) does not look references up
    report = check_file("emis_students", tmp_path / "p.csv")
    assert report.rows_quarantined == 0


def test_reference_not_checked_when_the_period_has_no_rows(tmp_path: Path, engine: sa.Engine) -> None:
    students = records("emis_students", 2, salt="noref", school_year="2019-2020", birth_date="01/01/2012")
    manifest = load_file(
        "emis_students", write_csv(tmp_path / "p.csv", table("emis_students", students)), engine=engine
    )
    assert manifest["status"] == "loaded" and manifest["rows_loaded"] == 2
    rules = [w["rule"] for w in manifest["warnings"]]
    assert "reference_not_checked" in rules
    assert any("2019-2020" in w["message"] for w in manifest["warnings"])


def test_lineage_extra_and_typed_values(tmp_path: Path, engine: sa.Engine) -> None:
    rows = records("emis_schools", 3, salt="lineage")
    rows[0].update(has_internet="x", has_library="")
    rows[1].update(has_internet="", has_library="x")
    rows[2].update(has_internet="", has_library="")
    for r in rows:
        r["note"] = "ghi chú\tcó tab"
    path = write_xlsx(
        tmp_path / "truong.xlsx",
        [["DANH SÁCH TRƯỜNG"], [], *table("emis_schools", rows, rename={"note": "Ghi chú"})],
        sheet="Truong",
    )
    mtime = datetime(2024, 9, 1, 8, 0).timestamp()
    os.utime(path, (mtime, mtime))
    manifest = load_file("emis_schools", path, run_id="lineage-run", engine=engine)
    assert manifest["status"] == "loaded"
    assert manifest["periods"] == ["2024-2025"]
    assert manifest["received_at"].startswith("2024-09-01")
    assert len(manifest["sha256"]) == 64
    got = _rows(
        engine,
        "select * from raw.emis_schools where _file_id = :f order by _row_number",
        f=manifest["file_id"],
    )
    assert [g["_row_number"] for g in got] == [4, 5, 6]
    assert {g["_sheet"] for g in got} == {"Truong"}
    assert {g["_run_id"] for g in got} == {"lineage-run"}
    assert all(g["_loaded_at"] is not None for g in got)
    assert got[0]["_extra"] == {"Ghi chú": "ghi chú\tcó tab"}
    # the check-mark convention: x is yes, and an empty cell in such a column is no
    assert [(g["has_internet"], g["has_library"]) for g in got] == [
        (True, False),
        (False, True),
        (False, False),
    ]


def test_windows_1258_lands_as_nfc_text(tmp_path: Path, engine: sa.Engine) -> None:
    rows = records("library_register", 2, salt="cp1258")
    rows[0]["library_name"] = "Thư viện phường Hòa Hưng cp1258"
    manifest = load_file(
        "library_register",
        write_csv(tmp_path / "tv.csv", table("library_register", rows), encoding="cp1258"),
        engine=engine,
    )
    got = _rows(
        engine,
        "select library_name, opened_date, report_year from raw.library_register "
        "where _file_id = :f order by _row_number",
        f=manifest["file_id"],
    )
    assert got[0]["library_name"] == unicodedata.normalize("NFC", "Thư viện phường Hòa Hưng cp1258")
    assert got[0]["opened_date"] == date(2010, 1, 1)
    assert got[0]["report_year"] == 2024


def test_totals_are_never_loaded(tmp_path: Path, engine: sa.Engine) -> None:
    from .test_bad_inputs import khuyenhoc_report

    data = records("khuyenhoc_ward_report", 3)
    for k, r in enumerate(data):
        r["ward_code"], r["ward_name"] = WARDS[3 + k][0], f"Phường {WARDS[3 + k][1]}"
        r["scholarships"] = str(40 + k)
    path = khuyenhoc_report(data)(tmp_path)
    manifest = load_file("khuyenhoc_ward_report", path, engine=engine)
    assert (manifest["rows_in"], manifest["rows_excluded"]) == (3, 3)
    got = _rows(
        engine,
        "select sum(households_total) total, min(report_year) y, max(fund_vnd) fund, count(*) n "
        "from raw.khuyenhoc_ward_report where _file_id = :f",
        f=manifest["file_id"],
    )[0]
    assert (got["total"], got["y"], got["n"], got["fund"]) == (3600, 2024, 3, 125_000_000)


def test_cli_load_json_then_duplicate(tmp_path: Path, warehouse_url: str) -> None:
    path = write_csv(tmp_path / "hd.csv", table("clc_activities", records("clc_activities", salt="cli")))
    env = {**os.environ, "LCP_WAREHOUSE_URL": warehouse_url, "PYTHONPATH": str(REPO_ROOT)}
    argv = [
        sys.executable,
        "-m",
        "ingestion",
        "load",
        "--source",
        "clc_activities",
        str(path),
        "--json",
        "--run-id",
        "cli-run",
    ]
    first = subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    manifest = json.loads(first.stdout)
    assert manifest["status"] == "loaded" and manifest["run_id"] == "cli-run"
    assert manifest["rows_in"] == manifest["rows_loaded"] + manifest["rows_quarantined"] == 3
    assert "summary" not in first.stderr.lower() or "Traceback" not in first.stderr
    second = subprocess.run(argv[:-2], capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120)
    assert second.returncode == 0
    assert json.loads(second.stdout)["status"] == "duplicate"
    # one summary line per file via logging when not on a terminal
    assert "loaded clc_activities" in first.stderr


def test_cli_load_rejected_exit_1(tmp_path: Path, warehouse_url: str) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    env = {**os.environ, "LCP_WAREHOUSE_URL": warehouse_url, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "ingestion", "load", "--source", "emis_schools", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "status: REJECTED" in proc.stdout and "file_id:" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_cli_warehouse_url_and_status(warehouse_url: str) -> None:
    env = {**os.environ, "LCP_WAREHOUSE_URL": warehouse_url, "PYTHONPATH": str(REPO_ROOT)}
    url = subprocess.run(
        [sys.executable, "-m", "ingestion", "warehouse", "url"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )
    assert url.returncode == 0 and url.stdout.strip() == warehouse_url
    status = subprocess.run(
        [sys.executable, "-m", "ingestion", "warehouse", "status"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )
    assert status.returncode == 0
    assert "mode: external" in status.stdout and "running: True" in status.stdout


def test_memory_stays_flat_keys_only(tmp_path: Path) -> None:
    """Uniqueness keeps one hash per row, not the rows: the state after a file is the key set only."""
    from ingestion.readers import open_table
    from ingestion.sources import get_contract
    from ingestion.validate import FileState, RowValidator

    rows = records("emis_students", 2_500, salt="flat")
    path = write_csv(tmp_path / "p.csv", table("emis_students", rows))
    contract = get_contract("emis_students")
    state = FileState()
    with open_table(path, contract) as opened:
        sheet = opened.sheets[0]
        validator = RowValidator(contract, sheet, state, file=str(path))
        seen = 0
        for block in sheet.batches(size=500):
            batch = validator.validate_batch(block)
            seen += len(batch.numbers)
    assert seen == 2_500
    assert list(state.keys) == ["2024-2025"]  # one set of key hashes per school year
    hashes = state.keys["2024-2025"]
    assert len(hashes) == 2_500
    assert all(isinstance(k, int) for k in list(hashes)[:10])


def test_check_marks_first_seen_late_still_mean_no(
    tmp_path: Path, engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first "x" of a column may come after earlier blocks were sent: their empty cells become false."""
    monkeypatch.setattr(readers, "BATCH_ROWS", 50)
    monkeypatch.setattr(loader, "CHUNK_ROWS", 50)
    rows = records("emis_schools", 180, salt="latemark", has_internet="", has_library="Có")
    rows[150]["has_internet"] = "x"
    manifest = load_file(
        "emis_schools", write_csv(tmp_path / "s.csv", table("emis_schools", rows)), engine=engine
    )
    got = _rows(
        engine,
        "select has_internet, count(*) n from raw.emis_schools where _file_id = :f group by 1",
        f=manifest["file_id"],
    )
    assert {g["has_internet"]: g["n"] for g in got} == {False: 179, True: 1}


def test_progress_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "BATCH_ROWS", 40)
    monkeypatch.setattr(loader, "PROGRESS_EVERY", 100)
    seen: list[int] = []
    rows = records("emis_students", 350, salt="progress")
    path = write_csv(tmp_path / "p.csv", table("emis_students", rows))
    report = check_file("emis_students", path, progress=seen.append)
    assert report.rows_read == 350
    # once per 100 rows crossed (at block boundaries), increasing, up to the last hundred
    assert seen and seen == sorted(set(seen)) and seen[-1] >= 300
    assert [v // 100 for v in seen] == sorted({v // 100 for v in seen})
