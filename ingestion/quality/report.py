"""The auditors' data-quality report: one self-contained HTML file per run, an index and ``latest.html``.

``build_report(run_id)`` writes ``<output>/quality/run_<run_id>.html`` (inline CSS, no scripts, no external
assets; every value escaped) from the audit tables: the files received, every check with its result,
severity and three-part description in Vietnamese and English, the failing rows with file, sheet and
row number, the dbt tests, and the trend over the last runs. It is written even when the gate failed.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from string import Template
from typing import Any

import sqlalchemy as sa

from ..pipeline import safe_run_id
from ..sources import CONTRACTS
from . import dbt_results
from .descriptions import Description
from .policy import LINEAGE
from .policy import output_dir as resolve_output

TEMPLATES = Path(__file__).resolve().parent / "templates"
TREND_RUNS = 14
QUARANTINE_ROWS = 20
LINEAGE_LABELS = {"_file_id": "tệp / file_id", "_sheet": "trang tính / sheet", "_row_number": "dòng / row"}


def e(value: Any) -> str:
    """Escape any value for HTML (None → empty)."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return escape(str(value), quote=True)


def _page(title: str, subtitle: str, body: str) -> str:
    template = Template((TEMPLATES / "page.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=e(title),
        subtitle=e(subtitle),
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
        body=body,
        generated=e(datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
    )


def _badge(kind: str, text: str | None = None) -> str:
    cls = re.sub(r"[^a-z-]", "-", kind.lower())
    return f'<span class="badge b-{cls}">{e(text or kind)}</span>'


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{h}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _issue(issue: Any) -> str:
    """One error or warning of the loader ({column, rule, message, ...}) as escaped HTML."""
    if not isinstance(issue, dict):
        return e(issue)
    where = " ".join(f"{k} {e(issue[k])}" for k in ("sheet", "row") if issue.get(k) is not None)
    value = f" (<code>{e(issue['value'])}</code>)" if issue.get("value") not in (None, "") else ""
    return (
        f"<code>{e(issue.get('column') or '—')}</code> · {e(issue.get('rule'))}: {e(issue.get('message'))}"
        f"{value}" + (f" <span class=small>[{where}]</span>" if where else "")
    )


def _num(value: Any) -> str:
    return "" if value is None else f"{int(value):,}".replace(",", ".")


# -- data ----------------------------------------------------------------------------------------------


def _fetch(conn: sa.Connection, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(sa.text(sql), params).mappings().all()]


def _trend_rows(conn: sa.Connection, limit: int) -> list[dict[str, Any]]:
    """Files, rows and failed checks of the last ``limit`` runs, oldest first."""
    return _fetch(
        conn,
        "with runs as ("
        "  select run_id, min(t) as started from ("
        "    select run_id, loaded_at as t from audit.load_manifest"
        "    union all select run_id, started_at from audit.run_log"
        "    union all select run_id, validated_at from audit.validation_results) x group by run_id"
        "  order by started desc limit :n)"
        " select r.run_id, r.started,"
        " (select count(*) from audit.load_manifest m where m.run_id = r.run_id) as files,"
        " (select coalesce(sum(rows_loaded), 0) from audit.load_manifest m where m.run_id = r.run_id) as loaded,"
        " (select coalesce(sum(rows_quarantined), 0) from audit.load_manifest m where m.run_id = r.run_id)"
        "   as quarantined,"
        " (select count(*) from audit.load_manifest m where m.run_id = r.run_id and m.status = 'rejected')"
        "   as rejected,"
        " (select count(*) from audit.validation_results v where v.run_id = r.run_id) as checks,"
        " (select count(*) from audit.validation_results v where v.run_id = r.run_id and not v.success"
        "   and v.severity = 'error') as errors,"
        " (select count(*) from audit.validation_results v where v.run_id = r.run_id and not v.success"
        "   and v.severity = 'warning') as warnings"
        " from runs r order by r.started",
        n=limit,
    )


def _gather(conn: sa.Connection, run_id: str) -> dict[str, Any]:
    manifest = _fetch(
        conn,
        "select file_id, source, file_name, path, status, received_at, loaded_at, rows_in, rows_loaded,"
        " rows_quarantined, rows_excluded, error, warnings, periods, duplicate_of"
        " from audit.load_manifest where run_id = :r order by source, file_id",
        r=run_id,
    )
    last_files = _fetch(
        conn,
        "select source, max(received_at) as last_received, count(*) as files from audit.load_manifest"
        " where status = 'loaded' group by source",
    )
    quarantine = _fetch(
        conn,
        "select file_id, file_name, source, sheet, row_number, errors from ("
        " select q.file_id, m.file_name, q.source, q.sheet, q.row_number, q.errors,"
        " row_number() over (partition by q.source order by q.file_id, q.row_number) as rank"
        " from audit.quarantine q join audit.load_manifest m on m.file_id = q.file_id"
        " where q.run_id = :r) ranked where rank <= :n order by source, file_id, row_number",
        r=run_id,
        n=QUARANTINE_ROWS,
    )
    quarantine_total = conn.execute(
        sa.text("select count(*) from audit.quarantine where run_id = :r"), {"r": run_id}
    ).scalar_one()
    results = _fetch(
        conn,
        "select source, table_name, suite, expectation, column_name, success, observed_value, unexpected_count,"
        " unexpected_percent, severity, kwargs, details, validated_at from audit.validation_results"
        " where run_id = :r order by success, case severity when 'error' then 0 else 1 end, suite, result_id",
        r=run_id,
    )
    steps = _fetch(
        conn,
        "select step, status, message, started_at, finished_at, details from audit.run_log"
        " where run_id = :r order by log_id",
        r=run_id,
    )
    trend = _trend_rows(conn, TREND_RUNS)
    ids = {
        int(row[k])
        for r in results
        for row in (r["details"] or {}).get("sample_rows") or []
        for k in ("_file_id", "previous_file_id")
        if isinstance(row.get(k), int)
    }
    file_names = dict(
        conn.execute(
            sa.text("select file_id, file_name from audit.load_manifest where file_id = any(:ids)"),
            {"ids": sorted(ids)},
        ).all()
    )
    return {
        "manifest": manifest,
        "last_files": last_files,
        "quarantine": quarantine,
        "quarantine_total": quarantine_total,
        "results": results,
        "steps": steps,
        "trend": trend,
        "file_names": file_names,
    }


# -- sections ------------------------------------------------------------------------------------------


def _gate(data: dict[str, Any]) -> str:
    steps = {s["step"]: s for s in data["steps"]}
    errors = [r for r in data["results"] if not r["success"] and r["severity"] == "error"]
    warnings = [r for r in data["results"] if not r["success"] and r["severity"] == "warning"]
    rejected = [m for m in data["manifest"] if m["status"] == "rejected"]
    gate_steps = [steps[s] for s in ("validate_batch", "validate_marts") if s in steps]
    if errors:
        head = (
            f'<div class="gate-fail"><strong>Cổng chất lượng: KHÔNG ĐẠT — không công bố kết quả của lần chạy này.'
            f"</strong><br>Quality gate: FAILED — this run's results were not published. "
            f"{len(errors)} error-level check(s) failed.</div>"
        )
    elif gate_steps:
        head = (
            '<div class="gate-pass"><strong>Cổng chất lượng: ĐẠT.</strong><br>Quality gate: passed — no '
            "error-level check failed.</div>"
        )
    else:
        head = '<div class="gate-pass">Chưa có bước kiểm tra nào được ghi nhận / no validation was recorded for this run.</div>'
    loaded = sum(m["rows_loaded"] or 0 for m in data["manifest"])
    quarantined = sum(m["rows_quarantined"] or 0 for m in data["manifest"])
    cards = [
        ("Tệp nhận / files received", _num(len(data["manifest"]))),
        ("Tệp bị từ chối / files rejected", _num(len(rejected))),
        ("Dòng đã nạp / rows loaded", _num(loaded)),
        ("Dòng cách ly / rows quarantined", _num(quarantined)),
        ("Kiểm tra / checks run", _num(len(data["results"]))),
        ("Lỗi / error failures", _num(len(errors))),
        ("Cảnh báo / warnings", _num(len(warnings))),
    ]
    card_html = "".join(
        f'<div class="card"><div class="v">{v}</div><div class="k">{e(k)}</div></div>' for k, v in cards
    )
    step_rows = [
        [e(s["step"]), _badge(s["status"]), e(s["message"]), e(s["finished_at"] or s["started_at"])]
        for s in data["steps"]
    ]
    steps_html = (
        "<h3>Các bước của lần chạy / steps of the run (audit.run_log)</h3>"
        + _table(["Bước / step", "Trạng thái / status", "Ghi chú / message", "Thời điểm / at"], step_rows)
        if step_rows
        else ""
    )
    return head + f'<div class="cards">{card_html}</div>' + steps_html


def _files(data: dict[str, Any]) -> str:
    out = [
        '<h2 id="files">1. Tệp đã nhận theo nguồn / Files received per source</h2>',
        '<p class="note">Từ audit.load_manifest. Bất biến: rows_in = loaded + quarantined với mọi tệp đã nạp. '
        "Invariant: rows_in = loaded + quarantined for every loaded file; a rejected file loads nothing and "
        "says why.</p>",
    ]
    by_source: dict[str, list[dict[str, Any]]] = {}
    for m in data["manifest"]:
        by_source.setdefault(m["source"], []).append(m)
    last = {r["source"]: r for r in data["last_files"]}
    now = datetime.now(UTC)
    rows = []
    for source, contract in CONTRACTS.items():
        files = by_source.get(source, [])
        prev = last.get(source)
        if prev and prev["last_received"] is not None:
            age = (now - prev["last_received"]).days
            fresh = _badge(
                "fresh" if age <= contract.freshness_days else "stale",
                f"{age} ngày/days ≤ {contract.freshness_days}"
                if age <= contract.freshness_days
                else f"{age} ngày/days > {contract.freshness_days}",
            )
        else:
            fresh = _badge("none", "chưa có tệp / no file yet")
        if not files:
            rows.append(
                [
                    f"<strong>{e(source)}</strong><br><span class=small>{e(contract.title_vi)} / "
                    f"{e(contract.title_en)}</span>",
                    '<span class="small">không có tệp mới trong lần chạy này / no new file in this run</span>',
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    fresh,
                ]
            )
            continue
        for i, m in enumerate(files):
            error = e(m["error"])
            warns = m["warnings"] or []
            if warns:
                error += "<br><span class=small>" + "<br>".join(_issue(w) for w in warns[:5]) + "</span>"
            rows.append(
                [
                    (
                        f"<strong>{e(source)}</strong><br><span class=small>{e(contract.title_vi)} / "
                        f"{e(contract.title_en)}</span>"
                    )
                    if i == 0
                    else "",
                    f"{e(m['file_name'])}<br><span class=small>file_id {e(m['file_id'])} · "
                    f"{e(', '.join(m['periods'] or []))}</span>",
                    _badge(m["status"]),
                    _num(m["rows_in"]),
                    _num(m["rows_loaded"]),
                    _num(m["rows_quarantined"]),
                    _num(m["rows_excluded"]),
                    error,
                    fresh if i == 0 else "",
                ]
            )
    out.append(
        _table(
            [
                "Nguồn / source",
                "Tệp / file",
                "Trạng thái / status",
                "Dòng vào / rows in",
                "Đã nạp / loaded",
                "Cách ly / quarantined",
                "Loại trừ / excluded",
                "Lỗi, cảnh báo / errors, warnings",
                "Độ mới / freshness",
            ],
            rows,
            numeric={3, 4, 5, 6},
        )
    )
    return "\n".join(out)


def _description_html(meta: dict[str, Any] | None) -> str:
    desc = Description.from_meta(meta or {})
    if desc is None:
        return ""

    def block(lang: str, t: Any, labels: tuple[str, str, str]) -> str:
        return (
            f'<dl><div class="lang">{lang}</div><dt>{labels[0]}</dt><dd>{e(t.what)}</dd>'
            f"<dt>{labels[1]}</dt><dd>{e(t.when)}</dd><dt>{labels[2]}</dt><dd>{e(t.how)}</dd></dl>"
        )

    return (
        '<div class="desc">'
        + block("Tiếng Việt", desc.vi, ("Kiểm tra gì", "Khi nào quan trọng", "Cách xử lý"))
        + block("English", desc.en, ("What it checks", "When it matters", "How to resolve"))
        + "</div>"
    )


def _rows_table(rows: list[dict[str, Any]], file_names: dict[int, str] | None = None) -> str:
    file_names = file_names or {}
    if not rows:
        return ""
    seen = list(dict.fromkeys(k for r in rows for k in r))
    cols = [c for c in LINEAGE if c in seen] + [c for c in seen if c not in LINEAGE]

    def cell(column: str, value: Any) -> str:
        if column == "_file_id" and value in file_names:
            return f"{e(file_names[value])} <span class=small>({e(value)})</span>"
        return e(value)

    return _table(
        [e(LINEAGE_LABELS.get(c, c)) for c in cols], [[cell(c, r.get(c)) for c in cols] for r in rows]
    )


def _check_html(r: dict[str, Any], file_names: dict[int, str]) -> str:
    details = r["details"] or {}
    failed = not r["success"]
    state = f"fail-{r['severity']}" if failed else "pass"
    badge = _badge(state, ("KHÔNG ĐẠT / FAIL" if failed else "ĐẠT / PASS"))
    sev = _badge(r["severity"], "lỗi / error" if r["severity"] == "error" else "cảnh báo / warning")
    title = (
        f'<div class="title">{badge} {sev} <code>{e(details.get("check_id") or r["expectation"])}</code> '
        f"— {e(r['table_name'])}</div>"
    )
    facts = (
        f'<div class="small">{e(r["expectation"])} · cột / column: {e(r["column_name"] or "—")} · '
        f"kết quả / observed: {e(r['observed_value'])}"
        + (
            f" · {e(round(float(r['unexpected_percent']), 2))}%"
            if r["unexpected_percent"] is not None
            else ""
        )
        + "</div>"
    )
    body = _description_html(details.get("description"))
    if details.get("exception"):
        body += (
            f'<p class="small">Lỗi khi chạy kiểm tra / error while checking: {e(details["exception"])}</p>'
        )
    samples = details.get("sample_rows") or []
    if samples:
        body += "<h3>Dòng lỗi tiêu biểu / top failing rows</h3>" + _rows_table(samples, file_names)
    if failed:
        return f'<div class="check {state}">{title}{facts}{body}</div>'
    return (
        f'<div class="check pass">{title}{facts}<details><summary>Mô tả / description</summary>{body}'
        "</details></div>"
    )


def _checks(data: dict[str, Any]) -> str:
    results = data["results"]
    out = [
        '<h2 id="checks">2. Các kiểm tra của lần chạy / Every check of the run</h2>',
        '<p class="note">Great Expectations (audit.validation_results): lỗi (error) chặn việc công bố; cảnh báo '
        "(warning) chỉ được báo cáo. Errors stop publication; warnings are reported only. Giá trị cá nhân được "
        "che (9 = chữ số, x = chữ cái) / personal values are masked.</p>",
    ]
    if not results:
        out.append("<p>Không có kết quả kiểm tra cho lần chạy này / no validation results for this run.</p>")
        return "\n".join(out)
    failed = [r for r in results if not r["success"]]
    passed = [r for r in results if r["success"]]
    summary_rows = []
    for suite in dict.fromkeys(r["suite"] for r in results):
        rs = [r for r in results if r["suite"] == suite]
        summary_rows.append(
            [
                e(suite),
                _num(len(rs)),
                _num(sum(1 for r in rs if not r["success"] and r["severity"] == "error")),
                _num(sum(1 for r in rs if not r["success"] and r["severity"] == "warning")),
            ]
        )
    out.append(
        _table(
            ["Bộ kiểm tra / suite", "Kiểm tra / checks", "Lỗi / errors", "Cảnh báo / warnings"],
            summary_rows,
            numeric={1, 2, 3},
        )
    )
    out.append(f"<h3>Không đạt / failed ({len(failed)})</h3>")
    names = data["file_names"]
    out += [_check_html(r, names) for r in failed] or ["<p>Không có / none.</p>"]
    out.append(f"<h3>Đạt / passed ({len(passed)})</h3>")
    out += [_check_html(r, names) for r in passed]
    return "\n".join(out)


def _quarantine(data: dict[str, Any]) -> str:
    out = [
        '<h2 id="rows">3. Dòng bị cách ly / Quarantined rows</h2>',
        f'<p class="note">Từ audit.quarantine: {_num(data["quarantine_total"])} dòng trong lần chạy này '
        f"(hiển thị tối đa {QUARANTINE_ROWS} mỗi nguồn). Rows rejected at load, with file, sheet, row "
        "number and the rule that failed; the record as read stays in audit.quarantine.raw_record.</p>",
    ]
    rows = []
    per_source: dict[str, int] = {}
    for q in data["quarantine"]:
        per_source[q["source"]] = per_source.get(q["source"], 0) + 1
        if per_source[q["source"]] > QUARANTINE_ROWS:
            continue
        errors = q["errors"] if isinstance(q["errors"], list) else [q["errors"]]
        rendered = "<br>".join(_issue(x) for x in errors)
        rows.append(
            [
                e(q["source"]),
                f"{e(q['file_name'])} <span class=small>({e(q['file_id'])})</span>",
                e(q["sheet"]),
                _num(q["row_number"]),
                rendered,
            ]
        )
    out.append(
        _table(
            [
                "Nguồn / source",
                "Tệp / file",
                "Trang tính / sheet",
                "Dòng / row",
                "Quy tắc, thông báo / rule, message",
            ],
            rows,
            numeric={3},
        )
        if rows
        else "<p>Không có / none.</p>"
    )
    return "\n".join(out)


def _dbt(engine: sa.Engine, run_started: datetime | None) -> str:
    out = ['<h2 id="dbt">4. Kiểm thử dbt / dbt tests</h2>']
    results = dbt_results.read(engine)
    if results is None:
        out.append("<p>Chưa có kết quả dbt (target/run_results.json) / dbt has not run here yet.</p>")
        return "\n".join(out)
    stale = (
        results.generated_at is not None and run_started is not None and results.generated_at < run_started
    )
    out.append(
        f'<p class="note">{e(results.path)} · tạo lúc / generated {e(results.generated_at)} · {e(results.invocation)}'
        + (
            " — <strong>của một lần chạy trước / from an earlier run (dbt did not run in this run, e.g. the gate "
            "stopped it)</strong>"
            if stale
            else ""
        )
        + "</p>"
    )
    if not results.tests:
        out.append(
            "<p>Lần gọi dbt gần nhất không chạy kiểm thử nào / the last dbt invocation ran no tests.</p>"
        )
        return "\n".join(out)
    counts: dict[str, int] = {}
    for t in results.tests:
        counts[t.status] = counts.get(t.status, 0) + 1
    out.append("<p>" + " ".join(_badge(k, f"{k}: {v}") for k, v in sorted(counts.items())) + "</p>")
    rows = []
    for t in results.tests:
        failing = _rows_table(t.failing_rows)
        rows.append(
            [
                f"<code>{e(t.name)}</code>"
                + (f"<br><span class=small>{e(t.model)}</span>" if t.model else ""),
                _badge(
                    {"pass": "pass", "fail": "fail", "warn": "warn", "error": "error"}.get(
                        t.status, "skipped"
                    ),
                    t.status,
                ),
                _num(t.failures),
                e(t.description)
                + (f"<br><span class=small>{e(t.message)}</span>" if t.status != "pass" and t.message else "")
                + (f"<br><span class=small>{e(t.relation)}</span>{failing}" if failing else ""),
            ]
        )
    out.append(
        _table(
            [
                "Kiểm thử / test",
                "Trạng thái / status",
                "Số dòng lỗi / failures",
                "Mô tả, dòng lỗi / description, failing rows",
            ],
            rows,
            numeric={2},
        )
    )
    return "\n".join(out)


def _trend(data: dict[str, Any], run_id: str) -> str:
    out = ['<h2 id="trend">5. Xu hướng các lần chạy gần đây / Trend over the last runs</h2>']
    trend = data["trend"]
    if not trend:
        return out[0] + "<p>Không có / none.</p>"
    top = max([t["loaded"] + t["quarantined"] for t in trend] + [1])
    rows = []
    for t in trend:
        width = int(200 * t["loaded"] / top)
        qwidth = max(1 if t["quarantined"] else 0, int(200 * t["quarantined"] / top))
        name = e(t["run_id"])
        link = f'<a href="run_{e(safe_run_id(t["run_id"]))}.html">{name}</a>'
        rows.append(
            [
                f"<strong>{link}</strong>" if t["run_id"] == run_id else link,
                e(t["started"].strftime("%Y-%m-%d %H:%M") if t["started"] else ""),
                _num(t["files"]),
                _num(t["rejected"]),
                _num(t["loaded"]),
                _num(t["quarantined"]),
                f'<span class="bar" style="width:{width}px"></span><span class="bar q" style="width:{qwidth}px"></span>',
                _num(t["checks"]),
                _num(t["errors"]),
                _num(t["warnings"]),
            ]
        )
    out.append(
        _table(
            [
                "Lần chạy / run",
                "Bắt đầu / started",
                "Tệp / files",
                "Từ chối / rejected",
                "Đã nạp / loaded",
                "Cách ly / quarantined",
                "",
                "Kiểm tra / checks",
                "Lỗi / errors",
                "Cảnh báo / warnings",
            ],
            rows,
            numeric={2, 3, 4, 5, 7, 8, 9},
        )
    )
    return "\n".join(out)


def _contents() -> str:
    return (
        '<p class="small">Nội dung / contents: <a href="#files">1. Tệp / files</a> · '
        '<a href="#checks">2. Kiểm tra / checks</a> · <a href="#rows">3. Dòng cách ly / quarantined rows</a> · '
        '<a href="#dbt">4. dbt</a> · <a href="#trend">5. Xu hướng / trend</a> · '
        '<a href="index.html">Tất cả lần chạy / all runs</a> · '
        '<a href="../data_docs/index.html">Great Expectations Data Docs</a></p>'
    )


# -- entry points --------------------------------------------------------------------------------------


def build_report(
    run_id: str, engine: sa.Engine | None = None, output_dir: Path | None = None, url: str | None = None
) -> Path:
    """Write the run's report, refresh ``index.html`` and ``latest.html``; returns the run's file."""
    if engine is None:
        if url:
            engine = sa.create_engine(url)
        else:
            from ..warehouse import engine as default_engine

            engine = default_engine()
    folder = resolve_output(output_dir) / "quality"
    folder.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn:
        data = _gather(conn, run_id)
    started = next((t["started"] for t in data["trend"] if t["run_id"] == run_id), None)
    body = "\n".join(
        [
            _contents(),
            _gate(data),
            _files(data),
            _checks(data),
            _quarantine(data),
            _dbt(engine, started),
            _trend(data, run_id),
        ]
    )
    html = _page(
        f"Báo cáo chất lượng dữ liệu — lần chạy {run_id}",
        f"Data-quality report for auditors · run {run_id}",
        body,
    )
    path = folder / f"run_{safe_run_id(run_id)}.html"
    path.write_text(html, encoding="utf-8")
    _write_index(engine, folder)
    shutil.copyfile(path, folder / "latest.html")
    return path


def _write_index(engine: sa.Engine, folder: Path) -> Path:
    with engine.connect() as conn:
        trend = _trend_rows(conn, 100_000)
    rows = []
    for t in reversed(trend):
        file = f"run_{safe_run_id(t['run_id'])}.html"
        link = f'<a href="{e(file)}">{e(t["run_id"])}</a>' if (folder / file).exists() else e(t["run_id"])
        status = "fail" if t["errors"] else ("warn" if t["warnings"] else "pass")
        rows.append(
            [
                link,
                e(t["started"].strftime("%Y-%m-%d %H:%M") if t["started"] else ""),
                _badge(
                    status,
                    {"fail": "KHÔNG ĐẠT / FAIL", "warn": "CẢNH BÁO / WARN", "pass": "ĐẠT / PASS"}[status],
                ),
                _num(t["files"]),
                _num(t["loaded"]),
                _num(t["quarantined"]),
                _num(t["errors"]),
                _num(t["warnings"]),
            ]
        )
    body = (
        '<p class="note">Mỗi lần chạy có một báo cáo riêng; <a href="latest.html">latest.html</a> là báo cáo '
        "mới nhất. One report per run; latest.html is the newest.</p>"
        + _table(
            [
                "Lần chạy / run",
                "Bắt đầu / started",
                "Cổng / gate",
                "Tệp / files",
                "Đã nạp / loaded",
                "Cách ly / quarantined",
                "Lỗi / errors",
                "Cảnh báo / warnings",
            ],
            rows,
            numeric={3, 4, 5, 6, 7},
        )
    )
    path = folder / "index.html"
    path.write_text(
        _page("Báo cáo chất lượng dữ liệu — các lần chạy", "Data-quality reports: all runs", body),
        encoding="utf-8",
    )
    return path
