# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Role, location and custom options (plugins/plugin_utils/_setup/options.py, plugins/action/exchange_setup_options.py)."""

from __future__ import annotations

import copy
import dataclasses
from unittest.mock import MagicMock

import pytest

from ansible_collections.rpi.exchange.plugins.action.exchange_setup_options import ActionModule
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.options import (
    RoleRequest,
    normalize_path,
    role_options_evidence,
    select_role_options,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.plan import SetupPlan, build_command

CU13, CU14, CU15, SE = "15.2.1258.12", "15.2.1544.4", "15.2.1748.10", "15.2.2562.17"
FACTS = {
    "os": {"name": "Windows Server 2022", "key": "WS2022", "build": 20348},
    "volumes": [
        {"drive": "C", "label": "Sistema", "file_system": "NTFS", "drive_type": "Fixed", "size_gb": 100.0, "free_gb": 60.0},
        {"drive": "E", "label": "Exchange", "file_system": "NTFS", "drive_type": "Fixed", "size_gb": 200.0, "free_gb": 150.0},
        {"drive": "F", "label": "Bases", "file_system": "ReFS", "drive_type": "Fixed", "size_gb": 500.0, "free_gb": 400.0},
        {"drive": "G", "label": "Registros", "file_system": "NTFS", "drive_type": 3, "size_gb": 100.0, "free_gb": 90.0},
        {"drive": "H", "label": "Pequeña", "file_system": "NTFS", "drive_type": "Fixed", "size_gb": 40.0, "free_gb": 12.5},
        {"drive": "R", "label": "USB", "file_system": "FAT32", "drive_type": "Removable", "size_gb": 64.0, "free_gb": 60.0},
        {"drive": "Z", "label": "Red", "file_system": "NTFS", "drive_type": "Network", "size_gb": 900.0, "free_gb": 800.0},
    ],
    "exchange": {"installed": False, "present": False, "version": None, "roles": [], "install_path": None, "interrupted": {}},
}
VARIABLES = {
    "role": "rpi_exchange_role", "target_dir": "rpi_exchange_target_dir", "organization_name": "rpi_exchange_organization_name",
    "first_server": "rpi_exchange_first_server", "database": "rpi_exchange_database",
    "extended_protection": "rpi_exchange_extended_protection",
}
FULL = RoleRequest(
    role="Mailbox", mode="install", media_version=CU15, target_dir="E:\\Exchange Server\\V15\\", first_server=True,
    organization_name="RPI Guatemala",
    database={"name": "RPI-DB01", "edb_path": "F:\\Bases\\RPI-DB01\\RPI-DB01.edb", "log_path": "G:\\Registros\\RPI-DB01"},
    disable_am_filtering=False, do_not_start_transport=True, extended_protection="skip", domain_controller="dc01.rpi.local",
    install_windows_components=True,
)


def select(facts=None, **changes):
    return select_role_options(dataclasses.replace(FULL, **changes), copy.deepcopy(FACTS) if facts is None else facts,
                               variable_names=VARIABLES)


def codes(selection):
    return [(problem.option, problem.code) for problem in selection.problems]


def test_the_rpi_mailbox_choice():
    selection = select()
    assert selection.ok and selection.problems == ()
    assert (selection.role, selection.mode, selection.media_version) == ("Mailbox", "Install", CU15)
    assert selection.switches == (
        "/Roles:Mailbox", '/TargetDir:"E:\\Exchange Server\\V15"', '/OrganizationName:"RPI Guatemala"', "/MdbName:RPI-DB01",
        "/DbFilePath:F:\\Bases\\RPI-DB01\\RPI-DB01.edb", "/LogFolderPath:G:\\Registros\\RPI-DB01",
        "/DomainController:dc01.rpi.local", "/DoNotStartTransport", "/DoNotEnableEP", "/InstallWindowsComponents")
    assert selection.options["target_dir"] == "E:\\Exchange Server\\V15"  # trailing backslash removed
    assert selection.options["database"]["name"] == "RPI-DB01"
    # The values feed the plan, and the plan's command line agrees with the rendered switches.
    plan = SetupPlan("D:\\", CU15, "Install", "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", selection.role, selection.switch_values)
    assert build_command(plan).command_line == "D:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install " \
        + " ".join(selection.switches)
    evidence = role_options_evidence(selection)["evidence"][0]
    assert evidence["kind"] == "check" and evidence["details"]["status"] == "accepted" and evidence["level"] == "ok"
    assert evidence["details"]["activities"] == [5, 7]
    assert "ubicación: E:\\Exchange Server\\V15" in evidence["summary_es"]


@pytest.mark.parametrize("target_dir, code", [
    ("E:\\", "target_dir_root"),
    ("E:", "target_dir_root"),
    ("\\\\files01\\exchange", "path_network"),
    ("Exchange", "path_not_absolute"),
    ("K:\\Exchange Server", "drive_missing"),
    ("H:\\Exchange Server", "not_enough_space"),
    ("R:\\Exchange", "target_dir_drive_type"),
    ("Z:\\Exchange", "target_dir_drive_type"),
    ("F:\\Exchange", "file_system_not_allowed"),   # ReFS may hold databases, not Exchange's binaries
    ("E:\\Exchange|Server", "path_characters"),
])
def test_target_dir_refusals(target_dir, code):
    selection = select(target_dir=target_dir)
    assert codes(selection) == [("target_dir", code)]
    assert selection.problems[0].variable == "rpi_exchange_target_dir"
    assert not any(switch.startswith("/TargetDir") for switch in selection.switches)


def test_messages_name_the_variable_and_say_how_to_fix():
    root, space, missing = (select(target_dir=path).problems[0] for path in ("E:\\", "H:\\Exchange", "K:\\Exchange"))
    assert root.message() == ("rpi_exchange_target_dir: Exchange no se puede instalar en la raíz de una unidad ('E:\\'). Indique una "
                              "carpeta dentro de la unidad, por ejemplo E:\\Exchange Server\\V15.")
    assert space.message() == ("rpi_exchange_target_dir: La unidad H: tiene 12.5 GB libres; la unidad de instalación de Exchange "
                               "necesita al menos 30 GB. Libere espacio en H: o elija otra unidad en rpi_exchange_target_dir.")
    assert "el servidor tiene: C:, E:, F:, G:, H:, R:, Z:" in missing.message()
    assert missing.message("en").startswith("rpi_exchange_target_dir: Drive K: does not exist on the server.")


@pytest.mark.parametrize("name, code", [
    ("R" * 65, "organization_name_too_long"),
    ("RPI_Guatemala", "organization_name_characters"),
    ("Registro de la Propiedad Intelectual, Guatemala", "organization_name_characters"),
    (" RPI", "organization_name_spaces"),
    ("", "organization_name_empty"),
])
def test_organization_name_rules(name, code):
    selection = select(organization_name=name)
    assert ("organization_name", code) in codes(selection)
    assert "1 a 64 caracteres" in selection.problems[0].message()


def test_organization_name_only_for_the_first_server():
    selection = select(first_server=False)
    assert codes(selection) == [("organization_name", "organization_name_not_first_server")]
    assert "rpi_exchange_first_server: true" in selection.problems[0].message()
    assert "Quite rpi_exchange_organization_name" in selection.problems[0].message()
    assert select(first_server=False, organization_name=None).ok


def test_unknown_role_names_the_option():
    selection = select(role="Hub")
    assert ("role", "role_unknown") in codes(selection)
    assert selection.problems[0].message().startswith("rpi_exchange_role: 'Hub' no es un rol de Exchange. Use uno de: Mailbox,")
    assert select(role="mb").role == "Mailbox"


def test_extended_protection_needs_cu14():
    selection = select(media_version=CU13)
    assert codes(selection) == [("extended_protection", "switch_too_new")]
    assert "CU14" in selection.problems[0].message()
    assert select(media_version=CU13, extended_protection="enable").ok
    assert select(extended_protection="skip_front_end_ews").switches[-2] == "/DoNotEnableEP_FEEWS"
    assert codes(select(extended_protection="off")) == [("extended_protection", "extended_protection_invalid")]


def test_mailbox_only_options_with_edge():
    selection = select(role="EdgeTransport", organization_name=None, do_not_start_transport=False, extended_protection="enable",
                       install_windows_components=False)
    assert codes(selection) == [("domain_controller", "not_valid_here"), ("database.name", "not_valid_here"),
                                ("database.edb_path", "not_valid_here"), ("database.log_path", "not_valid_here")]
    assert selection.problems[1].variable == "rpi_exchange_database.name"
    edge = select(role="EdgeTransport", organization_name=None, database=None, domain_controller=None)
    assert edge.ok and edge.switches[0] == "/Roles:EdgeTransport"


def test_every_problem_is_collected():
    selection = select(role="Hub", target_dir="E:\\", organization_name="RPI_GT", first_server=False, media_version=CU13,
                       database={"name": "DB1.edb", "edb_path": "\\\\nas\\db\\db1.edb", "log_path": "R:\\Logs", "size": 10})
    found = codes(selection)
    for expected in [("role", "role_unknown"), ("target_dir", "target_dir_root"), ("organization_name", "organization_name_not_first_server"),
                     ("organization_name", "organization_name_characters"), ("database.name", "name_is_path"),
                     ("database.edb_path", "path_network"), ("database.log_path", "drive_not_fixed"),
                     ("database.log_path", "file_system_not_allowed"), ("database.size", "database_unknown_key"),
                     ("extended_protection", "switch_too_new")]:
        assert expected in found
    assert selection.switches == ("/DomainController:dc01.rpi.local", "/DoNotStartTransport", "/InstallWindowsComponents")


def test_database_paths_on_fixed_local_ntfs_or_refs():
    assert select(database={"edb_path": "F:\\DB\\A.edb", "log_path": "F:\\Logs"}).ok   # ReFS is fine for databases and logs
    assert codes(select(database={"edb_path": "K:\\DB\\A.edb"})) == [("database.edb_path", "drive_missing")]
    assert codes(select(database={"edb_path": "E:\\DB\\A"})) == [("database.edb_path", "path_suffix")]
    assert codes(select(database="RPI-DB01")) == [("database", "database_not_mapping")]


def test_default_location_needs_space_on_the_system_drive():
    facts = copy.deepcopy(FACTS)
    facts["volumes"][0]["free_gb"] = 20.0
    assert codes(select(facts, target_dir=None)) == [("target_dir", "not_enough_space")]
    assert select(facts).ok  # an explicit folder elsewhere


def test_server_facts_are_required():
    selection = select_role_options(FULL, None)
    assert codes(selection) == [("server_facts", "server_facts_missing")]
    assert "rpi.exchange.exchange_facts" in selection.problems[0].message()


@pytest.mark.parametrize("mode", ["resume", "uninstall", "PrepareAD", "fast"])
def test_mode_must_be_a_setup_mode_of_the_procedure(mode):
    assert ("mode", "mode_invalid") in codes(select(mode=mode))


@pytest.mark.parametrize("media", [None, "", "CU15", "15.1.2507.6"])
def test_media_version_is_required(media):
    assert ("media_version", "media_version_invalid") in codes(select(media_version=media))


def installed_facts(roles=("Mailbox", "ManagementTools"), free_gb=150.0):
    facts = copy.deepcopy(FACTS)
    facts["volumes"][1]["free_gb"] = free_gb
    facts["exchange"].update(installed=True, present=True, version=CU14, roles=list(roles),
                             install_path="E:\\Exchange Server\\V15\\")
    return facts


def test_upgrade_ignores_install_time_options():
    selection = select(installed_facts(), mode="upgrade", media_version=SE)
    assert selection.ok and selection.mode == "Upgrade"
    assert selection.switches == ("/DomainController:dc01.rpi.local", "/DoNotEnableEP")
    assert [item.option for item in selection.ignored] == [
        "target_dir", "organization_name", "database.name", "database.edb_path", "database.log_path", "do_not_start_transport",
        "install_windows_components"]
    assert "no se usa con /Mode:Upgrade" in selection.ignored[0].es
    evidence = role_options_evidence(selection)["evidence"][0]
    assert "Opciones no usadas en este modo: target_dir" in evidence["summary_es"]
    assert "la de la instalación existente" in evidence["summary_es"]


def test_upgrade_checks_the_installed_role_and_the_install_drive():
    assert codes(select(installed_facts(roles=("EdgeTransport", "ManagementTools")), mode="upgrade")) == [("role", "role_not_installed")]
    selection = select(installed_facts(free_gb=10.0), mode="upgrade")
    assert codes(selection) == [("server_facts", "not_enough_space")]
    assert "antes de actualizar" in selection.problems[0].message()


def test_recover_server_keeps_the_location_and_transport():
    selection = select(mode="RecoverServer", organization_name=None)
    assert selection.ok and selection.mode == "RecoverServer"
    assert selection.switches == ('/TargetDir:"E:\\Exchange Server\\V15"', "/DomainController:dc01.rpi.local", "/DoNotStartTransport")
    assert {item.option for item in selection.ignored} == {
        "database.name", "database.edb_path", "database.log_path", "extended_protection", "install_windows_components"}


@pytest.mark.parametrize("value, expected", [
    ("E:\\Exchange\\", "E:\\Exchange"), ("E:/Exchange/V15/", "E:\\Exchange\\V15"), ("E:\\\\", "E:\\"), ("E:", "E:"),
    (" E:\\X ", "E:\\X"), (None, None), ("\\\\srv\\share\\", "\\\\srv\\share"),
])
def test_normalize_path(value, expected):
    assert normalize_path(value) == expected


# --- the action plugin -------------------------------------------------------------------------------------------------


def run_action(args, task_vars=None, check_mode=False):
    task = MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    task.action = "rpi.exchange.exchange_setup_options"
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = ActionModule(task, connection, play_context=MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    result = action.run(task_vars=task_vars or {})
    connection.exec_command.assert_not_called()
    connection.put_file.assert_not_called()
    return result


ARGS = {
    "role": "Mailbox", "media_version": CU15, "target_dir": "E:\\Exchange Server\\V15",
    "database": {"name": "RPI-DB01", "edb_path": "F:\\Bases\\RPI-DB01\\RPI-DB01.edb"}, "do_not_start_transport": True,
}


@pytest.mark.parametrize("check_mode", [False, True])
def test_action_uses_the_rpi_exchange_fact(check_mode):
    result = run_action(dict(ARGS), {"ansible_facts": {"rpi_exchange": copy.deepcopy(FACTS)}}, check_mode=check_mode)
    assert not result.get("failed") and result["changed"] is False
    assert result["switches"] == ["/Roles:Mailbox", '/TargetDir:"E:\\Exchange Server\\V15"', "/MdbName:RPI-DB01",
                                  "/DbFilePath:F:\\Bases\\RPI-DB01\\RPI-DB01.edb", "/DoNotStartTransport"]
    assert result["switch_values"][0] == {"name": "TargetDir", "value": "E:\\Exchange Server\\V15"}
    assert result["problems"] == [] and result["ignored"] == []
    assert result["rpi_report"]["evidence"][0]["kind"] == "check"
    assert result["msg"].startswith("Rol Mailbox, modo Install")
    # Only ansible_facts.rpi_exchange counts: not an injected top-level variable (INJECT_FACTS_AS_VARS goes in 2.24).
    assert run_action(dict(ARGS), {"rpi_exchange": copy.deepcopy(FACTS)})["problems"][0]["code"] == "server_facts_missing"


def test_action_fails_in_spanish_with_every_problem():
    args = dict(ARGS, target_dir="\\\\nas\\exchange", role="Hub", variable_names={"target_dir": "rpi_exchange_target_dir"},
                server_facts=copy.deepcopy(FACTS))
    result = run_action(args, check_mode=True)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("Opciones de instalación no válidas (2):\n- role: 'Hub' no es un rol de Exchange.")
    assert "\n- rpi_exchange_target_dir: La ruta debe estar en una unidad local, no en un recurso compartido de red." in result["msg"]
    assert result["rpi_report"]["evidence"][0]["details"]["status"] == "refused"
    assert result["rpi_report"]["evidence"][0]["level"] == "error"
    english = run_action(dict(args, language="en"))
    assert english["msg"].startswith("Invalid setup options (2):\n- role: 'Hub' is not an Exchange role.")
    assert "rpi_exchange_target_dir: The path must be on a local drive" in english["msg"]


def test_action_without_facts_says_to_gather_them():
    result = run_action(dict(ARGS))
    assert result["failed"] and "rpi.exchange.exchange_facts" in result["msg"]
