# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What rpi.exchange.exchange_setup is given, read: the switches of activities 5 and 7, the diagnostic-data choice of
activity 6's licence record, and the mode of a setup command line an earlier run left in its task.

One reader of `/Mode` for every caller: the run that follows an earlier run's setup and the one that reads its result
must agree on what that run did (RecoverServer included).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.licence import normalize_diagnostic_data
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import find_switch, validate_switch

# The mode switch as setup accepts it: /Mode:<value> or its short form /m:<value> (exchange-facts §1.2).
_MODE_SWITCH = re.compile(r"/(?:mode|m):\"?(\w+)", re.IGNORECASE)
_MODES = {"install": "install", "upgrade": "upgrade", "recoverserver": "recoverserver"}


class SwitchError(ValueError):
    """A switch item that cannot be read (the caller says which option)."""


def mode_of(arguments: str | None) -> str:
    """install, upgrade or recoverserver from a setup command line's /Mode; install when it names none (setup's default)."""
    found = _MODE_SWITCH.search(arguments or "")
    return _MODES.get((found.group(1) if found else "").lower(), "install")


def parse_switches(items: list[Any]) -> list[tuple[str, Any]]:
    """`switches` as (name, value) pairs: `{name, value}` items (exchange_setup_options' switch_values) or `/Name[:value]`
    strings (exchange_setup_options' switches)."""
    pairs: list[tuple[str, Any]] = []
    for item in items or []:
        if isinstance(item, Mapping):
            if "name" not in item:
                raise SwitchError(f"switches: each item needs a 'name' ({item!r})")
            pairs.append((str(item["name"]).lstrip("/"), item.get("value")))
            continue
        text = str(item).strip()
        if not text:
            continue
        name, separator, value = text.lstrip("/").partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        pairs.append((name.strip(), value if separator else None))
    return pairs


def split_for_mode(pairs: list[tuple[str, Any]], mode: str, role: str | None, media_version: str
                   ) -> tuple[list[tuple[str, Any]], list[dict[str, str]]]:
    """(switches kept, switches dropped): a switch Microsoft documents only with another mode (an install option when
    the server turns out to need an upgrade) is dropped with the reason; any other problem is left for build_command."""
    kept, dropped = [], []
    for name, value in pairs:
        if find_switch(name) is not None:
            problems = validate_switch(name, value, mode, role, media_version)
            if problems and all(problem.code == "not_valid_here" for problem in problems):
                dropped.append({"switch": name, "es": problems[0].es, "en": problems[0].en})
                continue
        kept.append((name, value))
    return kept, dropped


def _switch_choice(license_switch: str | None) -> str | None:
    text = str(license_switch or "").strip().lower()
    if text.endswith("_diagnosticdataon"):
        return "ON"
    if text.endswith("_diagnosticdataoff"):
        return "OFF"
    return None


def diagnostic_choice(license_switch: str | None, diagnostic_data: object) -> str | None:
    """ON/OFF from the accepted licence switch (the record of activity 6), else from `diagnostic_data`.

    None when neither says it, or when they contradict each other."""
    from_switch = _switch_choice(license_switch)
    from_data = normalize_diagnostic_data(diagnostic_data) if diagnostic_data is not None else None
    if from_switch and from_data and from_switch != from_data:
        return None
    if from_switch or from_data:
        return from_switch or from_data
    if str(license_switch or "").strip().lower().lstrip("/") == "iacceptexchangeserverlicenseterms":
        return "OFF"  # media before CU11 know no diagnostic-data choice: the legacy switch is all there is
    return None
