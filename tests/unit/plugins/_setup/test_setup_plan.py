# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The setup plan: the mode decision and the exact Setup.exe command line (plugins/plugin_utils/_setup/plan.py)."""

from __future__ import annotations

import copy
import itertools

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import BASELINES, find_switch
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import family, parse_version
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.plan import (
    PlanError,
    SecretInCommandLine,
    SetupPlan,
    build_command,
    decide_mode,
    plan_evidence,
    plan_setup,
    setup_executable,
)

CU10, CU11, CU13, CU14, CU15, SE = "15.2.922.7", "15.2.986.5", "15.2.1258.12", "15.2.1544.4", "15.2.1748.10", "15.2.2562.17"
MAILBOX_ROLES = ["ClientAccess", "ClientAccessFrontEnd", "FrontEndTransport", "Mailbox", "ManagementTools", "Transport"]
FRESH = {
    "os": {"name": "Windows Server 2022", "key": "WS2022", "build": 20348, "version": "10.0.20348"},
    "exchange": {"installed": False, "present": False, "version": None, "roles": [], "install_path": None, "interrupted": {},
                 "setup_running": False, "setup_processes": []},
}

# The licence switches, as activity 6's acceptance record gives them.
OFF = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
ON = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataON"
LEGACY = "/IAcceptExchangeServerLicenseTerms"


def facts(os_build=20348, **exchange):
    data = copy.deepcopy(FRESH)
    data["os"]["build"] = os_build
    data["os"]["key"] = None
    data["exchange"].update(exchange)
    return data


