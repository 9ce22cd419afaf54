# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_facts (documentation in plugins/modules/exchange_facts.py)."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail, AnsibleConnectionFailure
from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.connection_errors import credentials_rejected
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import name_variables
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.options import choose_role, role_problem
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import clean_text, interpret, probe_arguments
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

PROBE_MODULE = "rpi.exchange.win_exchange_probe"

ARGUMENT_SPEC = {
    # Checked below, so that a wrong role is refused in the run's language, naming the inventory variable.
    "role": {"type": "str", "default": "Mailbox"},
    "setup_log_tail_bytes": {"type": "int", "default": 262144},
    "triage_setup_log": {"type": "bool", "default": True},
    "report_as": {"type": "str", "default": "none", "choices": ["before", "after", "none"]},
    "language": {"type": "str", "default": "es", "choices": ["es", "en"]},
}


def report_target(facts: dict, report_as: str) -> dict:
    """The run report's target fields this reading gives: the server, its OS, and Exchange before or after."""
    os_facts, computer, exchange = facts["os"], facts["computer"], facts["exchange"]
    target = {
        "host": computer.get("hostname"),
        "fqdn": computer.get("fqdn"),
        "os": {key: str(value) for key, value in (
            ("name", os_facts.get("name")), ("edition", os_facts.get("edition")), ("version", os_facts.get("version")),
            ("build", os_facts.get("build")), ("installation_type", os_facts.get("installation_type"))) if value is not None},
    }
    if report_as in ("before", "after"):
        target[f"exchange_{report_as}"] = {"installed": bool(exchange.get("installed")), "version": exchange.get("version"),
                                           "label": exchange.get("label")}
        if exchange.get("interrupted"):  # setup's watermark: the report says "interrupted", not "not installed"
            target[f"exchange_{report_as}"]["interrupted"] = True
    return target


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        if args["setup_log_tail_bytes"] < 0:
            raise AnsibleActionFail("setup_log_tail_bytes must be 0 or more (it is the number of bytes read from the end of ExchangeSetup.log)")

        language = args["language"]
        # The real problem, not just "unknown": no role, a word that is none, or roles that can't share a server.
        refused = role_problem(args["role"])
        if refused is not None:
            refused = name_variables([refused], {"role": "rpi_exchange_role"})[0]
            result.update(failed=True, changed=False, role_problem=refused.code, msg=refused.message(language) + (
                i18n.text(language, " No se cambió nada en el servidor.", " Nothing was changed on the server.")))
            return result
        args["role"] = choose_role(args["role"])

        # One module call: every fact comes back in this single WinRM round trip.
        try:
            probe = self._execute_module(
                module_name=PROBE_MODULE,
                module_args=probe_arguments(args["role"], args["setup_log_tail_bytes"]),
                task_vars=task_vars,
            )
        except AnsibleConnectionFailure as error:
            # A rejected logon is the inventory's to fix, not the network's: say which variables, in the run's language.
            explained = credentials_rejected(str(error))
            if explained is None:
                raise
            result.update(failed=True, changed=False, credentials_rejected=True, msg=explained[i18n.text(language, 0, 1)])
            return result
        if probe.get("failed"):
            result.update(failed=True, msg=f"The server could not be read: {probe.get('msg', 'unknown error')}", probe=probe)
            return result

        facts = interpret(probe, args["role"])
        tail = clean_text(facts["setup_log"].pop("tail", "") or "")
        if args["triage_setup_log"] and tail:
            facts["setup_log"]["last_run"] = triage(tail)
        result.update(changed=False, exchange_facts=facts, ansible_facts={"rpi_exchange": facts},
                      rpi_report={"target": report_target(facts, args["report_as"])})
        return result
