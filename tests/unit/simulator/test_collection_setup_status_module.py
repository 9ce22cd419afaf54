"""Emulation of rpi.exchange.win_exchange_setup_status (simulator/collection_modules/win_exchange_setup_status.py)."""

from __future__ import annotations

import time

import pytest

from simulator import collection_modules, presets
from simulator.clock import Clock
from simulator.collection_modules.win_exchange_setup_status import read_log
from simulator.exchange.media import MEDIA
from simulator.exchange.runtime import attach
from simulator.windows.tasks import SCHED_S_TASK_HAS_NOT_RUN
from simulator.windows.testing import Runner

MODULE = "rpi.exchange.win_exchange_setup_status"
LOG = "C:\\ExchangeSetupLogs\\ExchangeSetup.log"
ARGUMENTS = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install /Roles:Mailbox /OrganizationName:RPI"


@pytest.fixture(autouse=True)
def _registered() -> None:
    collection_modules.register_all()


def register_setup_task(runner: Runner, letter: str) -> None:
    registered = runner.module("community.windows.win_scheduled_task", {
        "name": "rpi-exchange-setup", "path": "\\RPI\\", "state": "present", "logon_type": "password", "run_level": "highest",
        "username": "RPI\\svc-exchange", "password": "Exch-Setup-2025!",
        "actions": [{"path": f"{letter}:\\Setup.exe", "working_directory": f"{letter}:\\", "arguments": ARGUMENTS}]})
    assert registered["changed"], registered


def start_setup(runner: Runner) -> None:
    assert runner.module("ansible.windows.win_command", {"argv": ["schtasks.exe", "/Run", "/TN", "\\RPI\\rpi-exchange-setup"]})["rc"] == 0


def test_no_task_no_log_yet():
    host = presets.build("ws2022-exchange-ready")
    letter = host.mount_image("C:\\RPI\\Exchange\\" + MEDIA["SE-RTM"].iso_name)
    answer = Runner(host).module(MODULE, {"setup_path": f"{letter}:\\Setup.exe", "setup_log_max_bytes": 4096})
    assert answer["changed"] is False and answer["waited_seconds"] == pytest.approx(0, abs=0.05)
    assert answer["task"] == {"task_exists": False}
    assert answer["setup_path"] == {"path": f"{letter}:\\Setup.exe", "exists": True}
    assert answer["exchange"]["setup_processes"] == [] and answer["exchange"]["setup_key"] is None
    assert answer["os"]["build"] == 20348 and answer["winrm"]["updated_config_present"] in (True, False)
    assert set(answer["pending_reboot"]) == {"session_manager", "component_based_servicing", "windows_update", "update_exe_volatile"}
    assert answer["setup_log"]["exists"] is False


def test_a_registered_task_that_has_not_run_is_waited_for_until_the_wait_is_over():
    host = presets.build("ws2022-exchange-ready")
    letter = host.mount_image("C:\\RPI\\Exchange\\" + MEDIA["SE-RTM"].iso_name)
    runner = Runner(host)
    register_setup_task(runner, letter)
    started = time.monotonic()
    answer = runner.module(MODULE, {"wait_seconds": 0.3})
    assert time.monotonic() - started >= 0.3 and answer["waited_seconds"] >= 0.3
    task = answer["task"]
    assert task["task_exists"] and task["state"]["status"] == "TASK_STATE_READY"
    assert task["state"]["last_task_result"] == SCHED_S_TASK_HAS_NOT_RUN
    assert task["actions"] == [{"Path": f"{letter}:\\Setup.exe", "Arguments": ARGUMENTS}]
    assert task["principal"]["user_id"] == "RPI\\svc-exchange"


