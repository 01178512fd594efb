"""Collector throughput: POST /api/v1/collect against a trivial route and a hello-world app, per database.

Starts a real `consent-server serve` (gunicorn, sync workers) on a fresh SQLite or PostgreSQL database
(bench/serverkit.py), runs the periodic jobs once (`consent-server analytics jobs`, so that this month's
partition exists as on any instance that has been up a minute), records an accept-all consent for each of
--visitors visitors, then drives three routes with wrk, each for a 2 s warm-up and then --seconds:

- trivial: GET /static/demo-analytics.js on the same server (same gunicorn, same workers, same app with
  its WSGI middleware, rate limiter hook and security headers): the cheapest 200 the app serves without
  touching the database (GET /healthz runs SELECT 1; /api/openapi.json serialises 13 kB each time);
- collect: pageviews of the visitors in rotation (text/plain like sendBeacon, the site's Origin, a
  desktop Chrome User-Agent); each wrk thread takes its own share of visitors, so no visitor has two
  hits in flight at once;
- hello: a hello-world Flask app (bench/hello.py) served by plain `gunicorn -w WORKERS bench.hello:app`
  (sync workers like `serve`, gunicorn's defaults otherwise, so no access log): the baseline PRODUCT.md's
  anchors are stated against (7,500-8,000 req/s with 2 workers and wrk sharing the two cores).

--rounds N repeats the three runs on the same servers and prints the median ratios too.
Rates count successful answers only (200, or 202 for collect); other statuses are shown next to them.
After the collector run it compares the analytics_events rows added with the 202 answers wrk saw, and
the visits' pageview counters with the events. It prints figures, never pass/fail (issue 4's target is
collect >= 0.5 x trivial). The machine is shared with wrk, so the 1-min load average is printed too.

    python bench/collect.py [--backend sqlite|postgresql|both] [--seconds 10] [--workers 2]
                            [--connections 8] [--threads 2] [--visitors 50] [--rounds 1]
                            [--profile HITS]

--profile HITS then sends HITS pageviews in-process (Flask test client, no gunicorn) on the same
database, and prints the time per hit, the SQL statements per hit and where cProfile sees the time go.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as `python bench/collect.py`: the checkout's packages (bench, tests) become importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serverkit import (
    BACKENDS,
    UNLIMITED,
    Database,
    ServerProcess,
    consent_server_command,
    free_port,
    fresh_database,
    postgres_unavailable,
    running_server,
    server_environment,
)
from tests.factories import CHROME_UA, ORIGIN, browser_headers

ROOT = Path(__file__).resolve().parent.parent
COLLECT_PATH = "/api/v1/collect"
TRIVIAL_PATH = "/static/demo-analytics.js"  # Flask's static route: no database, no CORS lookup
HELLO_PATH = "/"
WARMUP_SECONDS = 2.0
SETTINGS = {"RATELIMIT_COLLECT": UNLIMITED, "RATELIMIT_CONSENT": UNLIMITED}
RESULT_MARK = "BENCH-RESULT "

# One wrk script for every run: optional bodies (split between wrk threads so that one visitor is never
# in flight twice), a status count per thread, and a JSON line with the figures at the end.
LUA = r"""
local method = "%(method)s"
local path = "%(path)s"
local headers = %(headers)s
local bodies = %(bodies)s
local nthreads = %(nthreads)d
local next_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  prepared = {}
  if #bodies == 0 then
    table.insert(prepared, wrk.format(method, path, headers, nil))
  else
    for i, body in ipairs(bodies) do
      if (i - 1) %% nthreads == tid or #bodies < nthreads then
        table.insert(prepared, wrk.format(method, path, headers, body))
      end
    end
  end
  cursor = 0
end

function request()
  cursor = cursor %% #prepared + 1
  return prepared[cursor]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    table.insert(parts, string.format('"%%d": %%d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}, ' ..
    '"statuses": {%%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]
    statuses: Counter[int]
    expected: int  # the status of a successful answer: only those count towards the rate

    @property
    def rate(self) -> float:
        return self.statuses[self.expected] / self.seconds if self.seconds else 0.0

    def line(self, label: str) -> str:
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.statuses.items()))
        socket_errors = {kind: n for kind, n in self.errors.items() if n and kind != "status"}
        errors = f"  socket errors {socket_errors}" if socket_errors else ""
        others = self.requests - self.statuses[self.expected]
        failed = f"  {others} NOT {self.expected}, left out of req/s" if others else ""
        return (
            f"  {label:<44} {self.rate:8.1f} req/s  p50 {self.p50_ms:6.2f} ms  p99 {self.p99_ms:7.2f} ms"
            f"  ({self.requests} in {self.seconds:.1f} s: {{{statuses}}}){errors}{failed}"
        )


