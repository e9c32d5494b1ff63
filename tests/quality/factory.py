"""Valid raw rows for every source, derived from the contracts, inserted with lineage and a manifest row.

The tests break exactly one expectation of a suite by changing one value of one row; everything else
stays valid, so a failure is the one the test caused.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ingestion.reference import HCMC_PROVINCE_CODE, PRE_2025, admin_units
from ingestion.sources import CONTRACTS, Contract
from ingestion.sources.base import LINEAGE_COLUMNS

SCHOOL_YEAR = "2024-2025"
YEAR = 2024
TODAY = dt.date.today()


def hcmc_wards() -> list[str]:
    return [
        u.unit_code
        for u in admin_units(PRE_2025)
        if u.admin_level == "ward" and u.province_code == HCMC_PROVINCE_CODE
    ]


def _totals(contract: Contract) -> set[str]:
    return {r.right for r in contract.rules if r.kind == "le" and r.right}


def _key_value(contract: Contract, name: str, i: int) -> str:
    col = contract.column(name)
    if col.pattern == r"^\d{12}$":
        return f"{790000000000 + i:012d}"
    return f"{contract.source[:3].upper()}{i:06d}"


def valid_row(contract: Contract, i: int, wards: list[str], today: dt.date | None = None) -> dict[str, Any]:
    """Row ``i`` of a valid file of ``contract`` (keys unique by ``i``); event dates are the day before ``today``."""
    today = today or TODAY
    totals = _totals(contract)
    row: dict[str, Any] = {}
    for col in contract.columns:
        name = col.name
        if col.semantic == "ward_code":
            value: Any = wards[i % len(wards)]
        elif col.semantic == "school_year":
            value = SCHOOL_YEAR
        elif col.semantic == "year":
            value = YEAR
        elif col.semantic == "birth_year":
            value = 1990
        elif name in contract.key and col.type == "text":
            value = _key_value(contract, name, i)
        elif col.allowed:
            value = col.allowed[i % len(col.allowed)]
        elif col.type in ("integer", "bigint", "numeric"):
            value = 1000 if name in totals else 10
        elif col.type == "boolean":
            value = i % 2 == 0
        elif col.type == "date":
            if name == "birth_date":
                value = dt.date(2015, 5, 1) if contract.source == "emis_students" else dt.date(1985, 1, 1)
            elif any(r.kind == "not_before" and r.left == name for r in contract.rules):
                value = today
            else:
                value = today - dt.timedelta(days=1)
        elif col.type == "timestamp":
            late = any(r.kind == "not_before" and r.left == name for r in contract.rules)
            value = dt.datetime.combine(today - dt.timedelta(days=0 if late else 1), dt.time(10, 0))
        else:
            value = f"{name} {i}"
        row[name] = value
    for ref in contract.references:  # point at rows of the referenced register (loaded with as many rows)
        row[ref.column] = _key_value(
            CONTRACTS[ref.source], ref.target_column, i if ref.column in contract.key else i % 3
        )
    return row


def valid_rows(
    source: str, n: int, wards: list[str] | None = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    wards = wards or hcmc_wards()
    contract = CONTRACTS[source]
    return [valid_row(contract, i, wards, today) for i in range(n)]


def _periods(contract: Contract, rows: Iterable[dict[str, Any]]) -> list[str]:
    col = contract.period_column
    if col is None:
        return []
    out = set()
    for r in rows:
        v = r.get(col)
        if v is None:
            continue
        out.add(str(v.year) if isinstance(v, dt.date | dt.datetime) else str(v))
    return sorted(out)


def _copy_value(value: Any) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def load_rows(
    engine: sa.Engine,
    source: str,
    rows: list[dict[str, Any]],
    run_id: str,
    received_at: dt.datetime | None = None,
    file_name: str | None = None,
) -> int:
    """Insert rows as one loaded file of ``run_id`` (manifest row + raw rows with lineage); returns file_id."""
    contract = CONTRACTS[source]
    with engine.begin() as conn:
        file_id = conn.execute(
            sa.text(
                "insert into audit.load_manifest (source, path, file_name, sha256, size_bytes, received_at,"
                " rows_in, rows_loaded, rows_quarantined, status, run_id, periods)"
                " values (:s, :p, :n, :sha, 1000, :rec, :rows, :rows, 0, 'loaded', :r, :per) returning file_id"
            ),
            {
                "s": source,
                "p": f"/landing/{source}/{file_name or source + '.csv'}",
                "n": file_name or f"{source}.csv",
                "sha": uuid.uuid4().hex,
                "rec": received_at or dt.datetime.now(dt.UTC),
                "rows": len(rows),
                "r": run_id,
                "per": _periods(contract, rows),
            },
        ).scalar_one()
        cols = [*contract.column_names, *(name for name, _ in LINEAGE_COLUMNS)]
        now = dt.datetime.now(dt.UTC).isoformat()
        buf = io.StringIO()
        for i, row in enumerate(rows):
            lineage = [json.dumps({}), file_id, "Sheet1", i + 2, now, run_id]
            values = [row.get(c) for c in contract.column_names] + lineage
            buf.write("\t".join(_copy_value(v) for v in values) + "\n")
        buf.seek(0)
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with raw.cursor() as cur:
            cur.copy_expert(f"copy {contract.table} ({', '.join(cols)}) from stdin", buf)
    return int(file_id)


def load_valid_run(
    engine: sa.Engine,
    run_id: str,
    n: int = 20,
    sources: Iterable[str] | None = None,
    overrides: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, int]:
    """One loaded file per source (registers first) with ``n`` valid rows; ``overrides`` replaces a source's rows."""
    wards = hcmc_wards()
    file_ids = {}
    for source in sources or CONTRACTS:
        rows = (overrides or {}).get(source) or valid_rows(source, n, wards)
        file_ids[source] = load_rows(engine, source, rows, run_id)
    return file_ids
