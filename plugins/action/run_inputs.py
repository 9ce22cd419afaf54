# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.run_inputs (documentation in plugins/modules/run_inputs.py).

Runs entirely on the controller: it reads the run's variables (the ones the roles declare) from the task's variables,
templated as a task would see them, and the `rpi_exchange` fact of activity 1. The server is not contacted.
"""

from __future__ import annotations


from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import facts_of_task_vars
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES, SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.run_inputs import (
    INSTALL_RUN,
    DeclarationError,
    check_run_inputs,
    declarations,
    run_inputs_evidence,
)


ARGUMENT_SPEC = {
    "activities": {"type": "list", "elements": "int", "default": list(INSTALL_RUN)},
    "server_facts": {"type": "dict"},
    # Raw: the run's language is itself one of the inputs checked; a wrong one is reported, in Spanish.
    "language": {"type": "raw", "default": SPANISH},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def _given(self, task_vars, names):
        """The declared variables that are defined, each templated as a task would see it; and those that fail to."""
        values, not_evaluable = {}, {}
        for name in names:
            if name not in task_vars:
                continue
            try:
                values[name] = self._templar.template(task_vars[name])
            except AnsibleError as error:
                not_evaluable[name] = str(error).splitlines()[0] if str(error) else type(error).__name__
        return values, not_evaluable

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        language = str(args["language"] or "").strip().lower()
        language = language if language in LANGUAGES else SPANISH
        warnings = []
        try:
            declared = declarations()
        except DeclarationError as error:
            # The roles disagree about a variable (the unit tests forbid it): check the rest rather than stop every run.
            declared = declarations(strict=False)
            warnings.append(f"rpi.exchange.run_inputs: {error}; that variable is checked by its loosest declaration.")
        values, not_evaluable = self._given(task_vars, declared)
        facts = args["server_facts"] if args["server_facts"] is not None else facts_of_task_vars(task_vars)
        outcome = check_run_inputs(values, facts=facts, activities=args["activities"], not_evaluable=not_evaluable, declared=declared)
        if warnings:
            result["warnings"] = warnings
        result.update(changed=False, rpi_report=run_inputs_evidence(outcome, language), msg=outcome.message(language),
                      **outcome.as_dict())
        if not outcome.ok:
            result["failed"] = True
        return result
