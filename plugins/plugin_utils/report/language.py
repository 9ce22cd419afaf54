# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The language of report.html: one order of precedence, decided once per run.

From the highest to the lowest:

1. the environment variable RPI_EXCHANGE_REPORT_LANGUAGE (the person at the controller, for this run);
2. the variable rpi_exchange_report_language of the play's hosts (inventory, group_vars, play vars, or
   `-e`: Ansible's own variable precedence decides among those), the same variable the roles' messages
   and the e-mail notice follow;
3. `report_language` in the `[rpi_exchange]` section of the ansible.cfg in use (the controller's default);
4. Spanish (es).

The environment comes first because it is set for one run on purpose (a CI job, a test, an English-speaking
reviewer) while the inventory describes the RPI's installation and is rarely edited; ansible.cfg is the
controller-wide fallback below the installation's own choice. One report serves every host of the run:
when the hosts' variable disagrees (or is not `es`/`en`), it is not used and a warning says why.

The callback reads the option's value and origin through the plugin's public `get_option_and_origin`, and
the variable through the play's variable manager (`play.get_variable_manager().get_vars`).
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field

from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES, SPANISH

DEFAULT_LANGUAGE = SPANISH
LANGUAGE_VARIABLE = "rpi_exchange_report_language"
LANGUAGE_ENV = "RPI_EXCHANGE_REPORT_LANGUAGE"
CONFIG_KEY = "[rpi_exchange] report_language"

ENVIRONMENT = "environment"
VARIABLE = "variable"
CONFIG = "ansible.cfg"
DEFAULT = "default"
PRECEDENCE = (ENVIRONMENT, VARIABLE, CONFIG, DEFAULT)


@dataclass(frozen=True)
class LanguageChoice:
    language: str
    source: str  # one of PRECEDENCE
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        where = {ENVIRONMENT: f"environment {LANGUAGE_ENV}", VARIABLE: f"variable {LANGUAGE_VARIABLE}",
                 CONFIG: f"ansible.cfg {CONFIG_KEY}", DEFAULT: "default"}[self.source]
        return f"report language {self.language} (from the {where})"


def _origin_kind(origin: object) -> str:
    """What ansible-core's config origin says: 'env: NAME', the path of an ini file, 'default' ('Direct' counts as config)."""
    text = str(origin or "")
    if text.startswith("env:"):
        return ENVIRONMENT
    if text in ("", "default"):
        return DEFAULT
    return CONFIG


def _variable(values: t.Sequence[object], warnings: list[str]) -> str | None:
    """The hosts' one value of rpi_exchange_report_language, or None (unset, invalid or different per host)."""
    given = [value for value in values if value is not None]
    if not given:
        return None
    invalid = sorted({str(value) for value in given if value not in LANGUAGES})
    if invalid:
        warnings.append(f"{LANGUAGE_VARIABLE} is {', '.join(repr(value) for value in invalid)}, not one of {', '.join(LANGUAGES)}; "
                        "the report does not follow it")
        return None
    distinct = sorted(set(t.cast(t.List[str], given)))
    if len(distinct) > 1:
        warnings.append(f"the run's hosts set {LANGUAGE_VARIABLE} differently ({', '.join(distinct)}); one report serves them all, "
                        "so it does not follow it: set it once for the group rpi_exchange_servers")
        return None
    return distinct[0]


def choose_language(option_value: object, option_origin: object, variable_values: t.Sequence[object] = ()) -> LanguageChoice:
    """The report's language from the callback option (its value and origin) and the hosts' values of the variable."""
    warnings: list[str] = []
    kind = _origin_kind(option_origin)
    option = option_value if option_value in LANGUAGES else None
    if option_value is not None and option is None and kind != DEFAULT:
        warnings.append(f"the report language {option_value!r} ({'environment ' + LANGUAGE_ENV if kind == ENVIRONMENT else CONFIG_KEY}) "
                        f"is not one of {', '.join(LANGUAGES)}; it is ignored")
    if kind == ENVIRONMENT and option:
        return LanguageChoice(option, ENVIRONMENT, tuple(warnings))
    variable = _variable(variable_values, warnings)
    if variable:
        return LanguageChoice(variable, VARIABLE, tuple(warnings))
    if kind == CONFIG and option:
        return LanguageChoice(option, CONFIG, tuple(warnings))
    return LanguageChoice(DEFAULT_LANGUAGE, DEFAULT, tuple(warnings))
