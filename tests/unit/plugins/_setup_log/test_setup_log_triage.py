# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Triage on the project's own setup-log snippets (tests/unit/plugins/_setup_log/fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log import rules
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.advice import CATEGORY_ADVICE, RULE_ADVICE
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import OUTCOMES, triage

FIXTURES = Path(__file__).parent / "fixtures"

KEYS = {"outcome", "category", "error", "error_line", "operation", "installation_mode", "setup_version",
        "installed_version", "failed_rules", "findings", "advice", "progress", "exit_code", "last_run_started",
        "last_entry_time", "runs", "user", "msi_error_code", "failed_component", "disk_space"}


def read(name: str) -> dict:
    return triage((FIXTURES / name).read_text(encoding="utf-8"))


def test_se_install_succeeded():
    result = read("se_install_succeeded.log")
    assert set(result) == KEYS
    assert result["outcome"] == "succeeded" and result["category"] is None and result["error"] is None
    assert (result["operation"], result["setup_version"], result["exit_code"]) == ("install", "15.2.2562.17", 0)
    assert result["last_run_started"] == "2025-07-14T09:02:11" and result["user"] == "RPI\\instalador"
    assert "Reinicie el servidor" in result["advice"]["es"] and "Restart the server" in result["advice"]["en"]


def test_only_the_last_run_counts():
    result = read("two_runs_url_rewrite_then_success.log")
    assert result["runs"] == 2 and result["outcome"] == "succeeded"
    assert result["failed_rules"] == [] and result["findings"] == []
    assert result["last_run_started"] == "2025-02-20T10:31:40"


def test_first_run_alone_is_a_missing_prerequisite_with_its_own_advice():
    text = (FIXTURES / "two_runs_url_rewrite_then_success.log").read_text(encoding="utf-8")
    first_run = text[:text.index("[02/20/2025 10:31:40.0001]")]
    result = triage(first_run)
    assert result["outcome"] == "failed" and result["runs"] == 1
    assert result["failed_rules"] == ["IisUrlRewriteNotInstalled"]
    assert result["category"] == "missing_prerequisite"
    assert "IIS URL rewrite module" in result["error"] and result["error_line"] == 12
    assert "URL Rewrite" in result["advice"]["es"]
    assert result["progress"]["phase"] == "prerequisites"


def test_reboot_is_fixed_before_permissions():
    result = read("prepareschema_reboot_and_rights.log")
    assert result["operation"] == "prepareschema"
    assert result["failed_rules"] == ["PendingRebootWindowsComponents", "SchemaUpdateRequired"]
    assert result["category"] == "reboot_pending" and "pending reboot" in result["error"]
    assert [(item["category"], item["rule"]) for item in result["findings"]] == [
        ("insufficient_permissions", "SchemaUpdateRequired"), ("reboot_pending", "PendingRebootWindowsComponents")]
    assert result["advice"]["es"].startswith("Windows tiene un reinicio pendiente")


def test_cu_upgrade_msi_failure():
    result = read("cu_upgrade_msi_1603.log")
    assert (result["outcome"], result["operation"], result["category"]) == ("failed", "upgrade", "msi_installer")
    assert "Error code is 1603" in result["error"] and not result["error"].startswith("Microsoft.")
    assert result["msi_error_code"] == 1603
    assert result["installed_version"] == "15.2.1544.4" and result["installation_mode"] == "BuildToBuildUpgrade"
    assert result["failed_component"] == "TransportCommonComponent" and result["exit_code"] == 1
    assert result["progress"]["task"] == "uninstall-MsiPackage"


def test_interrupted_without_errors_is_incomplete_with_no_diagnosis():
    result = read("install_interrupted_no_errors.log")
    assert result["outcome"] == "incomplete" and result["category"] is None and result["error"] is None
    assert result["exit_code"] is None
    assert result["progress"] == {"phase": "configuration", "step": "Configuring the Mailbox role: Transport service",
                                  "task": "Install-BridgeheadRole", "line": 14}
    assert "ExSetup.exe" in result["advice"]["es"]


def test_recover_server_missing_directory():
    result = read("recoverserver_missing_directory.log")
    assert (result["operation"], result["installation_mode"]) == ("recoverserver", "DisasterRecovery")
    assert result["category"] == "missing_directory" and result["outcome"] == "failed"
    assert result["error"].startswith("Cannot find path 'E:\\Exchange Server\\V15\\TransportRoles")


def test_refused_command_line():
    result = read("invalid_mode.log")
    assert result["outcome"] == "failed" and result["category"] == "invalid_command_line"
    assert result["error"] == "The mode 'Upgrad' is not a valid mode."
    assert result["operation"] == "upgrad"          # what was asked, from the runtime command line
    assert result["exit_code"] == 1


def test_uncatalogued_script_error_shows_the_critical_error():
    result = read("upgrade_unknown_script_error.log")
    assert result["category"] == "setup_script_error"
    assert result["error"] == "The certificate thumbprint 'AB12CD34' could not be bound to the site."
    assert result["failed_component"] == "CafeComponent"


def test_topology_failure_surfaces_the_inner_exception():
    result = read("topology_inner_exception.log")
    assert result["outcome"] == "incomplete" and result["category"] == "ad_topology_service"
    assert result["error"].endswith("The LDAP server is unavailable.") and result["error_line"] == 8


def test_console_output_gives_the_outcome():
    result = read("console_output_failed.txt")
    assert result["outcome"] == "failed" and result["category"] == "unknown" and result["runs"] == 0


