# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.ad_readiness (documentation in plugins/modules/ad_readiness.py)."""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.server_action import ServerAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.ad_readiness import MODES, STATE_REFUSE, decide, setup_mode_of
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import facts_of_task_vars
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

READ_MODULE = "rpi.exchange.win_exchange_ad_readiness"
ARGUMENT_SPEC = {
    "media_version": {"type": "str", "required": True},
    "mode": {"type": "str", "choices": list(MODES)},
    "role": {"type": "str", "default": "Mailbox", "choices": ["Mailbox", "EdgeTransport", "ManagementTools"]},
    "first_server": {"type": "bool", "default": True},
    "organization_name": {"type": "str"},
    "domain_controller": {"type": "str"},
    "server_facts": {"type": "dict"},
    "language": {"type": "str", "default": "es", "choices": ["es", "en"]},
}
HEADING = i18n.Text("Actividad 2 (preparar el servidor virtual): Active Directory no permite esta instalación; no se cambió nada "
                    "en el servidor ni en Active Directory.",
                    "Activity 2 (prepare the virtual server): Active Directory does not allow this installation; nothing was "
                    "changed on the server or in Active Directory.")


class ActionModule(ServerAction):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        language = args["language"]
        if args["role"] == "EdgeTransport":
            # An Edge Transport server stays out of the domain by design (exchange-facts §2.5): no AD to read.
            summary = i18n.Text("Rol EdgeTransport: el servidor perimetral no pertenece al dominio y no lee Active Directory; "
                                "no se comprueba la preparación de Active Directory ni los grupos de la cuenta de instalación.",
                                "EdgeTransport role: the perimeter server is not in the domain and does not read Active "
                                "Directory; neither Active Directory's preparation nor the setup account's groups are checked.")
            evidence = Evidence(kind="check", level="info", summary_es=summary.es, summary_en=summary.en,
                                details={"role": "EdgeTransport", "state": "not_applicable"}).as_dict()
            result.update(changed=False, skipped_reason=summary.pick(language), decision=None, facts=None,
                          server_object=None, rpi_report={"evidence": [evidence]})
            return result
        facts = args["server_facts"] if args["server_facts"] is not None else facts_of_task_vars(task_vars, {})
        mode = args["mode"] or setup_mode_of(facts or {}, args["media_version"], args["role"])
        module_args = {"domain_controller": args["domain_controller"]} if args["domain_controller"] else {}
        # Read-only: the same reads in check mode.
        read = self._module(READ_MODULE, module_args, task_vars, check_mode=False)
        if read.get("failed"):
            # Only the module's plumbing fails it (become refused: wrong password): the reads themselves never do.
            result.update(failed=True, msg=f"{HEADING.pick(language)} {read.get('msg', '')}".strip(), facts=None, decision=None)
            return result
        read.pop("changed", None)
        decision = decide(read, args["media_version"], mode=mode, first_server=args["first_server"],
                          organization_name=args["organization_name"])
        level = "error" if decision["state"] == STATE_REFUSE else ("warning" if decision["prepares"] else "ok")
        evidence = Evidence(kind="check", level=level, summary_es=decision["message_es"], summary_en=decision["message_en"],
                            details={"decision": {key: value for key, value in decision.items()
                                                  if key not in ("message_es", "message_en")},
                                     "read": read}).as_dict()
        result.update(changed=False, decision=decision, facts=read, server_object=decision["server_object"],
                      rpi_report={"evidence": [evidence]})
        if decision["state"] == STATE_REFUSE:
            key = i18n.text(language, "message_es", "message_en")
            result.update(failed=True, msg=f"{HEADING.pick(language)} {decision[key]}")
        return result
