"""HTTP throughput under gunicorn and the peak memory of one worker (issue 9, SPEC §9).

Starts gunicorn with ``deploy/gunicorn.conf.py`` (4 workers by default) twice on free loopback
ports: once with the bare comparison site (``benchmarks/bare_site``: one Django view rendering a
tiny template, no database) and once with the platform under ``initiativek.conf.production``
against the benchmark database. After a warm-up, ``benchmarks/loadgen.py`` keeps 16
connections busy for 20 s per page: the bare view, the home page ``/`` and the catalog
``/projekte/``. Reported: requests per second, latency p50/p95 under that load, error counts
(must be 0), the ratio catalog/bare (target ≥ 30 %) and the peak resident memory (VmHWM) of the
largest worker after the load (target ≤ 200 MB, measured in MiB). Workers are not recycled
during the run (``GUNICORN_MAX_REQUESTS=0``), so the peak covers all requests of the run;
``REDIS_URL`` is passed on from the environment when set, as in production.

gunicorn's sync workers close the connection after each response (a reverse proxy in front
keeps the clients' connections), so every request includes a loopback connect. The load
generator runs on the same two cores as the server and takes a share of the CPU, most of all
against the fast bare view: every figure is a lower bound for the server alone, and the ratio
understates the platform's share somewhat. Note the machine's load (printed with each figure):
other processes on the machine lower all figures.

Standalone: ``python -m benchmarks.bench_http --database-url postgres://…`` (``--help``).
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.common import Result
from benchmarks.loadgen import LoadResult, run_load

ROOT = Path(__file__).resolve().parents[1]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PRODUCT_APP = "initiativek.wsgi:application"
BARE_APP = "benchmarks.bare_site.wsgi:application"
PAGES = {"home": "/", "catalog": "/projekte/"}
DEFAULTS = {"workers": 4, "connections": 16, "seconds": 20.0, "warmup_seconds": 5.0}
TARGET_RATIO_PERCENT = 30.0
TARGET_WORKER_MB = 200.0
# A request slower than this counts as failed; above gunicorn's own timeout (30 s).
CLIENT_TIMEOUT_S = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _base_env(environ: dict[str, str], workdir: Path, port: int, workers: int) -> dict[str, str]:
    env = {key: value for key, value in environ.items() if not key.startswith("GUNICORN_")}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESS_LOG": str(workdir / f"access-{port}.log"),
            "GUNICORN_ERROR_LOG": "-",
            "GUNICORN_MAX_REQUESTS": "0",  # a replaced worker would reset the memory figure
        }
    )
    return env


def product_env(environ: dict[str, str], workdir: Path, port: int, workers: int) -> dict[str, str]:
    """``environ`` (the database, VAR_DIR) under the production settings; only what a loopback
    run without TLS and proxy needs is relaxed."""
    env = _base_env(environ, workdir, port, workers)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "initiativek.conf.production",
            "DEBUG": "0",
            "SECRET_KEY": "bench-http-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEF",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "BEHIND_PROXY": "0",
            "STATIC_ROOT": str(workdir / "static"),
            "STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    """WhiteNoise serves the hashed files of a collected STATIC_ROOT, as in production."""
    subprocess.run(  # noqa: S603 – fixed command line
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


class Server:
    """One gunicorn master with its workers, started in its own process group."""

    def __init__(
        self,
        app: str,
        env: dict[str, str],
        port: int,
        ready_path: str = "/",
        log: Path | None = None,
    ):
        self.app, self.env, self.port, self.ready_path = app, env, port, ready_path
        self.log = log  # the server's output (errors with tracebacks) instead of ours
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> None:
        command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), self.app]
        output = open(self.log, "ab") if self.log else None  # noqa: SIM115 – child keeps it
        try:
            self.process = subprocess.Popen(  # noqa: S603 – fixed command line
                command,
                cwd=ROOT,
                env=self.env,
                start_new_session=True,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
            )
        finally:
            if output:
                output.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn ({self.app}) exited with {self.process.returncode}\n"
                    + self.log_tail()
                )
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=30) as response:  # noqa: S310
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(
            f"gunicorn ({self.app}) did not answer within {timeout:.0f} s\n{self.log_tail()}"
        )

    @property
    def workers(self) -> int:
        return int(self.env.get("WEB_CONCURRENCY", "1"))

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def log_tail(self, lines: int = 25) -> str:
        if not self.log or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def peak_memory_mb(pid: int) -> float | None:
    """VmHWM (peak resident set size) of a process, in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _load(url: str, options: dict, seconds: float) -> LoadResult:
    return run_load(
        url, connections=options["connections"], seconds=seconds, timeout=CLIENT_TIMEOUT_S
    )


def _measure(server: Server, paths: dict[str, str], options: dict) -> dict[str, LoadResult]:
    for path in paths.values():  # every worker renders each page before the clock runs
        _load(server.url + path, options, options["warmup_seconds"])
    measured = {}
    for name, path in paths.items():
        measured[name] = result = _load(server.url + path, options, options["seconds"])
        print(
            f"  {name:8} {result.requests_per_second:8.1f} req/s  errors {result.errors}  "
            f"p50 {result.percentile_ms(50) or 0:.1f} ms  p95 {result.percentile_ms(95) or 0:.1f}"
            f" ms  ({_uptime()})",
            flush=True,
        )
    return measured


