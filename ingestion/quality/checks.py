"""Every data-quality check as data, derived from the source contracts (no Great Expectations import).

``raw_checks(contract)`` turns a contract into the checks of its raw table; ``mart_checks()`` lists the
checks of ``marts.indicator_values``. ``suites.py`` turns each check into a Great Expectations
expectation, ``docs.py`` into a row of docs/data-quality.md, and ``sample_sql`` into the query that
fetches a few failing rows (with file, sheet and row number) for the report. A new source gets its
suite for free: declare its contract, run ``python -m ingestion quality suites``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..sources import CONTRACTS, FAMILIES, Contract
from ..sources.base import Column, Rule
from . import descriptions as d
from .policy import (
    ADMIN_UNITS_TABLE,
    CATALOGUE_TABLE,
    LINEAGE,
    MARTS_SUITE,
    MARTS_TABLE,
    SEVERITY,
    SNAPSHOT_PERIOD_KINDS,
    WARD_CODES_TABLE,
    WARD_PERIODS_TABLE,
    Severity,
    drift_band,
    raw_suite_name,
)

#: Checks whose Great Expectations form is a SQL query over ``{batch}`` that must return no rows
#: (:class:`ingestion.quality.gx_expectations.UnexpectedRowsCountExpectation`, which only counts them).
QUERY_EXPECTATION = "UnexpectedRowsCountExpectation"
MART_KEY = ("indicator_code", "admin_structure", "admin_unit_code", "period", "breakdown")


@dataclass(frozen=True)
class Check:
    """One expectation of one suite, with its severity and its description."""

    check_id: str
    suite: str
    source: str | None
    table: str
    kind: str
    expectation: str
    kwargs: dict[str, Any]
    columns: tuple[str, ...]
    severity: Severity
    description: Description
    personal: tuple[str, ...] = field(default=())

    @property
    def column_name(self) -> str | None:
        return ",".join(self.columns) if self.columns else None

    @property
    def query(self) -> str | None:
        return self.kwargs.get("unexpected_rows_query")

    def meta(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "kind": self.kind,
            "severity": self.severity,
            "source": self.source,
            "table": self.table,
            "description": self.description.as_meta(),
        }


Description = d.Description


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _header(col: Column) -> str:
    return col.headers[0] if col.headers else col.name


def _module(contract: Contract) -> str:
    return FAMILIES.get(contract.source, "…")


def _period_text(contract: Contract, alias: str = "") -> str | None:
    """SQL text of a row's period (school year ``2024-2025`` or year ``2024``)."""
    col = contract.period_column
    if col is None:
        return None
    ref = f"{alias}{col}"
    if contract.period_kind == "school_year":
        return ref
    if contract.period_kind == "year":
        return f"cast({ref} as text)"
    return f"cast(extract(year from {ref}) as integer)::text"


def _period_first_year(contract: Contract) -> str:
    col = contract.period_column
    if contract.period_kind == "school_year":
        return f"case when {col} ~ '^[0-9][0-9][0-9][0-9]-' then cast(left({col}, 4) as integer) end"
    if contract.period_kind == "year":
        return str(col)
    return f"cast(extract(year from {col}) as integer)"


def _period_noun(contract: Contract) -> str:
    return "school year" if contract.period_kind == "school_year" else "year"


def _check(
    contract: Contract,
    kind: str,
    ident: str,
    expectation: str,
    kwargs: dict[str, Any],
    columns: tuple[str, ...],
    description: Description,
    severity: Severity | None = None,
) -> Check:
    personal = tuple(c for c in contract.personal_columns if c in columns)
    return Check(
        check_id=f"{contract.source}.{kind}.{ident}" if ident else f"{contract.source}.{kind}",
        suite=raw_suite_name(contract.source),
        source=contract.source,
        table=contract.table,
        kind=kind,
        expectation=expectation,
        kwargs=kwargs,
        columns=columns,
        severity=severity or SEVERITY[kind],
        description=description,
        personal=personal,
    )


# -- raw checks ---------------------------------------------------------------------------------------


