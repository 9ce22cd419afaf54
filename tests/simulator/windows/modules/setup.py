"""ansible.windows.setup (plugins/modules/setup.ps1): a subset of the facts, by the module's subset names.

Modelled subsets: all_ipv4_addresses/all_ipv6_addresses, bios, date_time, distribution, env, interfaces,
memory, platform, powershell_version, processor, uptime, user, windows_domain, virtual. `facter`, `local`
(fact files) and `winrm` (certificate facts) return nothing here.
"""

from __future__ import annotations

import math
from datetime import timezone
from typing import Callable

from ..state import SYSTEM_ACCOUNT, WindowsHost
from . import register
from ._common import ModuleCall

GROUPS = {
    "min": ["date_time", "distribution", "dns", "env", "local", "platform", "powershell_version", "user"],
    "network": ["all_ipv4_addresses", "all_ipv6_addresses", "interfaces", "windows_domain", "winrm"],
    "hardware": ["bios", "memory", "processor", "uptime", "virtual"],
    "external": ["facter"],
}
ALL = sorted({s for v in GROUPS.values() for s in v})
Facts = dict


def _subsets(wanted: list[str], warn: Callable[[str], None]) -> set[str]:
    """The module's include/exclude rules for gather_subset."""
    actual = set(ALL)
    explicit, exclude = set(), set()
    for item in wanted:
        if item.startswith("!"):
            name = item[1:]
            if name == "all":
                exclude |= set(ALL) - set(GROUPS["min"])
            elif name in GROUPS:
                exclude |= set(GROUPS[name])
            elif name in ALL:
                exclude.add(name)
            else:
                warn(f"invalid value {item} specified in gather_subset")
        else:
            if item in GROUPS:
                explicit |= set(GROUPS[item])
            elif item == "all":
                explicit |= actual
            elif item in ALL:
                explicit.add(item)
            else:
                warn(f"invalid value {item} specified in gather_subset")
    return (explicit | set(GROUPS["min"])) - (exclude - explicit) if exclude or explicit else actual


def _ips(host: WindowsHost, f: Facts) -> None:
    f["ansible_ip_addresses"] = host.ip_addresses()


def _bios(host: WindowsHost, f: Facts) -> None:
    f.update(ansible_bios_date="11/12/2020", ansible_bios_version="VMW71.00V.18227214.B64.2106252220",
             ansible_product_name="VMware7,1", ansible_product_serial="VMware-42 0a 8b 1c 2d 3e 4f 50-61 72 83 94 a5 b6 c7 d8",
             ansible_product_uuid="420A8B1C-2D3E-4F50-6172-8394A5B6C7D8")


def _date_time(host: WindowsHost, f: Facts) -> None:
    now = host.now().astimezone(timezone.utc)
    f["ansible_date_time"] = {
        "date": now.strftime("%Y-%m-%d"), "day": now.strftime("%d"), "epoch": str(int(now.timestamp())),
        "epoch_local": str(int(now.timestamp())), "epoch_int": int(now.timestamp()), "hour": now.strftime("%H"),
        "iso8601": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "iso8601_basic": now.strftime("%Y%m%dT%H%M%S%f"),
        "iso8601_basic_short": now.strftime("%Y%m%dT%H%M%S"), "iso8601_micro": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "minute": now.strftime("%M"), "month": now.strftime("%m"), "second": now.strftime("%S"),
        "time": now.strftime("%H:%M:%S"), "tz": "UTC", "tz_offset": "+00:00", "weekday": now.strftime("%A"),
        "weekday_number": now.strftime("%w"), "weeknumber": now.strftime("%W"), "year": now.strftime("%Y"),
    }


