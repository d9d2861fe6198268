"""`make bench`: measured figures on a synthetic Germany, written to benchmarks/results/.

    python -m benchmarks [--db sqlite|postgres] [--size full|small] [--only pages,http,…]
                         [--skip-generate] [--keep] [--database NAME] [--repetitions N]

1. A scratch database: a SQLite file under var/bench/ or a new PostgreSQL database
   ``initiativek_bench_<pid>`` (dropped at the end unless --keep), migrated and filled by
   ``generate_synthetic`` (full: 11,300 organizations, 100,000 projects, 2,000 events, 200,000
   registrations, 11,000 questionnaire responses). --skip-generate reuses the SQLite file or,
   with --database, an existing PostgreSQL database.
2. Every bench module ``benchmarks/bench_<name>.py`` that exists (``run(ctx)``, see
   ``benchmarks/common.py``), then the matching engine alone (``bench_matching``, no Django)
   and the import of the official municipality directory, each in a process of its own.
3. ``benchmarks/results/<date>-<db>.json`` and a Markdown table ``<date>-<db>.md`` (``-small``
   appended at the small size), also printed.
"""

import argparse
import importlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks.common import (  # noqa: E402 – after the path is set
    BENCH_VAR,
    OFFICIAL_DIRECTORY,
    RESULTS_DIR,
    SIZES,
    Context,
    Result,
    django_environment,
    echo,
    generate_arguments,
    load_average,
    markdown_table,
    postgres_admin,
    with_database,
    write_results,
)

# Django bench modules, in this order: the pages read, registrations write, HTTP last.
DJANGO_BENCHES = ("pages", "registrations", "http")
OWN_PROCESS_BENCHES = ("matching", "import")
ALL_BENCHES = DJANGO_BENCHES + OWN_PROCESS_BENCHES
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", choices=tuple(SIZES), default="full")
    parser.add_argument("--only", default="", help="comma-separated: " + ",".join(ALL_BENCHES))
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--database", default="", help="existing PostgreSQL database to use")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="server to create the scratch database on (its database name is ignored)",
    )
    parser.add_argument("--repetitions", type=int, default=30, help="timed requests per measure")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--import-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(ALL_BENCHES))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    args.benches = wanted or list(ALL_BENCHES)
    if args.skip_generate and args.db == "postgres" and not args.database:
        parser.error("--skip-generate on PostgreSQL needs --database NAME")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.import_child:
        return import_child()
    django_benches = [name for name in DJANGO_BENCHES if name in args.benches]
    ctx, created = make_context(args)
    results: list[Result] = []
    meta: dict = {
        "description": (
            f"{args.size}: "
            + ", ".join(f"{name} {value:,}" for name, value in SIZES[args.size].items())
        ),
        "database": ctx.db_label,
        "size": args.size,
        "generate": SIZES[args.size],
        "load_before": load_average(),
    }
    try:
        if django_benches:
            meta.update(prepare_database(ctx, skip_generate=args.skip_generate))
            results += run_django_benches(ctx, django_benches)
        if "matching" in args.benches:
            results += run_matching(ctx)
        if "import" in args.benches:
            results += run_import()
    finally:
        if created and not args.keep:
            drop_postgres(ctx)
        elif created:
            echo(f"PostgreSQL-Datenbank bleibt: {ctx.database_url}")
    meta["load_after"] = load_average()
    part = "" if set(args.benches) == set(ALL_BENCHES) else "-".join(args.benches)
    json_path, md_path = write_results(ctx, results, meta, part=part)
    echo("")
    echo(markdown_table(results))
    echo(f"\nErgebnis: {json_path.relative_to(ROOT)}, {md_path.relative_to(ROOT)}")
    return 0


# The scratch database


def make_context(args: argparse.Namespace) -> tuple[Context, bool]:
    """The context, and whether a PostgreSQL database was created for this run."""
    created = False
    if args.db == "postgres":
        name = args.database or f"initiativek_bench_{os.getpid()}"
        url = with_database(args.postgres_url, name)
        var_dir = BENCH_VAR / f"postgres-{args.size}"
        if not args.database:
            postgres_admin(args.postgres_url, f'CREATE DATABASE "{name}"')
            created = True
            echo(f"PostgreSQL-Datenbank {name} angelegt.")
        vendor = "postgresql"
    else:
        var_dir = BENCH_VAR / f"sqlite-{args.size}"
        url = f"sqlite:///{var_dir / 'db.sqlite3'}"
        if not args.skip_generate:
            for stale in var_dir.glob("db.sqlite3*"):
                stale.unlink()
        vendor = "sqlite"
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    ctx = Context(
        vendor=vendor,
        database_url=url,
        size=args.size,
        repetitions=args.repetitions,
        warmup=args.warmup,
        options=vars(args),
        var_dir=var_dir,
        redis_url=os.environ.get("REDIS_URL", ""),
    )
    return ctx, created


