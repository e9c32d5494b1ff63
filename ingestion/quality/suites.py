"""Great Expectations suites, assets, validation definitions and checkpoints, generated from the checks.

``python -m ingestion quality suites`` (or :func:`generate`) writes them into the committed file
context under ``expectations/gx/``. Regenerating is idempotent: an object whose content did not change
is left alone, so the committed JSON only changes when a contract or the policy changes.

Batches: every raw table has one table asset, the view ``audit.quality_batch__<source>`` over the rows
of the files being validated (``_file_id in (select file_id from audit.quality_batch ...)``);
validate_batch fills that small table with the run's loaded files, so the database does the filtering
with the ``_file_id`` index and the cost grows with the day's data, not with the history. The committed
configuration never changes per run.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from .checks import Check, all_checks
from .context import get_context
from .policy import (
    DATASOURCE,
    MARTS_SUITE,
    MARTS_TABLE,
    URL_VAR,
    batch_view,
)
from .tables import ensure_tables

log = logging.getLogger("ingestion.quality")

BATCH_DEFINITION = "batch"
DOCS_ACTION = "update_data_docs"
GX_SEVERITY = {"error": "critical", "warning": "warning"}


def asset_table(suite: str) -> tuple[str, str]:
    """(schema, table) of a suite's table asset: the batch view of a raw suite, the mart itself."""
    if suite == MARTS_SUITE:
        schema, table = MARTS_TABLE.split(".", 1)
    else:
        schema, table = batch_view(suite.removeprefix("raw_")).split(".", 1)
    return schema, table


def asset_query(suite: str) -> str:
    """The SELECT of a suite's batch (what the failing-row samples read)."""
    schema, table = asset_table(suite)
    return f"select * from {schema}.{table}"


#: Result format of every checkpoint. No unexpected values in the Data Docs (some sources carry personal
#: data); validate.py stores a few failing rows per check, with lineage and personal values redacted.
RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 0}

#: The committed checkpoints: every raw suite, and the mart suite.
RAW_CHECKPOINT = "raw_all"
MARTS_CHECKPOINT = MARTS_SUITE
#: The checkpoint validate_batch creates for the suites of one run, and deletes after running it.
RUN_CHECKPOINT = "raw_run"


def _notes(check: Check) -> dict[str, Any]:
    desc = check.description
    return {
        "format": "markdown",
        "content": [
            f"**{check.severity.upper()}** · `{check.check_id}`",
            f"**What / Kiểm tra gì:** {desc.en.what} / {desc.vi.what}",
            f"**When it matters / Khi nào quan trọng:** {desc.en.when} / {desc.vi.when}",
            f"**How to resolve / Cách xử lý:** {desc.en.how} / {desc.vi.how}",
        ],
    }


def build_expectation(check: Check) -> Any:
    import great_expectations.expectations as gxe

    from . import gx_expectations

    cls = getattr(gx_expectations, check.expectation, None) or getattr(gxe, check.expectation)
    meta = {**check.meta(), "notes": _notes(check)}
    return cls(
        **check.kwargs,
        meta=meta,
        severity=GX_SEVERITY[check.severity],
        description=f"{check.description.en.what} / {check.description.vi.what}",
    )


def _comparable(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if k not in ("id", "rendered_content")}


def _save_suite(context: Any, name: str, checks: list[Check]) -> bool:
    import great_expectations as gx

    new = [build_expectation(c) for c in checks]
    wanted = [_comparable(e.configuration.to_json_dict()) for e in new]
    try:
        existing = context.suites.get(name)
    except Exception:  # noqa: BLE001 - GX raises a different error class per store backend
        existing = None
    if existing is not None:
        have = [_comparable(e.configuration.to_json_dict()) for e in existing.expectations]
        if have == wanted:
            return False
        context.suites.delete(name)
    suite = context.suites.add(
        gx.ExpectationSuite(name=name, meta={"generated_by": "ingestion.quality.suites"})
    )
    for exp in new:
        suite.add_expectation(exp)
    return True


def _datasource(context: Any) -> Any:
    try:
        return context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError):
        return context.data_sources.add_postgres(DATASOURCE, connection_string="${" + URL_VAR + "}")


