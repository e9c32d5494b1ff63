"""docs/ingestion.md embeds the contracts as the code encodes them; this keeps the two in step."""

from __future__ import annotations

from ingestion.cli import contracts_markdown
from ingestion.config import REPO_ROOT

DOC = REPO_ROOT / "docs" / "ingestion.md"
BEGIN, END = "<!-- contracts:begin -->", "<!-- contracts:end -->"


def test_contract_section_is_generated_from_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert section.strip() == contracts_markdown().strip(), (
        "docs/ingestion.md is out of date: paste the output of `python -m ingestion contracts` "
        "between the markers"
    )


def test_every_rule_in_the_catalogue_is_documented() -> None:
    from .test_bad_inputs import CASES

    text = DOC.read_text(encoding="utf-8")
    rules = {rule for case in CASES for _, _, rule in case.errors | case.warnings}
    assert {r for r in rules if f"`{r}`" not in text} == set()
