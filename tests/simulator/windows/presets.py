"""Starting states for the simulated Windows Server.

`build(name, clock=None)` returns a fresh WindowsHost for one of PRESETS; `windows_server(...)` is the general
builder they use. Everything is from the RPI scenario: domain `rpi.gob.gt` (NetBIOS `RPI`), host `RPI-EXCH01`,
installers on `C:\\RPI\\Prerequisites\\` and `\\\\rpi-fs01\\instaladores\\Exchange\\Prerequisites\\`.
Large files are size-only placeholders (see filesystem.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Callable

from ..clock import Clock
from . import catalogue, winrm_config
from .features import CORE, DESKTOP, exchange_features
from .filesystem import DiskImage, FileNode, Volume
from .state import (AUTO_LOGON_CHECKED, CBS, CURRENT_VERSION, PENDING_FILE_RENAME, UPDATE_EXE, WINDOWS_UPDATE, DomainInfo, NetAdapter,
                    OsInfo, PageFile, Service, WindowsHost)

GB = 1024**3
MB = 1024**2
DOMAIN_FQDN = "rpi.gob.gt"
DOMAIN_NETBIOS = "RPI"
HOSTNAME = "RPI-EXCH01"
LOCAL_PREREQ_DIR = r"C:\RPI\Prerequisites"
SHARE_ROOT = r"\\rpi-fs01\instaladores"
SHARE_PREREQ_DIR = r"\\rpi-fs01\instaladores\Exchange\Prerequisites"

# Test credentials of the simulated accounts (test data, not secrets).
PASSWORDS = {
    "RPI-EXCH01\\Administrator": "Local-Adm1n!",
    "RPI\\Administrator": "Dom-Adm1n!",
    "RPI\\svc-exchange": "Exch-Setup-2025!",
    "RPI\\svc-ansible": "Ansible-WinRM-2025!",
    "RPI\\jperez": "Usuario-2025!",
}
EXCHANGE_ADMIN_GROUPS = {"RPI\\Domain Admins", "RPI\\Enterprise Admins", "RPI\\Schema Admins",
                         "RPI\\Organization Management"}

_OS = {
    2019: ("Microsoft Windows Server 2019 {edition}", "10.0.17763", "1809", 6893),
    2022: ("Microsoft Windows Server 2022 {edition}", "10.0.20348", "21H2", 3207),
    2025: ("Microsoft Windows Server 2025 {edition}", "10.0.26100", "24H2", 4061),
}

_BASE_SERVICES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("RPCSS", "Remote Procedure Call (RPC)", "auto", ()),
    ("EventLog", "Windows Event Log", "auto", ()),
    ("Winmgmt", "Windows Management Instrumentation", "auto", ("RPCSS",)),
    ("WinRM", "Windows Remote Management (WS-Management)", "auto", ("RPCSS", "HTTP")),
    ("HTTP", "HTTP Service", "manual", ()),
    ("RemoteRegistry", "Remote Registry", "auto", ("RPCSS",)),  # exchange-facts §2.3: must be Automatic
    ("pla", "Performance Logs & Alerts", "manual", ("RPCSS",)),
    ("MSDTC", "Distributed Transaction Coordinator", "auto", ("RPCSS",)),  # §6.8: must be running
    ("Schedule", "Task Scheduler", "auto", ("RPCSS",)),
    ("LanmanServer", "Server", "auto", ()),
    ("LanmanWorkstation", "Workstation", "auto", ()),
    ("W32Time", "Windows Time", "manual", ()),
    ("Dnscache", "DNS Client", "auto", ()),
    ("wuauserv", "Windows Update", "manual", ("RPCSS",)),
    ("TrustedInstaller", "Windows Modules Installer", "manual", ()),
    ("BITS", "Background Intelligent Transfer Service", "manual", ("RPCSS",)),
    ("msiserver", "Windows Installer", "manual", ("RPCSS",)),
    ("WinDefend", "Microsoft Defender Antivirus Service", "auto", ()),
    ("vds", "Virtual Disk", "manual", ("RPCSS",)),
    ("ShellHWDetection", "Shell Hardware Detection", "auto", ("RPCSS",)),
)
_SYSTEM_PROCESSES = ("System", "smss.exe", "csrss.exe", "wininit.exe", "services.exe", "lsass.exe", "svchost.exe",
                     "svchost.exe", "WmiPrvSE.exe", "MsMpEng.exe")
_SYSTEM32_EXES = ("cmd.exe", "whoami.exe", "shutdown.exe", "msiexec.exe", "schtasks.exe", "hostname.exe", "winrm.cmd",
                  "ipconfig.exe", "reg.exe", "sc.exe", "net.exe", "WindowsPowerShell\\v1.0\\powershell.exe")


def _os_info(year: int, edition: str, core: bool) -> OsInfo:
    caption, version, display, ubr = _OS[year]
    return OsInfo(caption.format(edition=edition), version, edition, CORE if core else DESKTOP, display, ubr)


def _write_os_registry(host: WindowsHost) -> None:
    reg, os_ = host.registry, host.os
    reg.set_value(CURRENT_VERSION, "ProductName", os_.product_name)
    reg.set_value(CURRENT_VERSION, "InstallationType", os_.installation_type)
    reg.set_value(CURRENT_VERSION, "EditionID", "Server" + os_.edition)
    reg.set_value(CURRENT_VERSION, "CurrentBuild", str(os_.build))
    reg.set_value(CURRENT_VERSION, "CurrentBuildNumber", str(os_.build))
    reg.set_value(CURRENT_VERSION, "CurrentMajorVersionNumber", 10, "REG_DWORD")
    reg.set_value(CURRENT_VERSION, "CurrentMinorVersionNumber", 0, "REG_DWORD")
    reg.set_value(CURRENT_VERSION, "DisplayVersion", os_.display_version)
    reg.set_value(CURRENT_VERSION, "UBR", os_.ubr, "REG_DWORD")
    reg.set_value(r"HKLM\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName", "ComputerName", host.hostname)
    tcpip = r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters"
    reg.set_value(tcpip, "Hostname", host.hostname)
    reg.set_value(tcpip, "NV Hostname", host.hostname)
    # exchange-facts §2.5 (FqdnMissing): the primary DNS suffix lives in "NV Domain".
    reg.set_value(tcpip, "Domain", host.domain.fqdn if host.domain else "")
    reg.set_value(tcpip, "NV Domain", host.domain.fqdn if host.domain else "")
    # exchange-facts §6.2: without UpdatedConfig, Exchange setup restarts WinRM mid-setup. WinRM's listeners: HTTP on
    # 5985 from Windows setup, the RPI's HTTPS on 5986 with its certificate; winrm.cmd (winrm_config.py).
    winrm_config.configure(host)
    # The LSA's security options as a fresh Windows Server has them (lower-case names, as Windows writes them);
    # disabledomaincreds 0: a scheduled task may keep its account's password (tasks.py).
    for name, data in (("disabledomaincreds", 0), ("everyoneincludesanonymous", 0), ("LimitBlankPasswordUse", 1),
                       ("NoLmHash", 1), ("restrictanonymous", 0), ("restrictanonymoussam", 1)):
        reg.set_value(r"HKLM\SYSTEM\CurrentControlSet\Control\Lsa", name, data, "REG_DWORD")
    reg.create_key(AUTO_LOGON_CHECKED)  # the machine has been up for days: LogonUI created it
    reg.set_value(r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager", "BootExecute", ["autocheck autochk *"],
                  "REG_MULTI_SZ")
    reg.create_key(r"HKLM\SOFTWARE\Microsoft\Updates")


def _base_files(host: WindowsHost) -> None:
    fs = host.fs
    for folder in (r"C:\Windows\Temp", r"C:\Program Files", r"C:\Program Files (x86)", r"C:\ProgramData",
                   r"C:\Users\Public", r"C:\Windows\System32\config\systemprofile\AppData\Local\Temp",
                   r"C:\Windows\WinSxS", LOCAL_PREREQ_DIR):
        fs.mkdir(folder)
    for exe in _SYSTEM32_EXES:
        fs.add(FileNode(rf"C:\Windows\System32\{exe}", size=300_000, version=host.os.version + "." + str(host.os.ubr)))
    fs.write(r"C:\Windows\System32\drivers\etc\hosts", b"# Copyright (c) 1993-2009 Microsoft Corp.\r\n")


def _env(host: WindowsHost) -> None:
    host.env.update({
        "SystemRoot": r"C:\Windows", "windir": r"C:\Windows", "SystemDrive": "C:", "ProgramFiles": r"C:\Program Files",
        "ProgramFiles(x86)": r"C:\Program Files (x86)", "ProgramData": r"C:\ProgramData", "ALLUSERSPROFILE": r"C:\ProgramData",
        "ComputerName": host.hostname, "PUBLIC": r"C:\Users\Public", "OS": "Windows_NT",
        "PATH": r"C:\Windows\system32;C:\Windows;C:\Windows\System32\Wbem;C:\Windows\System32\WindowsPowerShell\v1.0",
        "PROCESSOR_ARCHITECTURE": "AMD64", "NUMBER_OF_PROCESSORS": str(host.logical_processors),
        "TEMP": r"C:\Windows\Temp", "TMP": r"C:\Windows\Temp",
        "USERDOMAIN": host.domain.netbios if host.domain else host.hostname,
        "USERDNSDOMAIN": host.domain.fqdn.upper() if host.domain else "",
    })


def _installer_files(host: WindowsHost, local: bool, share: bool) -> None:
    for spec in catalogue.STANDARD_INSTALLERS:
        for folder, wanted in ((LOCAL_PREREQ_DIR, local), (SHARE_PREREQ_DIR, share)):
            if wanted:
                host.fs.add(FileNode(rf"{folder}\{spec.file_name}", size=spec.size, installer=spec))


def _accounts(host: WindowsHost, domain_joined: bool, dc: bool) -> None:
    if not dc:
        host.add_account("Administrator", PASSWORDS["RPI-EXCH01\\Administrator"], full_name="Built-in administrator")
        host.add_to_local_group("Administrators", f"{host.hostname}\\Administrator")
    if not domain_joined:
        return
    host.add_account("Administrator", PASSWORDS["RPI\\Administrator"], domain="RPI",
                     groups={"RPI\\Domain Admins", "RPI\\Enterprise Admins", "RPI\\Schema Admins"})
    host.add_account("svc-exchange", PASSWORDS["RPI\\svc-exchange"], domain="RPI", groups=set(EXCHANGE_ADMIN_GROUPS),
                     full_name="Servicio instalación Exchange")
    host.add_account("svc-ansible", PASSWORDS["RPI\\svc-ansible"], domain="RPI", groups={"RPI\\Servidores-Admins"},
                     full_name="Servicio Ansible WinRM")
    host.add_account("jperez", PASSWORDS["RPI\\jperez"], domain="RPI", full_name="Juan Pérez")
    host.add_to_local_group("Administrators", "RPI\\Domain Admins")
    host.add_to_local_group("Administrators", "RPI\\Servidores-Admins")
    host.add_to_local_group("Remote Management Users", "RPI\\Servidores-Admins")


def _services(host: WindowsHost, dc: bool) -> None:
    for name, display, mode, deps in _BASE_SERVICES:
        host.add_service(Service(name, display, "running" if mode == "auto" else "stopped", mode, list(deps),
                                 path=r"C:\Windows\system32\svchost.exe -k netsvcs"))
    if host.domain is not None:
        host.add_service(Service("Netlogon", "Netlogon", "running", "auto", ["LanmanWorkstation"]))
    if dc:
        host.add_service(Service("NTDS", "Active Directory Domain Services", "running", "auto", ["RPCSS"]))
        host.add_service(Service("DNS", "DNS Server", "running", "auto", ["RPCSS"]))


def vc2013_x86_only(host: WindowsHost) -> None:
    """VC++ 2013 present only as the x86 runtime: its entries and key live in the 32-bit view (WOW6432Node) and say x86;
    the x64 runtime setup needs is absent."""
    _remove_vc2013_x64(host)
    key = r"HKLM\SOFTWARE\WOW6432Node\Microsoft\VisualStudio\12.0\VC\Runtimes\x86"
    for name, data, kind in (("Installed", 1, "REG_DWORD"), ("Version", "v12.0.40664.00", "REG_SZ"), ("Bld", 40664, "REG_DWORD")):
        host.registry.set_value(key, name, data, kind)
    entry = r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{13A4EE12-23EA-3371-91EE-EFB36DDFFF3E}"
    host.registry.set_value(entry, "DisplayName", "Microsoft Visual C++ 2013 x86 Minimum Runtime - 12.0.40664")
    host.registry.set_value(entry, "DisplayVersion", "12.0.40664")
    host.registry.set_value(entry, "Version", 201367256, "REG_DWORD")


def vc2013_old_x64_build(host: WindowsHost) -> None:
    """VC++ 2013 x64 at its RTM build 12.0.21005 (VersionIdentifier 201347861): older than the 12.0.40664 setup needs."""
    _remove_vc2013_x64(host)
    for base in (r"HKLM\SOFTWARE\Microsoft", r"HKLM\SOFTWARE\WOW6432Node\Microsoft"):
        key = base + r"\VisualStudio\12.0\VC\Runtimes\x64"
        for name, data, kind in (("Installed", 1, "REG_DWORD"), ("Version", "v12.0.21005.00", "REG_SZ"), ("Bld", 21005, "REG_DWORD")):
            host.registry.set_value(key, name, data, kind)
    entry = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{A749D8E6-B613-3BE3-8F5F-045C84EBA29B}"
    host.registry.set_value(entry, "DisplayName", "Microsoft Visual C++ 2013 x64 Minimum Runtime - 12.0.21005")
    host.registry.set_value(entry, "DisplayVersion", "12.0.21005")
    host.registry.set_value(entry, "Version", 201347861, "REG_DWORD")


def _remove_vc2013_x64(host: WindowsHost) -> None:
    for base in (r"HKLM\SOFTWARE\Microsoft", r"HKLM\SOFTWARE\WOW6432Node\Microsoft"):
        if host.registry.key_exists(base + r"\VisualStudio\12.0"):
            host.registry.delete_key(base + r"\VisualStudio\12.0")
    for root in (r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall",
                 r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"):
        for sub in list(host.registry.subkeys(root)) if host.registry.key_exists(root) else []:
            if "Visual C++ 2013" in str(host.registry.get(root + "\\" + sub, "DisplayName") or ""):
                host.registry.delete_key(root + "\\" + sub)


def windows_server(year: int = 2022, *, core: bool = False, edition: str = "Standard", clock: Clock | None = None,
                   hostname: str = HOSTNAME, domain_joined: bool = True, domain_controller: bool = False,
                   prerequisites: bool = True, ram_gb: int = 128, cores: int = 8, c_size_gb: int = 250,
                   c_free_gb: float = 180.0, data_volume: bool = True, installers_local: bool = True,
                   installers_share: bool = True, dhcp: bool = False,
                   customize: Callable[[WindowsHost], None] | None = None) -> WindowsHost:
    """Build a Windows Server. prerequisites=True installs every Exchange 2019/SE Mailbox prerequisite (§2.2–2.4)."""
    if year not in _OS:
        raise ValueError(f"year must be one of {sorted(_OS)}")
    domain = DomainInfo(DOMAIN_FQDN, DOMAIN_NETBIOS, is_domain_controller=domain_controller,
                        dc_hostname=f"{hostname}.{DOMAIN_FQDN}" if domain_controller else f"RPI-DC01.{DOMAIN_FQDN}") \
        if domain_joined or domain_controller else None
    host = WindowsHost(clock, hostname=hostname, os_info=_os_info(year, edition, core), domain=domain)
    host.cpu_sockets, host.cpu_cores, host.logical_processors = (2 if cores >= 8 else 1), cores, cores
    host.ram_bytes = ram_gb * GB
    host.boot_time = host.clock.now() - timedelta(days=2, hours=3)
    c_used = int((c_size_gb - c_free_gb) * GB)
    host.fs.add_volume(Volume("C", "", "NTFS", "Fixed", c_size_gb * GB, used_base=c_used))
    if data_volume:
        host.fs.add_volume(Volume("D", "ExchangeDB", "ReFS", "Fixed", 500 * GB, used_base=2 * GB))
    host.fs.add_share(SHARE_ROOT)
    host.fs.mkdir(SHARE_PREREQ_DIR)
    _write_os_registry(host)
    _base_files(host)
    _env(host)
    _accounts(host, domain is not None, domain_controller)
    _services(host, domain_controller)
    for p in _SYSTEM_PROCESSES:
        host.start_process(p, p, system=True)
    if not core:
        host.start_process("explorer.exe", r"C:\Windows\explorer.exe", system=True)
    host.adapters.append(NetAdapter(ipv4=["10.10.20.21" if not domain_controller else "10.10.20.10"],
                                    gateway="10.10.20.1", dns_servers=["10.10.20.10"], dhcp=dhcp,
                                    ipv6=["fe80::8d4b:2f1a:61c3:9e10"]))
    host.features.installed = {k for k, f in host.features.available.items() if f.default_installed}
    if domain_controller:
        host.install_features(["AD-Domain-Services", "DNS"], include_mgmt=True, seconds_per_feature=0)
        host.features.installed |= host.features.install_pending
        host.features.install_pending.clear()
    host.install_product(catalogue.INBOX_DOTNET[host.os.build])
    _installer_files(host, installers_local, installers_share)
    if prerequisites:
        _install_prerequisites(host)
    host._clear_pending_reboot()  # pylint: disable=protected-access  # the starting state has no leftovers
    if customize is not None:
        customize(host)
    return host


def _install_prerequisites(host: WindowsHost) -> None:
    """exchange-facts §2.2–2.4 plus §2.7's page file (min = max = 25 % of RAM)."""
    host.install_features(list(exchange_features(host.os.installation_type)), seconds_per_feature=0)
    host.features.installed |= host.features.install_pending
    host.features.install_pending.clear()
    dotnet = catalogue.DOTNET_48 if host.os.build == 17763 else catalogue.DOTNET_481
    host.uninstall_product(catalogue.INBOX_DOTNET[host.os.build].key)
    for product in (dotnet, catalogue.VCREDIST_2012, catalogue.VCREDIST_2013, catalogue.UCMA4, catalogue.URL_REWRITE):
        host.install_product(product)
    quarter = host.ram_bytes // MB // 4
    host.pagefile_automatic = False
    host.pagefiles = [PageFile("C:\\pagefile.sys", quarter, quarter)]


