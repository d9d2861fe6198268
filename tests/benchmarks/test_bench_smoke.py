"""The benchmark machinery works: load generator, gunicorn config, registration bench.

No timing is asserted; speed is measured only by ``make bench``.
"""

import asyncio
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from benchmarks import loadgen

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the response says otherwise

    def do_GET(self):
        if self.path == "/kaputt":
            self._answer(500, b"Fehler")
        elif self.path == "/schliessen":
            self._answer(200, b"einmal", close=True)
        elif self.path == "/stueckweise":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"Hallo ", b"Welt"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self._answer(200, b"<p>ok</p>")

    def _answer(self, status: int, body: bytes, close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("path", ["/", "/schliessen", "/stueckweise"])
def test_load_generator_counts_every_response(server, path):
    result = loadgen.run_load(server + path, connections=4, seconds=60, max_requests=40)
    assert result.requests == 40
    assert result.ok == 40
    assert result.errors == 0
    assert result.statuses == {200: 40}
    assert len(result.latencies) == 40
    assert result.percentile_ms(50) <= result.percentile_ms(95)


def test_load_generator_counts_server_errors(server):
    result = loadgen.run_load(server + "/kaputt", connections=3, seconds=60, max_requests=12)
    assert result.requests == 12
    assert result.errors == 12
    assert result.ok == 0
    assert result.statuses == {500: 12}
    assert result.latencies == []


def test_load_generator_runs_where_an_event_loop_is_already_running(server):
    """Playwright's synchronous API keeps a loop running in the test session's thread. Here a
    thread of its own runs a loop (the test session's thread may already have one) and calls
    the load generator from inside it."""

    async def inside_a_loop():
        return loadgen.run_load(server + "/", connections=2, seconds=60, max_requests=6)

    async def bad_url():
        return loadgen.run_load("ftp://localhost/", max_requests=1)

    outcome: dict[str, object] = {}

    def scenario():
        outcome["result"] = asyncio.run(inside_a_loop())
        try:
            asyncio.run(bad_url())
        except ValueError as error:
            outcome["error"] = error

    thread = threading.Thread(target=scenario)
    thread.start()
    thread.join(timeout=120)
    result = outcome["result"]
    assert result.requests == 6
    assert result.ok == 6
    assert isinstance(outcome.get("error"), ValueError)


def test_load_generator_counts_refused_connections():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once the socket is closed
    result = loadgen.run_load(f"http://127.0.0.1:{port}/", connections=2, max_requests=4)
    assert result.requests == 0
    assert result.errors == 4
    assert sum(result.failures.values()) == 4


def test_load_generator_stops_at_its_time_limit(server):
    result = loadgen.run_load(server + "/", connections=2, seconds=0.3)
    assert result.requests > 0
    assert result.errors == 0


@pytest.mark.parametrize("url", ["http://192.0.2.1/", "https://127.0.0.1/", "ftp://localhost/"])
def test_load_generator_refuses_anything_but_loopback_http(url):
    with pytest.raises(ValueError):
        loadgen.run_load(url, connections=1, max_requests=1)


def test_percentiles_of_known_values():
    values = [index / 1000 for index in range(1, 101)]  # 1 … 100 ms
    assert loadgen.percentile_ms(values, 50) == pytest.approx(50.5)
    assert loadgen.percentile_ms(values, 95) == pytest.approx(95.05)
    assert loadgen.percentile_ms([], 50) is None


def _gunicorn_check(app: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "initiativek.conf.ci",
        **env_overrides,
    }
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(GUNICORN_CONF), app],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_config_loads_with_the_platform():
    done = _gunicorn_check("initiativek.wsgi:application")
    assert done.returncode == 0, done.stderr


def test_gunicorn_config_loads_with_the_bare_comparison_site():
    done = _gunicorn_check("benchmarks.bare_site.wsgi:application")
    assert done.returncode == 0, done.stderr


def test_gunicorn_config_takes_its_settings_from_the_environment():
    env = {
        **os.environ,
        "WEB_CONCURRENCY": "3",
        "GUNICORN_BIND": "127.0.0.1:18999",
        "GUNICORN_MAX_REQUESTS": "500",
    }
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "-c", str(GUNICORN_CONF)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    config = {
        key.strip(): value.strip()
        for key, _sep, value in (line.partition("=") for line in done.stdout.splitlines())
    }
    assert config["workers"] == "3"
    assert config["bind"] == "['127.0.0.1:18999']"
    assert config["max_requests"] == "500"
    assert config["preload_app"] == "True"


def test_bench_http_serves_the_bare_site_under_gunicorn(tmp_path):
    from benchmarks import bench_http

    port = bench_http._free_port()
    env = bench_http._base_env(dict(os.environ), tmp_path, port, workers=1)
    with bench_http.Server(bench_http.BARE_APP, env, port) as server:
        result = loadgen.run_load(server.url + "/", connections=2, max_requests=20)
        workers = server.worker_pids()
        memory = [bench_http.peak_memory_mb(pid) for pid in workers]
    assert result.statuses == {200: 20}
    assert result.errors == 0
    assert len(workers) == 1
    assert memory[0] > 0


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")


@pytest.mark.postgres
def test_registration_bench_never_overbooks(postgres):
    from benchmarks import bench_registrations
    from initiativek.events.models import Event, Registration
    from tests.organizations.factories import MembershipFactory

    MembershipFactory.create_batch(6)
    result = bench_registrations.run_round(clients=8, registrations=30, capacity=5)
    assert result.errors == []
    assert result.overbooked == 0
    assert result.inconsistencies == []
    assert result.demand == {"vor_ort": 15, "online": 15}
    assert result.seats("vor_ort") == result.seats("online") == 5
    assert result.counts["vor_ort"]["warteliste"] == 10
    assert len(result.latencies) == 30
    # The round cleans up after itself.
    assert not Event.objects.exists()
    assert not Registration.objects.exists()


def test_registration_bench_reports_overbooking_when_seats_exceed_capacity():
    from benchmarks.bench_registrations import Round

    result = Round(capacity=2, demand={"vor_ort": 4}, counts={"vor_ort": {"bestaetigt": 3}})
    assert result.overbooked == 1
    assert result.inconsistencies
