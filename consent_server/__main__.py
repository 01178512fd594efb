"""The `consent-server` console script: Flask's CLI for this app (plus `db` and `demo` plugins)."""

from __future__ import annotations

from flask.cli import FlaskGroup

from . import create_app

main = FlaskGroup(
    create_app=lambda: create_app(), help="Self-hosted cookie consent and privacy-first analytics."
)

if __name__ == "__main__":
    main()
