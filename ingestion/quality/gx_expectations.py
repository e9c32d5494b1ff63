"""The project's own Great Expectations expectation: an SQL check that only counts its failing rows.

Great Expectations' ``UnexpectedRowsExpectation`` runs its query twice — once to count the failing
rows and once more to fetch them — even when the result format (SUMMARY) never shows the rows. Over a
day of 1.7 million pupils each query is a full scan of the batch. ``UnexpectedRowsCountExpectation``
asks only for the count; the report fetches a few failing rows itself, with their file, sheet and row
number, and only for the checks that failed (``results.fetch_samples``).

Importing this module registers the class with Great Expectations (its suites name it as
``unexpected_rows_count_expectation``); :mod:`ingestion.quality.context` imports it before it loads
the file context.
"""

from __future__ import annotations

from typing import Any, ClassVar

from great_expectations.expectations import UnexpectedRowsExpectation


class UnexpectedRowsCountExpectation(UnexpectedRowsExpectation):
    """Expect ``unexpected_rows_query`` to return no rows, computing only how many it returns."""

    metric_dependencies: ClassVar[tuple[str, ...]] = ("unexpected_rows_query.row_count",)

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        count = metrics["unexpected_rows_query.row_count"]
        return {"success": count == 0, "result": {"observed_value": count}}