def _column_checks(c: Contract) -> list[Check]:
    out: list[Check] = []
    for col in c.columns:
        if col.required:
            out.append(
                _check(
                    c,
                    "not_null",
                    col.name,
                    "ExpectColumnValuesToNotBeNull",
                    {"column": col.name},
                    (col.name,),
                    d.not_null(col.name, _header(col), c.title_vi, c.title_en),
                )
            )
    if len(c.key) == 1:
        out.append(
            _check(
                c,
                "unique",
                c.key[0],
                "ExpectColumnValuesToBeUnique",
                {"column": c.key[0]},
                c.key,
                d.unique(c.key, c.title_vi, c.title_en),
            )
        )
    elif c.key:
        out.append(
            _check(
                c,
                "compound_unique",
                "+".join(c.key),
                "ExpectCompoundColumnsToBeUnique",
                {"column_list": list(c.key)},
                c.key,
                d.unique(c.key, c.title_vi, c.title_en),
            )
        )
    for col in c.columns:
        if col.allowed:
            out.append(
                _check(
                    c,
                    "in_set",
                    col.name,
                    "ExpectColumnValuesToBeInSet",
                    {"column": col.name, "value_set": list(col.allowed)},
                    (col.name,),
                    d.in_set(col.name, _header(col), col.allowed, _module(c)),
                )
            )
        if col.min_value is not None or col.max_value is not None:
            kwargs: dict[str, Any] = {"column": col.name}
            if col.min_value is not None:
                kwargs["min_value"] = col.min_value
            if col.max_value is not None:
                kwargs["max_value"] = col.max_value
            out.append(
                _check(
                    c,
                    "between",
                    col.name,
                    "ExpectColumnValuesToBeBetween",
                    kwargs,
                    (col.name,),
                    d.between(col.name, _header(col), col.min_value, col.max_value),
                )
            )
        if col.pattern:
            out.append(
                _check(
                    c,
                    "regex",
                    col.name,
                    "ExpectColumnValuesToMatchRegex",
                    {"column": col.name, "regex": col.pattern},
                    (col.name,),
                    d.regex(col.name, _header(col), col.pattern),
                )
            )
        if col.semantic == "birth_year" and col.max_value is None:
            query = (
                f"select {', '.join(LINEAGE)}, {col.name} from {{batch}} "
                f"where {col.name} > extract(year from current_date)"
            )
            out.append(
                _check(
                    c,
                    "not_future",
                    col.name,
                    QUERY_EXPECTATION,
                    {"unexpected_rows_query": query},
                    (col.name,),
                    d.not_future(col.name, _header(col)),
                )
            )
    return out


def _rule_check(c: Contract, rule: Rule) -> Check:
    if rule.kind == "le":
        kwargs = {
            "column_A": rule.right,
            "column_B": rule.left,
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        }
        return _check(
            c,
            "pair_le",
            rule.name,
            "ExpectColumnPairValuesAToBeGreaterThanB",
            kwargs,
            (rule.left, rule.right or ""),
            d.pair_le(rule.left, rule.right or ""),
            rule.severity,
        )
    if rule.kind == "not_before":
        kwargs = {
            "column_A": rule.left,
            "column_B": rule.right,
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        }
        return _check(
            c,
            "not_before",
            rule.name,
            "ExpectColumnPairValuesAToBeGreaterThanB",
            kwargs,
            (rule.left, rule.right or ""),
            d.not_before(rule.left, rule.right or ""),
            rule.severity,
        )
    # age_between: age on 31 December of the period's first calendar year
    assert rule.low is not None and rule.high is not None
    first_year = _period_first_year(c)
    # on 31 December the age is the difference of the years: no age() per row
    age = f"({first_year}) - cast(extract(year from {rule.left}) as integer)"
    query = (
        f"select {', '.join(LINEAGE)}, {rule.left}, {c.period_column} from {{batch}} "
        f"where {rule.left} is not null and ({first_year}) is not null "
        f"and {age} not between {rule.low} and {rule.high}"
    )
    return _check(
        c,
        "age_between",
        rule.name,
        QUERY_EXPECTATION,
        {"unexpected_rows_query": query},
        (rule.left, c.period_column or ""),
        d.age_between(rule.left, rule.low, rule.high),
        rule.severity,
    )


