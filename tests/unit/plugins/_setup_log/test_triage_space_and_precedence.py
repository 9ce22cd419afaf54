# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 16, items 4, 6 and 7 at the triage's level: lack of disk space is its own category, an empty log is not sent
back to the technician as a log to read, and when several readiness rules fail the surfaced one follows Microsoft's
SetupLogReviewer (microsoft/CSS-Exchange, Setup/SetupLogReviewer/Checks/FindContext/Test-PrerequisiteCheck.ps1)."""

from __future__ import annotations

import itertools

import pytest

from conftest import SHARED

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log import rules
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.advice import CATEGORY_ADVICE, RULE_ADVICE
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.result import OWN_CATEGORIES

BANNER = ("[06/02/2026 09:00:00.0001] [0] Starting Microsoft Exchange Server 2019 Setup\n"
          "[06/02/2026 09:00:00.0002] [0] Setup version: 15.2.1748.10.\n"
          "[06/02/2026 09:00:00.0003] [0] Command Line Parameter Name='mode', Value='Install'.\n")
FAILED = ("[06/02/2026 09:20:00.0000] [0] The Exchange Server setup operation didn't complete.  More details can be found "
          "in ExchangeSetup.log located in the <SystemDrive>:\\ExchangeSetupLogs folder.\n"
          "[06/02/2026 09:20:00.0001] [0] End of Setup\n")
MSI_TASK = ("[06/02/2026 09:10:00.0000] [1] Setup launched task 'install-msipackage -logfile 'C:\\ExchangeSetupLogs\\"
            "ExchangeSetup.msilog' -targetdirectory 'E:\\Exchange\\V15' -packagepath 'D:\\exchangeserver.msi''\n"
            "[06/02/2026 09:10:00.0001] [1] Beginning processing install-msipackage\n")
MSI_1603 = ("[06/02/2026 09:15:00.0000] [1] [ERROR] Installing product D:\\exchangeserver.msi failed. Fatal error during "
            "installation. Error code is 1603.\n"
            "[06/02/2026 09:15:00.0001] [1] [ERROR] Fatal error during installation\n")


def log(*middle: str) -> str:
    return BANNER + "".join(middle) + FAILED


def error(text: str, depth: int = 1) -> str:
    return f"[06/02/2026 09:14:59.0000] [{depth}] [ERROR] {text}\n"


# --------------------------------------------------------------------------------------------------- item 6: disk space

def test_not_enough_space_after_an_msi_1603_is_disk_space_not_msi_installer():
    result = triage(log(MSI_TASK, MSI_1603, error("There is not enough space on the disk.")))
    assert result["outcome"] == "failed" and result["category"] == "disk_space"
    assert result["error"] == "There is not enough space on the disk."
    assert result["msi_error_code"] == 1603  # the MSI finding is still listed, after the cause
    assert [finding["category"] for finding in result["findings"]] == ["disk_space", "msi_installer"]
    assert "Libere espacio" in result["advice"]["es"] and "Free space" in result["advice"]["en"]
    assert ".msilog" not in result["advice"]["es"] and "FixInstallerCache" not in result["advice"]["es"]
    assert result["disk_space"] == {"drive": None, "required_bytes": None, "available_bytes": None}


def test_the_space_message_on_the_msi_line_itself():
    line = ("Installing product D:\\exchangeserver.msi failed. Fatal error during installation. Error code is 1603. There "
            "is not enough space on the disk.")
    result = triage(log(MSI_TASK, error(line)))
    assert result["category"] == "disk_space" and result["msi_error_code"] == 1603
    assert result["disk_space"]["drive"] is None  # D: is the package's path, before the words: not the full drive


def test_windows_installer_gives_the_volume_and_the_space():
    out_of_disk = ("Disk full: Out of disk space -- Volume: 'E:\\'; required space: 6000000 KB; available space: 1048576 KB. "
                   "Free some disk space and retry.")
    result = triage(log(MSI_TASK, error(out_of_disk), MSI_1603))
    assert result["category"] == "disk_space" and result["error"].startswith("Disk full: Out of disk space")
    assert result["disk_space"] == {"drive": "E:", "required_bytes": 6000000 * 1024, "available_bytes": 1048576 * 1024}
    assert result["advice"]["es"].startswith("Falta espacio en disco en la unidad E: (se necesitan 5,7 GB; hay 1,0 GB libres).")
    assert "Libere al menos 4,7 GB en esa unidad" in result["advice"]["es"]
    assert "30 GB libres en la unidad donde se instala Exchange y 200 MB en la unidad del sistema" in result["advice"]["es"]
    assert result["advice"]["en"].startswith("There is not enough disk space on drive E: (5.7 GB needed; 1.0 GB free).")
    assert "Free at least 4.7 GB on that drive" in result["advice"]["en"]


def test_a_dotnet_exception_names_the_drive_after_its_words():
    script_error = ('The following error was generated when "$error.Clear(); Copy-Item $src $dst" was run: '
                    '"System.IO.IOException: There is not enough space on the disk. : \'F:\\Exchange\\V15\\Bin\\a.dll\'".')
    result = triage(log(error(script_error), error("There is not enough space on the disk. : 'F:\\Exchange\\V15\\Bin\\a.dll'")))
    assert result["category"] == "disk_space" and result["disk_space"]["drive"] == "F:"
    assert "unidad F:" in result["advice"]["es"] and "drive F:" in result["advice"]["en"]


@pytest.mark.parametrize("text", [
    "The disk is full.",
    "Exception calling \"Save\" with \"1\" argument(s): \"(Exception from HRESULT: 0x80070070)\"",
    "Write failed (HRESULT 0x80070027).",
])
def test_other_words_windows_has_for_a_full_disk(text):
    assert triage(log(error(text)))["category"] == "disk_space"


def test_setup_own_copy_step_gives_the_shortfall():
    """The wizard's copy of setup to the temporary folder logs the space it needs and finds [S2 MSI_3 log]."""
    copy = ("[06/02/2026 09:00:01.0000] [0] Setup copy files from 'D:\\Setup\\ServerRoles\\Common' to "
            "'C:\\Windows\\Temp\\ExchangeSetup'\n"
            "[06/02/2026 09:00:01.0001] [0] Disk space required: 1860028597 bytes.\n"
            "[06/02/2026 09:00:01.0002] [0] Disk space available: 524288000 bytes.\n")
    result = triage(log(copy, error("There is not enough space on the disk.", depth=0)))
    assert result["category"] == "disk_space"
    assert result["disk_space"] == {"drive": "C:", "required_bytes": 1860028597, "available_bytes": 524288000}
    assert "unidad C: (se necesitan 1,7 GB; hay 500 MB libres)" in result["advice"]["es"]


