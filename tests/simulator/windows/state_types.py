"""Constants and plain data types of the Windows model (state.py re-exports them)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..clock import Clock
from .features import CORE, DESKTOP, FeatureSpec

# --- pending-reboot sources: exchange-facts §6.5 -----------------------------------------------
SESSION_MANAGER = r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager"
CBS_REBOOT_PENDING = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending"
CBS_PACKAGES_PENDING = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\PackagesPending"
WU_REBOOT_REQUIRED = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired"
UPDATE_EXE_VOLATILE = r"HKLM\SOFTWARE\Microsoft\Updates\UpdateExeVolatile"
PENDING_FILE_RENAME = "PendingFileRenameOperations"
CBS = "ComponentBasedServicing"
WINDOWS_UPDATE = "WindowsUpdate"
UPDATE_EXE = "UpdateExeVolatile"
PENDING_REBOOT_SOURCES = (PENDING_FILE_RENAME, CBS, WINDOWS_UPDATE, UPDATE_EXE)
WINLOGON = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon"
# LogonUI creates this volatile key when the logon screen is ready; win_reboot waits for it (plugin_utils/_reboot.py).
AUTO_LOGON_CHECKED = WINLOGON + r"\AutoLogonChecked"
CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"

SYSTEM_ACCOUNT = "NT AUTHORITY\\SYSTEM"
WELL_KNOWN_ACCOUNTS = {"system": SYSTEM_ACCOUNT, "nt authority\\system": SYSTEM_ACCOUNT, "localsystem": SYSTEM_ACCOUNT,
                       "nt authority\\network service": "NT AUTHORITY\\NETWORK SERVICE",
                       "nt authority\\local service": "NT AUTHORITY\\LOCAL SERVICE"}


class HostDownError(RuntimeError):
    """The server is rebooting or WinRM is restarting."""


class ShutdownScheduledError(RuntimeError):
    """shutdown.exe error 1190: a shutdown is already scheduled."""


@dataclass
class OsInfo:
    caption: str  # Win32_OperatingSystem.Caption, e.g. "Microsoft Windows Server 2022 Standard"
    version: str  # "10.0.20348"
    edition: str = "Standard"  # Standard | Datacenter
    installation_type: str = DESKTOP  # "Server" (Desktop Experience) | "Server Core"
    display_version: str = ""  # "21H2"
    ubr: int = 0
    install_date: datetime = field(default_factory=lambda: datetime(2025, 1, 15, 9, 0, tzinfo=timezone.utc))
    architecture: str = "64-bit"

    @property
    def build(self) -> int:
        return int(self.version.split(".")[2])

    @property
    def product_name(self) -> str:
        return self.caption.replace("Microsoft ", "", 1)

    @property
    def is_core(self) -> bool:
        return self.installation_type == CORE


@dataclass
class DomainInfo:
    fqdn: str  # "rpi.gob.gt"
    netbios: str  # "RPI"
    is_domain_controller: bool = False
    forest: str = ""
    site: str = "Default-First-Site-Name"
    dc_hostname: str = ""

    def __post_init__(self) -> None:
        self.forest = self.forest or self.fqdn


@dataclass
class Account:
    name: str  # "svc-exchange"
    domain: str  # NetBIOS domain ("RPI") or the computer name for local accounts
    password_hash: str = field(default="", repr=False)
    groups: set[str] = field(default_factory=set)  # canonical group names: "RPI\\Domain Admins"
    enabled: bool = True
    full_name: str = ""
    sid: str = ""
    is_local: bool = False

    @property
    def qualified(self) -> str:
        return f"{self.domain}\\{self.name}"


@dataclass
class NetAdapter:
    name: str = "Ethernet0"
    description: str = "vmxnet3 Ethernet Adapter"
    mac: str = "00:50:56:8A:10:21"
    ipv4: list[str] = field(default_factory=list)
    prefix_length: int = 24
    gateway: str = ""
    dns_servers: list[str] = field(default_factory=list)
    dhcp: bool = False
    ipv6: list[str] = field(default_factory=list)
    connection_id: int = 0


@dataclass
class PageFile:
    path: str = "C:\\pagefile.sys"
    initial_mb: int = 0  # 0/0 = system managed
    maximum_mb: int = 0


@dataclass
class Service:
    name: str
    display_name: str = ""
    state: str = "running"  # running | stopped | paused | start_pending | stop_pending
    start_mode: str = "auto"  # auto | delayed | manual | disabled
    dependencies: list[str] = field(default_factory=list)
    path: str = ""
    username: str = "LocalSystem"
    description: str = ""
    service_type: str = "win32_own_process"


@dataclass
class Deadline:
    sim_end: datetime
    real_end: float

    def reached(self, now: datetime) -> bool:
        return now >= self.sim_end or time.monotonic() >= self.real_end


@dataclass(frozen=True)
class HostEvent:
    """Something that happened on the server, stamped with the real (wall clock) time it happened.

    Benchmarks measure detection latency from these: how long after setup's process ended, or after the server
    came back from a restart, the playbook's next command arrived (wsman.reqlog records carry the same clock)."""

    time: float  # time.time()
    kind: str  # "process_start" | "process_exit" | "down" | "up"
    name: str = ""  # the process's image name, or the outage kind ("reboot" | "winrm")
    detail: str = ""  # e.g. "rc=0", the restart's reason; never a secret


@dataclass
class Outage:
    kind: str  # "reboot" | "winrm"
    start: Deadline  # when the machine actually goes down (shutdown /t delay)
    end: Deadline | None = None
    duration: float = 0.0
    started: bool = False
    reason: str = ""


@dataclass
class FeatureState:
    available: dict[str, FeatureSpec]
    installed: set[str]  # lower-case names
    install_pending: set[str] = field(default_factory=set)  # installed, completes at the next boot
    remove_pending: set[str] = field(default_factory=set)


def hash_password(password: str, salt: str) -> str:
    return hashlib.sha256((salt + "\0" + password).encode("utf-8")).hexdigest()


def jump_clock(clock: Clock, seconds: float) -> None:
    """Move simulated time forward without a real wait (the real wait already happened or is not wanted)."""
    if seconds <= 0:
        return
    jump = getattr(clock, "jump", None)
    if callable(jump):
        jump(seconds)
    elif clock.speed == 0:
        clock.advance(seconds)
    else:  # Clock has no public "jump" yet; same lock and offset that advance() uses
        with clock._lock:  # pylint: disable=protected-access
            clock._offset += timedelta(seconds=seconds)  # pylint: disable=protected-access
