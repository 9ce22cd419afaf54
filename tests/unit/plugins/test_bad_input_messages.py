"""Issue 8's bad inputs: every refusal before the first change names the inventory variable to correct, in Spanish.

The decisions behind the refusals that did not (extensions/molecule/bad_input found them): activity 2's server checks
(server_readiness: the install drive, the operating system the media supports), the setup decision (a downgrade, a
role that is not the server's), the media's SHA-256 (exchange_media) and norm 5.1's domain check (rpi_guard).
"""

from __future__ import annotations

import copy

import pytest

from ansible_collections.rpi.exchange.plugins.action import exchange_media as media_action
from ansible_collections.rpi.exchange.plugins.action import server_readiness as readiness_action
from ansible_collections.rpi.exchange.plugins.action import setup_decision as decision_action
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.media import hash_problem
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.server_guard import check_rpi_server
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.readiness import blocking_failures, evaluate
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.mode import decide_mode, name_inputs

CU13, CU14, CU15, SE = "15.2.1258.12", "15.2.1544.4", "15.2.1748.10", "15.2.2562.17"
PREPARE_SERVER_NAMES = {"media_version": "rpi_exchange_media", "target_dir": "rpi_exchange_target_dir", "role": "rpi_exchange_role"}
FACTS = {
    "os": {"name": "Windows Server 2022", "key": "WS2022", "build": 20348, "version": "10.0.20348", "edition": "Standard"},
    "computer": {"hostname": "RPI-EXCH01", "domain": "rpi.gob.gt", "domain_joined": True, "is_domain_controller": False},
    "hardware": {"cores": 8, "memory_gb": 128.0},
    "page_file": {"automatic": False, "total_maximum_mb": 32768, "recommended_mb": 32768},
    "volumes": [{"drive": "C", "file_system": "NTFS", "free_gb": 150.0}, {"drive": "D", "file_system": "ReFS", "free_gb": 500.0},
                {"drive": "E", "file_system": "NTFS", "free_gb": 12.0}],
    "network": {"static_ip": True},
    "exchange": {"installed": False, "present": False, "version": None, "roles": [], "interrupted": {}},
}


def facts(**changes):
    data = copy.deepcopy(FACTS)
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = data
        for parent in parents:
            target = target[parent]
        target[leaf] = value
    return data


def refusals(server, **kwargs):
    """The Spanish messages of activity 2's blocking checks, named as prepare_server names them."""
    checks = evaluate(server, media_version=kwargs.pop("media_version", SE), variable_names=PREPARE_SERVER_NAMES, **kwargs)
    return {check.name: check.message_es for check in blocking_failures(checks)}


# --- server_readiness -------------------------------------------------------------------------------------------------

def test_a_missing_install_drive_names_target_dir_and_the_drives_there_are():
    message = refusals(FACTS, target_dir="Q:\\Exchange Server\\V15")["install_drive_free"]
    assert message.startswith("rpi_exchange_target_dir: La unidad Q: no existe en el servidor.")
    assert "Indique en rpi_exchange_target_dir una carpeta en una unidad que exista; el servidor tiene: C:, D:, E:." in message


def test_an_install_drive_without_room_names_target_dir_and_the_fix():
    message = refusals(FACTS, target_dir="E:\\Exchange Server\\V15")["install_drive_free"]
    assert message.startswith("rpi_exchange_target_dir: Espacio libre en E: 12 GB (se requieren 30 GB).")
    assert "Libere espacio en E: o indique en rpi_exchange_target_dir una carpeta en otra unidad." in message


def test_an_install_drive_that_is_not_ntfs_names_target_dir():
    message = refusals(FACTS, target_dir="D:\\Exchange Server\\V15")["install_drive_file_system"]
    assert message.startswith("rpi_exchange_target_dir: ") and "una unidad NTFS" in message


def test_media_the_operating_system_does_not_support_names_the_media():
    message = refusals(facts(os__build=26100, os__name="Windows Server 2025"), media_version=CU14)["os_supported"]
    assert message.startswith("rpi_exchange_media: Windows Server 2025 no admite Exchange 2019 CU14")
    assert "Indique en rpi_exchange_media el medio (ISO y su SHA-256)" in message


def test_without_variable_names_the_checks_say_only_the_server_fact():
    checks = evaluate(FACTS, media_version=SE, target_dir="Q:\\Exchange")
    assert {check.name: check.message_es for check in blocking_failures(checks)} == {
        "install_drive_free": "La unidad Q: no existe en el servidor."}


def test_checks_that_pass_or_no_input_can_fix_are_not_named():
    found = evaluate(facts(hardware__cores=2), media_version=SE, target_dir="C:\\Exchange", variable_names=PREPARE_SERVER_NAMES)
    checks = {check.name: check for check in found}
    assert not checks["cores"].ok and "rpi_exchange" not in checks["cores"].message_es
    assert checks["install_drive_free"].ok and "rpi_exchange" not in checks["install_drive_free"].message_es
    assert checks["os_supported"].ok and "rpi_exchange" not in checks["os_supported"].message_es


def test_a_hardening_policy_no_input_can_fix_names_the_policy_and_what_the_administrator_does():
    """Issue 14, item 9: DisableDomainCreds=1 forbids setup's scheduled task; no inventory variable fixes it, so the
    refusal names the policy (its registry value and GPO name) and the administrator's fix, in Spanish."""
    message = refusals(facts(policies={"disable_domain_creds": True}), target_dir="C:\\Exchange Server\\V15")[
        "stored_task_password_allowed"]
    assert not any(name in message for name in PREPARE_SERVER_NAMES.values())
    assert "DisableDomainCreds" in message
    assert "Network access: Do not allow storage of passwords and credentials for network authentication" in message
    assert "El administrador debe deshabilitar esa directiva" in message and "volver a ejecutar la instalación" in message


