"""What Exchange setup leaves behind, decided on the controller (plugins/plugin_utils/_setup/leftovers.py), and the probe's
answer from the simulated server read through server_facts.interpret (issue 14: items 1, 3, 6, 7 and 10)."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import facts as server_facts
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.leftovers import (
    cdrom_roots,
    is_exchange_setup,
    services_to_restore,
    split_setup_processes,
)
from simulator import collection_modules, presets
from simulator.windows.testing import Runner

PROBE = "rpi.exchange.win_exchange_probe"


@pytest.fixture(autouse=True)
def _registered() -> None:
    collection_modules.register_all()


def read(preset: str) -> dict:
    host = presets.build(preset)
    return server_facts.interpret(Runner(host).module(PROBE, server_facts.probe_arguments()))


@pytest.mark.parametrize("process, expected", [
    ({"name": "ExSetup.exe", "executable_path": "C:\\Windows\\Temp\\ExchangeSetup\\ExSetup.exe"}, True),
    ({"name": "ExSetupUI.exe", "executable_path": None}, True),
    ({"name": "Setup.exe", "executable_path": "E:\\Setup.exe"}, True),  # the mounted media's root
    ({"name": "Setup.exe", "executable_path": "C:\\Windows\\Temp\\ExchangeSetup\\Setup.exe"}, True),
    ({"name": "Setup.exe", "executable_path": None}, True),  # Windows did not tell: it may be setup
    ({"name": "Setup.exe", "executable_path": "C:\\Drivers\\HP\\Setup.exe"}, False),
    ({"name": "Setup.exe", "executable_path": "E:\\Tools\\Setup.exe"}, True),  # anything on the Exchange media is Exchange's
    ({"name": "Setup.exe", "executable_path": "F:\\Setup.exe"}, False),  # another drive
])
def test_which_processes_are_exchange_setup(process, expected):
    assert is_exchange_setup(process, system_root="C:\\Windows", media_roots=["E:\\"]) is expected


def test_an_unrelated_setup_exe_is_listed_apart_and_does_not_count_as_setup_running():
    raw = {"exchange": {"setup_processes": [{"name": "Setup.exe", "pid": 7, "executable_path": "C:\\Drivers\\HP\\Setup.exe"}]},
           "volumes": [{"drive_letter": "E", "drive_type": "CDROM"}], "environment": {"system_root": "C:\\Windows"}}
    facts = server_facts.interpret(raw)
    assert facts["exchange"]["setup_running"] is False and facts["exchange"]["setup_processes"] == []
    assert facts["exchange"]["other_setup_named_processes"][0]["pid"] == 7
    assert cdrom_roots(raw["volumes"]) == ["E:\\"]
    setup, others = split_setup_processes([{"name": "Setup.exe", "executable_path": "E:\\Setup.exe"}], media_roots=["E:\\"])
    assert len(setup) == 1 and others == []


def test_services_are_put_back_only_after_a_setup_that_left_its_state_and_is_not_running():
    disabled = {"Winmgmt": "Disabled", "W3SVC": "Disabled", "RemoteRegistry": "Auto", "pla": "Disabled"}
    assert services_to_restore(disabled, setup_left_state=True, setup_running=False) == [
        {"name": "Winmgmt", "start_mode": "auto"}, {"name": "W3SVC", "start_mode": "auto"}, {"name": "pla", "start_mode": "manual"}]
    assert services_to_restore(disabled, setup_left_state=True, setup_running=True) == []  # setup is still at work
    assert services_to_restore(disabled, setup_left_state=False, setup_running=False) == []  # an admin's choice: not ours


def test_after_a_failed_upgrade_with_wmi_disabled_the_server_is_still_read():
    facts = read("ws2022-exchange-upgrade-failed")
    assert facts["wmi"]["available"] is False and "0x80070422" in facts["wmi"]["error"]
    assert facts["exchange"]["interrupted"] and facts["exchange"]["version"]  # what the resume decision needs
    assert facts["computer"]["domain_joined"] and facts["os"]["build"] == 20348
    assert facts["features"]["unknown"] is True  # never "nothing missing" when WMI could not say
    assert [item["name"] for item in facts["services"]["to_restore"]] == ["Winmgmt", "W3SVC", "RemoteRegistry", "pla"]
    assert any(volume["drive"] == "C" for volume in facts["volumes"])  # volumes need no WMI


def test_a_healthy_server_restores_nothing():
    facts = read("ws2022-exchange-2019-cu15")
    assert facts["wmi"]["available"] is True and facts["services"]["to_restore"] == []
    assert facts["prerequisites"]["vcredist2013"]["installed"] and facts["prerequisites"]["vcredist2012"]["installed"]


@pytest.mark.parametrize("preset", ["ws2022-ready-vc2013-x86-only", "ws2022-ready-vc2013-old-x64"])
def test_an_x86_or_an_old_x64_visual_cpp_2013_is_not_the_prerequisite(preset):
    facts = read(preset)
    assert facts["prerequisites"]["vcredist2013"]["installed"] is False
    assert facts["prerequisites"]["vcredist2012"]["installed"] is True


def test_windows_on_another_drive_is_where_the_setup_log_and_program_files_are():
    facts = read("ws2022-ready-windows-on-d")
    assert facts["environment"] == {"system_drive": "D:", "system_root": "D:\\Windows", "program_files": "D:\\Program Files"}
    assert facts["setup_log"]["path"] == "D:\\ExchangeSetupLogs\\ExchangeSetup.log"


def test_with_windows_on_d_the_default_install_folder_and_the_system_drive_are_on_d():
    from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.options import default_target_dir  # pylint: disable=import-outside-toplevel
    from ansible_collections.rpi.exchange.plugins.plugin_utils._server.readiness import _disk_checks  # pylint: disable=import-outside-toplevel

    facts = read("ws2022-ready-windows-on-d")
    assert default_target_dir(facts) == "D:\\Program Files\\Microsoft\\Exchange Server\\V15"
    assert default_target_dir({}) == "C:\\Program Files\\Microsoft\\Exchange Server\\V15"
    checks = {check.name: check for check in _disk_checks(facts, "Mailbox", None)}
    assert "D:" in checks["system_drive_free"].expected and "D:" in checks["install_drive_free"].expected


def test_with_wmi_disabled_hardware_and_network_are_unknown_not_failed():
    from ansible_collections.rpi.exchange.plugins.plugin_utils._server.readiness import blocking_failures, evaluate  # pylint: disable=import-outside-toplevel

    facts = read("ws2022-exchange-upgrade-failed")
    checks = evaluate(facts, media_version="15.2.2562.17")
    names = {check.name for check in checks}
    assert "hardware_unknown_without_wmi" in names and "static_ip" not in names
    assert not [check.name for check in blocking_failures(checks) if check.name.startswith(("memory", "cores", "static"))]
