"""DAG integrity: every file in dags/ imports (safe_mode off, so no file can hide) and the nightly DAG
has the shape the operators rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS), safe_mode=False)


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}, dagbag.import_errors


def test_every_python_file_defines_dags(dagbag):
    files = {str(p) for p in DAGS.glob("*.py") if not p.name.startswith("_")}
    loaded = {d.fileloc for d in dagbag.dags.values()}
    assert files <= loaded, f"files without a DAG: {files - loaded}"


def test_nightly_dag_contract(dagbag):
    dag = dagbag.dags["learning_city_nightly"]
    assert set(dag.params.keys()) >= {"landing_dir", "full_refresh"}
    assert dag.params["full_refresh"] is False
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    ids = set(dag.task_ids)
    expected = {
        "start",
        "discover",
        "load_reference_file",
        "load_file",
        "validate_batch",
        "dbt_build_models",
        "validate_marts",
        "dbt_build_reporting",
        "publish_exports",
        "quality_report",
        "finish",
    }
    assert expected <= ids, expected - ids


def test_publication_only_after_both_gates(dagbag):
    dag = dagbag.dags["learning_city_nightly"]
    reporting = dag.get_task("dbt_build_reporting")
    upstream = reporting.get_flat_relative_ids(upstream=True)
    assert {"validate_batch", "validate_marts", "dbt_build_models"} <= upstream
    # the gates never retry: a failed check is not a transient error
    assert dag.get_task("validate_batch").retries == 0
    assert dag.get_task("validate_marts").retries == 0
    # the auditor's report is written whatever happened upstream
    assert str(dag.get_task("quality_report").trigger_rule) in ("all_done", "TriggerRule.ALL_DONE")


def test_loads_are_mapped_one_task_per_file(dagbag):
    dag = dagbag.dags["learning_city_nightly"]
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    assert isinstance(dag.get_task("load_file"), MappedOperator)
    assert isinstance(dag.get_task("load_reference_file"), MappedOperator)
    assert dag.get_task("load_file").partial_kwargs.get("retries", 0) >= 1
