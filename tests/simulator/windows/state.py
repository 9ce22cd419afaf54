"""The stateful Windows Server model: one object per simulated server, guarded by one RLock.

Everything time-dependent asks `self.clock` (simulator.clock.Clock). Long things (reboots, WinRM restarts,
programs started by scheduled tasks) finish on whichever comes first: the simulated deadline, or the real
deadline `clock.real_seconds(duration)`; with speed 0 (unit tests) that means "at the next look", and the
simulated clock then jumps to the deadline so boot times and logs still show the modelled duration.
Every public method calls `poll()` first, which applies those transitions.
"""

from __future__ import annotations

import itertools
import threading
import time
from datetime import datetime, timedelta
from typing import Any, Callable

from ..clock import Clock
from .catalogue import STANDARD_INSTALLERS, InstalledProduct, InstallerSpec
from .features import CORE, DESKTOP, available_features
from .filesystem import FileSystem
from .host_identity import IdentityMixin
from .host_programs import ProgramsMixin
from .host_software import SoftwareMixin
from .host_tasks import TasksMixin
from .programs import Process, ProgramHandler, ProgramResult
from .registry import Registry
from .tasks import ScheduledTask
from .state_types import (AUTO_LOGON_CHECKED, CBS, CBS_PACKAGES_PENDING, CBS_REBOOT_PENDING, CURRENT_VERSION,
                          PENDING_FILE_RENAME, PENDING_REBOOT_SOURCES, SESSION_MANAGER, SYSTEM_ACCOUNT, UPDATE_EXE,
                          UPDATE_EXE_VOLATILE, WINDOWS_UPDATE, WINLOGON, WU_REBOOT_REQUIRED, Account, Deadline, DomainInfo,
                          FeatureState, HostDownError, HostEvent, NetAdapter, OsInfo, Outage, PageFile, Service, ShutdownScheduledError,
                          jump_clock)


