"""`make bench`: the HCMC-scale nightly run, measured (not part of `make test`).

Every step runs in its own process so that its peak memory (max RSS of the process and the processes
it waited for, e.g. dbt) is measured on its own. Results go to ``bench/results.json`` and
``bench/results.md``; the README shows the latest table.

Steps, on a fresh database ``lcp_bench`` of the warehouse in use:
1. emis_students with our loader vs PostgreSQL COPY of the same rows from a clean CSV into the same
   table, indexes included (the physical limit here) vs pandas ``DataFrame.to_sql`` (on a sample of
   rows: at full size it takes far longer than everything else together; rows/s is what is compared);
2. Great Expectations validation of that batch (``validation_s``; importing great_expectations, once
   per process, is ``validation_import_s``);
3. the full nightly DAG on the whole HCMC-scale landing folder (``full_nightly_s``; from the run's
   audit trail, ``load_s`` is the sum of its file loads and ``nightly_validation_s`` its GE step);
4. ``dbt build --full-refresh``;
5. the nightly increment: one more day of loans and visits, EMIS unchanged (``increment_s``);
6. peak memory of each step, and of the loader on half the input (memory must stay flat).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from .config import REPO_ROOT

BENCH_DIR = REPO_ROOT / "bench"
DATA_DIR = BENCH_DIR / "data"
DB_NAME = "lcp_bench"
TO_SQL_SAMPLE = 200_000


def _machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB RAM, Python {platform.python_version()}"


def _run_step(name: str, args: list[str], env: dict[str, str]) -> dict:
    """Run ``python -m ingestion.bench step <args>`` and return its JSON result plus peak RSS."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingestion.bench", "step", *args], env=env, stdout=subprocess.PIPE, text=True
    )
    out, _ = proc.communicate()
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"bench step {name} failed (exit {proc.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_s"] = round(wall, 2)
    print(f"  {name:<28} {wall:8.1f} s   peak RSS {result['peak_rss_mb']:8.0f} MB", flush=True)
    return result


def _peak_rss_mb() -> float:
    """Peak resident memory of this step: the process itself (VmHWM: its high-water mark since it was
    exec'd — ru_maxrss would also count the memory of the parent it was forked from) and the largest of
    the processes it waited for (dbt, airflow)."""
    own_kb = 0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own_kb = int(line.split()[1])
    except OSError:
        own_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own_kb, children_kb) / 1024


# -- steps (run in a child process) ---------------------------------------------------------------
def step_load(source: str, path: str, run_id: str) -> dict:
    from .loader import load_file

    eng = sa.create_engine(os.environ["LCP_WAREHOUSE_URL"])
    t = time.monotonic()
    row = load_file(source, Path(path), run_id=run_id, engine=eng)
    s = time.monotonic() - t
    return {"seconds": s, "rows": row["rows_in"], "status": row["status"], "peak_rss_mb": _peak_rss_mb()}


def step_copy(csv_path: str) -> dict:
    """PostgreSQL COPY of an already clean CSV into a table shaped like raw.emis_students."""
    eng = sa.create_engine(os.environ["LCP_WAREHOUSE_URL"])
    raw = eng.raw_connection()
    try:
        cur = raw.cursor()
        # the loader's table, indexes included (the loader maintains raw's index on _file_id too)
        cur.execute(
            "drop table if exists public.bench_copy; create table public.bench_copy "
            "(like raw.emis_students including all)"
        )
        cols = _student_columns(cur)
        t = time.monotonic()
        with open(csv_path, encoding="utf-8") as fh:
            cur.copy_expert(
                f"copy public.bench_copy ({', '.join(cols)}) from stdin with (format csv, header true)", fh
            )
        raw.commit()
        s = time.monotonic() - t
        cur.execute("select count(*) from public.bench_copy")
        rows = cur.fetchone()[0]
        cur.execute("drop table public.bench_copy")
        raw.commit()
    finally:
        raw.close()
    return {"seconds": s, "rows": rows, "peak_rss_mb": _peak_rss_mb()}


def step_to_sql(csv_path: str, sample: int) -> dict:
    import pandas as pd

    eng = sa.create_engine(os.environ["LCP_WAREHOUSE_URL"])
    df = pd.read_csv(csv_path, nrows=sample, dtype=str)
    t = time.monotonic()
    df.to_sql("bench_to_sql", eng, schema="public", if_exists="replace", index=False, chunksize=10_000)
    s = time.monotonic() - t
    with eng.begin() as conn:
        conn.execute(sa.text("drop table public.bench_to_sql"))
    return {"seconds": s, "rows": len(df), "peak_rss_mb": _peak_rss_mb()}


