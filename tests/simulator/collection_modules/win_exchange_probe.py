"""rpi.exchange.win_exchange_probe: its PowerShell's steps, through the facilities that script uses.

In the .ps1's order: CIM (Win32_OperatingSystem, Win32_ComputerSystem, Win32_Processor, Win32_PageFileSetting,
Win32_NetworkAdapterConfiguration, then Get-WindowsFeature) until the first CIM failure, after which every CIM section is
null and `wmi` says why (windows/wmi.py: setup disables WMI during a CU); the registry (CurrentVersion, Tcpip,
ProductOptions, the uninstall keys of both views, the services' Start values, the pending-reboot sources of
exchange-facts §6.5, the Exchange keys of §3.2); .NET (DriveInfo for volumes, GetComputerDomain when CIM is down);
the Task Scheduler's COM interface for the setup task; Get-Process for setup processes. The simulator decides nothing.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from ..windows.modules._common import ModuleCall
from ..windows.state import WindowsHost
from ..windows.wmi import CimUnavailable, require_cim
from ._reads import com_task, setup_processes

EXCHANGE_ROOT = r"HKLM\SOFTWARE\Microsoft\ExchangeServer\v15"
ROLE_KEYS = ("AdminTools", "CafeRole", "ClientAccessRole", "EdgeTransportRole", "FrontendTransportRole", "HubTransportRole",
             "MailboxRole", "UnifiedMessagingRole")
UNINSTALL_ROOTS = (("64", r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"),
                   ("32", r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"))
START_TYPES = {0: "Boot", 1: "System", 2: "Auto", 3: "Manual", 4: "Disabled"}
MODEL_START_VALUES = {"auto": 2, "delayed": 2, "manual": 3, "disabled": 4}
EXCHANGE_UNINSTALL = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}"
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
    for view, root in UNINSTALL_ROOTS:
        for sub in host.registry.subkeys(root) if host.registry.key_exists(root) else []:
            values = _values(host, f"{root}\\{sub}") or {}
            name = str(values.get("DisplayName") or "")
            # PowerShell's -like is case-insensitive.
            if name and any(fnmatch.fnmatch(name.lower(), pattern.lower()) for pattern in patterns):
                entries.append({"key": sub, "registry_view": view, "display_name": name, "display_version": values.get("DisplayVersion"),
                                "version": values.get("Version"), "install_date": values.get("InstallDate")})
    return entries


def _setup_task(host: WindowsHost, path: str) -> dict[str, Any] | None:
    """The task through Schedule.Service (GetFolder, GetTask), as the .ps1 reports it (null when not asked)."""
    if not path:
        return None
    folder, name = path[:path.rfind("\\") + 1], path[path.rfind("\\") + 1:]
    task = com_task(host, name, folder)
    if task is None:
        return {"path": path, "exists": False}
    return {"path": path, "exists": True, "state": task.state, "last_task_result": task.last_task_result & 0xFFFFFFFF,
            "last_run_time": task.last_run_time.isoformat() if task.last_run_time else None}


def _service_start_type(host: WindowsHost, name: str) -> str | None:
    """Services\\<name>\\Start, as the SCM stores the service's start mode."""
    service = host.get_service(name)
    return None if service is None else START_TYPES[MODEL_START_VALUES.get(service.start_mode, 2)]


def _volumes(host: WindowsHost) -> list[dict[str, Any]]:
    """[System.IO.DriveInfo]::GetDrives() (DriveType names: Fixed, CDRom, Network, Removable, Ram), no WMI."""
    return [{"drive_letter": volume.letter, "label": volume.label, "file_system": volume.filesystem,
             "drive_type": "CDROM" if volume.drive_type == "CD-ROM" else volume.drive_type,
             "size_bytes": volume.size, "free_bytes": volume.free}
            for volume in sorted(host.fs.volumes.values(), key=lambda item: item.letter)]


