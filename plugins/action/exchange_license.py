# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_license (documentation in plugins/modules/exchange_license.py).

Runs entirely on the controller: it decides and records, the server is not contacted.
"""

from __future__ import annotations

import getpass

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.licence import check_license, license_evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES, check_language
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import failure_message
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

# `accept` and `diagnostic_data` are checked by the plugin itself (raw here), so that a
# missing or wrong value gets the Spanish message that names the inventory variable.
ARGUMENT_SPEC = {
    "accept": {"type": "raw"},
    "diagnostic_data": {"type": "raw"},
    "media_version": {"type": "raw"},
    "license_sha256": {"type": "str"},
    "accepted_by": {"type": "str"},
    "language": {"type": "str", "default": "es", "choices": list(LANGUAGES)},
    "variable_names": {"type": "dict", "default": {}},
}


def _boolean(value):
    """True/False for the usual YAML and string spellings; the value itself otherwise (then refused)."""
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "on", "1", "y", "t"):
        return True
    if text in ("no", "false", "off", "0", "n", "f"):
        return False
    return value


def _controller_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry / no login name in a container
        return ""


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        try:
            language = check_language(args["language"])
        except ValueError as error:
            raise AnsibleActionFail(str(error)) from None
        accepted_by = args["accepted_by"] if args["accepted_by"] is not None else _controller_user()
        acceptance, problems = check_license(
            accept=_boolean(args["accept"]),
            diagnostic_data=args["diagnostic_data"],
            media_version=args["media_version"],
            license_sha256=args["license_sha256"],
            accepted_by=accepted_by,
            variable_names=args["variable_names"],
        )
        evidence = license_evidence(acceptance, problems, language)
        result["changed"] = False
        result["rpi_report"] = evidence
        if acceptance is None:
            result.update(
                failed=True,
                msg=failure_message("Licencia no aceptada", "Licence not accepted", problems, language),
                problems=[problem.as_dict() for problem in problems],
            )
            return result
        record = acceptance.record()
        result.update(
            switch=acceptance.switch,
            diagnostic_data=acceptance.diagnostic_data,
            record=record,
            msg=evidence["evidence"][0][i18n.text(language, "summary_es", "summary_en")],
        )
        return result