def _reference_checks(c: Contract) -> list[Check]:
    out: list[Check] = []
    for ref in c.references:
        target = CONTRACTS[ref.source]
        on = [f"t.{ref.target_column} = b.{ref.column}"]
        cols = [ref.column]
        present = [f"b.{ref.column} is not null"]
        if ref.same_period and c.period_column and target.period_column:
            on.append(f"t.{target.period_column} = b.{c.period_column}")
            cols.append(c.period_column)
            present.append(f"b.{c.period_column} is not null")
        query = (
            f"select {', '.join('b.' + x for x in (*LINEAGE, *cols))} from {{batch}} b "
            f"left join {target.table} t on {' and '.join(on)} "
            f"where {' and '.join(present)} and t.{ref.target_column} is null"
        )
        out.append(
            _check(
                c,
                "reference",
                f"{ref.column}->{ref.source}",
                QUERY_EXPECTATION,
                {"unexpected_rows_query": query},
                tuple(cols),
                d.reference(
                    ref.column,
                    target.table,
                    ref.target_column,
                    ref.same_period and bool(c.period_column),
                    _period_noun(c),
                ),
            )
        )
    return out


def _ward_checks(c: Contract) -> list[Check]:
    out: list[Check] = []
    period = _period_text(c, "b.")
    if period is None:
        return out
    for col in c.columns:
        if col.semantic != "ward_code":
            continue
        query = (
            f"select {', '.join('b.' + x for x in (*LINEAGE, col.name, c.period_column or ''))} "
            f"from {{batch}} b join {WARD_PERIODS_TABLE} p on p.period = {period} "
            f"left join {WARD_CODES_TABLE} w on w.period = p.period and w.ward_code = b.{col.name} "
            f"where b.{col.name} is not null and w.ward_code is null"
        )
        out.append(
            _check(
                c,
                "ward_code",
                col.name,
                QUERY_EXPECTATION,
                {"unexpected_rows_query": query},
                (col.name, c.period_column or ""),
                d.ward_code(col.name, c.period_column or ""),
            )
        )
    return out


def ward_scope_column(c: Contract) -> str | None:
    """The ward column of the key (files of such sources cover a set of wards, e.g. one district)."""
    for name in c.key:
        if c.column(name).semantic == "ward_code":
            return name
    return None


def _drift_check(c: Contract) -> Check | None:
    if c.period_kind not in SNAPSHOT_PERIOD_KINDS:
        return None
    band = drift_band(c.source)
    scope = ward_scope_column(c)
    scope_sql = (
        f" and exists (select 1 from {c.table} r join {{batch}} x on x.{scope} = r.{scope} "
        f"where r._file_id = pm.file_id and x._file_id = f.file_id)"
        if scope
        else ""
    )
    query = (
        "select c.file_id as _file_id, c.rows_loaded, c.previous_file_id, c.previous_rows_loaded, "
        "round(100.0 * (c.rows_loaded - c.previous_rows_loaded) / c.previous_rows_loaded, 1) as change_percent "
        "from (select f.file_id, f.rows_loaded, p.file_id as previous_file_id, "
        "p.rows_loaded as previous_rows_loaded "
        "from (select b._file_id as file_id, count(*) as rows_loaded from {batch} b group by b._file_id) f "
        "join audit.load_manifest m on m.file_id = f.file_id "
        "cross join lateral (select pm.file_id, pm.rows_loaded from audit.load_manifest pm "
        "where pm.source = m.source and pm.status = 'loaded' and pm.file_id < m.file_id "
        "and pm.rows_loaded > 0 "
        "and (pm.periods && m.periods or (cardinality(pm.periods) = 0 and cardinality(m.periods) = 0))"
        f"{scope_sql} order by pm.file_id desc limit 1) p) c "
        f"where abs(c.rows_loaded - c.previous_rows_loaded) > {band} * c.previous_rows_loaded"
    )
    return _check(
        c,
        "row_count_drift",
        "",
        QUERY_EXPECTATION,
        {"unexpected_rows_query": query},
        (),
        d.row_count_drift(band, scope is not None),
    )


