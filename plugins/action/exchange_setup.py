# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_setup (documentation in plugins/modules/exchange_setup.py).

Python decides, standard Windows modules act: the decision (setup_plan), the command line
(setup_command), the task's arguments (setup_runner), the watch (setup_watch) and the
reading of the outcome (setup_result) are plain Python; the server is only touched through
rpi.exchange.win_exchange_setup_status (a light read, repeated while setup runs),
community.windows.win_scheduled_task and ansible.windows.win_command (schtasks.exe /Run).
"""

from __future__ import annotations

import os
import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.utils.display import Display

from ansible_collections.rpi.exchange.plugins.plugin_utils._common.server_action import ServerAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES, check_language
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import clean_text
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.plan import (
    MODE_NOTHING,
    MODE_REFUSE,
    PlanError,
    build_command,
    decide_mode,
    plan_setup,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import setup_executable
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import failure_message
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.licence import accepted_switch
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.switches import mode_of, read_setup_options, split_for_mode
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.result import (
    plan_item,
    read_outcome,
    report_target,
    run_items,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.result import failure_message as outcome_failure
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.result import success_message
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import (
    COMMAND_MODULE,
    STATUS_MODULE,
    TASK_MODULE,
    TaskState,
    exit_code_text,
    register_arguments,
    registration_failure_message,
    remove_arguments,
    start_arguments,
    status_arguments,
    task_path,
    task_state,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.progress import (
    SETUP_SUBJECT,
    ProgressPrinter,
    SetupProgress,
    end_line,
    save_reached,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.watch import (
    DEFAULT_POLL_INTERVAL,
    FINISHED,
    NOT_STARTED,
    POLL_TAIL_BYTES,
    TASK_VANISHED,
    GaveUp,
    Retrier,
    SetupLogFollower,
    SetupWatcher,
    read_status,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.vocabulary import RUN_DIR_ENV

display = Display()

# The end of ExchangeSetup.log the first reading triages (an earlier run's outcome, an interrupted run).
FIRST_PROBE_TAIL_BYTES = 262144
# Registering and starting the task: a dropped connection is retried this long.
START_DEADLINE_SECONDS = 600.0
START_ATTEMPTS = 3

ARGUMENT_SPEC = {
    "setup_path": {"type": "str", "required": True},
    "media_version": {"type": "str", "required": True},
    # Required, but refused by the plugin itself: no record or options -> the Spanish message naming activity 6 or 7.
    "license_record": {"type": "dict"},
    "license_sha256": {"type": "str"},
    "setup_options": {"type": "dict"},
    "run_as_user": {"type": "str", "required": True},
    "run_as_password": {"type": "str", "required": True, "no_log": True},
    "server_object_in_ad": {"type": "bool"},
    "timeout": {"type": "int", "default": 14400},
    "poll_interval": {"type": "float", "default": DEFAULT_POLL_INTERVAL},
    "setup_log_tail_bytes": {"type": "int", "default": 1048576},
    "language": {"type": "str", "default": "es", "choices": list(LANGUAGES)},
}
# Options of 0.x replaced by license_record (activity 6) and setup_options (activity 7).
REMOVED_OPTIONS = ("license_switch", "diagnostic_data", "role", "switches")


class ActionModule(ServerAction):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._task_vars_host = None
        self._warnings: list[str] = []
        self._start_sent = False

    # --- plumbing -----------------------------------------------------------------------------------------------------
    def _retrier(self, deadline: float | None) -> Retrier:
        host = self._task_vars_host

        def interrupted(what: str, problem: str) -> None:
            display.v(f"rpi.exchange.exchange_setup: connection lost during {what} ({problem}); reconnecting", host=host)

        return Retrier(self._reset_connection, deadline=deadline, on_interruption=interrupted)

    # --- the run ------------------------------------------------------------------------------------------------------
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        removed = sorted(set(self._task.args) & set(REMOVED_OPTIONS))
        if removed:
            # 0.x options that let a diagnostic-data choice alone stand for the licence acceptance: said, not ignored.
            language = self._task.args.get("language") if self._task.args.get("language") in LANGUAGES else "es"
            result.update(failed=True, changed=False, msg=i18n.text(
                language, f"Opciones retiradas: {', '.join(removed)}. La licencia se acepta solo con el registro de la actividad 6 "
                          "(license_record: el resultado record de rpi.exchange.exchange_license) y las opciones son el resultado "
                          "completo de la actividad 7 (setup_options: el de rpi.exchange.exchange_setup_options).",
                f"Removed options: {', '.join(removed)}. The licence is accepted only by activity 6's record (license_record: "
                "rpi.exchange.exchange_license's record) and the options are activity 7's whole result (setup_options: "
                "rpi.exchange.exchange_setup_options' result)."))
            return result
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        password = args["run_as_password"]
        self._warnings = []
        try:
            result.update(self._run(args, task_vars))
            if self._warnings:
                result["warnings"] = list(result.get("warnings") or []) + self._warnings
        finally:
            # Whatever happened, the setup account's password leaves this plugin in no result.
            scrubbed = remove_values(dict(result), {password}) if password else result
            result.clear()
            result.update(scrubbed)
        return result

    def _run(self, args: dict, task_vars: dict) -> dict:
        language = check_language(args["language"])
        self._task_vars_host = task_vars.get("inventory_hostname")
        if args["timeout"] <= 0 or args["poll_interval"] <= 0:
            raise AnsibleActionFail("timeout and poll_interval must be more than 0 seconds")
        if args["setup_log_tail_bytes"] < POLL_TAIL_BYTES:
            raise AnsibleActionFail(f"setup_log_tail_bytes must be at least {POLL_TAIL_BYTES}")
        # Activity 6's acceptance record gives the licence switch as it is, and activity 7's result the role and the
        # switches: setup without them, or with a record for other media, is refused before the server is read.
        license_switch, problems = accepted_switch(args["license_record"], args["media_version"], args["license_sha256"])
        role, pairs, option_problems = read_setup_options(args["setup_options"])
        if problems or option_problems:
            problems = problems + option_problems
            return {"failed": True, "changed": False, "problems": [problem.as_dict() for problem in problems],
                    "msg": failure_message("No se inicia la instalación", "Setup is not started", problems, language)}
        args["role"] = role

        # 1. The server as it is, our task from an earlier run and the media's Setup.exe: one light round trip.
        try:
            executable: str | None = setup_executable(args["setup_path"])[0]
        except PlanError:
            executable = None  # the plan refuses this path below, with its reason
        first = self._module(STATUS_MODULE, status_arguments(log_max_bytes=FIRST_PROBE_TAIL_BYTES, setup_path=executable),
                             task_vars)
        if first.get("failed"):
            return {"failed": True, "changed": False,
                    "msg": i18n.text(language, "No se pudo leer el servidor: ", "The server could not be read: ")
                    + str(first.get("msg", "?"))}
        before, state = read_status(first, role)
        tail = clean_text(str((first.get("setup_log") or {}).get("tail") or ""))
        if tail:
            before["setup_log"]["last_run"] = triage(tail)
        version_before = before["exchange"].get("version")
        base = {"media_version": args["media_version"], "version_before": version_before, "version_after": version_before,
                "reboot_required": False, "task": task_path()}

        # 2. Our task from an earlier run: still running (the controller lost it, or timed out) -> watch it to its end;
        #    finished but never read (the controller died) -> note its result and remove it (it holds the credential).
        if state.exists and state.running:
            return self._attach(args, task_vars, language, before, state, base)
        stale = self._stale_task(state, task_vars, language) if state.exists else []

        # 3. Decide.
        decision = decide_mode(before, args["media_version"], server_object_in_ad=args["server_object_in_ad"], role=role)
        base.update(mode=decision.mode, reason=decision.reason, decision=decision.as_dict())
        target = report_target(decision.mode, args["media_version"], before)
        if decision.mode == MODE_NOTHING and state.exists and state.finished and state.last_result == 0:
            return self._finished_unread(args, language, before, state, base, stale)
        if decision.mode == MODE_NOTHING:
            item = plan_item(decision.as_dict(), None, check_mode=False, run_as_user=args["run_as_user"], warnings=[])
            unchanged = report_target(decision.mode, args["media_version"], before, before)
            return {**base, "changed": False, "msg": decision.message(language),
                    "rpi_report": {"evidence": [item] + stale, "target": unchanged}}
        if decision.mode == MODE_REFUSE:
            refused = {**base, "changed": False, "failed": True, "msg": decision.message(language),
                       "rpi_report": {"evidence": [plan_item(decision.as_dict(), None, check_mode=False,
                                                             run_as_user=args["run_as_user"], warnings=[])] + stale,
                                      "target": target}}
            if decision.interrupted and before["setup_log"].get("last_run"):
                refused["triage"] = before["setup_log"]["last_run"]  # what the interrupted run left in the log
            return refused

        # 4. The exact command line.
        kept, dropped = split_for_mode(pairs, decision.setup_mode, role, args["media_version"])
        try:
            plan = plan_setup(decision, media_root=args["setup_path"], license_switch=license_switch, role=role, switches=kept)
            command = build_command(plan, forbidden_values=[args["run_as_password"]])
        except PlanError as error:
            return {**base, "changed": False, "failed": True,
                    "msg": i18n.text(language, "El plan de instalación no es válido: ", "The setup plan is not valid: ") + str(error),
                    "problems": [str(problem) for problem in error.problems]}
        warnings: list[tuple[str, str]] = [
            (f"Se omite {item['switch']} en modo {decision.setup_mode}: {item['es']}",
             f"{item['switch']} is left out in mode {decision.setup_mode}: {item['en']}") for item in dropped]
        if "wsman_updated_config_missing" in (before.get("winrm") or {}).get("issues", []):
            warnings.append(("Falta WSMAN\\UpdatedConfig: Setup reiniciará WinRM durante la instalación; la ejecución es "
                             "independiente de WinRM y el seguimiento se reconecta.",
                             "WSMAN\\UpdatedConfig is missing: setup will restart WinRM during the run; the run does not "
                             "depend on WinRM and the watch reconnects."))
        pending = before.get("pending_reboot") or {}
        if pending.get("pending"):
            sources = ", ".join(pending.get("sources") or [])
            reboot_es = (f"El servidor tiene un reinicio pendiente ({sources}); Setup lo rechazaría (reglas RebootPending / "
                         "PendingRebootWindowsComponents). Reinicie el servidor (el rol que llama a este módulo reinicia antes) "
                         "y vuelva a ejecutar.")
            reboot_en = (f"The server has a pending restart ({sources}); setup would refuse it (rules RebootPending / "
                         "PendingRebootWindowsComponents). Restart the server (the role that calls this module restarts "
                         "first) and run again.")
            if not self._task.check_mode:
                return {**base, "changed": False, "failed": True, "msg": i18n.text(language, reboot_es, reboot_en),
                        "pending_reboot": pending, "command_line": command.command_line,
                        "rpi_report": {"evidence": [plan_item(decision.as_dict(), command.as_dict(), check_mode=False,
                                                              run_as_user=args["run_as_user"], warnings=[(reboot_es, reboot_en)])],
                                       "target": target}}
            warnings.append((reboot_es, reboot_en))
        base.update(command_line=command.command_line, command=command.as_dict(), dropped_switches=dropped)
        for es, en in warnings:
            self._warn(i18n.text(language, es, en))
        evidence = [plan_item(decision.as_dict(), command.as_dict(), check_mode=self._task.check_mode,
                              run_as_user=args["run_as_user"], warnings=warnings)] + stale

        # 5. Check mode: the plan, nothing run.
        if self._task.check_mode:
            return {**base, "changed": True, "check_mode": True,
                    "msg": i18n.text(language, f"Modo de verificación: se ejecutaría {command.command_line}",
                                     f"Check mode: would run {command.command_line}"),
                    "rpi_report": {"evidence": evidence, "target": target}}

        # 6. The media must be there (the first reading looked for its Setup.exe).
        if not (first.get("setup_path") or {}).get("exists"):
            return {**base, "changed": False, "failed": True, "msg": i18n.text(
                language, f"No se encontró {command.executable}: monte el medio de instalación (actividad 3) y vuelva a ejecutar.",
                f"{command.executable} was not found: mount the installation media (activity 3) and run again.")}

        # 7. Register the task and start it once.
        started = time.monotonic()
        self._start_sent = False
        try:
            self._start(command, args, task_vars)
        except (GaveUp, AnsibleActionFail) as error:
            if self._start_sent and isinstance(error, GaveUp):
                # The start may have reached the server: the task stays, so that the next run attaches to setup.
                return {**base, "changed": True, "failed": True, "msg": i18n.text(
                    language, "Se perdió el contacto con el servidor al iniciar Setup.exe; puede estar en ejecución. Vuelva a "
                              "ejecutar el procedimiento: se conectará a la ejecución en curso. ",
                    "Contact with the server was lost while starting Setup.exe; it may be running. Run the procedure again: "
                    "it attaches to the running setup. ") + str(error), "rpi_report": {"evidence": evidence, "target": target}}
            self._cleanup(task_vars)
            return {**base, "changed": False, "failed": True, "msg": i18n.text(
                language, "No se pudo iniciar Setup.exe como tarea programada: ", "Setup.exe could not be started as a scheduled "
                "task: ") + str(error), "rpi_report": {"evidence": evidence, "target": target}}
        display.v(f"rpi.exchange.exchange_setup: {command.command_line} started as {args['run_as_user']} "
                  f"(task {task_path()})", host=self._task_vars_host)

        # 8. Watch, then read the outcome.
        log = SetupLogFollower.after(before, args["setup_log_tail_bytes"])
        return self._watch_and_read(args, task_vars, language, before, log, started, decision.mode,
                                    command.command_line, base, evidence, attached=False)

    def _warn(self, text: str) -> None:
        self._warnings.append(text)

    def _finished_unread(self, args: dict, language: str, before: dict, state: TaskState, base: dict, stale: list) -> dict:
        """Setup an earlier run started succeeded after its controller died: this run completes that installation.

        Nothing is left to install, but nobody restarted the server for it: report the change and ask activity 9 for the
        restart (an extra restart is harmless; a missing one leaves Exchange's new services down)."""
        mode = mode_of(state.arguments)
        last_run = before["setup_log"].get("last_run") or {}
        version_before = last_run.get("installed_version") if last_run.get("setup_version") else base["version_before"]
        base.update(mode=mode, reason="setup_task_unread", command_line=state.command_line, attached=True,
                    version_before=version_before, reboot_required=True)
        message_es = (f"La instalación que inició una ejecución anterior terminó correctamente sin que nadie leyera su resultado "
                      f"({state.command_line}); esta ejecución la da por completada y pide el reinicio de la actividad 9.")
        message_en = (f"The setup an earlier run started finished successfully without anyone reading its result "
                      f"({state.command_line}); this run completes it and asks activity 9 for the restart.")
        earlier = {**before, "exchange": {**before["exchange"], "version": version_before, "installed": bool(version_before)}}
        target = report_target(mode, args["media_version"], earlier, before)
        return {**base, "changed": not self._task.check_mode, "msg": i18n.text(language, message_es, message_en),
                "rpi_report": {"evidence": stale + [Evidence(kind="change", level="ok", summary_es=message_es,
                                                             summary_en=message_en, details=state.as_dict()).as_dict()],
                               "target": target}}

    def _stale_task(self, state: TaskState, task_vars: dict, language: str) -> list[dict]:
        """Our task left by an earlier run that ended without reading it: its result becomes evidence, the task goes."""
        code = exit_code_text(state.last_result, "es"), exit_code_text(state.last_result, "en")
        removed = self._task.check_mode or self._cleanup(task_vars)
        summary_es = (f"Se encontró la tarea {task_path()} de una ejecución anterior no leída ({state.command_line}): "
                      f"{code[0]} " + ("Se eliminó." if removed and not self._task.check_mode else "No se eliminó."))
        summary_en = (f"Found the task {task_path()} of an earlier run that was never read ({state.command_line}): "
                      f"{code[1]} " + ("It was removed." if removed and not self._task.check_mode else "It was not removed."))
        self._warn(i18n.text(language, summary_es, summary_en))
        if not removed:
            raise AnsibleActionFail(i18n.text(language, f"No se pudo eliminar la tarea {task_path()}.",
                                              f"The task {task_path()} could not be removed."))
        return [Evidence(kind="note", level="warning", summary_es=summary_es, summary_en=summary_en,
                         details=state.as_dict()).as_dict()]

    def _start(self, command, args: dict, task_vars: dict) -> None:
        """Register our task (no trigger), start it once; a dropped connection is retried safely."""
        retrier = self._retrier(time.monotonic() + START_DEADLINE_SECONDS)
        registration = register_arguments(command, args["run_as_user"], args["run_as_password"])
        registered = retrier.call(lambda: self._module(TASK_MODULE, registration, task_vars), "win_scheduled_task present",
                                  retry_failed=False)
        if registered.get("failed"):
            raise AnsibleActionFail(registration_failure_message(str(registered.get("msg")), args["language"]))
        for _attempt in range(START_ATTEMPTS):
            self._start_sent = True
            try:
                run = self._module(COMMAND_MODULE, start_arguments(), task_vars)
            except Exception as error:  # pylint: disable=broad-exception-caught  # did the start reach the server?
                display.v(f"rpi.exchange.exchange_setup: connection lost starting the task ({error}); checking it",
                          host=self._task_vars_host)
                self._reset_connection()
                status = retrier.call(lambda: self._module(STATUS_MODULE, status_arguments(), task_vars),
                                      "win_exchange_setup_status")
                state = task_state(status.get("task"))
                if state.running or state.has_run:
                    return  # it started: never start setup twice
                continue
            if run.get("failed"):
                raise AnsibleActionFail(str(run.get("stderr") or run.get("msg") or "schtasks.exe /Run failed").strip())
            return
        raise AnsibleActionFail("schtasks.exe /Run could not be sent to the server")

    def _cleanup(self, task_vars: dict) -> bool:
        """Delete the task (it holds the account's credential); True when it is gone."""
        try:
            removed = self._retrier(time.monotonic() + 120).call(
                lambda: self._module(TASK_MODULE, remove_arguments(), task_vars), "win_scheduled_task absent", retry_failed=False)
        except GaveUp:
            return False
        return not removed.get("failed")

    def _attach(self, args: dict, task_vars: dict, language: str, before: dict, state: TaskState, base: dict) -> dict:
        """Our task is running from an earlier run of this module: watch it instead of starting anything."""
        mode = mode_of(state.arguments)
        # The registry shows the run's half-done state; the run's own log header says what was there before it.
        running_log = before["setup_log"].get("last_run") or {}
        if running_log.get("setup_version"):
            base.update(version_before=running_log.get("installed_version"))
        base.update(mode=mode, reason="attached", command_line=state.command_line, attached=True)
        message_es = (f"Setup ya está en ejecución en el servidor desde una ejecución anterior de este procedimiento "
                      f"(tarea {task_path()}): {state.command_line}")
        message_en = (f"Setup is already running on the server from an earlier run of this procedure (task {task_path()}): "
                      f"{state.command_line}")
        decision = {"mode": mode, "reason": "attached", "message_es": message_es, "message_en": message_en}
        evidence = [plan_item(decision, {"command_line": state.command_line}, check_mode=self._task.check_mode,
                              run_as_user=state.user or args["run_as_user"], warnings=[])]
        if self._task.check_mode:
            return {**base, "changed": False, "msg": i18n.text(language, message_es, message_en),
                    "rpi_report": {"evidence": evidence, "target": report_target(mode, args["media_version"], before)}}
        display.v(f"rpi.exchange.exchange_setup: {message_en}", host=self._task_vars_host)
        # This run's log began before our reading: follow it from as far back as the triage keeps.
        size = int(before["setup_log"].get("size_bytes") or 0) if before["setup_log"].get("exists") else 0
        log = SetupLogFollower(max(0, size - args["setup_log_tail_bytes"]), args["setup_log_tail_bytes"])
        return self._watch_and_read(args, task_vars, language, before, log, time.monotonic(), mode, state.command_line,
                                    base, evidence, attached=True)

    def _watch_and_read(self, args: dict, task_vars: dict, language: str, before: dict, log: SetupLogFollower,
                        started: float, mode: str, command_line: str, base: dict, evidence: list, *, attached: bool) -> dict:
        role = args["role"]
        host = self._task_vars_host

        def progress(milestone) -> None:
            display.v(f"rpi.exchange.exchange_setup: {milestone.text(language)}", host=host)

        # One line per phase of setup, without -v: the technician sees setup move during its hour (issue 18).
        printer = ProgressPrinter(display.display, language=language, subject=SETUP_SUBJECT, host=host)

        def phase(position) -> None:
            printer.position(position)
            # Beside the run's report, for its report if the controller stops before setup ends (report callback).
            save_reached(os.environ.get(RUN_DIR_ENV), position)

        def polled(count: int, facts: dict) -> None:
            display.vv(f"rpi.exchange.exchange_setup: poll {count}, setup running: {facts['exchange'].get('setup_running')}",
                       host=host)

        def status(wait_seconds: float, log_from: int) -> dict:
            return self._module(STATUS_MODULE, status_arguments(wait_seconds=wait_seconds, log_from=log_from,
                                                                log_max_bytes=args["setup_log_tail_bytes"],
                                                                media_root=setup_executable(args["setup_path"])[1]), task_vars)

        watcher = SetupWatcher(status, self._retrier(None), role=role, log=log, started_at=started, timeout=args["timeout"],
                               poll_interval=args["poll_interval"], on_progress=progress, on_poll=polled,
                               phases=SetupProgress(mode, role), on_phase=phase)
        watch = watcher.watch()

        # No reading after the watch: the call that saw setup end read the registry after it, and the log was followed
        # line by line from where this run began (up to setup_log_tail_bytes), so the triage already has all of it.
        after, run_triage = watch.facts, watch.run_triage
        if watch.status in (FINISHED, NOT_STARTED, TASK_VANISHED):
            cleaned = self._cleanup(task_vars)
        else:
            cleaned = False  # setup may still be running: the task stays so that the next run can attach to it
        outcome = read_outcome(watch, media_version=args["media_version"], version_before=base["version_before"],
                               after=after, run_triage=run_triage)
        display.display(end_line(outcome.succeeded, watch.reached, watch.elapsed_seconds, language=language,
                                 subject=SETUP_SUBJECT, host=host))
        minutes = watch.elapsed_seconds / 60
        evidence = evidence + run_items(outcome, watch, mode=mode, command_line=command_line,
                                        media_version=args["media_version"], task_path=task_path(), attached=attached)
        result = {
            **base,
            "changed": True,
            "version_after": outcome.version_after,
            "duration_seconds": round(watch.elapsed_seconds, 1),
            "reboot_required": outcome.reboot_required,
            "exit_code": outcome.exit_code,
            "outcome": outcome.as_dict(),
            "triage": outcome.triage,
            "progress": [item.as_dict() for item in watch.milestones],
            "watch": watch.as_dict(),
            "task_removed": cleaned,
            "rpi_report": {"evidence": evidence, "target": report_target(mode, args["media_version"], before, after)},
        }
        if outcome.succeeded:
            result["msg"] = success_message(outcome, mode, args["media_version"], minutes, language)
        else:
            result.update(failed=True, msg=outcome_failure(outcome, mode, minutes, language))
        return result
