"""The registry of sources: one module per source family, each declaring its contracts as data."""

from __future__ import annotations

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


def get_contract(source: str) -> Contract:
    try:
        return CONTRACTS[source]
    except KeyError:
        raise KeyError(f"unknown source {source!r}; expected one of: {', '.join(SOURCES)}") from None


__all__ = ["CONTRACTS", "SOURCES", "Column", "Contract", "Reference", "Rule", "get_contract"]