def step_validate(run_id: str) -> dict:
    """Great Expectations on the batch. Importing great_expectations (about 8 s, once per process) is
    timed apart from the validation itself."""
    t = time.monotonic()
    import great_expectations  # noqa: F401

    from .quality.validate import validate_batch

    imported = time.monotonic()
    summary = validate_batch(run_id, url=os.environ["LCP_WAREHOUSE_URL"])
    return {
        "seconds": time.monotonic() - imported,
        "import_seconds": imported - t,
        "checks": len(summary.results),
        "peak_rss_mb": _peak_rss_mb(),
    }


def step_dbt_full() -> dict:
    from .dbt_runner import run_dbt

    t = time.monotonic()
    run_dbt(["build", "--full-refresh"], os.environ["LCP_WAREHOUSE_URL"])
    return {"seconds": time.monotonic() - t, "peak_rss_mb": _peak_rss_mb()}


def step_dag(landing: str, output: str) -> dict:
    env = {**os.environ, "LCP_OUTPUT_DIR": output}
    conf = json.dumps({"landing_dir": landing, "full_refresh": False})
    t = time.monotonic()
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("airflow")), "dags", "test", "learning_city_nightly", "-c", conf],
        env=env,
        capture_output=True,
        text=True,
    )
    s = time.monotonic() - t
    (Path(output) / "bench-dag.log").write_text(proc.stdout + proc.stderr)
    eng = sa.create_engine(os.environ["LCP_WAREHOUSE_URL"])
    with eng.connect() as conn:
        status = conn.execute(
            sa.text("select status from audit.run_log where step='finish' order by log_id desc limit 1")
        ).scalar()
        # the run's own timings, from its audit trail: loading its files and validating them (GE)
        run = conn.execute(
            sa.text(
                "select run_id, cast(details ->> 'seconds' as numeric) from audit.run_log"
                " where step = 'validate_batch' order by log_id desc limit 1"
            )
        ).first()
        load_s = conn.execute(
            sa.text("select coalesce(sum(load_seconds), 0) from audit.load_manifest where run_id = :r"),
            {"r": run[0] if run else ""},
        ).scalar()
    return {
        "seconds": s,
        "status": status,
        "exit": proc.returncode,
        "load_s": float(load_s or 0),
        "validation_s": float(run[1]) if run and run[1] is not None else None,
        "peak_rss_mb": _peak_rss_mb(),
    }


def step_export_clean_csv(out: str) -> dict:
    """The loaded students, exported as a clean CSV (the input of the COPY and to_sql baselines)."""
    eng = sa.create_engine(os.environ["LCP_WAREHOUSE_URL"])
    raw = eng.raw_connection()
    try:
        cur = raw.cursor()
        cols = _student_columns(cur)
        with open(out, "w", encoding="utf-8") as fh:
            cur.copy_expert(
                f"copy (select {', '.join(cols)} from raw.emis_students) to stdout with (format csv, header true)",
                fh,
            )
    finally:
        raw.close()
    return {"seconds": 0.0, "peak_rss_mb": _peak_rss_mb()}


def _student_columns(cur) -> list[str]:
    cur.execute(
        "select column_name from information_schema.columns where table_schema='raw' "
        "and table_name='emis_students' order by ordinal_position"
    )
    return [r[0] for r in cur.fetchall()]


# -- orchestration ------------------------------------------------------------------------------------
def _fresh_database(server_url: str) -> str:
    base = sa.make_url(server_url)
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{DB_NAME}" with (force)'))
        conn.execute(sa.text(f'create database "{DB_NAME}"'))
    admin.dispose()
    url = base.set(database=DB_NAME).render_as_string(hide_password=False)
    from .warehouse import bootstrap

    bootstrap(sa.create_engine(url))
    return url


