"""The configuration phase of a Setup.exe run: the plan's steps on simulated time, with their effects and failures.

The outcome is decided at launch (exchange-facts sources per cause):
- an armed fault (faults.py) — fail at a step with a real error text, WinRM restart, slow steps, disk full;
- started from `V15\\Bin` (§6.7): fails in Stopping Services with the real ManageScheduledTask.ps1 error, after
  ServiceControl.ps1 has already stopped and disabled the Exchange services [S2 InstallFromBin log];
- a CU over services an admin had disabled (§6.12): fails starting them, real Service_Disabled error [S2];
- not enough free space for the files (§2.7: 30 GB recommended; the model needs INSTALLED_BYTES): MSI error 1603;
- WinRM restarted by setup when WSMAN\\UpdatedConfig is missing (§6.2 [S5]): a run inside a WinRM shell dies with
  the shell (its process tree is torn down) and leaves the Watermark; a scheduled-task run continues.
Watermarks: a role key gets Action/Watermark when setup starts configuring it (a CU marks every installed role when
it stops services); they are removed when the role is configured (exchange-facts §3.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..windows.programs import ProgramResult
from . import hostview
from .builds import Release
from .commandline import SetupCommand
from .console import Console
from .faults import REAL_ERRORS, SetupFaults, StepError
from .model import INSTALLED_BYTES
from .org import ServerObject
from .readiness import AdFacts
from .services import SERVICES, TRANSPORT_SERVICES
from .setuplog import error_reference_id
from .steps import EDGE_ROLES, MAILBOX_ROLES, TOOLS_ROLES, Plan, Step, install_plan, prepare_plan, upgrade_plan
from .timeline import Timeline
from .validation import target_path

if TYPE_CHECKING:
    from .setup_run import SetupRun

COMPONENTS = ("ServerWideOffline", "HubTransport", "FrontendTransport", "Monitoring", "RecoveryActionsEnabled",
              "AutoDiscoverProxy", "ActiveSyncProxy", "EcpProxy", "EwsProxy", "ImapProxy", "OabProxy", "OwaProxy",
              "PopProxy", "PushNotificationsProxy", "RpsProxy", "RwsProxy", "RpcProxy", "UMCallRouter", "XropProxy",
              "HttpProxyAvailabilityGroup", "ForwardSyncDaemon", "ProvisioningRps", "MapiProxy", "EdgeTransport",
              "HighAvailability", "SharedCache")  # exchange-facts §5.3 [S5]
# The components an Edge server reports: the server-wide ones and its transport [INFERRED: the proxies, HubTransport and
# FrontendTransport belong to the Mailbox role's Client Access and transport services].
EDGE_COMPONENTS = ("ServerWideOffline", "EdgeTransport", "Monitoring", "RecoveryActionsEnabled")
FROM_BIN_ERROR = ("The term '{bin}\\ManageScheduledTask.ps1' is not recognized as the name of a cmdlet, function, script "
                  "file, or operable program. Check the spelling of the name, or if a path was included, verify that the "
                  "path is correct and try again.")  # VERBATIM [S2 InstallFromBin log]
KILLED_RC = 0xC000013A - 2**32  # STATUS_CONTROL_C_EXIT: the process tree was torn down with its WinRM shell
# What a CU's setup stops and disables besides Exchange's own services, and puts back when it restores them: the System
# log's service-control events of a real /Mode:Upgrade list "Windows Management Instrumentation  auto start  disabled",
# "World Wide Web Publishing Service", "Remote Registry" and "Performance Logs & Alerts" [ExchangeDsc issue #496;
# exchange-facts §6.2]. A run that fails before "Restoring Services" leaves them disabled (CSS-Exchange issue #1034:
# HealthChecker then fails on a disabled winmgmt).
WINDOWS_SERVICES_SETUP_DISABLES = ("Winmgmt", "W3SVC", "RemoteRegistry", "pla")
SERVICE_CONTROL = ("& $RoleBinPath\\ServiceControl.ps1 -Operation:DisableServices -Roles:($RoleRoles.Replace('Role','')"
                   ".Split(',')) -SetupScriptsDirectory:$RoleBinPath;")


@dataclass
class Outcome:
    step_index: int = -1  # where the run stops early; -1 = it completes
    error: StepError | None = None
    killed: bool = False  # the process dies with its WinRM shell (no log tail)
    msi_error: str = ""  # install-msipackage failures log [ERROR] lines without ERROR-REFERENCE
    disk_error: str = ""  # what Windows said about the space, logged before the MSI failure


class Execution:
    def __init__(self, setup: "SetupRun", cmd: SetupCommand, release: Release, ad: AdFacts,
                 server: ServerObject | None, from_bin: bool, source: str) -> None:
        self.setup, self.cmd, self.release, self.ad = setup, cmd, release, ad
        self.model, self.host = setup.model, setup.host
        self.install = self.model.install
        self.server = server
        self.from_bin, self.source = from_bin, source
        self.action = cmd.installation_mode
        self.path = target_path(cmd, self.install.install_path())
        self.plan = self._plan()
        # Services an admin disabled (not those a failed earlier run disabled itself: setup keeps their original
        # states in its service-state cache, exchange-facts §4.1).
        self.disabled_before = {s.name for s in self.install.exchange_services()
                                if s.start_mode == "disabled" and s.name not in self.model.setup_disabled_services}
        self.modes_before = {s.name: s.start_mode for s in self.install.exchange_services()}
        self.outcome = Outcome()
        self.marks: dict[str, str] = {}
        self.restart_at = -1  # index of the step at which WinRM restarts (-1: it doesn't)

    # --- deciding -----------------------------------------------------------------------------------------------------
    def _plan(self) -> Plan:
        org, release = self.model.org, self.release
        schema = org.schema_range_upper < release.ad.schema_range_upper
        org_needed = org.org_object_version < release.ad.org_object_version
        if self.cmd.prepare:
            return prepare_plan(self.cmd.prepare, schema=schema)
        if self.cmd.scenario == "upgrade":
            roles = tuple(self.install.roles_with("ConfiguredVersion")) or MAILBOX_ROLES
            return upgrade_plan(roles, schema=schema, org=org_needed)
        if self.cmd.scenario == "recover":
            roles = self.server.roles if self.server else MAILBOX_ROLES
        else:
            roles = (MAILBOX_ROLES if "Mailbox" in self.cmd.roles
                     else EDGE_ROLES if "EdgeTransport" in self.cmd.roles else TOOLS_ROLES)
        return install_plan(roles, schema=schema and "MailboxRole" in roles, org=org_needed and "MailboxRole" in roles)

    def _index(self, console_name: str) -> int:
        return next((i for i, s in enumerate(self.plan.steps) if s.console.lower() == console_name.lower()), -1)

    def _decide(self, faults: SetupFaults) -> None:
        out = self.outcome
        if self.from_bin:
            bin_dir = self.install.install_path() + "Bin"
            out.step_index = self._index("Stopping Services")
            out.error = StepError("Stopping Services", FROM_BIN_ERROR.format(bin=bin_dir), "AllRolesPreFileCopyComponent",
                                  "System.Management.Automation.CommandNotFoundException", SERVICE_CONTROL)
            return
        candidates: list[tuple[int, StepError | None, bool, str]] = []
        if faults.fail_at is not None:
            i = self._index(faults.fail_at.step)
            if i >= 0:
                candidates.append((i, faults.fail_at, False, ""))
            else:
                self.host.log(f"exchange fault ignored: step {faults.fail_at.step!r} is not in this run's plan")
        copy = self._index("Copying Exchange Files")
        if copy >= 0 and (faults.disk_full_during_copy or not self._space_ok()):
            target = self.source.rstrip("\\") + "\\exchangeserver.msi"
            # VERBATIM format [S2 MSI_3 log]; the space detail (_disk_error) is logged before it.
            candidates.append((copy, None, False, f"Installing product {target} failed. Fatal error during installation. "
                                                  "Error code is 1603."))
            out.disk_error = self._disk_error()
        transport = self._index("Mailbox role: Transport service")
        if transport >= 0 and self.disabled_before:
            name = sorted(self.disabled_before)[0]
            svc = self.host.get_service(name)
            base = REAL_ERRORS["service_disabled"]
            message = (f"Service '{svc.display_name if svc else name} ({name})' cannot be started due to the following "
                       f"error: Cannot start service {name} on computer '.'.")
            candidates.append((transport, StepError(base.step, message, base.component, base.exception,
                                                    f"Start-SetupService -ServiceName {name};"), False, ""))
        restart_at = self._index(faults.restart_winrm_at) if faults.restart_winrm_at else -1
        if restart_at < 0 and self._winrm_restart_due():
            restart_at = transport
        self.restart_at = restart_at
        if restart_at >= 0 and self.setup.run.via in hostview.WINRM_RUN_KINDS:
            candidates.append((restart_at, None, True, ""))
        if candidates:
            index, error, killed, msi = min(candidates, key=lambda c: c[0])
            out.step_index, out.error, out.killed, out.msi_error = index, error, killed, msi

    def _space_needed(self) -> int:
        existing = self.host.fs.get(self.path + "Bin\\Microsoft.Exchange.Binaries.simulated")
        return INSTALLED_BYTES - (existing.size if existing else 0)

    def _space_ok(self) -> bool:
        volume = self.host.fs.volume_of(self.path)
        return volume is None or volume.free >= self._space_needed()

    def _disk_error(self) -> str:
        """Too little free space on the target drive: Windows Installer's out-of-disk message, with the volume and the
        space needed and free (wording from KB 2028841; that ExchangeSetup.log relays it is [UNCONFIRMED]). The armed
        fault on a drive with room (a write failed as the disk filled up): Windows' ERROR_DISK_FULL text, no figures."""
        volume = self.host.fs.volume_of(self.path)
        needed = self._space_needed()
        if volume is None or volume.free >= needed:
            return "There is not enough space on the disk."
        return (f"Disk full: Out of disk space -- Volume: '{volume.letter}:'; required space: {needed // 1024} KB; "
                f"available space: {volume.free // 1024} KB. Free some disk space and retry.")

    def _winrm_restart_due(self) -> bool:
        key = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN"
        reg = self.host.registry
        return (self.model.options.winrm_restart_without_updated_config and reg.key_exists(key)
                and reg.get_value(key, "UpdatedConfig") is None)

    # --- launching ----------------------------------------------------------------------------------------------------
    def launch(self, console: Console) -> ProgramResult:
        faults = self.model.take_faults()
        self._decide(faults)
        setup = self.setup
        t0 = setup.timeline.start
        timeline = Timeline(setup.cursor)
        offset = 0.0
        out = self.outcome
        for i, step in enumerate(self.plan.steps):
            seconds = step.seconds + faults.slow_steps.get(step.console.lower(), 0.0)
            timeline.add(offset, lambda at, s=step, k=i: self._begin(at, s, k))
            if i == out.step_index:
                if out.killed:
                    timeline.add(offset, self._killed)
                    console.add(f"    {step.console}")
                else:
                    offset += seconds / 2
                    timeline.add(offset, lambda at, s=step: self._failed(at, s))
                    detail = out.error.message if out.error else out.msi_error
                    console.step_failed(step.console, out.error.script if out.error else "install-msipackage", detail)
                    console.failed()
                break
            offset += seconds
            timeline.add(offset, lambda at, s=step: self._end(at, s))
            console.status(step.console, "COMPLETED")
        else:
            timeline.add(offset, self._succeeded)
            console.succeeded(reboot_advice=not self.cmd.prepare)
        setup.timeline = timeline
        setup.rc = KILLED_RC if out.killed else (1 if out.step_index >= 0 else 0)
        timeline.flush(self.host.now())
        duration = (timeline.end - t0).total_seconds()
        return ProgramResult(rc=setup.rc, stdout=console.text(), duration_seconds=duration,
                             child_processes=[self._exsetup_path()], on_exit=self._on_exit)

    def _exsetup_path(self) -> str:
        """ExSetup.exe runs from the folder Setup.exe copied setup to ("Setup will run from path ..." in the log)."""
        # setup_run imports this module: a top-level import would be circular.
        from .setup_run import TEMP_SETUP  # pylint: disable=import-outside-toplevel
        return self.host.expand_env(TEMP_SETUP + "\\ExSetup.exe")

    def _on_exit(self) -> int | None:
        setup, timeline = self.setup, self.setup.timeline
        now = self.host.now()
        if now >= timeline.end:
            timeline.finish()  # type: ignore[union-attr]
            result: int | None = setup.rc
        else:  # killed before its time (reboot, Stop-ScheduledTask): what happened so far stays, the rest never does
            timeline.flush(now)
            timeline.abandon()  # type: ignore[union-attr]
            result = None
        if self.model.active_run is setup:
            self.model.active_run = None
        return result

    # --- events ---------------------------------------------------------------------------------------------------------
    def _at(self, at: datetime) -> None:
        self.setup.cursor = at

    def _mark(self, role: str, component: str) -> str:
        value = error_reference_id(component)
        self.marks[role] = value
        self.install.set_in_progress(role, self.action, value)
        return value

    def _begin(self, at: datetime, step: Step, index: int) -> None:
        self._at(at)
        log = self.setup.log
        log.task_start(step.task, self._task_arguments(step))
        if index == self.restart_at:
            self.host.log(f"Exchange setup restarts WinRM during '{step.console}'")
            self.host.restart_winrm()
        upgrade = self.cmd.scenario == "upgrade"
        if step.console == "Preparing Setup" and upgrade and self.server is not None:
            for component in ("ServerWideOffline", "Monitoring", "RecoveryActionsEnabled"):
                self.server.component_states[component] = ("Inactive", "Functional")
        if step.kind == "stop" and upgrade:
            for role in self.install.roles_with("ConfiguredVersion"):
                self._mark(role, step.component)
            log.line(2, "[ServiceControl.ps1] Disabling services and stopping them.")
            self.model.setup_disabled_services |= {s.name for s in self.install.exchange_services()
                                                   if s.start_mode != "disabled"}
            self.install.stop_services(disable=True)
            self._disable_windows_services()
        if step.kind == "restore":
            for svc in self.install.exchange_services():
                if svc.name in self.model.setup_disabled_services:
                    svc.start_mode = self.modes_before.get(svc.name, SERVICES[svc.name.lower()].start_mode)
                    if svc.start_mode == "disabled":
                        svc.start_mode = SERVICES[svc.name.lower()].start_mode
            self.model.setup_disabled_services.clear()
            self._restore_windows_services()
        if step.role:
            log.line(1, f"Attempting {'BuildToBuildUpgrade' if upgrade else 'Install'} for {step.role}.")
            self.install.ensure_services(step.services, self.release, self.path, edge=step.role == "GatewayRole")
            self._mark(step.role, step.component)
        if step.role == "BridgeheadRole" and self.cmd.scenario == "install-mailbox":
            self._provision_server()

    def _disable_windows_services(self) -> None:
        recorded = self.model.setup_disabled_windows_services
        for name in WINDOWS_SERVICES_SETUP_DISABLES:
            svc = self.host.get_service(name)
            if svc is None or (svc.start_mode == "disabled" and name in recorded):
                continue
            recorded.setdefault(svc.name, svc.start_mode)
            self.host.stop_service(svc.name)
            svc.start_mode = "disabled"

    def _restore_windows_services(self) -> None:
        recorded = self.model.setup_disabled_windows_services
        for name, mode in list(recorded.items()):
            svc = self.host.get_service(name)
            if svc is not None:
                svc.start_mode = mode
                if mode in ("auto", "delayed"):
                    self.host.start_service(svc.name)
        recorded.clear()

    def _end(self, at: datetime, step: Step) -> None:
        self._at(at)
        org, release = self.model.org, self.release
        if step.kind == "schema":
            org.apply_schema(release)
        elif step.kind == "org":
            created = not org.exists
            org.apply_org(release, self.cmd.value("OrganizationName") or org.name)
            if created and self.cmd.license in ("on", "off"):
                org.data_collection_enabled = self.cmd.license == "on"
        elif step.kind == "domain":
            org.apply_domain(release)
        elif step.kind == "copy":
            self._copy_files()
        if step.role:
            self.install.set_configured(step.role, release.build)
        self.setup.log.task_end(step.task)

    def _failed(self, at: datetime, step: Step) -> None:
        self._at(at)
        log, out = self.setup.log, self.outcome
        if out.error is None:
            for line in (out.disk_error, out.msi_error, "Fatal error during installation"):  # the last two [S2 MSI_3 log]
                log.line(1, f"[ERROR] {line}")
            log.task_end(step.task)
        else:
            component = out.error.component or step.component
            role = step.role
            reference = self._mark(role, component) if role else error_reference_id(component)
            if not role and self.cmd.scenario == "upgrade":
                for configured in self.install.roles_with("ConfiguredVersion"):
                    self.install.set_in_progress(configured, self.action, reference)
            log.task_error(step.task, reference, out.error.message, out.error.script, out.error.exception)
        log.end_failed(after_prereq=False, registry_missing=self.install.installed_build() is None)
        self.model.rebooted_since_setup = False

    def _killed(self, at: datetime) -> None:
        self._at(at)
        self.host.log("Exchange setup was terminated with its WinRM shell; ExchangeSetup.log ends without a result")
        self.model.rebooted_since_setup = False

    def _succeeded(self, at: datetime) -> None:
        self._at(at)
        setup, install = self.setup, self.install
        if self.cmd.prepare:
            setup.log.end_succeeded()
            return
        if "GatewayRole" in self.plan.roles:
            self._provision_edge_server()
            install.start_services(TRANSPORT_SERVICES if self.cmd.has("DoNotStartTransport") else ())
        elif self.plan.roles != TOOLS_ROLES:
            server = self._provision_server()
            server.build = self.release.build
            server.component_states.update({c: ("Active", "Functional") for c in COMPONENTS})
            skip = TRANSPORT_SERVICES if self.cmd.has("DoNotStartTransport") else ()
            install.start_services(skip)
        if "MailboxRole" in self.plan.roles:  # an Edge server has no mailbox database [S1 install-edge-transport-role]
            self.model.database_name = self.model.database_name or self.cmd.value("MdbName") or "Mailbox Database 0123456789"
        setup.set_pending_restart()
        setup.log.end_succeeded()
        self.model.rebooted_since_setup = False

    # --- effects ------------------------------------------------------------------------------------------------------
    def _copy_files(self) -> None:
        build, path = self.release.build, self.path
        self.install.write_files(build, path)
        self.install.set_unpacked(self.plan.roles, build)
        self.install.write_setup_key(build, path)
        self.install.write_uninstall_key(self.release, build)
        self.install.write_environment(path)

    def _provision_server(self) -> ServerObject:
        org, host = self.model.org, self.host
        server = org.server(host.hostname)
        if server is None:
            server = ServerObject(host.hostname, host.fqdn, self.release.build, MAILBOX_ROLES, self.path,
                                  component_states={c: ("Active", "Functional") for c in COMPONENTS}, when_created=host.clock.now())
            org.servers[host.hostname.lower()] = server
        self.server = server
        return server

    def _provision_edge_server(self) -> ServerObject:
        """An Edge Transport server's object is written to its own AD LDS instance (ADAM_MSExchange), never to the forest
        (it is outside the domain; EdgeSync is what links it to the organisation later) [S1 install-edge-transport-role,
        edge subscriptions]. Its components: those of the Edge role [INFERRED from exchange-facts §5.3's list]."""
        server = self.model.edge_server
        if server is None:
            server = ServerObject(self.host.hostname, self.host.fqdn, self.release.build, EDGE_ROLES, self.path,
                                  when_created=self.host.clock.now())
            self.model.edge_server = server
        server.build = self.release.build
        server.component_states.update({c: ("Active", "Functional") for c in EDGE_COMPONENTS})
        return server

    def _task_arguments(self, step: Step) -> str:
        dc = hostview.domain_controller(self.host)
        if step.task.lower() == "install-msipackage" and step.kind == "copy":
            msilog = self.host.expand_env(r"%SystemDrive%\ExchangeSetupLogs\ExchangeSetup.msilog")
            return (f"-logfile '{msilog}' -targetdirectory '{self.path.rstrip(chr(92))}' "
                    f"-packagepath '{self.source.rstrip(chr(92))}\\exchangeserver.msi' -updatesdir $null")
        return f"-DomainController '{dc}'" if dc else ""
