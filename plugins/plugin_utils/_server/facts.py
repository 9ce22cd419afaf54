# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the server's raw state means, decided in Python against the catalogue.

`probe_arguments()` says what `rpi.exchange.win_exchange_probe` must read (the catalogue's
detection keys, so the PowerShell side holds no product facts); `interpret()` turns its
raw answer into the structured facts the roles and the report use.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import (
    BASELINES,
    Prerequisite,
    RegistryProbe,
    build_info,
    dotnet_version_of,
    format_version,
    is_se,
    os_from_build,
    parse_version,
    recommended_pagefile_mb,
    required_prerequisites,
    windows_features,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.dotnet import DOTNET_RELEASE_KEY, DOTNET_RELEASE_VALUE
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import DESKTOP_EXPERIENCE, SERVER_CORE, normalize_role
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.windows_policies import (
    DISABLE_DOMAIN_CREDS,
    LSA_KEY,
    WSMAN_LISTENER_KEYS,
    policy_registry_keys,
    value_of,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.leftovers import (
    SERVICES_SETUP_DISABLES,
    cdrom_roots,
    services_to_restore,
    split_setup_processes,
)

# Win32_ComputerSystem.DomainRole values of a backup and a primary domain controller.
DOMAIN_CONTROLLER_ROLES = (4, 5)
# Role keys whose presence means an Exchange role is installed or half-installed
# (exchange-facts §3.2 [S5]); AdminTools is the management tools' key.
ROLE_KEY_NAMES = {
    "MailboxRole": "Mailbox", "ClientAccessRole": "ClientAccess", "CafeRole": "ClientAccessFrontEnd",
    "HubTransportRole": "Transport", "FrontendTransportRole": "FrontEndTransport",
    "UnifiedMessagingRole": "UnifiedMessaging", "EdgeTransportRole": "EdgeTransport", "AdminTools": "ManagementTools",
}
# The scheduled task exchange_setup runs setup from (setup_runner.task_path(); a unit test keeps them equal).
SETUP_TASK_PATH = "\\RPI\\rpi-exchange-setup"
PENDING_REBOOT_SOURCES = ("session_manager", "component_based_servicing", "windows_update", "update_exe_volatile")


def _all_prerequisites() -> tuple[Prerequisite, ...]:
    """Every prerequisite any supported build may need: the newest baseline's Mailbox set is the widest."""
    newest = max(BASELINES, key=lambda build: build.version)
    return required_prerequisites(newest.version_text, 20348, DESKTOP_EXPERIENCE, "Mailbox")


def probe_arguments(role: str = "Mailbox", setup_log_tail_bytes: int = 0) -> dict[str, Any]:
    """Module arguments for `rpi.exchange.win_exchange_probe`."""
    probes = [probe for item in _all_prerequisites() for probe in item.probes]
    keys = {DOTNET_RELEASE_KEY} | {probe.path for probe in probes if not probe.display_name_like} | set(policy_registry_keys())
    names = {probe.display_name_like for probe in probes if probe.display_name_like}
    return {
        # The Desktop Experience list is a superset of Server Core's: one list serves both.
        "feature_names": list(windows_features(normalize_role(role), DESKTOP_EXPERIENCE)),
        "registry_keys": sorted(keys),
        "uninstall_display_names": sorted(names),
        "setup_log_tail_bytes": setup_log_tail_bytes,
        "setup_task": SETUP_TASK_PATH,
        "service_names": sorted(SERVICES_SETUP_DISABLES),
    }


def _values(registry: dict, path: str) -> dict | None:
    for key, values in registry.items():
        if key.lower() == path.lower():
            return values
    return None


def _to_int(value: object) -> int | None:
    try:
        return int(str(value), 0) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        return None


def _probe_satisfied(probe: RegistryProbe, registry: dict, uninstall_entries: list[dict]) -> bool:
    if probe.display_name_like:
        # An entry of the other registry view is another architecture's product (x86 under WOW6432Node).
        candidates = [entry for entry in uninstall_entries
                      if fnmatch.fnmatchcase(str(entry.get("display_name") or ""), probe.display_name_like)
                      and (not probe.registry_view or str(entry.get("registry_view") or "") == probe.registry_view)]
        values = [entry.get(probe.value.lower(), entry.get(probe.value)) for entry in candidates]
    else:
        key = _values(registry, probe.path)
        values = [] if key is None else [key.get(probe.value)]
    for value in values:
        if value is None:
            continue
        if probe.check == "exists":
            return True
        if probe.check == "equals" and _to_int(value) == _to_int(probe.expected):
            return True
        if probe.check == "at_least":
            number, expected = _to_int(value), _to_int(probe.expected)
            if number is not None and expected is not None and number >= expected:
                return True
    return False


def _prerequisites(probe: dict) -> dict[str, dict]:
    registry = probe.get("registry") or {}
    entries = probe.get("uninstall_entries") or []
    return {item.key: {"name": item.name, "installed": any(_probe_satisfied(p, registry, entries) for p in item.probes)}
            for item in _all_prerequisites() if item.key != "dotnet"}


def _installation_type(os_info: dict) -> str:
    # CurrentVersion\InstallationType is "Server Core" on Core and "Server" with Desktop Experience.
    return SERVER_CORE if "core" in str(os_info.get("installation_type") or "").lower() else DESKTOP_EXPERIENCE


def _exchange(raw: dict, system_root: str = "C:\\Windows", media_roots: tuple[str, ...] = ()) -> dict[str, Any]:
    setup_key = raw.get("setup_key") or {}
    role_keys = raw.get("role_keys") or {}
    version = None
    parts = [setup_key.get(name) for name in ("MsiProductMajor", "MsiProductMinor", "MsiBuildMajor", "MsiBuildMinor")]
    if all(part is not None for part in parts):
        version = ".".join(str(_to_int(part)) for part in parts)
    # ExSetup.exe's FileVersion carries the security-update level the Msi* values don't (exchange-facts §3.1).
    file_version = raw.get("exsetup_file_version")
    if file_version:
        try:
            version = format_version(parse_version(file_version))
        except ValueError:
            pass
    interrupted = {
        name: {"action": values.get("Action"), "watermark": values.get("Watermark")}
        for name, values in role_keys.items()
        if values.get("Watermark") or values.get("Action") or (values.get("UnpackedVersion") and not values.get("ConfiguredVersion"))
    }
    roles = sorted(ROLE_KEY_NAMES.get(name, name) for name, values in role_keys.items() if values.get("ConfiguredVersion"))
    uninstall = raw.get("uninstall_key") or {}
    installed = bool(version) and bool(uninstall) and not interrupted
    setup_processes, other_processes = split_setup_processes(raw.get("setup_processes") or [], system_root=system_root,
                                                             media_roots=media_roots)
    build = build_info(version) if version else None
    return {
        "installed": installed,
        "present": bool(setup_key or role_keys or uninstall),
        "version": version,
        "product": build.product if build else (("Exchange Server SE" if is_se(version) else "Exchange Server 2019") if version else None),
        "label": build.label if build else None,
        "edition": ("SE" if is_se(version) else "2019") if version else None,
        "roles": roles,
        "install_path": setup_key.get("MsiInstallPath"),
        "interrupted": interrupted,
        "setup_running": bool(setup_processes),
        "setup_processes": setup_processes,
        "other_setup_named_processes": other_processes,
        "setup_task": _setup_task(raw.get("setup_task")),
    }


def _setup_task(raw: Any) -> dict[str, Any]:
    """Our setup task left on the server by an earlier run: running (a controller lost it) or finished and never read."""
    raw = raw if isinstance(raw, dict) else {}
    exists = bool(raw.get("exists"))
    return {"exists": exists, "running": exists and str(raw.get("state") or "").lower() == "running",
            "last_task_result": _to_int(raw.get("last_task_result")) if exists else None,
            "last_run_time": raw.get("last_run_time") if exists else None}


def _volumes(raw_volumes: list[dict]) -> list[dict]:
    return [{
        "drive": str(volume.get("drive_letter") or "").upper(),
        "label": volume.get("label"),
        "file_system": volume.get("file_system"),
        "drive_type": volume.get("drive_type"),
        "size_gb": round((_to_int(volume.get("size_bytes")) or 0) / 2**30, 1),
        "free_gb": round((_to_int(volume.get("free_bytes")) or 0) / 2**30, 1),
    } for volume in raw_volumes]


def _winrm_issues(raw: dict) -> list[str]:
    issues = []
    if not raw.get("updated_config_present", True):
        issues.append("wsman_updated_config_missing")
    if raw.get("execution_policy_gpo"):
        issues.append("execution_policy_gpo_defined")
    if str(raw.get("remote_registry_start_mode") or "Auto").lower() not in ("auto", "automatic"):
        issues.append("remote_registry_not_automatic")
    return issues


def _policies(registry: dict) -> dict[str, Any]:
    """Windows policies that decide whether setup's task can be registered (catalogue.windows_policies); None: not read."""
    lsa = _values(registry, LSA_KEY)
    value = _to_int(value_of(lsa, DISABLE_DOMAIN_CREDS)) if lsa is not None else None
    return {"disable_domain_creds": None if lsa is None else bool(value)}


def _winrm_listeners(registry: dict) -> dict[str, dict[str, Any]]:
    """The listeners WinRM's own configuration holds for every address (`*+HTTPS`, `*+HTTP`), by transport."""
    listeners = {}
    for transport, key in WSMAN_LISTENER_KEYS.items():
        values = _values(registry, key)
        if values is not None:
            listeners[transport] = {"port": _to_int(value_of(values, "Port")), "hostname": value_of(values, "hostname") or "",
                                    "cert_thumbprint": value_of(values, "certThumbprint") or ""}
    return listeners


def _features(reported: list[dict], role: str, installation_type: str) -> dict[str, list[str]]:
    # The probe asks for the Desktop Experience list; on Server Core only Core's list is required.
    required = set(windows_features(normalize_role(role), installation_type))
    return {
        "installed": sorted(item["name"] for item in reported if item.get("installed")),
        "missing": sorted(item["name"] for item in reported if not item.get("installed") and item["name"] in required),
    }


def interpret(probe: dict, role: str = "Mailbox") -> dict[str, Any]:
    """The structured facts (`exchange_facts`) for one probe answer, for a server meant for `role`."""
    os_info = probe.get("os") or {}
    computer = probe.get("computer") or {}
    hardware = probe.get("hardware") or {}
    windows = os_from_build(os_info.get("build"))
    release = _to_int((_values(probe.get("registry") or {}, DOTNET_RELEASE_KEY) or {}).get(DOTNET_RELEASE_VALUE))
    memory_mb = (_to_int(hardware.get("memory_bytes")) or 0) // 2**20
    page_files = probe.get("page_files") or []
    pending = probe.get("pending_reboot") or {}
    features = probe.get("features")
    edition_id = str(os_info.get("edition_id") or "")
    environment = probe.get("environment") or {}
    exchange = _exchange(probe.get("exchange") or {}, system_root=str(environment.get("system_root") or "C:\\Windows"),
                         media_roots=tuple(cdrom_roots(probe.get("volumes") or [])))
    wmi = probe.get("wmi") or {"available": True, "error": None}
    start_types = probe.get("service_start_types") or {}
    return {
        # Exchange setup disables WMI during a CU: what only CIM tells (hardware, page file, network, features) is
        # unknown then, never "absent".
        "wmi": {"available": bool(wmi.get("available", True)), "error": wmi.get("error")},
        "environment": {"system_drive": str(environment.get("system_drive") or "C:"),
                        "system_root": str(environment.get("system_root") or "C:\\Windows"),
                        "program_files": str(environment.get("program_files") or "C:\\Program Files")},
        "services": {
            "start_types": dict(start_types),
            "to_restore": services_to_restore(start_types, setup_left_state=bool(exchange["interrupted"]),
                                              setup_running=bool(exchange["setup_running"] or exchange["setup_task"]["running"])),
        },
        "os": {
            "name": windows.name if windows else os_info.get("caption"),
            "key": windows.key if windows else None,
            "build": _to_int(os_info.get("build")),
            "version": os_info.get("version"),
            "edition": "Datacenter" if "datacenter" in edition_id.lower() else ("Standard" if "standard" in edition_id.lower() else edition_id),
            "installation_type": _installation_type(os_info),
            "last_boot_time": os_info.get("last_boot_time"),
        },
        "computer": {
            "hostname": computer.get("hostname"),
            "fqdn": ".".join(part for part in (computer.get("dns_hostname") or computer.get("hostname"), computer.get("primary_dns_suffix")) if part),
            "domain": computer.get("domain") if computer.get("part_of_domain") else None,
            "domain_joined": bool(computer.get("part_of_domain")),
            # Tcpip\Parameters "NV Domain": an Edge Transport server outside the domain is the RPI's by it (norm 5.1).
            "primary_dns_suffix": computer.get("primary_dns_suffix") or None,
            "is_domain_controller": _to_int(computer.get("domain_role")) in DOMAIN_CONTROLLER_ROLES,
        },
        "hardware": {
            "cores": _to_int(hardware.get("cores")),
            "logical_processors": _to_int(hardware.get("logical_processors")),
            "memory_mb": memory_mb,
            "memory_gb": round(memory_mb / 1024, 1),
        },
        "page_file": {
            "automatic": bool(probe.get("page_file_automatic")),
            "files": page_files,
            "total_maximum_mb": sum(_to_int(item.get("maximum_mb")) or 0 for item in page_files),
            "recommended_mb": recommended_pagefile_mb(memory_mb) if memory_mb else None,
        },
        "volumes": _volumes(probe.get("volumes") or []),
        "network": {
            "adapters": probe.get("network") or [],
            "static_ip": bool(probe.get("network")) and not any(adapter.get("dhcp_enabled") for adapter in probe.get("network") or []),
        },
        "dotnet": {"release": release, "version": dotnet_version_of(release) if release else None},
        "prerequisites": _prerequisites(probe),
        "features": _features(features, role, _installation_type(os_info)) if features is not None else
        {"installed": [], "missing": [], "unknown": True},
        "pending_reboot": {
            "pending": any(pending.get(source) for source in PENDING_REBOOT_SOURCES),
            "sources": [source for source in PENDING_REBOOT_SOURCES if pending.get(source)],
        },
        "exchange": exchange,
        "winrm": {"issues": _winrm_issues(probe.get("winrm") or {}),
                  "updated_config_present": bool((probe.get("winrm") or {}).get("updated_config_present", True)),
                  "listeners": _winrm_listeners(probe.get("registry") or {})},
        "policies": _policies(probe.get("registry") or {}),
        "setup_log": probe.get("setup_log") or {"exists": False},
    }


_SAFE_TEXT = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]")


def clean_text(text: str) -> str:
    """Strip control characters a log tail may carry before it goes into facts or a report."""
    return _SAFE_TEXT.sub("", text)


FACT_NAME = "rpi_exchange"


def facts_of_task_vars(task_vars: Any, default: Any = None) -> Any:
    """The server facts exchange_facts set for this host, read as ansible_facts.rpi_exchange (never as an injected
    top-level variable: INJECT_FACTS_AS_VARS is deprecated since ansible-core 2.20), or `default`."""
    facts = ((task_vars or {}).get("ansible_facts") or {}).get(FACT_NAME)
    return facts if isinstance(facts, dict) and facts else default
