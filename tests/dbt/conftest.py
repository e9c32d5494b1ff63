"""Fixtures of the dbt tests: a throwaway database, a copy of the dbt project, and a dbt runner.

The database is created on the test server (``server_url`` of tests/conftest.py: LCP_WAREHOUSE_URL or
the embedded cluster), bootstrapped by the project's own code and dropped at the end. dbt runs in a
copy of dbt_project/ under the test's temporary directory, so its target/ and logs/ never touch the
working tree and parallel runs do not collide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from ingestion import warehouse

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO_ROOT / "dbt_project"
TEST_HMAC_KEY = "dbt-test-hmac-key"


def dbt_env(url: str) -> dict[str, str]:
    """The environment dbt's profiles.yml reads, from a SQLAlchemy URL."""
    u = sa.make_url(url)
    return {
        "LCP_DB_HOST": u.host or "127.0.0.1",
        "LCP_DB_PORT": str(u.port or 5432),
        "LCP_DB_USER": u.username or "",
        "LCP_DB_PASSWORD": u.password or "",
        "LCP_DB_NAME": u.database or "",
        "LCP_HMAC_KEY": TEST_HMAC_KEY,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(args: list[str], url: str, project_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run ``dbt <args>`` in ``project_dir`` against ``url``; fail the test with dbt's output on error."""
    env = {**os.environ, **dbt_env(url)}
    cmd = [dbt_executable(), *args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    proc = subprocess.run(cmd, env=env, cwd=project_dir, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-60:])
        pytest.fail(f"dbt {' '.join(args)} failed (exit {proc.returncode}):\n{tail}\n{proc.stderr[-2000:]}")
    return proc


@pytest.fixture(scope="module")
def dbt_database(server_url: str) -> Iterator[str]:
    """URL of a fresh, bootstrapped database for the dbt tests of one module."""
    name = f"lcp_dbt_test_{os.getpid()}"
    base = sa.make_url(server_url)
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
        conn.execute(sa.text(f'create database "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    eng = sa.create_engine(url)
    warehouse.bootstrap(eng)
    eng.dispose()
    try:
        yield url
    finally:
        if not os.environ.get("LCP_KEEP_TEST_DB"):
            with admin.connect() as conn:
                conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


@pytest.fixture(scope="module")
def dbt_project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of dbt_project/ (without build artefacts) to run dbt in."""
    if not (DBT_PROJECT / "seeds" / "reference" / "admin_units.csv").exists():
        pytest.fail(
            "dbt_project/seeds/reference/admin_units.csv is missing: run scripts/build_reference_seeds.py"
        )
    target = tmp_path_factory.mktemp("dbt") / "dbt_project"
    shutil.copytree(
        DBT_PROJECT, target, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml")
    )
    return target
