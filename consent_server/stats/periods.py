"""Date ranges of the statistics, in Plausible's Stats API v1 vocabulary, in UTC days.

Rollups are kept per UTC day, so every period is a range of whole UTC days and the "site timezone" is
UTC: a visit at 00:30 in Amsterdam (23:30 UTC the day before) counts on the UTC day before.

Periods, relative to an anchor `date` (default: today, UTC):

- `day`: that day; `7d` / `30d`: the 7 / 30 days ending with it (the anchor included);
- `month`: the calendar month it falls in; `6mo` / `12mo`: the 6 / 12 calendar months ending with its month;
- `custom` with `date=YYYY-MM-DD,YYYY-MM-DD`: both days included.

The comparison ("previous period") is the range of equal length that ends the day before the period
starts. For a period that is still running (this month, `6mo`...), only its days up to today count for the
length, so 25 days of this month are compared with the 25 days before it, not with a whole month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..errors import InvalidInput
from ..timeutil import add_months

PERIODS = ("day", "7d", "30d", "month", "6mo", "12mo", "custom")
INTERVALS = ("hour", "day", "month")
DEFAULT_PERIOD = "30d"
# A custom range may reach back over the whole retention period (26 months) and a bit.
MAX_CUSTOM_DAYS = 1200
# Statistics exist for 26 months; these bounds only keep date arithmetic inside Python's calendar.
EARLIEST = date(1970, 1, 1)
LATEST = date(9000, 12, 31)


@dataclass(frozen=True)
class DateRange:
    """Whole UTC days from `first` to `last`, both included; `today` is the day "now" falls on."""

    first: date
    last: date
    period: str
    today: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def elapsed_last(self) -> date:
        """The last day of the range that has begun: `last`, or today for a range still running."""
        return max(self.first, min(self.last, self.today))

    def previous(self) -> DateRange:
        """The period of equal length (counting only the days that have begun) just before this one."""
        length = (self.elapsed_last - self.first).days + 1
        last = self.first - timedelta(days=1)
        return DateRange(last - timedelta(days=length - 1), last, "custom", self.today)

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=offset) for offset in range(self.days)]

    def as_json(self) -> list[str]:
        return [self.first.isoformat(), self.last.isoformat()]


def _parse_date(value: str, field: str = "date") -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"Failed to parse `{field}` parameter: `{value}` is not a date in the format YYYY-MM-DD.",
            fields={field: "expected YYYY-MM-DD"},
        ) from None


def parse_period(period: str | None, date_param: str | None, today: date) -> DateRange:
    """Resolve Plausible's `period` and `date` parameters to whole UTC days.

    `today` is the current UTC date (the caller's clock). Raises InvalidInput with a message that names
    the parameter, the way Plausible's API does.
    """
    outside = InvalidInput("The date is outside the calendar.", fields={"date": "out of range"})
    try:
        resolved = _resolve(period or DEFAULT_PERIOD, date_param, today)
        resolved.previous()  # the comparison must exist too
    except (OverflowError, ValueError):  # year 1 or 9999: the period would leave the calendar
        raise outside from None
    if not (resolved.first >= EARLIEST and resolved.last <= LATEST):
        raise outside
    return resolved


def _resolve(period: str, date_param: str | None, today: date) -> DateRange:
    if period not in PERIODS:
        raise InvalidInput(
            f"Invalid period `{period}`: use one of {', '.join(PERIODS)}.",
            fields={"period": f"one of {', '.join(PERIODS)}"},
        )
    if period == "custom":
        if not date_param:
            raise InvalidInput(
                "The `date` parameter is required with period=custom: date=YYYY-MM-DD,YYYY-MM-DD.",
                fields={"date": "required for period=custom"},
            )
        parts = date_param.split(",")
        if len(parts) != 2:
            raise InvalidInput(
                "Invalid `date` for period=custom: expected two dates, date=YYYY-MM-DD,YYYY-MM-DD.",
                fields={"date": "expected YYYY-MM-DD,YYYY-MM-DD"},
            )
        first, last = (_parse_date(part.strip()) for part in parts)
        if first > last:
            raise InvalidInput(
                f"Invalid custom period: the first date {first} is after the last date {last}.",
                fields={"date": "the first date must not be after the last"},
            )
        if (last - first).days + 1 > MAX_CUSTOM_DAYS:
            raise InvalidInput(
                f"A custom period may cover at most {MAX_CUSTOM_DAYS} days.",
                fields={"date": f"at most {MAX_CUSTOM_DAYS} days"},
            )
        return DateRange(first, last, period, today)

    anchor = _parse_date(date_param) if date_param else today
    if period == "day":
        return DateRange(anchor, anchor, period, today)
    if period in {"7d", "30d"}:
        length = int(period[:-1])
        return DateRange(anchor - timedelta(days=length - 1), anchor, period, today)
    month_first = anchor.replace(day=1)
    month_last = add_months_date(month_first, 1) - timedelta(days=1)
    if period == "month":
        return DateRange(month_first, month_last, period, today)
    months = int(period[:-2])  # 6mo, 12mo
    return DateRange(add_months_date(month_first, -(months - 1)), month_last, period, today)


def add_months_date(day: date, months: int) -> date:
    """A date moved by whole calendar months (clamped to the month's last day)."""
    moved = add_months(datetime(day.year, day.month, day.day, tzinfo=UTC), months)
    return moved.date()


def parse_interval(interval: str | None, period: DateRange) -> str:
    """`day` (Plausible's older spelling `date` too), `month`, or `hour` for a one-day period.

    Default: `month` for 6mo and 12mo, `day` otherwise. Raises InvalidInput.
    """
    if not interval:
        return "month" if period.period in {"6mo", "12mo"} else "day"
    if interval == "date":
        interval = "day"
    if interval not in INTERVALS:
        raise InvalidInput(
            f"Invalid interval `{interval}`: use day or month (hour for a single day).",
            fields={"interval": "one of day, month, hour"},
        )
    if interval == "hour" and period.days != 1:
        raise InvalidInput(
            "The hour interval is only available for a single day (period=day).",
            fields={"interval": "hour needs period=day"},
        )
    return interval
