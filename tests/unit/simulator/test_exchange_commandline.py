"""Setup.exe command-line parsing (exchange-facts §1)."""

from __future__ import annotations

import pytest

from simulator.exchange.builds import RELEASES
from simulator.exchange.commandline import SetupCommandLineError, parse

CU10, CU13, CU14, CU15, SE = (RELEASES[k] for k in ("2019-CU10", "2019-CU13", "2019-CU14", "2019-CU15", "SE-RTM"))
ON = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataON"
OFF = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
LEGACY = "/IAcceptExchangeServerLicenseTerms"


@pytest.mark.parametrize("line", [
    f"{ON} /mode:Install /r:MB",
    f"{ON} /Mode:Install /Role:Mailbox",
    f"{OFF} /MODE:install /ROLES:mailbox",
    f"{ON} /m:Install /roles:Mailbox",
    f"{ON} /Roles:Mailbox",  # /Mode defaults to Install
])
def test_install_mailbox_spellings(line):
    cmd = parse(line, CU15)
    assert (cmd.mode, cmd.roles, cmd.scenario) == ("Install", ["Mailbox"], "install-mailbox")


def test_documented_examples_parse():
    """The verbatim examples of Microsoft's unattended-installs page (exchange-facts §1.3)."""
    for line in (f'{ON} /PrepareAD /OrganizationName:"Fabrikam Ltd"',
                 f'{ON} /Mode:Install /Roles:Mailbox /on:"Contoso Corporation"',
                 f'{ON} /Mode:Install /Role:Mailbox /TargetDir:"C:\\Exchange Server"',
                 f"{ON} /mode:Install /role:Mailbox /AnswerFile:c:\\ExchangeConfig.txt",
                 f"{ON} /Mode:Upgrade /DomainController:dc01.contoso.com",
                 f"{ON} /Role:ManagementTools /OrganizationName:Contoso /InstallWindowsComponents"):
        parse(line, SE)


def test_quoted_values_and_log_names():
    cmd = parse(f'{ON} /mode:Install /r:MB /on:"Contoso Corporation" /TargetDir:"D:\\Exchange Server"', CU15)
    assert cmd.value("OrganizationName") == "Contoso Corporation"
    assert ("organizationname", "Contoso Corporation") in cmd.log_parameters()
    assert ("iacceptexchangeserverlicenseterms_diagnosticdataon", "") in cmd.log_parameters()
    assert cmd.value("targetdir") == "D:\\Exchange Server"


def test_argv_list_is_accepted():
    cmd = parse([ON, "/Mode:Upgrade"], CU15)
    assert cmd.installation_mode == "BuildToBuildUpgrade"


@pytest.mark.parametrize("role,expected", [("mb", "Mailbox"), ("Mailbox", "Mailbox"), ("mt", "ManagementTools"),
                                           ("t", "ManagementTools"), ("ManagementTools", "ManagementTools"),
                                           ("et", "EdgeTransport"), ("EdgeTransport", "EdgeTransport")])
def test_role_values(role, expected):
    assert parse(f"{ON} /mode:install /roles:{role}", CU15).roles == [expected]


@pytest.mark.parametrize("switch", ["/ProductKey:12345-12345-12345-12345-12345", "/Foo", "/AddUmLanguagePack:ko-KR",
                                    "/RemoveUmLanguagePack:ko-KR"])
def test_unknown_switch_is_refused(switch):
    with pytest.raises(SetupCommandLineError, match="isn't valid"):
        parse(f"{ON} /mode:Install /roles:Mailbox {switch}", CU15)


def test_switch_without_slash_is_refused():
    with pytest.raises(SetupCommandLineError):
        parse(f"{ON} mode:Install", CU15)


class TestLicence:
    def test_missing_licence_switch(self):
        with pytest.raises(SetupCommandLineError, match="accept the license terms"):
            parse("/mode:Install /roles:Mailbox", CU15)

    @pytest.mark.parametrize("release", [RELEASES["2019-CU11"], CU14, CU15, SE])
    def test_legacy_switch_refused_from_cu11(self, release):
        with pytest.raises(SetupCommandLineError, match="no longer valid"):
            parse(f"{LEGACY} /mode:Install /roles:Mailbox", release)

    def test_legacy_switch_works_on_cu10(self):
        assert parse(f"{LEGACY} /mode:Install /roles:Mailbox", CU10).license == "legacy"

    @pytest.mark.parametrize("switch", [ON, OFF])
    def test_diagnostic_switches_unknown_before_cu11(self, switch):
        with pytest.raises(SetupCommandLineError, match="isn't valid"):
            parse(f"{switch} /mode:Install /roles:Mailbox", CU10)

    def test_only_one_licence_switch(self):
        with pytest.raises(SetupCommandLineError, match="only one"):
            parse(f"{ON} {OFF} /mode:Install /roles:Mailbox", CU15)

    def test_on_off_recorded(self):
        assert parse(f"{OFF} /PrepareAD /on:RPI", CU15).license == "off"


