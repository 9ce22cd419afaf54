"""Raw commands: what `raw` and the win_reboot action plugin send (winrm-wire-facts §2.1, last part).

ansible.windows' plugin_utils/_reboot.py sends, each as `<command>; If (-not $?) { ... exit ... }`:
1. the boot-time query `(Get-CimInstance -ClassName Win32_OperatingSystem -Property LastBootUpTime).LastBootUpTime.ToFileTime()`;
2. a script that removes HKLM:\\...\\Winlogon\\AutoLogonChecked, runs `shutdown.exe /r /t N /c <msg>` and prints
   ConvertTo-Json @{stdout; stderr; rc} (rc 1190 when a shutdown is already scheduled, then `shutdown.exe /a`);
3. `Get-Item -LiteralPath 'HKLM:\\...\\AutoLogonChecked' -ErrorAction Stop; 'success-<uuid>'` until it succeeds
   (LogonUI recreates the key once the machine is up; the model creates it at boot);
4. the boot-time query again. A user `test_command` (e.g. `whoami`) goes through commands.py.
The CIM query fails while WMI is disabled (wmi.py); a `boot_time_command` reading the System log does not.
"""

from __future__ import annotations

import json
import re

from ..invocation import CommandResult
from . import commands
from .modules._common import filetime
from .state import ShutdownScheduledError, WindowsHost
from .wmi import CimUnavailable, require_cim

_REBOOT_SUFFIX = re.compile(r";\s*If \(-not \$\?\) \{ If \(Get-Variable LASTEXITCODE -ErrorAction SilentlyContinue\) "
                            r"\{ exit \$LASTEXITCODE \} Else \{ exit 1 \} \}\s*$", re.I)
_BOOT_TIME = re.compile(r"^\(Get-CimInstance\s+(-ClassName\s+)?Win32_OperatingSystem(\s+-Property\s+LastBootUpTime)?\)"
                        r"\.LastBootUpTime\.ToFileTime\(\)$", re.I)
_SHUTDOWN_SCRIPT = re.compile(r"^\$ErrorActionPreference = 'Continue'\s+if \(\$(?P<clear>True|False)\) \{\s+Remove-Item "
                              r"-LiteralPath '(?P<key>[^']+)'.*?shutdown\.exe /r /t (?P<delay>\d+) /c (?P<msg>.+?) \| "
                              r"Set-Variable stdout", re.I | re.S)
# The boot time without WMI: the System log's first event of each boot, Kernel-General 12 ("The operating system started
# at system time ..."), read through the Event Log service, which Exchange setup leaves running (wmi.py).
_BOOT_EVENT = re.compile(r"^\(Get-WinEvent\s+-FilterHashtable\s+@\{\s*LogName\s*=\s*'System'\s*;\s*ProviderName\s*=\s*"
                         r"'Microsoft-Windows-Kernel-General'\s*;\s*Id\s*=\s*12\s*\}\s+-MaxEvents\s+1\)"
                         r"\.TimeCreated\.ToFileTime\(\)$", re.I)
# Real seconds a delayed shutdown waits at least, at any clock speed (WindowsHost.reboot's min_real_delay).
SHUTDOWN_GRACE_SECONDS = 0.5
_TEST_COMMAND = re.compile(r"^Get-Item -LiteralPath '(?P<key>[^']+)' -ErrorAction Stop; '(?P<token>[^']*)'$", re.I)


def _out(text: str, rc: int = 0, err: str = "") -> CommandResult:
    return CommandResult(rc, (text + "\r\n").encode("utf-8") if text else b"", err.encode("utf-8"))


def run_raw(host: WindowsHost, script: str, user: str, auth: str = "basic") -> CommandResult:
    text = _REBOOT_SUFFIX.sub("", script.strip()).strip()
    if _BOOT_TIME.match(text):
        try:
            require_cim(host)
        except CimUnavailable as err:
            return _out("", 1, f"Get-CimInstance : {err}\r\n    + CategoryInfo          : NotSpecified: (:) [Get-CimInstance], "
                               "CimException\r\n    + FullyQualifiedErrorId : HRESULT 0x80070422,"
                               "Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand")
        return _out(str(filetime(host.boot_time)))
    if _BOOT_EVENT.match(text):
        return _out(str(filetime(host.boot_time)))
    m = _SHUTDOWN_SCRIPT.match(text)
    if m:
        return _shutdown_script(host, m)
    m = _TEST_COMMAND.match(text)
    if m:
        if host.registry.key_exists(m.group("key")):
            name = m.group("key").rsplit("\\", 1)[-1]
            listing = (f"\r\n\r\n    Hive: HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\r\n\r\n\r\n"
                       f"Name                           Property\r\n----                           --------\r\n{name}\r\n\r\n")
            return CommandResult(0, (listing + m.group("token") + "\r\n").encode("utf-8"))
        err = (f"Get-Item : Cannot find path '{m.group('key')}' because it does not exist.\r\n"
               f"    + CategoryInfo          : ObjectNotFound: ({m.group('key')}:String) [Get-Item], ItemNotFoundException")
        return _out("", 1, err)
    shell = commands.Shell(user, "raw", powershell=True, network_credentials=auth.lower() in ("basic", "credssp"))
    result = commands.run(host, text, shell)
    return CommandResult(result.rc, result.stdout.encode("utf-8"), result.stderr.encode("utf-8"))


def _shutdown_script(host: WindowsHost, m: re.Match[str]) -> CommandResult:
    if m.group("clear").lower() == "true":
        host.registry.delete_key(m.group("key"))
    rc, stderr = 0, ""
    try:
        # A real `shutdown /t N` leaves N seconds: the client receives this output and closes the command first.
        host.reboot(int(m.group("delay")), "win_reboot: " + m.group("msg").strip("'"), min_real_delay=SHUTDOWN_GRACE_SECONDS)
    except ShutdownScheduledError:
        rc, stderr = 1190, "A system shutdown has already been scheduled.(1190)"
    return _out(json.dumps({"stdout": "", "stderr": stderr, "rc": rc}, separators=(",", ":")))