def test_copy_figures_without_a_shortfall_say_nothing_about_space():
    copy = ("[06/02/2026 09:00:01.0000] [0] Starting copy from D:\\Setup\\ServerRoles\\Common to C:\\Windows\\Temp\\ExchangeSetup.\n"
            "[06/02/2026 09:00:01.0001] [0] Disk space required: 1860028597 bytes.\n"
            "[06/02/2026 09:00:01.0002] [0] Disk space available: 11984519168 bytes.\n")
    result = triage(log(copy, MSI_TASK, MSI_1603))
    assert result["category"] == "msi_installer" and result["disk_space"] is None
    result = triage(log(copy, MSI_TASK, MSI_1603, error("There is not enough space on the disk.")))
    assert result["category"] == "disk_space" and result["disk_space"]["required_bytes"] is None


def test_a_readiness_failure_still_comes_before_a_disk_error():
    rule = ("[06/02/2026 09:05:00.0000] [1] Failed [Rule:PendingRebootWindowsComponents] [Message:There is a pending reboot "
            "from a previous installation of a Windows Server role or feature. Please restart the computer and then run "
            "Setup again.]\n")
    result = triage(log(rule, error("There is not enough space on the disk.")))
    assert result["category"] == "reboot_pending" and result["disk_space"] is None


def test_the_real_msi_log_with_its_space_lines_stays_msi_installer(shared_dir):
    """ExchangeSetup_MSI_3.log (CSS-Exchange Setup/Tests) logs "Disk space required/available" with room to spare."""
    result = triage((shared_dir / "fixtures" / "exchange-setup-logs" / "ExchangeSetup_MSI_3.log").read_text(encoding="utf-8"))
    assert result["category"] == "msi_installer" and result["disk_space"] is None and result["msi_error_code"] == 1603