class WindowsHost(IdentityMixin, ProgramsMixin, SoftwareMixin, TasksMixin):
    """One simulated Windows Server. Build one with simulator.windows.presets; mutate through the methods."""

    def __init__(self, clock: Clock | None = None, *, hostname: str = "RPI-EXCH01",
                 os_info: OsInfo | None = None, domain: DomainInfo | None = None, workgroup: str = "WORKGROUP") -> None:
        self.lock = threading.RLock()
        self.clock = clock or Clock()
        self.hostname = hostname.upper()
        self.os = os_info or OsInfo("Microsoft Windows Server 2022 Standard", "10.0.20348")
        self.domain = domain
        self.workgroup = workgroup
        self.registry = Registry(self.lock)
        self.fs = FileSystem(self.lock, now=self.clock.now)
        self.accounts: dict[str, Account] = {}  # lower qualified name -> Account
        self.local_groups: dict[str, set[str]] = {"administrators": set(), "users": set(),
                                                  "remote management users": set()}
        self.cpu_sockets = 1
        self.cpu_cores = 4
        self.logical_processors = 4
        self.cpu_name = "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz"
        self.ram_bytes = 128 * 1024**3
        self.pagefiles: list[PageFile] = [PageFile()]
        self.pagefile_automatic = True
        self.adapters: list[NetAdapter] = []
        self.features = FeatureState(available_features(self.os.installation_type, self.os.build), set())
        self.products: dict[str, InstalledProduct] = {}  # product key -> installed
        self.installers: dict[str, InstallerSpec] = {i.file_name.lower(): i for i in STANDARD_INSTALLERS}
        self.services: dict[str, Service] = {}
        self.processes: dict[int, Process] = {}
        self.tasks: dict[str, ScheduledTask] = {}
        self.mounted_images: dict[str, str] = {}  # image path key -> drive letter
        # Mount-DiskImage reads the tree from the image's bytes: a copy that lost its DiskImage (pushed from the
        # controller) is recognised by these readers (bytes -> DiskImage or None); other models register them.
        self.disk_image_readers: list[Callable[[bytes], Any]] = []
        self.env: dict[str, str] = {}
        self.async_jobs: dict[str, dict[str, Any]] = {}  # used by the async emulation in modules/
        self.program_handlers: dict[str, ProgramHandler] = {}
        self.command_handlers: list[tuple[Any, Callable[..., ProgramResult | None]]] = []
        self.boot_listeners: list[Callable[["WindowsHost"], None]] = []
        # Called at every poll while the host is up, so long-running work (Exchange setup) advances with time.
        self.poll_listeners: list[Callable[["WindowsHost"], None]] = []
        # Called with the service before it is started (Start-Service, win_service, setup): one may refuse the start by
        # raising RuntimeError with the error Windows gives (simulator.exchange.startup's stopped-after-boot fault).
        self.service_start_listeners: list[Callable[["WindowsHost", Service], None]] = []
        self.diagnostics: list[str] = []  # simulator notes (what was not modelled, what ran); never secrets
        self.events: list[HostEvent] = []  # process exits, restarts: with real timestamps, for benchmarks
        self.reboot_seconds = 60.0
        self.winrm_restart_seconds = 5.0
        self.boot_time: datetime = self.clock.now() - timedelta(days=3)
        self.reboot_count = 0
        self._boot_id = 1
        self._outage: Outage | None = None
        self._pids = itertools.count(4000, 4)

    # ================================================================ time, outages, reboots
    def now(self) -> datetime:
        return self.clock.now()

    def _deadline(self, seconds: float, real_seconds: float | None = None) -> Deadline:
        real = self.clock.real_seconds(seconds) if real_seconds is None else real_seconds
        return Deadline(self.clock.now() + timedelta(seconds=seconds), time.monotonic() + real)

    def poll(self) -> None:
        """Apply what time has made happen: outages starting/ending, programs finishing."""
        with self.lock:
            outage = self._outage
            if outage is not None:
                if not outage.started and outage.start.reached(self.clock.now()):
                    self._go_down(outage)
                if outage.started and outage.end is not None and outage.end.reached(self.clock.now()):
                    jump_clock(self.clock, (outage.end.sim_end - self.clock.now()).total_seconds())
                    self._outage = None
                    if outage.kind == "reboot":
                        self._boot()
                    self.record_event("up", outage.kind, outage.reason)
            if self._outage is None or not self._outage.started:
                self._reap()
                for listener in list(self.poll_listeners):
                    listener(self)

    def is_up(self) -> bool:
        with self.lock:
            self.poll()
            return self._outage is None or not self._outage.started

    def boot_id(self) -> int:
        """Changes whenever the machine goes down or WinRM restarts (shells from before are gone)."""
        with self.lock:
            self.poll()
            return self._boot_id

    def require_up(self) -> None:
        if not self.is_up():
            raise HostDownError(f"{self.hostname} is not reachable ({self._outage.kind if self._outage else ''})")

    def outage_kind(self) -> str:
        """"reboot", "winrm" or "" (up)."""
        with self.lock:
            self.poll()
            return self._outage.kind if self._outage is not None and self._outage.started else ""

    def reboot(self, delay_seconds: float = 0.0, reason: str = "", duration: float | None = None,
               min_real_delay: float = 0.0) -> None:
        """Schedule a restart (`shutdown /r /t delay`): down after the delay, up `reboot_seconds` later.

        `min_real_delay` keeps the machine up for at least that many real seconds even at speed 0: a
        `shutdown /t N` sent over WinRM leaves the client N seconds to collect the command's output and close
        it, which a compressed countdown must not take away (see raw.py and commands.py)."""
        with self.lock:
            self.poll()
            if self._outage is not None and self._outage.kind == "reboot":
                raise ShutdownScheduledError("A system shutdown has already been scheduled.(1190)")
            real = max(self.clock.real_seconds(delay_seconds), min(delay_seconds, min_real_delay))
            self._outage = Outage("reboot", self._deadline(delay_seconds, real), duration=duration or self.reboot_seconds,
                                  reason=reason)
            self.diagnostics.append(f"reboot scheduled in {delay_seconds}s: {reason}")
            self.poll()

    def abort_reboot(self) -> bool:
        """`shutdown /a` before the delay has passed."""
        with self.lock:
            self.poll()
            if self._outage is not None and self._outage.kind == "reboot" and not self._outage.started:
                self._outage = None
                return True
            return False

    def restart_winrm(self, seconds: float | None = None) -> None:
        """Restart-Service WinRM: a short outage with a new boot_id but the same boot time (exchange-facts §6.2)."""
        with self.lock:
            self.poll()
            if self._outage is not None:
                return
            self._outage = Outage("winrm", self._deadline(0),
                                  duration=self.winrm_restart_seconds if seconds is None else seconds)
            self.poll()

    def record_event(self, kind: str, name: str = "", detail: str = "") -> None:
        """Note a HostEvent at the current real time (callers hold the lock or need none: list.append is atomic)."""
        self.events.append(HostEvent(time.time(), kind, name, detail))

    def _go_down(self, outage: Outage) -> None:
        outage.started = True
        outage.end = self._deadline(outage.duration)
        self._boot_id += 1
        self.record_event("down", outage.kind, outage.reason)
        if outage.kind != "reboot":
            return
        for proc in list(self.processes.values()):
            self._end_process(proc, exit_code=1073807364 if not proc.system else 0)  # 0x40010004: killed at logoff
        for svc in self.services.values():
            svc.state = "stopped"
        self.registry.delete_key(AUTO_LOGON_CHECKED)  # volatile
        for image_key in list(self.mounted_images):
            self._dismount(image_key)  # Mount-DiskImage mounts do not survive a restart

    def _boot(self) -> None:
        """The machine is up again: new boot time, pending-reboot sources cleared, automatic services started."""
        self.reboot_count += 1
        self.boot_time = self.clock.now() - timedelta(seconds=min(20.0, self.reboot_seconds / 3))
        self._clear_pending_reboot()
        self.registry.create_key(AUTO_LOGON_CHECKED)
        for name in self.features.install_pending:
            self.features.installed.add(name)
        for name in self.features.remove_pending:
            self.features.installed.discard(name)
        self.features.install_pending.clear()
        self.features.remove_pending.clear()
        for svc in self.services.values():
            if svc.start_mode in ("auto", "delayed"):
                svc.state = "running"
        self.diagnostics.append(f"booted at {self.boot_time.isoformat()}")
        for listener in list(self.boot_listeners):
            listener(self)

    # ================================================================ pending reboot
    def pending_reboot(self) -> list[str]:
        """The pending-reboot sources that are set, read from the registry as Microsoft's scripts do (§6.5)."""
        with self.lock:
            out = []
            if self.registry.get(SESSION_MANAGER, PENDING_FILE_RENAME):
                out.append(PENDING_FILE_RENAME)
            if self.registry.key_exists(CBS_REBOOT_PENDING):
                out.append(CBS)
            if self.registry.key_exists(WU_REBOOT_REQUIRED):
                out.append(WINDOWS_UPDATE)
            flags = self.registry.get(UPDATE_EXE_VOLATILE, "Flags")
            if flags not in (None, 0):
                out.append(UPDATE_EXE)
            return out

    def set_pending_reboot(self, source: str, detail: str = "") -> None:
        """Raise one pending-reboot source (a PENDING_REBOOT_SOURCES name)."""
        with self.lock:
            if source == PENDING_FILE_RENAME:
                current = list(self.registry.get(SESSION_MANAGER, PENDING_FILE_RENAME) or [])
                target = detail or r"\??\C:\Windows\Temp\simulated.tmp"
                self.registry.set_value(SESSION_MANAGER, PENDING_FILE_RENAME, current + [target, ""], "REG_MULTI_SZ")
            elif source == CBS:
                self.registry.create_key(CBS_REBOOT_PENDING)
                self.registry.create_key(CBS_PACKAGES_PENDING)
            elif source == WINDOWS_UPDATE:
                self.registry.create_key(WU_REBOOT_REQUIRED)
            elif source == UPDATE_EXE:
                self.registry.set_value(UPDATE_EXE_VOLATILE, "Flags", 1, "REG_DWORD")
            else:
                raise ValueError(f"unknown pending-reboot source {source!r}; one of {PENDING_REBOOT_SOURCES}")

    def _clear_pending_reboot(self) -> None:
        self.registry.delete_value(SESSION_MANAGER, PENDING_FILE_RENAME)
        self.registry.delete_key(CBS_REBOOT_PENDING)
        self.registry.delete_key(CBS_PACKAGES_PENDING)
        self.registry.delete_key(WU_REBOOT_REQUIRED)
        self.registry.delete_value(UPDATE_EXE_VOLATILE, "Flags")

    # ================================================================ misc facts
    def ip_addresses(self) -> list[str]:
        out: list[str] = []
        for a in self.adapters:
            out += a.ipv4 + a.ipv6
        return out

    def total_pagefile_mb(self) -> int:
        return sum(p.maximum_mb for p in self.pagefiles)

    def log(self, message: str) -> None:
        with self.lock:
            self.diagnostics.append(message)


__all__ = [
    "Account", "DomainInfo", "HostDownError", "HostEvent", "NetAdapter", "OsInfo", "PageFile", "Service", "ShutdownScheduledError",
    "WindowsHost", "PENDING_REBOOT_SOURCES", "PENDING_FILE_RENAME", "CBS", "WINDOWS_UPDATE", "UPDATE_EXE", "SYSTEM_ACCOUNT",
    "AUTO_LOGON_CHECKED", "SESSION_MANAGER", "CBS_REBOOT_PENDING", "CBS_PACKAGES_PENDING", "WU_REBOOT_REQUIRED",
    "UPDATE_EXE_VOLATILE", "WINLOGON", "CURRENT_VERSION", "CORE", "DESKTOP",
]