class _Cim:
    """The .ps1's Get-CimOrNull: after the first failure every CIM read is null, and `wmi` keeps that failure."""

    def __init__(self, host: WindowsHost) -> None:
        self.host = host
        self.state: dict[str, Any] = {"available": True, "error": None}

    def read(self) -> bool:
        if self.state["available"]:
            try:
                require_cim(self.host)
            except CimUnavailable as err:
                self.state.update(available=False, error=str(err))
        return bool(self.state["available"])


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
        cim = _Cim(host)
        os_cim, cs_cim = cim.read(), cim.read()
        current = _values(host, r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion") or {}
        tcpip = _values(host, r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters") or {}
        domain = host.domain
        if domain is None:
            domain_role = DOMAIN_ROLE_STANDALONE_SERVER
        else:
            domain_role = DOMAIN_ROLE_PRIMARY_DC if domain.is_domain_controller else DOMAIN_ROLE_MEMBER_SERVER
        # Without CIM, GetComputerDomain() gives the AD domain (it throws in a workgroup: null).
        domain_name = (domain.fqdn if domain else host.workgroup) if cs_cim else (domain.fqdn if domain else None)
        hardware = ({"sockets": host.cpu_sockets, "cores": host.cpu_cores, "logical_processors": host.logical_processors,
                     "memory_bytes": host.ram_bytes} if cim.read() else None)
        page_files = ([] if host.pagefile_automatic else [
            {"path": page.path, "initial_mb": page.initial_mb, "maximum_mb": page.maximum_mb} for page in host.pagefiles]
        ) if cim.read() else None
        network = [{"description": adapter.description, "ipv4": list(adapter.ipv4), "dhcp_enabled": adapter.dhcp}
                   for adapter in host.adapters] if cim.read() else None
        features: list[dict[str, Any]] | None = []
        if params["feature_names"]:
            features = [{"name": name, "installed": host.feature_installed(name)}
                        for name in params["feature_names"]] if cim.read() else None
        setup_key = _values(host, EXCHANGE_ROOT + r"\Setup")
        exsetup = None
        if setup_key and setup_key.get("MsiInstallPath"):
            node = host.fs.get(str(setup_key["MsiInstallPath"]).rstrip("\\") + r"\Bin\ExSetup.exe")
            exsetup = node.version if node is not None else None
        session_manager = _values(host, r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager") or {}
        update_exe = _values(host, r"HKLM\SOFTWARE\Microsoft\Updates\UpdateExeVolatile") or {}
        wsman = _values(host, r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN") or {}
        policies = _values(host, r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell") or {}
        version = f"{current.get('CurrentMajorVersionNumber', 10)}.{current.get('CurrentMinorVersionNumber', 0)}.{current.get('CurrentBuildNumber')}"
        return {
            "changed": False,
            "wmi": cim.state,
            "environment": {"system_drive": host.expand_env("%SystemDrive%"), "system_root": host.expand_env("%SystemRoot%"),
                            "program_files": host.expand_env("%ProgramFiles%")},
            "os": {"caption": host.os.caption if os_cim else current.get("ProductName"),
                   "version": host.os.version if os_cim else version, "build": int(current.get("CurrentBuildNumber") or host.os.build),
                   "edition_id": current.get("EditionID"), "installation_type": current.get("InstallationType"),
                   "product_name": current.get("ProductName"), "last_boot_time": host.boot_time.isoformat() if os_cim else None},
            "computer": {"hostname": host.hostname, "dns_hostname": tcpip.get("Hostname", host.hostname),
                         "primary_dns_suffix": tcpip.get("NV Domain"), "domain": domain_name, "part_of_domain": domain is not None,
                         "domain_role": domain_role},
            "hardware": hardware,
            "page_files": page_files,
            "page_file_automatic": host.pagefile_automatic if cs_cim else None,
            "volumes": _volumes(host),
            "network": network,
            "registry": {path: _values(host, path) for path in params["registry_keys"] or []},
            "uninstall_entries": _uninstall_entries(host, params["uninstall_display_names"]) if params["uninstall_display_names"] else [],
            "features": features,
            "service_start_types": {name: _service_start_type(host, name) for name in params["service_names"] or []},
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
                "setup_processes": setup_processes(host),
            },
            "winrm": {"updated_config_present": "UpdatedConfig" in wsman, "execution_policy_gpo": policies.get("ExecutionPolicy"),
                      "remote_registry_start_mode": _service_start_type(host, "RemoteRegistry")},
            "setup_log": _setup_log(host, host.expand_env(str(params["setup_log_path"])), params["setup_log_tail_bytes"]),
        }
