"""Days as the office lives them: WITA days (the project's time zone)."""

import datetime as dt

from django.utils import timezone


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in WITA, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


MONTH_FORMAT = "%Y-%m"  # 2020-02: as the browser's month picker sends a month


def parse_month(value: str) -> dt.date:
    """The first day of the month written as 2020-02; ValueError for anything else."""
    return dt.datetime.strptime(value.strip(), MONTH_FORMAT).date()


def month_start(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()).replace(day=1)


def month_end(first: dt.date) -> dt.date:
    """The last day of the month that starts on ``first``."""
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
