"""Shared fixtures: a real PostgreSQL for the tests.

With LCP_WAREHOUSE_URL set, the tests use that server; otherwise the embedded cluster under .local/
is started. Each test session gets its own fresh database (``lcp_test_<pid>``) created from scratch and
bootstrapped by the project's own code, so tests never touch the demo's data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from ingestion import warehouse


@pytest.fixture(scope="session")
def server_url() -> str:
    return warehouse.warehouse_url()


@pytest.fixture(scope="session")
def warehouse_url(server_url: str) -> Iterator[str]:
    """URL of a fresh, bootstrapped database for this test session."""
    name = f"lcp_test_{os.getpid()}"
    base = sa.make_url(server_url)
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
        conn.execute(sa.text(f'create database "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    eng = sa.create_engine(url)
    warehouse.bootstrap(eng)
    eng.dispose()
    previous = os.environ.get("LCP_WAREHOUSE_URL")
    os.environ["LCP_WAREHOUSE_URL"] = url
    try:
        yield url
    finally:
        if previous is None:
            os.environ.pop("LCP_WAREHOUSE_URL", None)
        else:
            os.environ["LCP_WAREHOUSE_URL"] = previous
        if not os.environ.get("LCP_KEEP_TEST_DB"):
            with admin.connect() as conn:
                conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


@pytest.fixture()
def engine(warehouse_url: str) -> Iterator[sa.Engine]:
    eng = sa.create_engine(warehouse_url)
    yield eng
    eng.dispose()