def test_the_readiness_and_decision_actions_take_variable_names():
    assert readiness_action.ARGUMENT_SPEC["variable_names"] == {"type": "dict", "default": {}}
    assert decision_action.ARGUMENT_SPEC["variable_names"] == {"type": "dict", "default": {}}
    assert media_action.ARGUMENT_SPEC["variable_names"] == {"type": "dict", "default": {}}


# --- setup decision ---------------------------------------------------------------------------------------------------

def installed(version):
    return facts(exchange={"installed": True, "present": True, "version": version, "roles": ["Mailbox"], "interrupted": {}})


def test_a_downgrade_names_the_media_and_asks_for_the_installed_version_or_later():
    decision = name_inputs(decide_mode(installed(SE), CU15, role="Mailbox"), PREPARE_SERVER_NAMES)
    assert (decision.mode, decision.reason) == ("refuse", "downgrade")
    assert decision.message_es.endswith("Indique en rpi_exchange_media el medio (ISO y su SHA-256) de la versión instalada o de una "
                                        "posterior.")
    assert "rpi_exchange_media" in decision.message_en and decision.as_dict()["message_es"] == decision.message_es


@pytest.mark.parametrize("server, media, role, reason, variable", [
    (facts(os__build=26100, os__key="WS2025", os__version="10.0.26100"), CU14, None, "os_not_supported", "rpi_exchange_media"),
    (installed(CU13), SE, None, "se_needs_cu14_or_cu15", "rpi_exchange_media"),
    (FACTS, CU15, "ClientAccess", "role_unknown", "rpi_exchange_role"),
    (facts(exchange={"installed": True, "present": True, "version": CU15, "roles": ["EdgeTransport"], "interrupted": {}}),
     SE, "Mailbox", "role_mismatch", "rpi_exchange_role"),
])
def test_refusals_a_choice_can_fix_name_its_variable(server, media, role, reason, variable):
    decision = name_inputs(decide_mode(server, media, role=role), PREPARE_SERVER_NAMES)
    assert (decision.mode, decision.reason) == ("refuse", reason)
    assert variable in decision.message_es and variable in decision.message_en


def test_other_decisions_are_left_as_they_are():
    fresh = decide_mode(FACTS, SE)
    assert name_inputs(fresh, PREPARE_SERVER_NAMES) == fresh
    running = decide_mode(facts(exchange={"setup_running": True, "setup_processes": ["ExSetup.exe"]}), SE)
    assert running.refused and name_inputs(running, PREPARE_SERVER_NAMES) == running
    downgrade = decide_mode(installed(SE), CU15)
    assert name_inputs(downgrade, {}) == downgrade == name_inputs(downgrade, None)


# --- media and norm 5.1 -----------------------------------------------------------------------------------------------

def test_a_wrong_sha256_names_the_inventory_variable():
    action = media_action.ActionModule.__new__(media_action.ActionModule)
    action._variable_names = {"iso": "rpi_exchange_media.iso", "sha256": "rpi_exchange_media.sha256"}  # pylint: disable=protected-access
    problem = hash_problem("\\\\rpi-fs01\\instaladores\\Exchange\\ExchangeServerSE-x64.iso", "0" * 64, "f" * 64)
    result = action._refuse({"rpi_report": {"evidence": []}}, (problem,), "es")  # pylint: disable=protected-access
    assert result["failed"] and result["msg"].startswith("Medio de Exchange rechazado: rpi_exchange_media.sha256: El SHA-256 de")
    assert result["problems"][0]["variable"] == "rpi_exchange_media.sha256"
    action._variable_names = {}  # pylint: disable=protected-access
    assert action._refuse({"rpi_report": {"evidence": []}}, (problem,), "es")["msg"].startswith(  # pylint: disable=protected-access
        "Medio de Exchange rechazado: sha256: ")


@pytest.mark.parametrize("computer", [
    {"hostname": "RPI-EXCH01", "domain_joined": False, "domain": None},
    {"hostname": "RPI-EXCH01", "domain_joined": True, "domain": "mineco.gob.gt"},
])
def test_a_server_outside_the_rpi_domain_names_the_domain_variable_and_ansible_host(computer):
    problems = check_rpi_server(inventory_hostname="rpi-exch01", group_names=["rpi_exchange_servers"], declared=True,
                                rpi_domain="rpi.gob.gt", expected_hostname=None, server_facts={"computer": computer})
    assert [problem.check for problem in problems] == ["domain"]
    for language in ("es", "en"):
        assert "rpi_exchange_rpi_domain: rpi.gob.gt" in problems[0].message(language)
        assert "ansible_host of rpi-exch01" in problems[0].message("en") and "ansible_host de rpi-exch01" in problems[0].message("es")


def test_a_server_with_another_name_names_the_hostname_variable():
    problems = check_rpi_server(inventory_hostname="rpi-exch01", group_names=["rpi_exchange_servers"], declared=True,
                                rpi_domain="rpi.gob.gt", expected_hostname="RPI-EXCH01",
                                server_facts={"computer": {**FACTS["computer"], "hostname": "MINECO-MAIL"}})
    assert "(rpi_exchange_server_hostname)" in problems[0].message("es") and "ansible_host" in problems[0].message("es")
