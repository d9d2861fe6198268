"""Shared parts of ``make bench``: the interface of the bench modules, timing, percentiles, the
scratch database and the result files.

A bench module is ``benchmarks/bench_<name>.py`` with ``def run(ctx: Context) -> list[Result]``.
``python -m benchmarks`` calls it after the scratch database is migrated and filled by
``generate_synthetic`` and Django is set up for it (``ctx.vendor``, ``ctx.database_url``); a
module that starts processes of its own (gunicorn) hands them ``ctx.env()``. Each ``Result`` is
one row of the table: samples (``values``, p50/p95 computed) or one figure (``total``), the
target, and a note. A target is an upper bound unless ``higher_is_better``; ``target_on`` says
whether p95 or the total is compared with it.
"""

import datetime
import json
import math
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "benchmarks" / "results"
BENCH_VAR = ROOT / "var" / "bench"
OFFICIAL_DIRECTORY = ROOT.parent / "shared" / "data" / "GV100AD_301123.txt"

# generate_synthetic per size. 11,000 responses need about 11,200 organizations that can answer,
# hence 11,300 organizations at full size.
SIZES: dict[str, dict[str, int]] = {
    "full": {
        "orgs": 11_300,
        "projects": 100_000,
        "events": 2_000,
        "registrations": 200_000,
        "responses": 11_000,
    },
    "small": {
        "orgs": 1_300,
        "projects": 10_000,
        "events": 200,
        "registrations": 20_000,
        "responses": 1_000,
    },
}
SEED = 1


# Results


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0–100) percentile with linear interpolation, as numpy's default."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * share / 100
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


_BOUND = re.compile(r"^\s*(≥|>=|≤|<=)?\s*(\d+(?:[.,]\d+)?)\s*(%|[^\W\d]+(?:/[^\W\d]+)?)?\s*$")


def parse_target(target: float | str | None) -> tuple[float | None, bool | None]:
    """A target as number and direction: 50 → (50, upper bound); "≥ 30 %" → (30, lower bound);
    "≤ 200 MB" → (200, upper). A text that says more ("≥ 30 % of bare") is shown, not
    compared: (None, None)."""
    if target is None or target == "":
        return None, None
    if isinstance(target, int | float):
        return float(target), False
    match = _BOUND.match(target)
    if not match:
        return None, None
    return float(match.group(2).replace(",", ".")), match.group(1) in ("≥", ">=")


@dataclass
class Result:
    """One measured figure: samples (``values``; p50/p95 computed unless given) or a single
    ``total``, and its target: a number (an upper bound, or a lower one with
    ``higher_is_better``) or a text such as "≤ 200 MB" or "≥ 30 %". ``target_on`` says which
    figure meets it: "p95" (the default with samples) or "total"."""

    name: str
    unit: str = "ms"
    values: list[float] | None = None
    total: float | None = None
    target: float | str | None = None
    p50: float | None = None
    p95: float | None = None
    note: str = ""
    higher_is_better: bool = False
    target_on: str = ""

    def __post_init__(self) -> None:
        if self.values:
            if self.p50 is None:
                self.p50 = percentile(self.values, 50)
            if self.p95 is None:
                self.p95 = percentile(self.values, 95)
        if not self.target_on:
            self.target_on = "total" if self.total is not None else "p95"
        bound, lower = parse_target(self.target)
        if lower:
            self.higher_is_better = True
        self._bound = bound

    @property
    def measured(self) -> float | None:
        return self.total if self.target_on == "total" else self.p95

    @property
    def met(self) -> bool | None:
        """None without a comparable target or without a figure."""
        measured = self.measured
        if self._bound is None or measured is None or math.isnan(measured):
            return None
        if self.higher_is_better:
            return measured >= self._bound
        return measured <= self._bound

    @property
    def target_text(self) -> str:
        if self.target is None or self.target == "":
            return ""
        if isinstance(self.target, str):
            return self.target
        relation = "≥" if self.higher_is_better else "≤"
        return f"{relation} {_number(self.target)} {self.unit}"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["samples"] = len(self.values) if self.values else 0
        data["values"] = [round(value, 3) for value in self.values] if self.values else None
        data["met"] = self.met
        return data


