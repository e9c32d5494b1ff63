-- Group roles of the warehouse (shared/spec/warehouse.md). NOLOGIN: grant them to login users.
do $$
begin
    if not exists (select from pg_roles where rolname = 'loader') then create role loader nologin; end if;
    if not exists (select from pg_roles where rolname = 'transformer') then create role transformer nologin; end if;
    if not exists (select from pg_roles where rolname = 'analyst') then create role analyst nologin; end if;
    if not exists (select from pg_roles where rolname = 'auditor') then create role auditor nologin; end if;
end
$$;

-- loader: write raw and audit.
grant usage, create on schema raw, audit to loader;
grant select, insert, update, delete on all tables in schema raw, audit to loader;
grant usage on all sequences in schema audit to loader;
alter default privileges in schema raw grant select, insert, update, delete on tables to loader;
alter default privileges in schema audit grant select, insert, update, delete on tables to loader;
alter default privileges in schema audit grant usage on sequences to loader;

-- transformer: read raw, write staging, intermediate, marts, reporting (dbt); write dbt test failures to audit.
grant usage on schema raw to transformer;
grant select on all tables in schema raw to transformer;
alter default privileges in schema raw grant select on tables to transformer;
grant usage, create on schema staging, intermediate, marts, reporting, reference, audit to transformer;

-- analyst: marts, reporting and the reference seeds only (no raw, no personal data).
grant usage on schema marts, reporting, reference to analyst;
grant select on all tables in schema marts, reporting, reference to analyst;
alter default privileges in schema reference grant select on tables to analyst;
alter default privileges in schema marts grant select on tables to analyst;
alter default privileges in schema reporting grant select on tables to analyst;

-- auditor: audit, reporting, marts and the reference seeds.
grant usage on schema audit, marts, reporting, reference to auditor;
grant select on all tables in schema audit, marts, reporting, reference to auditor;
alter default privileges in schema reference grant select on tables to auditor;
alter default privileges in schema audit grant select on tables to auditor;
alter default privileges in schema marts grant select on tables to auditor;
alter default privileges in schema reporting grant select on tables to auditor;
