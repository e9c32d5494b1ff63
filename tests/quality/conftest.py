"""Fixtures of the data-quality tests: a private database per scenario, a copy of the committed GX context.

Each scenario gets its own freshly bootstrapped database on the session's PostgreSQL server, because the
drift and freshness checks look at every file ever loaded for a source. The committed context under
expectations/ is copied to a temporary folder (LCP_GX_PROJECT_ROOT), so running the tests never writes
into the working tree.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from ingestion import warehouse
from ingestion.config import REPO_ROOT
from ingestion.quality import ValidationSummary, validate_batch
from ingestion.sources import SOURCES

from .breakers import bad_row
from .factory import load_rows, valid_rows
from .scenarios import N, one_break_check


@pytest.fixture(scope="session")
def one_break(make_database, output_dir: Path) -> tuple[sa.Engine, ValidationSummary]:
    """Valid rows of every source plus one row breaking exactly ONE_BREAK[source]; validated once."""
    engine = make_database("onebreak")
    for source in SOURCES:
        rows = valid_rows(source, N)
        rows.append(bad_row(one_break_check(source), rows, N))
        load_rows(engine, source, rows, "run-one-break")
    return engine, validate_batch("run-one-break", engine=engine, output_dir=output_dir)


@pytest.fixture(scope="session", autouse=True)
def gx_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("gx")
    shutil.copytree(
        REPO_ROOT / "expectations", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("uncommitted")
    )
    previous = {k: os.environ.get(k) for k in ("LCP_GX_PROJECT_ROOT", "GX_ANALYTICS_ENABLED")}
    os.environ["LCP_GX_PROJECT_ROOT"] = str(root)
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    yield root
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def make_database(server_url: str) -> Iterator[Callable[[str], sa.Engine]]:
    """Factory of fresh bootstrapped databases (dropped at the end of the session)."""
    base = sa.make_url(server_url)
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    created: list[tuple[str, sa.Engine]] = []

    def make(label: str) -> sa.Engine:
        name = f"lcp_dq_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'create database "{name}"'))
        engine = sa.create_engine(base.set(database=name))
        warehouse.bootstrap(engine)
        created.append((name, engine))
        return engine

    yield make
    for name, engine in created:
        engine.dispose()
        if not os.environ.get("LCP_KEEP_TEST_DB"):
            with admin.connect() as conn:
                conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


@pytest.fixture(scope="session")
def output_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("output")