def test_operation_falls_back_to_the_installation_mode():
    text = ("[01/02/2025 10:00:00.0000] [0] Starting Microsoft Exchange Server 2019 Setup\n"
            "[01/02/2025 10:00:00.0001] [0] Command Line Parameter Name='sourcedir', Value='D:\\'.\n"
            "[01/02/2025 10:00:01.0000] [0] The installation mode is set to: 'BuildToBuildUpgrade'.\n")
    assert triage(text)["operation"] == "upgrade"


def test_setup_started_from_the_bin_folder_is_noticed():
    text = ("[01/02/2025 10:00:00.0000] [0] Starting Microsoft Exchange Server 2019 Setup\n"
            "[01/02/2025 10:00:00.0001] [0] Command Line Parameter Name='mode', Value='Upgrade'.\n"
            "[01/02/2025 10:00:00.0002] [0] Command Line Parameter Name='sourcedir', Value='C:\\Program Files\\Microsoft\\"
            "Exchange Server\\V15\\Bin'.\n"
            "[01/02/2025 10:03:00.0000] [1] [ERROR] The following error was generated when \"$error.Clear(); Foo\" was run: "
            "\"System.Exception: something odd\".\n"
            "[01/02/2025 10:03:00.0001] [1] [ERROR] something odd\n"
            "[01/02/2025 10:03:01.0000] [0] The Exchange Server setup operation didn't complete.\n")
    result = triage(text)
    assert result["category"] == "install_from_bin"
    assert [item["category"] for item in result["findings"]] == ["setup_script_error", "install_from_bin"]


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.iterdir()))
def test_every_fixture_gives_a_well_formed_answer(name):
    result = read(name)
    assert set(result) == KEYS and result["outcome"] in OUTCOMES
    assert result["category"] is None or result["category"] in rules.CATEGORIES
    assert set(result["advice"]) == {"es", "en"} and all(result["advice"].values())
    for finding in result["findings"]:
        assert finding["category"] in rules.CATEGORIES and finding["message"]
        assert finding["source"] in ("readiness_rule", "error", "parameters")


@pytest.mark.parametrize("rule, message, category", [
    ("PendingRebootWindowsComponents", "", "reboot_pending"),
    ("RebootPending", "A reboot from a previous installation is pending.", "reboot_pending"),
    ("DelegatedMailboxFirstInstall", "You must use an account that's a member of the Organization Management role group",
     "insufficient_permissions"),
    ("LocalDomainPrep", "The local domain needs to be updated. You must be a member of the 'Domain Admins' group",
     "insufficient_permissions"),
    ("DomainPrepRequired", "The local domain needs to be prepared using Setup /PrepareDomain", "ad_preparation_required"),
    ("SomeFutureRule", "Run Setup /PrepareAD first.", "ad_preparation_required"),
    ("DomainControllerIsOutOfSite", "", "domain_controller_site"),
    ("NotInSchemaMasterSite", "this computer isn't in the same Active Directory site as the schema master", "domain_controller_site"),
    ("UcmaRedistMsi", "", "missing_prerequisite"),
    ("VC2012RedistDependencyRequirement", "", "missing_prerequisite"),
    ("NewComponentRule", "The Visual C++ 2013 Redistributable needs to be installed.", "missing_prerequisite"),
    ("BridgeheadRoleNotInstalled", "The Mailbox server role isn't installed on this computer.", "prerequisite_check"),
    ("ProcessNeedsToBeClosedOnUpgrade", "Setup can't continue with the upgrade because the powershell (42) has open files.",
     "prerequisite_check"),
])
def test_readiness_categories(rule, message, category):
    assert rules.readiness_category(rule, message) == category


def test_every_category_has_advice_in_both_languages():
    assert set(CATEGORY_ADVICE) == set(rules.CATEGORIES)
    for es, en in list(CATEGORY_ADVICE.values()) + list(RULE_ADVICE.values()):
        assert es and en and es != en


def test_signatures_are_prefiltered():
    for signature in rules.SIGNATURES:
        assert signature.category in rules.CATEGORIES
        if signature.pattern is not None:
            assert signature.needles and all(needle == needle.lower() for needle in signature.needles)


def test_required_lines_stand_in_for_missing_failed_lines():
    text = ("[01/02/2025 10:00:00.0000] [0] Starting Microsoft Exchange Server 2019 Setup\n"
            "[01/02/2025 10:00:05.0000] [1] [REQUIRED] The Active Directory schema isn't up-to-date, and this user account "
            "isn't a member of the 'Schema Admins' and/or 'Enterprise Admins' groups.\n")
    result = triage(text)
    assert result["outcome"] == "incomplete" and result["category"] == "insufficient_permissions"
    assert result["failed_rules"] == [] and "Schema Admins" in result["error"]


def test_errors_setup_tolerated_are_not_findings_of_a_successful_run():
    text = (FIXTURES / "se_install_succeeded.log").read_text(encoding="utf-8").replace(
        "[07/14/2025 09:41:55.0000] [1] Finished executing component tasks.",
        "[07/14/2025 09:41:54.0000] [2] [ERROR] The operation couldn't be performed because object 'X\\OWA (Default Web Site)' "
        "couldn't be found on 'DC01.rpi.local'.\n[07/14/2025 09:41:55.0000] [1] Finished executing component tasks.")
    result = triage(text)
    assert result["outcome"] == "succeeded" and result["findings"] == [] and result["category"] is None
