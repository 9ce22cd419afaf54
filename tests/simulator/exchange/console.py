"""Setup.exe's unattended console output (what win_command shows as stdout) (exchange-facts §4.2).

Format from the unattended console quoted in exchange-facts §4.2 [3P Q&A 1288889 (CU13); CU15 console, source
not recorded]; column padding is approximate there and here. Prerequisite errors print `Error:` blocks with a
`For more information, visit:` link [3P Q&A 1035261]. The reboot advice line after a server install is verified only
for Exchange 2010 [UNCONFIRMED for 2019/SE]; it is printed because Microsoft requires the restart anyway [S1].
"""

from __future__ import annotations

from .readiness import Outcome
from .setuplog import FAILED_LINE, SUCCESS_LINE

REBOOT_ADVICE = ("Setup has made changes to operating system settings that require a reboot to take effect. Please "
                 "reboot this server prior to placing it into production.")
ROLE_LINES = {"Mailbox": ("Languages", "Management tools", "Mailbox role: Transport service",
                          "Mailbox role: Client Access service", "Mailbox role: Mailbox service",
                          "Mailbox role: Front End Transport service", "Mailbox role: Client Access Front End service"),
              "ManagementTools": ("Languages", "Management tools")}


class Console:
    def __init__(self, title: str) -> None:
        self.lines: list[str] = [title, ""]

    def text(self) -> str:
        return "\r\n".join(self.lines) + "\r\n"

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def status(self, name: str, state: str) -> None:
        self.lines.append(f"    {name:<58}{state}")

    def copying(self) -> None:
        self.add("Copying Files...", "File copy complete. Setup will now collect additional information needed for "
                 "installation.", "")

    def roles(self, roles: list[str]) -> None:
        lines: list[str] = []
        for role in roles:
            lines += [x for x in ROLE_LINES.get(role, ()) if x not in lines]
        if lines:
            self.add(*lines, "")

    def prereq(self, failures: list[Outcome], warnings: list[Outcome] | None = None) -> None:
        self.add("Performing Microsoft Exchange Server Prerequisite Check", "")
        self.status("Configuring Prerequisites", "COMPLETED")
        self.status("Prerequisite Analysis", "FAILED" if failures else "COMPLETED")
        for outcome in failures:
            self.add("", " Error:", " " + outcome.message, " For more information, visit: " + outcome.help_url)
        for outcome in warnings or []:
            self.add("", " Warning:", " " + outcome.message, " For more information, visit: " + outcome.help_url)
        self.add("")

    def configuring(self) -> None:
        self.add("Configuring Microsoft Exchange Server", "")

    def step_failed(self, name: str, script: str, detail: str) -> None:
        self.status(name, "FAILED")
        self.add(f' The following error was generated when "$error.Clear(); {script}" was run: "{detail}".', "")

    def failed(self) -> None:
        self.add("", FAILED_LINE)

    def error(self, message: str) -> None:
        self.add("", " Error:", " " + message, "", FAILED_LINE)

    def succeeded(self, reboot_advice: bool) -> None:
        self.add("", SUCCESS_LINE)
        if reboot_advice:
            self.add(REBOOT_ADVICE)