def _distribution(host: WindowsHost, f: Facts, admin: bool) -> None:
    os_ = host.os
    f.update(ansible_distribution=os_.caption if admin else None, ansible_distribution_version=os_.version + ".0",
             ansible_distribution_major_version="10", ansible_os_family="Windows",
             ansible_os_name=os_.caption if admin else None,
             ansible_os_product_type="domain_controller" if host.domain and host.domain.is_domain_controller else "server",
             ansible_os_installation_type=os_.installation_type,
             ansible_os_install_date=os_.install_date.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _env(host: WindowsHost, f: Facts, user: str) -> None:
    f["ansible_env"] = dict(sorted(host.user_env(user).items()))


def _interfaces(host: WindowsHost, f: Facts) -> None:
    f["ansible_interfaces"] = [{
        "connection_name": a.name, "default_gateway": a.gateway or None, "dns_domain": host.domain.fqdn if host.domain else None,
        "interface_index": 4 + i, "interface_name": a.description, "macaddress": a.mac, "mtu": 1500, "speed": 10000,
    } for i, a in enumerate(host.adapters)]


def _memory(host: WindowsHost, f: Facts, admin: bool) -> None:
    total_mb = math.ceil(host.ram_bytes / 1024 / 1024)
    f.update(ansible_memtotal_mb=total_mb, ansible_memfree_mb=math.ceil(total_mb * 0.62), ansible_swaptotal_mb=0)
    paging = host.total_pagefile_mb() if not host.pagefile_automatic else min(total_mb, 32768)
    f.update(ansible_pagefiletotal_mb=paging if admin else None, ansible_pagefilefree_mb=(paging - 12) if admin else None)


def _platform(host: WindowsHost, f: Facts, admin: bool) -> None:
    f.update(ansible_domain=host.domain.fqdn if host.domain else "", ansible_fqdn=host.fqdn, ansible_hostname=host.hostname,
             ansible_netbios_name=host.hostname, ansible_kernel=host.os.version + ".0", ansible_nodename=host.fqdn,
             ansible_machine_id="S-1-5-21-3623811015-3361044348-30300820", ansible_owner_name="RPI",
             ansible_system="Win32NT", ansible_system_description="", ansible_system_vendor="VMware, Inc.",
             ansible_architecture="64-bit" if admin else None, ansible_owner_contact="",
             ansible_reboot_pending=bool({"PendingFileRenameOperations", "ComponentBasedServicing"} & set(host.pending_reboot())),
             ansible_architecture2="x86_64")


def _processor(host: WindowsHost, f: Facts) -> None:
    procs: list[str] = []
    for i in range(host.logical_processors):
        procs += [str(i), "GenuineIntel", host.cpu_name]
    per_socket = max(1, host.cpu_cores // max(1, host.cpu_sockets))
    f.update(ansible_processor=procs, ansible_processor_count=host.cpu_sockets, ansible_processor_vcpus=host.logical_processors,
             ansible_processor_cores=per_socket, ansible_processor_threads_per_core=max(1, host.logical_processors // host.cpu_cores))


def _uptime(host: WindowsHost, f: Facts) -> None:
    f.update(ansible_lastboot=host.boot_time.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ"),
             ansible_uptime_seconds=round((host.now() - host.boot_time).total_seconds()))


def _user(host: WindowsHost, f: Facts, user: str) -> None:
    acct = host.find_account(user)
    f.update(ansible_user_dir=host.user_profile(user), ansible_user_gecos="",
             ansible_user_id="SYSTEM" if user == SYSTEM_ACCOUNT else user.split("\\")[-1],
             ansible_user_sid="S-1-5-18" if user == SYSTEM_ACCOUNT else (acct.sid if acct else ""))


def _windows_domain(host: WindowsHost, f: Facts) -> None:
    if host.domain is None:
        role, domain = "Stand-alone server", host.workgroup
    else:
        role = "Primary domain controller" if host.domain.is_domain_controller else "Member server"
        domain = host.domain.fqdn
    f.update(ansible_windows_domain=domain, ansible_windows_domain_member=host.domain is not None,
             ansible_windows_domain_role=role)


def _virtual(host: WindowsHost, f: Facts) -> None:
    f.update(ansible_virtualization_role="guest", ansible_virtualization_type="VMware")


@register("ansible.windows.setup")
def setup(host: WindowsHost, call: ModuleCall) -> dict:
    wanted = [str(x) for x in call.params.get("gather_subset") or ["all"]]
    subsets = _subsets(wanted, call.warnings.append)
    admin = host.is_admin(call.user)
    facts: Facts = {"gather_subset": wanted, "module_setup": True}
    table: dict[str, Callable[[], None]] = {
        "all_ipv4_addresses": lambda: _ips(host, facts), "all_ipv6_addresses": lambda: _ips(host, facts),
        "bios": lambda: _bios(host, facts), "date_time": lambda: _date_time(host, facts),
        "distribution": lambda: _distribution(host, facts, admin), "env": lambda: _env(host, facts, call.user),
        "interfaces": lambda: _interfaces(host, facts), "memory": lambda: _memory(host, facts, admin),
        "platform": lambda: _platform(host, facts, admin),
        "powershell_version": lambda: facts.update(ansible_powershell_version=5),
        "processor": lambda: _processor(host, facts), "uptime": lambda: _uptime(host, facts),
        "user": lambda: _user(host, facts, call.user), "windows_domain": lambda: _windows_domain(host, facts),
        "virtual": lambda: _virtual(host, facts),
    }
    for name in sorted(subsets):
        if name in table:
            table[name]()
    return {"changed": False, "ansible_facts": facts}
