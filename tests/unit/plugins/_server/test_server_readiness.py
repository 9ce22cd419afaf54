"""Activity 2's checks (plugin_utils/_server/readiness.py)."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.readiness import Thresholds, blocking_failures, evaluate

SE = "15.2.2562.17"
CU14 = "15.2.1544.4"
FACTS = {
    "os": {"name": "Windows Server 2022", "build": 20348, "edition": "Standard"},
    "computer": {"domain": "rpi.gob.gt", "domain_joined": True, "is_domain_controller": False},
    "hardware": {"cores": 8, "memory_gb": 128.0},
    "page_file": {"automatic": False, "total_maximum_mb": 32768, "recommended_mb": 32768},
    "volumes": [{"drive": "C", "file_system": "NTFS", "free_gb": 150.0}, {"drive": "E", "file_system": "ReFS", "free_gb": 500.0}],
    "network": {"static_ip": True},
}


def failing(facts=None, **kwargs):
    checks = evaluate(facts or FACTS, media_version=kwargs.pop("media_version", SE), **kwargs)
    return [check.name for check in blocking_failures(checks)]


def changed(path, value):
    facts = copy.deepcopy(FACTS)
    *parents, leaf = path.split(".")
    target = facts
    for parent in parents:
        target = target[parent]
    target[leaf] = value
    return facts


def test_a_fit_server_passes_everything():
    checks = evaluate(FACTS, media_version=SE)
    assert all(check.ok for check in checks), [check.name for check in checks if not check.ok]


@pytest.mark.parametrize("facts, expected", [
    (changed("os.build", 26100), []),
    (changed("computer.is_domain_controller", True), ["not_domain_controller"]),
    (changed("computer.domain_joined", False), ["domain_joined"]),
    (changed("hardware.cores", 2), ["cores"]),
    (changed("hardware.memory_gb", 8.0), ["memory"]),
    (changed("network.static_ip", False), ["static_ip"]),
    (changed("os.edition", "Essentials"), ["os_edition"]),
    (changed("volumes", [{"drive": "C", "file_system": "NTFS", "free_gb": 12.0}]), ["install_drive_free"]),
])
def test_each_blocking_problem(facts, expected):
    assert failing(facts) == expected


def test_windows_server_2025_needs_cu15_or_later():
    assert failing(changed("os.build", 26100), media_version=CU14) == ["os_supported"]
    assert failing(changed("os.build", 26100), media_version="15.2.1748.10") == []


def test_install_drive_follows_target_dir_and_needs_ntfs():
    assert failing(target_dir=r"E:\Exchange") == ["install_drive_file_system"]
    assert failing(target_dir=r"F:\Exchange") == ["install_drive_free"]


def test_recommended_memory_and_page_file_only_warn():
    facts = changed("hardware.memory_gb", 64.0)
    facts["page_file"] = {"automatic": True, "total_maximum_mb": 0, "recommended_mb": 16384}
    checks = {check.name: check for check in evaluate(facts, media_version=SE)}
    assert not checks["memory_recommended"].ok and not checks["memory_recommended"].blocking
    assert not checks["page_file"].ok and not checks["page_file"].blocking
    assert blocking_failures(list(checks.values())) == []


def test_rpi_thresholds_are_configurable():
    assert failing(changed("network.static_ip", False), thresholds=Thresholds(require_static_ip=False)) == []
    assert failing(thresholds=Thresholds(min_cores=16)) == ["cores"]


def test_management_tools_do_not_need_a_domain_or_memory():
    names = [check.name for check in evaluate(changed("computer.domain_joined", False), media_version=SE, role="ManagementTools")]
    assert "domain_joined" not in names and "memory_recommended" not in names


# --- issue 14, item 9: a hardening policy that forbids setup's scheduled task ----------------------------------------

def with_policy(disable_domain_creds, **exchange):
    facts = changed("policies", {"disable_domain_creds": disable_domain_creds})
    if exchange:
        facts["exchange"] = exchange
    return facts


def test_disable_domain_creds_is_refused_before_any_change_naming_the_policy_and_the_fix():
    checks = {check.name: check for check in evaluate(with_policy(True), media_version=SE)}
    check = checks["stored_task_password_allowed"]
    assert not check.ok and check.blocking and check.actual == "1"
    assert "DisableDomainCreds" in check.message_es
    assert ("«Acceso de red: no permitir el almacenamiento de contraseñas y credenciales para la autenticación de red»"
            in check.message_es)
    assert "Network access: Do not allow storage of passwords and credentials for network authentication" in check.message_es
    assert "0x80070520" in check.message_es
    assert "El administrador debe deshabilitar esa directiva para este servidor" in check.message_es
    assert "gpupdate /force" in check.message_es and "Opciones de seguridad" in check.message_es
    assert "The administrator must disable that policy for this server" in check.message_en
    assert failing(with_policy(True)) == ["stored_task_password_allowed"]


def test_the_policy_off_or_unread_blocks_nothing():
    assert failing(with_policy(False)) == []
    assert next(check for check in evaluate(with_policy(False), media_version=SE) if check.name == "stored_task_password_allowed").ok
    assert failing(with_policy(None)) == []
    assert "stored_task_password_allowed" not in [check.name for check in evaluate(FACTS, media_version=SE)]


def test_the_policy_only_warns_when_no_setup_will_run():
    """Exchange already at the media's build: activity 8 registers no task; the IT Head still sees the policy."""
    facts = with_policy(True, installed=True, version=SE)
    assert failing(facts) == []
    check = next(check for check in evaluate(facts, media_version=SE) if check.name == "stored_task_password_allowed")
    assert not check.ok and not check.blocking
    assert failing(with_policy(True, installed=True, version=CU14)) == ["stored_task_password_allowed"]