def test_answers_as_soon_as_setup_has_finished_and_follows_the_log():
    host = presets.build("ws2022-exchange-ready", clock=Clock(speed=0.0003))  # about 1.8 s of real time
    letter = host.mount_image("C:\\RPI\\Exchange\\" + MEDIA["SE-RTM"].iso_name)
    runner = Runner(host)
    register_setup_task(runner, letter)
    start_setup(runner)
    first = runner.module(MODULE, {"wait_seconds": 0.2, "setup_log_from": 0, "setup_log_max_bytes": 1048576})
    assert first["task"]["state"]["status"] == "TASK_STATE_RUNNING" and first["exchange"]["setup_processes"]
    assert first["setup_log"]["read_from"] == 0 and first["setup_log"]["tail"].endswith("\n")
    started = time.monotonic()
    done = runner.module(MODULE, {"wait_seconds": 30, "setup_log_from": first["setup_log"]["read_to"],
                                  "setup_log_max_bytes": 1048576})
    assert time.monotonic() - started < 10 and done["waited_seconds"] < 10  # not the 30 s asked for
    assert done["task"]["state"]["status"] == "TASK_STATE_READY" and done["task"]["state"]["last_task_result"] == 0
    assert done["exchange"]["setup_processes"] == [] and done["exchange"]["setup_key"]["MsiInstallPath"]
    assert done["setup_log"]["read_from"] == first["setup_log"]["read_to"]
    whole = host.fs.get(LOG).data().decode("utf-8")
    assert first["setup_log"]["tail"] + done["setup_log"]["tail"] == whole  # every line once, none twice
    assert "completed successfully" in done["setup_log"]["tail"]


def test_a_wrong_option_fails_like_ansible_basic():
    result = Runner(presets.build("ws2022-exchange-ready")).module(MODULE, {"task_name": "x", "bogus": 1})
    assert result["failed"] and "bogus" in result["msg"]


@pytest.mark.parametrize("offset, max_bytes, expected", [
    (-1, 4, {"read_from": 6, "read_to": 10, "tail": "ine\n", "skipped_bytes": 0}),  # the end, as it is
    (0, 100, {"read_from": 0, "read_to": 10, "tail": "ab\ncd\nine\n"}),
    (6, 100, {"read_from": 6, "read_to": 10, "tail": "ine\n"}),
    (10, 100, {"read_from": 10, "read_to": 10, "tail": ""}),  # nothing new
    (3, 4, {"read_from": 6, "read_to": 10, "skipped_bytes": 3, "tail": "ine\n"}),  # more than asked: its end
    (50, 100, {"read_from": 0, "read_to": 10, "restarted": True}),  # shorter than the offset: replaced
])
def test_read_log(offset, max_bytes, expected):
    answer = read_log(b"ab\ncd\nine\n", LOG, offset, max_bytes)
    assert answer["exists"] and answer["size_bytes"] == 10
    assert {key: answer[key] for key in expected} == expected


def test_read_log_returns_complete_lines_only():
    answer = read_log(b"done\nhalf a li", LOG, 0, 100)
    assert answer["tail"] == "done\n" and answer["read_to"] == 5
    assert read_log(b"half a li", LOG, 0, 100)["read_to"] == 0  # nothing complete yet: ask again from the same place
    assert read_log(b"0123456789", LOG, 0, 4)["tail"] == "6789"  # a line longer than the most asked for is returned as is
    assert read_log(None, LOG, 0, 100) == {"path": LOG, "exists": False, "size_bytes": 0, "read_from": 0, "read_to": 0,
                                           "skipped_bytes": 0, "restarted": False, "tail": ""}


UPGRADE_ARGUMENTS = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Upgrade"


def start_upgrade(host, letter: str) -> Runner:
    runner = Runner(host)
    runner.module("community.windows.win_scheduled_task", {
        "name": "rpi-exchange-setup", "path": "\\RPI\\", "state": "present", "logon_type": "password", "run_level": "highest",
        "username": "RPI\\svc-exchange", "password": "Exch-Setup-2025!",
        "actions": [{"path": f"{letter}:\\Setup.exe", "working_directory": f"{letter}:\\", "arguments": UPGRADE_ARGUMENTS}]})
    start_setup(runner)
    return runner


def wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the simulated setup never got there"
        time.sleep(0.02)


def test_while_an_upgrade_has_disabled_wmi_the_task_and_setup_are_still_seen():
    # Exchange setup stops and disables Winmgmt during /Mode:Upgrade (ExchangeDsc issue #496): Get-ScheduledTask and
    # Win32_Process are CIM and would throw; the COM task and Get-Process still answer.
    host = presets.build("ws2022-exchange-2019-cu15")
    host.clock.speed = 0.0005  # the preset's own install and restart at no cost; this upgrade in real time
    attach(host).faults.slow("Copying Exchange Files", 40_000)  # a long file copy: WMI stays disabled meanwhile
    letter = host.mount_image("C:\\RPI\\Exchange\\" + MEDIA["SE-RTM"].iso_name)
    runner = start_upgrade(host, letter)
    wait_until(lambda: host.poll() or host.get_service("Winmgmt").start_mode == "disabled")
    answer = runner.module(MODULE, {"wait_seconds": 0.2, "setup_path": f"{letter}:\\Setup.exe"})
    assert answer["task"]["state"]["status"] == "TASK_STATE_RUNNING"
    assert answer["waited_seconds"] >= 0.2  # still running: the wait was not cut short by an error
    engine = [p for p in answer["exchange"]["setup_processes"] if p["name"] == "ExSetup.exe"]
    assert engine and engine[0]["executable_path"] == "C:\\Windows\\Temp\\ExchangeSetup\\ExSetup.exe"


def test_an_unrelated_setup_exe_does_not_keep_the_wait_going():
    host = presets.build("ws2022-exchange-ready")
    letter = host.mount_image("C:\\RPI\\Exchange\\" + MEDIA["SE-RTM"].iso_name)
    runner = Runner(host)
    register_setup_task(runner, letter)
    task = host.get_task("rpi-exchange-setup", "\\RPI\\")
    task.last_task_result = 0  # it ran and finished
    stranger = host.start_process("Setup.exe", '"C:\\Drivers\\HP\\Setup.exe" /s', "RPI\\jperez")
    answer = runner.module(MODULE, {"wait_seconds": 5, "setup_process_folders": [f"{letter}:\\", "%SystemRoot%\\Temp\\ExchangeSetup"]})
    assert answer["waited_seconds"] < 2  # the other installer is not Exchange setup
    assert {"name": "Setup.exe", "pid": stranger.pid, "executable_path": "C:\\Drivers\\HP\\Setup.exe"} in answer["exchange"]["setup_processes"]


def test_a_setup_exe_from_the_media_is_waited_for():
    host = presets.build("ws2022-exchange-ready")
    letter = host.mount_image("C:\\RPI\\Exchange\\" + MEDIA["SE-RTM"].iso_name)
    runner = Runner(host)
    register_setup_task(runner, letter)
    host.get_task("rpi-exchange-setup", "\\RPI\\").last_task_result = 0
    host.start_process("Setup.exe", f'"{letter}:\\Setup.exe" /Mode:Upgrade', "RPI\\svc-exchange")
    answer = runner.module(MODULE, {"wait_seconds": 0.3, "setup_process_folders": [f"{letter}:\\"]})
    assert answer["waited_seconds"] >= 0.3


def test_the_setup_log_is_read_on_the_system_drive():
    host = presets.build("ws2022-ready-windows-on-d")
    host.fs.write("D:\\ExchangeSetupLogs\\ExchangeSetup.log", b"[12/05/2026 10:00:00.0000] [0] Starting Microsoft Exchange\r\n")
    answer = Runner(host).module(MODULE, {"setup_log_from": 0})
    assert answer["setup_log"]["path"] == "D:\\ExchangeSetupLogs\\ExchangeSetup.log" and answer["setup_log"]["exists"]
    assert "Starting Microsoft Exchange" in answer["setup_log"]["tail"]
