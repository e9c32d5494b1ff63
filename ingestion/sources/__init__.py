"""The registry of sources: one module per source family, each declaring its contracts as data."""

from __future__ import annotations

from . import clc, emis, khuyenhoc, library, survey
from .base import Column, Contract, Reference, Rule
from .clc import CLC_ACTIVITIES, CLC_REGISTER
from .emis import EMIS_SCHOOLS, EMIS_STUDENTS, EMIS_TEACHERS
from .khuyenhoc import KHUYENHOC_WARD_REPORT
from .library import LIBRARY_LOANS, LIBRARY_REGISTER, LIBRARY_VISITS
from .survey import LITERACY_SURVEY

#: Every source, in load order (registers and schools before the facts that reference them).
CONTRACTS: dict[str, Contract] = {
    c.source: c
    for c in (
        EMIS_SCHOOLS,
        EMIS_STUDENTS,
        EMIS_TEACHERS,
        LIBRARY_REGISTER,
        LIBRARY_LOANS,
        LIBRARY_VISITS,
        CLC_REGISTER,
        CLC_ACTIVITIES,
        KHUYENHOC_WARD_REPORT,
        LITERACY_SURVEY,
    )
}

SOURCES: tuple[str, ...] = tuple(CONTRACTS)

#: The family of each source: the module that declares it (``ingestion/sources/<family>.py``), which is
#: also the name of its dbt source (``dbt_project/models/staging/<family>/_<family>__sources.yml``).
FAMILIES: dict[str, str] = {
    contract.source: module.__name__.rsplit(".", 1)[-1]
    for module in (clc, emis, khuyenhoc, library, survey)
    for contract in vars(module).values()
    if isinstance(contract, Contract)
}


def get_contract(source: str) -> Contract:
    try:
        return CONTRACTS[source]
    except KeyError:
        raise KeyError(f"unknown source {source!r}; expected one of: {', '.join(SOURCES)}") from None


__all__ = ["CONTRACTS", "FAMILIES", "SOURCES", "Column", "Contract", "Reference", "Rule", "get_contract"]
