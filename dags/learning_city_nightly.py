"""learning_city_nightly — the city's nightly load, validation, modelling and publication.

Thin by design: every step is a function of ``ingestion.pipeline`` (imported inside the tasks, so that
parsing this file stays fast); business logic lives in ``ingestion/`` and ``dbt_project/``.

discover → load reference files (mapped, one task per file) → load the other files (mapped)
→ validate the batch (Great Expectations; error-level failures stop publication) → dbt build
(staging, intermediate, marts) → validate the marts → dbt build reporting (publication) → exports
→ data-quality report (always) → finish (fails the run if any step failed).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import Param, TriggerRule, dag, get_current_context, task

LANDING_DIR = os.environ.get("LCP_LANDING_DIR", "landing")


def _conn_url() -> str:
    """SQLAlchemy URL of the warehouse connection (``AIRFLOW_CONN_LCP_WAREHOUSE``)."""
    from airflow.sdk import Connection

    conn = Connection.get("lcp_warehouse")
    from urllib.parse import quote

    auth = f"{quote(conn.login or '', safe='')}:{quote(conn.password or '', safe='')}@"
    return f"postgresql+psycopg2://{auth}{conn.host}:{conn.port or 5432}/{conn.schema}"


def _run_id() -> str:
    return str(get_current_context()["run_id"])


@dag(
    dag_id="learning_city_nightly",
    description="Nightly: land, validate, load, model and publish the learning-city indicators",
    schedule="0 1 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    params={
        "landing_dir": Param(
            LANDING_DIR, type="string", description="Landing folder, one subfolder per source"
        ),
        "full_refresh": Param(
            False, type="boolean", description="Rebuild incremental dbt models from scratch"
        ),
    },
    default_args={"retries": 2, "retry_delay": timedelta(minutes=2), "retry_exponential_backoff": True},
    tags=["learning-city", "nightly"],
    doc_md=__doc__,
)
def learning_city_nightly():
    @task(retries=1)
    def start(params: dict | None = None) -> dict:
        from ingestion import pipeline

        p = params or {}
        return pipeline.start_run(_run_id(), str(p["landing_dir"]), bool(p["full_refresh"]), _conn_url())

    @task
    def discover(run: dict) -> dict:
        from ingestion import pipeline

        return pipeline.discover(run["landing_dir"], _conn_url())

    @task
    def reference_files(found: dict) -> list[dict]:
        return found["reference"]

    @task
    def other_files(found: dict) -> list[dict]:
        return found["facts"]

    @task(map_index_template="{{ task.op_kwargs['file']['source'] }}: {{ task.op_kwargs['file']['path'] }}")
    def load_reference_file(file: dict) -> dict:
        from ingestion import pipeline

        return pipeline.load_one(file, _run_id(), _conn_url())

    @task(
        trigger_rule=TriggerRule.NONE_FAILED,
        map_index_template="{{ task.op_kwargs['file']['source'] }}: {{ task.op_kwargs['file']['path'] }}",
    )
    def load_file(file: dict) -> dict:
        from ingestion import pipeline

        return pipeline.load_one(file, _run_id(), _conn_url())

    @task(retries=0, trigger_rule=TriggerRule.NONE_FAILED)
    def validate_batch() -> dict:
        from ingestion.quality.validate import validate_batch as run_checks

        summary = run_checks(_run_id(), url=_conn_url())
        summary.raise_if_errors()
        return summary.to_dict()

    @task(retries=1)
    def dbt_build_models(run: dict) -> None:
        from ingestion import pipeline

        pipeline.dbt_build(_run_id(), "models", bool(run["full_refresh"]), _conn_url())

    @task(retries=0)
    def validate_marts() -> dict:
        from ingestion.quality.validate import validate_marts as run_checks

        summary = run_checks(_run_id(), url=_conn_url())
        summary.raise_if_errors()
        return summary.to_dict()

    @task(retries=1)
    def dbt_build_reporting(run: dict) -> None:
        from ingestion import pipeline

        pipeline.dbt_build(_run_id(), "reporting", bool(run["full_refresh"]), _conn_url())

    @task(retries=1)
    def publish_exports() -> dict:
        from ingestion import pipeline

        result = pipeline.export(_run_id(), _conn_url())
        pipeline.dbt_docs(_conn_url(), _run_id())
        return result

    @task(trigger_rule=TriggerRule.ALL_DONE, retries=1)
    def quality_report() -> str:
        from ingestion.quality.report import build_report

        return str(build_report(_run_id(), url=_conn_url()))

    @task(trigger_rule=TriggerRule.ALL_DONE, retries=0)
    def finish() -> str:
        from airflow.sdk.exceptions import AirflowFailException

        from ingestion import pipeline

        ti = get_current_context()["ti"]
        found = ti.get_task_states(dag_id=ti.dag_id, run_ids=[ti.run_id])
        states = {k: str(v) for k, v in found.get(ti.run_id, found).items() if not k.startswith("finish")}
        status = pipeline.finish_run(_run_id(), states, _conn_url())
        if status != "success":
            failed = [k for k, v in states.items() if v not in ("success", "skipped")]
            raise AirflowFailException(
                f"nightly run failed: {', '.join(failed)}; see the data-quality report"
            )
        return status

    run = start()
    found = discover(run)
    refs = load_reference_file.expand(file=reference_files(found))
    facts = load_file.expand(file=other_files(found))
    refs >> facts
    gate = validate_batch()
    facts >> gate
    models = dbt_build_models(run)
    gate >> models
    marts_gate = validate_marts()
    models >> marts_gate
    reporting = dbt_build_reporting(run)
    marts_gate >> reporting
    exports = publish_exports()
    reporting >> exports
    report = quality_report()
    exports >> report
    report >> finish()


learning_city_nightly()
