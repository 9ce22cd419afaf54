"""Writer for `<SystemDrive>:\\ExchangeSetupLogs\\ExchangeSetup.log` in the real line format (exchange-facts §4.1, §4.2).

Line format `[MM/dd/yyyy HH:mm:ss.0fff] [<depth>] <text>`: the real logs print a literal `0` and milliseconds after
the seconds (e.g. `13:39:58.0893`) [S2 Setup/Tests/*.log]; lines end with CRLF; each run appends to the same file.
Texts below are verbatim from the real logs in shared/fixtures/exchange-setup-logs unless marked otherwise.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Callable, Iterable

STARS = "*" * 46
SHORT_STARS = "*" * 14
FAILED_LINE = ("The Exchange Server setup operation didn't complete.  More details can be found in ExchangeSetup.log "
               "located in the <SystemDrive>:\\ExchangeSetupLogs folder.")  # two spaces: exchange-facts §4.2 [S2]
SUCCESS_LINE = "The Exchange Server setup operation completed successfully."
PREREQ_FAILED_LINE = "Exchange Server installation failed during prereq check. Trying to restore the server state back to active."
ERROR_COMPONENT = "EXCHANGE14:\\Current\\Release\\Shared\\Datacenter\\Setup"
LEGACY_HELP_URL = "http://technet.microsoft.com/library(EXCHG.150)/ms.exch.setupreadiness.{rule}.aspx"


def format_line(when: datetime, depth: int, text: str) -> str:
    return f"[{when:%m/%d/%Y %H:%M:%S}.0{when.microsecond // 1000:03d}] [{depth}] {text}"


def error_reference_id(component: str) -> str:
    """`<Component>___<32 hex>` as in `[ERROR-REFERENCE] Id=...` and the registry Watermark (exchange-facts §3.3)."""
    return f"{component}___{secrets.token_hex(16)}"


class SetupLogWriter:
    """Appends timestamped lines through `sink` (which writes the host file); `now` gives simulated local time."""

    def __init__(self, now: Callable[[], datetime], sink: Callable[[str], None]) -> None:
        self._now = now
        self._sink = sink
        self.lines: list[str] = []  # this run's lines, for tests and console rendering

    def line(self, depth: int, text: str) -> None:
        formatted = format_line(self._now(), depth, text)
        self.lines.append(formatted)
        self._sink(formatted + "\r\n")

    def many(self, depth: int, texts: Iterable[str]) -> None:
        for text in texts:
            self.line(depth, text)

    # --- the start of every run -----------------------------------------------------------------------------------
    def banner(self, product: str, *, time_zone: str, setup_version: str, user: str) -> None:
        self.many(0, (
            STARS,
            f"Starting Microsoft Exchange Server {product} Setup",  # SE: "Subscription Edition" (§4.2 S2 regex)
            STARS,
            f"Local time zone: {time_zone}.",
            "Operating system version: Microsoft Windows NT 6.2.9200.0.",  # the OS version lie, §4.2 [S2]
            f"Setup version: {setup_version}.",
            f"Logged on user: {user}.",
        ))

    def parameters(self, params: list[tuple[str, str]], runtime_command: str) -> None:
        for name, value in params:
            self.line(0, f"Command Line Parameter Name='{name}', Value='{value}'.")
        self.line(0, f"RuntimeAssembly was started with the following command: '{runtime_command}'.")

    def local_state(self, *, installed_version: str | None, unpacked: list[str], installed: list[str]) -> None:
        if installed_version is None:
            self.many(0, ("The registry key, HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Exchange\\v8.0, wasn't found.",
                          "The registry key, HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v14, wasn't found.",
                          "The registry key, HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\Setup, "
                          "wasn't found."))
        self.line(0, "The following roles have been unpacked: " + " ".join(unpacked))
        self.line(0, "The following datacenter roles are unpacked: ")
        self.line(0, "The following roles are installed: " + " ".join(installed))
        self.line(0, "The local server has some Exchange files installed." if unpacked
                  else "The local server does not have any Exchange files installed.")

    # --- the readiness check ---------------------------------------------------------------------------------------
    def prereq_start(self, task_line: str) -> None:
        self.line(0, "Performing Microsoft Exchange Server Prerequisite Check")
        self.line(0, SHORT_STARS)
        self.line(0, "Setup will run the task 'test-SetupPrerequisites'")
        self.line(1, f"Setup launched task '{task_line}'")
        self.line(1, "Beginning processing test-SetupPrerequisites")
        self.line(1, "Started [Analysis:Prereq]")

    def rule_evaluated(self, name: str, rule_type: str, parent: str, value: bool, thread: int) -> None:
        self.line(1, f"Started [Rule:{name}] [Parent:{parent}] [RuleType:{rule_type}]")
        self.line(1, f'Evaluated [Rule:{name}] [HasException:False] [Value:"{value}"] [ParentValue:"<NULL>"] '
                     f"[Thread:{thread}] [Duration:00:00:00]")
        self.line(1, f"Finished [Rule:{name}] [Duration:00:00:00]")

    def prereq_failures(self, failures: list[tuple[str, str, str]]) -> None:
        """(rule, message, help url): all `Failed` lines first, then `[REQUIRED]` + `Help URL` pairs [S2 NoPerm log]."""
        self.line(1, "Finished [Analysis:Prereq] [Duration:00:00:00]")
        for rule, message, _url in failures:
            self.line(1, f"Failed [Rule:{rule}] [Message:{message}]")
        for _rule, message, url in failures:
            self.line(1, f"[REQUIRED] {message}")
            self.line(1, f"Help URL: {url}")
        self.line(1, "Ending processing test-SetupPrerequisites")

    def prereq_passed(self) -> None:
        self.line(1, "Finished [Analysis:Prereq] [Duration:00:00:00]")
        self.line(1, "Ending processing test-SetupPrerequisites")

    # --- tasks --------------------------------------------------------------------------------------------------------
    def task_start(self, task: str, arguments: str) -> None:
        self.line(0, SHORT_STARS)
        self.line(0, f"Setup will run the task '{task}'")
        self.line(1, f"Setup launched task '{task} {arguments}'" if arguments else f"Setup launched task '{task}'")
        self.line(1, f"Beginning processing {task}")

    def task_end(self, task: str) -> None:
        self.line(1, f"Ending processing {task}")

    def task_error(self, task: str, reference_id: str, message: str, script: str, exception: str) -> None:
        """The block a failing task writes (exchange-facts §4.2; ExchangeSetup_ADServiceNotStarted.log)."""
        self.many(1, (
            "The following 1 error(s) occurred during task execution:",
            f"0.  ErrorRecord: {message}",
            f"0.  ErrorRecord: {exception}: {message}",
            f'[ERROR] The following error was generated when "$error.Clear(); {script}" was run: "{exception}: {message}".',
            f"[ERROR] {message}",
            f"[ERROR-REFERENCE] Id={reference_id} Component={ERROR_COMPONENT}",
            "Setup is stopping now because of one or more critical errors.",
            "Finished executing component tasks.",
            f"Ending processing {task}",
        ))

    # --- the end of every run ---------------------------------------------------------------------------------------
    def end_failed(self, *, after_prereq: bool, registry_missing: bool) -> None:
        self.line(0, "CurrentResult console.ProcessRunInternal:" + ("136" if after_prereq else "198") + ": 1")
        if after_prereq:
            self.line(0, PREREQ_FAILED_LINE)
        self.many(0, ("CurrentResult launcherbase.maincore:90: 1", "CurrentResult console.startmain:52: 1",
                      "CurrentResult SetupLauncherHelper.loadassembly:452: 1", FAILED_LINE, "CurrentResult main.run:235: 1"))
        if registry_missing:
            self.line(0, "The registry key, HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\V15\\Setup, wasn't found.")
        self.many(0, ("CurrentResult setupbase.maincore:396: 1", "End of Setup", STARS))

    def end_succeeded(self) -> None:
        self.many(0, (SUCCESS_LINE, "CurrentResult console.ProcessRunInternal:205: 0",
                      "CurrentResult launcherbase.maincore:90: 0", "CurrentResult console.startmain:52: 0",
                      "CurrentResult SetupLauncherHelper.loadassembly:452: 0", "CurrentResult main.run:235: 0",
                      "CurrentResult setupbase.maincore:396: 0", "End of Setup", STARS))


def local_time(utc: datetime, offset_minutes: int) -> datetime:
    return (utc + timedelta(minutes=offset_minutes)).replace(tzinfo=None)