@dataclass(frozen=True)
class Load:
    """How wrk drives a run."""

    seconds: float
    connections: int
    threads: int


def _lua_string(value: str) -> str:
    if "]==]" in value:
        raise ValueError("cannot quote a value holding ]==]")
    return f"[==[{value}]==]"


def wrk_script(
    method: str, path: str, headers: Mapping[str, str], bodies: Sequence[str], threads: int
) -> str:
    table = ", ".join(f"[ {_lua_string(name)} ] = {_lua_string(value)}" for name, value in headers.items())
    return LUA % {
        "method": method,
        "path": path,
        "headers": "{" + table + "}",
        "bodies": "{" + ", ".join(_lua_string(body) for body in bodies) + "}",
        "nthreads": threads,
        "mark": RESULT_MARK,
    }


def run_wrk(url: str, script: Path, seconds: float, load: Load, expected: int) -> WrkResult:
    """Run wrk once and read the figures its done() hook prints. Raises RuntimeError when there are none."""
    command = [
        shutil.which("wrk") or "wrk",
        f"--threads={load.threads}",
        f"--connections={load.connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        f"--script={script}",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in result.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            data = json.loads(line[len(RESULT_MARK) :])
            return WrkResult(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                p50_ms=data["p50_us"] / 1e3,
                p99_ms=data["p99_us"] / 1e3,
                errors=data["errors"],
                statuses=Counter({int(status): n for status, n in data["statuses"].items()}),
                expected=expected,
            )
    raise RuntimeError(
        f"wrk printed no figures (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
    )


@dataclass(frozen=True)
class Target:
    """One route to drive: where, how, and with which bodies (rotated; none for a GET)."""

    name: str
    server: ServerProcess
    method: str
    path: str
    headers: Mapping[str, str]
    expected: int
    bodies: Sequence[str] = ()

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.server.port}{self.path}"

    def check(self) -> None:
        """Send one request by hand first, so that a misconfiguration is not what gets measured."""
        body = self.bodies[0].encode() if self.bodies else None
        reply = self.server.request(self.method, self.path, body, self.headers)
        if reply.status != self.expected:
            answer = f"{reply.status}, not {self.expected}: {reply.body[:300]!r}"
            raise RuntimeError(f"{self.method} {self.path} answered {answer}")


def warm_up(target: Target, directory: Path, load: Load) -> Path:
    """Write the target's wrk script and run it for the warm-up (figures discarded); return the script."""
    script = directory / f"{target.name}.lua"
    lua = wrk_script(target.method, target.path, target.headers, target.bodies, load.threads)
    script.write_text(lua, encoding="utf-8")
    run_wrk(target.url, script, WARMUP_SECONDS, load, target.expected)
    return script


def measure(target: Target, directory: Path, load: Load) -> WrkResult:
    """A warm-up run, then the measured run."""
    return run_wrk(target.url, warm_up(target, directory, load), load.seconds, load, target.expected)


