"""The local Exchange install state on a WindowsHost: registry, files, environment, services (exchange-facts §3.2, §5.2).

Registry layout [S2 EOMT.ps1, S5 ExchangeDscHelper]:
- `HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup`: MsiInstallPath (trailing backslash), MsiProductMajor 15,
  MsiProductMinor 2, MsiBuildMajor, MsiBuildMinor (DWORDs) -> version = Major.Minor.BuildMajor.BuildMinor.
- role keys (`MailboxRole`, `HubTransportRole`, ...): `UnpackedVersion` once files are copied, `ConfiguredVersion` once
  the role is configured; `Action` + `Watermark` (`<Component>___<32 hex>`) while a run is in progress or after it
  failed (exchange-facts §3.3).
- Uninstall key `{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}` (also used for SE: [INFERRED] §3.2): DisplayVersion,
  VersionMajor/Minor, InstallDate (yyyyMMdd) — Install-Exchange15 requires InstallDate before declaring success [S4].
- `%ExchangeInstallPath%` (machine environment, trailing backslash) and `<install>\\Bin` on PATH; `Bin\\ExSetup.exe`
  FileVersion = exact build [S2 Get-ExSetupFileVersionInfo.ps1]; `Bin\\Setup.exe` is the PATH copy gotcha §6.7.
"""

from __future__ import annotations

from ..windows import paths
from ..windows.state import Service, WindowsHost
from .builds import Build, Release
from .readiness import Watermark
from .services import EDGE_DEPENDS, SERVICES, exists_in, service_path
from .steps import ROLE_KEYS

V15 = r"HKLM\SOFTWARE\Microsoft\ExchangeServer\v15"
SETUP_KEY = V15 + r"\Setup"
UNINSTALL_GUID = "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}"
UNINSTALL_KEY = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall" + "\\" + UNINSTALL_GUID
DEFAULT_INSTALL_PATH = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"
MACHINE_ENV = r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
INSTALLED_BYTES = 5_800_000_000  # what the Copying Exchange Files step writes (the V15 folder of a Mailbox server)