def _number(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    if float(value).is_integer() and abs(value) < 100:
        return str(int(value))
    if abs(value) >= 100:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| Messung | p50 | p95 / gesamt | Ziel | erreicht | Anmerkung |",
        "|---|---:|---:|---:|:---:|---|",
    ]
    for result in results:
        first = f"{_number(result.p50)} {result.unit}" if result.p50 is not None else ""
        second = result.total if result.total is not None else result.p95
        target = result.target_text
        met = {True: "✓", False: "✗", None: ""}[result.met]
        note = result.note.replace("|", "/")
        lines.append(
            f"| {result.name} | {first} | {_number(second)} {result.unit} | {target} | {met} "
            f"| {note} |"
        )
    return "\n".join(lines)


# Timing


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "?"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def timed(
    call: Callable[[object], object], inputs: Iterable[object], *, warmup: int
) -> list[float]:
    """Milliseconds per call: ``warmup`` untimed calls with the first inputs, then one timed
    call per input."""
    inputs = list(inputs)
    for argument in inputs[:warmup]:
        call(argument)
    samples = []
    for argument in inputs:
        started = time.perf_counter()
        call(argument)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


# Context and scratch database


@dataclass
class Context:
    """What a bench module gets: the database (already generated), the options, helpers."""

    vendor: str  # "sqlite" or "postgresql"
    database_url: str  # postgres://… or sqlite:///path
    size: str
    repetitions: int
    warmup: int
    options: dict  # the command line's options (vars of the argparse namespace)
    var_dir: Path
    settings_module: str = "initiativek.conf.dev"
    extra_env: dict[str, str] = field(default_factory=dict)
    redis_url: str = ""  # REDIS_URL of the run, if any (the cache of a gunicorn under test)

    @property
    def db_label(self) -> str:
        return "postgres" if self.vendor == "postgresql" else "sqlite"

    def env(self) -> dict[str, str]:
        """The environment for a child process (gunicorn, a worker) on the same database."""
        env = dict(os.environ)
        env.update(django_environment(self))
        return env

    def log(self, message: str) -> None:
        print(message, flush=True)


def django_environment(ctx: Context) -> dict[str, str]:
    """Settings for the benchmarks: the scratch database, DEBUG off, the test client's host."""
    env = {
        "DJANGO_SETTINGS_MODULE": ctx.settings_module,
        "DEBUG": "0",
        "VAR_DIR": str(ctx.var_dir),
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "MFA_REQUIRED": "0",
        **ctx.extra_env,
    }
    if ctx.vendor == "postgresql":
        env["DATABASE_URL"] = ctx.database_url
    return env


def with_database(url: str, name: str) -> str:
    """``url`` with its database name replaced."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def postgres_admin(url: str, statement: str) -> None:
    """Run ``statement`` (CREATE/DROP DATABASE) outside a transaction on the server of ``url``."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def generate_arguments(size: str) -> list[str]:
    arguments = [f"--seed={SEED}"]
    arguments += [f"--{name}={value}" for name, value in SIZES[size].items()]
    if OFFICIAL_DIRECTORY.exists():
        arguments.append(f"--directory={OFFICIAL_DIRECTORY}")
    return arguments


# Result files


def machine_facts() -> dict:
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


def write_results(
    ctx: Context, results: list[Result], meta: dict, *, stem: str | None = None, part: str = ""
) -> tuple[Path, Path]:
    """``benchmarks/results/<date>-<db>[-small][-<part>].json`` and the same as Markdown; a run
    of some benches only (``part``, e.g. "pages") never overwrites the file of a whole run."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    suffix = ("" if ctx.size == "full" else f"-{ctx.size}") + (f"-{part}" if part else "")
    stem = stem or f"{datetime.date.today():%Y-%m-%d}-{ctx.db_label}{suffix}"
    data = {**meta, **machine_facts(), "results": [result.as_dict() for result in results]}
    json_path = RESULTS_DIR / f"{stem}.json"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    heading = (
        f"# Benchmarks {datetime.date.today():%Y-%m-%d}, {ctx.db_label}, Größe {ctx.size}\n\n"
        f"{meta.get('description', '')}\n\n"
    )
    md_path = RESULTS_DIR / f"{stem}.md"
    md_path.write_text(heading + markdown_table(results) + "\n", encoding="utf-8")
    return json_path, md_path


def echo(*parts: object) -> None:
    print(*parts, flush=True)
    sys.stdout.flush()
