"""Run dbt as the DAG and the operator do: a subprocess with the project's environment."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from .config import settings
from .envvars import project_env

log = logging.getLogger("ingestion.dbt")


class DbtError(RuntimeError):
    """dbt exited non-zero; the message carries the tail of its output."""


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(args: list[str], url: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``dbt <args>`` in the dbt project with the warehouse of ``url`` (default: the project's)."""
    cfg = settings()
    env = {**os.environ, **project_env(url)}
    cmd = [
        dbt_executable(),
        *args,
        "--project-dir",
        str(cfg.dbt_project_dir),
        "--profiles-dir",
        str(cfg.dbt_project_dir),
    ]
    log.info("running %s", " ".join(cmd[:4]))
    proc = subprocess.run(cmd, env=env, cwd=cfg.dbt_project_dir, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        log.info("dbt | %s", line)
    if proc.stderr.strip():
        for line in proc.stderr.splitlines():
            log.warning("dbt | %s", line)
    if check and proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-40:])
        raise DbtError(
            f"dbt {' '.join(args)} failed (exit {proc.returncode}):\n{tail}\n{proc.stderr[-2000:]}"
        )
    return proc
