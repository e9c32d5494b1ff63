"""The auditors' report: self-contained, escaped, UTF-8, and — rendered by a real headless Chromium — showing
the failing checks of the deliberately bad rows with their file, sheet and row number."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from ingestion.quality import build_report

from .scenarios import ARTIFACTS, ONE_BREAK, N

CHROMIUM = Path("/usr/bin/chromium")
RUN = "run-one-break"


@pytest.fixture(scope="module")
def report(one_break, output_dir: Path) -> Path:
    """The one-break run plus a rejected file and a quarantined row with HTML in it, reported."""
    engine, _ = one_break
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into audit.load_manifest (source, path, file_name, sha256, size_bytes, received_at, status,"
                " error, run_id) values ('clc_register', '/l/x.xlsx', '<script>alert(1)</script>.xlsx', 'abc', 1,"
                " now(), 'rejected', 'required column(s) missing: Mã TTHTCĐ (clc_code)', :r)"
            ),
            {"r": RUN},
        )
        file_id = conn.execute(
            sa.text(
                "select file_id from audit.load_manifest where run_id = :r and source = 'clc_activities'"
            ),
            {"r": RUN},
        ).scalar_one()
        conn.execute(
            sa.text(
                "insert into audit.quarantine (file_id, source, sheet, row_number, raw_record, errors, run_id)"
                " values (:f, 'clc_activities', 'Hoạt động', 7, '{}', cast(:e as jsonb), :r)"
            ),
            {
                "f": file_id,
                "r": RUN,
                "e": json.dumps(
                    [{"column": "sessions", "rule": "type", "message": "không phải số nguyên: <b>mười</b>"}]
                ),
            },
        )
    return build_report(RUN, engine=engine, output_dir=output_dir)


def test_report_files(report: Path) -> None:
    folder = report.parent
    assert report.name == f"run_{RUN}.html"
    assert (folder / "index.html").exists() and (folder / "latest.html").read_bytes() == report.read_bytes()
    html = report.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html
    assert "<script" not in html.lower(), "no scripts, and file names are escaped"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.xlsx" in html
    assert "&lt;b&gt;mười&lt;/b&gt;" in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "no external assets"
    assert "<link" not in html
    for check_id in ONE_BREAK.values():
        assert check_id in html
    assert "Kiểm tra gì" in html and "How to resolve" in html
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert f'href="run_{RUN}.html"' in index


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_report_in_a_browser(report: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: apt-get install -y chromium")
        pytest.skip("/usr/bin/chromium is not installed (apt-get install -y chromium); CI is not set")
    url = report.resolve().as_uri()
    dom = _chromium(["--dump-dom", url], tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    failing = [
        chunk for chunk in dom.stdout.split('<div class="check ')[1:] if chunk.startswith('fail-error"')
    ]
    assert len(failing) == len(ONE_BREAK)
    for source, check_id in ONE_BREAK.items():
        block = next((c for c in failing if f"<code>{check_id}</code>" in c), None)
        assert block is not None, f"{check_id} is not shown as a failed error-level check"
        assert "KHÔNG ĐẠT / FAIL" in block and "Kiểm tra gì" in block and "What it checks" in block
        row = rf'<td>{source}\.csv <span class="small">\(\d+\)</span></td><td>Sheet1</td><td>{N + 2}</td>'
        assert re.search(row, block), f"file, sheet and row {N + 2} of {source} are not listed"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "quality_report.png"
    shot.unlink(missing_ok=True)
    result = _chromium([f"--screenshot={shot}", "--window-size=1400,4000", url], tmp_path / "profile-shot")
    assert result.returncode == 0 and shot.exists() and shot.stat().st_size > 10_000, result.stderr[-2000:]
    (ARTIFACTS / "quality_report.html").write_text(dom.stdout, encoding="utf-8")
    shutil.copyfile(report, ARTIFACTS / report.name)
