"""Exchange security and hotfix update packages (SU/HU) as data, and what running one does to the simulated server.

Facts (the simulator's own data, never the product's catalogue):
- Since May 2022 every SU/HU ships as a self-extracting, auto-elevating `.exe` wrapping the Windows Installer patch (.msp),
  named after its KB (`Exchange2019-KB5049233-x64-en.exe`) [KB5011363, https://support.microsoft.com/help/5011363;
  S4 Install-Exchange15.ps1 IncludeFixes, which runs it with `/passive`]. The SE package's name `ExchangeSE-KB...-x64-en.exe`
  is [UNCONFIRMED] (modelled on the 2019 naming).
- Builds and KBs: exchange-facts §3.1 "Latest SUs/HUs" and exchange-builds.csv [S3]: SE RTM 15.2.2562.17 -> Aug26SU
  15.2.2562.46 (KB5121573), Jul26SU .45 (KB5103212); 2019 CU15 15.2.1748.10 -> Aug26SU 15.2.1748.49 (KB5121574);
  2019 CU14 15.2.1544.4 -> Aug26SU 15.2.1544.44 (KB5121575).
- An SU changes ExSetup.exe's FileVersion, not the Setup key's Msi* values nor AdminDisplayVersion (exchange-facts §3.1 [S11]).
- Installed without elevation, the patch "runs in a non-elevated mode, which often results in a bad server state" [KB5011363]:
  files are not replaced and OWA/ECP answer HTTP 500 ("Could not load file or assembly Microsoft.Exchange.Common")
  [Microsoft Learn, "Repair failed installations of Exchange Cumulative and Security updates"]. Modelled: the installer
  ends with code 0, ExSetup.exe keeps its version and the model records the broken web applications.
- The update stops the Exchange services (disabled while it runs) and starts them again; a run that stops half-way leaves
  them disabled ("Services don't start after SU installation", same article). A patch for a product that is not installed
  ends with Windows Installer's 1642 ERROR_PATCH_TARGET_NOT_FOUND, whose message is quoted below
  (https://learn.microsoft.com/windows/win32/msi/error-codes); with /norestart a patch that needs a restart ends with 3010
  and leaves PendingFileRenameOperations.
- The log: the .exe "logs the installation" [KB5011363]; its file name and folder are [UNCONFIRMED]; modelled as
  `%SystemDrive%\\ExchangeSetupLogs\\SecurityUpdate.log`, appended to by each run.
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass
from functools import cached_property

from ..windows import paths
from ..windows.filesystem import FileNode
from ..windows.programs import ProgramResult, ProgramRun
from ..windows.state import WindowsHost
from ..windows.state_types import PENDING_FILE_RENAME
from .builds import Build

LOG_PATH = "C:\\ExchangeSetupLogs\\SecurityUpdate.log"
# How long the update runs [INFERRED: SUs commonly take 15 to 30 minutes].
DURATION_SECONDS = 1200.0
NOT_FOUND_1642 = ("The upgrade cannot be installed by the Windows Installer service because the program to be upgraded may be "
                  "missing, or the upgrade may update a different version of the program.")


@dataclass(frozen=True)
class UpdatePackage:
    """One SU/HU package: its KB, file name, the CU/SE build it applies to and the build it leaves."""

    key: str
    kb: str
    file_name: str
    label: str
    target: Build
    produces: Build

    @cached_property
    def content(self) -> bytes:
        """A small deterministic stand-in for the .exe: an 'MZ' header and a manifest (stable size and SHA-256)."""
        return b"MZ\x90\x00" + f"simulated Exchange update {self.kb} {self.label} {self.target} -> {self.produces}".encode()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest().upper()

    @property
    def display_name(self) -> str:
        product = "Exchange Server Subscription Edition RTM" if self.target.is_se else f"Exchange Server 2019 {self.label.split()[1]}"
        kind = "Hotfix Update" if self.label.endswith("HU") else "Security Update"
        return f"{kind} for {product} ({self.kb})"  # Installed Updates' name [UNCONFIRMED exact words]

    def node(self, path: str) -> FileNode:
        return FileNode(path, content=self.content, size=len(self.content), version=self.produces.long)


def _package(key: str, kb: str, prefix: str, label: str, target: str, produces: str) -> UpdatePackage:
    return UpdatePackage(key, kb, f"{prefix}-{kb}-x64-en.exe", label, Build.parse(target), Build.parse(produces))


PACKAGES: dict[str, UpdatePackage] = {package.key: package for package in (
    _package("SE-RTM-Aug26SU", "KB5121573", "ExchangeSE", "SE RTM Aug26SU", "15.2.2562.17", "15.2.2562.46"),
    _package("SE-RTM-Jul26SU", "KB5103212", "ExchangeSE", "SE RTM Jul26SU", "15.2.2562.17", "15.2.2562.45"),
    _package("2019-CU15-Aug26SU", "KB5121574", "Exchange2019", "2019 CU15 Aug26SU", "15.2.1748.10", "15.2.1748.49"),
    _package("2019-CU14-Aug26SU", "KB5121575", "Exchange2019", "2019 CU14 Aug26SU", "15.2.1544.4", "15.2.1544.44"),
)}

SHARE_UPDATES_DIR = "\\\\rpi-fs01\\instaladores\\Exchange\\Actualizaciones"
LOCAL_UPDATES_DIR = "C:\\RPI\\Exchange\\Actualizaciones"


@dataclass
class UpdateState:
    """Per host: what the update runs did, and the faults a test arms."""

    runs: list[tuple[str, int]]
    web_broken: bool = False  # OWA/ECP HTTP 500 after a non-elevated run
    stop_half_way: bool = False  # the next run stops after disabling the services (1603)


_STATES: "weakref.WeakKeyDictionary[WindowsHost, UpdateState]" = weakref.WeakKeyDictionary()


def state_of(host: WindowsHost) -> UpdateState:
    state = _STATES.get(host)
    if state is None:
        state = _STATES[host] = UpdateState(runs=[])
    return state


def place_updates(host: WindowsHost, keys: tuple[str, ...] = tuple(PACKAGES)) -> dict[str, str]:
    """The packages on the share and in the local folder; returns key -> share path."""
    out = {}
    for key in keys:
        package = PACKAGES[key]
        for folder in (SHARE_UPDATES_DIR, LOCAL_UPDATES_DIR):
            host.fs.add(package.node(f"{folder}\\{package.file_name}"))
        out[key] = f"{SHARE_UPDATES_DIR}\\{package.file_name}"
    return out


def register_update_handlers(host: WindowsHost) -> None:
    for package in PACKAGES.values():
        host.register_program_handler(package.file_name.lower(), _handler(package))


def _log(host: WindowsHost, line: str) -> None:
    stamp = host.now().strftime("%m/%d/%Y %H:%M:%S")
    host.fs.write(LOG_PATH, f"[{stamp}] {line}\r\n".encode("utf-8"), append=True)


def exsetup_build(host: WindowsHost) -> Build | None:
    from .runtime import attach  # pylint: disable=import-outside-toplevel  # runtime registers these handlers
    node = host.fs.get(attach(host).install.install_path() + "Bin\\ExSetup.exe")
    if node is None or not node.version:
        return None
    return Build.parse(node.version)


def set_exsetup_build(host: WindowsHost, build: Build) -> None:
    from .runtime import attach  # pylint: disable=import-outside-toplevel
    bin_dir = attach(host).install.install_path() + "Bin"
    for name in ("ExSetup.exe", "Setup.exe"):
        node = host.fs.get(f"{bin_dir}\\{name}")
        if node is not None:
            node.version = build.long


def _handler(package: UpdatePackage):
    def handle(host: WindowsHost, run: ProgramRun) -> ProgramResult:
        from .runtime import attach  # pylint: disable=import-outside-toplevel
        install = attach(host).install
        state = state_of(host)
        current = exsetup_build(host)
        _log(host, f"{package.file_name} {run.arguments} started as {run.user} (elevated: {run.elevated})")
        if current is None or not current.same_cu(package.target):
            _log(host, f"Product: {package.display_name} -- Error 1642. {NOT_FOUND_1642}")
            state.runs.append((package.key, 1642))
            return ProgramResult(rc=1642, duration_seconds=30)
        if package.produces < current:
            _log(host, f"Product: {package.display_name} -- Error 1642. A newer version of this update is already installed "
                       f"({current}).")
            state.runs.append((package.key, 1642))
            return ProgramResult(rc=1642, duration_seconds=30)
        if package.produces == current:
            _log(host, f"Product: {package.display_name} -- the update is already installed. Installation success or error status: 0.")
            state.runs.append((package.key, 0))
            return ProgramResult(rc=0, duration_seconds=10)
        install.stop_services(disable=True)
        if state.stop_half_way:
            state.stop_half_way = False

            def stopped() -> int:
                _log(host, f"Product: {package.display_name} -- Error 1603. Fatal error during installation.")
                state.runs.append((package.key, 1603))
                return 1603
            return ProgramResult(rc=1603, duration_seconds=DURATION_SECONDS / 2, on_exit=stopped)

        def finished() -> int:
            if run.elevated:
                set_exsetup_build(host, package.produces)
                key = ("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\"
                       "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}_" + package.kb)  # the patch's entry [UNCONFIRMED key name]
                host.registry.set_value(key, "DisplayName", package.display_name)
                host.registry.set_value(key, "DisplayVersion", str(package.produces))
                host.registry.set_value(key, "InstallDate", host.now().strftime("%Y%m%d"))
                host.set_pending_reboot(PENDING_FILE_RENAME, f"\\??\\{paths.normalize(install.install_path())}Bin\\{package.kb}.tmp")
                rc = 3010
            else:
                # Not elevated: the installer reports success but the protected files were not replaced.
                state.web_broken = True
                rc = 0
            install.start_services()
            _log(host, f"Product: {package.display_name} -- Installation completed successfully. "
                       f"Installation success or error status: {rc}.")
            state.runs.append((package.key, rc))
            return rc
        return ProgramResult(rc=0, duration_seconds=DURATION_SECONDS, on_exit=finished)
    return handle
