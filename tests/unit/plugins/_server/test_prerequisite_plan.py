"""What exchange_prerequisites decides (plugins/plugin_utils/_server/prerequisites.py), from probe answers.

The facts go through the real `server_facts.interpret()`, so the plan is tested on what the action sees.
"""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import prerequisites as pp
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import windows_features
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import DESKTOP_EXPERIENCE
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import normalize_payload
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import interpret, probe_arguments

DOTNET_KEY = r"HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full"
UCMA_KEY = r"HKLM:\SOFTWARE\Microsoft\UCMA\{902F4F35-D5DC-4363-8671-D5EF0D26C21D}"
REWRITE_KEY = r"HKLM:\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite"
NET48, NET481, NET472 = 528049, 533325, 461814
SE, CU15, CU14, CU13, CU10 = "15.2.2562.17", "15.2.1748.10", "15.2.1544.4", "15.2.1258.12", "15.2.922.7"
LOCAL = "C:\\RPI\\Prerequisites"
SHARE = "\\\\rpi-fs01\\instaladores\\Exchange\\Prerequisites"
OS = {2019: (17763, "10.0.17763"), 2022: (20348, "10.0.20348"), 2025: (26100, "10.0.26100")}
INBOX = frozenset({"NET-Framework-45-Core", "NET-WCF-TCP-PortSharing45"})


def facts(year=2022, core=False, release=528449, installed=(), features_installed=INBOX, pending=(), role="Mailbox"):
    """interpret() of a probe answer: `installed` names catalogue keys present, `features_installed` the features."""
    build, version = OS[year]
    registry = {DOTNET_KEY: {"Release": release}}
    entries = []
    if "vcredist2012" in installed:
        entries.append({"display_name": "Microsoft Visual C++ 2012 x64 Minimum Runtime - 11.0.61030", "version": 184610406,
                        "registry_view": "64"})
    if "vcredist2013" in installed:
        registry[r"HKLM:\SOFTWARE\Microsoft\VisualStudio\12.0\VC\Runtimes\x64"] = {"Installed": 1, "Bld": 40664}
    if "ucma4" in installed:
        registry[UCMA_KEY] = {"Version": "5.0.8308.0"}
    if "urlrewrite21" in installed:
        registry[REWRITE_KEY] = {"Version": "7.2.1993"}
    names = probe_arguments(role)["feature_names"]
    probe = {
        "os": {"caption": f"Microsoft Windows Server {year} Standard", "version": version, "build": build,
               "edition_id": "ServerStandard", "installation_type": "Server Core" if core else "Server"},
        "registry": registry,
        "uninstall_entries": entries,
        "features": [{"name": name, "installed": name in features_installed} for name in names],
        "pending_reboot": {source: True for source in pending},
    }
    return interpret(probe, role)


ALL_SOFTWARE = ("vcredist2012", "vcredist2013", "ucma4", "urlrewrite21")


def ready(year=2022, core=False, release=NET481, role="Mailbox", **kwargs):
    names = set(windows_features(role, DESKTOP_EXPERIENCE))
    return facts(year, core, release, ALL_SOFTWARE, names, role=role, **kwargs)


# ------------------------------------------------------------------------------------------------ fresh servers
def test_bare_ws2022_for_se_installs_everything_in_order():
    plan = pp.make_plan(facts(), exchange_version=SE, source=LOCAL)
    assert not plan.problems
    assert plan.target.label == "SE RTM" and plan.target.os_key == "WS2022"
    expected_features = [name for name in windows_features("Mailbox", "DesktopExperience") if name not in INBOX]
    assert list(plan.features) == expected_features
    assert [step.key for step in plan.steps] == ["dotnet481", "vcredist2012", "vcredist2013", "ucma4", "urlrewrite21"]
    assert plan.steps[0].path == LOCAL + "\\NDP481-x86-x64-AllOS-ENU.exe"
    assert plan.steps[0].module_args() == {"path": LOCAL + "\\NDP481-x86-x64-AllOS-ENU.exe", "state": "present",
                                           "arguments": ["/q", "/norestart"]}
    assert plan.steps[0].reboot_expected
    ucma = plan.steps[3]
    assert ucma.module_args()["product_id"] == "{41D635FE-4F9D-47F7-8230-9B29D6D42D31}"
    assert ucma.module_args()["arguments"] == ["/passive", "/norestart"]
    rewrite = plan.steps[4].module_args()
    # win_package adds /qn /norestart to an MSI itself and says not to pass them again.
    assert "arguments" not in rewrite and rewrite["product_id"] == "{9BCA2118-F753-4A1E-BCF3-5A820729965C}"
    assert {item.key for item in plan.already_present} == INBOX
    assert plan.has_work and not plan.reboot_first
    assert plan.dotnet["install"] == ".NET Framework 4.8.1" and plan.dotnet["version_before"] == "4.8"


