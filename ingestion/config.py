"""Configuration from the environment, with documented defaults (see .env.example)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _path(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Paths and switches of one process; read once per call of :func:`settings`."""

    local_dir: Path
    landing_dir: Path
    output_dir: Path
    dbt_project_dir: Path
    expectations_dir: Path
    warehouse_url: str | None
    hmac_key: str | None

    @property
    def pg_dir(self) -> Path:
        return self.local_dir / "pg"


def settings() -> Settings:
    local = _path("LCP_LOCAL_DIR", REPO_ROOT / ".local")
    return Settings(
        local_dir=local,
        landing_dir=_path("LCP_LANDING_DIR", REPO_ROOT / "landing"),
        output_dir=_path("LCP_OUTPUT_DIR", REPO_ROOT / "output"),
        dbt_project_dir=REPO_ROOT / "dbt_project",
        expectations_dir=REPO_ROOT / "expectations",
        warehouse_url=os.environ.get("LCP_WAREHOUSE_URL") or None,
        hmac_key=os.environ.get("LCP_HMAC_KEY") or None,
    )
