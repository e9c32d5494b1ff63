"""The embedded warehouse: a real PostgreSQL cluster in a throwaway folder, started twice, stopped clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from ingestion import warehouse


def _server_processes(data_dir: str) -> list[str]:
    out = subprocess.run(["ps", "-ww", "-eo", "pid,stat,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if data_dir in line and " Z" not in line]


@pytest.fixture()
def cluster(monkeypatch):
    # Not under pytest's basetemp: that folder is private (0700) to root, and as root the cluster runs
    # as the postgres system user, which must be able to enter every parent of its data directory.
    base = Path(tempfile.mkdtemp(prefix="lcp-pg-test-"))
    base.chmod(0o755)
    monkeypatch.setenv("LCP_LOCAL_DIR", str(base))
    monkeypatch.delenv("LCP_WAREHOUSE_URL", raising=False)
    wh = warehouse.Embedded(base / "pg")
    try:
        yield wh
    finally:
        wh.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_start_twice_bootstrap_and_stop_leaves_no_process(cluster):
    state = cluster.start()
    again = cluster.start()
    assert again.port == state.port
    eng = sa.create_engine(state.url())
    warehouse.bootstrap(eng)
    warehouse.bootstrap(eng)  # idempotent
    with eng.connect() as conn:
        schemas = set(conn.execute(sa.text("select nspname from pg_namespace")).scalars())
        roles = set(conn.execute(sa.text("select rolname from pg_roles")).scalars())
        listen = conn.execute(sa.text("show listen_addresses")).scalar()
    eng.dispose()
    assert {"raw", "audit", "staging", "intermediate", "marts", "reporting"} <= schemas
    assert {"loader", "transformer", "analyst", "auditor"} <= roles
    assert listen == "127.0.0.1"
    assert _server_processes(str(cluster.data))
    assert cluster.stop() is True
    assert not cluster.running()
    assert _server_processes(str(cluster.data)) == []
    assert cluster.stop() is False  # stopping a stopped cluster is fine


def test_cli_url_and_status(cluster, monkeypatch):
    cluster.start()
    out = subprocess.run(
        [sys.executable, "-m", "ingestion", "warehouse", "url"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().startswith("postgresql")
    assert f":{cluster.state().port}/" in out.stdout
    status = subprocess.run(
        [sys.executable, "-m", "ingestion", "warehouse", "status"], capture_output=True, text=True
    )
    assert status.returncode == 0 and "running" in status.stdout.lower()


def test_analyst_cannot_read_raw(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("set local role analyst"))
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            conn.execute(sa.text("select * from raw.emis_students limit 1"))
