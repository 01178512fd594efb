"""The production WSGI server: gunicorn, configured so that no log line carries a client address."""

from __future__ import annotations

import contextvars
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from .analytics.jobs import start_scheduler
from .analytics.partitions import ensure_partitions
from .collect.runtime import shutdown_collector
from .extensions import db
from .logs import AddressScrubber, configure_logging
from .timeutil import utcnow

# No %(h)s (address), no %(q)s / %(r)s (query strings may carry personal data), no headers.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class PrivateLogger(Logger):
    """gunicorn's logger with the address scrubber on every handler (gunicorn logs peers on errors)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(AddressScrubber())


def _post_fork(_server: Any, worker: Any) -> None:
    # Connections opened before the fork must not be shared between workers.
    app = worker.app.flask_app
    with app.app_context():
        db.engine.dispose(close=False)
    # Every worker ticks; leases in the database let exactly one of them (of any instance) do each job.
    start_scheduler(app)


def _worker_exit(_server: Any, worker: Any) -> None:
    # A graceful stop (SIGTERM, SIGINT, a reload) ends here: write the hits this worker acknowledged.
    shutdown_collector(worker.app.flask_app)


class Server(BaseApplication):
    def __init__(self, app: Flask, options: dict[str, Any]):
        self.flask_app = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.flask_app


def serve(app: Flask, host: str, port: int, workers: int, log_level: str) -> None:
    """Run gunicorn in the foreground with the given app; blocks until gunicorn stops."""
    configure_logging(log_level)
    with app.app_context():
        # Before any worker takes traffic: this month's partitions exist, nothing lands in DEFAULT.
        ensure_partitions(db.session.connection(), utcnow())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    server = Server(
        app,
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "sync",
            "accesslog": "-",
            "errorlog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "logger_class": PrivateLogger,
            "loglevel": log_level.lower(),
            "graceful_timeout": 20,
            "timeout": 30,
            "keepalive": 5,
            "proc_name": "consent-server",
            "post_fork": _post_fork,
            "worker_exit": _worker_exit,
        },
    )
    # The CLI runs commands inside an app context; workers forked from it would share one `g` and one
    # database session for every request (one failed flush would then fail them all). Serve from an
    # empty context so each request gets its own.
    contextvars.Context().run(server.run)
