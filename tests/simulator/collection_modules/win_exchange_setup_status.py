"""rpi.exchange.win_exchange_setup_status: its PowerShell's steps, through the facilities that script uses.

The .ps1 reads nothing through CIM/WMI (setup disables WMI during a CU, windows/wmi.py): the task through the Task
Scheduler's COM interface (Schedule.Service: GetFolder, GetTask, State, LastTaskResult, LastRunTime, Definition),
processes through Get-Process (-Name ExSetup*, Setup; .Path), the rest from the registry and the file system. It waits
(wait_seconds) by looking every second whether setup has finished: the task is gone, or it has run (LastTaskResult is
neither "running" nor "has not run"), is not Running, and no process counts as setup any more (ExSetup*, or Setup.exe
from one of setup_process_folders, or one whose path Windows does not tell). Then it reads the task, the Exchange keys,
the CurrentVersion key, the pending-restart sources, WSMAN\\UpdatedConfig, and ExchangeSetup.log from an offset
(complete lines only) or its end. The wait here is in real seconds, as on a real server; it stops early when the server
goes down (the real call would be cut).
"""

from __future__ import annotations

import time
from typing import Any

from ..windows.modules._common import ModuleCall
from ..windows.state import SYSTEM_ACCOUNT, WindowsHost
from ..windows.tasks import SCHED_S_TASK_HAS_NOT_RUN, SCHED_S_TASK_RUNNING, ScheduledTask
from ._reads import SchedulerUnavailable, com_task, setup_processes
from .win_exchange_probe import EXCHANGE_ROOT, EXCHANGE_UNINSTALL, ROLE_KEYS, _values

CHECK_SECONDS = 1.0  # the .ps1's $CHECK_MILLISECONDS
TASK_STATES = {"Disabled": "DISABLED", "Queued": "QUEUED", "Ready": "READY", "Running": "RUNNING"}


def counts_as_setup(process: dict[str, Any], folders: list[str]) -> bool:
    """The .ps1's Test-ExchangeSetupProcess."""
    path = process["executable_path"]
    if process["name"].lower().startswith("exsetup") or path is None:
        return True
    return any(path.lower().startswith(folder.rstrip("\\").lower() + "\\") for folder in folders)


def finished(host: WindowsHost, name: str, folder: str, folders: list[str]) -> bool:
    """The .ps1's Test-SetupFinished."""
    with host.lock:
        task = com_task(host, name, folder)
        if task is None:
            return True
        if task.state == "Running" or task.last_task_result in (SCHED_S_TASK_RUNNING, SCHED_S_TASK_HAS_NOT_RUN):
            return False
        return not any(counts_as_setup(proc, folders) for proc in setup_processes(host))


def _describe(task: ScheduledTask | None) -> dict[str, Any]:
    if task is None:
        return {"task_exists": False}
    return {
        "task_exists": True,
        "state": {"status": "TASK_STATE_" + TASK_STATES.get(task.state, "UNKNOWN"),
                  "last_task_result": task.last_task_result & 0xFFFFFFFF,
                  # The COM interface's LastRunTime is 1899-12-30 before the first run: the .ps1 reports null then.
                  "last_run_time": task.last_run_time.strftime("%Y-%m-%dT%H:%M:%S") if task.last_run_time else None},
        "actions": [{"Path": action.path, "Arguments": action.arguments or None} for action in task.actions],
        "principal": {"user_id": "SYSTEM" if task.username == SYSTEM_ACCOUNT else task.username},
    }


def read_log(data: bytes | None, path: str, offset: int, max_bytes: int) -> dict[str, Any]:
    """The .ps1's Read-SetupLog over the log's bytes (None: no log)."""
    result: dict[str, Any] = {"path": path, "exists": False, "size_bytes": 0, "read_from": 0, "read_to": 0,
                              "skipped_bytes": 0, "restarted": False, "tail": ""}
    if data is None:
        return result
    size = len(data)
    result.update(exists=True, size_bytes=size)
    follow = offset >= 0
    if follow and offset > size:
        offset = 0
        result["restarted"] = True
    if not follow:
        offset = size
    available = size - offset
    want = max(0, min(max_bytes, available if follow else size))
    start = size - want
    if follow and available > want:
        result["skipped_bytes"] = available - want
    chunk = data[start:start + want]
    if follow and chunk:
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            chunk = chunk[:newline + 1]
        elif len(chunk) < max_bytes:
            chunk = b""
    result.update(read_from=start, read_to=start + len(chunk), tail=chunk.decode("utf-8", "replace"))
    return result


def run(host: WindowsHost, call: ModuleCall) -> dict[str, Any]:
    params = call.params
    name, folder = params["task_name"], params["task_folder"]
    # Ansible's `path` type: environment variables expanded on the server.
    log_path = host.expand_env(str(params["setup_log_path"]))
    folders = [host.expand_env(str(item)) for item in params["setup_process_folders"] or []]
    started = time.monotonic()
    wait = max(0.0, float(params["wait_seconds"] or 0))
    try:
        while time.monotonic() - started < wait and not finished(host, name, folder, folders):
            if not host.is_up():
                break  # the real process is gone with the server (or WinRM): nobody reads this answer
            time.sleep(min(CHECK_SECONDS, max(0.001, wait - (time.monotonic() - started))))
        waited = time.monotonic() - started
        with host.lock:
            host.poll()
            task = _describe(com_task(host, name, folder))
    except SchedulerUnavailable as err:
        call.fail(str(err))
    with host.lock:
        current = _values(host, r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion") or {}
        setup_key = _values(host, EXCHANGE_ROOT + r"\Setup")
        exsetup = None
        if setup_key and setup_key.get("MsiInstallPath"):
            node = host.fs.get(str(setup_key["MsiInstallPath"]).rstrip("\\") + r"\Bin\ExSetup.exe")
            exsetup = node.version if node is not None else None
        session_manager = _values(host, r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager") or {}
        update_exe = _values(host, r"HKLM\SOFTWARE\Microsoft\Updates\UpdateExeVolatile") or {}
        wsman = _values(host, r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN") or {}
        node = host.fs.get(log_path)
        log = node.data() if node is not None and not node.is_dir else None
        result: dict[str, Any] = {
            "changed": False,
            "waited_seconds": round(waited, 3),
            "task": task,
            "os": {"build": int(current.get("CurrentBuildNumber") or host.os.build), "edition_id": current.get("EditionID"),
                   "installation_type": current.get("InstallationType"), "product_name": current.get("ProductName")},
            "pending_reboot": {
                "session_manager": bool(session_manager.get("PendingFileRenameOperations")),
                "component_based_servicing": host.registry.key_exists(
                    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending"),
                "windows_update": host.registry.key_exists(
                    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired"),
                "update_exe_volatile": bool(update_exe.get("Flags")),
            },
            "exchange": {
                "setup_key": setup_key,
                "role_keys": {role: values for role in ROLE_KEYS if (values := _values(host, f"{EXCHANGE_ROOT}\\{role}")) is not None},
                "uninstall_key": _values(host, EXCHANGE_UNINSTALL),
                "exsetup_file_version": exsetup,
                "setup_processes": setup_processes(host),
            },
            "winrm": {"updated_config_present": "UpdatedConfig" in wsman},
            "setup_log": read_log(log, log_path, int(params["setup_log_from"]), int(params["setup_log_max_bytes"])),
        }
        if params.get("setup_path"):
            result["setup_path"] = {"path": params["setup_path"], "exists": host.fs.is_file(params["setup_path"])}
        return result