class TestModesAndValidWith:
    def test_install_needs_roles(self):
        with pytest.raises(SetupCommandLineError, match="role"):
            parse(f"{ON} /mode:Install", CU15)

    def test_mailbox_and_edge_exclusive(self):
        with pytest.raises(SetupCommandLineError, match="Edge"):
            parse(f"{ON} /mode:Install /roles:Mailbox,EdgeTransport", CU15)

    def test_unknown_mode(self):
        with pytest.raises(SetupCommandLineError, match="/Mode"):
            parse(f"{ON} /mode:Repair", CU15)

    def test_mode_and_prepare_do_not_mix(self):
        with pytest.raises(SetupCommandLineError, match="one mode"):
            parse(f"{ON} /mode:Install /roles:Mailbox /PrepareAD", CU15)

    @pytest.mark.parametrize("line", [
        "/Mode:Upgrade /DbFilePath:D:\\DB\\DB1.edb",
        "/Mode:Upgrade /Roles:Mailbox",
        "/Mode:Upgrade /TargetDir:D:\\Exchange",
        "/Mode:Upgrade /OrganizationName:Contoso",
        "/Mode:Upgrade /InstallWindowsComponents",
        "/PrepareSchema /MdbName:DB1",
        "/Mode:Install /Roles:ManagementTools /DoNotStartTransport",
        "/Mode:Install /Roles:Mailbox /AdamLdapPort:50389",
        "/Mode:RecoverServer /UpdatesDir:C:\\U /DbFilePath:D:\\x.edb",
    ])
    def test_valid_with_column(self, line):
        with pytest.raises(SetupCommandLineError, match="isn't valid with"):
            parse(f"{ON} {line}", CU15)

    def test_upgrade_accepts_documented_switches(self):
        cmd = parse(f"{ON} /Mode:Upgrade /DomainController:dc01.rpi.gob.gt /EnableErrorReporting /DoNotEnableEP", CU15)
        assert cmd.scenario == "upgrade"

    def test_ep_switches_need_cu14(self):
        parse(f"{ON} /Mode:Upgrade /DoNotEnableEP_FEEWS", CU14)
        with pytest.raises(SetupCommandLineError):
            parse(f"{ON} /Mode:Upgrade /DoNotEnableEP", CU13)

    def test_recover_server(self):
        cmd = parse(f"{ON} /Mode:RecoverServer /DoNotStartTransport /InstallWindowsComponents", CU15)
        assert cmd.installation_mode == "DisasterRecovery"

    def test_prepare_switch_aliases(self):
        assert parse(f"{ON} /ps", CU15).prepare == ["PrepareSchema"]
        assert parse(f"{ON} /p /on:RPI", CU15).prepare == ["PrepareAD"]
        assert parse(f"{ON} /pd:child.rpi.gob.gt", CU15).prepare == ["PrepareDomain"]
        assert parse(f"{ON} /pad", CU15).prepare == ["PrepareAllDomains"]

    def test_switch_given_twice(self):
        with pytest.raises(SetupCommandLineError, match="more than once"):
            parse(f"{ON} /mode:Install /roles:Mailbox /r:MB", CU15)

    def test_boolean_values(self):
        parse(f"{ON} /PrepareAD /on:RPI /ActiveDirectorySplitPermissions:False /CustomerFeedbackEnabled:true", CU15)
        with pytest.raises(SetupCommandLineError, match="True or False"):
            parse(f"{ON} /PrepareAD /on:RPI /CustomerFeedbackEnabled:yes", CU15)


class TestValues:
    @pytest.mark.parametrize("name", ["Contoso", "Contoso Corporation", "RPI-GT", "A" * 64])
    def test_good_organization_names(self, name):
        parse(f'{ON} /PrepareAD /on:"{name}"', CU15)

    @pytest.mark.parametrize("name", ["Contoso.Corp", "Contoso_Corp", " Contoso", "Contoso ", "A" * 65, "Café"])
    def test_bad_organization_names(self, name):
        with pytest.raises(SetupCommandLineError, match="organization name"):
            parse(f'{ON} /PrepareAD "/on:{name}"', CU15)

    @pytest.mark.parametrize("target", ["C:\\", "D:", "\\\\server\\share\\Exchange", "Exchange"])
    def test_bad_target_dirs(self, target):
        with pytest.raises(SetupCommandLineError, match="target directory"):
            parse(f'{ON} /mode:Install /roles:Mailbox "/TargetDir:{target}"', CU15)

    def test_value_required(self):
        with pytest.raises(SetupCommandLineError, match="requires a value"):
            parse(f"{ON} /mode:Install /roles:Mailbox /MdbName", CU15)

    def test_flag_takes_no_value(self):
        with pytest.raises(SetupCommandLineError, match="doesn't take a value"):
            parse(f"{ON} /mode:Install /roles:Mailbox /DoNotStartTransport:true", CU15)

    def test_db_file_path_needs_edb(self):
        with pytest.raises(SetupCommandLineError, match=".edb"):
            parse(f"{ON} /mode:Install /roles:Mailbox /DbFilePath:D:\\DB\\DB1", CU15)