def test_no_real_log_is_read_as_disk_space():
    folder = SHARED / "fixtures" / "exchange-setup-logs"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    for path in sorted(folder.glob("*.log")):
        assert triage(path.read_text(encoding="utf-8", errors="replace"))["category"] != "disk_space", path.name


# ---------------------------------------------------------------------------------------- item 4: an empty log

@pytest.mark.parametrize("text", ["", "\r\n", "   \n\n", b"", None])
def test_an_empty_log_is_not_sent_back_as_a_log_to_read(text):
    result = triage(text)
    assert result["outcome"] == "unknown" and result["error"] is None
    assert "Obtenga el archivo completo" not in result["advice"]["es"]
    assert "no escribió nada en ExchangeSetup.log" in result["advice"]["es"]
    assert "registro de eventos Aplicación" in result["advice"]["es"] and "Application event log" in result["advice"]["en"]


def test_text_that_is_not_a_log_still_asks_for_the_log():
    assert "Obtenga el archivo completo" in triage("hello world")["advice"]["es"]


# ------------------------------------------------------------------------------------- item 7: readiness precedence

def rule_line(rule: str, message: str, second: int) -> str:
    return f"[06/02/2026 09:05:{second:02d}.0000] [1] Failed [Rule:{rule}] [Message:{message}]\n"


# One failing rule per step of Microsoft's Test-PrerequisiteCheck, in its order; messages from the real logs where they
# exist (CSS-Exchange Setup/Tests), otherwise the rule's meaning in plain words.
MICROSOFT_ORDER = [
    ("AdInitErrorRule", "Setup encountered a problem while validating the state of Active Directory: The LDAP server is "
                        "unavailable."),
    ("PendingRebootWindowsComponents", "There is a pending reboot from a previous installation of a Windows Server role or "
                                       "feature. Please restart the computer and then run Setup again."),
    ("RebootPending", "A reboot from a previous installation is pending. Please restart the system and then rerun Setup."),
    ("ProcessNeedsToBeClosedOnUpgrade", "Setup can't continue with the upgrade because the powershell (4242) has open files."),
    ("DomainControllerIsOutOfSite", "Setup can't use the domain controller 'NorthAmerica' because it belongs to Active "
                                    "Directory site ''. Setup must use a domain controller in the same site as this "
                                    "computer (DC2.Solo.local)."),
    ("RemoteRegException", "The registry of this computer couldn't be opened remotely."),
    ("MSDTCStopped", "The Distributed Transaction Coordinator service is stopped."),
    ("IISURLRewriteNotInstalled", "The 'IIS URL rewrite module' isn't installed on this computer and needs to be installed "
                                  "before Exchange Setup can begin."),
    ("DomainPrepRequired", "The local domain needs to be prepared using Setup /PrepareDomain before server roles can be "
                           "installed."),
    ("InstallWatermark", "An incomplete installation was detected. Run Setup to finish it."),
    ("SchemaUpdateRequired", "The Active Directory schema isn't up-to-date, and this user account isn't a member of the "
                             "'Schema Admins' and/or 'Enterprise Admins' groups."),
    ("GlobalUpdateRequired", "Global updates need to be made to Active Directory, and this user account isn't a member of "
                             "the 'Enterprise Admins' group."),
    ("GlobalServerInstall", "You must be a member of the 'Organization Management' role group or a member of the "
                            "'Enterprise Admins' group to continue."),
    ("DelegatedMailboxFirstInstall", "You must use an account that's a member of the Organization Management role group to "
                                     "install or upgrade the first Mailbox server role in the topology."),
]


@pytest.mark.parametrize("first, later", list(itertools.combinations(range(len(MICROSOFT_ORDER)), 2)),
                         ids=lambda index: MICROSOFT_ORDER[index][0])
def test_the_rule_microsoft_reports_first_is_surfaced_whatever_the_log_order(first, later):
    (rule, message), (other, other_message) = MICROSOFT_ORDER[first], MICROSOFT_ORDER[later]
    for lines in ((rule_line(other, other_message, 1), rule_line(rule, message, 2)),
                  (rule_line(rule, message, 1), rule_line(other, other_message, 2))):
        result = triage(log(*lines))
        assert result["error"] == message, (rule, other)
        assert result["category"] == rules.readiness_category(rule, message)
        surfaced = next(finding for finding in result["findings"] if finding["rule"] == rule)
        assert result["error_line"] == surfaced["line"]
        expected = RULE_ADVICE.get(rule.lower()) or CATEGORY_ADVICE[result["category"]]
        assert (result["advice"]["es"], result["advice"]["en"]) == expected