def test_dotnet_minimum_keeps_in_box_48_on_ws2022():
    plan = pp.make_plan(facts(), exchange_version=SE, source=LOCAL, dotnet="minimum")
    assert "dotnet481" not in [step.key for step in plan.steps]
    assert any(item.key == "dotnet" and item.name == ".NET Framework 4.8" for item in plan.already_present)


@pytest.mark.parametrize("version", [CU14, CU15, SE])
def test_ws2019_never_gets_481(version):
    plan = pp.make_plan(facts(2019, release=NET472), exchange_version=version, source=LOCAL)
    assert [step.key for step in plan.steps][0] == "dotnet48"
    assert plan.steps[0].file_name == "ndp48-x86-x64-allos-enu.exe"
    assert plan.dotnet["recommended"] == "4.8"


def test_cu13_on_ws2022_recommends_48_only():
    plan = pp.make_plan(ready(release=528449), exchange_version=CU13, source=LOCAL)
    assert not plan.problems and not plan.steps


@pytest.mark.parametrize("year, version", [(2022, CU13), (2019, CU15)])
def test_installed_481_where_unsupported_is_refused(year, version):
    plan = pp.make_plan(ready(year, release=NET481), exchange_version=version, source=LOCAL)
    assert [problem.code for problem in plan.problems] == ["dotnet_too_new"]
    assert "4.8.1" in plan.problems[0].message("es") and "desinstalar" in plan.problems[0].message("es")


def test_url_rewrite_only_from_cu11():
    plan = pp.make_plan(facts(2019, release=NET48), exchange_version=CU10, source=LOCAL)
    assert "urlrewrite21" not in [step.key for step in plan.steps]


# ------------------------------------------------------------------------------------------------ Server Core
def test_core_takes_ucma_from_the_media():
    plan = pp.make_plan(facts(2019, core=True, release=NET472), exchange_version=CU15, source=LOCAL, media_path="e")
    assert not plan.problems
    ucma = next(step for step in plan.steps if step.key == "ucma4")
    assert ucma.path == "E:\\UCMARedist\\Setup.exe" and ucma.origin == "media" and ucma.option == "media_path"
    assert not set(plan.features) & {"Web-Mgmt-Console", "RSAT-Clustering-Mgmt", "Windows-Identity-Foundation"}
    assert plan.target.installation_type == "ServerCore"


def test_core_without_media_is_refused_before_anything():
    plan = pp.make_plan(facts(2019, core=True, release=NET472), exchange_version=CU15, source=LOCAL)
    assert [problem.code for problem in plan.problems] == ["media_path_missing"]
    assert "UCMARedist" in plan.problems[0].message("es") and plan.problems[0].option == "media_path"


def test_core_with_ucma_already_there_needs_no_media():
    plan = pp.make_plan(facts(2019, core=True, release=NET48, installed=("ucma4",)), exchange_version=CU15, source=LOCAL)
    assert not plan.problems


# ------------------------------------------------------------------------------------------------ roles
def test_edge_and_management_tools():
    edge = pp.make_plan(facts(role="EdgeTransport"), exchange_version=SE, role="EdgeTransport", source=LOCAL)
    assert edge.features == ("ADLDS",)
    assert [step.key for step in edge.steps] == ["dotnet481", "vcredist2012"]
    tools = pp.make_plan(facts(role="ManagementTools"), exchange_version=SE, role="mt", source=LOCAL)
    assert tools.target.role == "ManagementTools" and tools.features == ("Web-Mgmt-Console", "Web-Metabase")


# ------------------------------------------------------------------------------------------------ idempotence, reboots
def test_ready_server_has_nothing_to_do():
    plan = pp.make_plan(ready(), exchange_version=SE)  # no source needed when nothing is installed
    assert not plan.problems and not plan.has_work
    assert {item.key for item in plan.already_present} >= {"dotnet", *ALL_SOFTWARE, "Web-Server"}
    assert pp.missing_items(ready(), plan.target) == ()


def test_pending_reboot_is_reported_for_a_first_restart():
    plan = pp.make_plan(ready(pending=("component_based_servicing",)), exchange_version=SE)
    assert plan.reboot_first and plan.pending_sources == ("component_based_servicing",)