def _asset(datasource: Any, name: str, schema: str, table: str) -> Any:
    if name in datasource.get_asset_names():
        asset = datasource.get_asset(name)
        if getattr(asset, "table_name", None) == table and getattr(asset, "schema_name", None) == schema:
            return asset
        datasource.delete_asset(name)
    asset = datasource.add_table_asset(name, table_name=table, schema_name=schema)
    asset.add_batch_definition_whole_table(BATCH_DEFINITION)
    return asset


def _validation_definition(context: Any, name: str, asset: Any) -> Any:
    import great_expectations as gx

    suite = context.suites.get(name)
    batch_definition = asset.get_batch_definition(BATCH_DEFINITION)
    try:
        vd = context.validation_definitions.get(name)
    except Exception:  # noqa: BLE001 - missing from the store
        vd = None
    if (
        vd is not None
        and vd.suite.id == suite.id
        and _stored_batch_definition_id(name) == batch_definition.id
    ):
        return vd
    if vd is not None:
        context.validation_definitions.delete(name)
    return context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    )


def _stored(store: str, name: str) -> dict[str, Any]:
    """A committed object as written (GX resolves stale ids by name when it loads an object, so the
    loaded object cannot tell that the file needs rewriting)."""
    import json

    from .policy import gx_project_root

    path = gx_project_root() / "gx" / store / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _stored_batch_definition_id(name: str) -> str | None:
    return _stored("validation_definitions", name).get("data", {}).get("batch_definition", {}).get("id")


def _stored_ids(store: str, name: str, key: str) -> list[str]:
    return [item.get("id") for item in _stored(store, name).get(key, [])]


def checkpoint(name: str, validation_definitions: list[Any]) -> Any:
    """A checkpoint over these validation definitions that updates the Data Docs."""
    import great_expectations as gx

    return gx.Checkpoint(
        name=name,
        validation_definitions=validation_definitions,
        actions=[gx.checkpoint.UpdateDataDocsAction(name=DOCS_ACTION)],
        result_format=RESULT_FORMAT,
    )


def _save_checkpoint(context: Any, name: str, validation_definitions: list[Any]) -> None:
    try:
        cp = context.checkpoints.get(name)
    except Exception:  # noqa: BLE001 - missing from the store
        cp = None
    if cp is not None:
        if cp.result_format == RESULT_FORMAT and _stored_ids(
            "checkpoints", name, "validation_definitions"
        ) == [v.id for v in validation_definitions]:
            return
        context.checkpoints.delete(name)
    context.checkpoints.add(checkpoint(name, validation_definitions))


def generate(engine: sa.Engine | None = None) -> dict[str, int]:
    """Write every suite (and its asset, validation definition and checkpoint); returns suite -> size."""
    from ..warehouse import engine as default_engine

    engine = engine or default_engine()
    ensure_tables(engine)
    context = get_context(engine)
    datasource = _datasource(context)
    sizes: dict[str, int] = {}
    definitions: dict[str, Any] = {}
    for name, checks in all_checks().items():
        changed = _save_suite(context, name, checks)
        asset = _asset(datasource, name, *asset_table(name))
        definitions[name] = _validation_definition(context, name, asset)
        sizes[name] = len(checks)
        log.info("suite %s: %d expectations%s", name, len(checks), " (updated)" if changed else "")
    for stale in [
        cp.name for cp in context.checkpoints.all() if cp.name not in (RAW_CHECKPOINT, MARTS_CHECKPOINT)
    ]:
        context.checkpoints.delete(stale)
    _save_checkpoint(context, RAW_CHECKPOINT, [v for k, v in definitions.items() if k != MARTS_SUITE])
    _save_checkpoint(context, MARTS_CHECKPOINT, [definitions[MARTS_SUITE]])
    _write_gitignore()
    return sizes


def _write_gitignore() -> None:
    from .policy import gx_project_root

    path = gx_project_root() / ".gitignore"
    text = "# Great Expectations run artefacts (validation results, Data Docs): never committed\ngx/uncommitted/\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
