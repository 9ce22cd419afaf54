# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Setup.exe switches: licence switch per build, where each switch is valid, value rules."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import builds, switches
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import family

LEGACY = "/IAcceptExchangeServerLicenseTerms"
ON = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataON"
OFF = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"


def codes(problems):
    return [problem.code for problem in problems]


@pytest.mark.parametrize("build", builds.BUILDS, ids=lambda build: build.label)
def test_licence_switch_for_every_build_in_the_table(build):
    before_cu11 = family(build.version) < (15, 2, 986)
    assert switches.license_switch(build.version, diagnostic_data=True) == (LEGACY if before_cu11 else ON)
    assert switches.license_switch(build.version_text, diagnostic_data=False) == (LEGACY if before_cu11 else OFF)


def test_licence_switch_boundaries():
    assert switches.license_switch("15.2.922.27", True) == LEGACY       # last CU10 SU
    assert switches.license_switch("15.02.0986.005", False) == OFF      # CU11 in Install-Exchange15's notation
    assert switches.license_switch("15.1.2308.8", True) == LEGACY      # 2016 CU21
    assert switches.license_switch("15.1.2375.7", True) == ON          # 2016 CU22
    with pytest.raises(ValueError):
        switches.license_switch("nonsense", True)


def test_legacy_licence_switch_is_refused_on_cu11_and_later():
    assert codes(switches.validate_switch(LEGACY, None, "Upgrade", build="15.2.1748.10")) == ["license_switch_obsolete"]
    assert switches.validate_switch(LEGACY, None, "Upgrade", build="15.2.922.7") == []
    assert codes(switches.validate_switch(ON, None, "Install", "Mailbox", build="15.2.922.7")) == ["switch_too_new"]
    assert switches.validate_switch(OFF, None, "PrepareSchema", build="15.2.2562.17") == []


@pytest.mark.parametrize("name, expected", [
    ("RPI", []),
    ("Registro de la Propiedad Intelectual", []),
    ("RPI-Guatemala 2026", []),
    ("", ["organization_name_empty"]),
    ("   ", ["organization_name_empty"]),
    (" RPI", ["organization_name_spaces"]),
    ("RPI ", ["organization_name_spaces"]),
    ("RPI_GT", ["organization_name_characters"]),
    ("Registro de la Propiedad Intelectual, Guatemala", ["organization_name_characters"]),
    ("Organización", ["organization_name_characters"]),
    ("A" * 64, []),
    ("A" * 65, ["organization_name_too_long"]),
])
def test_organization_name_rules(name, expected):
    assert codes(switches.validate_switch("OrganizationName", name, "Install", "Mailbox")) == expected


def test_organization_name_where_valid():
    assert switches.validate_switch("on", "RPI", "PrepareAD") == []
    assert switches.validate_switch("OrganizationName", "RPI", "Install", "ManagementTools") == []
    assert codes(switches.validate_switch("OrganizationName", "RPI", "Upgrade")) == ["not_valid_here"]
    assert codes(switches.validate_switch("OrganizationName", "RPI", "Install", "EdgeTransport")) == ["not_valid_here"]


@pytest.mark.parametrize("path", ["C:\\", "D:", "e:/", "C:\\\\"])
def test_target_dir_root_refused(path):
    assert codes(switches.validate_switch("TargetDir", path, "Install", "Mailbox")) == ["target_dir_root"]


@pytest.mark.parametrize("path, drive_type, expected", [
    (r"D:\Exchange Server", None, []),
    (r"D:\Exchange Server", 3, []),
    (r"D:\Exchange Server", "Fixed", []),
    (r"D:\Exchange Server", 2, ["target_dir_drive_type"]),        # removable
    (r"R:\Exchange", 6, ["target_dir_drive_type"]),               # RAM disk
    (r"R:\Exchange", "Network", ["target_dir_drive_type"]),
    (r"\\files\share\Exchange", None, ["path_network"]),
    (r"Exchange", None, ["path_not_absolute"]),
    (r"D:\Exch|ange", None, ["path_characters"]),
    ("", None, ["path_empty"]),
])
def test_target_dir_paths(path, drive_type, expected):
    assert codes(switches.validate_switch("/t", path, "Install", "Mailbox", drive_type=drive_type)) == expected


def test_target_dir_only_install_and_recover():
    assert switches.validate_switch("TargetDir", r"D:\Exchange", "RecoverServer") == []
    assert codes(switches.validate_switch("TargetDir", r"D:\Exchange", "Upgrade")) == ["not_valid_here"]


@pytest.mark.parametrize("name", ["DoNotEnableEP", "DoNotEnableEP_FEEWS"])
def test_extended_protection_switches_need_cu14(name):
    assert codes(switches.validate_switch(name, None, "Install", "Mailbox", build="15.2.1258.39")) == ["switch_too_new"]
    assert switches.validate_switch(name, None, "Install", "Mailbox", build="15.2.1544.4") == []
    assert switches.validate_switch(name, None, "Upgrade", build="15.2.2562.17") == []
    assert switches.validate_switch(name, None, "Upgrade") == []   # no build given: no build check
    assert codes(switches.validate_switch(name, None, "PrepareAD", build="15.2.1748.10")) == ["not_valid_here"]


@pytest.mark.parametrize("mode, role", [("Install", "EdgeTransport"), ("Install", "ManagementTools"), ("Upgrade", None),
                                        ("RecoverServer", None), ("PrepareAD", None)])
