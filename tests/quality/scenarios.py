"""The one-break scenario: which expectation each source's fixture breaks."""

from __future__ import annotations

from ingestion.config import REPO_ROOT
from ingestion.quality.checks import Check, raw_checks
from ingestion.sources import CONTRACTS

#: Screenshots and rendered DOM of the browser test (git-ignored).
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"

N = 12

#: The expectation each source's one-break fixture breaks (kinds spread over the sources).
ONE_BREAK: dict[str, str] = {
    "emis_schools": "emis_schools.in_set.level",
    "emis_students": "emis_students.regex.student_id",
    "emis_teachers": "emis_teachers.age_between.birth_date_age_between_18_70",
    "library_register": "library_register.not_null.library_name",
    "library_loans": "library_loans.not_before.return_ts_not_before_loan_ts",
    "library_visits": "library_visits.compound_unique.library_code+visit_date",
    "clc_register": "clc_register.between.staff_count",
    "clc_activities": "clc_activities.pair_le.participants_female_le_participants",
    "khuyenhoc_ward_report": "khuyenhoc_ward_report.pair_le.households_learning_le_households_total",
    "literacy_survey": "literacy_survey.ward_code.ward_code",
}


def one_break_check(source: str) -> Check:
    return next(c for c in raw_checks(CONTRACTS[source]) if c.check_id == ONE_BREAK[source])
