# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_security_update (documentation in plugins/modules/exchange_security_update.py).

Python decides (plugin_utils/_update: which build the package is for, install / nothing / refuse, the outcome), standard
modules act: ansible.windows.win_stat (the package and its SHA-256), rpi.exchange.win_exchange_setup_status (the task, the
installed build from ExSetup.exe, the pending restarts and the update's log, waiting on the server), the setup runner's
scheduled task (community.windows.win_scheduled_task, schtasks.exe /Run: elevated, as the setup account, outside WinRM),
ansible.windows.win_service_info (services the update left disabled) and rpi.exchange.server_restart.
"""

from __future__ import annotations

import time

from ansible.errors import AnsibleActionFail
from ansible.utils.display import Display

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.server_action import ServerAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import SetupCommand
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import (
    COMMAND_MODULE,
    STATUS_MODULE,
    TASK_MODULE,
    register_arguments,
    registration_failure_message,
    remove_arguments,
    start_arguments,
    status_arguments,
    task_path,
    task_state,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.watch import GaveUp, Retrier
from ansible_collections.rpi.exchange.plugins.plugin_utils._update.outcome import exit_code_text, read_outcome
from ansible_collections.rpi.exchange.plugins.plugin_utils._update.package import (
    INSTALL,
    NONE,
    NOTHING,
    VARIABLE,
    UpdateDecision,
    check_shape,
    decide,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import format_version, try_parse_version
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

display = Display()

STAT_MODULE = "ansible.windows.win_stat"
SERVICE_INFO_MODULE = "ansible.windows.win_service_info"
TASK_NAME = "rpi-exchange-security-update"
TASK_DESCRIPTION = ("rpi.exchange: Exchange security update, activity 9 of ME-VAR-RPI-MNP-15. Registered and removed by the "
                    "rpi.exchange.exchange_security_update module; do not start it by hand.")
# Unattended with a progress bar only, as Install-Exchange15 runs the SU .exe ('/passive') [S4 Install-Exchange15.ps1,
# IncludeFixes]; '/norestart' because Windows Installer's /passive restarts by itself when the patch needs it
# (https://learn.microsoft.com/windows/win32/msi/command-line-options) and the restart is this module's, after reading the
# result. That the .exe wrapper (KB5011363) passes both to the .msp is [UNCONFIRMED]; the exit code and ExSetup.exe's
# version are read either way.
ARGUMENTS = ("/passive", "/norestart")
START_DEADLINE_SECONDS = 600.0
INSPECTED = "inspected"
INSTALLED = "installed"

ARGUMENT_SPEC = {
    "security_update": {"type": "raw"},
    "state": {"type": "str", "default": INSTALLED, "choices": [INSPECTED, INSTALLED]},
    "installed_version": {"type": "str"},
    "media_version": {"type": "str"},
    "run_as_user": {"type": "str"},
    "run_as_password": {"type": "str", "no_log": True},
    "log_path": {"type": "str", "default": "%SystemDrive%\\ExchangeSetupLogs\\SecurityUpdate.log"},
    "timeout": {"type": "int", "default": 3600},
    "poll_interval": {"type": "float", "default": 30.0},
    "reboot_timeout": {"type": "int", "default": 3600},
    "language": {"type": "str", "default": "es", "choices": list(LANGUAGES)},
}


def _evidence(kind: str, level: str, summary_es: str, summary_en: str, details: dict) -> dict:
    return Evidence(kind=kind, level=level, summary_es=summary_es, summary_en=summary_en, details=details).as_dict()


class ActionModule(ServerAction):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    def _retrier(self, deadline: float | None) -> Retrier:
        return Retrier(self._reset_connection, deadline=deadline)

    def _status(self, task_vars: dict, args: dict, wait_seconds: float = 0.0, log_from: int = -1) -> dict:
        arguments = status_arguments(wait_seconds=wait_seconds, log_from=log_from, log_max_bytes=65536, name=TASK_NAME)
        arguments.update(setup_log_path=args["log_path"], setup_process_folders=[])
        retrier = self._retrier(time.monotonic() + 600)
        return retrier.call(lambda: self._module(STATUS_MODULE, arguments, task_vars, check_mode=False), STATUS_MODULE)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        language = args["language"]
        value = args["security_update"]
        shape = check_shape(value)
        if shape:
            decision = UpdateDecision("refuse", problems=shape)
            return self._refused(result, decision, language)
        if not value:
            decision = UpdateDecision(NONE)
            result.update(changed=False, action=NONE, msg=decision.message(language), decision=decision.as_dict())
            return result
        stat = self._module(STAT_MODULE, {"path": value["path"], "get_checksum": True, "checksum_algorithm": "sha256"}, task_vars,
                            check_mode=False)
        if stat.get("failed") or not (stat.get("stat") or {}).get("exists"):
            problem_es = (f"{VARIABLE}.path: no se encontró '{value['path']}' en el servidor. Copie el paquete a esa ruta (o "
                          "corrija la ruta) y compruebe que la cuenta de instalación puede leerla.")
            problem_en = (f"{VARIABLE}.path: '{value['path']}' was not found on the server. Copy the package there (or correct "
                          "the path) and check that the setup account can read it.")
            result.update(failed=True, changed=False, msg=i18n.text(language, problem_es, problem_en),
                          rpi_report={"evidence": [_evidence("check", "error", problem_es, problem_en, {"path": value["path"]})]})
            return result
        checksum = stat["stat"].get("checksum")
        if args["state"] == INSPECTED:
            decision = decide(value, installed=args["installed_version"], media=args["media_version"], actual_sha256=checksum)
            if decision.refused:
                return self._refused(result, decision, language)
            summary = (decision.message("es"), decision.message("en"))
            result.update(changed=False, action=decision.action, msg=decision.message(language), decision=decision.as_dict(),
                          rpi_report={"evidence": [_evidence("check", "ok", summary[0], summary[1], decision.as_dict())]})
            return result
        return self._install(result, args, value, checksum, task_vars, language)

    def _refused(self, result: dict, decision: UpdateDecision, language: str) -> dict:
        head_es = "Actualización de seguridad rechazada antes de cambiar nada en el servidor:"
        head_en = "Security update refused before changing anything on the server:"
        message_es, message_en = f"{head_es}\n{decision.message('es')}", f"{head_en}\n{decision.message('en')}"
        result.update(failed=True, changed=False, action=decision.action, decision=decision.as_dict(),
                      msg=i18n.text(language, message_es, message_en),
                      rpi_report={"evidence": [_evidence("check", "error", message_es, message_en, decision.as_dict())]})
        return result

    def _install(self, result: dict, args: dict, value: dict, checksum: str, task_vars: dict, language: str) -> dict:
        before = self._status(task_vars, args)
        installed = (before.get("exchange") or {}).get("exsetup_file_version")
        version_before = format_version(try_parse_version(installed)) if try_parse_version(installed) else None
        decision = decide(value, installed=installed, actual_sha256=checksum)
        if decision.refused:
            return self._refused(result, decision, language)
        base = {"action": decision.action, "decision": decision.as_dict(), "kb": decision.kb,
                "update_label": decision.update.label if decision.update else None, "version_before": version_before,
                "expected_version": decision.update_version}
        if decision.action == NOTHING:
            summary = (decision.message("es"), decision.message("en"))
            details = dict(decision.as_dict(), version_after=version_before)
            result.update(changed=False, version_after=version_before, msg=decision.message(language), **base,
                          rpi_report={"evidence": [_evidence("version", "ok", summary[0], summary[1], details)]})
            return result
        if decision.action != INSTALL:  # the decision knows install, nothing and refuse only: a new action needs a path here
            raise AssertionError(f"unexpected security update action {decision.action!r}")
        command = SetupCommand(executable=value["path"].replace("/", "\\"), arguments=ARGUMENTS,
                               working_directory=value["path"].replace("/", "\\").rsplit("\\", 1)[0], mode="SecurityUpdate")
        plan_es = (f"Se instalará {decision.update.label} ({decision.kb}): {version_before} → {decision.update_version}, como tarea "
                   f"programada elevada {task_path(TASK_NAME)} de {args['run_as_user']}: {command.command_line}; luego se reiniciará.")
        plan_en = (f"{decision.update.label} ({decision.kb}) will be installed: {version_before} → {decision.update_version}, as the "
                   f"elevated scheduled task {task_path(TASK_NAME)} of {args['run_as_user']}: {command.command_line}; then a restart.")
        if self._task.check_mode:
            # Said on the console without -v: --check shows the update it would install.
            display.display(i18n.text(language, plan_es, plan_en))
            result.update(changed=True, msg=i18n.text(language, plan_es, plan_en), command_line=command.command_line, **base,
                          rpi_report={"evidence": [_evidence("plan", "info", plan_es, plan_en,
                                                             dict(decision.as_dict(), command_line=command.command_line))],
                                      "target": {"security_update": {"kb": decision.kb, "label": decision.update.label,
                                                                     "version_before": version_before or "",
                                                                     "version_after": decision.update_version or "",
                                                                     "status": "planned"}}})
            return result
        if not args["run_as_user"] or not args["run_as_password"]:
            raise AnsibleActionFail(i18n.text(language, "Falta la cuenta de instalación (rpi_exchange_setup_user / "
                                                        "rpi_exchange_setup_password).",
                                              "The setup account is missing (rpi_exchange_setup_user / rpi_exchange_setup_password)."))
        evidence = []
        pending = sorted(name for name, value_set in (before.get("pending_reboot") or {}).items() if value_set)
        if pending:
            # Windows Installer refuses, or leaves files for the restart, while a restart is pending: restart first.
            answer = self._reboot(args["reboot_timeout"], "Reinicio pendiente antes de la actualización de seguridad de Exchange "
                                                          "(ME-VAR-RPI-MNP-15, actividad 9)", task_vars)
            if answer.get("failed"):
                raise AnsibleActionFail(str(answer.get("msg")))
            evidence.append(_evidence("reboot", "info", f"Reinicio pendiente antes de la actualización ({', '.join(pending)}).",
                                      f"Pending restart before the update ({', '.join(pending)}).", {"sources": pending}))
        log_start = int((before.get("setup_log") or {}).get("size_bytes") or 0) if (before.get("setup_log") or {}).get("exists") else 0
        started = time.monotonic()
        self._start(command, args, task_vars, language)
        display.display(i18n.text(language, f"Actualización de seguridad {decision.kb} en curso en {task_vars.get('inventory_hostname')}",
                                  f"Security update {decision.kb} running on {task_vars.get('inventory_hostname')}"))
        after, log_text, finished = self._watch(args, task_vars, started, log_start)
        elapsed = time.monotonic() - started
        if not finished:
            message_es = (f"La actualización sigue en ejecución tras {args['timeout']} s (tarea {task_path(TASK_NAME)}); no se "
                          "detuvo. Espere a que termine y vuelva a ejecutar la actividad 9.")
            message_en = (f"The update is still running after {args['timeout']} s (task {task_path(TASK_NAME)}); it was not "
                          "stopped. Wait for it to end and run activity 9 again.")
            result.update(failed=True, changed=True, msg=i18n.text(language, message_es, message_en), **base)
            return result
        state = task_state(after.get("task"))
        self._cleanup(task_vars)
        services = self._exchange_services(task_vars)
        outcome = read_outcome(exit_code=state.last_result, build_after=(after.get("exchange") or {}).get("exsetup_file_version"),
                               expected=decision.update_version or "", log_lines=log_text.splitlines(), services=services,
                               pending_reboot=any((after.get("pending_reboot") or {}).values()))
        display.display(i18n.text(language, f"Actualización de seguridad {decision.kb} terminada ({elapsed / 60:.0f} min)",
                                  f"Security update {decision.kb} finished ({elapsed / 60:.0f} min)"))
        details = dict(decision.as_dict(), command_line=command.command_line, task=task_path(TASK_NAME), run_as_user=args["run_as_user"],
                       log_path=args["log_path"], duration_seconds=round(elapsed, 1), **outcome.as_dict(),
                       exit_code_text={"es": exit_code_text(state.last_result, "es"), "en": exit_code_text(state.last_result, "en")},
                       version_before=version_before,
                       log_tail=log_text[-4000:])
        evidence.append(_evidence("command", "info", f"Actualización de seguridad ejecutada: {command.command_line}",
                                  f"Security update run: {command.command_line}",
                                  {"command_line": command.command_line, "task": task_path(TASK_NAME)}))
        if not outcome.ok:
            evidence.append(_evidence("triage", "error", outcome.message("es"), outcome.message("en"), details))
            result.update(failed=True, changed=True, msg=outcome.message(language), version_after=outcome.build_after,
                          exit_code=state.last_result, outcome=outcome.as_dict(), **base, rpi_report={"evidence": evidence})
            return result
        answer = self._reboot(args["reboot_timeout"], "Reinicio posterior a la actualización de seguridad de Exchange "
                                                      "(ME-VAR-RPI-MNP-15, actividad 9)", task_vars)
        rebooted = not answer.get("failed")
        summary_es = (f"Actualización {decision.update.label} ({decision.kb}) instalada: {version_before} → {outcome.build_after}"
                      + ("; servidor reiniciado." if rebooted else "; el reinicio falló."))
        summary_en = (f"Update {decision.update.label} ({decision.kb}) installed: {version_before} → {outcome.build_after}"
                      + ("; server restarted." if rebooted else "; the restart failed."))
        evidence.append(_evidence("change", "ok" if rebooted else "error", summary_es, summary_en, details))
        result.update(changed=True, failed=not rebooted, msg=i18n.text(language, summary_es, summary_en), version_after=outcome.build_after,
                      exit_code=state.last_result, outcome=outcome.as_dict(), rebooted=rebooted, **base,
                      rpi_report={"evidence": evidence, "target": {"security_update": {
                          "kb": decision.kb, "label": decision.update.label, "version_before": version_before or "",
                          "version_after": outcome.build_after or "", "status": "installed"}}})
        return result

    def _start(self, command: SetupCommand, args: dict, task_vars: dict, language: str) -> None:
        """Register the task (elevated, as the setup account, no trigger), then start it once."""
        retrier = self._retrier(time.monotonic() + START_DEADLINE_SECONDS)
        registration = register_arguments(command, args["run_as_user"], args["run_as_password"], name=TASK_NAME)
        registration["description"] = TASK_DESCRIPTION
        registered = retrier.call(lambda: self._module(TASK_MODULE, registration, task_vars), "win_scheduled_task present",
                                  retry_failed=False)
        if registered.get("failed"):
            raise AnsibleActionFail(registration_failure_message(str(registered.get("msg")), language))
        run = self._module(COMMAND_MODULE, start_arguments(name=TASK_NAME), task_vars)
        if run.get("failed"):
            raise AnsibleActionFail(str(run.get("stderr") or run.get("msg") or "schtasks.exe /Run failed").strip())

    def _watch(self, args: dict, task_vars: dict, started: float, log_from: int) -> tuple[dict, str, bool]:
        """Wait on the server, a poll at a time, until the task has finished; the log's new lines as they come."""
        text, status = "", {}
        while True:
            remaining = args["timeout"] - (time.monotonic() - started)
            status = self._status(task_vars, args, wait_seconds=max(0.0, min(args["poll_interval"], remaining)), log_from=log_from)
            log = status.get("setup_log") or {}
            text += str(log.get("tail") or "")
            if log.get("exists"):
                log_from = int(log.get("read_to") or log_from)
            state = task_state(status.get("task"))
            if state.finished or not state.exists:
                return status, text, True
            if time.monotonic() - started >= args["timeout"]:
                return status, text, False

    def _cleanup(self, task_vars: dict) -> bool:
        try:
            removed = self._retrier(time.monotonic() + 120).call(
                lambda: self._module(TASK_MODULE, remove_arguments(name=TASK_NAME), task_vars), "win_scheduled_task absent",
                retry_failed=False)
        except GaveUp:
            return False
        return not removed.get("failed")

    def _exchange_services(self, task_vars: dict) -> dict[str, str]:
        """Exchange service name -> start mode: the update stops and disables them while it runs."""
        answer = self._module(SERVICE_INFO_MODULE, {}, task_vars, check_mode=False)
        return {str(item.get("name")): str(item.get("start_mode") or "") for item in answer.get("services") or []
                if str(item.get("name") or "").lower().startswith("msexchange")}