@contextmanager
def hello_server(directory: Path, workers: int, host: str = "127.0.0.1") -> Iterator[ServerProcess]:
    """`gunicorn -w WORKERS bench.hello:app`, as PRODUCT.md's hello-world anchor was measured."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
    port = free_port(host)
    log_path = directory / "hello.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [
                *command,
                f"--workers={workers}",
                f"--bind={host}:{port}",
                f"--chdir={ROOT}",
                "bench.hello:app",
            ],
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
            process_group=0,  # its own group, so that kill() reaches the workers and nothing else
        )
    server = ServerProcess(process, host, port, log_path)
    try:
        server.wait_healthy(30)
        yield server
    finally:
        server.kill()


def run_jobs_once(database: Database, directory: Path) -> str:
    """`consent-server analytics jobs`, as cron or the first scheduler tick of a live instance would run it.

    On PostgreSQL it creates this month's partition of analytics_events before any event arrives; without
    it the server's own first tick (30 s after start) attaches the partition in the middle of the load.
    Returns what the command printed.
    """
    result = subprocess.run(
        [*consent_server_command(), "analytics", "jobs"],
        env=server_environment(database, SETTINGS),
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"`consent-server analytics jobs` failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "(nothing printed)"


def visitor_tokens(server: ServerProcess, visitors: int) -> list[str]:
    """Record an accept-all consent per visitor; return their tokens."""
    tokens = []
    for _ in range(visitors):
        reply = server.post_consent(action="accept_all")
        if reply.status != 201:
            raise RuntimeError(f"POST /api/v1/consent answered {reply.status}: {reply.body[:300]!r}")
        tokens.append(reply.json()["token"])
    return tokens


def pageview(token: str) -> str:
    return json.dumps(
        {
            "site": "example",
            "token": token,
            "type": "pageview",
            "url": f"{ORIGIN}/nieuws?utm_source=x",
            "referrer": "https://www.google.nl/",
            "screen": "laptop",
        }
    )


@dataclass(frozen=True)
class Stored:
    events: int
    sessions: int
    session_pageviews: int  # the visits' own pageview counters, summed

    @classmethod
    def read(cls, database: Database) -> Stored:
        events = database.query("SELECT count(*) FROM analytics_events")[0][0]
        sessions, pageviews = database.query("SELECT count(*), sum(pageviews) FROM analytics_sessions")[0]
        return cls(events, sessions, pageviews or 0)


def settle(database: Database, timeout: float = 5.0) -> Stored:
    """The counts once requests still in flight when wrk stopped have committed (two equal reads)."""
    previous = Stored.read(database)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.3)
        current = Stored.read(database)
        if current == previous:
            return current
        previous = current
    return previous


def bench_backend(
    backend: str, load: Load, workers: int, visitors: int, rounds: int, profile_hits: int
) -> Iterator[str]:
    """Run the routes on a fresh database; yield the printed lines as the figures come in."""
    yield (
        f"collect {backend}: gunicorn sync x{workers} workers; wrk {load.threads} threads, "
        f"{load.connections} connections, {load.seconds:g} s after a {WARMUP_SECONDS:g} s warm-up; "
        f"{visitors} visitors; {os.cpu_count()} CPUs shared by wrk and the servers; "
        f"rate limits counted in {SETTINGS['RATELIMIT_STORAGE_URI']}"
    )
    with tempfile.TemporaryDirectory(prefix=f"collect-{backend}-") as name:
        directory = Path(name)
        with fresh_database(backend, directory) as database:
            with (
                running_server(database, directory, SETTINGS, workers=workers) as server,
                hello_server(directory, workers) as hello_process,
            ):
                jobs = run_jobs_once(database, directory)
                bodies = [pageview(token) for token in visitor_tokens(server, visitors)]
                get_headers = {"User-Agent": CHROME_UA}
                post_headers = browser_headers(**{"Content-Type": "text/plain"})
                trivial = Target("trivial", server, "GET", TRIVIAL_PATH, get_headers, 200)
                collect = Target("collect", server, "POST", COLLECT_PATH, post_headers, 202, bodies)
                hello = Target("hello", hello_process, "GET", HELLO_PATH, get_headers, 200)
                for target in (trivial, collect, hello):
                    target.check()
                yield f"  before the load: `consent-server analytics jobs` once ({jobs})"
                stored = acknowledged = 0
                ratios: list[tuple[float, float]] = []
                for number in range(1, rounds + 1):
                    load_average = os.getloadavg()[0]
                    trivial_result = measure(trivial, directory, load)
                    script = warm_up(collect, directory, load)
                    before = settle(database)
                    collect_result = run_wrk(collect.url, script, load.seconds, load, collect.expected)
                    after = settle(database)
                    hello_result = measure(hello, directory, load)
                    stored += after.events - before.events
                    acknowledged += collect_result.statuses[collect.expected]
                    ratios.append(
                        (ratio(collect_result, trivial_result), ratio(collect_result, hello_result))
                    )
                    if rounds > 1:
                        yield f"  round {number} of {rounds}:"
                    yield trivial_result.line(f"trivial  GET {TRIVIAL_PATH} (same server)")
                    yield collect_result.line(f"collect  POST {COLLECT_PATH}")
                    yield hello_result.line(f"hello    GET {HELLO_PATH} (bench/hello.py)")
                    yield (
                        f"  ratio collect/trivial {ratios[-1][0]:.2f}   collect/hello {ratios[-1][1]:.2f}   "
                        f"trivial/hello {ratio(trivial_result, hello_result):.2f}   "
                        f"(1-min load average {load_average:.2f} when the round began)"
                    )
                if rounds > 1:
                    yield (
                        f"  median of {rounds} rounds: collect/trivial "
                        f"{statistics.median(r[0] for r in ratios):.2f}   "
                        f"collect/hello {statistics.median(r[1] for r in ratios):.2f}"
                    )
                yield (
                    f"  stored vs acknowledged: {stored} analytics_events rows added during the measured "
                    f"run{'s' if rounds > 1 else ''}, {acknowledged} answered 202 (difference "
                    f"{stored - acknowledged:+d}; sent but unanswered when wrk stopped: at most "
                    f"{load.connections * rounds})"
                )
                yield (
                    f"  visits: {after.sessions} analytics_sessions, their pageview counters sum to "
                    f"{after.session_pageviews} for {after.events} stored pageview events "
                    f"(difference {after.session_pageviews - after.events:+d})"
                )
                yield from server_errors(server.log_text())
            if profile_hits:
                yield from profile_collector(database, bodies, profile_hits)


# The last line of a Python traceback: "package.module.SomeError: message" (or "SomeError(...)").
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Violation)\b[:(].*")


def server_errors(log: str, limit: int = 3) -> list[str]:
    """The exceptions in a server log, most frequent first, each with its count (messages cut short)."""
    found = Counter(line[:220] for line in log.splitlines() if EXCEPTION_LINE.match(line))
    unhandled = log.count("unhandled error on ")
    jobs = log.count("periodic jobs failed")
    if not found and not unhandled and not jobs:
        return ["  server log: no exceptions"]
    lines = [f"  server log: {unhandled} unhandled request errors, {jobs} failed periodic-job runs"]
    lines += [f"    {count} x {line}" for line, count in found.most_common(limit)]
    return lines


def ratio(numerator: WrkResult, denominator: WrkResult) -> float:
    return numerator.rate / denominator.rate if denominator.rate else math.nan


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """os.environ replaced by values for the duration (create_app reads its settings from it)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


