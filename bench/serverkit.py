"""Run a real `consent-server serve` on a fresh database, stream consents at it, read what it stored.

Shared by bench/durability.py (which prints figures) and tests/integration/test_server_process.py
(which asserts them), so that both measure the same thing.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.factories import browser_headers, consent_body, site_document

BACKENDS = ("sqlite", "postgresql")
POSTGRES_ADMIN_URL = os.environ.get(
    "CONSENT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SECRET_KEY = "serverkit-secret-key-for-test-servers-only"
CONSENT_PATH = "/api/v1/consent"
# The stream comes from one client network; it measures commits, not the rate limiter.
UNLIMITED = "1000000/minute"
JSON_HEADERS = {**browser_headers(), "Content-Type": "application/json"}


def _libpq(url: str) -> str:
    return url.replace("+psycopg", "", 1)


def postgres_unavailable(admin_url: str = POSTGRES_ADMIN_URL) -> str | None:
    """Why no PostgreSQL database can be created here, or None when a server answers."""
    try:
        with psycopg.connect(_libpq(admin_url), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL answers at {admin_url}: {' '.join(str(exc).split())[:160]}"


@dataclass(frozen=True)
class Database:
    """The database of one server run: its SQLAlchemy URL and, for SQLite, its file."""

    backend: str
    url: str
    sqlite_file: Path | None = None

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        """Run one statement on a connection of its own and return the rows."""
        engine = create_engine(self.url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(statement))]
        finally:
            engine.dispose()

    def consent_ids(self) -> set[str]:
        return {row[0] for row in self.query("SELECT consent_id FROM consent_records")}

    def everything_stored(self) -> str:
        """Every byte the database keeps, as text: for SQLite the file with its -wal and -shm (free pages
        and uncheckpointed frames included), for PostgreSQL every row of every table in `public` as JSON
        followed by what `pg_dump` writes (when the client is installed).

        Read this before opening the database otherwise: closing the last SQLite connection checkpoints
        and removes the -wal file.
        """
        if self.sqlite_file is not None:
            files = [self.sqlite_file.with_name(self.sqlite_file.name + s) for s in ("", "-wal", "-shm")]
            return "".join(path.read_bytes().decode("latin-1") for path in files if path.exists())
        tables = self.query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        rows = [
            row[0]
            for (table,) in tables
            for row in self.query(f'SELECT row_to_json(t)::text FROM public."{table}" AS t')
        ]
        return "\n".join([*rows, self.pg_dump()])

    def pg_dump(self) -> str:
        """The whole database as `pg_dump` writes it (every schema, partitions included); "" without it."""
        binary = shutil.which("pg_dump")
        if binary is None:
            return ""
        result = subprocess.run(
            [binary, "--no-owner", "--dbname", _libpq(self.url)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return result.stdout


@contextmanager
def fresh_database(backend: str, directory: Path) -> Iterator[Database]:
    """An empty database for one run: a SQLite file in directory, or a PostgreSQL database dropped after."""
    if backend == "sqlite":
        path = directory / "consent.sqlite"
        yield Database(backend, f"sqlite:///{path}", path)
        return
    if backend != "postgresql":
        raise ValueError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    name = f"consent_proc_{uuid.uuid4().hex[:10]}"
    admin = _libpq(POSTGRES_ADMIN_URL)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield Database(backend, f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http_request(
    host: str,
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10.0,
) -> Reply:
    """Send one request on a connection of its own (gunicorn's sync workers close every connection).

    Raises OSError or http.client.HTTPException when no complete answer arrives.
    """
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return Reply(response.status, response.read())
    finally:
        connection.close()


def free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def consent_server_command() -> list[str]:
    """The console script of this interpreter's environment; `python -m consent_server` without one."""
    script = Path(sys.executable).with_name("consent-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "consent_server"]


def server_environment(database: Database, settings: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without its CONSENT_* settings, plus the run's own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CONSENT_")}
    env.update(
        CONSENT_DATABASE_URL=database.url,
        CONSENT_SECRET_KEY=SECRET_KEY,
        CONSENT_RATELIMIT_STORAGE_URI="memory://",
        FLASK_SKIP_DOTENV="1",  # a developer's .env must not change what is measured
        PYTHONUNBUFFERED="1",
    )
    env.update({f"CONSENT_{name}": value for name, value in settings.items()})
    return env


@dataclass
class ServerProcess:
    """A running `consent-server serve`: the gunicorn master leads a process group holding its workers."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    log_path: Path

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def log_text(self) -> str:
        """Everything the server and its setup commands wrote to stdout and stderr."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 10.0,
    ) -> Reply:
        return http_request(self.host, self.port, method, path, body, headers, timeout)

    def post_consent(self, headers: Mapping[str, str] | None = None, **overrides: Any) -> Reply:
        """POST a valid consent (tests.factories.consent_body with overrides) from the example origin."""
        body = json.dumps(consent_body(**overrides)).encode()
        return self.request("POST", CONSENT_PATH, body, {**JSON_HEADERS, **(headers or {})})

    def send_raw(self, data: bytes, timeout: float = 10.0) -> bytes:
        """Write bytes that http.client would refuse to send (malformed requests); return the answer."""
        with socket.create_connection((self.host, self.port), timeout=timeout) as connection:
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def wait_healthy(self, timeout: float) -> None:
        """Return once /healthz answers 200. Raises RuntimeError if the server exits or stays silent."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log_tail()}")
            with suppress(OSError, http.client.HTTPException):
                if self.request("GET", "/healthz", timeout=2).status == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: nothing gets to flush, close or clean up."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 30.0) -> int:
        """Stop gracefully as systemd does (SIGTERM to the whole group); return the exit code.

        Raises RuntimeError (after a SIGKILL) when the server has not stopped within timeout.
        """
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError(f"the server ignored SIGTERM for {timeout:.0f}s") from None


def _run_cli(args: list[str], env: Mapping[str, str], directory: Path, log: Any) -> None:
    result = subprocess.run(
        [*consent_server_command(), *args],
        env=env,
        cwd=directory,
        stdout=log,
        stderr=subprocess.STDOUT,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"`consent-server {' '.join(args)}` failed with {result.returncode}; see {log.name}"
        )


@contextmanager
def running_server(
    database: Database,
    directory: Path,
    settings: Mapping[str, str] | None = None,
    host: str = "127.0.0.1",
    workers: int = 2,
    startup_timeout: float = 30.0,
) -> Iterator[ServerProcess]:
    """Migrate the database, import the example site, serve it and wait for /healthz.

    settings are extra CONSENT_* variables without the prefix, e.g. {"TRUSTED_PROXIES": "1"}. stdout and
    stderr of every command go to directory/server.log. Whatever happens, the process group is killed
    on the way out.
    """
    env = server_environment(database, settings or {})
    site_file = directory / "site.json"
    site_file.write_text(json.dumps(site_document()), encoding="utf-8")
    log_path = directory / "server.log"
    port = free_port(host)
    with log_path.open("ab") as log:
        _run_cli(["db", "upgrade"], env, directory, log)
        _run_cli(["sites", "import", str(site_file)], env, directory, log)
        serve = ["serve", "--host", host, "--port", str(port), "--workers", str(workers)]
        process = subprocess.Popen(
            [*consent_server_command(), *serve],
            env=env,
            cwd=directory,
            stdout=log,
            stderr=subprocess.STDOUT,
            process_group=0,  # its own group, so killpg reaches the workers and nothing else
        )
    server = ServerProcess(process, host, port, log_path)
    try:
        server.wait_healthy(startup_timeout)
        yield server
    finally:
        server.kill()


@dataclass(frozen=True)
class StreamTally:
    """What the clients saw: every consent id answered 201, every status, the requests left unanswered."""

    acknowledged: list[str]
    statuses: Counter[int]
    cut_off: int  # started before the kill and never answered: in flight when it landed
    refused: int  # started after the kill: nobody was listening any more

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def sent(self) -> int:
        """Requests that reached a live server (answered or cut off by the kill)."""
        return self.answered + self.cut_off


class ConsentStream:
    """Client threads that POST consents back to back, each on a fresh connection, until stopped."""

    def __init__(self, server: ServerProcess, threads: int):
        self._server = server
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._acknowledged: list[str] = []
        self._statuses: Counter[int] = Counter()
        self._killed = threading.Event()
        self._cut_off = 0
        self._refused = 0
        self._threads = [
            threading.Thread(target=self._send_until_stopped, name=f"consent-client-{n}", daemon=True)
            for n in range(threads)
        ]

    def __enter__(self) -> ConsentStream:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def acknowledged_count(self) -> int:
        with self._lock:
            return len(self._acknowledged)

    def wait(self, acknowledged: int | None, timeout: float) -> None:
        """Block until this many consents were acknowledged (None: no count), at most timeout seconds."""
        target = math.inf if acknowledged is None else acknowledged
        deadline = time.monotonic() + timeout
        while self.acknowledged_count() < target and time.monotonic() < deadline:
            time.sleep(0.005)

    def note_kill(self) -> None:
        """Call just before killing the server: unanswered requests started later count as refused."""
        self._killed.set()

    def stop(self) -> StreamTally:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        with self._lock:
            return StreamTally(
                list(self._acknowledged), Counter(self._statuses), self._cut_off, self._refused
            )

    def _send_until_stopped(self) -> None:
        body = json.dumps(consent_body()).encode()
        while not self._stop.is_set():
            after_kill = self._killed.is_set()
            try:
                reply = self._server.request("POST", CONSENT_PATH, body, JSON_HEADERS)
            except (OSError, http.client.HTTPException):
                with self._lock:
                    if after_kill:
                        self._refused += 1
                    else:
                        self._cut_off += 1
                time.sleep(0.01)  # the server is gone; do not spin
                continue
            consent_id = reply.json()["consent_id"] if reply.status == 201 else None
            with self._lock:
                self._statuses[reply.status] += 1
                if consent_id:
                    self._acknowledged.append(consent_id)


@dataclass(frozen=True)
class DurabilityReport:
    backend: str
    seconds: float  # streaming time until the SIGKILL
    tally: StreamTally
    stored: frozenset[str]  # every consent id in consent_records after the kill

    @property
    def lost(self) -> list[str]:
        """Consent ids answered 201 that the database does not hold: each one breaks the contract."""
        return [consent_id for consent_id in self.tally.acknowledged if consent_id not in self.stored]

    @property
    def found(self) -> int:
        return len(self.tally.acknowledged) - len(self.lost)

    def summary(self) -> str:
        tally = self.tally
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(tally.statuses.items()))
        return (
            f"durability {self.backend}: acknowledged={len(tally.acknowledged)} found={self.found} "
            f"(requests sent={tally.sent} in {self.seconds:.1f}s: answered {{{statuses}}}, "
            f"cut off by the SIGKILL={tally.cut_off}; refused after it={tally.refused}; "
            f"rows stored={len(self.stored)})"
        )


def measure_durability(
    backend: str,
    directory: Path,
    seconds: float,
    threads: int,
    kill_after: int | None = None,
    keep_sending: float = 0.5,
) -> DurabilityReport:
    """Stream consents at a fresh server, SIGKILL its process group mid-stream, then read the database.

    The kill comes after kill_after acknowledged consents or after seconds, whichever is first, while
    every client has a request in flight; the clients go on for keep_sending seconds into the dead port.
    """
    with (
        fresh_database(backend, directory) as database,
        running_server(database, directory, {"RATELIMIT_CONSENT": UNLIMITED}) as server,
    ):
        with ConsentStream(server, threads) as stream:
            started = time.monotonic()
            stream.wait(kill_after, timeout=seconds)
            elapsed = time.monotonic() - started
            stream.note_kill()
            server.kill()
            time.sleep(keep_sending)
            tally = stream.stop()
        return DurabilityReport(backend, elapsed, tally, frozenset(database.consent_ids()))
