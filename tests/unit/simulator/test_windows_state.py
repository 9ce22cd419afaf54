"""The Windows model itself: registry, file system, accounts, pending reboot, reboots and WinRM restarts."""

from __future__ import annotations

import time

import pytest

from simulator.clock import Clock
from simulator.windows import presets
from simulator.windows.filesystem import DiskFullError, FileNode
from simulator.windows.state import (CBS, PENDING_FILE_RENAME, PENDING_REBOOT_SOURCES, UPDATE_EXE, WINDOWS_UPDATE,
                                     WindowsHost)


@pytest.fixture
def host() -> WindowsHost:
    return presets.build("ws2022-ready")


def test_registry_is_case_insensitive_and_typed(host: WindowsHost) -> None:
    reg = host.registry
    assert reg.set_value(r"HKLM:\SOFTWARE\RPI\Test", "Count", 5, "REG_DWORD")
    assert reg.get(r"hklm\software\rpi\test", "count") == 5
    assert reg.key_exists(r"HKEY_LOCAL_MACHINE\Software\RPI")
    assert not reg.set_value(r"HKLM\SOFTWARE\RPI\Test", "Count", 5, "REG_DWORD")  # unchanged
    assert reg.subkeys(r"HKLM\SOFTWARE\RPI") == ["Test"]
    reg.set_value(r"HKLM\SOFTWARE\RPI\Test", "List", ["a", "b"], "REG_MULTI_SZ")
    assert reg.get_value(r"HKLM\SOFTWARE\RPI\Test", "list").type == "REG_MULTI_SZ"
    assert reg.delete_key(r"HKLM\SOFTWARE\RPI")
    assert not reg.key_exists(r"HKLM\SOFTWARE\RPI\Test")


def test_prerequisite_detection_keys_of_ready_host(host: WindowsHost) -> None:
    """exchange-facts §2.2/§2.3: the keys Microsoft's tools read."""
    reg = host.registry
    assert reg.get(r"HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full", "Release") >= 533320
    assert reg.get(r"HKLM\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite", "Version") == "7.2.1993"
    assert reg.key_exists(r"HKLM\SOFTWARE\Microsoft\UCMA\{902F4F35-D5DC-4363-8671-D5EF0D26C21D}")
    vc13 = r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{042d26ef-3dbe-4c25-95d3-4c1b11b235a7}"
    assert reg.get(vc13, "Version") == 201367256
    assert reg.get(r"HKLM\SOFTWARE\Microsoft\VisualStudio\11.0\VC\Runtimes\x64", "Installed") == 1


def test_filesystem_paths_and_free_space(host: WindowsHost) -> None:
    fs = host.fs
    vol = fs.volumes["C"]
    before = vol.free
    fs.write(r"c:/rpi/Logs/a.txt", b"x" * 1000)
    assert fs.is_file(r"C:\RPI\LOGS\A.TXT")
    assert fs.is_dir(r"C:\rpi\logs")
    assert vol.free == before - 1000
    fs.delete(r"C:\RPI\Logs")
    assert vol.free == before
    assert fs.is_dir(r"\\RPI-FS01\Instaladores\Exchange\Prerequisites")


def test_disk_full_switch_and_too_little_space(host: WindowsHost) -> None:
    host.fs.disk_full = True
    with pytest.raises(DiskFullError, match="There is not enough space on the disk"):
        host.fs.write(r"C:\Temp\x.bin", b"1")
    host.fs.disk_full = False
    small = presets.build("ws2022-ready-low-disk")
    with pytest.raises(DiskFullError):
        small.fs.add(FileNode(r"C:\big.bin", size=20 * presets.GB))


def test_accounts_groups_and_authentication(host: WindowsHost) -> None:
    assert host.authenticate("RPI\\svc-exchange", presets.PASSWORDS["RPI\\svc-exchange"])
    assert host.authenticate("svc-exchange@rpi.gob.gt", presets.PASSWORDS["RPI\\svc-exchange"])
    assert not host.authenticate("RPI\\svc-exchange", "wrong")
    assert host.in_group("rpi\\svc-exchange", "Schema Admins")
    assert host.in_group("RPI\\svc-exchange", "Organization Management")
    assert host.is_admin("RPI\\svc-exchange")  # Domain Admins is in the local Administrators group
    assert not host.is_admin("RPI\\jperez")
    assert host.canonical_user("administrator") == "RPI-EXCH01\\Administrator"