def _uptime() -> str:
    try:
        return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load ?"


def _note(result: LoadResult, options: dict) -> str:
    statuses = ", ".join(f"{code}: {count}" for code, count in sorted(result.statuses.items()))
    failures = ", ".join(f"{name}: {count}" for name, count in result.failures.items())
    return (
        f"{options['connections']} Verbindungen, {result.seconds:.0f} s, {options['workers']} "
        f"Worker; {result.requests} Antworten ({statuses or '–'}), Fehler {result.errors}"
        + (f" ({failures})" if failures else "")
    )


def measure(
    environ: dict[str, str], options: dict | None = None
) -> tuple[dict[str, LoadResult], dict[int, float | None]]:
    """Load the bare site, then the platform (``environ`` names its database); the load
    results by page (``bare``, ``home``, ``catalog``) and the peak memory (MiB) per worker."""
    options = {**DEFAULTS, **(options or {})}
    with tempfile.TemporaryDirectory(prefix="initiativek-bench-http-") as tmp:
        workdir = Path(tmp)
        port = _free_port()
        env = _base_env(environ, workdir, port, options["workers"])
        print(f"  bare Django view, port {port}", flush=True)
        with Server(BARE_APP, env, port, log=workdir / "bare.log") as bare:
            loads = _measure(bare, {"bare": "/"}, options)
        port = _free_port()
        env = product_env(environ, workdir, port, options["workers"])
        collectstatic(env)
        print(f"  platform (initiativek.conf.production), port {port}", flush=True)
        server = Server(PRODUCT_APP, env, port, ready_path="/healthz", log=workdir / "app.log")
        with server as product:
            loads.update(_measure(product, PAGES, options))
            memory = {pid: peak_memory_mb(pid) for pid in product.worker_pids()}
        if any(load.errors for load in loads.values()):
            print("errors under load; the end of the server's log:", server.log_tail(), sep="\n")
    return loads, memory


LABELS = {
    "bare": "HTTP: leere Django-Seite (Vergleich)",
    "home": "HTTP: Startseite /",
    "catalog": "HTTP: Projektkatalog /projekte/",
}


def results_from(
    loads: dict[str, LoadResult], memory: dict[int, float | None], options: dict | None = None
) -> list[Result]:
    options = {**DEFAULTS, **(options or {})}
    results = []
    for name, label in LABELS.items():
        load = loads[name]
        results.append(
            Result(
                f"{label}: Durchsatz",
                unit="req/s",
                total=round(load.requests_per_second, 1),
                higher_is_better=True,
                note=_note(load, options),
            )
        )
        results.append(
            Result(
                f"{label}: Antwortzeit unter Last",
                p50=load.percentile_ms(50),
                p95=load.percentile_ms(95),
                note=f"{options['connections']} gleichzeitige Verbindungen",
            )
        )
    bare_rps = loads["bare"].requests_per_second
    ratio = 100 * loads["catalog"].requests_per_second / bare_rps if bare_rps else 0.0
    home_ratio = 100 * loads["home"].requests_per_second / bare_rps if bare_rps else 0.0
    results.append(
        Result(
            "HTTP: Katalog im Verhältnis zur leeren Seite",
            unit="%",
            total=round(ratio, 1),
            target=TARGET_RATIO_PERCENT,
            higher_is_better=True,
            note=f"Startseite: {home_ratio:.1f} %; der Lastgenerator teilt sich die 2 Kerne",
        )
    )
    results.append(
        Result(
            "HTTP: Fehler unter Last",
            unit="",
            total=sum(load.errors for load in loads.values()),
            target=0,
            note="Antworten ≥ 400 und Anfragen ohne Antwort, alle drei Seiten; muss 0 sein",
        )
    )
    known = sorted(value for value in memory.values() if value is not None)
    results.append(
        Result(
            "HTTP: Speicher eines Workers (Spitze)",
            unit="MiB",
            total=round(known[-1], 1) if known else None,
            target=TARGET_WORKER_MB,
            note="VmHWM nach der Last, alle Worker: " + ", ".join(f"{v:.0f}" for v in known),
        )
    )
    return results


def _options(ctx) -> dict:
    """Full size: 20 s per page; the small size is a quick check (5 s)."""
    if getattr(ctx, "size", "full") == "small":
        return {"seconds": 5.0, "warmup_seconds": 2.0}
    return {}


def run(ctx) -> list[Result]:
    options = _options(ctx)
    loads, memory = measure(ctx.env(), options)
    return results_from(loads, memory, options)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import markdown_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--workers", type=int, default=DEFAULTS["workers"])
    parser.add_argument("--connections", type=int, default=DEFAULTS["connections"])
    parser.add_argument("--seconds", type=float, default=DEFAULTS["seconds"])
    parser.add_argument("--warmup-seconds", type=float, default=DEFAULTS["warmup_seconds"])
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    options = {key: getattr(args, key) for key in DEFAULTS}
    environ = {**os.environ, "DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url}
    environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="initiativek-bench-http-var-"))
    loads, memory = measure(environ, options)
    print(markdown_table(results_from(loads, memory, options)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
