# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn whatever a task returned into plain, bounded JSON values, and format UTC times.

Task results carry ansible's own types (tagged strings, vaulted values, sets, bytes); the
report must hold only JSON, of a size a browser opens quickly, and never a decrypted vault
value by accident, so anything that looks vaulted is masked here before any other step.
"""

from __future__ import annotations

import datetime
import math
import typing as t

MASK = "********"
MAX_DEPTH = 12
MAX_STRING = 20000
MAX_ITEMS = 500
TRUNCATED = " [...]"


def _is_vaulted(value: object) -> bool:
    name = type(value).__name__.lower()
    return "vault" in name or "encrypted" in name


def truncate(text: str, limit: int = MAX_STRING) -> str:
    return text if len(text) <= limit else text[: max(0, limit - len(TRUNCATED))] + TRUNCATED


def to_plain(value: object, depth: int = 0, max_string: int = MAX_STRING) -> t.Any:
    """A JSON-safe copy: dict keys become str, sequences lists, unknown scalars str."""
    if _is_vaulted(value):
        return MASK
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return truncate(str.__str__(value), max_string)
    if isinstance(value, (bytes, bytearray)):
        return truncate(bytes(value).decode("utf-8", errors="replace"), max_string)
    if depth >= MAX_DEPTH:
        return "[...]"
    if isinstance(value, t.Mapping):
        items = list(value.items())[:MAX_ITEMS]
        return {str(key): to_plain(item, depth + 1, max_string) for key, item in items}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_plain(item, depth + 1, max_string) for item in list(value)[:MAX_ITEMS]]
    return truncate(str(value), max_string)


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z and whole milliseconds, the only time format in a report."""
    if moment is None:
        return None
    moment = moment.astimezone(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def seconds_between(start: str | None, end: str | None) -> float | None:
    begin, finish = parse_iso(start), parse_iso(end)
    if begin is None or finish is None:
        return None
    return round(max(0.0, (finish - begin).total_seconds()), 1)
