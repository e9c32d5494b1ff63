"""One bad row per check: a valid row changed so that exactly the given check fails.

``row_count_drift`` and ``freshness`` are properties of a file, not of a row: see
``test_validate.every_check_run`` for how those two are broken.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ingestion.quality.checks import Check
from ingestion.sources import CONTRACTS, Contract

FILE_LEVEL = ("row_count_drift", "freshness")


def _first_year(row: dict[str, Any], contract: Contract) -> int:
    value = row[contract.period_column or ""]
    return int(str(value)[:4])


def bad_row(check: Check, rows: list[dict[str, Any]], i: int, today: dt.date | None = None) -> dict[str, Any]:
    """Row ``i`` (a valid row appended after ``rows``, event dates before ``today``) broken for ``check``."""
    from .factory import hcmc_wards, valid_row

    contract = CONTRACTS[check.source or ""]
    row = valid_row(contract, i, hcmc_wards(), today)
    kw = check.kwargs
    kind = check.kind
    if kind == "not_null":
        row[kw["column"]] = None
    elif kind in ("unique", "compound_unique"):
        row = dict(rows[0])
    elif kind == "in_set":
        row[kw["column"]] = "Giá trị lạ"
    elif kind == "between":
        col = kw["column"]
        row[col] = int(kw["min_value"]) - 1 if "min_value" in kw else int(kw["max_value"]) + 1
        for rule in contract.rules:  # keep the part <= total rules out of it
            if rule.kind == "le" and rule.right == col:
                row[rule.left] = None
    elif kind == "regex":
        col = kw["column"]
        row[col] = "2024/2026" if col == "school_year" else "79012345678A"
    elif kind == "not_future":
        row[check.columns[0]] = dt.date.today().year + 1
    elif kind == "pair_le":
        row[kw["column_B"]] = row[kw["column_A"]] + 1
    elif kind == "not_before":
        earlier = row[kw["column_B"]] - dt.timedelta(days=1)
        row[kw["column_A"]] = earlier
    elif kind == "age_between":
        row[check.columns[0]] = dt.date(_first_year(row, contract), 6, 1)
    elif kind == "reference":
        row[check.columns[0]] = "KHONG-TON-TAI"
    elif kind == "ward_code":
        row[check.columns[0]] = "99999"
    else:
        raise ValueError(f"{kind} is broken per file, not per row")
    return row
