"""The data-quality policy in one place: severities, drift bands, names and paths.

Change a band or a severity here, then run ``python -m ingestion quality suites`` to regenerate the
committed suites (and ``python -m ingestion quality docs`` for docs/data-quality.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from ..config import settings

Severity = Literal["error", "warning"]

#: Severity of each kind of check. Error-level failures stop publication of the run (the gate);
#: warnings are reported and never block.
SEVERITY: dict[str, Severity] = {
    "not_null": "error",
    "unique": "error",
    "compound_unique": "error",
    "in_set": "error",
    "between": "error",
    "regex": "error",
    "not_future": "error",
    "reference": "error",
    "ward_code": "error",
    "row_count_drift": "warning",
    "freshness": "warning",
    "pct_range": "error",
    "numerator_le_denominator": "error",
    "coverage_over_100": "warning",
    "mart_grain_unique": "error",
    "ward_coverage": "warning",
}

#: Row-count drift band per snapshot source (fraction of the previous file's rows); others use the default.
DRIFT_BANDS: dict[str, float] = {"emis_students": 0.05}
DEFAULT_DRIFT_BAND = 0.10

#: Period kinds of snapshot sources (a file replaces the previous file of the same period).
SNAPSHOT_PERIOD_KINDS = ("school_year", "year")

#: How many failing rows each check keeps in audit.validation_results.details (and the report shows).
SAMPLE_ROWS = 10

LINEAGE = ("_file_id", "_sheet", "_row_number")

DATASOURCE = "warehouse"
#: Environment variable the committed context reads its connection string from (set at run time).
URL_VAR = "LCP_GX_WAREHOUSE_URL"
BATCH_TABLE = "audit.quality_batch"
WARD_CODES_TABLE = "audit.quality_ward_codes"
WARD_PERIODS_TABLE = "audit.quality_ward_periods"
MARTS_TABLE = "marts.indicator_values"
#: Where validate_marts finds the admin units (the dbt seed; validate_marts runs after dbt build).
ADMIN_UNITS_TABLE = "reference.admin_units"
#: The indicator catalogue seed: ``can_exceed_100`` marks the % indicators whose numerator and
#: denominator come from different sources (pupils over the survey's children).
CATALOGUE_TABLE = "reference.indicator_catalogue"
#: Advisory lock that serialises validations (the batch table holds one batch at a time).
VALIDATION_LOCK = 7_240_002


def drift_band(source: str) -> float:
    return DRIFT_BANDS.get(source, DEFAULT_DRIFT_BAND)


def raw_suite_name(source: str) -> str:
    return f"raw_{source}"


def batch_view(source: str) -> str:
    """The view over the rows of ``raw.<source>`` in the batch being validated (``audit.quality_batch``).

    Great Expectations validates these views as table assets: it reads their columns from the catalogue,
    where for a query asset it ran the whole query and fetched every row into memory just to learn the
    column names (1.7 million students: 1.4 s and most of a gigabyte).
    """
    return f"audit.quality_batch__{source}"


MARTS_SUITE = "marts_indicator_values"


def gx_project_root() -> Path:
    """Root of the committed file data context (``expectations/``); LCP_GX_PROJECT_ROOT overrides it."""
    override = os.environ.get("LCP_GX_PROJECT_ROOT")
    return Path(override).expanduser().resolve() if override else settings().expectations_dir


def output_dir(explicit: Path | None = None) -> Path:
    return Path(explicit) if explicit is not None else settings().output_dir
