"""win_reboot's raw command sequence (ansible.windows plugin_utils/_reboot.py) against the model.

The real `reboot_host()` from ansible.windows drives a fake connection whose exec_command decodes the
`PowerShell -EncodedCommand` line into a raw Invocation, as the payload adapter does.
"""

from __future__ import annotations

import base64
import json
import re

import pytest

from simulator.invocation import Invocation, Session
from simulator.windows import presets
from simulator.windows.dispatch import execute
from simulator.windows.modules._common import filetime
from simulator.windows.state import AUTO_LOGON_CHECKED, WindowsHost

SESSION = Session("RPI\\svc-ansible", "basic")
SUFFIX = ("; If (-not $?) { If (Get-Variable LASTEXITCODE -ErrorAction SilentlyContinue) { exit $LASTEXITCODE } "
          "Else { exit 1 } }")


class FakeConnection:
    """Just enough of a connection plugin for reboot_host()."""

    def __init__(self, host: WindowsHost) -> None:
        self.host = host
        self.scripts: list[str] = []

    def exec_command(self, cmd: str, in_data: bytes | None = None, sudoable: bool = True) -> tuple[int, bytes, bytes]:
        encoded = re.search(r"-EncodedCommand (\S+)", cmd).group(1)  # type: ignore[union-attr]
        script = base64.b64decode(encoded).decode("utf-16-le")
        self.scripts.append(script)
        if not self.host.is_up():
            from ansible.errors import AnsibleConnectionFailure  # pylint: disable=import-outside-toplevel
            raise AnsibleConnectionFailure("connection refused")
        res = execute(self.host, Invocation("raw", script=script), SESSION)
        return res.rc, res.stdout, res.stderr

    def get_option(self, name: str) -> object:
        raise KeyError(name)

    def close(self) -> None:
        pass

    def reset(self) -> None:
        pass


def test_real_reboot_host_sequence_reboots_the_model() -> None:
    reboot_mod = pytest.importorskip("ansible_collections.ansible.windows.plugins.plugin_utils._reboot")
    host = presets.build("ws2022-ready-pending-reboot-cbs")
    before = host.boot_time
    conn = FakeConnection(host)
    result = reboot_mod.reboot_host("ansible.windows.win_reboot", conn, reboot_timeout=30)
    assert result["failed"] is False, result
    assert result["rebooted"] is True and result["changed"] is True
    assert host.boot_time > before and host.reboot_count == 1
    assert host.pending_reboot() == []
    kinds = [s.split("\n")[0][:40] for s in conn.scripts]
    assert kinds[0].startswith("(Get-CimInstance")
    assert kinds[1].startswith("$ErrorActionPreference = 'Continue'")
    assert any(s.startswith("Get-Item -LiteralPath 'HKLM:") for s in conn.scripts)


def test_raw_commands_directly() -> None:
    host = presets.build("ws2022-ready")
    boot_query = "(Get-CimInstance -ClassName Win32_OperatingSystem -Property LastBootUpTime).LastBootUpTime.ToFileTime()"
    res = execute(host, Invocation("raw", script=boot_query + SUFFIX), SESSION)
    assert res.rc == 0 and int(res.stdout) == filetime(host.boot_time)
    test_cmd = "Get-Item -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\AutoLogonChecked' " \
               "-ErrorAction Stop; 'success-123'"
    assert b"success-123" in execute(host, Invocation("raw", script=test_cmd + SUFFIX), SESSION).stdout
    host.registry.delete_key(AUTO_LOGON_CHECKED)
    res = execute(host, Invocation("raw", script=test_cmd + SUFFIX), SESSION)
    assert res.rc == 1 and b"Cannot find path" in res.stderr
    res = execute(host, Invocation("raw", script="whoami"), SESSION)
    assert res.stdout.strip() == b"rpi\\svc-ansible"


def test_second_shutdown_reports_1190_and_abort() -> None:
    from simulator.clock import Clock
    host = presets.build("ws2022-ready", clock=Clock(speed=1.0))  # a real 60 s delay: the reboot stays scheduled
    script = ("$ErrorActionPreference = 'Continue'\n\nif ($True) {\n    Remove-Item -LiteralPath '"
              r"HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon\AutoLogonChecked"
              "' -Force -ErrorAction SilentlyContinue\n}\n\n$stdout = $null\n$stderr = . { C:\\Windows\\System32\\shutdown.exe "
              "/r /t 60 /c 'Reboot initiated by Ansible' | Set-Variable stdout } 2>&1 | ForEach-Object ToString\n")
    first = json.loads(execute(host, Invocation("raw", script=script + SUFFIX), SESSION).stdout)
    assert first["rc"] == 0 and host.is_up()
    assert not host.registry.key_exists(AUTO_LOGON_CHECKED)
    second = json.loads(execute(host, Invocation("raw", script=script + SUFFIX), SESSION).stdout)
    assert second["rc"] == 1190 and "(1190)" in second["stderr"]
    abort = execute(host, Invocation("raw", script=r"C:\Windows\System32\shutdown.exe /a" + SUFFIX), SESSION)
    assert abort.rc == 0 and host.abort_reboot() is False


def test_unknown_raw_command_is_not_a_silent_success() -> None:
    host = presets.build("ws2022-ready")
    res = execute(host, Invocation("raw", script="Get-ExchangeServer | Format-List"), SESSION)
    assert res.rc == 1 and b"does not model" in res.stderr
