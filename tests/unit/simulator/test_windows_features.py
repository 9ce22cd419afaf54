"""win_feature against the model: idempotence, reboot flags, check mode, per-OS availability (exchange-facts §2.4)."""

from __future__ import annotations

from simulator.windows import presets
from simulator.windows.features import exchange_features
from simulator.windows.testing import Runner

WIN_FEATURE = "ansible.windows.win_feature"


def test_install_is_idempotent_and_reports_reboot() -> None:
    run = Runner(presets.build("ws2022-bare"))
    first = run.module(WIN_FEATURE, {"name": ["Server-Media-Foundation", "Web-Basic-Auth"]})
    assert run.last_rc == 0
    assert first["changed"] is True
    assert first["exitcode"] == "SuccessRestartRequired"
    assert first["reboot_required"] is True
    names = {f["display_name"]: f for f in first["feature_result"]}
    assert names["Media Foundation"]["reboot_required"] is True
    assert "Web Server (IIS)" in names  # parents come along, as with Install-WindowsFeature
    assert names["Basic Authentication"]["reboot_required"] is False
    second = run.module(WIN_FEATURE, {"name": "Server-Media-Foundation, Web-Basic-Auth"})
    assert second["changed"] is False
    assert second["exitcode"] == "NoChangeNeeded"
    assert second["feature_result"] == []
    assert second["reboot_required"] is True  # still InstallPending until the reboot
    run.host.reboot()
    third = run.module(WIN_FEATURE, {"name": ["Server-Media-Foundation"]})
    assert third["changed"] is False and third["reboot_required"] is False


def test_no_restart_feature_exitcode_success_and_services_created() -> None:
    run = Runner(presets.build("ws2022-bare"))
    res = run.module(WIN_FEATURE, {"name": "Web-Server", "include_management_tools": True})
    assert res["exitcode"] == "Success" and res["reboot_required"] is False
    assert run.host.feature_installed("Web-Mgmt-Console")
    assert run.host.get_service("W3SVC").state == "running"


def test_check_mode_reports_without_installing() -> None:
    run = Runner(presets.build("ws2022-bare"))
    res = run.module(WIN_FEATURE, {"name": ["RSAT-ADDS"]}, check=True)
    assert res["changed"] is True
    assert not run.host.feature_installed("RSAT-ADDS")


def test_unknown_or_unavailable_feature_fails_like_server_manager() -> None:
    run = Runner(presets.build("ws2022-core-bare"))
    res = run.module(WIN_FEATURE, {"name": ["Web-Mgmt-Console"]})  # Desktop-only (§2.4 Core list omits it)
    assert run.last_rc == 1
    assert res["msg"] == ("Failed to install Windows Feature: ArgumentNotValid: The role, role service, or feature name is "
                          "not valid: 'Web-Mgmt-Console'. The name was not found.")


def test_exchange_feature_lists_install_on_each_os() -> None:
    for name in ("ws2019-bare", "ws2022-core-bare", "ws2025-bare"):
        host = presets.build(name)
        run = Runner(host)
        res = run.module(WIN_FEATURE, {"name": list(exchange_features(host.os.installation_type))})
        assert run.last_rc == 0, res
        assert res["reboot_required"] is True  # Server-Media-Foundation


def test_remove_feature_and_sub_features() -> None:
    run = Runner(presets.build("ws2022-ready"))
    res = run.module(WIN_FEATURE, {"name": "Web-Dir-Browsing", "state": "absent"})
    assert res["changed"] is True and not run.host.feature_installed("Web-Dir-Browsing")
    res = run.module(WIN_FEATURE, {"name": "MSMQ", "include_sub_features": True})
    assert run.host.feature_installed("MSMQ-Server")
