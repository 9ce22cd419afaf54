"""Every restart reads the boot time without WMI (issue 14, item 10): the roles pass the controller's constant."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.boot_time import BOOT_TIME_COMMAND
from simulator import presets
from simulator.windows.raw import run_raw

ROOT = Path(__file__).resolve().parents[4]
WIN_REBOOT_DEFAULT = ("(Get-CimInstance -ClassName Win32_OperatingSystem -Property LastBootUpTime).LastBootUpTime"
                      ".ToFileTime()")  # ansible.windows plugin_utils/_reboot.py


@pytest.mark.parametrize("role", ["start_installation", "await_installation"])
def test_the_roles_restart_with_the_wmi_free_boot_time_command(role):
    defaults = yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text(encoding="utf-8"))
    specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
    assert defaults[f"{role}_boot_time_command"] == BOOT_TIME_COMMAND
    assert specs["argument_specs"]["main"]["options"][f"{role}_boot_time_command"]["default"] == BOOT_TIME_COMMAND
    tasks = (ROOT / "roles" / role / "tasks" / "main.yml").read_text(encoding="utf-8")
    assert f"boot_time_command: \"{{{{ {role}_boot_time_command }}}}\"" in tasks


def test_with_wmi_disabled_only_the_event_log_reading_answers():
    host = presets.build("ws2022-exchange-upgrade-failed")  # a failed CU left Winmgmt disabled
    default = run_raw(host, WIN_REBOOT_DEFAULT, "RPI\\ansible")
    assert default.rc == 1 and b"0x80070422" in default.stderr
    ours = run_raw(host, BOOT_TIME_COMMAND, "RPI\\ansible")
    assert ours.rc == 0 and int(ours.stdout) > 0
    host.reboot(reason="test")
    host.poll()
    host.poll()
    assert run_raw(host, BOOT_TIME_COMMAND, "RPI\\ansible").stdout != ours.stdout  # one text per boot
