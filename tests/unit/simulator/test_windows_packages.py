"""win_package over the installer catalogue: registry keys, rc 3010, idempotence, prerequisites, double hop."""

from __future__ import annotations

from simulator.windows import presets
from simulator.windows.catalogue import NDP_FULL
from simulator.windows.state import PENDING_FILE_RENAME
from simulator.windows.testing import Runner

PKG = "ansible.windows.win_package"
LOCAL = presets.LOCAL_PREREQ_DIR
VC2013_ID = "{042d26ef-3dbe-4c25-95d3-4c1b11b235a7}"


def test_vcredist_install_writes_uninstall_key_and_is_idempotent_with_product_id() -> None:
    run = Runner(presets.build("ws2022-bare"))
    args = {"path": rf"{LOCAL}\vcredist_x64_2013.exe", "arguments": "/install /quiet /norestart", "product_id": VC2013_ID}
    first = run.module(PKG, args)
    assert run.last_rc == 0 and first["changed"] is True and first["rc"] == 0 and first["reboot_required"] is False
    key = rf"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{VC2013_ID}"
    assert run.host.registry.get(key, "DisplayName").startswith("Microsoft Visual C++ 2013")
    assert run.host.registry.get(key, "Version") == 201367256  # exchange-facts §2.3
    assert run.host.registry.get(r"HKLM\SOFTWARE\Microsoft\VisualStudio\12.0\VC\Runtimes\x64", "Installed") == 1
    second = run.module(PKG, args)
    assert second["changed"] is False


def test_exe_without_product_id_runs_every_time() -> None:
    run = Runner(presets.build("ws2022-bare"))
    args = {"path": rf"{LOCAL}\vcredist_x64_2012.exe", "arguments": ["/install", "/quiet", "/norestart"]}
    assert run.module(PKG, args)["changed"] is True
    assert run.module(PKG, args)["changed"] is True  # win_package has no way to know


def test_dotnet_481_returns_3010_sets_release_and_pending_reboot() -> None:
    run = Runner(presets.build("ws2022-bare"))
    res = run.module(PKG, {"path": rf"{LOCAL}\ndp481-x86-x64-allos-enu.exe", "arguments": "/q /norestart"})
    assert res["rc"] == 3010 and res["reboot_required"] is True and res["changed"] is True
    assert run.host.registry.get(NDP_FULL, "Release") >= 533320  # exchange-facts §2.2
    assert PENDING_FILE_RENAME in run.host.pending_reboot()
    run.host.reboot()
    assert run.host.pending_reboot() == []


def test_dotnet_481_is_refused_on_server_2019() -> None:
    run = Runner(presets.build("ws2019-bare"))
    res = run.module(PKG, {"path": rf"{LOCAL}\ndp481-x86-x64-allos-enu.exe", "arguments": "/q /norestart"})
    assert run.last_rc == 1 and res["rc"] == 5100
    assert res["msg"].startswith("unexpected rc from")
    assert run.host.registry.get(NDP_FULL, "Release") < 528040


def test_msi_uses_product_code_and_needs_iis() -> None:
    bare = Runner(presets.build("ws2022-bare"))
    res = bare.module(PKG, {"path": rf"{LOCAL}\rewrite_amd64_en-US.msi"})
    assert bare.last_rc == 1 and res["rc"] == 1603
    bare.module("ansible.windows.win_feature", {"name": "Web-Server"})
    res = bare.module(PKG, {"path": rf"{LOCAL}\rewrite_amd64_en-US.msi"})
    assert res["changed"] is True and res["rc"] == 0
    assert bare.host.registry.get(r"HKLM\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite", "Version") == "7.2.1993"
    assert bare.module(PKG, {"path": rf"{LOCAL}\rewrite_amd64_en-US.msi"})["changed"] is False


def test_ucma_needs_media_foundation_and_writes_detection_key() -> None:
    run = Runner(presets.build("ws2022-bare"))
    path = rf"{LOCAL}\UcmaRuntimeSetup.exe"
    res = run.module(PKG, {"path": path, "arguments": "/passive /norestart"})
    assert res["rc"] == 1603
    run.module("ansible.windows.win_feature", {"name": "Server-Media-Foundation"})
    res = run.module(PKG, {"path": path, "arguments": "/passive /norestart",
                           "product_id": "{41D635FE-4F9D-47F7-8230-9B29D6D42D31}"})
    assert res["changed"] is True
    assert run.host.registry.get(r"HKLM\SOFTWARE\Microsoft\UCMA\{902F4F35-D5DC-4363-8671-D5EF0D26C21D}", "Version")


def test_installer_without_quiet_switch_fails_instead_of_hanging() -> None:
    run = Runner(presets.build("ws2022-bare"))
    res = run.module(PKG, {"path": rf"{LOCAL}\vcredist_x64_2012.exe"})
    assert run.last_rc == 1 and res["rc"] == 1602


def test_unc_installer_needs_credentials_that_can_hop() -> None:
    share = rf"{presets.SHARE_PREREQ_DIR}\vcredist_x64_2013.exe"
    args = {"path": share, "arguments": "/install /quiet /norestart", "product_id": VC2013_ID}
    ntlm = Runner(presets.build("ws2022-bare"), auth="ntlm")
    res = ntlm.module(PKG, args)
    assert ntlm.last_rc == 1 and res["msg"] == f"the file at the path '{share}' cannot be reached"
    res = ntlm.module(PKG, args, become_user="RPI\\svc-exchange", become_password=presets.PASSWORDS["RPI\\svc-exchange"])
    assert res["changed"] is True
    basic = Runner(presets.build("ws2022-bare"), auth="basic")
    assert basic.module(PKG, args)["changed"] is True


def test_absent_uninstalls_by_product_id_and_check_mode_changes_nothing() -> None:
    run = Runner(presets.build("ws2022-ready"))
    res = run.module(PKG, {"product_id": VC2013_ID, "state": "absent"}, check=True)
    assert res["changed"] is True and run.host.uninstall_entry_exists(VC2013_ID)
    res = run.module(PKG, {"product_id": VC2013_ID, "state": "absent"})
    assert res["changed"] is True and not run.host.uninstall_entry_exists(VC2013_ID)


def test_missing_installer_file() -> None:
    run = Runner(presets.build("ws2022-bare-share-only"))
    res = run.module(PKG, {"path": rf"{LOCAL}\vcredist_x64_2013.exe", "product_id": VC2013_ID})
    assert res["msg"] == rf"the file at the path '{LOCAL}\vcredist_x64_2013.exe' cannot be reached"
