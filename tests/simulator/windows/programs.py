"""Programs the simulated server can run: command-line parsing, the program-handler hook, processes.

Other models (the Exchange model's Setup.exe) register a handler keyed by executable file name; the host
calls it whenever that executable is started: by win_command/win_shell, win_package or a scheduled task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Protocol

if TYPE_CHECKING:
    from .state import WindowsHost


def split_command_line(cmdline: str) -> list[str]:
    """Split like CommandLineToArgvW (the C runtime rules: quotes group, 2n backslashes before a quote -> n)."""
    args: list[str] = []
    buf: list[str] = []
    in_quotes = False
    have_arg = False
    i, n = 0, len(cmdline)
    while i < n:
        c = cmdline[i]
        if c == "\\":
            j = i
            while j < n and cmdline[j] == "\\":
                j += 1
            count = j - i
            if j < n and cmdline[j] == '"':
                buf.append("\\" * (count // 2))
                if count % 2:
                    buf.append('"')
                    i = j + 1
                else:
                    i = j
                have_arg = True
                continue
            buf.append("\\" * count)
            have_arg = True
            i = j
            continue
        if c == '"':
            if in_quotes and i + 1 < n and cmdline[i + 1] == '"':
                buf.append('"')
                i += 2
                have_arg = True
                continue
            in_quotes = not in_quotes
            have_arg = True
            i += 1
            continue
        if c in " \t" and not in_quotes:
            if have_arg:
                args.append("".join(buf))
                buf, have_arg = [], False
            i += 1
            continue
        buf.append(c)
        have_arg = True
        i += 1
    if have_arg:
        args.append("".join(buf))
    return args


@dataclass
class ProgramRun:
    """One start of an executable, as the handler sees it."""

    executable: str  # as resolved, e.g. "E:\\Setup.exe"
    arguments: str  # the raw argument string after the executable
    argv: list[str]  # split_command_line(arguments)
    user: str  # run-as account, canonical "RPI\\svc-exchange" / "RPI-EXCH01\\Administrator" / "NT AUTHORITY\\SYSTEM"
    via: str  # "win_command" | "win_shell" | "win_package" | "scheduled_task" | "raw"
    working_directory: str = ""
    elevated: bool = True
    task_path: str = ""  # "\\Install Exchange" when via == "scheduled_task"
    interactive: bool = False  # False for WinRM (no desktop), also for S4U/Password tasks without a session
    logon_type: str = "network"  # "network" (WinRM), "interactive" (become), or the task's logon type ("password", "s4u"...)
    # Whether the process holds credentials usable against other machines (AD, file shares): exchange-facts §6.1
    # double hop. False for an NTLM/Kerberos WinRM logon without become and for S4U tasks.
    network_credentials: bool = True
    # The process's priority class (Get-Process PriorityClass): Normal, except for a scheduled task's action, which
    # starts at the class of the task's priority (tasks.py: BelowNormal at Task Scheduler's default 7).
    priority_class: str = "Normal"

    @property
    def name(self) -> str:
        return self.executable.replace("/", "\\").rsplit("\\", 1)[-1].lower()


@dataclass
class ProgramResult:
    """What a started program does.

    rc/stdout/stderr: the exit code and output (win_command shows them; a task stores rc as last_task_result).
    duration_seconds: simulated run time. A synchronous caller (win_command) advances the clock by it; a
    scheduled task keeps a Process alive until it is over and reports state "Running" meanwhile.
    child_processes: extra process names visible while it runs (e.g. "ExSetup.exe").
    real_seconds: for scheduled-task runs, how long (real seconds) the process stays visible; by default
    clock.real_seconds(duration_seconds), which is 0 in unit tests.
    on_exit: called (with the lock held) once the run is over; may return a replacement exit code.
    """

    rc: int = 0
    stdout: str = ""
    stderr: str = ""
    duration_seconds: float = 0.0
    child_processes: list[str] = field(default_factory=list)
    on_exit: Callable[[], int | None] | None = None
    real_seconds: float | None = None  # scheduled-task runs: real time the process stays visible (default: speed-scaled)


class ProgramHandler(Protocol):
    def __call__(self, host: "WindowsHost", run: ProgramRun) -> ProgramResult: ...


@dataclass
class Process:
    pid: int
    name: str  # "ExSetup.exe"
    command_line: str
    user: str
    start_time: datetime
    ends_at: datetime | None = None  # None: runs until stopped or reboot
    exit_code: int | None = None
    parent_pid: int = 0
    on_exit: Callable[[], int | None] | None = field(default=None, repr=False)
    task_path: str = ""  # the scheduled task this run belongs to
    system: bool = False  # survives nothing, but is recreated at boot (System, svchost...)
    priority_class: str = "Normal"  # Get-Process PriorityClass (a scheduled task's action: its priority's class)

    @property
    def executable_path(self) -> str:
        """Get-Process's .Path (the image file): the command line's first token when it is a full path, else ""."""
        line = self.command_line.strip()
        image = line[1:].split('"', 1)[0] if line.startswith('"') else line.split(" ", 1)[0]
        return image if "\\" in image else ""
