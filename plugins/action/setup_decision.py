# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.setup_decision (documentation in plugins/modules/setup_decision.py)."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import facts_of_task_vars
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.mode import decide_mode, name_inputs
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

ARGUMENT_SPEC = {
    "media_version": {"type": "str", "required": True},
    "role": {"type": "str"},
    "server_facts": {"type": "dict"},
    "server_object_in_ad": {"type": "bool"},
    # Activity 2's Active Directory reading of this server's Exchange object: exists, install_path, version (a lost server).
    "server_object": {"type": "dict"},
    # The IT Head's instruction's purpose (rpi_exchange_instruction.purpose): recover_server authorises /Mode:RecoverServer.
    # Empty (the default) when the instruction names none: the norm 5.6 gate is always taken here.
    "purpose": {"type": "str", "default": ""},
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
        decision = name_inputs(decide_mode(facts or {}, args["media_version"], server_object_in_ad=args["server_object_in_ad"],
                                           role=args["role"], server_object=args["server_object"], purpose=args["purpose"]),
                               args["variable_names"])
        language = args["language"]
        evidence = Evidence(kind="plan", level="error" if decision.refused else "info",
                            summary_es=decision.message_es, summary_en=decision.message_en,
                            details={key: value for key, value in decision.as_dict().items() if key not in ("message_es", "message_en")}).as_dict()
        # A refusal is no setup mode: the report's target keeps the mode it had (its schema knows no 'refuse').
        rpi_report = {"evidence": [evidence]} if decision.refused else {"evidence": [evidence], "target": {"mode": decision.mode}}
        result.update(changed=False, decision=decision.as_dict(), mode=decision.mode, runs_setup=decision.runs_setup,
                      rpi_report=rpi_report)
        if decision.refused:
            heading = i18n.text(language, "Actividad 3 (ejecutar el programa de instalación): no se ejecuta el programa de instalación.",
                                "Activity 3 (run the installation program): the installation program is not run.")
            result.update(failed=True, msg=f"{heading} {decision.message(language)}")
        return result