# (label, file suffix, function name): where a collector hit can spend its time, for the profile summary.
HOT_SPOTS = (
    ("whole request (Flask app, in-process)", "flask/app.py", "wsgi_app"),
    ("rate limiter (Flask-Limiter, both checks)", "flask_limiter/_extension.py", "_check_request_limit"),
    ("  memory:// incr (starts a Timer thread)", "limits/storage/memory.py", "incr"),
    ("CORS preflight hook: registered_origins()", "consent_server/cors.py", "registered_origins"),
    ("json_body()", "consent_server/edge.py", "json_body"),
    ("pydantic validate(CollectIn)", "consent_server/validation.py", "validate"),
    ("Collector.site() (per-worker snapshot)", "consent_server/collect/runtime.py", "site"),
    ("ConsentTokens.verify()", "consent_server/tokens.py", "verify"),
    ("Collector.latest_choice() (the one read)", "consent_server/collect/runtime.py", "latest_choice"),
    ("current_visitor() (UA parse, cached)", "consent_server/consent/routes.py", "current_visitor"),
    ("prepare_hit()", "consent_server/collect/services.py", "prepare_hit"),
    ("HitBuffer.add()", "consent_server/collect/runtime.py", "add"),
    ("HitBuffer.flush() (batch writes, other thread)", "consent_server/collect/runtime.py", "flush"),
    ("  store_hits()", "consent_server/collect/services.py", "store_hits"),
    ("db.session.commit()", "sqlalchemy/orm/scoping.py", "commit"),
    ("  DBAPI commit (fsync / WAL)", "~", "<method 'commit' of 'sqlite3.Connection' objects>"),
    ("  DBAPI commit (psycopg)", "psycopg/connection.py", "commit"),
    ("session teardown (remove)", "sqlalchemy/orm/scoping.py", "remove"),
    ("every SQL statement sent, commit excluded", "sqlalchemy/engine/base.py", "_execute_clauseelement"),
    ("apply_security_headers()", "consent_server/edge.py", "apply_security_headers"),
)


