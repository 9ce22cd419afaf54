"""Fault injection for Setup.exe runs: fail at a step with a real error, WinRM restarted mid-run, slow steps, disk full,
an exit before the log.

Faults are armed on the ExchangeModel (`model.faults`) and consumed by the next Setup.exe run (`once=True`).
`REAL_ERRORS` holds error texts copied from real ExchangeSetup.log files (shared/fixtures/exchange-setup-logs,
Microsoft CSS-Exchange Setup/Tests, MIT) with the step where they occurred and their ERROR-REFERENCE component.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StepError:
    step: str  # console step name, e.g. "Mailbox role: Transport service" (case-insensitive)
    message: str  # the `[ERROR] <message>` text
    component: str = ""  # ERROR-REFERENCE component; "" = the step's own
    exception: str = "System.Exception"
    script: str = "Write-ExchangeSetupLog -Error $message;"


REAL_ERRORS: dict[str, StepError] = {
    # ExchangeSetup_ADServiceNotStarted.log (2019 CU14)
    "ad_topology": StepError("Mailbox role: Transport service", "Unable to set shared config DC.",
                             "AllADRolesCommonServiceControl",
                             script="Set-SharedConfigDC -DomainController $RoleDomainController;"),
    # ExchangeSetup_Service_Disabled.log
    "service_disabled": StepError("Mailbox role: Transport service",
                                  "Service 'Microsoft Exchange Service Host (MSExchangeServiceHost)' cannot be started "
                                  "due to the following error: Cannot start service MSExchangeServiceHost on computer '.'.",
                                  "BridgeheadRoleSetterComponent", "System.InvalidOperationException",
                                  "Start-SetupService -ServiceName MSExchangeServiceHost;"),
    # ExchangeSetup_Search_Foundation_Failure.log
    "search_foundation": StepError("Mailbox role: Mailbox service",
                                   "Failure configuring SearchFoundation through installconfig.ps1 - Error occurred "
                                   "while configuring Search Foundation for Exchange.System.TimeoutException: Timed out "
                                   "waiting for Admin node to be up and running", "SearchFoundationComponent"),
    # ExchangeSetup_Failed_Mount_Database.log (shortened after the first sentence)
    "mount_database": StepError("Mailbox role: Mailbox service",
                                'Failed to mount database "Mailbox Database 0123456789". Error: An Active Manager '
                                "operation failed. Error: The database action failed.", "MailboxServiceControlLast",
                                "Microsoft.Exchange.Cluster.Replay.AmDbActionWrapperException"),
}


@dataclass
class SetupFaults:
    """What the next run(s) should suffer."""

    fail_at: StepError | None = None
    restart_winrm_at: str = ""  # console step name: WinRM restarts when this step starts
    slow_steps: dict[str, float] = field(default_factory=dict)  # console step name (lower) -> extra simulated seconds
    disk_full_during_copy: bool = False
    # Setup.exe exits at once with this code before writing a line of ExchangeSetup.log (0: it doesn't), as a .NET
    # program does on an unhandled exception: 0xE0434352, the CLR's exception code (issue 16, item 4).
    exit_before_log: int = 0
    once: bool = True

    def slow(self, step: str, extra_seconds: float) -> None:
        self.slow_steps[step.lower()] = extra_seconds

    @property
    def armed(self) -> bool:
        return bool(self.fail_at or self.restart_winrm_at or self.slow_steps or self.disk_full_during_copy
                    or self.exit_before_log)


# ------------------------------------------------------------------------------------------ the installed server
@dataclass
class ServerFaults:
    """What the installed server suffers outside any setup run (issue 14). Armed on one host through `server_faults(host)`
    and kept until a test changes it (never consumed); simulator.exchange.verify, simulator.exchange.startup and the
    rpi.exchange.win_exchange_health stand-in read it."""

    # After each restart, Exchange's automatic services stay StartPending this many simulated seconds
    # (simulator.exchange.startup.arm_slow_start wires it; 0: they run at boot).
    slow_start_seconds: float = 0.0
    # The local /PowerShell virtual directory answers HTTP 500 (its back end is broken) while the other sites of IIS and
    # the other Exchange servers of the site still answer.
    powershell_endpoint_broken: bool = False
    # healthcheck.htm pages (virtual directory, lower case: "owa") whose status line and headers arrive but whose body
    # read then fails: "timeout" (nothing more arrives) or "reset" (the connection is closed). See verify.health_body_error.
    health_body_faults: dict[str, str] = field(default_factory=dict)
    # Automatic Exchange services (name, lower case) that Windows leaves Stopped after each restart (their start at boot
    # failed or timed out): "" when a start asked for later succeeds, otherwise the error that start gets (Start-Service's
    # text, startup.cannot_start). simulator.exchange.startup.arm_stopped_after_boot wires it (issue 16, item 8).
    stopped_after_boot: dict[str, str] = field(default_factory=dict)


_SERVER_FAULTS: "weakref.WeakKeyDictionary[object, ServerFaults]" = weakref.WeakKeyDictionary()


def server_faults(host: object) -> ServerFaults:
    """The ServerFaults of `host` (a simulator.windows.state.WindowsHost), created empty on first use."""
    faults = _SERVER_FAULTS.get(host)
    if faults is None:
        faults = _SERVER_FAULTS[host] = ServerFaults()
    return faults
