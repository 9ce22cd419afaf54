# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scheduled task that runs Setup.exe outside the WinRM shell: its arguments and its state.

Why a scheduled task (exchange-facts §6.1, §6.2): setup must reach Active Directory, which a
process started inside a WinRM network logon cannot (the double hop), and setup may restart
WinRM itself, which kills every process of the shell that started it. A task registered with
the setup account's password (logon type Password, run level Highest) gets a logon that
carries credentials and lives outside WinRM; this is ExchangeDsc's ExchInstall pattern [S5].

The lifecycle, each step a standard module call with structured arguments:

1. `community.windows.win_scheduled_task` state=absent (a stale task of an earlier run goes);
2. `community.windows.win_scheduled_task` state=present, *without triggers*: a registration
   trigger would start setup again whenever the task is re-registered, and the module
   re-registers a task with a password on every call (update_password defaults to true);
3. `ansible.windows.win_command` argv `schtasks.exe /Run /TN <path>`: one explicit start,
   on demand; MultipleInstances=IgnoreNew makes a repeated start a no-op while setup runs;
4. `rpi.exchange.win_exchange_setup_status` reads the task's state and exit code
   (LastTaskResult, in win_scheduled_task_stat's shape) with setup's processes and log, waiting
   on the server for the end (setup_watch.py);
5. state=absent again when setup has finished (the task holds the account's credential).

The password is only ever an argument of step 2 (the module declares it no_log); it never
appears on a command line, in the task's action or in any result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import SetupCommand
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.leftovers import SETUP_TEMP_FOLDER
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

TASK_MODULE = "community.windows.win_scheduled_task"
COMMAND_MODULE = "ansible.windows.win_command"
# The light read of the task, setup's processes, the Exchange keys and the log (a small payload: it is called often).
STATUS_MODULE = "rpi.exchange.win_exchange_setup_status"

TASK_NAME = "rpi-exchange-setup"
TASK_FOLDER = "\\RPI\\"
TASK_DESCRIPTION = ("rpi.exchange: Exchange Setup.exe, activity 8 of ME-VAR-RPI-MNP-15. Registered and removed by the "
                    "rpi.exchange.exchange_setup module; do not start it by hand.")
# No time limit: a limit that stops setup half-way leaves the server with a watermark (exchange-facts §3.3).
EXECUTION_TIME_LIMIT = "PT0S"
# TASK_INSTANCES_IGNORE_NEW: a second start while setup runs does nothing.
MULTIPLE_INSTANCES_IGNORE_NEW = 2
# Task Scheduler's default priority is 7, a background task: its process runs BELOW_NORMAL_PRIORITY_CLASS with a lower
# memory priority (ITaskSettings::Priority). 4 is an interactive task's NORMAL_PRIORITY_CLASS, as a person running
# Setup.exe gets; ExchangeDsc's Start-ExchangeScheduledTask starts setup at 4 too [S5].
TASK_PRIORITY = 4

# Task Scheduler result codes (LastTaskResult) and exit codes that say something about setup.
SCHED_S_TASK_RUNNING = 0x41301
SCHED_S_TASK_HAS_NOT_RUN = 0x41303
SCHED_S_TASK_TERMINATED = 0x41306
NOT_FINISHED_CODES = (SCHED_S_TASK_RUNNING, SCHED_S_TASK_HAS_NOT_RUN)

_CODE_MEANINGS: dict[int, tuple[str, str]] = {
    0: ("Setup.exe terminó con código 0 (éxito).", "Setup.exe exited with code 0 (success)."),
    1: ("Setup.exe terminó con código 1 (la instalación no se completó).", "Setup.exe exited with code 1 (setup did not complete)."),
    SCHED_S_TASK_RUNNING: ("La tarea programada sigue en ejecución.", "The scheduled task is still running."),
    SCHED_S_TASK_HAS_NOT_RUN: ("La tarea programada no se ha ejecutado.", "The scheduled task has not run."),
    SCHED_S_TASK_TERMINATED: ("La tarea programada fue detenida por un usuario.", "The scheduled task was terminated by a user."),
    0x40010004: ("Setup.exe fue terminado por un reinicio o un cierre de sesión del servidor.",
                 "Setup.exe was terminated by a restart or a logoff of the server."),
    0xC000013A: ("Setup.exe fue interrumpido (Ctrl+C o cierre de su consola).",
                 "Setup.exe was interrupted (Ctrl+C or its console was closed)."),
    0x800710E0: ("El Programador de tareas rechazó iniciar la tarea (la cuenta no tiene sesión o derechos).",
                 "Task Scheduler refused to start the task (the account has no session or no rights)."),
    0x8007052E: ("La cuenta o la contraseña de la tarea son incorrectas.", "The task's user name or password is incorrect."),
    0x80070002: ("No se encontró Setup.exe en la ruta de la tarea.", "Setup.exe was not found at the task's path."),
    0x80070005: ("Acceso denegado al iniciar Setup.exe.", "Access was denied starting Setup.exe."),
}


# Why Task Scheduler refuses to register the task (win_scheduled_task's "failed to register new task definition: ...").
_REGISTRATION_FAILURES: dict[str, tuple[str, str]] = {
    "0x80070520": (
        "Windows no deja guardar la contraseña de la cuenta de instalación en la tarea programada: la directiva «Acceso de red: "
        "no permitir el almacenamiento de contraseñas y credenciales para la autenticación de red» (Network access: Do not "
        "allow storage of passwords and credentials for network authentication; Lsa\\DisableDomainCreds = 1) está "
        "activada. El administrador debe deshabilitarla para este servidor mientras dure la instalación y ejecutar "
        "«gpupdate /force»; luego vuelva a ejecutar.",
        "Windows does not let the scheduled task keep the setup account's password: the policy \"Network access: Do not "
        "allow storage of passwords and credentials for network authentication\" (Lsa\\DisableDomainCreds = 1) is enabled. "
        "The administrator must disable it for this server while the installation runs and run \"gpupdate /force\"; "
        "then run again."),
    "0x8007052e": (
        "La cuenta de instalación o su contraseña son incorrectas: corrija rpi_exchange_setup_user / "
        "rpi_exchange_setup_password y vuelva a ejecutar.",
        "The setup account or its password is wrong: correct rpi_exchange_setup_user / rpi_exchange_setup_password and "
        "run again."),
}


def registration_failure_message(module_message: str, language: str = "es") -> str:
    """The module's own failure, preceded by what it means and what to do when the code is a known one."""
    lowered = (module_message or "").lower()
    meaning = next((pair for code, pair in _REGISTRATION_FAILURES.items() if code in lowered), None)
    if meaning is None:
        return module_message
    return f"{i18n.text(language, meaning[0], meaning[1])} ({module_message})"


def task_path(name: str = TASK_NAME, folder: str = TASK_FOLDER) -> str:
    """`\\RPI\\rpi-exchange-setup`: the path schtasks.exe and the report use."""
    folder = folder if folder.startswith("\\") else "\\" + folder
    folder = folder if folder.endswith("\\") else folder + "\\"
    return folder + name


def register_arguments(command: SetupCommand, user: str, password: str, *, name: str = TASK_NAME,
                       folder: str = TASK_FOLDER) -> dict[str, Any]:
    """win_scheduled_task arguments that register (not start) the task running `command` as `user`."""
    if not user or not password:
        raise ValueError("the account that runs setup needs a user name and a password")
    if password in command.argument_string or password in command.executable:
        raise ValueError("the setup account's password would appear in the task's command line")
    return {
        "name": name,
        "path": folder,
        "description": TASK_DESCRIPTION,
        "actions": [{"path": command.executable, "arguments": command.argument_string,
                     "working_directory": command.working_directory}],
        "triggers": [],
        "username": user,
        "password": password,
        "logon_type": "password",
        "run_level": "highest",
        "enabled": True,
        "allow_demand_start": True,
        "multiple_instances": MULTIPLE_INSTANCES_IGNORE_NEW,
        "priority": TASK_PRIORITY,
        "execution_time_limit": EXECUTION_TIME_LIMIT,
        "state": "present",
    }


def remove_arguments(*, name: str = TASK_NAME, folder: str = TASK_FOLDER) -> dict[str, Any]:
    return {"name": name, "path": folder, "state": "absent"}


def status_arguments(*, wait_seconds: float = 0.0, log_from: int = -1, log_max_bytes: int = 0, setup_path: str | None = None,
                     name: str = TASK_NAME, folder: str = TASK_FOLDER, media_root: str | None = None) -> dict[str, Any]:
    """win_exchange_setup_status arguments: wait up to `wait_seconds` on the server for the task to finish; read the log
    from byte `log_from` (-1: its end), at most `log_max_bytes`; report whether `setup_path` exists."""
    arguments: dict[str, Any] = {"task_name": name, "task_folder": folder, "wait_seconds": round(max(0.0, float(wait_seconds)), 3),
                                 "setup_log_from": int(log_from), "setup_log_max_bytes": max(0, int(log_max_bytes))}
    if setup_path:
        arguments["setup_path"] = setup_path
    # A Setup.exe counts as Exchange setup while the server waits only from the media or setup's own copy (an unrelated
    # installer of that name must not hold the wait: issue 14, item 7); ExSetup* always counts.
    arguments["setup_process_folders"] = [path for path in (media_root, SETUP_TEMP_FOLDER) if path]
    return arguments


def start_arguments(*, name: str = TASK_NAME, folder: str = TASK_FOLDER) -> dict[str, Any]:
    """win_command arguments that start the task once: `schtasks.exe /Run /TN <path>` as an argv list."""
    return {"argv": ["schtasks.exe", "/Run", "/TN", task_path(name, folder)]}


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip(), 0)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class TaskState:
    """What win_scheduled_task_stat says about the setup task."""

    exists: bool
    status: str = ""  # TASK_STATE_READY, TASK_STATE_RUNNING, TASK_STATE_DISABLED...
    last_result: int | None = None  # LastTaskResult, unsigned
    last_run_time: str | None = None
    executable: str = ""
    arguments: str = ""
    user: str = ""

    @property
    def running(self) -> bool:
        if self.status == "TASK_STATE_RUNNING":
            return True
        return self.status not in ("TASK_STATE_READY", "TASK_STATE_DISABLED") and self.last_result == SCHED_S_TASK_RUNNING

    @property
    def has_run(self) -> bool:
        """The task was started at least once (and its result is not 'has not run')."""
        return self.exists and self.last_result is not None and self.last_result != SCHED_S_TASK_HAS_NOT_RUN

    @property
    def finished(self) -> bool:
        """Started, and no longer running: `last_result` is setup's exit code (or why it could not start)."""
        return self.has_run and not self.running and self.last_result not in NOT_FINISHED_CODES

    @property
    def command_line(self) -> str:
        executable = f'"{self.executable}"' if " " in self.executable else self.executable
        return " ".join(part for part in (executable, self.arguments) if part)

    def as_dict(self) -> dict[str, Any]:
        return {"exists": self.exists, "status": self.status, "last_result": self.last_result,
                "last_run_time": self.last_run_time, "running": self.running, "finished": self.finished,
                "command_line": self.command_line, "user": self.user}


def task_state(stat: Mapping[str, Any] | None) -> TaskState:
    """Read a win_scheduled_task_stat result (with `name` given), or win_exchange_setup_status's `task`."""
    stat = stat or {}
    if not stat.get("task_exists"):
        return TaskState(exists=False)
    state = stat.get("state") or {}
    actions = stat.get("actions") or []
    action = actions[0] if actions and isinstance(actions[0], Mapping) else {}
    principal = stat.get("principal") or {}
    result = _as_int(state.get("last_task_result"))
    return TaskState(
        exists=True,
        status=str(state.get("status") or ""),
        last_result=None if result is None else result & 0xFFFFFFFF,
        last_run_time=state.get("last_run_time"),
        executable=str(action.get("Path") or action.get("path") or ""),
        arguments=str(action.get("Arguments") or action.get("arguments") or ""),
        user=str(principal.get("user_id") or ""),
    )


def exit_code_text(code: int | None, language: str = "es") -> str:
    """What a task result / setup exit code means, in words."""
    if code is None:
        return i18n.text(language, "Código de salida desconocido.", "Unknown exit code.")
    meaning = _CODE_MEANINGS.get(code & 0xFFFFFFFF)
    if meaning is None:
        shown = f"{code} (0x{code & 0xFFFFFFFF:08X})"
        return i18n.text(language, f"Setup.exe terminó con el código {shown}.", f"Setup.exe exited with code {shown}.")
    return i18n.text(language, meaning[0], meaning[1])