def _freshness_check(c: Contract) -> Check:
    days = c.freshness_days
    if c.period_kind in ("date", "timestamp"):
        col = c.period_column
        query = (
            f"select cast(max({col}) as date) as latest_period, current_date - cast(max({col}) as date) "
            f"as age_days, {days} as freshness_days from {{batch}} "
            f"having current_date - cast(max({col}) as date) > {days}"
        )
        basis = "period"
    else:
        query = (
            "select max(received_at) as latest_received_at, "
            f"date_part('day', now() - max(received_at)) as age_days, {days} as freshness_days "
            f"from audit.load_manifest where source = {_sql_literal(c.source)} and status = 'loaded' "
            "and exists (select 1 from {batch}) "
            f"having max(received_at) < now() - interval '{days} days'"
        )
        basis = "received_at"
    return _check(
        c, "freshness", "", QUERY_EXPECTATION, {"unexpected_rows_query": query}, (), d.freshness(days, basis)
    )


def raw_checks(contract: Contract) -> list[Check]:
    """The checks of one raw table, in a stable order."""
    checks = _column_checks(contract)
    checks += [_rule_check(contract, r) for r in contract.rules]
    checks += _reference_checks(contract)
    checks += _ward_checks(contract)
    drift = _drift_check(contract)
    if drift is not None:
        checks.append(drift)
    checks.append(_freshness_check(contract))
    return checks


# -- mart checks -------------------------------------------------------------------------------------


def _mart_check(
    kind: str, expectation: str, kwargs: dict[str, Any], columns: tuple[str, ...], description: Description
) -> Check:
    return Check(
        check_id=f"indicator_values.{kind}",
        suite=MARTS_SUITE,
        source=None,
        table=MARTS_TABLE,
        kind=kind,
        expectation=expectation,
        kwargs=kwargs,
        columns=columns,
        severity=SEVERITY[kind],
        description=description,
    )


def _pct_query(condition: str) -> str:
    """Rows of the % indicators meeting ``condition``; ``{bounded_out}`` in it is true for the indicators
    of the catalogue whose value may exceed 100 (numerator and denominator from different sources)."""
    bounded_out = (
        f"indicator_code in (select c.indicator_code from {CATALOGUE_TABLE} c where c.can_exceed_100)"
    )
    return (
        "select indicator_code, admin_structure, admin_level, admin_unit_code, period, breakdown, "
        "numerator, denominator, value from {batch} "
        f"where unit = '%' and value is not null and ({condition.format(bounded_out=bounded_out)})"
    )


def mart_checks() -> list[Check]:
    coverage = (
        "select i.indicator_code, i.period, i.breakdown, i.admin_structure, u.province_code, "
        "count(*) as missing_wards, min(u.unit_code) as first_missing_ward "
        "from (select distinct b.indicator_code, b.period, b.breakdown, b.admin_structure from {batch} b "
        "where b.admin_level = 'ward') i "
        "join (select distinct p.admin_structure, p.admin_unit_code from {batch} p "
        "where p.admin_level = 'province') c on c.admin_structure = i.admin_structure "
        f"join {ADMIN_UNITS_TABLE} u on u.structure = i.admin_structure and u.admin_level = 'ward' "
        "and u.province_code = c.admin_unit_code "
        "left join {batch} v on v.indicator_code = i.indicator_code and v.period = i.period "
        "and v.breakdown is not distinct from i.breakdown and v.admin_level = 'ward' "
        "and v.admin_unit_code = u.unit_code "
        "where v.indicator_code is null "
        "group by i.indicator_code, i.period, i.breakdown, i.admin_structure, u.province_code"
    )
    return [
        _mart_check(
            "mart_grain_unique",
            "ExpectCompoundColumnsToBeUnique",
            {"column_list": list(MART_KEY)},
            MART_KEY,
            d.mart_grain_unique(),
        ),
        _mart_check(
            "pct_range",
            QUERY_EXPECTATION,
            {"unexpected_rows_query": _pct_query("value < 0 or (value > 100 and not {bounded_out})")},
            ("value",),
            d.pct_range(),
        ),
        _mart_check(
            "numerator_le_denominator",
            QUERY_EXPECTATION,
            {
                "unexpected_rows_query": _pct_query(
                    "numerator is not null and denominator is not null and numerator > denominator "
                    "and not {bounded_out}"
                )
            },
            ("numerator", "denominator"),
            d.numerator_le_denominator(),
        ),
        _mart_check(
            "coverage_over_100",
            QUERY_EXPECTATION,
            {"unexpected_rows_query": _pct_query("value > 100 and {bounded_out}")},
            ("value",),
            d.coverage_over_100(),
        ),
        _mart_check(
            "ward_coverage",
            QUERY_EXPECTATION,
            {"unexpected_rows_query": coverage},
            ("admin_unit_code",),
            d.ward_coverage(),
        ),
    ]