def add_disk_image(host: WindowsHost, path: str, label: str, files: dict[str, bytes | int], size: int = 0) -> FileNode:
    """Put an ISO at `path` whose tree is `files` (relative path -> bytes, or a size for a placeholder)."""
    tree = {rel: FileNode(rel, content=data if isinstance(data, bytes) else None,
                          size=len(data) if isinstance(data, bytes) else int(data)) for rel, data in files.items()}
    total = size or sum(n.size for n in tree.values()) + 2 * MB
    return host.fs.add(FileNode(path, size=total, image=DiskImage(label, tree)))


def disable_domain_creds(host: WindowsHost) -> None:
    """A hardened server (CIS benchmarks): "Network access: Do not allow storage of passwords and credentials for
    network authentication" enabled, DisableDomainCreds=1; a task with a stored password cannot be registered."""
    host.registry.set_value(r"HKLM\SYSTEM\CurrentControlSet\Control\Lsa", "disabledomaincreds", 1, "REG_DWORD")


def _pending(source: str) -> Callable[[WindowsHost], None]:
    def apply(host: WindowsHost) -> None:
        host.set_pending_reboot(source)
    return apply


def _variants() -> dict[str, Callable[..., WindowsHost]]:
    out: dict[str, Callable[..., WindowsHost]] = {}
    for year in (2019, 2022, 2025):
        for core in (False, True):
            tag = f"ws{year}{'-core' if core else ''}"
            out[f"{tag}-ready"] = lambda clock=None, y=year, c=core: windows_server(y, core=c, clock=clock)
            out[f"{tag}-bare"] = lambda clock=None, y=year, c=core: windows_server(y, core=c, clock=clock,
                                                                                   prerequisites=False)
    for name, source in (("pfro", PENDING_FILE_RENAME), ("cbs", CBS), ("wu", WINDOWS_UPDATE), ("updateexe", UPDATE_EXE)):
        out[f"ws2022-ready-pending-reboot-{name}"] = (
            lambda clock=None, s=source: windows_server(2022, clock=clock, customize=_pending(s)))
    out["ws2022-ready-low-ram"] = lambda clock=None: windows_server(2022, clock=clock, ram_gb=8)
    out["ws2022-ready-low-disk"] = lambda clock=None: windows_server(2022, clock=clock, c_free_gb=12)
    out["ws2022-ready-workgroup"] = lambda clock=None: windows_server(2022, clock=clock, domain_joined=False)
    out["ws2022-ready-domain-controller"] = lambda clock=None: windows_server(2022, clock=clock, domain_controller=True)
    out["ws2022-bare-disable-domain-creds"] = lambda clock=None: windows_server(
        2022, clock=clock, prerequisites=False, customize=disable_domain_creds)
    out["ws2022-bare-share-only"] = lambda clock=None: windows_server(2022, clock=clock, prerequisites=False,
                                                                      installers_local=False)
    return out


PRESETS: dict[str, Callable[..., WindowsHost]] = _variants()


def names() -> list[str]:
    return sorted(PRESETS)


def build(name: str, clock: Clock | None = None) -> WindowsHost:
    """A fresh host for preset `name` (see names())."""
    try:
        factory = PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown Windows preset {name!r}; known: {', '.join(names())}") from None
    return factory(clock=clock)
