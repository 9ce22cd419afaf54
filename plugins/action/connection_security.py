# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.connection_security (documentation in plugins/modules/connection_security.py)."""

from __future__ import annotations

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.connection_security import assess, decide
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

ARGUMENT_SPEC = {
    "insecure_lab": {"type": "raw", "default": False},
    "language": {"type": "str", "default": "es", "choices": ["es", "en"]},
}
# Resolved options of the connection plugin the decision reads (never credentials).
OPTIONS_READ = ("scheme", "protocol", "port", "transport", "auth", "cert_validation", "message_encryption", "_extras")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # Decided on the controller before anything is sent: the connection object is only read.
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def _connection_options(self) -> dict:
        options = {}
        for name in OPTIONS_READ:
            try:
                value = self._connection.get_option(name)
            except KeyError:
                continue
            if name == "_extras":
                # Only the settings that decide transport security; the extras may hold other values.
                value = {key: value[key] for key in ("ansible_winrm_server_cert_validation", "ansible_winrm_message_encryption") if key in value}
            options[name] = value
        return options

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        try:
            insecure_lab = boolean(args["insecure_lab"], strict=True)
        except TypeError:
            result.update(failed=True, msg=i18n.text(args["language"], "rpi_exchange_insecure_lab debe ser true o false.",
                                                     "rpi_exchange_insecure_lab must be true or false."))
            return result
        assessment = assess(self._connection.transport, self._connection_options())
        decision = decide(assessment, insecure_lab)
        result["connection"] = assessment.details()
        if not decision.allowed:
            result.update(failed=True, changed=False, msg=decision.message(args["language"]))
            return result
        result.update(changed=False, insecure_lab=insecure_lab and not assessment.secure, rpi_report={"evidence": [decision.evidence]})
        return result