class ExchangeInstall:
    """Reads and writes the local install state of one host."""

    def __init__(self, host: WindowsHost) -> None:
        self.host = host
        self.reg = host.registry

    # --- reading ---------------------------------------------------------------------------------------------------
    def installed_build(self) -> Build | None:
        names = ("MsiProductMajor", "MsiProductMinor", "MsiBuildMajor", "MsiBuildMinor")
        values = [self.reg.get(SETUP_KEY, n) for n in names]
        if any(v is None for v in values):
            return None
        return Build(*(int(v) for v in values))  # type: ignore[arg-type]

    def install_path(self) -> str:
        # Setup's default TargetDir is %ProgramFiles%\Microsoft\Exchange Server\V15 (exchange-facts §1.3).
        return self.reg.get(SETUP_KEY, "MsiInstallPath") or self.host.expand_env(
            DEFAULT_INSTALL_PATH.replace("C:\\Program Files", "%ProgramFiles%"))

    def roles_with(self, value: str) -> list[str]:
        """Log role names whose key has `value` (UnpackedVersion / ConfiguredVersion)."""
        return [role for role, key in ROLE_KEYS.items() if self.reg.get(V15 + "\\" + key, value)]

    def watermarks(self) -> tuple[Watermark, ...]:
        out = []
        for key in self.reg.subkeys(V15):
            mark = self.reg.get(V15 + "\\" + key, "Watermark")
            if mark:
                out.append(Watermark(key, self.reg.get(V15 + "\\" + key, "Action") or "", mark))
        return tuple(out)

    def is_installed(self) -> bool:
        return self.installed_build() is not None and self.reg.key_exists(UNINSTALL_KEY)

    # --- writing ---------------------------------------------------------------------------------------------------
    def set_in_progress(self, role: str, action: str, watermark: str) -> None:
        key = V15 + "\\" + ROLE_KEYS[role]
        self.reg.set_value(key, "Action", action)
        self.reg.set_value(key, "Watermark", watermark)

    def set_unpacked(self, roles: tuple[str, ...], build: Build) -> None:
        for role in roles:
            self.reg.set_value(V15 + "\\" + ROLE_KEYS[role], "UnpackedVersion", str(build))

    def set_configured(self, role: str, build: Build) -> None:
        key = V15 + "\\" + ROLE_KEYS[role]
        self.reg.set_value(key, "ConfiguredVersion", str(build))
        self.reg.delete_value(key, "Action")
        self.reg.delete_value(key, "Watermark")

    def write_setup_key(self, build: Build, install_path: str) -> None:
        self.reg.set_value(SETUP_KEY, "MsiInstallPath", install_path)
        for name, value in (("MsiProductMajor", build.major), ("MsiProductMinor", build.minor),
                            ("MsiBuildMajor", build.build), ("MsiBuildMinor", build.revision)):
            self.reg.set_value(SETUP_KEY, name, value, "REG_DWORD")

    def write_uninstall_key(self, release: Release, build: Build) -> None:
        name = ("Microsoft Exchange Server Subscription Edition" if release.is_se
                else f"Microsoft Exchange Server 2019 Cumulative Update {release.cu}")  # DisplayName [UNCONFIRMED]
        values = {"DisplayName": name, "DisplayVersion": str(build), "Publisher": "Microsoft Corporation",
                  "InstallDate": self.host.now().strftime("%Y%m%d"), "InstallLocation": self.install_path(),
                  "UninstallString": f'"{self.install_path()}Bin\\Setup.exe" /Mode:Uninstall'}
        for key, value in values.items():
            self.reg.set_value(UNINSTALL_KEY, key, value)
        self.reg.set_value(UNINSTALL_KEY, "VersionMajor", build.major, "REG_DWORD")
        self.reg.set_value(UNINSTALL_KEY, "VersionMinor", build.minor, "REG_DWORD")

    def write_files(self, build: Build, install_path: str) -> None:
        """The V15 tree: a size-only placeholder for the bulk, plus the files the product looks at."""
        bin_dir = install_path + "Bin"
        fs = self.host.fs
        fs.write(bin_dir + "\\ExSetup.exe", None, size=42_000, version=build.long)
        fs.write(bin_dir + "\\Setup.exe", None, size=1_343_488, version=build.long)
        fs.write(bin_dir + "\\RemoteExchange.ps1", b"# simulated Exchange Management Shell bootstrap\r\n")
        fs.write(bin_dir + "\\Exchange.ps1", b"# simulated Exchange snap-in bootstrap\r\n")
        old = fs.get(install_path + "Bin\\Microsoft.Exchange.Binaries.simulated")
        fs.write(install_path + "Bin\\Microsoft.Exchange.Binaries.simulated", None,
                 size=max(old.size if old else 0, INSTALLED_BYTES))

    def write_environment(self, install_path: str) -> None:
        """ExchangeInstallPath and PATH, in the process environment model and the machine environment key."""
        self.host.env["ExchangeInstallPath"] = install_path
        self.reg.set_value(MACHINE_ENV, "ExchangeInstallPath", install_path)
        bin_dir = install_path + "bin"
        path = self.host.env.get("PATH", "")
        if not any(paths.key(p) == paths.key(bin_dir) for p in path.split(";") if p and paths.is_absolute(p)):
            self.host.env["PATH"] = (path.rstrip(";") + ";" if path else "") + bin_dir
            self.reg.set_value(MACHINE_ENV, "Path", self.host.env["PATH"], "REG_EXPAND_SZ")

    def ensure_services(self, names: tuple[str, ...], release: Release, install_path: str, *, edge: bool = False) -> None:
        for name in names:
            spec = SERVICES[name.lower()]
            if not exists_in(name, release) or self.host.get_service(name) is not None:
                continue
            depends = spec.depends
            if edge and "MSExchangeADTopology" in depends:
                depends = EDGE_DEPENDS  # no AD Topology service on an Edge server (services.EDGE_DEPENDS)
            self.host.add_service(Service(spec.name, spec.display_name, state="stopped", start_mode=spec.start_mode,
                                          dependencies=list(depends), path=service_path(install_path, spec.name),
                                          description=f"{spec.display_name} (simulated)"))

    def exchange_services(self) -> list[Service]:
        return [s for s in self.host.services.values() if s.name.lower() in SERVICES]

    def stop_services(self, disable: bool = False) -> None:
        """ServiceControl.ps1 -Operation:DisableServices / Stop during a CU [S2 InstallFromBin log]."""
        for svc in self.exchange_services():
            if disable:
                svc.start_mode = "disabled"
            svc.state = "stopped"

    def start_services(self, skip: tuple[str, ...] = ()) -> None:
        """Setup restores start types and starts Automatic services (except those /DoNotStartTransport names)."""
        for svc in self.exchange_services():
            svc.start_mode = SERVICES[svc.name.lower()].start_mode
        for svc in sorted(self.exchange_services(), key=lambda s: s.name.lower() != "msexchangeadtopology"):
            if svc.start_mode == "auto" and svc.name not in skip:
                self.host.start_service(svc.name)
