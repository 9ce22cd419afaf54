"""rpi.exchange.win_exchange_probe: what its PowerShell reads on a real server, read from the model.

The keys below are what the module's .ps1 reads from CIM and the registry (Win32_OperatingSystem,
Win32_ComputerSystem, Win32_Volume, the CurrentVersion key, the pending-reboot sources of
exchange-facts §6.5, the Exchange keys of §3.2). The simulator does not decide anything here.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from ..windows.modules._common import ModuleCall
from ..windows.state import WindowsHost

EXCHANGE_ROOT = r"HKLM\SOFTWARE\Microsoft\ExchangeServer\v15"
ROLE_KEYS = ("AdminTools", "CafeRole", "ClientAccessRole", "EdgeTransportRole", "FrontendTransportRole", "HubTransportRole",
             "MailboxRole", "UnifiedMessagingRole")
UNINSTALL_ROOTS = (r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall",
                   r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall")
EXCHANGE_UNINSTALL = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}"
SETUP_PROCESS_NAMES = {"exsetup.exe", "setup.exe", "exsetupui.exe"}
DOMAIN_ROLE_MEMBER_SERVER, DOMAIN_ROLE_STANDALONE_SERVER, DOMAIN_ROLE_PRIMARY_DC = 3, 2, 5


def _key(path: str) -> str:
    return path.replace("HKLM:\\", "HKLM\\", 1)


def _values(host: WindowsHost, path: str) -> dict[str, Any] | None:
    path = _key(path)
    if not host.registry.key_exists(path):
        return None
    return {(name or "(default)"): value.data for name, value in host.registry.values(path).items()}


def _uninstall_entries(host: WindowsHost, patterns: list[str]) -> list[dict[str, Any]]:
    entries = []
    for root in UNINSTALL_ROOTS:
        for sub in host.registry.subkeys(root) if host.registry.key_exists(root) else []:
            values = _values(host, f"{root}\\{sub}") or {}
            name = str(values.get("DisplayName") or "")
            # PowerShell's -like is case-insensitive.
            if name and any(fnmatch.fnmatch(name.lower(), pattern.lower()) for pattern in patterns):
                entries.append({"key": sub, "display_name": name, "display_version": values.get("DisplayVersion"),
                                "version": values.get("Version"), "install_date": values.get("InstallDate")})
    return entries


def _setup_task(host: WindowsHost, path: str) -> dict[str, Any] | None:
    """Get-ScheduledTask + Get-ScheduledTaskInfo of one task, as the .ps1 reports them (null when not asked)."""
    if not path:
        return None
    folder, name = path[:path.rfind("\\") + 1], path[path.rfind("\\") + 1:]
    task = host.get_task(name, folder)
    if task is None:
        return {"path": path, "exists": False}
    return {"path": path, "exists": True, "state": task.state, "last_task_result": task.last_task_result,
            "last_run_time": task.last_run_time.isoformat() if task.last_run_time else None}


def _volumes(host: WindowsHost) -> list[dict[str, Any]]:
    return [{"drive_letter": volume.letter, "label": volume.label, "file_system": volume.filesystem,
             "drive_type": "CDROM" if volume.drive_type == "CD-ROM" else volume.drive_type,
             "size_bytes": volume.size, "free_bytes": volume.free}
            for volume in sorted(host.fs.volumes.values(), key=lambda item: item.letter)]


def _setup_log(host: WindowsHost, path: str, tail_bytes: int) -> dict[str, Any]:
    node = host.fs.get(path)
    result = {"path": path, "exists": node is not None and not node.is_dir, "size_bytes": 0, "tail": ""}
    if result["exists"]:
        data = node.data()
        result["size_bytes"] = len(data)
        if tail_bytes > 0:
            result["tail"] = data[-tail_bytes:].decode("utf-8", "replace")
    return result


def run(host: WindowsHost, call: ModuleCall) -> dict[str, Any]:
    params = call.params
    with host.lock:
        current = _values(host, r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion") or {}
        tcpip = _values(host, r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters") or {}
        domain = host.domain
        if domain is None:
            domain_role = DOMAIN_ROLE_STANDALONE_SERVER
        else:
            domain_role = DOMAIN_ROLE_PRIMARY_DC if domain.is_domain_controller else DOMAIN_ROLE_MEMBER_SERVER
        setup_key = _values(host, EXCHANGE_ROOT + r"\Setup")
        exsetup = None
        if setup_key and setup_key.get("MsiInstallPath"):
            node = host.fs.get(str(setup_key["MsiInstallPath"]).rstrip("\\") + r"\Bin\ExSetup.exe")
            exsetup = node.version if node is not None else None
        session_manager = _values(host, r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager") or {}
        update_exe = _values(host, r"HKLM\SOFTWARE\Microsoft\Updates\UpdateExeVolatile") or {}
        wsman = _values(host, r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN") or {}
        policies = _values(host, r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell") or {}
        remote_registry = host.get_service("RemoteRegistry")
        start_modes = {"auto": "Auto", "delayed": "Auto", "manual": "Manual", "disabled": "Disabled"}
        return {
            "changed": False,
            "os": {"caption": host.os.caption, "version": host.os.version, "build": host.os.build,
                   "edition_id": current.get("EditionID"), "installation_type": current.get("InstallationType"),
                   "product_name": current.get("ProductName"), "last_boot_time": host.boot_time.isoformat()},
            "computer": {"hostname": host.hostname, "dns_hostname": tcpip.get("Hostname", host.hostname),
                         "primary_dns_suffix": tcpip.get("NV Domain"),
                         "domain": domain.fqdn if domain else host.workgroup, "part_of_domain": domain is not None,
                         "domain_role": domain_role},
            "hardware": {"sockets": host.cpu_sockets, "cores": host.cpu_cores, "logical_processors": host.logical_processors,
                         "memory_bytes": host.ram_bytes},
            "page_files": [] if host.pagefile_automatic else [
                {"path": page.path, "initial_mb": page.initial_mb, "maximum_mb": page.maximum_mb} for page in host.pagefiles],
            "page_file_automatic": host.pagefile_automatic,
            "volumes": _volumes(host),
            "network": [{"description": adapter.description, "ipv4": list(adapter.ipv4), "dhcp_enabled": adapter.dhcp}
                        for adapter in host.adapters],
            "registry": {path: _values(host, path) for path in params["registry_keys"] or []},
            "uninstall_entries": _uninstall_entries(host, params["uninstall_display_names"]) if params["uninstall_display_names"] else [],
            "features": [{"name": name, "installed": host.feature_installed(name)} for name in params["feature_names"] or []],
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
                "setup_task": _setup_task(host, params.get("setup_task") or ""),
                "setup_processes": [{"name": proc.name, "pid": proc.pid, "executable_path": ""}
                                    for proc in host.processes.values() if proc.name.lower() in SETUP_PROCESS_NAMES],
            },
            "winrm": {"updated_config_present": "UpdatedConfig" in wsman, "execution_policy_gpo": policies.get("ExecutionPolicy"),
                      "remote_registry_start_mode": start_modes.get(remote_registry.start_mode, "Auto") if remote_registry else None},
            "setup_log": _setup_log(host, params["setup_log_path"], params["setup_log_tail_bytes"]),
        }
