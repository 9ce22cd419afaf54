# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_ad_prepare (documentation in plugins/modules/exchange_ad_prepare.py).

What activity 2's Active Directory decision still needs (`ad_decision.prepares`), in Microsoft's order: /PrepareSchema,
then /PrepareAD; nothing when all is prepared (a re-run). Each step runs the way rpi.exchange.exchange_setup runs setup:
the command line from plugin_utils/_setup/prepare.py, a scheduled task as the setup account (plugin_utils/_setup/runner.py:
it reaches Active Directory, and lives outside WinRM), rpi.exchange.win_exchange_setup_status polled until the task
ends, this run's part of ExchangeSetup.log followed and triaged, the task removed. A failed step stops the next.
"""

from __future__ import annotations

import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.utils.display import Display

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES, check_language
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import failure_message
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.server_action import ServerAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import PlanError
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.licence import accepted_switch
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.prepare import (
    build_prepare_command,
    organization_for,
    step_words,
    steps_for,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import (
    COMMAND_MODULE,
    STATUS_MODULE,
    TASK_MODULE,
    exit_code_text,
    register_arguments,
    registration_failure_message,
    remove_arguments,
    start_arguments,
    status_arguments,
    task_path,
    task_state,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.watch import DEFAULT_POLL_INTERVAL, GaveUp, Retrier, SetupLogFollower
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

display = Display()

ARGUMENT_SPEC = {
    # Activity 2's decision (rpi.exchange.ad_readiness): `prepares`, `current`, `organization_name`.
    "ad_decision": {"type": "dict", "required": True},
    "setup_path": {"type": "str", "required": True},
    "media_version": {"type": "str", "required": True},
    "license_record": {"type": "dict"},
    "license_sha256": {"type": "str"},
    "domain_controller": {"type": "str"},
    "run_as_user": {"type": "str", "required": True},
    "run_as_password": {"type": "str", "required": True, "no_log": True},
    "timeout": {"type": "int", "default": 7200},
    "poll_interval": {"type": "float", "default": DEFAULT_POLL_INTERVAL},
    "setup_log_tail_bytes": {"type": "int", "default": 1048576},
    "language": {"type": "str", "default": "es", "choices": list(LANGUAGES)},
}


class ActionModule(ServerAction):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        password = args["run_as_password"]
        try:
            result.update(self._run(args, task_vars))
        finally:
            # The setup account's password leaves this plugin in no result.
            scrubbed = remove_values(dict(result), {password}) if password else result
            result.clear()
            result.update(scrubbed)
        return result

    def _retrier(self, seconds: float | None) -> Retrier:
        return Retrier(self._reset_connection, deadline=None if seconds is None else time.monotonic() + seconds)

    def _run(self, args: dict, task_vars: dict) -> dict:
        language = check_language(args["language"])
        steps = steps_for(args["ad_decision"].get("prepares"))
        if not steps:
            summary = ("Active Directory ya está preparado para este medio: no se ejecuta /PrepareSchema ni /PrepareAD.",
                       "Active Directory is already prepared for this media: neither /PrepareSchema nor /PrepareAD runs.")
            return {"changed": False, "steps": [], "msg": i18n.text(language, *summary),
                    "rpi_report": {"evidence": [Evidence(kind="check", level="ok", summary_es=summary[0], summary_en=summary[1],
                                                         details={}).as_dict()]}}
        license_switch, problems = accepted_switch(args["license_record"], args["media_version"], args["license_sha256"])
        if problems:
            return {"failed": True, "changed": False, "problems": [problem.as_dict() for problem in problems],
                    "msg": failure_message("No se prepara Active Directory", "Active Directory is not prepared", problems, language)}
        results: list[dict] = []
        evidence: list[dict] = []
        for step in steps:
            outcome = self._step(step, args, task_vars, language, license_switch)
            results.append({key: value for key, value in outcome.items() if key != "rpi_report"})
            evidence += outcome.get("rpi_report", {}).get("evidence", [])
            if outcome.get("failed"):
                return {**outcome, "changed": any(item.get("changed") for item in results), "steps": results,
                        "rpi_report": {"evidence": evidence}}
        return {"changed": True, "steps": results, "msg": " ".join(str(item.get("msg")) for item in results),
                "check_mode": bool(self._task.check_mode), "rpi_report": {"evidence": evidence}}

    def _step(self, step: str, args: dict, task_vars: dict, language: str, license_switch: str) -> dict:
        what_es, what_en = step_words(step, "es"), step_words(step, "en")
        try:
            command = build_prepare_command(step, media_root=args["setup_path"], media_version=args["media_version"],
                                            license_switch=license_switch,
                                            organization_name=organization_for(step, args["ad_decision"]),
                                            domain_controller=args["domain_controller"], forbidden_values=[args["run_as_password"]])
        except PlanError as error:
            return {"failed": True, "changed": False, "problems": [str(problem) for problem in error.problems],
                    "msg": i18n.text(language, "El plan de preparación de Active Directory no es válido: ",
                                     "The Active Directory preparation plan is not valid: ") + str(error)}
        base = {"step": step, "command_line": command.command_line, "command": command.as_dict()}
        plan_es = f"Se ejecuta {what_es} como {args['run_as_user']}, antes de la instalación: {command.command_line}"
        plan_en = f"{what_en.capitalize()} runs as {args['run_as_user']}, before the installation: {command.command_line}"
        plan = Evidence(kind="plan", level="info", summary_es=plan_es, summary_en=plan_en,
                        details={"step": step, "command_line": command.command_line, "run_as": args["run_as_user"]}).as_dict()
        if self._task.check_mode:
            return {**base, "changed": True, "check_mode": True,
                    "msg": i18n.text(language, f"Modo de verificación: se ejecutaría {command.command_line}",
                                     f"Check mode: would run {command.command_line}"),
                    "rpi_report": {"evidence": [plan]}}

        # The server as it is: no setup of ours running, the media's Setup.exe there, where the log ends now.
        first = self._retrier(600).call(lambda: self._module(STATUS_MODULE, status_arguments(setup_path=command.executable),
                                                             task_vars), "win_exchange_setup_status")
        state = task_state(first.get("task"))
        if state.exists and state.running:
            return {**base, "changed": False, "failed": True, "msg": i18n.text(
                language, f"Ya hay un programa de instalación en ejecución desde la tarea {task_path()}; espere a que termine y "
                          "vuelva a ejecutar.",
                f"A setup is already running from the task {task_path()}; wait for it to end and run again.")}
        if not (first.get("setup_path") or {}).get("exists"):
            return {**base, "changed": False, "failed": True, "msg": i18n.text(
                language, f"No se encontró {command.executable}: monte el medio de instalación y vuelva a ejecutar.",
                f"{command.executable} was not found: mount the installation media and run again.")}
        if state.exists:
            self._cleanup(task_vars)  # a finished task of an earlier run: it holds the account's credential
        log = SetupLogFollower.after(first, args["setup_log_tail_bytes"])

        started = time.monotonic()
        try:
            self._start(command, args, task_vars)
        except (GaveUp, AnsibleActionFail) as error:
            self._cleanup(task_vars)
            return {**base, "changed": False, "failed": True, "msg": i18n.text(
                language, f"No se pudo iniciar {what_es} como tarea programada: ",
                f"{what_en.capitalize()} could not be started as a scheduled task: ") + str(error),
                "rpi_report": {"evidence": [plan]}}
        display.v(f"rpi.exchange.exchange_ad_prepare: {command.command_line} started as {args['run_as_user']}",
                  host=task_vars.get("inventory_hostname"))

        finished, exit_code = self._watch(args, task_vars, command, log, started)
        removed = self._cleanup(task_vars) if finished else False
        minutes = (time.monotonic() - started) / 60
        read = triage(log.text)
        succeeded = finished and exit_code == 0 and read.get("outcome") != "failed"
        details = {"step": step, "command_line": command.command_line, "exit_code": exit_code,
                   "outcome": "succeeded" if succeeded else ("failed" if finished else "incomplete"),
                   "category": read.get("category"), "error": read.get("error"), "duration_seconds": round(minutes * 60, 1)}
        code_es, code_en = exit_code_text(exit_code, "es"), exit_code_text(exit_code, "en")
        if succeeded:
            summary_es = f"Terminó {what_es} en {minutes:.1f} min: {code_es}"
            summary_en = f"{what_en.capitalize()} finished in {minutes:.1f} min: {code_en}"
        elif not finished:
            summary_es = (f"{what_es.capitalize()} no terminó en {args['timeout']} s; sigue en la tarea {task_path()}. No inicie "
                          "otra: vuelva a ejecutar el procedimiento cuando termine.")
            summary_en = (f"{what_en.capitalize()} did not end within {args['timeout']} s; it goes on in the task {task_path()}. "
                          "Do not start another: run the procedure again once it ends.")
        else:
            advice = read.get("advice") or {}
            error_text = f" «{read['error']}»" if read.get("error") else ""
            summary_es = (f"Falló {what_es}: {code_es}{error_text} {advice.get('es') or ''} No se inició la instalación del "
                          "servidor; según la norma 5.6, informe al Encargado de TI.").replace("  ", " ")
            summary_en = (f"{what_en.capitalize()} failed: {code_en}{error_text} {advice.get('en') or ''} The server's "
                          "installation was not started; as norm 5.6 says, inform the IT Head.").replace("  ", " ")
        item = Evidence(kind="change", level="ok" if succeeded else "error", summary_es=summary_es, summary_en=summary_en,
                        details=details).as_dict()
        result = {**base, "changed": True, "exit_code": exit_code, "triage": read, "task_removed": removed,
                  "duration_seconds": round(minutes * 60, 1), "msg": i18n.text(language, summary_es, summary_en),
                  "rpi_report": {"evidence": [plan, item]}}
        if not succeeded:
            result["failed"] = True
        return result

    def _watch(self, args: dict, task_vars: dict, command, log: SetupLogFollower, started: float) -> tuple[bool, int | None]:
        """Poll until the task has finished (True and its exit code) or the timeout (False)."""
        retrier = self._retrier(None)
        while True:
            remaining = args["timeout"] - (time.monotonic() - started)
            if remaining <= 0:
                return False, None
            arguments = status_arguments(wait_seconds=min(args["poll_interval"], remaining), log_from=log.offset,
                                         log_max_bytes=args["setup_log_tail_bytes"], media_root=command.working_directory)
            status = retrier.call(lambda arguments=arguments: self._module(STATUS_MODULE, arguments, task_vars),
                                  "win_exchange_setup_status")
            log.feed(status.get("setup_log"))
            state = task_state(status.get("task"))
            if state.finished:
                return True, state.last_result
            if not state.exists:
                return True, None  # the task vanished: the log says what happened

    def _start(self, command, args: dict, task_vars: dict) -> None:
        registration = register_arguments(command, args["run_as_user"], args["run_as_password"])
        registered = self._retrier(600).call(lambda: self._module(TASK_MODULE, registration, task_vars),
                                             "win_scheduled_task present", retry_failed=False)
        if registered.get("failed"):
            raise AnsibleActionFail(registration_failure_message(str(registered.get("msg")), args["language"]))
        run = self._module(COMMAND_MODULE, start_arguments(), task_vars)
        if run.get("failed"):
            raise AnsibleActionFail(str(run.get("stderr") or run.get("msg") or "schtasks.exe /Run failed").strip())

    def _cleanup(self, task_vars: dict) -> bool:
        try:
            removed = self._retrier(120).call(lambda: self._module(TASK_MODULE, remove_arguments(), task_vars),
                                              "win_scheduled_task absent", retry_failed=False)
        except GaveUp:
            return False
        return not removed.get("failed")
