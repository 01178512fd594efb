"""Thin Click commands over the services. Each command commits once, at its end."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from .accounts.services import create_user
from .analytics.jobs import run_due_jobs
from .analytics.rollups import refresh_day, refresh_months
from .auth.services import create_api_key, normalise_email
from .edge import parse_text
from .errors import DomainError
from .extensions import db
from .models import User, record_audit
from .retention.services import purge
from .sites.services import create_site, export_site, get_site, import_site
from .timeutil import isoformat, parse_iso, utcnow

sites = AppGroup("sites", help="Create, import and export site configurations.")
users = AppGroup("users", help="Manage dashboard users.")
retention = AppGroup("retention", help="Apply the retention rules.")
analytics = AppGroup("analytics", help="Rollups and periodic analytics jobs.")


def fail(exc: DomainError) -> None:
    """Print a refusal the way an operator can act on it, and exit non-zero."""
    click.echo(f"Error: {exc.message}", err=True)
    for field, message in exc.fields.items():
        click.echo(f"  {field}: {message}", err=True)
    db.session.rollback()
    sys.exit(2)


@sites.command("create")
@click.argument("key")
@click.option("--name", required=True, help="Display name of the site.")
@click.option("--origin", "origins", multiple=True, required=True, help="https://host the widget runs on.")
def sites_create(key: str, name: str, origins: tuple[str, ...]) -> None:
    """Create a site with the necessary category and default nl/en texts."""
    try:
        site = create_site(db.session, key, name, list(origins))
        record_audit("cli", "site.create", key)
        db.session.commit()
    except DomainError as exc:
        fail(exc)
    click.echo(f"Created site {site.key!r} for {', '.join(site.origins)}.")


# A site document nests site > services > cookies > texts > language > field, with room to spare.
SITE_DOC_DEPTH = 16


@sites.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def sites_import(file: Any) -> None:
    """Create or replace a site from a JSON configuration document (use - for stdin)."""
    try:
        # The API's parser: it also refuses NUL characters and lone surrogates, which databases reject.
        data = parse_text(file.read().encode("utf-8", "surrogatepass"), max_depth=SITE_DOC_DEPTH)
    except DomainError as exc:
        click.echo(f"Error: the file is not valid: {exc.message} {exc.fields or ''}".rstrip(), err=True)
        sys.exit(2)
    try:
        site, created = import_site(db.session, data)
        record_audit("cli", "site.import", site.key, policy_version=site.policy_version)
        db.session.commit()
    except DomainError as exc:
        fail(exc)
    verb = "Created" if created else "Replaced"
    click.echo(f"{verb} site {site.key!r}: {len(site.categories)} categories, {len(site.services)} services.")


@sites.command("export")
@click.argument("key")
def sites_export(key: str) -> None:
    """Print a site's full configuration document as JSON."""
    try:
        site = get_site(db.session, key)
    except DomainError as exc:
        fail(exc)
    click.echo(json.dumps(export_site(site), indent=2, ensure_ascii=False))


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "marketing"]), required=True)
@click.option("--site", "site_keys", multiple=True, help="Grant this site (repeatable).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, role: str, site_keys: tuple[str, ...], password_stdin: bool) -> None:
    """Create a dashboard user; without --password-stdin you are asked for the password."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(db.session, email, role, list(site_keys), password)
        db.session.commit()
    except DomainError as exc:
        fail(exc)
    click.echo(f"Created {user.role} {user.email}.")


@users.command("api-key")
@click.argument("email")
@click.option("--name", required=True, help="What the key is for (shown in the user's list of keys).")
def users_api_key(email: str, name: str) -> None:
    """Create a stats API key for a user and print it; it is stored hashed and never shown again."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if user is None:
        click.echo(f"Error: no user {email!r}.", err=True)
        sys.exit(2)
    try:
        api_key, secret = create_api_key(db.session, user, name, utcnow(), actor="cli")
        db.session.commit()
    except DomainError as exc:
        fail(exc)
    click.echo(f"Created API key {api_key.name!r} for {user.email}. It is shown only this once:")
    click.echo(secret)


@retention.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option(
    "--now", "now_text", metavar="ISO8601", help="Apply the rules as of this moment instead of now."
)
def retention_purge(dry_run: bool, now_text: str | None) -> None:
    """Delete everything older than its retention period and print the count per table."""
    try:
        now = parse_iso(now_text) if now_text else utcnow()
    except ValueError:
        raise click.BadParameter("use ISO 8601, e.g. 2026-11-25T12:00:00Z", param_hint="--now") from None
    deleted = purge(db.session, current_app.config, now, dry_run=dry_run, between_batches=db.session.commit)
    if not dry_run:
        record_audit("cli", "retention.purge", None, now=isoformat(now), deleted=deleted)
        db.session.commit()
    else:
        db.session.rollback()
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"Retention as of {isoformat(now)}:")
    for table, count in deleted.items():
        click.echo(f"  {table}: {verb} {count}")