def test_mdbname_only_with_install_mailbox(mode, role):
    assert codes(switches.validate_switch("MdbName", "DB01", mode, role)) == ["not_valid_here"]


def test_mdbname_values():
    assert switches.validate_switch("MdbName", "DB01", "Install", "Mailbox") == []
    assert switches.validate_switch("MdbName", "DB01", "Install") == []     # Install defaults to Mailbox
    assert codes(switches.validate_switch("MdbName", "DB01.edb", "Install", "Mailbox")) == ["name_is_path"]
    assert codes(switches.validate_switch("MdbName", "", "Install", "Mailbox")) == ["name_empty"]


def test_database_paths():
    assert switches.validate_switch("DbFilePath", r"E:\DB01\DB01.edb", "Install", "Mailbox") == []
    assert codes(switches.validate_switch("DbFilePath", r"E:\DB01", "Install", "Mailbox")) == ["path_suffix"]
    assert switches.validate_switch("LogFolderPath", r"F:\Logs\DB01", "Install", "Mailbox") == []
    assert codes(switches.validate_switch("LogFolderPath", r"\\nas\logs", "Install", "Mailbox")) == ["path_network"]


def test_other_contexts():
    assert switches.validate_switch("DomainController", "dc01.rpi.local", "PrepareSchema") == []
    assert codes(switches.validate_switch("dc", "dc01.rpi.local", "Install", "EdgeTransport")) == ["not_valid_here"]
    assert codes(switches.validate_switch("dc", "dc_01!", "Upgrade")) == ["host_invalid"]
    assert switches.validate_switch("DoNotStartTransport", None, "RecoverServer") == []
    assert codes(switches.validate_switch("DoNotStartTransport", "yes", "Install", "Mailbox")) == ["takes_no_value"]
    assert codes(switches.validate_switch("InstallWindowsComponents", None, "RecoverServer")) == ["not_valid_here"]
    assert switches.validate_switch("AdamLdapPort", "50389", "Install", "EdgeTransport") == []
    assert codes(switches.validate_switch("AdamSslPort", "70000", "Install", "EdgeTransport")) == ["port_invalid"]
    assert switches.validate_switch("CustomerFeedbackEnabled", False, "PrepareAD") == []
    assert codes(switches.validate_switch("ActiveDirectorySplitPermissions", "maybe", "PrepareAD")) == ["boolean_invalid"]
    assert switches.validate_switch("UpdatesDir", r"\\files\exchange\updates", "Upgrade") == []
    assert switches.validate_switch("PrepareDomain", None, "PrepareDomain") == []
    assert codes(switches.validate_switch("RemoveProvisionedServer", None, "RemoveProvisionedServer")) == ["host_empty"]


def test_roles_and_mode_values():
    assert switches.validate_switch("Roles", "Mailbox", "Install", "Mailbox") == []
    assert switches.validate_switch("r", "mt", "Install", "ManagementTools") == []
    assert codes(switches.validate_switch("Roles", "Mailbox,EdgeTransport", "Install", "Mailbox")) == ["roles_conflict"]
    assert codes(switches.validate_switch("Roles", "Hub", "Install", "Mailbox")) == ["roles_invalid"]
    assert switches.validate_switch("Mode", "upgrade", "Upgrade") == []
    assert codes(switches.validate_switch("m", "PrepareAD", "Install")) == ["mode_invalid"]


def test_switches_that_do_not_exist():
    problem = switches.validate_switch("/ProductKey:XXXXX", None)[0]
    assert problem.code == "unknown_switch" and "Set-ExchangeServer" in problem.en and "Set-ExchangeServer" in problem.es
    assert codes(switches.validate_switch("AddUmLanguagePack", "es-ES")) == ["unknown_switch"]
    assert codes(switches.validate_switch("SourceDir", r"D:\\")) == ["unknown_switch"]
    assert codes(switches.validate_switch("Frobnicate", None)) == ["unknown_switch"]


def test_problems_speak_both_languages():
    for problem in switches.validate_switch("OrganizationName", " R_P_I" + "x" * 70, "Upgrade"):
        assert problem.en and problem.es and str(problem).startswith("/OrganizationName: ")


def test_find_and_render():
    assert switches.find_switch("/t:D:\\Exchange").name == "TargetDir"
    assert switches.find_switch("ON").name == "OrganizationName"
    assert switches.find_switch("pad").name == "PrepareAllDomains"
    assert switches.render_switch("targetdir", r"D:\Exchange Server") == '/TargetDir:"D:\\Exchange Server"'
    assert switches.render_switch("on", "RPI") == "/OrganizationName:RPI"
    assert switches.render_switch("DoNotStartTransport") == "/DoNotStartTransport"
    assert switches.render_switch("CustomerFeedbackEnabled", False) == "/CustomerFeedbackEnabled:False"
    with pytest.raises(ValueError):
        switches.render_switch("ProductKey", "x")


def test_answer_file_keys():
    keys = set(switches.answer_file_switches())
    assert {"MdbName", "DbFilePath", "OrganizationName", "IAcceptExchangeServerLicenseTerms", "UpdatesDir"} <= keys
    assert "TargetDir" not in keys and "Mode" not in keys


def test_every_switch_is_sourced_and_reachable():
    for switch in switches.SWITCHES:
        assert switch.source == "S1" and switch.valid_with and switch.description
        for spelling in (switch.name,) + switch.aliases:
            assert switches.find_switch(spelling) is switch
