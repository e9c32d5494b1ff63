"""The warehouse: the embedded local PostgreSQL under ``.local/`` and the project's DDL.

``LCP_WAREHOUSE_URL`` (a SQLAlchemy URL) points everything at an external PostgreSQL instead; when it
is unset the embedded cluster is created and started on first use. The embedded cluster listens on
127.0.0.1 only, on a free port remembered in ``.local/pg/warehouse.json``, with a generated password.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa

from .config import settings
from .sources import CONTRACTS

SQL_DIR = Path(__file__).resolve().parent / "sql"
DB_NAME = "lcp"
DB_USER = "lcp"
BOOTSTRAP_LOCK = 7_240_001  # pg_advisory_xact_lock key of the bootstrap


class WarehouseError(RuntimeError):
    """The embedded warehouse could not be managed (message says why and what to do)."""


@dataclass
class EmbeddedState:
    port: int
    password: str
    user: str = DB_USER
    database: str = DB_NAME

    def url(self) -> str:
        return f"postgresql+psycopg2://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"


def _pg_bin(name: str) -> str:
    env_dir = os.environ.get("LCP_PG_BIN")
    candidates = [Path(env_dir)] if env_dir else []
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        candidates += sorted((p / "bin" for p in root.iterdir()), reverse=True)
    for directory in candidates:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if found:
        return found
    raise WarehouseError(
        f"PostgreSQL server binary {name!r} not found: install PostgreSQL 15 "
        "(apt-get install postgresql-15) or set LCP_PG_BIN, or set LCP_WAREHOUSE_URL to an external server."
    )


class Embedded:
    """A PostgreSQL cluster owned by the project under ``<LCP_LOCAL_DIR>/pg``."""

    def __init__(self, base: Path | None = None) -> None:
        self.base = base or settings().pg_dir
        self.data = self.base / "data"
        self.sockets = self.base / "run"
        self.log = self.base / "postgres.log"
        self.state_file = self.base / "warehouse.json"

    # -- helpers -------------------------------------------------------------------------------
    @property
    def _as_postgres(self) -> bool:
        return os.geteuid() == 0

    def _run(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = ["runuser", "-u", "postgres", "--", *args] if self._as_postgres else args
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise WarehouseError(f"{' '.join(args[:2])} failed: {proc.stderr.strip() or proc.stdout.strip()}")
        return proc

    def _chown(self, path: Path) -> None:
        if self._as_postgres:
            pw = pwd.getpwnam("postgres")
            for p in [path, *path.rglob("*")]:
                os.chown(p, pw.pw_uid, pw.pw_gid)

    def _check_traversable(self) -> None:
        if not self._as_postgres:
            return
        for parent in self.base.resolve().parents:
            if parent.exists() and not os.stat(parent).st_mode & 0o001:
                raise WarehouseError(
                    f"the postgres system user cannot enter {parent} (needed for {self.data}); "
                    f"run `chmod o+x {parent}` or set LCP_LOCAL_DIR to a path under /var or /tmp"
                )

    def state(self) -> EmbeddedState | None:
        if not self.state_file.exists():
            return None
        return EmbeddedState(**json.loads(self.state_file.read_text()))

    def _save_state(self, state: EmbeddedState) -> None:
        self.state_file.write_text(json.dumps(asdict(state), indent=2))
        self.state_file.chmod(0o600)

    @staticmethod
    def _port_free(port: int) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
        return True

    @staticmethod
    def _free_port() -> int:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    # -- lifecycle -----------------------------------------------------------------------------
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists() and self.state_file.exists()

    def init(self) -> EmbeddedState:
        if self.initialised():
            state = self.state()
            assert state is not None
            return state
        self._check_traversable()
        if self.data.exists():
            shutil.rmtree(self.data)
        self.base.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(parents=True, exist_ok=True)
        self.data.mkdir(parents=True, exist_ok=True)
        state = EmbeddedState(port=self._free_port(), password=secrets.token_urlsafe(18))
        pwfile = self.base / ".pwfile"
        pwfile.write_text(state.password + "\n")
        self._chown(self.base)
        os.chmod(self.data, 0o700)
        try:
            self._run(
                [
                    _pg_bin("initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    DB_USER,
                    f"--pwfile={pwfile}",
                    "--auth-local=scram-sha-256",
                    "--auth-host=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            )
        finally:
            pwfile.unlink(missing_ok=True)
        self._save_state(state)
        return state

    def running(self) -> bool:
        if not (self.data / "PG_VERSION").exists():
            return False
        return self._run([_pg_bin("pg_ctl"), "-D", str(self.data), "status"], check=False).returncode == 0

    def start(self) -> EmbeddedState:
        state = self.init()
        if self.running():
            return state
        if not self._port_free(state.port):
            state.port = self._free_port()
            self._save_state(state)
        self._chown(self.base)
        opts = f"-p {state.port} -k {self.sockets} -c listen_addresses=127.0.0.1"
        self._run(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                opts,
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        self._ensure_database(state)
        return state

    def _ensure_database(self, state: EmbeddedState) -> None:
        engine = sa.create_engine(state.url().rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                exists = conn.execute(
                    sa.text("select 1 from pg_database where datname = :d"), {"d": DB_NAME}
                ).scalar()
                if not exists:
                    conn.execute(sa.text(f'create database "{DB_NAME}"'))
        finally:
            engine.dispose()

    def stop(self) -> bool:
        """Stop the cluster and wait until no server process is left; True if one was running."""
        if not self.running():
            return False
        self._run([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop"])
        deadline = time.monotonic() + 30
        while (self.data / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        return True

    def status(self) -> dict[str, object]:
        state = self.state()
        return {
            "mode": "embedded",
            "data_dir": str(self.data),
            "initialised": self.initialised(),
            "running": self.running(),
            "port": state.port if state else None,
            "log": str(self.log),
        }


def embedded() -> Embedded:
    return Embedded()


def warehouse_url(start: bool = True) -> str:
    """The SQLAlchemy URL in use: LCP_WAREHOUSE_URL, else the embedded cluster (started on first use)."""
    url = settings().warehouse_url
    if url:
        return url
    wh = embedded()
    if start:
        return wh.start().url()
    state = wh.state()
    if state is None:
        raise WarehouseError(
            "the embedded warehouse is not initialised: run `python -m ingestion warehouse start`"
        )
    return state.url()


@lru_cache(maxsize=4)
def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, pool_pre_ping=True, future=True)


def engine() -> sa.Engine:
    return _engine(warehouse_url())


def raw_ddl() -> str:
    return "\n".join(c.ddl() for c in CONTRACTS.values())


def bootstrap(eng: sa.Engine | None = None) -> None:
    """Create schemas, audit tables, raw tables and roles if missing (idempotent, concurrency-safe)."""
    eng = eng or engine()
    with eng.begin() as conn:
        conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": BOOTSTRAP_LOCK})
        conn.exec_driver_sql((SQL_DIR / "bootstrap.sql").read_text())
        conn.exec_driver_sql(raw_ddl())
    try:
        with eng.begin() as conn:
            conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": BOOTSTRAP_LOCK})
            conn.exec_driver_sql((SQL_DIR / "roles.sql").read_text())
    except sa.exc.DBAPIError as exc:  # an external server where we may not create roles
        if "permission denied" not in str(exc).lower():
            raise
        import logging

        logging.getLogger(__name__).warning("roles not created (no CREATEROLE privilege): %s", exc.orig)