def profile_collector(database: Database, bodies: Sequence[str], hits: int) -> list[str]:
    """Send hits pageviews through the Flask test client: time them, count statements, run cProfile."""
    from sqlalchemy import event

    from consent_server import create_app
    from consent_server.collect.runtime import shutdown_collector
    from consent_server.extensions import db

    with environment(server_environment(database, SETTINGS)):
        app = create_app()
    client = app.test_client()
    headers = browser_headers(**{"Content-Type": "text/plain"})

    def send(count: int) -> None:
        for n in range(count):
            response = client.post(COLLECT_PATH, data=bodies[n % len(bodies)], headers=headers)
            if response.status_code != 202:
                raise RuntimeError(f"collect answered {response.status_code}: {response.data[:300]!r}")

    statements: Counter[str] = Counter()
    checkouts = 0

    def count_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        table = next(
            (w for w, prev in zip(words[1:], words, strict=False) if prev in {"FROM", "INTO", "UPDATE"}), ""
        )
        statements[f"{words[0]} {table}".strip()] += 1

    def count_checkout(*_args: Any) -> None:
        nonlocal checkouts
        checkouts += 1

    send(len(bodies))  # every visitor has an open visit, as in the wrk run
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count_statement)
    event.listen(engine, "checkout", count_checkout)
    started = time.perf_counter()
    send(hits)
    plain_ms = (time.perf_counter() - started) / hits * 1e3
    event.remove(engine, "before_cursor_execute", count_statement)
    event.remove(engine, "checkout", count_checkout)

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    send(hits)
    profiler.disable()
    profiled_ms = (time.perf_counter() - started) / hits * 1e3
    shutdown_collector(app)  # writes the last batch while the database is still there
    with app.app_context():
        db.engine.dispose()

    stats = pstats.Stats(profiler)
    table: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    per_statement = ", ".join(f"{kind} {count / hits:g}" for kind, count in statements.most_common())
    lines = [
        f"  profile ({hits} pageviews in-process, Flask test client, no gunicorn): "
        f"{plain_ms:.2f} ms/hit plain, {profiled_ms:.2f} ms/hit under cProfile",
        f"    SQL statements per hit: {sum(statements.values()) / hits:g} ({per_statement}); "
        f"pool checkouts per hit: {checkouts / hits:g} (each pinged first when pool_pre_ping is on)",
        "    cumulative ms per hit under cProfile (nested rows are part of the row above):",
    ]
    for label, suffix, function in HOT_SPOTS:
        spent = sum(
            cumulative
            for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in table.items()
            if name == function and filename.endswith(suffix)
        )
        if spent:
            lines.append(f"      {label:<44} {spent / hits * 1e3:6.3f}")
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(15)
    lines.append("    top 15 functions by own time (cProfile):")
    prefixes = (sysconfig.get_paths()["purelib"] + os.sep, str(ROOT) + os.sep)
    for row in _stats_rows(buffer.getvalue()):
        for prefix in prefixes:
            row = row.replace(prefix, "")
        lines.append(f"      {row}")
    return lines


def _stats_rows(text: str) -> list[str]:
    rows = text.splitlines()
    header = next((i for i, row in enumerate(rows) if row.lstrip().startswith("ncalls")), 0)
    return [row for row in rows[header:] if row.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured wrk time per route")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--visitors", type=int, default=50, help="consented visitors sending pageviews")
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat the three runs (the machine is shared: see the spread)"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="HITS", help="also profile HITS hits in-process (cProfile)"
    )
    parser.add_argument(
        "--ratelimit-storage",
        default="memory://",
        metavar="URI",
        help="CONSENT_RATELIMIT_STORAGE_URI of the server (redis://... is what several workers need)",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("collect: wrk is not installed (https://github.com/wg/wrk)")
        return 2
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads (wrk gives each thread its share)")
    if min(args.workers, args.threads, args.visitors, args.rounds) < 1 or args.seconds < 1:
        parser.error("--workers, --threads, --visitors, --rounds and --seconds must be at least 1")
    load = Load(args.seconds, args.connections, args.threads)
    SETTINGS["RATELIMIT_STORAGE_URI"] = args.ratelimit_storage
    for backend in BACKENDS if args.backend == "both" else (args.backend,):
        if backend == "postgresql" and (reason := postgres_unavailable()):
            print(f"collect {backend}: skipped, {reason}")
            continue
        for line in bench_backend(backend, load, args.workers, args.visitors, args.rounds, args.profile):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