def run(scale: float, seed: int) -> dict:
    from .envvars import project_env
    from .warehouse import warehouse_url

    landing = DATA_DIR / f"landing_{scale}"
    half = DATA_DIR / f"landing_{scale / 2}"
    output = DATA_DIR / "output"
    output.mkdir(parents=True, exist_ok=True)
    print(f"Benchmark at scale {scale} on {_machine()}", flush=True)
    env = {**os.environ, "LCP_OUTPUT_DIR": str(output)}
    # generated in child processes, so that this process stays small: a child's peak memory counts the
    # memory of the process it was forked from
    for folder, size in ((landing, scale), (half, scale / 2)):
        if not (folder / ".complete").exists():
            _run_step(f"generate scale {size}", ["generate", str(folder), str(size), str(seed)], env)
            (folder / ".complete").write_text("ok")
    _remove_increments(landing)

    url = _fresh_database(warehouse_url())
    env.update(project_env(url))
    schools = sorted((landing / "emis_schools").iterdir())[0]
    students = sorted((landing / "emis_students").iterdir())[0]
    half_students = sorted((half / "emis_students").iterdir())[0]
    clean_csv = DATA_DIR / "students_clean.csv"

    # 1. loader vs COPY vs to_sql on emis_students (half input first, on its own database)
    half_url = url
    _run_step(
        "load schools",
        ["load", "emis_schools", str(sorted((half / "emis_schools").iterdir())[0]), "bench-half"],
        env,
    )
    half_load = _run_step(
        "loader, half input", ["load", "emis_students", str(half_students), "bench-half"], env
    )
    url = _fresh_database(half_url)
    env.update(project_env(url))
    _run_step("load schools", ["load", "emis_schools", str(schools), "bench-load"], env)
    load = _run_step("loader (emis_students)", ["load", "emis_students", str(students), "bench-load"], env)
    validation = _run_step("GE validation of the batch", ["validate", "bench-load"], env)
    _run_step("export clean CSV", ["export-clean", str(clean_csv)], env)
    copy = _run_step("PostgreSQL COPY baseline", ["copy", str(clean_csv)], env)
    to_sql = _run_step("pandas to_sql baseline", ["to_sql", str(clean_csv), str(TO_SQL_SAMPLE)], env)

    # 2. the full nightly on the whole landing folder, then dbt full refresh, then the increment
    url = _fresh_database(url)
    env.update(project_env(url))
    nightly = _run_step("full nightly DAG", ["dag", str(landing), str(output)], env)
    dbt_full = _run_step("dbt build --full-refresh", ["dbt-full"], env)
    day = date(scale_year(landing) + 1, 1, 1)
    _run_step(
        "generate the next day", ["increment", str(landing), day.isoformat(), str(scale), str(seed)], env
    )
    increment = _run_step("nightly increment (1 day)", ["dag", str(landing), str(output)], env)

    rows = load["rows"]
    results = {
        "scale": scale,
        "rows_students": rows,
        "loader_rows_per_s": round(rows / load["seconds"]),
        "copy_rows_per_s": round(copy["rows"] / copy["seconds"]),
        "to_sql_rows_per_s": round(to_sql["rows"] / to_sql["seconds"]),
        "loader_vs_copy_ratio": round((rows / load["seconds"]) / (copy["rows"] / copy["seconds"]), 3),
        "loader_vs_to_sql_speedup": round((rows / load["seconds"]) / (to_sql["rows"] / to_sql["seconds"]), 1),
        "validation_s": round(validation["seconds"], 1),
        "validation_import_s": round(validation["import_seconds"], 1),
        "load_s": round(nightly["load_s"], 1),
        "nightly_validation_s": round(nightly["validation_s"] or 0, 1),
        "increment_load_s": round(increment["load_s"], 1),
        "increment_validation_s": round(increment["validation_s"] or 0, 1),
        "loader_students_s": round(load["seconds"], 1),
        "dbt_full_s": round(dbt_full["seconds"], 1),
        "full_nightly_s": round(nightly["seconds"], 1),
        "full_nightly_status": nightly["status"],
        "increment_s": round(increment["seconds"], 1),
        "increment_status": increment["status"],
        "peak_rss_mb": round(max(s["peak_rss_mb"] for s in (load, validation, nightly, dbt_full, increment))),
        "peak_rss_mb_half_input": round(half_load["peak_rss_mb"]),
        "peak_rss_mb_by_step": {
            "loader": round(load["peak_rss_mb"]),
            "loader_half_input": round(half_load["peak_rss_mb"]),
            "validation": round(validation["peak_rss_mb"]),
            "full_nightly": round(nightly["peak_rss_mb"]),
            "dbt_full": round(dbt_full["peak_rss_mb"]),
            "increment": round(increment["peak_rss_mb"]),
        },
        "to_sql_sample_rows": to_sql["rows"],
        "machine": _machine(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    BENCH_DIR.mkdir(exist_ok=True)
    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown_table(results)
    (BENCH_DIR / "results.md").write_text(table)
    _update_readme(table)
    print("\n" + table)
    return results


README_BEGIN, README_END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _update_readme(table: str) -> None:
    """Put the latest table into README.md between its bench markers (the README shows the last run)."""
    readme = REPO_ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_BEGIN not in text or README_END not in text:
        return
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_BEGIN}\n{table}{README_END}{tail}", encoding="utf-8")


def step_generate(out: str, scale: str, seed: str) -> dict:
    from .sample import generate

    t = time.monotonic()
    generate(Path(out), scale=float(scale), seed=int(seed))
    return {"seconds": time.monotonic() - t, "peak_rss_mb": _peak_rss_mb()}


def step_increment(out: str, day: str, scale: str, seed: str) -> dict:
    from .sample import generate_increment

    t = time.monotonic()
    generate_increment(Path(out), day=date.fromisoformat(day), scale=float(scale), seed=int(seed))
    return {"seconds": time.monotonic() - t, "peak_rss_mb": _peak_rss_mb()}


def _remove_increments(landing: Path) -> None:
    """Drop the one-day files an earlier benchmark added, so the full nightly loads the same year."""
    import re

    for folder in ("library_loans", "library_visits"):
        for path in (landing / folder).glob("*.csv"):
            if re.search(r"_\d{4}-\d{2}-\d{2}\.csv$", path.name):
                path.unlink()


def scale_year(landing: Path) -> int:
    names = sorted(p.name for p in (landing / "library_loans").iterdir())
    return int(names[0].split("_")[1][:4])


def markdown_table(r: dict) -> str:
    targets = {
        "full_nightly_s": ("≤ 300 s", r["full_nightly_s"] <= 300),
        "loader_vs_copy_ratio": ("≥ 0.60", r["loader_vs_copy_ratio"] >= 0.6),
        "loader_vs_to_sql_speedup": ("≥ 10×", r["loader_vs_to_sql_speedup"] >= 10),
        "increment_s": ("≤ 60 s", r["increment_s"] <= 60),
        "peak_rss_mb": ("≤ 1536 MB", r["peak_rss_mb"] <= 1536),
        "validation_s": (
            f"≤ 25% of load ({0.25 * r['loader_students_s']:.1f} s)",
            r["validation_s"] <= 0.25 * r["loader_students_s"],
        ),
        "nightly_validation_s": (
            f"≤ 25% of load_s ({0.25 * r['load_s']:.1f} s)",
            r["nightly_validation_s"] <= 0.25 * r["load_s"],
        ),
    }
    lines = [
        f"Benchmark at scale {r['scale']} ({r['rows_students']:,} students) — {r['machine']}, {r['measured_at']}",
        "",
        "| measure | value | target | met |",
        "|---|---|---|---|",
    ]
    for key in (
        "loader_rows_per_s",
        "copy_rows_per_s",
        "to_sql_rows_per_s",
        "loader_vs_copy_ratio",
        "loader_vs_to_sql_speedup",
        "loader_students_s",
        "validation_s",
        "validation_import_s",
        "load_s",
        "nightly_validation_s",
        "dbt_full_s",
        "full_nightly_s",
        "increment_s",
        "peak_rss_mb",
        "peak_rss_mb_half_input",
    ):
        target, met = targets.get(key, ("", None))
        lines.append(f"| {key} | {r[key]:,} | {target} | {'' if met is None else ('yes' if met else 'no')} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "step":
        kind, *rest = argv[1:]
        steps = {
            "load": lambda: step_load(rest[0], rest[1], rest[2]),
            "copy": lambda: step_copy(rest[0]),
            "to_sql": lambda: step_to_sql(rest[0], int(rest[1])),
            "validate": lambda: step_validate(rest[0]),
            "dbt-full": step_dbt_full,
            "dag": lambda: step_dag(rest[0], rest[1]),
            "export-clean": lambda: step_export_clean_csv(rest[0]),
            "generate": lambda: step_generate(rest[0], rest[1], rest[2]),
            "increment": lambda: step_increment(rest[0], rest[1], rest[2], rest[3]),
        }
        print(json.dumps(steps[kind](), default=str))
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m ingestion.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", type=float, default=float(os.environ.get("SCALE_BENCH", "1.0")))
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    run(args.scale, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