def prepare_database(ctx: Context, *, skip_generate: bool) -> dict:
    """Set Django up for the scratch database, migrate it and fill it; figures for the meta."""
    os.environ.update(django_environment(ctx))
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    figures: dict = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    figures["migrate_s"] = round(time.perf_counter() - started, 1)
    if not skip_generate:
        echo(f"generate_synthetic {' '.join(generate_arguments(ctx.size))}")
        started = time.perf_counter()
        call_command("generate_synthetic", *generate_arguments(ctx.size))
        figures["generate_s"] = round(time.perf_counter() - started, 1)
    # What autovacuum does some time after a bulk load: statistics for the planner and the
    # visibility map. Measured at once, without it the plans would be those of an empty table.
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    figures["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
    connection.close()
    return figures


def drop_postgres(ctx: Context) -> None:
    name = ctx.database_url.rsplit("/", 1)[1]
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()
    postgres_admin(ctx.options["postgres_url"], f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    echo(f"PostgreSQL-Datenbank {name} gelöscht.")


# The benches


def run_django_benches(ctx: Context, names: list[str]) -> list[Result]:
    results: list[Result] = []
    for name in names:
        module_name = f"benchmarks.bench_{name}"
        if importlib.util.find_spec(module_name) is None:
            echo(f"{module_name} gibt es (noch) nicht – übersprungen.")
            continue
        echo(f"\n== {name} (Last {load_average()})")
        started = time.perf_counter()
        try:
            produced = importlib.import_module(module_name).run(ctx)
        except Exception as error:  # one broken bench must not lose the others
            traceback.print_exc()
            produced = [Result(f"{name}: abgebrochen", note=f"{type(error).__name__}: {error}")]
        echo(f"== {name}: {time.perf_counter() - started:.0f} s")
        results += produced
    return results


def run_matching(ctx: Context) -> list[Result]:
    """The matching engine without Django, in its own process (about 1 GB at full size)."""
    echo(f"\n== matching (Last {load_average()})")
    organizations, projects = (11_000, 100_000) if ctx.size == "full" else (1_100, 10_000)
    # bench_matching.run() in a child that prints its figures as JSON (its main() prints a
    # table and writes <date>-matching.json; it still works on its own).
    code = (
        "import argparse, json\n"
        "from benchmarks import bench_matching\n"
        f"args = argparse.Namespace(organizations={organizations}, projects={projects}, "
        "samples=200, seed=2024, skip_all=False)\n"
        "figures = bench_matching.run(args)\n"
        "figures.update(organizations=args.organizations, projects=args.projects)\n"
        "print('JSON' + json.dumps(figures))\n"
    )
    completed = subprocess.run(  # noqa: S603 – our own code, no outside input
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    )
    line = next(row for row in completed.stdout.splitlines() if row.startswith("JSON"))
    figures = json.loads(line.removeprefix("JSON"))
    note = f"{figures['organizations']:,} Org., {figures['projects']:,} Projekte, ohne Django"
    results = [
        Result("Matching: Index aufbauen", unit="s", total=figures["build_s"], note=note),
        Result(
            "Matching: recommend (1 Organisation)",
            p50=figures["recommend"]["p50_ms"],
            p95=figures["recommend"]["p95_ms"],
            note="Engine allein",
        ),
        Result(
            "Matching: implemented_like (1 Projekt)",
            p50=figures["implemented_like"]["p50_ms"],
            p95=figures["implemented_like"]["p95_ms"],
            note="Engine allein",
        ),
    ]
    if "recommend_all_s" in figures:
        results.append(
            Result(
                "Matching: recommend_all (Engine allein)",
                unit="s",
                total=figures["recommend_all_s"],
                note=f"Spitze {figures['peak_memory_mb']} MB",
            )
        )
    return results


def run_import() -> list[Result]:
    """Importing GV100AD into a fresh SQLite database, in a process of its own."""
    if not OFFICIAL_DIRECTORY.exists():
        echo(f"{OFFICIAL_DIRECTORY} fehlt – Import-Benchmark übersprungen.")
        return []
    echo(f"\n== import (Last {load_average()})")
    subprocess.run([sys.executable, "-m", "benchmarks", "--import-child"], cwd=ROOT, check=True)
    figures = json.loads((RESULTS_DIR / "import_municipalities.json").read_text(encoding="utf-8"))
    return [
        Result(
            "Gemeindeverzeichnis importieren (erstmals)",
            unit="s",
            total=figures["first_import_s"],
            target=60,
            note="GV100AD, SQLite",
        ),
        Result(
            "Gemeindeverzeichnis erneut importieren (unverändert)",
            unit="s",
            total=figures["reimport_unchanged_s"],
            target=60,
            note="GV100AD, SQLite",
        ),
    ]


def import_child() -> int:
    """The import benchmark, run by ``run_import`` in a fresh process with a temporary SQLite
    database (target: well under a minute)."""
    import platform

    var = Path(tempfile.mkdtemp(prefix="initiativek-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "initiativek.conf.dev")
    os.environ["VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    figures = {}
    for run in ("first_import_s", "reimport_unchanged_s"):
        started = time.perf_counter()
        call_command("import_municipalities", str(OFFICIAL_DIRECTORY), stdout=io.StringIO())
        figures[run] = round(time.perf_counter() - started, 2)
        echo(f"{run}: {figures[run]} s (Ziel: < 60 s)")
    result = {
        "benchmark": "import_municipalities GV100AD_301123 (16,035 Zeilen)",
        "database": "sqlite",
        "python": platform.python_version(),
        "machine": platform.machine(),
        **figures,
    }
    out = RESULTS_DIR / "import_municipalities.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