def all_checks() -> dict[str, list[Check]]:
    """Suite name -> checks, for every raw table and the marts."""
    suites = {raw_suite_name(c.source): raw_checks(c) for c in CONTRACTS.values()}
    suites[MARTS_SUITE] = mart_checks()
    return suites


# -- failing-row samples -----------------------------------------------------------------------------


def substitute_batch(query: str, relation: str) -> str:
    """Put the batch relation into a ``{batch}`` query the way Great Expectations does.

    Queries with a join alias the batch themselves (``{batch} b``); the others get ``AS subselect``.
    """
    import re

    has_join = re.search(r"\bjoin\b", query, flags=re.IGNORECASE) is not None
    return query.format(batch=f"({relation})" if has_join else f"({relation}) AS subselect")


def _condition_sql(kwargs: dict[str, Any]) -> str:
    cond = kwargs.get("row_condition")
    if not cond:
        return "true"
    # the only row condition the suites use: col("unit")=="%"
    column, value = cond.split("==")
    return f"{column.strip()[5:-2]} = {_sql_literal(value.strip().strip(chr(34)))}"


def sample_sql(check: Check, relation: str, limit: int) -> str:
    """SQL returning up to ``limit`` failing rows of ``check`` in ``relation`` (a SELECT of the batch)."""
    if check.query:
        return f"select * from ({substitute_batch(check.query, relation)}) s limit {limit}"
    ident = LINEAGE if check.source else MART_KEY
    kw = check.kwargs
    cond = _condition_sql(kw)
    if check.kind in ("unique", "compound_unique", "mart_grain_unique"):
        cols = list(kw.get("column_list") or [kw["column"]])
        tup = ", ".join(cols)
        select = ", ".join(dict.fromkeys((*ident, *cols)))
        return (
            f"select {select} from ({relation}) s where ({tup}) in (select {tup} from ({relation}) g "
            f"group by {tup} having count(*) > 1) order by {tup} limit {limit}"
        )
    if "column_A" in kw:
        a, b = kw["column_A"], kw["column_B"]
        op = ">=" if kw.get("or_equal") else ">"
        select = ", ".join(dict.fromkeys((*ident, b, a)))
        return (
            f"select {select} from ({relation}) s where {cond} and {a} is not null and {b} is not null "
            f"and not ({a} {op} {b}) limit {limit}"
        )
    col = kw["column"]
    select = ", ".join(dict.fromkeys((*ident, col)))
    if check.kind == "not_null":
        where = f"{col} is null"
    elif check.kind == "in_set":
        where = f"{col} is not null and cast({col} as text) not in ({', '.join(map(_sql_literal, kw['value_set']))})"
    elif check.kind in ("between", "pct_range"):
        parts = []
        if "min_value" in kw:
            parts.append(f"{col} < {kw['min_value']}")
        if "max_value" in kw:
            parts.append(f"{col} > {kw['max_value']}")
        where = f"{col} is not null and ({' or '.join(parts)})"
    elif check.kind == "regex":
        where = f"{col} is not null and not (cast({col} as text) ~ {_sql_literal(kw['regex'])})"
    else:
        raise ValueError(f"no sample query for check kind {check.kind!r}")
    return f"select {select} from ({relation}) s where {cond} and {where} limit {limit}"
