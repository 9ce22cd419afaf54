"""Scheduled tasks (Task Scheduler 2.0 as community.windows.win_scheduled_task drives it).

The credential of a Password-logon task is checked against the account when registered and never stored
(exchange-facts §6.1: the scheduled-task pattern runs Setup.exe as the domain account).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Task Scheduler result codes (SCHED_S_*), as shown by Get-ScheduledTaskInfo LastTaskResult.
SCHED_S_TASK_HAS_NOT_RUN = 0x41303  # 267011
SCHED_S_TASK_RUNNING = 0x41301  # 267009
ERROR_FILE_NOT_FOUND_HRESULT = 0x80070002

# A task whose logon stores the account's password (TASK_LOGON_PASSWORD, and INTERACTIVE_TOKEN_OR_PASSWORD, which is the
# same on current Windows) keeps it in the Credential Manager. The security option "Network access: Do not allow
# storage of passwords and credentials for network authentication" (HKLM\SYSTEM\CurrentControlSet\Control\Lsa,
# DisableDomainCreds=1; CIS benchmarks recommend enabling it) forbids that, and the registration fails with
# ERROR_NO_SUCH_LOGON_SESSION [Microsoft Learn: the policy's reference page; MS-ERREF 0x80070520 = Win32 error 1312].
# S4U and service-account tasks store no password and are not affected.
LSA_KEY = r"HKLM\SYSTEM\CurrentControlSet\Control\Lsa"
DISABLE_DOMAIN_CREDS = "DisableDomainCreds"
STORED_PASSWORD_LOGONS = ("password", "token_or_password")
NO_SUCH_LOGON_SESSION = ("A specified logon session does not exist. It may already have been terminated. "
                         "(Exception from HRESULT: 0x80070520)")


class TaskRegistrationError(RuntimeError):
    """Task Scheduler refused to register a task (the message is the COM exception's)."""


# TASK_LOGON_TYPE values (win_scheduled_task logon_type names).
LOGON_TYPES = {"none": 0, "password": 1, "s4u": 2, "interactive_token": 3, "group": 4, "service_account": 5,
               "token_or_password": 6}
# ITaskSettings::Priority: 0 (highest) to 10 (lowest), "The default value is 7. Priority levels 7 and 8 are used for
# background tasks, and priority levels 4, 5, and 6 are used for interactive tasks." The task's action starts in a
# process of the matching priority class (7-8: BELOW_NORMAL_PRIORITY_CLASS; the value also lowers the process's memory
# priority) [Microsoft Learn, "ITaskSettings::put_Priority method (taskschd.h)" and "TaskSettings.Priority property"].
# Names as Get-Process shows PriorityClass (System.Diagnostics.ProcessPriorityClass).
DEFAULT_PRIORITY = 7
PRIORITY_CLASSES = {0: "RealTime", 1: "High", 2: "AboveNormal", 3: "AboveNormal", 4: "Normal", 5: "Normal", 6: "Normal",
                    7: "BelowNormal", 8: "BelowNormal", 9: "Idle", 10: "Idle"}
# TASK_TRIGGER_TYPE2 values.
TRIGGER_TYPES = {"event": 0, "time": 1, "daily": 2, "weekly": 3, "monthly": 4, "monthlydow": 5, "idle": 6,
                 "registration": 7, "boot": 8, "logon": 9, "session_state_change": 11}


@dataclass
class TaskAction:
    path: str
    arguments: str = ""
    working_directory: str = ""


@dataclass
class ScheduledTask:
    name: str
    folder: str = "\\"  # "\\" or "\\Microsoft\\Exchange\\"
    description: str = ""
    actions: list[TaskAction] = field(default_factory=list)
    triggers: list[dict[str, Any]] = field(default_factory=list)  # win_scheduled_task trigger dicts
    username: str = ""  # canonical run-as account ("" = the registering user)
    logon_type: str = "interactive_token"
    run_level: str = "limited"
    enabled: bool = True
    settings: dict[str, Any] = field(default_factory=dict)  # the remaining win_scheduled_task options
    registration_info: dict[str, Any] = field(default_factory=dict)  # author, date, description, source, version
    state: str = "Ready"  # Ready | Running | Disabled
    last_run_time: datetime | None = None
    last_task_result: int = SCHED_S_TASK_HAS_NOT_RUN
    number_of_missed_runs: int = 0
    running_pid: int = 0
    run_count: int = 0

    @property
    def path(self) -> str:
        folder = self.folder if self.folder.endswith("\\") else self.folder + "\\"
        return folder + self.name

    @property
    def key(self) -> str:
        return self.path.lower()

    @property
    def priority(self) -> int:
        """Settings.Priority as registered (Task Scheduler's default 7 when the registration set none)."""
        value = self.settings.get("priority")
        return DEFAULT_PRIORITY if value is None else int(value)

    @property
    def priority_class(self) -> str:
        """The priority class of the process the task's action starts in."""
        return PRIORITY_CLASSES.get(self.priority, "Normal")


def task_key(name: str, folder: str = "\\") -> str:
    folder = folder or "\\"
    if not folder.startswith("\\"):
        folder = "\\" + folder
    if not folder.endswith("\\"):
        folder += "\\"
    return (folder + name).lower()
