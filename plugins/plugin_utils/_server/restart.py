# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How rpi.exchange.server_restart restarts the server and tells it is back (issue 19).

ansible.windows.win_reboot (its plugin_utils/_reboot.py) waits with a fixed back-off (1, 2, 4, 8, then 12 s plus up to
1 s of jitter) that no option shortens: a restart is seen 8 to 12.6 s after the server answers again. This module keeps
win_reboot's safety and only changes the cadence:

- the boot time is read before the restart (up to 3 tries: a task that needed the restart may leave WS-Man unsettled),
  and the server is back only when a new reading differs from it (a listener that still answers from the old boot, in the
  seconds shutdown.exe leaves, is not taken for the new one);
- the same shutdown script (shutdown.exe /r /t N, rc 1190 when one is already scheduled: abort it once and send ours)
  and the same test command (LogonUI creates the AutoLogonChecked key once the logon screen is up, i.e. once the boot's
  configuration is applied), so the server is ready for management, not only answering;
- each wait (the new boot time, then the test command) uses its whole timeout, as win_reboot's do;
- between tries it first knocks at the WinRM listener's TCP port (a refused or unanswered connection costs a second,
  not a WS-Man session), and tries again every `interval` seconds (1 s by default) from the start of the last try.

The scripts are win_reboot's own texts (the simulator, tests/simulator/windows/raw.py, knows them as a real server runs
them); the only value put into them is the message, quoted as a PowerShell single-quoted literal.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.boot_time import BOOT_TIME_COMMAND

LOGON_UI_KEY = r"HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon\AutoLogonChecked"
# ansible.windows' wrapper: PowerShell's exit code follows the last command's failure (plugin_utils/_reboot.py).
FAILURE_EXIT = "; If (-not $?) { If (Get-Variable LASTEXITCODE -ErrorAction SilentlyContinue) { exit $LASTEXITCODE } Else { exit 1 } }"
ABORT_COMMAND = r"C:\Windows\System32\shutdown.exe /a"
ALREADY_SCHEDULED = 1190  # "A system shutdown has already been scheduled. (1190)"
BOOT_TIME_TRIES = 3
DEFAULT_INTERVAL = 1.0
__all__ = ["BOOT_TIME_COMMAND", "DEFAULT_INTERVAL", "GaveUp", "encoded", "shutdown_outcome", "shutdown_script",
           "test_script", "until_success"]

# Single quotes and their Unicode equivalents are doubled inside a single-quoted PowerShell literal (about_Quoting_Rules).
_QUOTES = re.compile("(['\u2018\u2019\u201a\u201b])")
_SHUTDOWN = """$ErrorActionPreference = 'Continue'

if ($True) {
    Remove-Item -LiteralPath '%s' -Force -ErrorAction SilentlyContinue
}

$stdout = $null
$stderr = . { C:\\Windows\\System32\\shutdown.exe /r /t %d /c %s | Set-Variable stdout } 2>&1 | ForEach-Object ToString

ConvertTo-Json -Compress -InputObject @{
    stdout = (@($stdout) -join "`n")
    stderr = (@($stderr) -join "`n")
    rc = $LASTEXITCODE
}
"""

T = TypeVar("T")


class GaveUp(Exception):
    """A wait ran out of time; the message is win_reboot's ("Timed out waiting for ... (timeout=N)"), which the report
    translates and ties to the activity's timeout setting (report/ansible_messages.py)."""


def quote(text: str) -> str:
    return "'" + _QUOTES.sub(r"\1\1", text) + "'"


def encoded(command: str) -> str:
    """The command line that runs `command` with win_reboot's exit-code wrapper (UTF-16LE base64, as WinRM's shell takes)."""
    script = command + FAILURE_EXIT
    return ("PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "
            + base64.b64encode(script.encode("utf-16-le")).decode())


def shutdown_script(message: str, delay_seconds: int) -> str:
    """Removes the LogonUI key (LogonUI creates it again when the new boot reaches the logon screen) and restarts."""
    return _SHUTDOWN % (LOGON_UI_KEY, int(delay_seconds), quote(message))


def test_script(token: str) -> str:
    """Succeeds, printing `token`, once LogonUI has created its key again (the same command as win_reboot's default)."""
    return f"Get-Item -LiteralPath '{LOGON_UI_KEY}' -ErrorAction Stop; '{token}'"


def shutdown_outcome(rc: int, stdout: str, stderr: str) -> tuple[int, str, str]:
    """shutdown.exe's own rc/stdout/stderr from the script's JSON (the shell's exit code may not carry it)."""
    try:
        answer = json.loads(stdout) if stdout else None
    except ValueError:
        answer = None
    if isinstance(answer, dict):
        return int(answer.get("rc") or 0), str(answer.get("stdout") or ""), str(answer.get("stderr") or "")
    return rc, stdout, stderr


def already_scheduled(rc: int, stderr: str) -> bool:
    return rc == ALREADY_SCHEDULED or (rc != 0 and f"({ALREADY_SCHEDULED})" in stderr)


@dataclass
class Clock:
    """The wall clock, injectable in tests."""
    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def until_success(attempt: Callable[[], T], timeout: float, what: str, *, interval: float = DEFAULT_INTERVAL,
                  clock: Clock | None = None, on_failure: Callable[[Exception], Any] | None = None) -> T:
    """`attempt()` until it returns (any exception is a failed try) or `timeout` seconds have passed: the whole timeout is
    used, and a try that starts before the deadline is let finish. Tries start `interval` seconds apart (at once after a
    try that took longer)."""
    clock = clock or Clock()
    deadline = clock.now() + timeout
    while True:
        started = clock.now()
        try:
            return attempt()
        except Exception as err:  # pylint: disable=broad-exception-caught  # a server coming back fails in many ways
            if on_failure is not None:
                on_failure(err)
            last = err
        if clock.now() >= deadline:
            raise GaveUp(f"Timed out waiting for {what} (timeout={timeout}): {last}") from last
        clock.sleep(max(0.0, min(started + interval, deadline) - clock.now()))
