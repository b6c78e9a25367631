"""RFC 3339 date-times, read strictly: the format the fragment's ``date-time`` fields promise.

``datetime.fromisoformat`` reads ISO 8601, which is much more: ``2020-01-01`` (no time),
``20200101``, ``2020-W01-1`` (week dates), ``2020-01-01T00:00:00`` (no offset, so no instant at
all), ``2020-01-01 00:00``, ``T00`` hours. A filter or a fixture that quietly picks a meaning for
those hides a mistake; the sandbox answers them with a 400 (or a 422 for an order description).

Accepted: ``YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`` with ASCII digits, ``T``/``Z`` in
either case (RFC 3339 section 5.6 allows lower case). Fractions beyond microseconds are
truncated; a leap second (``:60``) is read as the last microsecond of its minute, because Python's
datetime cannot hold it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_DATE_TIME = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"[Tt](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]+))?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<offset_hour>[0-9]{2}):(?P<offset_minute>[0-9]{2}))"
)


def parse_datetime(text: str) -> datetime:
    """An aware datetime from an RFC 3339 date-time; ValueError for anything else."""
    match = _DATE_TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not an RFC 3339 date-time: {text!r}")
    part = match.groupdict()
    if part["utc"]:
        zone = UTC
    else:
        hours, minutes = int(part["offset_hour"]), int(part["offset_minute"])
        if hours > 23 or minutes > 59:
            raise ValueError(f"not a valid UTC offset: {text!r}")
        offset = timedelta(hours=hours, minutes=minutes)
        zone = timezone(-offset if part["sign"] == "-" else offset)
    second = int(part["second"])
    fraction = (part["fraction"] or "")[:6].ljust(6, "0")
    microsecond = int(fraction)
    if second == 60:  # a leap second
        second, microsecond = 59, 999_999
    # datetime() checks the calendar: month 13, February 30, hour 24 are ValueErrors.
    return datetime(
        int(part["year"]),
        int(part["month"]),
        int(part["day"]),
        int(part["hour"]),
        int(part["minute"]),
        second,
        microsecond,
        tzinfo=zone,
    )


__all__ = ["parse_datetime"]
