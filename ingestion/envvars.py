"""The project's environment: one place that derives every variable Airflow, dbt and GE need.

``eval "$(make -s env)"`` prints these as shell exports (``python -m ingestion.envvars``); the DAG's
tasks, the dbt runner and the tests use :func:`project_env` directly.
"""

from __future__ import annotations

import os
import secrets
import shlex
import sys
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from .config import REPO_ROOT, settings
from .warehouse import warehouse_url

CONN_ID = "lcp_warehouse"


def hmac_key() -> str:
    """LCP_HMAC_KEY, or a random key generated once into ``.local/hmac.key`` (mode 0600)."""
    cfg = settings()
    if cfg.hmac_key:
        return cfg.hmac_key
    path = cfg.local_dir / "hmac.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def db_env(url: str) -> dict[str, str]:
    """dbt profile variables and the Airflow connection of a SQLAlchemy URL."""
    u = sa.make_url(url)
    password = u.password or ""
    airflow_uri = (
        f"postgres://{quote(u.username or '', safe='')}:{quote(str(password), safe='')}"
        f"@{u.host or '127.0.0.1'}:{u.port or 5432}/{u.database}"
    )
    return {
        "LCP_WAREHOUSE_URL": u.render_as_string(hide_password=False),
        "LCP_DB_HOST": u.host or "127.0.0.1",
        "LCP_DB_PORT": str(u.port or 5432),
        "LCP_DB_USER": u.username or "",
        "LCP_DB_PASSWORD": str(password),
        "LCP_DB_NAME": u.database or "",
        f"AIRFLOW_CONN_{CONN_ID.upper()}": airflow_uri,
    }


def project_env(url: str | None = None) -> dict[str, str]:
    cfg = settings()
    env = {
        "LCP_LOCAL_DIR": str(cfg.local_dir),
        "LCP_LANDING_DIR": str(cfg.landing_dir),
        "LCP_OUTPUT_DIR": str(cfg.output_dir),
        "LCP_HMAC_KEY": hmac_key(),
        "AIRFLOW_HOME": str(cfg.local_dir / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "DBT_PROFILES_DIR": str(cfg.dbt_project_dir),
        "DBT_PROJECT_DIR": str(cfg.dbt_project_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "False",
    }
    env.update(db_env(url or warehouse_url()))
    return env


def main() -> int:
    env = project_env()
    venv_bin = Path(sys.executable).parent
    lines = [f"export {k}={shlex.quote(v)}" for k, v in sorted(env.items())]
    if str(venv_bin) not in os.environ.get("PATH", "").split(os.pathsep):
        lines.append(f'export PATH={shlex.quote(str(venv_bin))}:"$PATH"')
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
