# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What rpi.exchange.exchange_setup is given, read: activity 7's result (its role and switches) and the mode of a
setup command line an earlier run left in its task.

One reader of `/Mode` for every caller: the run that follows an earlier run's setup and the one that reads its result
must agree on what that run did (RecoverServer included).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import find_switch, validate_switch
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import ROLES
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import OptionProblem

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


OPTIONS_OPTION = "setup_options"
_OPTIONS_FIX = ("Pase a rpi.exchange.exchange_setup el resultado completo de la validación de las opciones de la actividad 7 "
                "(rpi.exchange.exchange_setup_options, rol rpi.exchange.select_custom_options); sin él no se instala.",
                "Pass rpi.exchange.exchange_setup the whole result of activity 7's option check "
                "(rpi.exchange.exchange_setup_options, role rpi.exchange.select_custom_options); without it nothing is installed.")


def read_setup_options(options: object) -> tuple[str | None, list[tuple[str, Any]], tuple[OptionProblem, ...]]:
    """(role, switch pairs, problems) from activity 7's whole result (`exchange_setup_options`: `role`, `switch_values`).

    A result that failed or lists problems is refused: the options it would give were not validated."""
    def problem(code: str, es: str, en: str) -> tuple[None, list, tuple[OptionProblem, ...]]:
        return None, [], (OptionProblem(OPTIONS_OPTION, code, es, en, *_OPTIONS_FIX),)

    if not isinstance(options, Mapping) or not options:
        return problem("setup_options_missing", "falta el resultado de las opciones de instalación de la actividad 7.",
                       "activity 7's setup options result is missing.")
    if options.get("failed") or options.get("problems"):
        return problem("setup_options_refused", "la actividad 7 rechazó las opciones de instalación; corrija lo que indicó.",
                       "activity 7 refused the setup options; fix what it said.")
    role = options.get("role")
    if role not in ROLES:
        return problem("setup_options_role", f"el resultado no indica un rol de Exchange ({role!r}).",
                       f"the result gives no Exchange role ({role!r}).")
    items = options.get("switch_values")
    try:
        pairs = parse_switches(items if isinstance(items, list) else [])
    except SwitchError as error:
        return problem("setup_options_switches", f"switch_values no se puede leer: {error}", f"switch_values cannot be read: {error}")
    return str(role), pairs, ()