def test_the_issue_example_a_reboot_and_a_site_surface_the_reboot_with_its_own_words():
    result = triage(log(rule_line(*MICROSOFT_ORDER[4], 1), rule_line(*MICROSOFT_ORDER[2], 2)))
    assert result["category"] == "reboot_pending" and result["error"] == MICROSOFT_ORDER[2][1]
    assert result["advice"]["es"].startswith("Windows tiene un reinicio pendiente")


def test_a_domain_controller_out_of_site_comes_before_the_account_rights():
    """Microsoft's reviewer returns at a domain controller out of site and never reaches the rights; ours used to put
    the rights first."""
    result = triage(log(rule_line(*MICROSOFT_ORDER[10], 1), rule_line(*MICROSOFT_ORDER[4], 2)))
    assert result["category"] == "domain_controller_site" and "same site" in result["error"]


def test_rules_microsoft_does_not_name_take_their_category_place():
    unnamed_reboot = ("UpdateNeedsReboot", "A Windows update needs a reboot before Setup can continue.")
    unnamed_site = ("NotInSchemaMasterSite", "This computer isn't in the same Active Directory site as the schema master.")
    unnamed_component = ("UcmaRedistMsi", "Install Unified Communications Managed API 4.0 Runtime and run Setup again.")
    other = ("BridgeheadRoleNotInstalled", "The Mailbox server role isn't installed on this computer.")
    cases = [
        (unnamed_reboot, MICROSOFT_ORDER[4]),        # a reboot of any kind before a domain controller out of site
        (unnamed_site, MICROSOFT_ORDER[10]),         # a site problem before the rights
        (unnamed_component, MICROSOFT_ORDER[8]),     # a missing component right after IIS URL Rewrite, before DomainPrep
        (MICROSOFT_ORDER[13], other),                # a rule of no known kind comes last
    ]
    for surfaced, behind in cases:
        for order in ((behind, surfaced), (surfaced, behind)):
            result = triage(log(*(rule_line(rule, message, second) for second, (rule, message) in enumerate(order, 1))))
            assert result["error"] == surfaced[1], (surfaced, behind)


def test_equal_rank_keeps_the_log_order():
    """Two Delegated*FirstInstall rules (both rights, Microsoft names neither specially): the first logged is surfaced."""
    cafe = ("DelegatedCafeFirstInstall", "You must use an account that's a member of the Organization Management role group "
                                         "to install the first Client Access server role in the topology.")
    bridgehead = ("DelegatedBridgeheadFirstInstall", "You must use an account that's a member of the Organization Management "
                                                     "role group to install the first Mailbox server role in the topology.")
    assert triage(log(rule_line(*cafe, 1), rule_line(*bridgehead, 2)))["error"] == cafe[1]
    assert triage(log(rule_line(*bridgehead, 1), rule_line(*cafe, 2)))["error"] == bridgehead[1]


def test_the_surfaced_error_is_always_the_finding_the_category_names():
    rule_sets = itertools.combinations(MICROSOFT_ORDER, 3)
    for chosen in rule_sets:
        result = triage(log(*(rule_line(rule, message, second) for second, (rule, message) in enumerate(reversed(chosen), 1))))
        named = [finding for finding in result["findings"] if finding["category"] == result["category"]]
        assert any(finding["message"] == result["error"] and finding["line"] == result["error_line"] for finding in named)


def test_every_precedence_entry_is_a_rule_or_a_known_category():
    for key in rules.READINESS_PRECEDENCE:
        assert key == key.lower()
        if key.startswith("*"):
            assert key[1:] in rules.CATEGORIES
    assert len(set(rules.READINESS_PRECEDENCE)) == len(rules.READINESS_PRECEDENCE)


@pytest.mark.parametrize("document", ["README.md", "docs/guia-tecnico.md"])
def test_the_guides_list_every_category(document, repo_root):
    text = (repo_root / document).read_text(encoding="utf-8")
    missing = [category for category in rules.CATEGORIES + OWN_CATEGORIES if f"| `{category}` |" not in text]
    assert missing == [], f"{document} does not list {missing}"