def installed(version, roles=None, **extra):
    return facts(installed=True, present=True, version=version, roles=MAILBOX_ROLES if roles is None else roles,
                 install_path="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\", **extra)


def interrupted(keys, version=None, installed_flag=False):
    return facts(installed=installed_flag, present=True, version=version, interrupted=keys)


# --- decide_mode -------------------------------------------------------------------------------------------------------


def test_fresh_install():
    decision = decide_mode(FRESH, CU15)
    assert (decision.mode, decision.reason, decision.setup_mode) == ("install", "fresh_install", "Install")
    assert decision.runs_setup and not decision.refused
    assert decision.message_es == "No hay Exchange en el servidor: se instalará 15.2.1748.10 (2019 CU15)."
    assert decision.notes_es and "RecoverServer" in decision.notes_es[0]  # AD not checked: said so
    assert decide_mode(FRESH, CU15, server_object_in_ad=False).notes_es == ()


def test_rebuilt_server_whose_object_is_in_ad_is_recovered():
    decision = decide_mode(FRESH, SE, server_object_in_ad=True, purpose="recover_server")
    assert (decision.mode, decision.setup_mode) == ("recoverserver", "RecoverServer")
    # Only when the IT Head ordered it (norm 5.6; tests/unit/plugins/_setup/test_recover_server.py).
    assert decide_mode(FRESH, SE, server_object_in_ad=True, purpose="").reason == "recover_not_instructed"
    assert decide_mode(FRESH, SE, server_object_in_ad=True).mode == "recoverserver"  # no gate: activity 8's runner


@pytest.mark.parametrize("current, media, reason", [
    (CU14, CU15, "newer_cu"),
    ("15.2.1544.44", CU15, "newer_cu"),          # an SU of CU14 upgrades like CU14
    (CU15, SE, "to_se"),
    (CU14, SE, "to_se"),
    ("15.2.1748.49", SE, "to_se"),
    (CU11, CU14, "newer_cu"),
])
def test_upgrades(current, media, reason):
    decision = decide_mode(installed(current), media)
    assert (decision.mode, decision.reason, decision.setup_mode) == ("upgrade", reason, "Upgrade")
    assert decision.installed_version == str(current)


def test_cu14_to_cu15_words():
    decision = decide_mode(installed(CU14), CU15)
    assert decision.message_es == ("Exchange 15.2.1544.4 (2019 CU14) está instalado: se actualizará a 15.2.1748.10 (2019 CU15) con "
                                   "/Mode:Upgrade.")


@pytest.mark.parametrize("current", [CU13, "15.2.1258.39", "15.2.1118.7"])
def test_cu13_or_older_to_se_is_refused(current):
    decision = decide_mode(installed(current), SE)
    assert (decision.mode, decision.reason, decision.setup_mode) == ("refuse", "se_needs_cu14_or_cu15", None)
    assert "CU14 o CU15" in decision.message_es


@pytest.mark.parametrize("current, media", [(CU15, CU14), (SE, CU15), ("15.2.2562.46", CU14), (CU14, CU11)])
def test_downgrade_is_refused(current, media):
    data = installed(current)
    data["os"]["build"] = 17763  # Windows Server 2019: every 2019 CU and SE support it
    decision = decide_mode(data, media)
    assert (decision.mode, decision.reason) == ("refuse", "downgrade")
    assert "degradar" in decision.message_es


@pytest.mark.parametrize("current, media", [(CU15, CU15), ("15.2.1748.49", CU15), (CU15, "15.2.1748.8"), (SE, SE)])
def test_same_cu_is_nothing(current, media):
    decision = decide_mode(installed(current), media)
    assert (decision.mode, decision.reason, decision.setup_mode) == ("nothing", "same_cu", None)
    assert not decision.runs_setup


def test_never_downgrades_for_any_pair_of_baselines():
    for current, media in itertools.permutations([build.version_text for build in BASELINES], 2):
        older = family(parse_version(media)) < family(parse_version(current))
        for data in (installed(current),
                     interrupted({"MailboxRole": {"action": "BuildToBuildUpgrade", "watermark": "X___" + "a" * 32}}, current)):
            data["os"]["build"] = 17763  # every build supports Windows Server 2019: only the versions decide
            decision = decide_mode(data, media)
            assert decision.mode != "refuse" or decision.reason != "os_not_supported"
            if older:
                assert decision.mode == "refuse", (current, media, decision)


def test_setup_running_is_refused_first():
    decision = decide_mode(installed(CU14, setup_running=True, setup_processes=[{"name": "ExSetup", "id": 42}]), CU15)
    assert (decision.mode, decision.reason) == ("refuse", "setup_running")
    assert "ExSetup" in decision.message_es


@pytest.mark.parametrize("os_build, media", [(26100, CU14), (20348, CU11), ("10.0.26100", "15.2.1258.12")])
def test_unsupported_os_for_the_media_is_refused(os_build, media):
    decision = decide_mode(facts(os_build=os_build), media)
    assert (decision.mode, decision.reason) == ("refuse", "os_not_supported")
    assert "Windows Server" in decision.message_es and "admite" in decision.message_es


def test_supported_os_for_the_media():
    assert decide_mode(facts(os_build=26100), CU15).mode == "install"
    assert decide_mode(facts(os_build=17763), CU11).mode == "install"
    assert decide_mode(facts(os_build=26100), SE).mode == "install"


def test_unknown_os_is_refused():
    data = facts(os_build=14393)
    data["os"]["name"] = "Windows Server 2016"
    decision = decide_mode(data, CU15)
    assert (decision.mode, decision.reason) == ("refuse", "os_unknown")
    assert "Windows Server 2016" in decision.message_es


@pytest.mark.parametrize("media, reason", [
    ("CU15", "media_version_invalid"),
    ("15.1.2507.6", "media_not_supported"),      # Exchange 2016
    ("15.2.1748.49", "media_is_update"),         # an SU is an .msp, not setup media
])
def test_media_that_is_not_2019_or_se_setup_is_refused(media, reason):
    assert (decide_mode(FRESH, media).mode, decide_mode(FRESH, media).reason) == ("refuse", reason)


def test_traces_of_exchange_that_are_neither_installed_nor_interrupted_are_refused():
    decision = decide_mode(facts(present=True, version=CU14), CU15)
    assert (decision.mode, decision.reason) == ("refuse", "state_unclear")


def test_requested_role_must_be_the_installed_one():
    edge = installed(CU14, roles=["EdgeTransport", "ManagementTools"])
    assert decide_mode(edge, CU15, role="EdgeTransport").mode == "upgrade"
    decision = decide_mode(edge, CU15, role="Mailbox")
    assert (decision.mode, decision.reason) == ("refuse", "role_mismatch")
    assert decide_mode(FRESH, CU15, role="Hub").reason == "role_unknown"


# --- resume ------------------------------------------------------------------------------------------------------------

UNCONFIGURED = {"MailboxRole": {"action": None, "watermark": None}, "CafeRole": {"action": None, "watermark": None}}
INSTALL_WATERMARK = {"MailboxRole": {"action": "Install", "watermark": "SystemAttendantDependent___1DEE95834DBA48F2BB211C2FB6765A5A"}}
UPGRADE_WATERMARK = {"MailboxRole": {"action": "BuildToBuildUpgrade", "watermark": "AllRolesPreFileCopyComponent___" + "0" * 32}}


def test_interrupted_install_without_watermark_is_resumed_with_the_same_install():
    decision = decide_mode(interrupted(UNCONFIGURED, CU15), CU15)
    assert (decision.mode, decision.reason, decision.setup_mode) == ("resume", "resume_install", "Install")
    assert (decision.resume_of, decision.resume_role, decision.interrupted) == ("Install", "Mailbox", ("CafeRole", "MailboxRole"))
    plan = plan_setup(decision, media_root="D:\\", license_switch=OFF,
                      switches=[("TargetDir", "E:\\Exchange Server\\V15"), ("MdbName", "RPI-DB01")])
    assert build_command(plan).command_line == (
        'D:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install /Roles:Mailbox '
        '/TargetDir:"E:\\Exchange Server\\V15" /MdbName:RPI-DB01')


def test_interrupted_install_with_an_install_watermark_needs_the_gui():
    decision = decide_mode(interrupted(INSTALL_WATERMARK, CU15), CU15)
    assert (decision.mode, decision.reason, decision.setup_mode) == ("refuse", "install_watermark_needs_gui", None)
    assert "InstallWatermark" in decision.message_es and "no borre la marca de agua" in decision.message_es
    assert decision.resume_role == "Mailbox"


def test_install_watermark_can_follow_exchangedsc_when_asked():
    decision = decide_mode(interrupted(INSTALL_WATERMARK, CU15), CU15, rerun_install_watermark=True)
    assert (decision.mode, decision.reason, decision.setup_mode) == ("resume", "resume_install_watermark", "Install")


def test_interrupted_upgrade_is_resumed_with_mode_upgrade():
    decision = decide_mode(interrupted(UPGRADE_WATERMARK, CU14), CU15)
    assert (decision.mode, decision.reason, decision.setup_mode, decision.resume_of) == ("resume", "resume_upgrade", "Upgrade", "Upgrade")
    plan = plan_setup(decision, media_root="D:", license_switch=ON)
    assert build_command(plan).command_line == (
        "D:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataON /Mode:Upgrade")
    assert decision.notes_es == ("Si la actualización interrumpida usaba otro medio, reanúdela con ese mismo medio.",)
    # The MSI may already have moved the build on the server to the media's: still resumed.
    same = decide_mode(interrupted(UPGRADE_WATERMARK, CU15), CU15)
    assert same.mode == "resume" and same.notes_es == ()


def test_interrupted_upgrade_never_downgrades_nor_jumps_an_unsupported_path():
    assert decide_mode(interrupted(UPGRADE_WATERMARK, CU15), CU14).reason == "downgrade"
    assert decide_mode(interrupted(UPGRADE_WATERMARK, CU13), SE).reason == "se_needs_cu14_or_cu15"
    assert decide_mode(interrupted(UPGRADE_WATERMARK, None), CU15).reason == "state_unclear"


@pytest.mark.parametrize("keys, reason", [
    ({"MailboxRole": {"action": "DisasterRecovery", "watermark": "X___" + "1" * 32}}, "interrupted_recover"),
    ({"MailboxRole": {"action": "Uninstall", "watermark": "X___" + "1" * 32}}, "interrupted_uninstall"),
    ({"MailboxRole": {"action": "Repair", "watermark": "X___" + "1" * 32}}, "interrupted_unknown"),
    ({"MailboxRole": {"action": None, "watermark": "X___" + "1" * 32}}, "interrupted_unknown"),
    (dict(UPGRADE_WATERMARK, CafeRole={"action": None, "watermark": None}), "interrupted_mixed"),
])
def test_interruptions_the_procedure_does_not_resume(keys, reason):
    decision = decide_mode(interrupted(keys, CU14), CU14)
    assert (decision.mode, decision.reason) == ("refuse", reason)


def test_resume_keeps_the_interrupted_role_and_media():
    edge = {"EdgeTransportRole": {"action": "Install", "watermark": None}}
    assert decide_mode(interrupted(edge, CU15), CU15).resume_role == "EdgeTransport"
    assert decide_mode(interrupted(edge, CU15), CU15, role="Mailbox").reason == "resume_role_mismatch"
    assert decide_mode(interrupted(UNCONFIGURED, CU14), CU15).reason == "resume_media_differs"
    tools = {"AdminTools": {"action": None, "watermark": None}}
    assert decide_mode(interrupted(tools), CU15).resume_role == "ManagementTools"


# --- build_command -----------------------------------------------------------------------------------------------------


def command(mode="Install", media=CU15, role="Mailbox", switches=(), license_switch=OFF, root="D:\\"):
    return build_command(SetupPlan(media_root=root, media_version=media, mode=mode, license_switch=license_switch, role=role,
                                   switches=tuple(switches)))


def test_full_install_command_line_exactly():
    result = command(switches=[
        ("DoNotStartTransport", None), ("MdbName", "RPI-DB01"), ("InstallWindowsComponents", None),
        ("LogFolderPath", "G:\\Registros\\RPI-DB01"), ("DbFilePath", "F:\\Bases\\RPI DB01\\RPI-DB01.edb"),
        ("TargetDir", "E:\\Exchange Server\\V15"), ("OrganizationName", "RPI Guatemala"), ("DoNotEnableEP", None),
    ])
    assert result.executable == "D:\\Setup.exe" and result.working_directory == "D:\\" and result.mode == "Install"
    assert result.command_line == (
        'D:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install /Roles:Mailbox '
        '/TargetDir:"E:\\Exchange Server\\V15" /OrganizationName:"RPI Guatemala" /MdbName:RPI-DB01 '
        '/DbFilePath:"F:\\Bases\\RPI DB01\\RPI-DB01.edb" /LogFolderPath:G:\\Registros\\RPI-DB01 /DoNotStartTransport '
        '/DoNotEnableEP /InstallWindowsComponents')
    assert result.arguments[0] == "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
    assert result.as_dict()["argument_string"] == result.command_line[len("D:\\Setup.exe "):]


def test_minimal_install_and_other_roles():
    assert command().command_line == "D:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install /Roles:Mailbox"
    assert command(role="et", license_switch=ON, switches=[("TargetDir", "D:\\Exchange Server")]).command_line == (
        'D:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataON /Mode:Install /Roles:EdgeTransport '
        '/TargetDir:"D:\\Exchange Server"')
    assert command(role="ManagementTools", media=SE).arguments[-1] == "/Roles:ManagementTools"


def test_upgrade_takes_no_roles_and_only_upgrade_switches():
    result = command(mode="upgrade", role="Mailbox", media=SE,
                     switches=[("DoNotEnableEP_FEEWS", None), ("DomainController", "dc01.rpi.local"), ("EnableErrorReporting", None),
                               ("UpdatesDir", "D:\\Updates")])
    assert result.command_line == (
        "D:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Upgrade /DomainController:dc01.rpi.local "
        "/DoNotEnableEP_FEEWS /EnableErrorReporting /UpdatesDir:D:\\Updates")
    with pytest.raises(PlanError) as error:
        command(mode="Upgrade", switches=[("TargetDir", "E:\\Exchange"), ("MdbName", "DB1")])
    assert {problem.code for problem in error.value.problems} == {"not_valid_here"}
    assert len(error.value.problems) == 2  # every problem, not only the first


def test_recover_server_re_specifies_the_target_dir():
    result = command(mode="RecoverServer", role=None, switches=[("DoNotStartTransport", None), ("TargetDir", "E:\\Exchange Server\\V15")])
    assert result.command_line == ('D:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:RecoverServer '
                                   '/TargetDir:"E:\\Exchange Server\\V15" /DoNotStartTransport')
    with pytest.raises(PlanError):
        command(mode="RecoverServer", switches=[("InstallWindowsComponents", None)])


def test_licence_switch_is_the_records_and_the_media_must_know_it():
    # The plan carries activity 6's switch as it is; the catalogue still refuses one the media does not know.
    assert command(media=CU10, license_switch=LEGACY).arguments[0] == "/IAcceptExchangeServerLicenseTerms"
    assert command(media=CU11, license_switch=ON).arguments[0] == "/IAcceptExchangeServerLicenseTerms_DiagnosticDataON"
    with pytest.raises(PlanError):
        command(media=CU10, license_switch=ON)
    with pytest.raises(PlanError):
        command(license_switch="/Mode:Install")


def test_extended_protection_switches_need_cu14():
    with pytest.raises(PlanError) as error:
        command(media=CU13, switches=[("DoNotEnableEP", None)])
    assert error.value.problems[0].code == "switch_too_new"
    assert command(media=CU14, switches=[("DoNotEnableEP", None)]).arguments[-1] == "/DoNotEnableEP"


@pytest.mark.parametrize("switches", [
    [("Mode", "Upgrade")], [("Roles", "Mailbox")], [("IAcceptExchangeServerLicenseTerms_DiagnosticDataON", None)],
    [("MdbName", "A"), ("mdbname", "B")], [("ProductKey", "XXXXX-XXXXX")], [("TargetDir", "E:\\Exchange Server\\")],
    [("OrganizationName", "RPI;Guatemala")],
])
def test_plan_switch_problems(switches):
    with pytest.raises(PlanError):
        command(switches=switches)


def test_install_needs_a_role_and_a_known_mode():
    with pytest.raises(PlanError):
        command(role=None)
    with pytest.raises(PlanError):
        command(mode="Uninstall")
    with pytest.raises(PlanError):
        command(media="next")


@pytest.mark.parametrize("root, executable, working, line", [
    ("D:", "D:\\Setup.exe", "D:\\", "D:\\Setup.exe"),
    ("d:\\", "D:\\Setup.exe", "D:\\", "D:\\Setup.exe"),
    ("D:\\setup.exe", "D:\\Setup.exe", "D:\\", "D:\\Setup.exe"),
    ("E:/Medios/Exchange SE/", "E:\\Medios\\Exchange SE\\Setup.exe", "E:\\Medios\\Exchange SE", '"E:\\Medios\\Exchange SE\\Setup.exe"'),
    ("\\\\files01\\media\\ex2019", "\\\\files01\\media\\ex2019\\Setup.exe", "\\\\files01\\media\\ex2019",
     "\\\\files01\\media\\ex2019\\Setup.exe"),
])
def test_setup_exe_at_the_media_root(root, executable, working, line):
    assert setup_executable(root) == (executable, working)
    assert command(root=root).command_line.startswith(line + " /IAccept")


@pytest.mark.parametrize("root", [
    "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin", "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\setup.exe",
    "E:\\Exchange Server\\V15", "D:\\ExSetup.exe", "setup.exe", ".\\", "", "D:\\Setup.exe\\..",
])
def test_never_the_installed_setup_nor_a_relative_path(root):
    with pytest.raises(PlanError):
        setup_executable(root)


def test_no_secret_on_the_command_line():
    result = command(switches=[("DomainController", "dc01.rpi.local"), ("TargetDir", "E:\\Exchange Server\\V15")])
    for argument in result.arguments:
        switch = find_switch(argument.lstrip("/").split(":", 1)[0])
        assert switch is not None and "key" not in switch.name.lower() and "pass" not in switch.name.lower()
    with pytest.raises(SecretInCommandLine):
        build_command(SetupPlan("D:", CU15, "Install", OFF, "Mailbox", (("DomainController", "S3cretPass"),)),
                      forbidden_values=["S3cretPass"])
    assert build_command(SetupPlan("D:", CU15, "Install", OFF, "Mailbox"), forbidden_values=["", "S3cretPass"])


# --- plan_setup, evidence ----------------------------------------------------------------------------------------------


def test_plan_setup_refuses_decisions_without_setup():
    for decision in (decide_mode(installed(CU15), CU15), decide_mode(installed(CU15), CU14)):
        with pytest.raises(PlanError):
            plan_setup(decision, media_root="D:", license_switch=OFF)
    with pytest.raises(PlanError):
        plan_setup(decide_mode(interrupted(UNCONFIGURED, CU15), CU15), media_root="D:", license_switch=OFF, role="EdgeTransport")


def test_plan_from_the_action_results_round_trips():
    decision = decide_mode(installed(CU14), SE)
    plan = plan_setup(decision, media_root="D:", license_switch=ON, role="Mailbox",
                      switches=[{"name": "DomainController", "value": "dc01.rpi.local"}])
    assert plan.role is None and plan.mode == "Upgrade" and plan.license_switch == ON
    assert SetupPlan.from_dict(plan.as_dict()) == plan
    evidence = plan_evidence(decision, build_command(plan))["evidence"][0]
    assert evidence["kind"] == "plan"
    assert evidence["summary_es"].endswith(
        "Línea de comandos: D:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataON /Mode:Upgrade "
        "/DomainController:dc01.rpi.local")
    assert evidence["details"]["decision"]["mode"] == "upgrade"
    assert evidence["details"]["command"]["executable"] == "D:\\Setup.exe"
    assert plan_evidence(decide_mode(installed(CU15), CU15))["evidence"][0]["details"].get("command") is None
