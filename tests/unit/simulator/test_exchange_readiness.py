"""Readiness rules (exchange-facts §4.3, §2): each refuses with its real name and message."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator.exchange import prereqs
from simulator.exchange.builds import RELEASES, Build
from simulator.exchange.commandline import parse
from simulator.exchange.prereqs import required_features
from simulator.exchange.readiness import AdFacts, HostFacts, ReadinessInput, Watermark, evaluate

CU12, CU13, CU14, CU15, SE = (RELEASES[k] for k in ("2019-CU12", "2019-CU13", "2019-CU14", "2019-CU15", "SE-RTM"))
LIC = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataON"
INSTALL = f"{LIC} /Mode:Install /Roles:Mailbox"
ALL_GROUPS = frozenset({"Schema Admins", "Enterprise Admins", "Domain Admins", "Organization Management"})
GOOD_HOST = HostFacts(os_build=20348, features=frozenset(f.lower() for f in required_features("install-mailbox", False)))
GOOD_AD = AdFacts(groups=ALL_GROUPS, org_name="RPI", schema_range_upper=17003, org_object_version=16763,
                  domain_object_version=13243)


def _failures(line=INSTALL, release=CU15, host=GOOD_HOST, ad=GOOD_AD, components=False):
    report = evaluate(ReadinessInput(parse(line, release), release, host, ad, components))
    return {o.rule: o.message for o in report.failures}


def test_good_server_passes():
    assert _failures() == {}
    assert _failures(f"{LIC} /Mode:Upgrade", host=replace(GOOD_HOST, installed_build=CU14.build)) == {}


@pytest.mark.parametrize("change,rule,text", [
    ({"pending_file_rename": True}, "RebootPending",
     "A reboot from a previous installation is pending. Please restart the system and then rerun Setup."),
    ({"cbs_reboot_pending": True}, "PendingRebootWindowsComponents",
     "There is a pending reboot from a previous installation of a Windows Server role or feature. Please restart the "
     "computer and then run Setup again."),
    ({"url_rewrite": False}, "IISURLRewriteNotInstalled",
     "The 'IIS URL rewrite module' isn't installed on this computer and needs to be installed before Exchange Setup can "
     "begin."),
    ({"net_release": None}, "NETFrameworkNotInstalled", ".NET Framework 4.8"),
    ({"net_release": 461814}, "MinimumFrameworkNotInstalled", "528040"),
    ({"vc2013": False}, "VC2013RedistDependencyRequirement", "Visual Studio 2013"),
    ({"vc2012": False}, "VC2012RedistDependencyRequirement", "Visual Studio 2012"),
    ({"ucma": False}, "UcmaRedistMsi", "UCMA 4.0, Core Runtime not installed"),
    ({"domain_joined": False}, "ComputerNotPartofDomain", "isn't a member of an Active Directory domain"),
    ({"execution_policy_gpo": True}, "PowerShellExecutionPolicyCheckSet", "Group Policy"),
    ({"os_build": 26100}, "ValidOSVersion", "isn't supported by Exchange 2019 CU14"),
])
def test_host_rules(change, rule, text):
    failures = _failures(host=replace(GOOD_HOST, **change), release=CU14)
    assert rule in failures and text in failures[rule]


def test_update_needs_reboot_is_evaluated_but_never_blocks():
    report = evaluate(ReadinessInput(parse(INSTALL, CU15), CU15, replace(GOOD_HOST, wu_reboot_required=True), GOOD_AD))
    outcome = next(o for o in report.outcomes if o.rule == "UpdateNeedsReboot")
    assert outcome.value and outcome.rule_type == "None" and report.passed


@pytest.mark.parametrize("os_build,release,ok", [(17763, CU13, True), (20348, CU12, True), (20348, RELEASES["2019-CU11"], False),
                                                 (26100, CU14, False), (26100, CU15, True), (26100, SE, True),
                                                 (14393, CU15, False)])
def test_valid_os_version(os_build, release, ok):
    assert ("ValidOSVersion" not in _failures(host=replace(GOOD_HOST, os_build=os_build), release=release)) is ok


def test_url_rewrite_only_from_cu11():
    assert "IISURLRewriteNotInstalled" not in _failures("/IAcceptExchangeServerLicenseTerms /Mode:Install /Roles:Mailbox",
                                                        RELEASES["2019-CU10"], replace(GOOD_HOST, url_rewrite=False))


def test_missing_windows_features_and_install_windows_components():
    host = replace(GOOD_HOST, features=GOOD_HOST.features - {"web-server", "rsat-adds"})
    failures = _failures(host=host)
    assert "WindowsFeatureWebServerNotInstalled" in failures and "RsatAddsToolsInstalled" in failures
    assert "The Windows component Web-Server isn't installed" in failures["WindowsFeatureWebServerNotInstalled"]
    assert _failures(f"{INSTALL} /InstallWindowsComponents", host=host, components=True) == {}


def test_core_feature_list_omits_desktop_features():
    core = replace(GOOD_HOST, server_core=True, features=frozenset(f.lower() for f in required_features("install-mailbox", True)))
    assert _failures(host=core) == {}


class TestActiveDirectory:
    def test_double_hop_fails_ad_init(self):
        ad = AdFacts(reachable=False, failure="Active Directory operation failed on DC01.")
        failures = _failures(ad=ad)
        assert list(failures) == ["AdInitErrorRule"]
        assert failures["AdInitErrorRule"].startswith(
            "Setup encountered a problem while validating the state of Active Directory: Active Directory operation failed")

    def test_local_account(self):
        failures = _failures(ad=AdFacts(reachable=False, local_account=True))
        assert "ComputerNotPartofDomain" in failures and "AdInitErrorRule" not in failures

    def test_schema_and_global_update_without_rights(self):
        ad = replace(GOOD_AD, groups=frozenset({"Organization Management"}), org_name="", schema_range_upper=0,
                     org_object_version=0, domain_object_version=0)
        failures = _failures(f'{INSTALL} /on:RPI', ad=ad)
        assert failures["SchemaUpdateRequired"] == ("The Active Directory schema isn't up-to-date, and this user account "
                                                    "isn't a member of the 'Schema Admins' and/or 'Enterprise Admins' groups.")
        assert failures["GlobalUpdateRequired"] == ("Global updates need to be made to Active Directory, and this user "
                                                    "account isn't a member of the 'Enterprise Admins' group.")
        assert failures["DomainPrepRequired"].startswith("The local domain needs to be prepared using Setup /PrepareDomain")

    def test_cu14_to_cu15_needs_enterprise_admins(self):
        """objectVersion (Configuration) 16762 -> 16763 (exchange-facts §2.6)."""
        ad = replace(GOOD_AD, org_object_version=16762, groups=frozenset({"Organization Management"}))
        host = replace(GOOD_HOST, installed_build=CU14.build)
        assert set(_failures(f"{LIC} /Mode:Upgrade", CU15, host, ad)) == {"GlobalUpdateRequired"}
        assert set(_failures(f"{LIC} /Mode:Upgrade", SE, host, ad)) == {"GlobalUpdateRequired"}
        ad15 = replace(ad, org_object_version=16763)
        assert _failures(f"{LIC} /Mode:Upgrade", SE, replace(host, installed_build=CU15.build), ad15) == {}

    def test_global_server_install(self):
        failures = _failures(ad=replace(GOOD_AD, groups=frozenset({"Domain Admins"})))
        assert failures == {"GlobalServerInstall": "You must be a member of the 'Organization Management' role group or a "
                                                   "member of the 'Enterprise Admins' group to continue."}

    def test_prepare_schema_needs_schema_and_enterprise_admins(self):
        ad = replace(GOOD_AD, groups=frozenset({"Schema Admins"}))
        assert "SchemaUpdateRequired" in _failures(f"{LIC} /PrepareSchema", ad=ad)
        assert _failures(f"{LIC} /PrepareSchema", ad=replace(ad, groups=ALL_GROUPS)) == {}

    def test_prepare_ad_needs_enterprise_admins(self):
        assert "GlobalUpdateRequired" in _failures(f"{LIC} /PrepareAD", ad=replace(GOOD_AD, groups=frozenset({"Domain Admins"})))

    def test_first_server_needs_organization_name(self):
        ad = replace(GOOD_AD, org_name="", org_object_version=0)
        assert "OrganizationNameRequired" in _failures(ad=ad)
        assert "OrganizationNameRequired" not in _failures(f"{INSTALL} /on:RPI", ad=ad)


class TestWatermark:
    MARK = Watermark("MailboxRole", "Install", "SystemAttendantDependent___1dee95834dba48f2bb211c2fb6765a5a")

    def test_install_watermark_blocks_unattended_install(self):
        failures = _failures(host=replace(GOOD_HOST, watermarks=(self.MARK,)))
        assert "InstallWatermark" in failures and "MailboxRole" in failures["InstallWatermark"]

    def test_install_watermark_blocks_upgrade_too(self):
        host = replace(GOOD_HOST, watermarks=(self.MARK,), installed_build=CU14.build)
        assert "You can't resume setup by performing the action 'BuildToBuildUpgrade'" in _failures(
            f"{LIC} /Mode:Upgrade", host=host)["InstallWatermark"]

    def test_upgrade_watermark_resumes_with_upgrade(self):
        mark = replace(self.MARK, action="BuildToBuildUpgrade")
        host = replace(GOOD_HOST, watermarks=(mark,), installed_build=Build.parse("15.2.1544.4"))
        assert _failures(f"{LIC} /Mode:Upgrade", host=host) == {}
        assert "InstallWatermark" in _failures(host=host)

    def test_resume_policy_switch(self, monkeypatch):
        monkeypatch.setattr(prereqs, "WATERMARK_POLICY", "resume")
        assert _failures(host=replace(GOOD_HOST, watermarks=(self.MARK,))) == {}
