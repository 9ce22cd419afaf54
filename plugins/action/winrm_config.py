# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.winrm_config (documentation in plugins/modules/winrm_config.py).

Python decides (plugin_utils/_server/winrm_config.py), standard modules act: ansible.windows.win_reg_stat reads,
community.windows.win_scheduled_task registers the SYSTEM task that restores WinRM's configuration and creates its
listeners again, ansible.windows.win_command starts it (schtasks.exe /Run), community.windows.win_scheduled_task_stat
follows it, and rpi.exchange.server_restart's action plugin restarts the server.
"""

from __future__ import annotations

import time
from typing import Any, Mapping

from ansible.utils.display import Display

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.server_action import ServerAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import (
    NOT_FINISHED_CODES,
    TASK_FOLDER as SETUP_TASK_FOLDER,
    TASK_NAME as SETUP_TASK_NAME,
    task_path,
    task_state,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.watch import TIMED_OUT, GaveUp, Retrier
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.winrm_config import (
    COMMAND_MODULE,
    NONE,
    REFUSE,
    REG_STAT_MODULE,
    TASK_FOLDER,
    TASK_MODULE,
    TASK_NAME,
    TASK_STAT_MODULE,
    WinrmPlan,
    connection_transport,
    listener_from_reg_stat,
    plan,
    reg_stat_arguments,
    verify,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

display = Display()

# After the task starts, the listeners are gone for a moment: calls are retried this long.
RECONNECT_SECONDS = 300.0
POLL_SECONDS = 2.0

ARGUMENT_SPEC = {
    "reboot_timeout": {"type": "int", "default": 1800},
    "language": {"type": "str", "default": "es", "choices": ["es", "en"]},
}


class ActionModule(ServerAction):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    # ------------------------------------------------------------------------------- server calls
    def _read(self, call) -> tuple[dict, dict[str, dict]]:
        """UpdatedConfig and the listener keys, through `call(module, args)`."""
        reads = reg_stat_arguments()
        updated = call(REG_STAT_MODULE, reads.pop("updated_config"))
        return updated, {transport: call(REG_STAT_MODULE, args) for transport, args in reads.items()}

    # ------------------------------------------------------------------------------- the run
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        language = args["language"]

        def call(name: str, module_args: Mapping[str, Any]) -> dict:
            return self._module(name, module_args, task_vars)

        updated, stats = self._read(call)
        for answer in [updated, *stats.values()]:
            if answer.get("failed"):
                result.update(failed=True, changed=False, msg=i18n.text(
                    language, f"No se pudo leer la configuración de WinRM: {answer.get('msg')}",
                    f"WinRM's configuration could not be read: {answer.get('msg')}"))
                return result
        listeners = {transport: listener for transport, stat in stats.items()
                     if (listener := listener_from_reg_stat(transport, stat)) is not None}
        decided = plan(bool(updated.get("exists")), listeners, connection_transport(self._connection))
        result.update(changed=False, plan=decided.as_dict(), restored=False, rebooted=False)
        evidence = [Evidence(kind="check", level="ok" if decided.action == NONE else ("error" if decided.action == REFUSE else "warning"),
                             summary_es=decided.message_es, summary_en=decided.message_en,
                             details={key: value for key, value in decided.as_dict().items() if not key.startswith("message_")}).as_dict()]
        result["rpi_report"] = {"evidence": evidence}
        if decided.action == NONE:
            result["msg"] = decided.message(language)
            return result
        if decided.action == REFUSE:
            result.update(failed=True, msg=decided.message(language))
            return result

        # Never while a setup of an earlier run is going: the restart would kill it.
        setup = task_state(call(TASK_STAT_MODULE, {"name": SETUP_TASK_NAME, "path": SETUP_TASK_FOLDER}))
        if setup.running:
            note_es = (f"La tarea {task_path()} de una ejecución anterior sigue en ejecución: no se toca WinRM ahora "
                       "(el reinicio la interrumpiría).")
            note_en = f"The task {task_path()} of an earlier run is still running: WinRM is left alone now (a restart would kill it)."
            evidence.append(Evidence(kind="note", level="warning", summary_es=note_es, summary_en=note_en, details={}).as_dict())
            result["msg"] = i18n.text(language, note_es, note_en)
            return result

        if self._task.check_mode:
            result.update(changed=True, msg=i18n.text(language, "Modo de verificación: " + decided.message_es,
                                                      "Check mode: " + decided.message_en))
            evidence[0]["kind"] = "plan"
            return result
        return self._apply(result, decided, args, task_vars, evidence, language)

    def _apply(self, result: dict, decided: WinrmPlan, args: dict, task_vars: dict, evidence: list, language: str) -> dict:
        host = task_vars.get("inventory_hostname")

        def interrupted(what: str, problem: str) -> None:
            display.v(f"rpi.exchange.winrm_config: connection lost during {what} ({problem}); reconnecting", host=host)

        retrier = Retrier(self._reset_connection, deadline=time.monotonic() + RECONNECT_SECONDS, on_interruption=interrupted)

        def call(name: str, module_args: Mapping[str, Any], what: str) -> dict:
            return dict(retrier.call(lambda: self._module(name, module_args, task_vars), what, retry_failed=False))

        lost_es, lost_en = (
            "Se perdió la conexión con el servidor después de restaurar la configuración de WinRM y el agente de escucha no "
            "volvió. ", "The connection to the server was lost after WinRM's configuration was restored and the listener did "
            "not come back. ")
        registration = decided.task_arguments()
        state = task_state(None)
        try:
            registered = call(TASK_MODULE, registration, "win_scheduled_task present")
            if registered.get("failed"):
                result.update(failed=True, msg=i18n.text(language, "No se pudo registrar la tarea que restaura WinRM: ",
                                                         "The task that restores WinRM could not be registered: ")
                              + str(registered.get("msg")))
                return result
            result["changed"] = True
            started = call(COMMAND_MODULE, {"argv": ["schtasks.exe", "/Run", "/TN", TASK_FOLDER + TASK_NAME]}, "schtasks /Run")
            if started.get("failed"):
                result.update(failed=True, msg=i18n.text(language, "No se pudo iniciar la tarea que restaura WinRM: ",
                                                         "The task that restores WinRM could not be started: ")
                              + str(started.get("stderr") or started.get("msg")))
                return result
            # The listeners go and come back while the task runs: wait (reconnecting) until it has finished.
            while True:
                state = task_state(call(TASK_STAT_MODULE, {"name": TASK_NAME, "path": TASK_FOLDER}, "win_scheduled_task_stat"))
                if state.exists and state.has_run and not state.running and state.last_result not in NOT_FINISHED_CODES:
                    break
                if time.monotonic() > retrier.deadline:
                    raise GaveUp(TIMED_OUT, "win_scheduled_task_stat", "the task did not finish")
                time.sleep(POLL_SECONDS)
            updated, stats = self._read(lambda name, module_args: call(name, module_args, "win_reg_stat"))
            problems = verify(decided, updated, stats)
            call(TASK_MODULE, {"name": TASK_NAME, "path": TASK_FOLDER, "state": "absent"}, "win_scheduled_task absent")
        except GaveUp as gave_up:
            result.update(failed=True, changed=True, msg=i18n.text(language, lost_es + self._fix(decided, "es"),
                                                                   lost_en + self._fix(decided, "en")), error=str(gave_up))
            return result
        done_es = ("Se restauró la configuración de WinRM («winrm invoke Restore winrm/config @{}»; WSMAN\\UpdatedConfig escrito) y "
                   "se volvieron a crear sus agentes de escucha: " + "; ".join(item.describe("es") for item in decided.listeners) + ".")
        done_en = ("WinRM's configuration was restored (\"winrm invoke Restore winrm/config @{}\"; WSMAN\\UpdatedConfig written) "
                   "and its listeners were created again: " + "; ".join(item.describe("en") for item in decided.listeners) + ".")
        details = {"task": TASK_FOLDER + TASK_NAME, "exit_code": state.last_result, "listeners": [item.as_dict() for item in decided.listeners],
                   "source": "ExchangeDsc Set-WSManConfigStatus (restore, then restart)"}
        if problems:
            result.update(failed=True, restored=True, msg=i18n.text(
                language, f"La restauración de WinRM no dejó lo esperado (falta: {', '.join(problems)}). " + self._fix(decided, "es"),
                f"Restoring WinRM did not leave what was expected (missing: {', '.join(problems)}). " + self._fix(decided, "en")))
            evidence.append(Evidence(kind="change", level="error", summary_es=done_es, summary_en=done_en,
                                     details={**details, "problems": problems}).as_dict())
            return result
        evidence.append(Evidence(kind="change", level="ok", summary_es=done_es, summary_en=done_en, details=details).as_dict())
        result["restored"] = True

        answer = self._reboot(args["reboot_timeout"], "Reinicio tras restaurar la configuración de WinRM (ME-VAR-RPI-MNP-15, actividad 8)", task_vars)
        if answer.get("failed") or answer.get("unreachable"):
            result.update(failed=True, reboot_result=answer, msg=i18n.text(
                language, f"El servidor no volvió del reinicio tras restaurar WinRM: {answer.get('msg')}",
                f"The server did not come back from the restart after restoring WinRM: {answer.get('msg')}"))
            return result
        result["rebooted"] = True
        evidence.append(Evidence(kind="change", level="ok",
                                 summary_es="Se reinició el servidor para aplicar la configuración de WinRM restaurada, como hace ExchangeDsc.",
                                 summary_en="The server restarted to apply WinRM's restored configuration, as ExchangeDsc does.",
                                 details={"reason": "winrm_restore", "elapsed": answer.get("elapsed")}).as_dict())
        updated, stats = self._read(lambda name, module_args: self._module(name, module_args, task_vars))
        after = verify(decided, updated, stats)
        if after:
            result.update(failed=True, msg=i18n.text(language, f"Tras el reinicio falta: {', '.join(after)}. " + self._fix(decided, "es"),
                                                     f"After the restart, missing: {', '.join(after)}. " + self._fix(decided, "en")))
            return result
        result["msg"] = i18n.text(language, done_es + " El servidor se reinició.", done_en + " The server restarted.")
        return result

    @staticmethod
    def _fix(decided: WinrmPlan, language: str) -> str:
        https = next((item for item in decided.listeners if item.transport == "HTTPS"), None)
        if https is None:
            return i18n.text(language, "En la consola del servidor, cree de nuevo el agente de escucha de WinRM y vuelva a ejecutar.",
                             "At the server's console, create the WinRM listener again and run again.")
        command = f"winrm {https.create_arguments()}"
        return i18n.text(language, f"En la consola del servidor, el administrador debe ejecutar «{command}» y volver a ejecutar.",
                         f"At the server's console, the administrator must run \"{command}\" and run again.")