# --- issue 14, item 11: WinRM's configuration before setup -----------------------------------------------------------

THUMB = "4F1E0C2B9A7D3E5F6A8B0C1D2E3F405162738495"
HTTPS_LISTENER = {"port": 5986, "hostname": "rpi-exch01.rpi.gob.gt", "cert_thumbprint": THUMB}


def with_winrm(present, listeners):
    return changed("winrm", {"issues": [] if present else ["wsman_updated_config_missing"], "updated_config_present": present,
                             "listeners": listeners})


def winrm_check(facts, transport="HTTPS"):
    return next(check for check in evaluate(facts, media_version=SE, connection_transport=transport)
                if check.name == "winrm_configuration")


def test_updated_config_present_is_fine():
    check = winrm_check(with_winrm(True, {"HTTPS": HTTPS_LISTENER}))
    assert check.ok and "UpdatedConfig" in check.message_es


def test_without_updated_config_activity_8_restores_keeping_the_https_listener():
    """A warning the IT Head sees: WinRM is restored, its listener created again, the server restarts before setup."""
    check = winrm_check(with_winrm(False, {"HTTPS": HTTPS_LISTENER, "HTTP": {"port": 5985}}))
    assert not check.ok and not check.blocking
    assert "winrm invoke Restore winrm/config @{}" in check.message_es and THUMB in check.message_es
    assert failing(with_winrm(False, {"HTTPS": HTTPS_LISTENER})) == []


def test_without_updated_config_a_connection_the_restore_would_cut_is_refused():
    facts = with_winrm(False, {"HTTP": {"port": 5985}})
    check = winrm_check(facts)
    assert not check.ok and check.blocking and "No se cambió nada" in check.message_es
    assert [check.name for check in blocking_failures(evaluate(facts, media_version=SE, connection_transport="HTTPS"))] == [
        "winrm_configuration"]
    no_certificate = with_winrm(False, {"HTTPS": {**HTTPS_LISTENER, "cert_thumbprint": ""}})
    assert winrm_check(no_certificate).blocking and "no certificate thumbprint" in winrm_check(no_certificate).message_en
