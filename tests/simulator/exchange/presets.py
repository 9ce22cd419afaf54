"""Exchange starting states, built on simulator.windows.presets (domain rpi.gob.gt, host RPI-EXCH01).

Installed presets are produced by really running the simulated Setup.exe (as RPI\\svc-exchange, the way a scheduled
task with stored credentials would) from the mounted ISO, then restarting the server — so their registry, files,
services, AD state and ExchangeSetup.log are exactly what a run leaves. Media ISOs are placed on the share
`\\\\rpi-fs01\\instaladores\\Exchange\\` and in `C:\\RPI\\Exchange\\`.
"""

from __future__ import annotations

from typing import Callable

from ..clock import Clock
from ..windows import presets as windows_presets
from ..windows.programs import ProgramRun, split_command_line
from ..windows.state import WindowsHost
from .faults import REAL_ERRORS
from .media import MEDIA, MediaImage
from .org import DomainControllerObject, ExchangeOrg, ServerObject
from .runtime import ExchangeModel, attach
from .startup import arm_slow_start
from .updates import PACKAGES, place_updates

LOCAL_MEDIA_DIR = "C:\\RPI\\Exchange"
SHARE_MEDIA_DIR = windows_presets.SHARE_ROOT + "\\Exchange"
SETUP_USER = "RPI\\svc-exchange"
ORG_NAME = "RPI"
INSTALL_ARGS = ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install /Roles:Mailbox "
                f'/OrganizationName:"{ORG_NAME}" /InstallWindowsComponents')


def place_media(host: WindowsHost, images: tuple[MediaImage, ...] = tuple(MEDIA.values())) -> dict[str, str]:
    """Put the ISO files on the share and the local media folder; returns release key -> local ISO path."""
    out = {}
    for image in images:
        for folder in (SHARE_MEDIA_DIR, LOCAL_MEDIA_DIR):
            host.fs.add(image.iso_node(f"{folder}\\{image.iso_name}"))
        out[image.release.key] = f"{LOCAL_MEDIA_DIR}\\{image.iso_name}"
    place_updates(host)  # the SU/HU packages beside the ISOs (updates.py)
    return out


def ready_for_exchange(year: int = 2022, *, core: bool = False, clock: Clock | None = None,
                       org: ExchangeOrg | None = None, prerequisites: bool = True) -> WindowsHost:
    """A domain-joined server with the media available and the Exchange model attached (no Exchange yet)."""
    host = windows_presets.windows_server(year, core=core, clock=clock, prerequisites=prerequisites)
    place_media(host)
    attach(host, org)
    return host


def mount_media(host: WindowsHost, iso: str) -> str:
    """Mount-DiskImage of an ISO; returns the drive letter."""
    return host.mount_image(iso)


def setup_run(host: WindowsHost, executable: str, arguments: str, *, user: str = SETUP_USER, via: str = "scheduled_task",
              logon_type: str = "password", network_credentials: bool = True) -> ProgramRun:
    """A ProgramRun for Setup.exe as the Windows model builds one (a plain WinRM shell: via="win_shell",
    logon_type="network", network_credentials=False; become: logon_type="interactive")."""
    return ProgramRun(executable, arguments, split_command_line(arguments), host.canonical_user(user), via,
                      working_directory=executable.rsplit("\\", 1)[0] + "\\", logon_type=logon_type,
                      network_credentials=network_credentials)


def run_setup(host: WindowsHost, release_key: str, arguments: str, user: str = SETUP_USER, *,
              via: str = "scheduled_task", logon_type: str = "password", network_credentials: bool = True,
              keep_mounted: bool = False) -> int:
    """Mount the release's ISO, run `<drive>:\\Setup.exe arguments` synchronously, dismount; returns the exit code."""
    iso = f"{LOCAL_MEDIA_DIR}\\{MEDIA[release_key].iso_name}"
    letter = mount_media(host, iso)
    run = setup_run(host, f"{letter}:\\Setup.exe", arguments, user=user, via=via, logon_type=logon_type,
                    network_credentials=network_credentials)
    result = host.run_program(run, wait=True)[0]
    if not keep_mounted:
        host.dismount_image(iso)
    return result.rc


