# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.instruction (documentation in plugins/modules/instruction.py)."""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timezone
from pathlib import Path

from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.controller_process import playbook_pid
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.instruction import InstructionProblem, decide_window, parse_instruction
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.retry import decide_retry, parse_retry_of
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.report_guard import WRITTEN, refusal, report_state, report_written
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.technician import parse_technician
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.earlier_runs import last_run

ARGUMENT_SPEC = {
    "instruction": {"type": "raw"},
    "technician": {"type": "raw"},
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
        # Norm 5.2: no run without its report. Before anything else: a refusal with no report would leave no record either.
        report = self._report_refusal(language)
        if report:
            result.update(failed=True, changed=False, report_written=False, msg=report)
            return result
        instruction = parse_instruction(args["instruction"])
        technician = parse_technician(args["technician"])
        problems = [problem.message(language) for problem in instruction.problems + technician.problems]
        # Issue 20, item 3: the failed run this one retries, as the instruction names it (_preflight/retry.py).
        retry_of, retry_problem = parse_retry_of((args["instruction"] or {}).get("retry_of") if isinstance(args["instruction"], dict) else None)
        if retry_problem:
            instruction.problems.append(InstructionProblem("retry_of", *retry_problem))
            problems = [problem.message(language) for problem in instruction.problems + technician.problems]
        if problems:
            heading = i18n.text(
                language,
                "Actividad 1 (Encargado de TI instruye la instalación): la instrucción no es válida; no se cambia nada en el servidor."
                if instruction.problems else
                "Actividad 1 (Encargado de TI instruye la instalación): falta quién ejecuta el procedimiento; no se cambia nada en el servidor.",
                "Activity 1 (the IT Head instructs the installation): the instruction is not valid; nothing on the server is changed."
                if instruction.problems else
                "Activity 1 (the IT Head instructs the installation): who runs the procedure is missing; nothing on the server is changed.")
            result.update(failed=True, changed=False, problems=problems, msg=heading + " " + " ".join(problems))
            return result
        try:
            now = datetime.fromisoformat(args["now"]) if args["now"] else datetime.now(timezone.utc)
        except ValueError:
            result.update(failed=True, changed=False, msg=f"now: '{args['now']}' is not an ISO 8601 date and time.")
            return result
        # Outside its window the instruction authorises nothing; a dry run (--check) changes nothing, so it may still plan.
        decision = decide_window(instruction, now, check_mode=bool(self._task.check_mode))
        evidence = decision.evidence()
        # Who runs the procedure, as the manual names him (norm 5.5); the controller's login is only a technical detail.
        report_instruction = {"who": instruction.instructed_by, "reference": instruction.reference, "note": instruction.notes,
                              "planned_window": {"start": instruction.window_start.isoformat(), "end": instruction.window_end.isoformat()}}
        evidence["details"].update(technician=technician.name, technician_position=technician.position, controller_user=getpass.getuser())
        report = {"evidence": [evidence], "run": {"instruction": report_instruction, "technician": technician.as_record()}}
        retry = self._retry(retry_of, instruction, task_vars)
        if retry is not None:
            report["evidence"].append(retry.evidence())
            if retry.as_record():
                report["run"]["retry_of"] = retry.as_record()
            result["retry"] = {"decision": retry.status, "retry_of": retry.as_record()}
            if not retry.allowed:
                result.update(failed=True, changed=False, msg=retry.message(language), rpi_report=report)
                return result
            if retry.level == "warning":
                self._display.warning(retry.message(language))
        result.update(changed=False, instruction=instruction.as_record(), within_window=decision.within_window,
                      window_position=decision.position, technician=technician.as_record(), technician_label=technician.label(),
                      controller_user=getpass.getuser(), report_written=True, rpi_report=report)
        if not decision.allowed:
            result.update(failed=True, msg=decision.message(language))
        elif not decision.within_window:
            self._display.warning(i18n.text(language, evidence["summary_es"], evidence["summary_en"]))
        return result

    def _retry(self, retry_of, instruction, task_vars):
        """The retry decision against the newest earlier report of this server in this run's report folder."""
        run_dir = os.environ.get(v.RUN_DIR_ENV)
        if not run_dir:
            return None
        folder = Path(run_dir)
        last = last_run(folder.parent, (task_vars or {}).get("inventory_hostname"), folder.name)
        return decide_retry(last, retry_of, authorised_by=instruction.instructed_by, reference=instruction.reference,
                            check_mode=bool(self._task.check_mode))

    def _report_refusal(self, language):
        """Empty when this run's report is being written (the callback's marker names this run's process), else why not."""
        own = {os.getppid(), playbook_pid()}
        if report_written(os.environ.get(v.WRITER_ENV), os.environ.get(v.RUN_DIR_ENV), own):
            return ""
        # Imported only to explain a refusal: it loads the callback's configuration.
        from ansible_collections.rpi.exchange.plugins.plugin_utils.report.settings import read_settings

        settings = read_settings()
        state = report_state(False, settings)
        return "" if state == WRITTEN else refusal(state, settings, language)