@analytics.command("rollup")
@click.option("--day", "days", multiple=True, metavar="YYYY-MM-DD", help="A UTC day to rebuild (repeatable).")
@click.option("--last", type=click.IntRange(1, 800), help="Rebuild the last N days up to today.")
def analytics_rollup(days: tuple[str, ...], last: int | None) -> None:
    """Rebuild daily rollups from the raw events (today when no day is given), then the monthly
    rollups of every month that is over and not built (a rebuilt day makes its month one of those)."""
    try:
        chosen = [date.fromisoformat(day) for day in days]
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--day") from None
    today = utcnow().date()
    if last:
        chosen += [today - timedelta(days=offset) for offset in range(last)]
    for day in sorted(set(chosen or [today])):
        rows = refresh_day(db.session, day)
        db.session.commit()
        click.echo(f"  {day}: {rows} rollup rows")
    months = refresh_months(db.session, utcnow())
    db.session.commit()
    for month in months:
        click.echo(f"  {month:%Y-%m}: monthly rollups built")


@analytics.command("jobs")
def analytics_jobs() -> None:
    """Run the periodic jobs that are due (rollups, daily retention) once; for cron instead of `serve`."""
    ran = run_due_jobs(db.session, current_app.config, utcnow(), db.session.commit)
    click.echo(f"ran: {', '.join(ran) or 'nothing due'}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve_command(host: str, port: int, workers: int) -> None:
    """Run the production WSGI server (gunicorn)."""
    from .server import serve  # gunicorn is only imported where it serves

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    serve(app, host, port, workers, app.config["LOG_LEVEL"])


@click.command("scan")
@click.argument("url")
@click.option("--site", "site_key", required=True, help="The site whose declaration the scan checks.")
@click.option("--pages", default=10, show_default=True, type=click.IntRange(1, 1000), help="Pages per phase.")
@click.option(
    "--json",
    "json_file",
    type=click.File("w", encoding="utf-8"),
    help="Also write the report as JSON (- for stdout).",
)
@click.option(
    "--timeout", default=300.0, show_default=True, type=click.FloatRange(10, 1800), help="Seconds in all."
)
@click.option(
    "--page-timeout", default=15.0, show_default=True, type=click.FloatRange(1, 120), help="Seconds per page."
)
def scan_command(
    url: str, site_key: str, pages: int, json_file: Any, timeout: float, page_timeout: float
) -> None:
    """Scan a site in headless Chromium (no choice, reject all, accept all) against its declaration."""
    from .scan.driver import ScanOptions  # Playwright is only imported where a scan runs
    from .scan.report import render_text
    from .scan.services import execute_scan, start_scan

    try:
        site = get_site(db.session, site_key)
        scan = start_scan(db.session, site, url, pages, requested_by="cli")
        db.session.commit()
    except DomainError as exc:
        fail(exc)
    click.echo(f"Scanning {scan.url} for site {site_key!r} (scan {scan.id}) ...", err=True)
    options = ScanOptions(max_pages=pages, timeout_s=timeout, page_timeout_s=page_timeout)
    scan = execute_scan(db.session, scan.id, db.session.commit, options)
    if scan.status != "done" or scan.report is None:
        click.echo(f"Error: the scan failed: {scan.error}", err=True)
        sys.exit(1)
    # With --json - the JSON goes to standard output, and the text to standard error.
    to_stderr = json_file is not None and getattr(json_file, "name", "") == "<stdout>"
    click.echo(render_text(scan.report), err=to_stderr)
    if json_file is not None:
        json.dump(scan.report, json_file, indent=2, ensure_ascii=False)
        json_file.write("\n")


def register_commands(app: Flask) -> None:
    for group in (sites, users, retention, analytics):
        app.cli.add_command(group)
    app.cli.add_command(serve_command)
    app.cli.add_command(scan_command)