def restart(host: WindowsHost) -> None:
    host.reboot(reason="simulated restart after Exchange setup")
    host.poll()
    host.poll()


def exchange_installed(release_key: str, year: int = 2022, *, core: bool = False,
                       clock: Clock | None = None) -> WindowsHost:
    """Exchange `release_key` installed (fresh install of that release), restarted, healthy."""
    host = ready_for_exchange(year, core=core, clock=clock)
    rc = run_setup(host, release_key, INSTALL_ARGS)
    if rc != 0:
        raise RuntimeError(f"preset install of {release_key} failed with {rc}: {host.diagnostics[-5:]}")
    restart(host)
    return host


def exchange_2019_cu14(year: int = 2022, clock: Clock | None = None) -> WindowsHost:
    return exchange_installed("2019-CU14", year, clock=clock)


def exchange_2019_cu15(year: int = 2022, clock: Clock | None = None) -> WindowsHost:
    return exchange_installed("2019-CU15", year, clock=clock)


def exchange_se(year: int = 2022, clock: Clock | None = None) -> WindowsHost:
    return exchange_installed("SE-RTM", year, clock=clock)


def interrupted_setup(year: int = 2022, release_key: str = "2019-CU15", clock: Clock | None = None) -> WindowsHost:
    """A fresh install that failed in 'Mailbox role: Mailbox service' (real Search Foundation error): the MailboxRole
    key keeps Action=Install + Watermark, ExchangeSetup.log ends with [ERROR]/[ERROR-REFERENCE], no restart yet."""
    host = ready_for_exchange(year, clock=clock)
    model = model_of(host)
    model.faults.fail_at = REAL_ERRORS["search_foundation"]
    if run_setup(host, release_key, INSTALL_ARGS) != 1:
        raise RuntimeError("the interrupted-setup preset expected setup to fail")
    return host


UPGRADE_ARGS = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Upgrade"


def upgrade_failed(year: int = 2022, clock: Clock | None = None) -> WindowsHost:
    """2019 CU15 with an upgrade to SE that failed while copying files (disk full, MSI 1603): after "Stopping Services"
    and before "Restoring Services", so setup left the Exchange services, WMI (Winmgmt), W3SVC, Remote Registry and
    pla disabled and a BuildToBuildUpgrade watermark (ExchangeDsc issue #496; exchange-facts §3.3, §6.2)."""
    host = exchange_2019_cu15(year, clock)
    model_of(host).faults.disk_full_during_copy = True
    if run_setup(host, "SE-RTM", UPGRADE_ARGS) != 1:
        raise RuntimeError("the upgrade-failed preset expected setup to fail")
    return host


def with_site_peer(host: WindowsHost, name: str = "RPI-EXCH02") -> WindowsHost:
    """A second Exchange server of the organization in the same AD site, healthy, at the same build: in Active Directory
    only (msExchExchangeServer with its network address), where Connect-ExchangeServer -Auto finds it
    (ConnectFunctions.ps1 _GetExchangeServersInSite; issue 14, defect 5). It is not a simulated host of its own."""
    model = model_of(host)
    local = model.org.server(host.hostname)
    if local is None:
        raise RuntimeError("a site peer needs this server's own Exchange server object first")
    domain = host.domain.fqdn if host.domain is not None else ""
    peer = ServerObject(name.upper(), f"{name.upper()}.{domain}" if domain else name.upper(), local.build, local.roles,
                        local.install_path, site=local.site, component_states=dict(local.component_states))
    model.org.servers[peer.name.lower()] = peer
    return host


def slow_start(host: WindowsHost, seconds: float = 1200.0) -> WindowsHost:
    """Exchange's services take `seconds` (20 minutes by default) to run after each restart, starting with the restart
    this preset does last: the server is coming up (simulator.exchange.startup; issue 14, defect 2)."""
    arm_slow_start(host, seconds)
    restart(host)
    return host


LOST_SERVER_TARGET_DIR = "C:\\Exchange Server\\V15"


