"""Data quality: Great Expectations suites generated from the contracts, the validation gate, and
the auditors' report (see docs/data-quality.md).

Great Expectations takes seconds to import, so it is imported inside the functions that need it.
"""

from __future__ import annotations

from .report import build_report
from .validate import QualityGateError, ValidationSummary, validate_batch, validate_marts

__all__ = ["QualityGateError", "ValidationSummary", "build_report", "validate_batch", "validate_marts"]
