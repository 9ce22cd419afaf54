# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.instruction (documentation in plugins/modules/instruction.py)."""

from __future__ import annotations

import getpass
from datetime import datetime, timezone

from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.instruction import decide_window, parse_instruction
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

ARGUMENT_SPEC = {
    "instruction": {"type": "raw"},
    "technician": {"type": "str"},
    "now": {"type": "str"},
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
        language = args["language"]
        instruction = parse_instruction(args["instruction"])
        if instruction.problems:
            heading = i18n.text(
                language,
                "Actividad 1 (Encargado de TI instruye la instalación): la instrucción no es válida; no se cambia nada en el servidor.",
                "Activity 1 (the IT Head instructs the installation): the instruction is not valid; nothing on the server is changed.")
            result.update(failed=True, changed=False, problems=[problem.message(language) for problem in instruction.problems],
                          msg=heading + " " + " ".join(problem.message(language) for problem in instruction.problems))
            return result
        try:
            now = datetime.fromisoformat(args["now"]) if args["now"] else datetime.now(timezone.utc)
        except ValueError:
            result.update(failed=True, changed=False, msg=f"now: '{args['now']}' is not an ISO 8601 date and time.")
            return result
        # Outside its window the instruction authorises nothing; a dry run (--check) changes nothing, so it may still plan.
        decision = decide_window(instruction, now, check_mode=bool(self._task.check_mode))
        evidence = decision.evidence()
        # Who runs the procedure: the inventory's name for him, else the controller's login (norm 5.5 names everyone).
        technician = args["technician"] or getpass.getuser()
        report_instruction = {"who": instruction.instructed_by, "reference": instruction.reference, "note": instruction.notes,
                              "planned_window": {"start": instruction.window_start.isoformat(), "end": instruction.window_end.isoformat()}}
        report = {"evidence": [evidence], "run": {"instruction": report_instruction, "technician": technician}}
        result.update(changed=False, instruction=instruction.as_record(), within_window=decision.within_window,
                      window_position=decision.position, technician=technician, rpi_report=report)
        if not decision.allowed:
            result.update(failed=True, msg=decision.message(language))
        elif not decision.within_window:
            self._display.warning(i18n.text(language, evidence["summary_es"], evidence["summary_en"]))
        return result