def test_missing_items_after_uses_the_minimum_not_the_recommendation():
    target = pp.make_plan(ready(), exchange_version=SE).target
    assert pp.missing_items(ready(release=528449), target) == ()
    assert [item.key for item in pp.missing_items(ready(release=NET472), target)] == ["dotnet"]
    missing = pp.missing_items(facts(installed=("vcredist2012",)), target)
    assert "Server-Media-Foundation" in [item.key for item in missing] and "vcredist2012" not in [item.key for item in missing]


# ------------------------------------------------------------------------------------------------ options
def test_source_missing_is_one_problem():
    plan = pp.make_plan(facts(), exchange_version=SE)
    assert [problem.code for problem in plan.problems] == ["source_missing"]


@pytest.mark.parametrize("source, code", [("https://download.microsoft.com/x", "source_not_offline"),
                                          ("instaladores", "source_invalid")])
def test_bad_source(source, code):
    assert code in [problem.code for problem in pp.make_plan(facts(), exchange_version=SE, source=source).problems]


def test_installer_overrides():
    plan = pp.make_plan(facts(), exchange_version=SE, source=SHARE + "\\",
                        installers={"vcredist2013": "VC_redist-2013.x64.exe", "ucma4": "D:\\Otros\\UcmaRuntimeSetup.exe"})
    steps = {step.key: step for step in plan.steps}
    assert steps["vcredist2013"].path == SHARE + "\\VC_redist-2013.x64.exe" and steps["vcredist2013"].option == "installers.vcredist2013"
    assert steps["ucma4"].path == "D:\\Otros\\UcmaRuntimeSetup.exe" and steps["ucma4"].origin == "explicit"
    assert steps["vcredist2012"].option == "source"
    bad = pp.make_plan(facts(), exchange_version=SE, source=LOCAL, installers={"ucma": "x.exe"})
    assert [problem.code for problem in bad.problems] == ["installer_key_unknown"]


@pytest.mark.parametrize("year, version, code", [
    (2022, "15.2.986.5", "os_not_supported"),   # CU11 predates Windows Server 2022 support
    (2025, CU14, "os_not_supported"),           # Windows Server 2025 needs CU15
    (2022, "quince", "exchange_version_invalid"),
    (2022, "15.1.2507.6", "exchange_version_unsupported"),
])
def test_target_refusals(year, version, code):
    plan = pp.make_plan(facts(year), exchange_version=version, source=LOCAL)
    assert code in [problem.code for problem in plan.problems] and plan.target is None


def test_cu15_on_ws2025_is_fine():
    assert not pp.make_plan(facts(2025, release=NET481), exchange_version=CU15, source=LOCAL).problems


# ------------------------------------------------------------------------------------------------ missing files
def test_missing_files_name_file_folder_and_option():
    plan = pp.make_plan(facts(), exchange_version=SE, source=SHARE)
    exists = {step.path: True for step in plan.steps}
    exists[plan.steps[2].path] = False
    problems = pp.missing_file_problems(plan, exists)
    assert len(problems) == 1
    message = problems[0].message("es")
    assert "vcredist_x64_2013.exe" in message and SHARE in message and "'source'" in message
    assert "installers.vcredist2013" in message and "doble salto" in message
    assert problems[0].option == "source" and problems[0].code == "installer_missing"
    assert "was not found" in problems[0].message("en")


def test_missing_media_installer_points_at_media_path():
    plan = pp.make_plan(facts(2019, core=True, release=NET48, installed=("vcredist2012", "vcredist2013", "urlrewrite21")),
                        exchange_version=CU15, source=LOCAL, media_path="F:\\")
    problems = pp.missing_file_problems(plan, {})
    assert [problem.option for problem in problems] == ["media_path"]
    assert "medio de Exchange" in problems[0].message("es")


# ------------------------------------------------------------------------------------------------ evidence
def test_evidence_follows_the_report_contract():
    plan = pp.make_plan(facts(), exchange_version=SE, source=LOCAL)
    items = [pp.plan_evidence(plan, True), pp.present_evidence(plan), pp.features_evidence(plan.features, True),
             pp.install_evidence(plan.steps[0], 3010, True), pp.reboot_evidence("x", "x", {"reason": "after_install"}),
             pp.outcome_evidence(plan.target, (), False), pp.outcome_evidence(plan.target, (pp.Item("dotnet", ".NET", "software"),), False)]
    payload = normalize_payload({"evidence": items})
    assert not payload.problems, payload.problems
    assert [item["kind"] for item in payload.evidence] == ["plan", "check", "change", "change", "reboot", "check", "check"]
    assert "reinicio: sí" in items[0]["summary_es"] and f"{len(plan.features)} características" in items[0]["summary_es"]
    assert payload.evidence[-1]["level"] == "error"
