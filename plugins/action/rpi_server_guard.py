# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.rpi_server_guard (documentation in plugins/modules/rpi_server_guard.py)."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import facts_of_task_vars
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.server_guard import check_rpi_server, guard_evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

ARGUMENT_SPEC = {
    "rpi_domain": {"type": "str", "required": True},
    "declared": {"type": "raw"},
    "expected_hostname": {"type": "str"},
    "server_facts": {"type": "dict"},
    # From the playbook's module_defaults (group for_role): an Edge Transport server is checked by its DNS suffix.
    "role": {"type": "str", "default": "Mailbox"},
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
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        facts = args["server_facts"] if args["server_facts"] is not None else facts_of_task_vars(task_vars, {})
        hostname = task_vars.get("inventory_hostname", "")
        problems = check_rpi_server(inventory_hostname=hostname, group_names=list(task_vars.get("group_names", [])),
                                    declared=args["declared"], rpi_domain=args["rpi_domain"],
                                    expected_hostname=args["expected_hostname"], server_facts=facts or {},
                                    role=args["role"])
        language = args["language"]
        if problems:
            heading = i18n.text(language, "Norma 5.1 (servidor de uso exclusivo del RPI): este equipo no se instala; no se cambió nada.",
                                "Norm 5.1 (server for the RPI's exclusive use): this host is not installed; nothing was changed.")
            result.update(failed=True, changed=False, problems=[problem.message(language) for problem in problems],
                          msg=heading + " " + " ".join(problem.message(language) for problem in problems))
            return result
        result.update(changed=False, rpi_report={"evidence": [guard_evidence(hostname, args["rpi_domain"], facts or {}, args["role"])]})
        return result
