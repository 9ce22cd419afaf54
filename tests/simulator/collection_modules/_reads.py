"""Two reads both setup scripts make, through the facilities the scripts use (not WMI: windows/wmi.py)."""

from __future__ import annotations

import fnmatch
from typing import Any

from ..windows.state import WindowsHost
from ..windows.tasks import ScheduledTask

PROCESS_NAMES = ("exsetup*", "setup")  # the scripts' Get-Process -Name (process names have no extension)


class SchedulerUnavailable(RuntimeError):
    """Schedule.Service.Connect() with the Task Scheduler service stopped."""


def com_task(host: WindowsHost, name: str, folder: str) -> ScheduledTask | None:
    """Get-SetupTask: Schedule.Service Connect, GetFolder, GetTask (None for 0x80070002/0x80070003)."""
    service = host.get_service("Schedule")
    if service is not None and service.state != "running":
        raise SchedulerUnavailable("The Task Scheduler service is not running. (Exception from HRESULT: 0x80070426)")
    return host.get_task(name, folder)


def setup_processes(host: WindowsHost) -> list[dict[str, Any]]:
    """Get-SetupProcess: every process named ExSetup* or Setup, with Get-Process's .Path (None when not known)."""
    found = []
    for proc in host.processes.values():
        stem = proc.name.lower().removesuffix(".exe")
        if any(fnmatch.fnmatchcase(stem, pattern) for pattern in PROCESS_NAMES):
            found.append({"name": proc.name, "pid": proc.pid, "executable_path": proc.executable_path or None})
    return found
