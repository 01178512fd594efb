"""Calendar arithmetic in UTC: retention and consent lifetimes are counted in calendar months."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def add_months(moment: datetime, months: int) -> datetime:
    """Move by whole calendar months (negative goes back), clamping to the month's last day."""
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def parse_iso(value: str) -> datetime:
    """Parse an ISO 8601 timestamp; naive values are taken as UTC. Raises ValueError."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def isoformat(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z; a naive moment is taken as UTC, as parse_iso does."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def month_of(day: date) -> date:
    """The first day of the calendar month a day falls in."""
    return day.replace(day=1)


def month_after(month: date) -> date:
    """The first day of the calendar month after the one a day falls in."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
