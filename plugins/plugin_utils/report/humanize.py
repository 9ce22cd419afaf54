# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Times and durations as people read them: local time of the RPI, minutes and hours.

Reports store UTC; the page shows the time zone recorded in the report (Guatemala by
default), so re-rendering a report anywhere gives the same page.
"""

from __future__ import annotations

import datetime

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import parse_iso

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
except ImportError:  # pragma: no cover - Python < 3.9 is not supported by ansible-core 2.19 anyway
    ZoneInfo = None  # type: ignore[assignment,misc]
    ZoneInfoNotFoundError = Exception  # type: ignore[assignment,misc]


def zone(name: str | None) -> datetime.tzinfo:
    """The named zone, or UTC when this machine has no tz database for it."""
    if name and ZoneInfo is not None:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return datetime.timezone.utc


def zone_label(name: str | None, at: str | None = None) -> str:
    """`America/Guatemala (UTC-06:00)`, the offset taken at the given time (the run's start)."""
    tz = zone(name)
    offset = (parse_iso(at) or datetime.datetime.now(datetime.timezone.utc)).astimezone(tz).strftime("%z")
    label = name if tz is not datetime.timezone.utc else "UTC"
    return f"{label} (UTC{offset[:3]}:{offset[3:]})" if offset else label


_FORMATS = {
    "es": {"datetime": "%d/%m/%Y %H:%M", "seconds": "%d/%m/%Y %H:%M:%S", "time": "%H:%M:%S"},
    "en": {"datetime": "%Y-%m-%d %H:%M", "seconds": "%Y-%m-%d %H:%M:%S", "time": "%H:%M:%S"},
}


def local_time(stamp: str | None, zone_name: str | None, language: str, style: str = "datetime") -> str:
    """A stored UTC time in the report's zone; style is `datetime`, `seconds` or `time`."""
    moment = parse_iso(stamp)
    if moment is None:
        return ""
    formats = _FORMATS.get(language, _FORMATS["es"])
    return moment.astimezone(zone(zone_name)).strftime(formats.get(style, formats["datetime"]))


def duration(seconds: float | None) -> str:
    """`45 s`, `3 min 20 s`, `1 h 05 min`: seconds only while they still matter."""
    if seconds is None:
        return ""
    total = int(round(seconds))
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