def lost_server(year: int = 2022, release_key: str = "SE-RTM", clock: Clock | None = None) -> WindowsHost:
    """A lost server rebuilt with the same name: Exchange `release_key` was installed to a custom path (the org, the schema
    and this server's object, msExchInstallPath = C:\\Exchange Server\\V15, stay in Active Directory), then the VM was
    rebuilt bare, ready for Exchange, with no Exchange on it. Setup can only rebuild it with /Mode:RecoverServer and
    /TargetDir set again to that path (exchange-facts §1.3 [S1])."""
    clock = clock or Clock()
    lost = ready_for_exchange(year, clock=clock)
    rc = run_setup(lost, release_key, INSTALL_ARGS + f' /TargetDir:"{LOST_SERVER_TARGET_DIR}"')
    if rc != 0:
        raise RuntimeError(f"the lost-server preset's first install failed with {rc}: {lost.diagnostics[-5:]}")
    return ready_for_exchange(year, clock=clock, org=model_of(lost).org)


def _edge_dns_suffix(suffix: str) -> Callable[[WindowsHost], None]:
    """A workgroup server whose primary DNS suffix was set by hand (System Properties, Computer Name, More): Windows
    writes it to Tcpip\\Parameters "NV Domain" and, after the restart, "Domain" (exchange-facts §2.5)."""
    def customize(host: WindowsHost) -> None:
        tcpip = r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters"
        host.registry.set_value(tcpip, "NV Domain", suffix)
        host.registry.set_value(tcpip, "Domain", suffix)
    return customize


def edge_workgroup(year: int = 2022, clock: Clock | None = None, suffix: str = windows_presets.DOMAIN_FQDN) -> WindowsHost:
    """An Edge Transport candidate: outside the domain by design (a workgroup), its primary DNS suffix the RPI's domain
    (or `suffix`: another organisation's server), media available. Only its local Administrator logs on over WinRM
    (credentials.winrm_user)."""
    host = windows_presets.windows_server(year, clock=clock, domain_joined=False, customize=_edge_dns_suffix(suffix))
    place_media(host)
    attach(host)
    return host


def model_of(host: WindowsHost) -> ExchangeModel:
    return attach(host)


# The presets whose host is an Edge Transport server: the launcher writes their inventory with the Edge role and without
# the Mailbox-only options (tests/simulator/launch.py).
EDGE_PRESETS = frozenset({"ws2022-edge-workgroup", "ws2022-edge-other-suffix"})

PRESETS: dict[str, Callable[..., WindowsHost]] = {
    "ws2019-exchange-ready": lambda clock=None: ready_for_exchange(2019, clock=clock),
    "ws2022-exchange-ready": lambda clock=None: ready_for_exchange(2022, clock=clock),
    "ws2019-exchange-2019-cu14": lambda clock=None: exchange_2019_cu14(2019, clock),
    "ws2022-exchange-2019-cu14": lambda clock=None: exchange_2019_cu14(2022, clock),
    "ws2019-exchange-2019-cu15": lambda clock=None: exchange_2019_cu15(2019, clock),
    "ws2022-exchange-2019-cu15": lambda clock=None: exchange_2019_cu15(2022, clock),
    "ws2019-exchange-se": lambda clock=None: exchange_se(2019, clock),
    "ws2022-exchange-se": lambda clock=None: exchange_se(2022, clock),
    "ws2019-exchange-interrupted": lambda clock=None: interrupted_setup(2019, clock=clock),
    "ws2022-exchange-interrupted": lambda clock=None: interrupted_setup(2022, clock=clock),
    "ws2022-exchange-upgrade-failed": lambda clock=None: upgrade_failed(2022, clock),
    "ws2022-exchange-2019-cu15-site-peer": lambda clock=None: with_site_peer(exchange_2019_cu15(2022, clock)),
    "ws2022-exchange-2019-cu15-slow-start": lambda clock=None: slow_start(exchange_2019_cu15(2022, clock)),
    "ws2022-lost-server": lambda clock=None: lost_server(2022, clock=clock),
    "ws2022-edge-workgroup": lambda clock=None: edge_workgroup(2022, clock),
    "ws2022-edge-other-suffix": lambda clock=None: edge_workgroup(2022, clock, suffix="mineco.gob.gt"),
}


