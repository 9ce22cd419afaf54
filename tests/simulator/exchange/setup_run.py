"""One Setup.exe run: command line, discovery, mode checks, readiness, then the steps on simulated time.

What a run does, in order (log texts from the real logs, exchange-facts §4.2):
1. banner and `Command Line Parameter` lines (+ the `sourcedir` the launcher adds, §1.3), copy to
   %WinDir%\\Temp\\ExchangeSetup (§4.1) — except when started from `V15\\Bin` (§6.7: no copy, sourcedir = Bin);
2. local state and AD discovery (`Setup will use the domain controller ...`, organization, server object); when the
   account can't reach AD (double hop, §6.1) an `[ERROR] Setup encountered a problem while validating the state of
   Active Directory: ...` line and the AdInitErrorRule failure;
3. `/InstallWindowsComponents` installs the missing Windows features (§1.3, §2.4) before the analysis;
4. `test-SetupPrerequisites` (readiness.py); a failure ends the run with exit code 1 and no install changes;
5. the plan's steps (steps.py), applied lazily on simulated time (timeline.py); setup ends with a required restart
   (PendingFileRenameOperations, §6.4) and exit code 0, or 1 with `[ERROR]`/`[ERROR-REFERENCE]` and a Watermark left.
Services: setup starts the Automatic Exchange services at Finalizing Setup (except transport with
/DoNotStartTransport); the reboot that must follow restarts them (Automatic). Health endpoints need that reboot
(runtime.Options.health_requires_reboot).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..windows import paths
from ..windows.filesystem import FsError
from ..windows.programs import ProgramResult, ProgramRun
from ..windows.state import PENDING_FILE_RENAME
from . import hostview
from .builds import Build, Release, release_for_build
from .commandline import SetupCommand, SetupCommandLineError, parse
from .console import Console
from .execution import Execution
from .prereqs import required_features
from .readiness import AdFacts, ReadinessInput, ReadinessReport, evaluate
from .setuplog import FAILED_LINE, STARS, SetupLogWriter
from .validation import check_mode, check_target_dir

if TYPE_CHECKING:
    from ..windows.state import WindowsHost
    from .runtime import ExchangeModel

LOG_PATH = "C:\\ExchangeSetupLogs\\ExchangeSetup.log"  # where it is on a server with Windows on C:
TEMP_SETUP = "%SystemRoot%\\Temp\\ExchangeSetup"  # setup copies itself here and runs ExSetup.exe from it (log lines below)
NOT_MODELLED = "The simulated Exchange server does not model {what}; use a Mailbox, EdgeTransport or ManagementTools install."
PRECHECK = {"Install": "PrecheckInstall", "BuildToBuildUpgrade": "PrecheckUpgrade", "DisasterRecovery": "PrecheckDR"}


def setup_log_path(host: "WindowsHost") -> str:
    """Setup logs to <SystemDrive>\\ExchangeSetupLogs, whatever drive Windows is on (exchange-facts §4.1; the log's
    own closing line says "located in the <SystemDrive>:\\ExchangeSetupLogs folder", §4.2)."""
    return host.expand_env("%SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log")


class SetupRun:
    def __init__(self, model: "ExchangeModel", run: ProgramRun) -> None:
        self.model = model
        self.host = model.host
        self.run = run
        self.cursor: datetime = self.host.now()
        self.log = SetupLogWriter(self._log_time, self._append)
        self.timeline = _DoneTimeline(self.cursor)
        self.release: Release | None = None
        self.command: SetupCommand | None = None
        self.report: ReadinessReport | None = None
        self.rc = 1

    # --- plumbing ---------------------------------------------------------------------------------------------------
    def _log_time(self) -> datetime:
        return self.cursor.replace(tzinfo=None)  # the simulated host keeps UTC as its local time

    def _append(self, text: str) -> None:
        try:
            self.host.fs.write(setup_log_path(self.host), text.encode("utf-8"), append=True)
        except FsError as err:  # a full disk loses log lines, as on a real server
            self.host.log(f"ExchangeSetup.log write failed: {err}")

    def tick(self, seconds: float) -> None:
        self.cursor += timedelta(seconds=seconds)

    def _fail_early(self, console: Console, message: str, *, registry_missing: bool) -> ProgramResult:
        self.log.line(0, f"[ERROR] {message}")
        self.log.end_failed(after_prereq=False, registry_missing=registry_missing)
        console.error(message)
        return ProgramResult(rc=1, stdout=console.text(), duration_seconds=self._elapsed())

    def _elapsed(self) -> float:
        return (self.cursor - self.timeline.start).total_seconds()

    # --- the run ----------------------------------------------------------------------------------------------------
    def start(self) -> ProgramResult:
        node = self.host.fs.get(self.run.executable) if paths.is_absolute(self.run.executable) else None
        release = release_for_build(node.version) if node is not None and node.version else None
        if release is None:
            msg = f"simulated: '{self.run.executable}' is not Exchange 2019 CU10+/SE installation media."
            self.host.log(msg)
            return ProgramResult(rc=1, stderr=msg)
        self.release = release
        self.timeline = _DoneTimeline(self.cursor)
        if self.model.faults.exit_before_log:
            return self._exit_before_log(self.model.take_faults().exit_before_log)
        install = self.model.install
        installed = install.installed_build()
        from_bin = installed is not None and paths.is_within(self.run.executable, install.install_path() + "Bin")
        source = paths.parent(self.run.executable) or "D:\\"
        console = Console(release.console_title)
        self.log.banner(release.log_product, time_zone="(UTC) Coordinated Universal Time",
                        setup_version=str(release.build), user=self.run.user)
        try:
            self.command = cmd = parse(self.run.argv, release)
        except SetupCommandLineError as err:
            return self._fail_early(console, str(err), registry_missing=installed is None)
        self._header(cmd, source, from_bin)
        who = hostview.identity(self.host, self.run)
        ad = hostview.ad_facts(self.host, who, self.model.org)
        server = self.model.org.server(self.host.hostname) if ad.reachable else None
        self._discovery(cmd, ad, server is not None, installed, source, from_bin)
        console.copying()
        if cmd.scenario in ("uninstall", "provision"):
            what = {"uninstall": "/Mode:Uninstall",
                    "provision": "delegated setup provisioning"}[cmd.scenario]
            self.host.log("simulated: " + NOT_MODELLED.format(what=what))
            return self._fail_early(console, NOT_MODELLED.format(what=what), registry_missing=installed is None)
        error = None if from_bin else (check_target_dir(cmd, self.host.fs) or check_mode(
            cmd, release, installed, install.roles_with("ConfiguredVersion"), server,
            tuple(m.action for m in install.watermarks()), self.host.fqdn))
        if error:
            return self._fail_early(console, error, registry_missing=installed is None)
        console.roles(cmd.roles or (["Mailbox"] if cmd.scenario in ("upgrade", "recover") else []))
        facts = hostview.host_facts(self.host, watermarks=install.watermarks(), installed_build=installed)
        components = self._install_windows_components(cmd)
        self.report = evaluate(ReadinessInput(cmd, release, facts, ad, components_installed_by_setup=components))
        self._log_readiness(cmd)
        console.prereq(self.report.failures)
        if not self.report.passed:
            self._prereq_failed()
            console.failed()
            return ProgramResult(rc=1, stdout=console.text(), duration_seconds=self._elapsed())
        console.configuring()
        execution = Execution(self, cmd, release, ad, server, from_bin, source)
        return execution.launch(console)

    def _exit_before_log(self, code: int) -> ProgramResult:
        """Setup.exe dies before its banner (faults.exit_before_log): no ExchangeSetup.log line, nothing changed, the
        code as the process's exit code (negative when its top bit is set, as Windows' signed exit codes are)."""
        self.rc = code - 2**32 if code >= 2**31 else code
        self.host.log(f"Exchange setup exited with 0x{code & 0xFFFFFFFF:08X} before writing ExchangeSetup.log")
        return ProgramResult(rc=self.rc, duration_seconds=1.0)

    # --- log sections -----------------------------------------------------------------------------------------------
    def _header(self, cmd: SetupCommand, source: str, from_bin: bool) -> None:
        params = cmd.log_parameters() + [("sourcedir", source)]
        given = " ".join(self.run.argv)
        self.log.parameters(params, f"/sourcedir:{source.rstrip(chr(92))} {given}".strip())
        if from_bin:
            self.log.line(0, f"Assembly dll file location is {source}\\Microsoft.Exchange.Setup.Console.dll")
            return
        self.log.line(0, "Copying Files...")
        self.log.line(0, f"Starting copy from {source.rstrip(chr(92))}\\Setup\\ServerRoles\\Common to {self.host.expand_env(TEMP_SETUP)}.")
        self.tick(15)
        try:
            self.host.fs.mkdir(self.host.expand_env(TEMP_SETUP))
        except FsError as err:
            self.host.log(f"copy to {self.host.expand_env(TEMP_SETUP)} failed: {err}")
        self.log.line(0, f"Finished copy from {source.rstrip(chr(92))}\\Setup\\ServerRoles\\Common to {self.host.expand_env(TEMP_SETUP)}.")
        # The real line ends with an extra newline: an empty line follows it [S2 Reboot_Pending.log].
        self.log.line(0, "File copy complete.  Setup will now collect additional information needed for installation.\r\n")
        self.log.line(0, f"Assembly dll file location is {self.host.expand_env(TEMP_SETUP)}\\Microsoft.Exchange.Setup.Console.dll")

    def _discovery(self, cmd: SetupCommand, ad: AdFacts, server_found: bool, installed: Build | None, source: str,
                   from_bin: bool) -> None:
        install, org, host = self.model.install, self.model.org, self.host
        reachable = ad.reachable
        self.log.local_state(installed_version=str(installed) if installed else None,
                             unpacked=install.roles_with("UnpackedVersion"),
                             installed=install.roles_with("ConfiguredVersion"))
        self.tick(3)
        if cmd.scenario == "install-edge" or "GatewayRole" in install.roles_with("ConfiguredVersion"):
            # An Edge Transport server reads no Active Directory: no domain controller, no organisation, no server
            # object in AD (its own lives in AD LDS) [S1 install-edge-transport-role; exchange-facts §1.3: /DomainController
            # applies to every mode "except Edge install"].
            reachable = False
        else:
            self._choose_dc(ad, server_found)
        self.log.line(0, f"Server Name={host.hostname}")
        self.log.line(0, f"Setup will use the path '{source}' for installing Exchange.")
        self.log.line(0, f"The installation mode is set to: '{cmd.installation_mode}'.")
        if reachable:
            release = self.release
            assert release is not None
            self.log.line(0, f"An Exchange organization with name '{org.name}' was found in this forest." if org.exists
                          else "No Exchange organization was found in this forest.")
            self.log.many(0, ("Active Directory Initialization status : 'True'.",
                              f"Schema Update Required Status : '{org.schema_range_upper < release.ad.schema_range_upper}'.",
                              "Organization Configuration Update Required Status : "
                              f"'{org.org_object_version < release.ad.org_object_version}'.",
                              "Domain Configuration Update Required Status : "
                              f"'{org.domain_object_version < release.ad.domain_object_version}'."))
        if installed:
            self.log.line(0, f"The locally installed version is {installed}.")
            self.log.line(0, f"Exchange Installation Directory : '{install.install_path().rstrip(chr(92))}'.")
        self.log.line(0, f"Setup will run from path '{source if from_bin else self.host.expand_env(TEMP_SETUP)}'.")

    def _choose_dc(self, ad: AdFacts, server_found: bool) -> None:
        org, host = self.model.org, self.host
        reachable, failure = ad.reachable, ad.failure
        self.log.line(0, "Setup is choosing the domain controller to use")
        self.log.line(0, "Setup is choosing a local domain controller...")
        dc = hostview.domain_controller(host)
        if not reachable:
            self.tick(20)
            if host.domain_member:
                self.log.line(0, "[ERROR] Setup encountered a problem while validating the state of Active Directory: "
                                 f"{failure} See the Exchange setup log for more information on this error.")
        else:
            root = ",".join(f"DC={p}" for p in host.domain.fqdn.split("."))  # type: ignore[union-attr]
            self.log.many(0, (f"Setup has chosen the local domain controller {dc} for initial queries",
                              f"Setup will use the domain controller '{dc}'.", f"Setup will use the global catalog '{dc}'.",
                              "Exchange configuration container for the organization is "
                              f"'CN=Microsoft Exchange,CN=Services,CN=Configuration,{root}'."))
            if org.exists:
                self.log.line(0, f"Exchange organization container for the organization is 'CN={org.name},CN=Microsoft "
                                 f"Exchange,CN=Services,CN=Configuration,{root}'.")
            self.log.line(0, f"Setup will search for an Exchange Server object for the local machine with name "
                             f"'{host.hostname}'.")
            self.log.line(0, f"Exchange Server object found : 'CN={host.hostname},CN=Servers,CN=Exchange Administrative "
                             f"Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN={org.name},CN=Microsoft Exchange,"
                             f"CN=Services,CN=Configuration,{root}'." if server_found
                          else f"No Exchange Server with identity '{host.hostname}' was found.")

    def _install_windows_components(self, cmd: SetupCommand) -> bool:
        """`/InstallWindowsComponents`: "Installs the required Windows roles and features" (§1.3); no restart needed
        afterwards per Microsoft (§2.4), so a CBS flag raised by this very install does not fail the analysis."""
        if not cmd.has("InstallWindowsComponents"):
            return False
        scenario = "install-mailbox" if cmd.scenario in ("upgrade", "recover") else cmd.scenario
        missing = [f for f in required_features(scenario, self.host.os.is_core) if not self.host.feature_installed(f)]
        # Wording of this line [UNCONFIRMED]: the real logs at hand were not run with /InstallWindowsComponents.
        self.log.line(0, "Setup will install the required Windows features: " + (", ".join(missing) or "(none)"))
        if missing:
            try:
                self.host.install_features(missing)
            except (KeyError, FsError) as err:
                self.log.line(0, f"[WARNING] Installing Windows features failed: {err}")
                return False
            self.tick(60 + 20 * len(missing))
        return True

    def _log_readiness(self, cmd: SetupCommand) -> None:
        assert self.release is not None and self.report is not None
        roles = ",".join(cmd.roles) or ("Global" if cmd.prepare else "Mailbox")
        switches = " ".join(f"-{p} $true" for p in cmd.prepare)
        task = (f"test-SetupPrerequisites -DomainController '{hostview.domain_controller(self.host)}' -ExchangeVersion "
                f"'{self.release.build}' -Roles '{roles}' -ScanType '{PRECHECK.get(cmd.installation_mode, 'PrecheckInstall')}' "
                f"-SetupRoles '{roles}' {switches}").rstrip()
        self.log.line(0, "Setup is determining what organization-level operations to perform.")
        self.log.prereq_start(task)
        for thread, outcome in enumerate(self.report.outcomes, start=5):
            self.log.rule_evaluated(outcome.rule, outcome.rule_type, outcome.parent, outcome.value, thread % 24)
        self.tick(10 + len(self.report.outcomes) * 0.05)
        failures = [(o.rule, o.message, o.help_url) for o in self.report.failures]
        if failures:
            self.log.prereq_failures(failures)
        else:
            self.log.prereq_passed()

    def _prereq_failed(self) -> None:
        """The real tail after a prerequisite failure [S2 Reboot_Pending.log]."""
        self.log.line(0, "CurrentResult console.ProcessRunInternal:136: 1")
        self.log.line(0, "Exchange Server installation failed during prereq check. Trying to restore the server state "
                         "back to active.")
        self.log.line(0, f"RestoreServer Script Path: {self.host.expand_env(TEMP_SETUP)}\\RestoreServerOnPrereqFailure.ps1")
        server = self.model.org.server(self.host.hostname)
        if server is None:
            self.log.line(0, f"[WARNING] {self.host.hostname} is not an Exchange Server. Unable to set monitoring and "
                             "server state to active.")
        else:
            for component in ("Monitoring", "RecoveryActionsEnabled", "ServerWideOffline"):
                server.component_states[component] = ("Active", "Functional")
                self.log.line(0, f"Restoring server state. {component} has been set to Active.")
        self.log.many(0, ("CurrentResult launcherbase.maincore:90: 1", "CurrentResult console.startmain:52: 1",
                          "CurrentResult SetupLauncherHelper.loadassembly:452: 1"))
        self.log.line(0, FAILED_LINE)
        self.log.line(0, "CurrentResult main.run:235: 1")
        if self.model.install.installed_build() is None:
            self.log.line(0, "The registry key, HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\Setup, "
                             "wasn't found.")
        self.log.many(0, ("CurrentResult setupbase.maincore:396: 1", "End of Setup", STARS))

    def set_pending_restart(self) -> None:
        """"You need to restart the computer" after install/CU (§6.4); Session Manager is what setup itself checks."""
        self.host.set_pending_reboot(PENDING_FILE_RENAME, "\\??\\C:\\Windows\\Temp\\ExchangeSetup\\Setup.sim")


class _DoneTimeline:
    """Timeline stand-in for runs that end before any step (parse errors, refusals)."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.done = True

    def flush(self, now: datetime) -> None:
        del now

    def finish(self) -> None:
        return None
