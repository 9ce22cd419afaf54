# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Times and durations as people read them: local time of the RPI, minutes and hours.

Reports store UTC; the page shows the time zone recorded in the report (Guatemala by
default), so re-rendering a report anywhere gives the same page. Every time a person reads
carries its offset (`16:31:50 (UTC-06:00)`), and a time written in a text or an evidence
detail by a module (`2026-12-05T22:31:50Z`) is shown the same way (`localize_text`).
"""

from __future__ import annotations

import datetime
import re

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


def _offset(moment: datetime.datetime) -> str:
    """`UTC-06:00` for a zoned moment."""
    raw = moment.strftime("%z")
    return f"UTC{raw[:3]}:{raw[3:5]}" if raw else "UTC"


def zone_label(name: str | None, at: str | None = None) -> str:
    """`America/Guatemala (UTC-06:00)`, the offset taken at the given time (the run's start)."""
    tz = zone(name)
    moment = (parse_iso(at) or datetime.datetime.now(datetime.timezone.utc)).astimezone(tz)
    label = name if tz is not datetime.timezone.utc else "UTC"
    return f"{label} ({_offset(moment)})"


_FORMATS = {
    "es": {"datetime": "%d/%m/%Y %H:%M", "seconds": "%d/%m/%Y %H:%M:%S", "time": "%H:%M:%S"},
    "en": {"datetime": "%Y-%m-%d %H:%M", "seconds": "%Y-%m-%d %H:%M:%S", "time": "%H:%M:%S"},
}


def local_time(stamp: str | None, zone_name: str | None, language: str, style: str = "datetime") -> str:
    """A stored UTC time in the report's zone, with its offset: `27/11/2026 10:00 (UTC-06:00)`; style is `datetime`,
    `seconds` or `time`."""
    moment = parse_iso(stamp)
    if moment is None:
        return ""
    formats = _FORMATS.get(language, _FORMATS["es"])
    moment = moment.astimezone(zone(zone_name))
    return f"{moment.strftime(formats.get(style, formats['datetime']))} ({_offset(moment)})"


# An ISO 8601 date-time that says its zone (`Z` or an offset), as modules write them in summaries and details.
_ZONED_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})(?![\w:])")


def localize_text(text: str, zone_name: str | None, language: str) -> str:
    """A text with every zoned ISO time in it shown in the report's zone (`... el 2026-12-05T22:31:50Z` -> `... el
    05/12/2026 16:31:50 (UTC-06:00)`). Times without a zone are left alone: nobody knows which zone they meant."""
    def local(match: re.Match[str]) -> str:
        found = match.group(0)
        shown = local_time(found.replace(" ", "T", 1), zone_name, language, "seconds")
        return shown or found

    return _ZONED_ISO.sub(local, text) if isinstance(text, str) else text


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
