"""The Exchange model reached through the Windows model's module emulation and Task Scheduler (no WinRM)."""

from __future__ import annotations

import pytest

from simulator.exchange import presets, verify
from simulator.exchange.media import MEDIA
from simulator.exchange.runtime import model_for
from simulator.windows.presets import PASSWORDS
from simulator.windows.tasks import ScheduledTask, TaskAction
from simulator.windows.testing import Runner

ARGS = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install /Roles:Mailbox /OrganizationName:RPI"
USER = "RPI\\svc-exchange"


@pytest.fixture(name="host")
def fixture_host():
    host = presets.ready_for_exchange()
    presets.mount_media(host, f"{presets.LOCAL_MEDIA_DIR}\\{MEDIA['2019-CU15'].iso_name}")
    return host


def _drive(host) -> str:
    return next(iter(host.mounted_images.values()))


def test_win_command_with_become_installs(host):
    runner = Runner(host, user=USER, auth="ntlm")
    result = runner.module("ansible.windows.win_command", {"_raw_params": f"{_drive(host)}:\\Setup.exe {ARGS}"},
                           become_user=USER, become_password=PASSWORDS[USER])
    assert runner.last_rc == 0 and result["rc"] == 0
    assert "The Exchange Server setup operation completed successfully." in result["stdout"]
    assert model_for(host).install.installed_build() is not None


def test_win_shell_without_become_hits_the_double_hop(host):
    runner = Runner(host, user=USER, auth="ntlm")
    result = runner.module("ansible.windows.win_shell", {"_raw_params": f".\\setup.exe {ARGS}", "chdir": f"{_drive(host)}:\\"})
    assert result["rc"] == 1
    assert "Setup encountered a problem while validating the state of Active Directory" in host.fs.read(
        "C:\\ExchangeSetupLogs\\ExchangeSetup.log").decode()


@pytest.mark.parametrize("logon_type,password,rc", [("password", PASSWORDS[USER], 0), ("s4u", None, 1)])
def test_scheduled_task(host, logon_type, password, rc):
    task = ScheduledTask("Install Exchange", actions=[TaskAction(f"{_drive(host)}:\\Setup.exe", ARGS, f"{_drive(host)}:\\")],
                         username=USER, logon_type=logon_type, run_level="highest")
    host.register_task(task, password)
    host.run_task(task)
    host.poll()
    assert task.last_task_result == rc
    assert not host.find_processes("ExSetup")
    if rc:
        assert "Failed [Rule:AdInitErrorRule]" in host.fs.read("C:\\ExchangeSetupLogs\\ExchangeSetup.log").decode()
    else:
        presets.restart(host)
        assert verify.health_check(host, "owa")[0] == 200
