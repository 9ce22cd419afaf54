"""The other emulated modules and the connection plumbing: check mode, idempotence, disk full, ISO mounting."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile

import pytest

from simulator.windows import presets
from simulator.windows.testing import Runner


@pytest.fixture
def run() -> Runner:
    return Runner(presets.build("ws2022-ready"))


def test_check_mode_makes_no_change(run: Runner) -> None:
    host = run.host
    assert run.module("ansible.windows.win_file", {"path": r"C:\RPI\Nuevo", "state": "directory"}, check=True)["changed"]
    assert not host.fs.exists(r"C:\RPI\Nuevo")
    res = run.module("ansible.windows.win_regedit", {"path": r"HKLM:\SOFTWARE\RPI", "name": "x", "data": 1, "type": "dword"},
                     check=True)
    assert res["changed"] and not host.registry.key_exists(r"HKLM\SOFTWARE\RPI")
    res = run.module("ansible.windows.win_service", {"name": "MSDTC", "state": "stopped", "start_mode": "disabled"}, check=True)
    assert res["changed"] and host.get_service("MSDTC").state == "running" and host.get_service("MSDTC").start_mode == "auto"
    res = run.module("ansible.windows.win_copy", {"src": rf"{presets.LOCAL_PREREQ_DIR}\vcredist_x64_2012.exe",
                                                  "dest": "C:\\Temp\\", "remote_src": True, "_copy_mode": "remote"}, check=True)
    assert res["changed"] and not host.fs.exists(r"C:\Temp\vcredist_x64_2012.exe")


def test_regedit_and_reg_stat_idempotent(run: Runner) -> None:
    args = {"path": r"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN", "name": "UpdatedConfig",
            "data": "857C6BDB-A8AC-4211-93BB-8123C9ECE4E5"}
    assert run.module("ansible.windows.win_regedit", args)["changed"] is False
    stat = run.module("ansible.windows.win_reg_stat", {"path": args["path"], "name": "UpdatedConfig"})
    assert stat["exists"] and stat["type"] == "REG_SZ"
    args["data"] = "changed"
    res = run.module("ansible.windows.win_regedit", args)
    assert res["changed"] and res["data_changed"] and not res["data_type_changed"]
    whole = run.module("ansible.windows.win_reg_stat", {"path": r"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion"})
    assert "WSMAN" in whole["sub_keys"]


def test_service_idempotence_and_info(run: Runner) -> None:
    res = run.module("ansible.windows.win_service", {"name": "RemoteRegistry", "start_mode": "auto", "state": "started"})
    assert res["changed"] is False and res["state"] == "running"
    res = run.module("ansible.windows.win_service", {"name": "MSDTC", "state": "stopped"})
    assert res["changed"] is True and res["state"] == "stopped"
    info = run.module("ansible.windows.win_service_info", {"name": "MSDTC"})
    assert info["exists"] and info["services"][0]["state"] == "stopped"
    assert run.module("ansible.windows.win_service", {"name": "NoSuch", "state": "started"})["msg"] == \
        "Service 'NoSuch' is not installed, need to set 'path' to create a new service"


def test_disk_full_fails_writes(run: Runner) -> None:
    run.host.fs.disk_full = True
    res = run.module("ansible.windows.win_file", {"path": r"C:\RPI\x.txt", "state": "touch"})
    assert run.last_rc == 1 and "There is not enough space on the disk" in res["msg"]
    put = run.plumbing("put_file", input_data=b"hello", Path=r"C:\Windows\Temp\x.txt")
    assert put.rc == 1 and b"not enough space" in put.stderr


def test_iso_mount_idempotent_files_visible_and_gone_after_reboot(run: Runner) -> None:
    iso = r"C:\RPI\Media\ExchangeServerSE-x64.iso"
    presets.add_disk_image(run.host, iso, "EXCHANGESERVER", {"Setup.exe": 1_000_000, "UCMARedist\\Setup.exe": 5_000_000,
                                                             "readme.txt": b"hola"})
    res = run.module("community.windows.win_disk_image", {"image_path": iso})
    assert res["changed"] is True and res["mount_paths"] == ["E:\\"]  # D: is the data volume
    letter = res["mount_paths"][0]
    assert run.host.fs.is_file(letter + "UCMARedist\\Setup.exe")
    assert run.module("ansible.windows.win_stat", {"path": letter + "readme.txt"})["stat"]["size"] == 4
    again = run.module("community.windows.win_disk_image", {"image_path": iso})
    assert again["changed"] is False and again["mount_paths"] == [letter]
    assert run.host.fs.volume_of(letter).drive_type == "CD-ROM"
    run.host.reboot()
    assert not run.host.fs.exists(letter + "Setup.exe")
    run.module("community.windows.win_disk_image", {"image_path": iso})
    assert run.module("community.windows.win_disk_image", {"image_path": iso, "state": "absent"})["changed"] is True
    missing = run.module("community.windows.win_disk_image", {"image_path": r"C:\nope.iso"})
    assert missing["msg"] == "The system cannot find the file specified."


def test_win_copy_action_protocol_query_single_explode(run: Runner) -> None:
    data = b"param()\r\nWrite-Output 'hola'\r\n"
    checksum = hashlib.sha1(data).hexdigest()
    files = [{"src": "/ctl/files/check.ps1", "dest": "check.ps1", "checksum": checksum}]
    q = run.module("ansible.windows.win_copy", {"_copy_mode": "query", "dest": "C:\\RPI\\Scripts\\", "files": files,
                                                "directories": [{"src": "/ctl/files/sub", "dest": "sub"}]})
    assert q["files"] == files and len(q["directories"]) == 1
    tmp = run.plumbing("mkdtemp", Directory="%TEMP%", Name="ansible-tmp-1").stdout.decode().strip()
    assert tmp.lower().startswith(r"c:\users\svc-ansible\appdata\local\temp")
    put = run.plumbing("put_file", input_data=data, Path=tmp + "\\source")
    assert json.loads(put.stdout) == {"sha1": checksum}
    single = run.module("ansible.windows.win_copy", {"_copy_mode": "single", "src": tmp + "\\source",
                                                     "dest": "C:\\RPI\\Scripts\\", "_original_basename": "check.ps1"})
    assert single["changed"] and run.host.fs.read(r"C:\RPI\Scripts\check.ps1") == data
    q2 = run.module("ansible.windows.win_copy", {"_copy_mode": "query", "dest": "C:\\RPI\\Scripts\\", "files": files})
    assert q2["files"] == []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(base64.b64encode(b"a/b.txt").decode(), b"zip!")
    run.plumbing("put_file", input_data=buf.getvalue(), Path=tmp + "\\win_copy.zip")
    run.module("ansible.windows.win_copy", {"_copy_mode": "explode", "src": tmp + "\\win_copy.zip", "dest": "C:\\RPI\\Z"})
    assert run.host.fs.read(r"C:\RPI\Z\a\b.txt") == b"zip!"
    fetched = run.plumbing("fetch_file", Path=r"C:\RPI\Z\a\b.txt", BufferSize=2, Offset=1)
    assert base64.b64decode(fetched.stdout) == b"ip"
    assert run.plumbing("fetch_file", Path=r"C:\RPI\Z", BufferSize=2, Offset=0).stdout.strip() == b"[DIR]"
    assert run.raw(f"Remove-Item '{tmp}' -Force -Recurse;").rc == 0 and not run.host.fs.exists(tmp)


def test_win_copy_remote_is_idempotent(run: Runner) -> None:
    args = {"src": rf"{presets.SHARE_PREREQ_DIR}\UcmaRuntimeSetup.exe", "dest": "C:\\Temp\\", "remote_src": True,
            "_copy_mode": "remote"}
    res = run.module("ansible.windows.win_copy", args)
    assert res["changed"] and res["dest"] == r"C:\Temp\UcmaRuntimeSetup.exe" and res["size"] == 6_000_000
    assert run.host.installer_for(r"C:\Temp\UcmaRuntimeSetup.exe").product.key == "ucma4"  # still an installer
    assert run.module("ansible.windows.win_copy", args)["changed"] is False


def test_get_url_offline(run: Runner) -> None:
    res = run.module("ansible.windows.win_get_url", {"url": "file://rpi-fs01/instaladores/Exchange/Prerequisites/"
                                                     "rewrite_amd64_en-US.msi", "dest": "C:\\Windows\\Temp\\"})
    assert res["changed"] and res["status_code"] == 200 and res["dest"] == r"C:\Windows\Temp\rewrite_amd64_en-US.msi"
    assert run.module("ansible.windows.win_get_url", {"url": presets.SHARE_PREREQ_DIR + "\\rewrite_amd64_en-US.msi",
                                                      "dest": "C:\\Windows\\Temp\\"})["changed"] is False
    res = run.module("ansible.windows.win_get_url", {"url": "https://download.microsoft.com/x.exe", "dest": "C:\\Temp"})
    assert run.last_rc == 1 and "could not be resolved" in res["msg"]


def test_plumbing_expand_user_and_stat(run: Runner) -> None:
    assert run.plumbing("expand_user", Path="~").stdout.strip() == rb"C:\Users\svc-ansible"
    stat = run.module("ansible.windows.win_stat", {"path": presets.SHARE_PREREQ_DIR})
    assert stat["stat"]["isdir"] is True
    assert run.module("ansible.windows.win_stat", {"path": r"C:\nope"})["stat"] == {"exists": False}


def test_whoami_and_become(run: Runner) -> None:
    me = run.module("ansible.windows.win_whoami")
    assert me["account"]["account_name"] == "svc-ansible" and me["logon_type"] == "Network"
    became = run.module("ansible.windows.win_whoami", become_user="RPI\\svc-exchange",
                        become_password=presets.PASSWORDS["RPI\\svc-exchange"])
    assert became["account"]["account_name"] == "svc-exchange"
    assert any(g["account_name"] == "Schema Admins" for g in became["groups"])
    assert became["label"]["account_name"] == "High Mandatory Level"
    bad = run.module("ansible.windows.win_whoami", become_user="RPI\\svc-exchange", become_password="wrong")
    assert run.last_rc == 1 and "Failed to logon RPI\\svc-exchange (The user name or password is incorrect" in bad["msg"]
    system = run.module("ansible.windows.win_command", {"_raw_params": "whoami"}, become_user="SYSTEM")
    assert system["stdout"].strip() == "nt authority\\system"


def test_setup_facts(run: Runner) -> None:
    facts = run.module("ansible.windows.setup")["ansible_facts"]
    assert facts["ansible_os_name"] == "Microsoft Windows Server 2022 Standard"
    assert facts["ansible_distribution_version"].startswith("10.0.20348")
    assert facts["ansible_os_installation_type"] == "Server"
    assert facts["ansible_hostname"] == "RPI-EXCH01" and facts["ansible_fqdn"] == "RPI-EXCH01.rpi.gob.gt"
    assert facts["ansible_domain"] == "rpi.gob.gt" and facts["ansible_windows_domain_member"] is True
    assert facts["ansible_memtotal_mb"] == 128 * 1024 and facts["ansible_processor_vcpus"] == 8
    assert facts["ansible_ip_addresses"][0] == "10.10.20.21" and facts["ansible_reboot_pending"] is False
    core = Runner(presets.build("ws2019-core-bare")).module("ansible.windows.setup", {"gather_subset": ["!all", "distribution"]})
    assert core["ansible_facts"]["ansible_os_installation_type"] == "Server Core"
    assert "ansible_memtotal_mb" not in core["ansible_facts"]


def test_async_and_async_status(run: Runner) -> None:
    start = run.module("ansible.windows.win_command", {"_raw_params": "whoami"}, async_jid="j123", async_timeout=60)
    assert start["started"] is True and start["finished"] is False
    jid = start["ansible_job_id"]
    status = run.module("ansible.windows.async_status", {"jid": jid, "_async_dir": r"%USERPROFILE%\.ansible_async"})
    assert status["finished"] is True and status["stdout"].strip() == "rpi\\svc-ansible"
    gone = run.module("ansible.windows.async_status", {"jid": jid, "mode": "cleanup",
                                                       "_async_dir": r"%USERPROFILE%\.ansible_async"})
    assert gone["erased"].endswith(jid)


def test_command_models_only_what_it_knows(run: Runner) -> None:
    res = run.module("ansible.windows.win_shell", {"_raw_params": "Get-ExchangeServer"})
    assert run.last_rc == 1 and "does not model this command" in res["stderr"]
    res = run.module("ansible.windows.win_command", {"argv": [r"C:\RPI\Prerequisites\vcredist_x64_2013.exe", "/install",
                                                              "/quiet", "/norestart"]})
    assert res["rc"] == 0 and run.host.product_installed("vcredist2013")
    res = run.module("ansible.windows.win_shell", {"_raw_params": "Restart-Service WinRM"})
    assert run.last_rc == 0 and run.host.boot_id() == 2
    res = run.module("ansible.windows.win_command", {"_raw_params": "whoami", "creates": r"C:\Windows"})
    assert res["skipped"] is True and res["changed"] is False


def test_handler_sees_double_hop_credentials() -> None:
    from simulator.windows.programs import ProgramResult, ProgramRun

    seen: list[ProgramRun] = []
    for auth, become, expected in (("ntlm", "", False), ("ntlm", "RPI\\svc-exchange", True), ("basic", "", True)):
        host = presets.build("ws2022-ready")
        host.fs.write(r"C:\Media\Setup.exe", b"MZ")
        host.register_program_handler("setup.exe", lambda h, r: seen.append(r) or ProgramResult())
        run = Runner(host, auth=auth)
        run.module("ansible.windows.win_command", {"_raw_params": r"C:\Media\Setup.exe /PrepareAD"}, become_user=become,
                   become_password=presets.PASSWORDS["RPI\\svc-exchange"] if become else None)
        assert seen[-1].network_credentials is expected
        assert seen[-1].user == ("RPI\\svc-exchange" if become else "RPI\\svc-ansible")
        assert seen[-1].logon_type == ("interactive" if become else "network")