@pytest.mark.parametrize("source", PENDING_REBOOT_SOURCES)
def test_each_pending_reboot_source_is_detected_and_cleared_by_reboot(host: WindowsHost, source: str) -> None:
    assert host.pending_reboot() == []
    host.set_pending_reboot(source)
    assert host.pending_reboot() == [source]
    host.reboot()
    assert host.is_up()
    assert host.pending_reboot() == []


def test_pending_reboot_presets_use_the_real_registry_locations() -> None:
    expected = {"pfro": PENDING_FILE_RENAME, "cbs": CBS, "wu": WINDOWS_UPDATE, "updateexe": UPDATE_EXE}
    for suffix, source in expected.items():
        h = presets.build(f"ws2022-ready-pending-reboot-{suffix}")
        assert h.pending_reboot() == [source]
    h = presets.build("ws2022-ready-pending-reboot-wu")
    assert h.registry.key_exists(r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired")


def test_reboot_outage_new_boot_time_and_services() -> None:
    clock = Clock(speed=0.001)  # 60 simulated seconds = 60 ms real
    host = presets.build("ws2022-ready", clock=clock)
    boot, boot_id = host.boot_time, host.boot_id()
    host.get_service("W3SVC").state = "stopped"  # auto service stopped by hand: running again after boot
    host.get_service("wuauserv").state = "running"  # manual service: stopped after boot
    host.reboot(delay_seconds=0, reason="test")
    assert not host.is_up()
    assert host.outage_kind() == "reboot"
    assert host.boot_id() == boot_id + 1
    deadline = time.monotonic() + 5
    while not host.is_up() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert host.is_up()
    assert host.boot_time > boot
    assert host.reboot_count == 1
    assert host.get_service("W3SVC").state == "running"
    assert host.get_service("wuauserv").state == "stopped"
    assert (clock.now() - host.boot_time).total_seconds() < 120


def test_reboot_with_speed_zero_is_instant_but_time_moves(host: WindowsHost) -> None:
    before = host.now()
    host.reboot(delay_seconds=2)
    assert host.is_up()
    assert (host.now() - before).total_seconds() >= host.reboot_seconds
    assert host.boot_time > before


def test_winrm_restart_changes_boot_id_not_boot_time() -> None:
    host = presets.build("ws2022-ready", clock=Clock(speed=0.01))
    boot, boot_id = host.boot_time, host.boot_id()
    host.restart_winrm(seconds=5)
    assert not host.is_up()
    assert host.outage_kind() == "winrm"
    deadline = time.monotonic() + 5
    while not host.is_up() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert host.boot_id() == boot_id + 1
    assert host.boot_time == boot


def test_features_pending_until_reboot() -> None:
    host = presets.build("ws2022-bare")
    specs, restart = host.install_features(["Server-Media-Foundation"])
    assert restart and [s.name for s in specs] == ["Server-Media-Foundation"]
    assert host.feature_state("Server-Media-Foundation") == "InstallPending"
    assert CBS in host.pending_reboot()
    host.reboot()
    assert host.feature_state("Server-Media-Foundation") == "Installed"


def test_program_handler_receives_parsed_command_line() -> None:
    from simulator.windows.programs import ProgramResult, ProgramRun, split_command_line

    assert split_command_line(r'"C:\Program Files\x.exe" /a "b c" d\"e') == [r"C:\Program Files\x.exe", "/a", "b c", 'd"e']
    host = presets.build("ws2022-ready")
    seen: list[ProgramRun] = []

    def handler(h: WindowsHost, run: ProgramRun) -> ProgramResult:
        seen.append(run)
        return ProgramResult(rc=0, stdout="done", duration_seconds=30)

    host.register_program_handler("setup.exe", handler)
    host.fs.write(r"C:\Media\Setup.exe", b"MZ")
    before = host.now()
    run = ProgramRun(r"C:\Media\Setup.exe", "/Mode:Install /Roles:Mailbox", ["/Mode:Install", "/Roles:Mailbox"],
                     "RPI\\svc-exchange", "win_command")
    result, proc = host.run_program(run)
    assert result.stdout == "done" and proc is None
    assert seen[0].name == "setup.exe" and seen[0].argv[1] == "/Roles:Mailbox"
    assert (host.now() - before).total_seconds() >= 30
