"""The validation's working tables in ``audit`` (created on first use, idempotent).

* ``audit.quality_batch`` — the files being validated (source, file_id).
* ``audit.quality_batch__<source>`` — a view per source over the raw rows of those files: the table
  assets of the raw suites.
* ``audit.quality_ward_periods`` / ``audit.quality_ward_codes`` — the ward codes valid for each
  period present in a batch, from ``ingestion.reference.ward_codes_for_period`` (the same CSV seed
  dbt loads), so the ward check works before dbt has ever run and follows the 2025 reform.
"""

from __future__ import annotations

import hashlib
import io

import sqlalchemy as sa

from ..sources import CONTRACTS
from .policy import BATCH_TABLE, WARD_CODES_TABLE, WARD_PERIODS_TABLE, batch_view

DDL = f"""
create schema if not exists audit;
create table if not exists {BATCH_TABLE} (
    source   text   not null,
    file_id  bigint not null,
    run_id   text   not null,
    primary key (source, file_id)
);
create table if not exists {WARD_PERIODS_TABLE} (
    period       text primary key,
    fingerprint  text not null,
    ward_count   integer not null,
    filled_at    timestamptz not null default now()
);
create table if not exists {WARD_CODES_TABLE} (
    period     text not null,
    ward_code  text not null,
    primary key (period, ward_code)
);
"""


def batch_views_ddl() -> str:
    """(Re)create the batch view of every source: ``t.*`` is expanded when a view is created, so a
    contract that gained a column needs the view created again."""
    statements = []
    for source, contract in CONTRACTS.items():
        view = batch_view(source)
        statements.append(
            f"drop view if exists {view};\n"
            f"create view {view} as select t.* from {contract.table} t where t._file_id in "
            f"(select q.file_id from {BATCH_TABLE} q where q.source = '{source}');"
        )
    return "\n".join(statements)


def ensure_tables(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("select pg_advisory_xact_lock(7240003)"))
        conn.exec_driver_sql(DDL)
        if _views_stale(conn):
            conn.exec_driver_sql(batch_views_ddl())


def _views_stale(conn: sa.Connection) -> bool:
    """A batch view is missing or has other columns than its raw table (the contract changed)."""
    rows = conn.execute(
        sa.text(
            "select v.table_name, count(*) from information_schema.columns v "
            "where v.table_schema = 'audit' and v.table_name like 'quality_batch\\_\\_%' group by 1"
        )
    ).all()
    views = dict(rows)
    raw = dict(
        conn.execute(
            sa.text(
                "select table_name, count(*) from information_schema.columns where table_schema = 'raw' group by 1"
            )
        ).all()
    )
    return any(views.get(f"quality_batch__{s}") != raw.get(s) for s in CONTRACTS)


def _fingerprint() -> str:
    from ..reference import SEED_DIR

    return hashlib.sha256((SEED_DIR / "admin_units.csv").read_bytes()).hexdigest()[:16]


def fill_ward_codes(conn: sa.Connection, periods: set[str]) -> dict[str, int]:
    """Make the ward codes of each period available to the ward check; returns period -> ward count.

    A period that is not a school year or a year (already an error of its own check) gets no codes,
    and the ward check skips its rows.
    """
    from ..reference import ward_codes_for_period

    fingerprint = _fingerprint()
    have = dict(conn.execute(sa.text(f"select period, fingerprint from {WARD_PERIODS_TABLE}")).all())
    counts: dict[str, int] = {}
    for period in sorted(periods):
        try:
            codes = sorted(ward_codes_for_period(period))
        except ValueError:
            continue
        counts[period] = len(codes)
        if have.get(period) == fingerprint:
            continue
        conn.execute(sa.text(f"delete from {WARD_CODES_TABLE} where period = :p"), {"p": period})
        conn.execute(sa.text(f"delete from {WARD_PERIODS_TABLE} where period = :p"), {"p": period})
        buf = io.StringIO("".join(f"{period}\t{code}\n" for code in codes))
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with raw.cursor() as cur:
            cur.copy_expert(f"copy {WARD_CODES_TABLE} (period, ward_code) from stdin", buf)
        conn.execute(
            sa.text(
                f"insert into {WARD_PERIODS_TABLE} (period, fingerprint, ward_count) values (:p, :f, :n)"
            ),
            {"p": period, "f": fingerprint, "n": len(codes)},
        )
    return counts
