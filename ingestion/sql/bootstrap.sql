-- Schemas, roles and audit tables of the warehouse. Idempotent: run on every start of a run.
-- Executed by ingestion.warehouse.bootstrap() inside one transaction under an advisory lock.

create extension if not exists pgcrypto;

create schema if not exists raw;
create schema if not exists audit;
create schema if not exists staging;
create schema if not exists intermediate;
create schema if not exists marts;
create schema if not exists reporting;
create schema if not exists reference;  -- dbt seeds: admin units, crosswalk, code lists, catalogue

-- audit.load_manifest: one row per delivered file (and per attempt for rejected files).
create table if not exists audit.load_manifest (
    file_id           bigserial primary key,
    source            text        not null,
    path              text        not null,
    file_name         text        not null,
    sha256            text        not null,
    size_bytes        bigint      not null,
    received_at       timestamptz not null,
    loaded_at         timestamptz not null default now(),
    rows_in           integer     not null default 0,
    rows_loaded       integer     not null default 0,
    rows_quarantined  integer     not null default 0,
    rows_excluded     integer     not null default 0,
    status            text        not null check (status in ('loaded', 'rejected', 'duplicate')),
    error             text,
    warnings          jsonb       not null default '[]'::jsonb,
    periods           text[]      not null default '{}',
    duplicate_of      bigint      references audit.load_manifest (file_id),
    run_id            text        not null,
    constraint load_manifest_conservation
        check (status <> 'loaded' or rows_in = rows_loaded + rows_quarantined)
);
-- seconds from the start of the file's load transaction to its last COPY (added after the first release)
alter table audit.load_manifest add column if not exists load_seconds numeric(12, 3);
create unique index if not exists load_manifest_loaded_sha256
    on audit.load_manifest (source, sha256) where status = 'loaded';
create index if not exists load_manifest_run on audit.load_manifest (run_id);

-- audit.quarantine: one row per rejected row, with the record exactly as read.
create table if not exists audit.quarantine (
    quarantine_id   bigserial primary key,
    file_id         bigint      not null references audit.load_manifest (file_id),
    source          text        not null,
    sheet           text,
    row_number      integer     not null,
    raw_record      jsonb       not null,
    errors          jsonb       not null,
    run_id          text        not null,
    quarantined_at  timestamptz not null default now()
);
create index if not exists quarantine_file on audit.quarantine (file_id);
create index if not exists quarantine_run on audit.quarantine (run_id);

-- audit.validation_results: one row per expectation per validation run.
create table if not exists audit.validation_results (
    result_id           bigserial primary key,
    run_id              text        not null,
    validated_at        timestamptz not null default now(),
    source              text,
    table_name          text        not null,
    suite               text        not null,
    expectation         text        not null,
    column_name         text,
    success             boolean,
    observed_value      text,
    unexpected_count    bigint,
    unexpected_percent  numeric,
    severity            text        not null check (severity in ('error', 'warning')),
    kwargs              jsonb       not null default '{}'::jsonb,
    details             jsonb       not null default '{}'::jsonb
);
create index if not exists validation_results_run on audit.validation_results (run_id);

-- audit.run_log: one row per step of a run.
create table if not exists audit.run_log (
    log_id       bigserial primary key,
    run_id       text        not null,
    step         text        not null,
    status       text        not null,
    started_at   timestamptz not null default now(),
    finished_at  timestamptz,
    message      text,
    details      jsonb       not null default '{}'::jsonb
);
create index if not exists run_log_run on audit.run_log (run_id);

-- audit.dbt_state: what the last successful build of the dbt models covered: the fingerprint of the
-- dbt project it built and the last file of audit.load_manifest it saw. The next nightly builds only
-- what is downstream of the raw tables that received files since; with no row here, a changed
-- project or full_refresh, it builds everything.
create table if not exists audit.dbt_state (
    state_id             integer     primary key check (state_id = 1),
    run_id               text        not null,
    saved_at             timestamptz not null default now(),
    max_file_id          bigint      not null,
    project_fingerprint  text        not null
);
