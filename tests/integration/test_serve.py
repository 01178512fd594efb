"""`serve` hands gunicorn an empty context: forked workers must not share the CLI's app context."""

from __future__ import annotations

from typing import Any

import flask
import pytest

from consent_server import server


def test_gunicorn_runs_outside_the_clis_app_context(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_run(self: Any) -> None:
        seen["app_context"] = flask.has_app_context()
        seen["workers"] = self.cfg.workers
        seen["access_log_format"] = self.cfg.access_log_format

    monkeypatch.setattr(server.Server, "run", fake_run)
    monkeypatch.setattr(server, "configure_logging", lambda level: None)
    assert flask.has_app_context()  # as under `consent-server serve`, which Flask's CLI wraps in one
    server.serve(app, "127.0.0.1", 5999, 3, "INFO")
    assert seen == {"app_context": False, "workers": 3, "access_log_format": server.ACCESS_LOG_FORMAT}
    assert "%(h)s" not in server.ACCESS_LOG_FORMAT and "%(q)s" not in server.ACCESS_LOG_FORMAT
