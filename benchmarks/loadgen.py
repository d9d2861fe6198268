"""A small HTTP load generator for loopback benchmarks (no wrk/ab needed).

``python -m benchmarks.loadgen http://127.0.0.1:8001/ -c 16 -d 20`` keeps ``-c`` connections
busy for ``-d`` seconds, each sending one GET after the other (HTTP/1.1 keep-alive; when the
server closes the connection, as gunicorn's sync workers do after every response, the client
reconnects and the connect time counts into that request's latency). It counts requests,
responses by status, failed connections, and measures each request's latency.

asyncio with a minimal HTTP/1.1 client keeps the generator's own CPU cost per request low; it
still runs on the same two cores as the server it loads, so measured throughput is a lower
bound for the server alone. Every run is bounded in time and, optionally, in count, and only
loopback addresses are accepted as targets.
"""

import argparse
import asyncio
import concurrent.futures
import ipaddress
import json
import socket
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_SECONDS = 600.0


@dataclass
class LoadResult:
    url: str
    connections: int
    seconds: float
    requests: int = 0  # responses received, whatever their status
    errors: int = 0  # responses with status >= 400 plus requests that got no response
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # exception names of failed requests
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    bytes_received: int = 0

    @property
    def ok(self) -> int:
        return sum(count for status, count in self.statuses.items() if status < 400)

    @property
    def requests_per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent: float) -> float | None:
        return percentile_ms(self.latencies, percent)

    def summary(self) -> dict:
        return {
            "url": self.url,
            "connections": self.connections,
            "seconds": round(self.seconds, 2),
            "requests": self.requests,
            "ok": self.ok,
            "errors": self.errors,
            "statuses": {str(key): value for key, value in sorted(self.statuses.items())},
            "failures": dict(self.failures),
            "requests_per_second": round(self.requests_per_second, 1),
            "p50_ms": _round(self.percentile_ms(50)),
            "p95_ms": _round(self.percentile_ms(95)),
            "p99_ms": _round(self.percentile_ms(99)),
            "bytes_received": self.bytes_received,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def percentile_ms(values: list[float], percent: float) -> float | None:
    """Percentile of ``values`` (seconds) in milliseconds, nearest-rank on the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0] * 1000
    # statistics.quantiles with n=100 gives the 1st..99th percentiles (inclusive method).
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    index = min(max(round(percent) - 1, 0), 98)
    return cuts[index] * 1000


def check_loopback(host: str) -> None:
    """Refuse anything but this machine: the generator is for loopback benchmarks only."""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise ValueError(f"cannot resolve {host!r}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_loopback:
            raise ValueError(f"{host!r} is not a loopback address ({address}); refused.")


class _HttpError(Exception):
    """The server's answer could not be read as HTTP/1.1."""


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> int:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        size = 0
        while True:
            line = await reader.readline()
            length = int(line.split(b";")[0].strip() or b"0", 16)
            if length == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return size
            await reader.readexactly(length + 2)
            size += length
    if "content-length" in headers:
        length = int(headers["content-length"])
        await reader.readexactly(length)
        return length
    body = await reader.read()  # until the server closes
    return len(body)


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, int, bool]:
    """Send one request, read its response: (status, body bytes, server keeps connection)."""
    writer.write(request)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise _HttpError("connection closed before the status line")
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
        raise _HttpError(f"bad status line {status_line[:60]!r}")
    status = int(parts[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n"):
            break
        if not line:
            raise _HttpError("connection closed inside the headers")
        name, _sep, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    size = 0 if status in (204, 304) or status < 200 else await _read_body(reader, headers)
    keep = headers.get("connection", "").lower() != "close" and parts[0] != b"HTTP/1.0"
    return status, size, keep


async def _client(
    host: str,
    port: int,
    request: bytes,
    deadline: float,
    budget: list[int],
    result: LoadResult,
    timeout: float,
) -> None:
    reader = writer = None
    while time.perf_counter() < deadline and budget[0] != 0:
        budget[0] -= 1  # negative: unlimited
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(host, port), timeout
                )
            status, size, keep = await asyncio.wait_for(_exchange(reader, writer, request), timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, _HttpError) as exc:
            result.errors += 1
            result.failures[type(exc).__name__] += 1
            writer = _close(writer)
            await asyncio.sleep(0.01)  # a refusing server must not be hammered in a tight loop
            continue
        elapsed = time.perf_counter() - started
        result.requests += 1
        result.statuses[status] += 1
        result.bytes_received += size
        if status >= 400:
            result.errors += 1
        else:
            result.latencies.append(elapsed)
        if not keep:
            writer = _close(writer)
    _close(writer)


def _close(writer: asyncio.StreamWriter | None) -> None:
    if writer is not None:
        writer.close()
    return None


def _request(host: str, port: int, target: str, headers: dict[str, str] | None) -> bytes:
    lines = [
        f"GET {target} HTTP/1.1",
        f"Host: {host}:{port}",
        "User-Agent: initiativek-loadgen",
        "Accept: text/html",
        "Accept-Encoding: identity",
    ]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def run_load_async(
    url: str,
    *,
    connections: int = 16,
    seconds: float = 20.0,
    max_requests: int | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> LoadResult:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"only http:// URLs are supported, got {url!r}")
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be in (0, {MAX_SECONDS}]")
    if connections < 1:
        raise ValueError("connections must be at least 1")
    host, port = parts.hostname, parts.port or 80
    check_loopback(host)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    request = _request(host, port, target, headers)
    result = LoadResult(url=url, connections=connections, seconds=0.0)
    budget = [max_requests if max_requests is not None else -1]
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _client(host, port, request, deadline, budget, result, timeout)
            for _ in range(connections)
        )
    )
    result.seconds = time.perf_counter() - started
    return result


def run_load(url: str, **options) -> LoadResult:
    """Load ``url`` (see run_load_async for the options) and return what was counted. Where
    this thread already runs an event loop (Playwright's synchronous API in a test session
    does), the load runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run_load_async(url, **options))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run_load_async(url, **options)).result()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("-c", "--connections", type=int, default=16)
    parser.add_argument("-d", "--seconds", type=float, default=10.0)
    parser.add_argument("-n", "--max-requests", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    result = run_load(
        args.url,
        connections=args.connections,
        seconds=args.seconds,
        max_requests=args.max_requests,
    )
    summary = result.summary()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for key, value in summary.items():
            print(f"{key}: {value}")
    return 0 if result.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
