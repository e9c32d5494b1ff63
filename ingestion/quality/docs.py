"""docs/data-quality.md: the prose of templates/data-quality.md plus the tables generated from the checks."""

from __future__ import annotations

from pathlib import Path
from string import Template

from ..config import REPO_ROOT
from ..sources import CONTRACTS
from .checks import Check, all_checks
from .policy import DEFAULT_DRIFT_BAND, DRIFT_BANDS, MARTS_SUITE, SEVERITY

TEMPLATE = Path(__file__).resolve().parent / "templates" / "data-quality.md"
DOCS_PATH = REPO_ROOT / "docs" / "data-quality.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _suite_table(checks: list[Check]) -> str:
    lines = [
        "| # | check | expectation | column(s) | severity | what it checks | kiểm tra gì |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, c in enumerate(checks, 1):
        lines.append(
            f"| {i} | `{c.check_id}` | {c.expectation} | {_cell(c.column_name or '—')} | {c.severity} | "
            f"{_cell(c.description.en.what)} | {_cell(c.description.vi.what)} |"
        )
    return "\n".join(lines)


def render() -> str:
    suites = all_checks()
    overview = [
        "| suite | table | expectations | error | warning |",
        "|---|---|---|---|---|",
    ]
    sections = []
    for name, checks in suites.items():
        errors = sum(c.severity == "error" for c in checks)
        overview.append(
            f"| `{name}` | `{checks[0].table}` | {len(checks)} | {errors} | {len(checks) - errors} |"
        )
        if name == MARTS_SUITE:
            title = f"### `{name}` — marts.indicator_values"
        else:
            contract = CONTRACTS[checks[0].source or ""]
            title = f"### `{name}` — {contract.title_en} / {contract.title_vi}"
        sections.append(f"{title}\n\n{_suite_table(checks)}")
    total = sum(len(c) for c in suites.values())
    overview.append(f"| **total** | | **{total}** | | |")
    severities = "\n".join(f"| {kind} | {sev} |" for kind, sev in SEVERITY.items())
    bands = ", ".join(f"{s} ±{b * 100:g}%" for s, b in DRIFT_BANDS.items())
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        overview="\n".join(overview),
        suites="\n\n".join(sections),
        severities="| kind | severity |\n|---|---|\n" + severities,
        drift_bands=f"{bands}, other snapshot sources ±{DEFAULT_DRIFT_BAND * 100:g}%",
    )


def write_docs(path: Path | None = None) -> Path:
    target = path or DOCS_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    return target