# --- Active Directory starting states (issue 17, items 1 and 2) ----------------------------------------------------
SETUP_GROUP = "RPI\\Exchange-Instaladores"  # a group of installers, nested in Schema Admins and Enterprise Admins


def forest_no_exchange(year: int = 2022, clock: Clock | None = None) -> WindowsHost:
    """A domain with no Exchange organisation yet, DCs on Windows Server 2022 and 2019 in the server's site; the setup
    account holds Schema Admins and Enterprise Admins only through a nested group (RPI\\Exchange-Instaladores), as
    many forests delegate it: a first server's fresh install prepares the schema, the organisation and the domain."""
    host = ready_for_exchange(year, clock=clock)
    directory = model_of(host).org.directory
    domain = host.domain.fqdn if host.domain is not None else ""
    directory.domain_controllers = [
        DomainControllerObject("RPI-DC01", f"RPI-DC01.{domain}", "Windows Server 2022 Standard", "10.0 (20348)"),
        DomainControllerObject("RPI-DC02", f"RPI-DC02.{domain}", "Windows Server 2019 Standard", "10.0 (17763)")]
    account = host.find_account(SETUP_USER)
    if account is not None:
        account.groups -= {"RPI\\Schema Admins", "RPI\\Enterprise Admins"}
        account.groups.add(SETUP_GROUP)
    directory.nesting[SETUP_GROUP.lower()] = {"RPI\\Schema Admins", "RPI\\Enterprise Admins"}
    return host


def without_schema_admin(host: WindowsHost) -> WindowsHost:
    """The setup account taken out of Schema Admins and Enterprise Admins (it keeps Domain Admins and Organization
    Management): enough to install a server in a prepared organisation, not to update the organisation."""
    account = host.find_account(SETUP_USER)
    if account is not None:
        account.groups -= {"RPI\\Schema Admins", "RPI\\Enterprise Admins"}
    return host


def forest_2008r2(year: int = 2022, clock: Clock | None = None) -> WindowsHost:
    """A forest and domain at functional level Windows Server 2008 R2 (msDS-Behavior-Version 4), no Exchange yet, its DC
    on Windows Server 2012 R2: Exchange 2019 and SE need level 2012 R2 (6) or higher [S1 supportability matrix]."""
    host = ready_for_exchange(year, clock=clock)
    directory = model_of(host).org.directory
    directory.forest_functional_level = directory.domain_functional_level = 4
    domain = host.domain.fqdn if host.domain is not None else ""
    directory.domain_controllers = [
        DomainControllerObject("RPI-DC01", f"RPI-DC01.{domain}", "Windows Server 2012 R2 Standard", "6.3 (9600)")]
    return host


def exchange_se_updated(year: int = 2022, clock: Clock | None = None, package: str = "SE-RTM-Aug26SU") -> WindowsHost:
    """Exchange SE RTM with its security update already installed (elevated, as the setup account, then restarted): a
    server already at the update's build (ExSetup.exe 15.2.2562.46 for Aug26SU)."""
    host = exchange_se(year, clock)
    update = PACKAGES[package]
    run = setup_run(host, f"{LOCAL_MEDIA_DIR}\\Actualizaciones\\{update.file_name}", "/passive /norestart")
    run.elevated = True
    rc = host.run_program(run, wait=True)[0].rc
    if rc not in (0, 3010):
        raise RuntimeError(f"the updated-SE preset's {update.kb} ended with {rc}: {host.diagnostics[-5:]}")
    restart(host)
    return host


PRESETS.update({
    "ws2022-exchange-se-aug26su": lambda clock=None: exchange_se_updated(2022, clock),
    "ws2022-forest-no-exchange": lambda clock=None: forest_no_exchange(2022, clock),
    "ws2022-exchange-2019-cu14-no-schema-admin": lambda clock=None: without_schema_admin(exchange_2019_cu14(2022, clock)),
    "ws2022-forest-2008r2": lambda clock=None: forest_2008r2(2022, clock),
})


def build(name: str, clock: Clock | None = None) -> WindowsHost:
    try:
        factory = PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown Exchange preset {name!r}; known: {', '.join(sorted(PRESETS))}") from None
    return factory(clock=clock)
