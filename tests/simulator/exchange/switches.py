"""The Setup.exe switch table for Exchange 2019 CU11+ and SE (exchange-facts §1.1-§1.3 [S1 unattended-installs 07/01/2025]).

`VALID_WITH` is Microsoft's "valid with" column, as scenario names:
install-mailbox, install-edge, install-tools, upgrade, recover, uninstall, prepare (any /Prepare* switch),
provision (/NewProvisionedServer, /RemoveProvisionedServer).
"""

from __future__ import annotations

from dataclasses import dataclass

LICENSE_ON = "IAcceptExchangeServerLicenseTerms_DiagnosticDataON"
LICENSE_OFF = "IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
LICENSE_LEGACY = "IAcceptExchangeServerLicenseTerms"

INSTALL = ("install-mailbox", "install-edge", "install-tools")
ALL_MODES = (*INSTALL, "upgrade", "recover", "uninstall")
ANY = (*ALL_MODES, "prepare", "provision")


@dataclass(frozen=True)
class Switch:
    name: str  # canonical spelling
    aliases: tuple[str, ...] = ()
    value: str = "none"  # "none" | "required" | "optional"
    valid_with: tuple[str, ...] = ANY
    primary: bool = False  # scenario-defining (/Mode, /Prepare*)


SWITCHES: tuple[Switch, ...] = (
    # Licence switches (§1.1); version rules are in commandline.py.
    Switch(LICENSE_ON), Switch(LICENSE_OFF), Switch(LICENSE_LEGACY),
    # Primary switches (§1.2).
    Switch("Mode", ("m",), "required", primary=True),
    Switch("Roles", ("Role", "r"), "required", INSTALL),
    Switch("PrepareSchema", ("ps",), primary=True),
    Switch("PrepareAD", ("p",), primary=True),
    Switch("PrepareDomain", ("pd",), "optional", primary=True),
    Switch("PrepareAllDomains", ("pad",), primary=True),
    Switch("NewProvisionedServer", ("nprs",), "optional", primary=True),
    Switch("RemoveProvisionedServer", ("rprs",), "required", primary=True),
    # Optional switches (§1.3) with Microsoft's valid-with column.
    Switch("ActiveDirectorySplitPermissions", (), "required", ("install-mailbox", "prepare")),
    Switch("AdamLdapPort", (), "required", ("install-edge",)),
    Switch("AdamSslPort", (), "required", ("install-edge",)),
    Switch("AnswerFile", ("af",), "required", ("install-mailbox", "install-edge")),
    # CustomerFeedbackEnabled/OrganizationName are also shown with /Role:ManagementTools [S1 install-management-tools].
    Switch("CustomerFeedbackEnabled", (), "required", (*INSTALL, "prepare")),
    Switch("DoNotEnableEP", (), "none", (*INSTALL, "upgrade")),
    Switch("DoNotEnableEP_FEEWS", (), "none", (*INSTALL, "upgrade")),
    Switch("DbFilePath", (), "required", ("install-mailbox",)),
    Switch("DisableAMFiltering", (), "none", ("install-mailbox",)),
    Switch("DomainController", ("dc",), "required", ("install-mailbox", "install-tools", "upgrade", "recover",
                                                     "uninstall", "prepare", "provision")),
    Switch("DoNotStartTransport", (), "none", ("install-mailbox", "install-edge", "recover")),
    Switch("EnableErrorReporting", (), "none", (*INSTALL, "upgrade", "recover")),
    # Microsoft lists /Mode:Install only; Install-Exchange15 also passes it with RecoverServer [S4 l.1084] and that
    # widely used script works, so setup is modelled as accepting it there too [3P].
    Switch("InstallWindowsComponents", (), "none", (*INSTALL, "recover")),
    Switch("LogFolderPath", (), "required", ("install-mailbox",)),
    Switch("MdbName", (), "required", ("install-mailbox",)),
    Switch("OrganizationName", ("on",), "required", ("install-mailbox", "install-tools", "prepare")),
    # Setup's launcher re-invokes itself with /sourcedir:<media> (exchange-facts §1.3 [S2 logs]); accepted anywhere.
    Switch("SourceDir", ("s",), "required", ANY),
    Switch("TargetDir", ("t",), "required", (*INSTALL, "recover")),
    Switch("TenantOrganizationConfig", (), "required", (*INSTALL, "prepare")),
    Switch("UpdatesDir", ("u",), "required", (*INSTALL, "upgrade", "recover")),
)

BY_NAME: dict[str, Switch] = {}
for _switch in SWITCHES:
    for _name in (_switch.name, *_switch.aliases):
        BY_NAME[_name.lower()] = _switch

MODES = {"install": "Install", "uninstall": "Uninstall", "upgrade": "Upgrade", "recoverserver": "RecoverServer"}

# /Roles values and their short forms (§1.2).
ROLE_VALUES = {
    "mailbox": "Mailbox", "mb": "Mailbox",
    "edgetransport": "EdgeTransport", "et": "EdgeTransport",
    "managementtools": "ManagementTools", "mt": "ManagementTools", "t": "ManagementTools",
}

# Exchange 2016-only switches: "not available in Exchange 2019 or later" (§1.2) -> unknown to 2019/SE setup.
NOT_IN_2019 = ("AddUmLanguagePack", "RemoveUmLanguagePack")
