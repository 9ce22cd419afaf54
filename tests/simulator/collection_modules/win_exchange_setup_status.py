"""rpi.exchange.win_exchange_setup_status: what its PowerShell reads on a real server, read from the model.

The .ps1 waits (wait_seconds) by looking every second whether the setup task has finished: the task
is gone, or it has run (LastTaskResult is neither "running" nor "has not run"), is not Running, and
no ExSetup/Setup/ExSetupUI process is left. It then reads the task (Get-ScheduledTask and
Get-ScheduledTaskInfo, in win_scheduled_task_stat's shape), the Exchange keys and setup processes as
win_exchange_probe does, the CurrentVersion key, the pending-restart sources, WSMAN\\UpdatedConfig, and
ExchangeSetup.log from an offset (complete lines only) or its end. The wait here is in real seconds,
as on a real server; it stops early when the server goes down (the real call would be cut).
"""

from __future__ import annotations

import time
from typing import Any

from ..windows.modules._common import ModuleCall
from ..windows.state import SYSTEM_ACCOUNT, WindowsHost
from ..windows.tasks import SCHED_S_TASK_HAS_NOT_RUN, SCHED_S_TASK_RUNNING, ScheduledTask
from .win_exchange_probe import EXCHANGE_ROOT, EXCHANGE_UNINSTALL, ROLE_KEYS, SETUP_PROCESS_NAMES, _values

CHECK_SECONDS = 1.0  # the .ps1's $CHECK_MILLISECONDS
NEVER_RUN = "1999-11-30T00:00:00"  # what Get-ScheduledTaskInfo shows as LastRunTime before the first run


def _task(host: WindowsHost, name: str, folder: str) -> ScheduledTask | None:
    return host.get_task(name, folder)


def _setup_processes(host: WindowsHost) -> list[Any]:
    return [proc for proc in host.processes.values() if proc.name.lower() in SETUP_PROCESS_NAMES]


def finished(host: WindowsHost, name: str, folder: str) -> bool:
    """The .ps1's Test-SetupFinished."""
    with host.lock:
        task = _task(host, name, folder)
        if task is None:
            return True
        if task.state == "Running" or task.last_task_result in (SCHED_S_TASK_RUNNING, SCHED_S_TASK_HAS_NOT_RUN):
            return False
        return not _setup_processes(host)


def _describe(task: ScheduledTask | None) -> dict[str, Any]:
    if task is None:
        return {"task_exists": False}
    return {
        "task_exists": True,
        "state": {"status": "TASK_STATE_" + task.state.upper(), "last_task_result": task.last_task_result,
                  "last_run_time": task.last_run_time.strftime("%Y-%m-%dT%H:%M:%S") if task.last_run_time else NEVER_RUN},
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
    started = time.monotonic()
    wait = max(0.0, float(params["wait_seconds"] or 0))
    while time.monotonic() - started < wait and not finished(host, name, folder):
        if not host.is_up():
            break  # the real process is gone with the server (or WinRM): nobody reads this answer
        time.sleep(min(CHECK_SECONDS, max(0.001, wait - (time.monotonic() - started))))
    waited = time.monotonic() - started
    with host.lock:
        host.poll()
        current = _values(host, r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion") or {}
        setup_key = _values(host, EXCHANGE_ROOT + r"\Setup")
        exsetup = None
        if setup_key and setup_key.get("MsiInstallPath"):
            node = host.fs.get(str(setup_key["MsiInstallPath"]).rstrip("\\") + r"\Bin\ExSetup.exe")
            exsetup = node.version if node is not None else None
        session_manager = _values(host, r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager") or {}
        update_exe = _values(host, r"HKLM\SOFTWARE\Microsoft\Updates\UpdateExeVolatile") or {}
        wsman = _values(host, r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN") or {}
        node = host.fs.get(params["setup_log_path"])
        log = node.data() if node is not None and not node.is_dir else None
        result: dict[str, Any] = {
            "changed": False,
            "waited_seconds": round(waited, 3),
            "task": _describe(_task(host, name, folder)),
            "os": {"build": host.os.build, "edition_id": current.get("EditionID"),
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
                "setup_processes": [{"name": proc.name, "pid": proc.pid, "executable_path": ""} for proc in _setup_processes(host)],
            },
            "winrm": {"updated_config_present": "UpdatedConfig" in wsman},
            "setup_log": read_log(log, params["setup_log_path"], int(params["setup_log_from"]), int(params["setup_log_max_bytes"])),
        }
        if params.get("setup_path"):
            result["setup_path"] = {"path": params["setup_path"], "exists": host.fs.is_file(params["setup_path"])}
        return result
