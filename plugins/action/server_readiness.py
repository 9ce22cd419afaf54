# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.server_readiness (documentation in plugins/modules/server_readiness.py)."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import facts_of_task_vars
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.readiness import Thresholds, blocking_failures, evaluate
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.winrm_config import connection_transport
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

ARGUMENT_SPEC = {
    "media_version": {"type": "str", "required": True},
    "role": {"type": "str", "default": "Mailbox", "choices": ["Mailbox", "EdgeTransport", "ManagementTools"]},
    "target_dir": {"type": "str"},
    "thresholds": {"type": "dict", "default": {}, "options": {
        "min_cores": {"type": "int", "default": 4},
        "min_memory_gb": {"type": "int", "default": 16},
        "require_static_ip": {"type": "bool", "default": True},
        "warn_below_recommended_memory": {"type": "bool", "default": True},
    }},
    "server_facts": {"type": "dict"},
    "variable_names": {"type": "dict", "default": {}},
    "language": {"type": "str", "default": "es", "choices": ["es", "en"]},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        facts = args["server_facts"] if args["server_facts"] is not None else facts_of_task_vars(task_vars, {})
        checks = evaluate(facts or {}, media_version=args["media_version"], role=args["role"], target_dir=args["target_dir"],
                          thresholds=Thresholds(**args["thresholds"]), variable_names=args["variable_names"],
                          connection_transport=connection_transport(self._connection))
        language = args["language"]
        key = i18n.text(language, "message_es", "message_en")
        failures = blocking_failures(checks)
        warnings = [check for check in checks if not check.ok and not check.blocking]
        evidence = [Evidence(kind="check", level="ok" if check.ok else ("error" if check.blocking else "warning"),
                             summary_es=check.message_es, summary_en=check.message_en,
                             details={"check": check.name, "expected": check.expected, "actual": check.actual}).as_dict() for check in checks]
        result.update(changed=False, checks=[check.as_dict() for check in checks], failed_checks=[check.name for check in failures],
                      rpi_report={"evidence": evidence})
        for check in warnings:
            self._display.warning(getattr(check, key))
        if failures:
            heading = i18n.text(language, "Actividad 2 (preparar el servidor virtual): el servidor no cumple los requisitos; no se cambió nada.",
                                "Activity 2 (prepare the virtual server): the server does not meet the requirements; nothing was changed.")
            result.update(failed=True, msg=heading + " " + " ".join(getattr(check, key) for check in failures))
        return result
