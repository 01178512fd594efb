"""Hello-world Flask app: the baseline PRODUCT.md's throughput anchors are stated against.

bench/collect.py serves it as PRODUCT.md's throughput anchor was measured:

    gunicorn -w 2 bench.hello:app
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"


@app.get("/healthz")
def healthz() -> str:
    """So that bench.serverkit.ServerProcess.wait_healthy can wait for it too."""
    return "ok"
