"""The steps a Setup.exe run goes through, per mode (exchange-facts §4.2 console format, §3.2 role keys, §5.2 services).

Console step names and order are verbatim from the unattended console output quoted in exchange-facts §4.2
[3P Q&A 1288889; CU upgrade console, source not recorded]: Upgrade adds `Language Files`, `Removing Exchange Files`
and `Preparing Files` before `Copying Exchange Files`. Task names come from the real logs where they appear there
(Start-PreConfiguration, Start-PreFileCopy, install-msipackage, install-Languages, Install-BridgeheadRole,
Install-ExchangeOrganization); the others follow the same pattern [UNCONFIRMED]. Components used in
`[ERROR-REFERENCE] Id=<Component>___<hex>` / Watermark values are real ids where one is known (AllRolesPreFileCopyComponent,
BridgeheadComponent, ClientAccessOwaComponent, SystemAttendantDependent, MailboxServiceControlLast, ADSchemaComponent,
AllADRolesCommonServiceControl), otherwise [UNCONFIRMED]. Durations are simulated seconds sized so a Mailbox install
takes about Microsoft's 60 minutes and a CU about 90 of its estimated <= 180 (exchange-facts §6.3).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Registry role keys under HKLM\SOFTWARE\Microsoft\ExchangeServer\v15 (exchange-facts §3.2 [S5, S2]) and the role
# names setup prints in `The following roles are installed: ...` [S2 logs].
ROLE_KEYS = {"BridgeheadRole": "HubTransportRole", "ClientAccessRole": "ClientAccessRole", "MailboxRole": "MailboxRole",
             "FrontendTransportRole": "FrontendTransportRole", "AdminToolsRole": "AdminTools", "CafeRole": "CafeRole",
             # Edge Transport: setup's internal name is GatewayRole (Install-GatewayRole, the Edge role's task in
             # Exchange setup logs [UNCONFIRMED for 2019/SE logs]); its key is EdgeTransportRole [S2 Confirm-ExchangeShell.ps1].
             "GatewayRole": "EdgeTransportRole"}
MAILBOX_ROLES = ("BridgeheadRole", "ClientAccessRole", "MailboxRole", "FrontendTransportRole", "AdminToolsRole", "CafeRole")
TOOLS_ROLES = ("AdminToolsRole",)
EDGE_ROLES = ("AdminToolsRole", "GatewayRole")  # /Roles:EdgeTransport installs the Edge role and the tools (§1.2 [S1])


@dataclass(frozen=True)
class Step:
    console: str  # console line, e.g. "Mailbox role: Transport service"
    task: str  # log task name
    component: str  # ERROR-REFERENCE / Watermark component
    seconds: float
    role: str = ""  # log role name this step configures ("" = none)
    services: tuple[str, ...] = ()  # Exchange services this step creates (see services.py)
    kind: str = ""  # "copy" (file copy: disk space), "org" (AD preparation), "stop", "restore", "finalize"
    arguments: str = ""


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    roles: tuple[str, ...] = ()

    @property
    def total_seconds(self) -> float:
        return sum(s.seconds for s in self.steps)


def _org_steps(schema: bool, org: bool) -> list[Step]:
    steps = []
    if schema:
        steps.append(Step("Extending Active Directory schema", "Install-ExchangeOrganization", "ADSchemaComponent", 420,
                          kind="schema"))
    if org:
        steps.append(Step("Organization Preparation", "Install-ExchangeOrganization", "ADOrganizationComponent", 480,
                          kind="org"))
    return steps


_PRE = Step("Preparing Setup", "Start-PreConfiguration", "AllRolesPreConfigurationComponent", 60)
_STOP = Step("Stopping Services", "Start-PreFileCopy", "AllRolesPreFileCopyComponent", 90, kind="stop")
_COPY = Step("Copying Exchange Files", "install-msipackage", "", 1200, kind="copy")
_LANG_FILES = Step("Language Files", "install-MsiPackage", "", 300)
_REMOVE = Step("Removing Exchange Files", "uninstall-MsiPackage", "", 600, kind="remove")
_PREPARE_FILES = Step("Preparing Files", "Start-MidFileCopy", "AllRolesMidFileCopyComponent", 60)
_RESTORE = Step("Restoring Services", "Start-PostFileCopy", "AllRolesPostFileCopyComponent", 60, kind="restore")
_LANG_CONFIG = Step("Language Configuration", "install-Languages", "LanguagePackComponent", 240)
_TOOLS = Step("Exchange Management Tools", "Install-AdminToolsRole", "AdminToolsComponent", 240, role="AdminToolsRole")
_ROLE_STEPS = (
    Step("Mailbox role: Transport service", "Install-BridgeheadRole", "BridgeheadComponent", 600, "BridgeheadRole",
         ("MSExchangeADTopology", "MSExchangeServiceHost", "MSExchangeDiagnostics", "MSExchangeHM", "MSExchangeHMRecovery",
          "MSExchangeTransport", "MSExchangeTransportLogSearch", "MSExchangeEdgeSync", "MSExchangeAntispamUpdate")),
    Step("Mailbox role: Client Access service", "Install-ClientAccessRole", "ClientAccessOwaComponent", 480,
         "ClientAccessRole", ("MSExchangeIMAP4BE", "MSExchangePOP3BE")),
    Step("Mailbox role: Mailbox service", "Install-MailboxRole", "SystemAttendantDependent", 900, "MailboxRole",
         ("MSExchangeIS", "MSExchangeRepl", "MSExchangeDelivery", "MSExchangeSubmission", "MSExchangeMailboxAssistants",
          "MSExchangeMailboxReplication", "MSExchangeRPC", "MSExchangeFastSearch", "HostControllerService",
          "MSExchangeDagMgmt", "MSExchangeThrottling", "MSComplianceAudit", "MSExchangeCompliance", "WSBExchange",
          "MSExchangeMitigation", "MSExchangeFlighting")),
    Step("Mailbox role: Front End Transport service", "Install-FrontendTransportRole", "FrontendTransportComponent", 240,
         "FrontendTransportRole", ("MSExchangeFrontEndTransport",)),
    Step("Mailbox role: Client Access Front End service", "Install-CafeRole", "CafeComponent", 420, "CafeRole",
         ("MSExchangeIMAP4", "MSExchangePOP3")),
)
# Edge Transport [S1 install-edge-transport-role: Edge services per S6 services-overview; no AD preparation, no
# organisation, no mailbox database, no IIS]. Console name [UNCONFIRMED]; sized so an Edge install takes about
# Microsoft's 40 minutes (exchange-facts §6.3) with the common steps.
_EDGE_STEP = Step("Edge Transport role", "Install-GatewayRole", "GatewayComponent", 300, "GatewayRole",
                  ("ADAM_MSExchange", "MSExchangeEdgeCredential", "MSExchangeServiceHost", "MSExchangeDiagnostics",
                   "MSExchangeHM", "MSExchangeHMRecovery", "MSExchangeTransport", "MSExchangeTransportLogSearch",
                   "MSExchangeAntispamUpdate"))
_FINAL = Step("Finalizing Setup", "Start-PostSetup", "AllRolesPostSetupComponent", 120, kind="finalize")


def _upgrade(step: Step) -> Step:
    """BuildToBuildUpgrade runs the role tasks under their upgrade names [UNCONFIRMED task names]."""
    if step.task.startswith("Install-") and step.role:
        return replace(step, task=step.task.replace("Install-", "BuildToBuildUpgrade-", 1))
    return step


def install_plan(roles: tuple[str, ...], *, schema: bool, org: bool) -> Plan:
    """Install (and RecoverServer, which installs the same components from the server object)."""
    steps = [*_org_steps(schema, org), _PRE, _STOP, _COPY, _LANG_FILES, _RESTORE, _LANG_CONFIG, _TOOLS]
    if "MailboxRole" in roles:
        steps += list(_ROLE_STEPS)
    if "GatewayRole" in roles:
        steps.append(_EDGE_STEP)
    steps.append(_FINAL)
    return Plan(steps, roles)


def upgrade_plan(roles: tuple[str, ...], *, schema: bool, org: bool) -> Plan:
    steps = [*_org_steps(schema, org), _PRE, _STOP, _LANG_FILES, _REMOVE, _PREPARE_FILES, _COPY, _LANG_FILES, _RESTORE,
             _LANG_CONFIG, _upgrade(_TOOLS)]
    if "MailboxRole" in roles:
        steps += [_upgrade(s) for s in _ROLE_STEPS]
    if "GatewayRole" in roles:
        steps.append(_upgrade(_EDGE_STEP))
    steps.append(_FINAL)
    return Plan(steps, roles)


def prepare_plan(prepare: list[str], *, schema: bool) -> Plan:
    """/PrepareSchema, /PrepareAD (+ schema when needed), /PrepareDomain, /PrepareAllDomains [3P CU15 console]."""
    steps: list[Step] = []
    if "PrepareSchema" in prepare or ("PrepareAD" in prepare and schema):
        steps.append(_org_steps(True, False)[0])
    if "PrepareAD" in prepare or "PrepareAllDomains" in prepare:
        steps.append(_org_steps(False, True)[0])
    elif "PrepareDomain" in prepare:
        steps.append(Step("Prepare Domain Progress", "Install-ExchangeOrganization", "DomainPreparationComponent", 120,
                          kind="domain"))
    return Plan(steps)


def step_by_console(plan: Plan, console: str) -> Step | None:
    return next((s for s in plan.steps if s.console.lower() == console.lower()), None)
