# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_setup_options (documentation in plugins/modules/exchange_setup_options.py).

Runs entirely on the controller against the facts `rpi.exchange.exchange_facts` gathered;
the server is not contacted.
"""

from __future__ import annotations


from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import facts_of_task_vars
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES, check_language
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import failure_message
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.options import RoleRequest, role_options_evidence, select_role_options
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n


# Values are checked by plugin_utils._setup.options (raw here where a wrong value deserves the
# Spanish message naming the inventory variable rather than the generic type error).
ARGUMENT_SPEC = {
    "role": {"type": "raw", "default": "Mailbox"},
    "mode": {"type": "raw", "default": "install"},
    "media_version": {"type": "raw"},
    "target_dir": {"type": "str"},
    "organization_name": {"type": "str"},
    "first_server": {"type": "bool", "default": False},
    "database": {"type": "raw"},
    "disable_am_filtering": {"type": "bool", "default": False},
    "do_not_start_transport": {"type": "bool", "default": False},
    "extended_protection": {"type": "raw", "default": "enable"},
    "domain_controller": {"type": "str"},
    "install_windows_components": {"type": "bool", "default": False},
    "enable_error_reporting": {"type": "bool", "default": False},
    "updates_dir": {"type": "str"},
    "server_facts": {"type": "dict"},
    "variable_names": {"type": "dict", "default": {}},
    "language": {"type": "str", "default": "es", "choices": list(LANGUAGES)},
}
_REQUEST_FIELDS = (
    "role", "mode", "media_version", "target_dir", "organization_name", "first_server", "database", "disable_am_filtering",
    "do_not_start_transport", "extended_protection", "domain_controller", "install_windows_components",
    "enable_error_reporting", "updates_dir",
)


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
        facts = args["server_facts"] if args["server_facts"] is not None else facts_of_task_vars(task_vars)
        request = RoleRequest(**{name: args[name] for name in _REQUEST_FIELDS})
        selection = select_role_options(request, facts, variable_names=args["variable_names"])
        evidence = role_options_evidence(selection, language)
        result.update(
            changed=False,
            role=selection.role,
            mode=selection.mode,
            switches=list(selection.switches),
            switch_values=[{"name": name, "value": value} for name, value in selection.switch_values],
            options=selection.options,
            ignored=[item.as_dict() for item in selection.ignored],
            problems=[problem.as_dict() for problem in selection.problems],
            rpi_report=evidence,
        )
        if selection.problems:
            result.update(failed=True, msg=failure_message("Opciones de instalación no válidas", "Invalid setup options",
                                                           selection.problems, language))
        else:
            result["msg"] = evidence["evidence"][0][i18n.text(language, "summary_es", "summary_en")]
        return result
