"""Setup readiness rules (`test-SetupPrerequisites`) with their real names and messages (exchange-facts §4.3, §2).

Pure: rules read a `ReadinessInput` snapshot (built from the Windows model by model.py) and return outcomes;
setup_run.py logs them in the real `Started/Evaluated/Finished/Failed [Rule:...]` format.
A rule's Value is "True" when the condition it tests is present (e.g. a reboot is pending) [S2 Reboot_Pending.log].
Messages marked VERBATIM are copied from real logs or Microsoft docs; the others are [UNCONFIRMED] wordings
(exchange-facts §7 lists VC++/.NET/UCMA/ValidOSVersion messages as unconfirmed) and say what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .builds import NET48_RELEASE, Build, Release
from .commandline import SetupCommand
from .prereqs import required_features, watermark_blocks

HELP_URL = "http://technet.microsoft.com/library(EXCHG.150)/ms.exch.setupreadiness.{rule}.aspx"


@dataclass(frozen=True)
class Watermark:
    role_key: str  # "MailboxRole"
    action: str  # "Install" | "BuildToBuildUpgrade" | "DisasterRecovery"
    value: str  # "<Task>___<32 hex>"


@dataclass(frozen=True)
class HostFacts:
    """What setup reads from the local machine (registry, features, OS)."""

    os_build: int = 17763
    server_core: bool = False
    domain_joined: bool = True
    net_release: int | None = NET48_RELEASE
    vc2012: bool = True
    vc2013: bool = True
    ucma: bool = True
    url_rewrite: bool = True
    features: frozenset[str] = frozenset()  # lower-case names of installed Windows features
    pending_file_rename: bool = False  # Session Manager PendingFileRenameOperations (§6.5)
    cbs_reboot_pending: bool = False  # Component Based Servicing\RebootPending (§6.5)
    wu_reboot_required: bool = False  # WindowsUpdate\Auto Update\RebootRequired (§6.5)
    execution_policy_gpo: bool = False  # HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell ExecutionPolicy (§4.3)
    watermarks: tuple[Watermark, ...] = ()
    installed_build: Build | None = None


@dataclass(frozen=True)
class AdFacts:
    """What setup learns from Active Directory as the account it runs under."""

    reachable: bool = True  # False: setup can't bind to AD (WinRM double hop, exchange-facts §6.1)
    failure: str = ""  # the inner error when not reachable
    local_account: bool = False  # setup runs as a local (non-domain) account
    groups: frozenset[str] = frozenset()  # "Schema Admins", "Enterprise Admins", "Domain Admins", "Organization Management"
    org_name: str = ""  # "" = no Exchange organization in the forest
    schema_range_upper: int = 0  # 0 = schema never extended
    org_object_version: int = 0
    domain_object_version: int = 0


@dataclass
class ReadinessInput:
    command: SetupCommand
    release: Release
    host: HostFacts
    ad: AdFacts
    components_installed_by_setup: bool = False  # /InstallWindowsComponents ran before the analysis

    def in_group(self, *names: str) -> bool:
        return all(n.lower() in {g.lower() for g in self.ad.groups} for n in names)

    @property
    def schema_needed(self) -> bool:
        return self.ad.schema_range_upper < self.release.ad.schema_range_upper

    @property
    def org_needed(self) -> bool:
        return self.ad.org_object_version < self.release.ad.org_object_version

    @property
    def domain_needed(self) -> bool:
        return self.ad.domain_object_version < self.release.ad.domain_object_version


@dataclass(frozen=True)
class Outcome:
    rule: str
    rule_type: str  # "Error" | "Warning" | "None"
    parent: str
    value: bool
    message: str = ""  # set when the rule fails

    @property
    def failed(self) -> bool:
        return self.value and self.rule_type == "Error" and bool(self.message)

    @property
    def help_url(self) -> str:
        return HELP_URL.format(rule=self.rule)


Check = Callable[[ReadinessInput], "str | None"]


@dataclass(frozen=True)
class Rule:
    name: str
    scenarios: tuple[str, ...]
    check: Check  # returns the failure message, or None when the condition is absent
    rule_type: str = "Error"
    parent: str = "RootAnalysisMember"
    needs_ad: bool = False


SERVER = ("install-mailbox", "install-edge", "install-tools", "upgrade", "recover")
AD_SCENARIOS = ("install-mailbox", "install-tools", "upgrade", "recover", "prepare", "uninstall", "provision")
EVERY = (*SERVER, "prepare", "uninstall", "provision")
MAILBOX = ("install-mailbox", "upgrade", "recover")  # upgrade/recover of this simulator's Mailbox servers


def _msg(text: str) -> Check:
    return lambda _inp: text


def _when(cond: Callable[[ReadinessInput], bool], text: str | Callable[[ReadinessInput], str]) -> Check:
    def check(inp: ReadinessInput) -> str | None:
        if not cond(inp):
            return None
        return text(inp) if callable(text) else text
    return check


# --- messages ------------------------------------------------------------------------------------------------------
REBOOT_PENDING = "A reboot from a previous installation is pending. Please restart the system and then rerun Setup."  # VERBATIM
CBS_PENDING = ("There is a pending reboot from a previous installation of a Windows Server role or feature. Please "
               "restart the computer and then run Setup again.")  # VERBATIM
URL_REWRITE = ("The 'IIS URL rewrite module' isn't installed on this computer and needs to be installed before Exchange "
               "Setup can begin.")  # VERBATIM [3P Q&A 1035261; S6]
SCHEMA_UPDATE = ("The Active Directory schema isn't up-to-date, and this user account isn't a member of the 'Schema "
                 "Admins' and/or 'Enterprise Admins' groups.")  # VERBATIM [S2 NoPerm log]
GLOBAL_UPDATE = ("Global updates need to be made to Active Directory, and this user account isn't a member of the "
                 "'Enterprise Admins' group.")  # VERBATIM [S2 NoPerm log]
GLOBAL_SERVER_INSTALL = ("You must be a member of the 'Organization Management' role group or a member of the "
                         "'Enterprise Admins' group to continue.")  # VERBATIM [S2 NoPerm log]
DOMAIN_PREP = ("The local domain needs to be prepared using Setup /PrepareDomain before server roles can be "
               "installed.")  # VERBATIM [S2 DomainPrepRequired log]
AD_INIT = "Setup encountered a problem while validating the state of Active Directory: {failure}"  # VERBATIM prefix [S2]
NOT_IN_DOMAIN = ("The local computer isn't a member of an Active Directory domain, or Setup is running under a local "
                 "computer account. Join the computer to a domain, log on with a domain account and run Setup "
                 "again.")  # [UNCONFIRMED wording; meaning from S6 ms-exch-setupreadiness-ComputerNotPartofDomain]


def _os_message(inp: ReadinessInput) -> str:
    # [UNCONFIRMED wording]; the support matrix is exchange-facts §2.1.
    return (f"The operating system (build 10.0.{inp.host.os_build}) isn't supported by {inp.release.product_name}. "
            "See the Exchange Server supportability matrix for the supported Windows Server versions.")


def _feature_rule_name(feature: str) -> str:
    if feature.lower() == "rsat-adds":
        return "RsatAddsToolsInstalled"  # real rule name [S2 Reboot_Pending.log]
    return "WindowsFeature" + re.sub(r"[^A-Za-z0-9]", "", feature.title()) + "NotInstalled"  # [UNCONFIRMED name]


def _feature_rules() -> list[Rule]:
    """One rule per required Windows feature (exchange-facts §2.4); satisfied when /InstallWindowsComponents ran."""
    names: dict[str, None] = {}
    for scenario in ("install-mailbox", "install-edge", "install-tools", "prepare"):
        for core in (False, True):
            for feature in required_features(scenario, core):
                names.setdefault(feature, None)

    def make(feature: str) -> Rule:
        def check(inp: ReadinessInput) -> str | None:
            scenario = "install-mailbox" if inp.command.scenario in MAILBOX else inp.command.scenario
            if feature not in required_features(scenario, inp.host.server_core):
                return None
            if inp.components_installed_by_setup or feature.lower() in inp.host.features:
                return None
            return (f"The Windows component {feature} isn't installed on this computer and needs to be installed "
                    "before Exchange Setup can begin.")  # [UNCONFIRMED wording]
        return Rule(_feature_rule_name(feature), (*SERVER, "prepare"), check)
    return [make(f) for f in names]


def _watermark_rules() -> list[Rule]:
    """InstallWatermark, evaluated per role key under [Parent:Watermarks] [S2 logs]; policy in prereqs.watermark_blocks."""
    def check(inp: ReadinessInput) -> str | None:
        for mark in inp.host.watermarks:
            message = watermark_blocks(mark.action, mark.role_key, inp.command.installation_mode)
            if message:
                return message
        return None
    return [Rule("InstallWatermark", SERVER, check, parent="Watermarks")]


def _prepare_rights(inp: ReadinessInput) -> list[tuple[str, str]]:
    """(rule, message) for AD-preparation rights (exchange-facts §1.4 [S1 prepare-ad-and-domains])."""
    out: list[tuple[str, str]] = []
    prep = set(inp.command.prepare)
    if inp.command.scenario == "prepare":
        schema = "PrepareSchema" in prep or ("PrepareAD" in prep and inp.schema_needed)
        org = "PrepareAD" in prep or "PrepareAllDomains" in prep
        domain = "PrepareDomain" in prep and not org
    else:  # Install/Upgrade/RecoverServer do whatever AD preparation is still needed themselves
        schema, org, domain = inp.schema_needed, inp.org_needed, inp.domain_needed
    if schema and not inp.in_group("Schema Admins", "Enterprise Admins"):
        out.append(("SchemaUpdateRequired", SCHEMA_UPDATE))
    if org and not inp.in_group("Enterprise Admins"):
        out.append(("GlobalUpdateRequired", GLOBAL_UPDATE))
    if domain and not (inp.in_group("Domain Admins") or inp.in_group("Enterprise Admins")):
        out.append(("DomainPrepRequired", DOMAIN_PREP))
    return out


def _rights_rule(name: str) -> Rule:
    def check(inp: ReadinessInput) -> str | None:
        return next((m for r, m in _prepare_rights(inp) if r == name), None)
    return Rule(name, (*MAILBOX, "prepare"), check, needs_ad=True)


RULES: tuple[Rule, ...] = (
    Rule("ComputerNotPartofDomain", AD_SCENARIOS,
         _when(lambda i: not i.host.domain_joined or i.ad.local_account, NOT_IN_DOMAIN)),
    Rule("AdInitErrorRule", AD_SCENARIOS,
         _when(lambda i: i.host.domain_joined and not i.ad.local_account and not i.ad.reachable,
               lambda i: AD_INIT.format(failure=i.ad.failure))),
    Rule("RebootPending", EVERY, _when(lambda i: i.host.pending_file_rename, REBOOT_PENDING)),
    Rule("PendingRebootWindowsComponents", EVERY, _when(lambda i: i.host.cbs_reboot_pending, CBS_PENDING)),
    # RuleType None: evaluated and logged, never blocks [S2 Reboot_Pending.log].
    Rule("UpdateNeedsReboot", EVERY, _when(lambda i: i.host.wu_reboot_required, "A Windows update needs a reboot."),
         rule_type="None"),
    Rule("ValidOSVersion", EVERY, _when(lambda i: not i.release.supports_os(i.host.os_build), _os_message)),
    Rule("NETFrameworkNotInstalled", EVERY, _when(
        lambda i: i.host.net_release is None,
        ".NET Framework 4.8 isn't installed on this computer. Install .NET Framework 4.8 or later and then run Setup "
        "again.")),  # [UNCONFIRMED wording]
    Rule("MinimumFrameworkNotInstalled", EVERY, _when(
        lambda i: i.host.net_release is not None and i.host.net_release < NET48_RELEASE,
        "The minimum required version of .NET Framework isn't installed. Exchange Server requires .NET Framework 4.8 "
        "(Release 528040) or later.")),  # [UNCONFIRMED wording]; threshold exchange-facts §2.2 [S2]
    # Rule name [UNCONFIRMED] (facts name only the 2013 rule); requirement exchange-facts §2.3 [S1].
    Rule("VC2012RedistDependencyRequirement", SERVER, _when(
        lambda i: not i.host.vc2012,
        "Install Visual C++ Redistributable Packages for Visual Studio 2012 (x64) and then run Setup again.")),
    Rule("VC2013RedistDependencyRequirement", MAILBOX, _when(
        lambda i: not i.host.vc2013,
        "For the Mailbox role, install Visual C++ Redistributable Packages for Visual Studio 2013 (x64) and then run "
        "Setup again.")),  # [UNCONFIRMED wording]
    Rule("UcmaRedistMsi", MAILBOX, _when(
        lambda i: not i.host.ucma,
        "Microsoft Unified Communications Managed API 4.0, Core Runtime 64-bit isn't installed (UCMA 4.0, Core Runtime "
        "not installed). Install it from the UcmaRedist folder of the Exchange media and then run Setup again.")),
    Rule("IISURLRewriteNotInstalled", MAILBOX, _when(
        lambda i: i.release.requires_url_rewrite and not i.host.url_rewrite, URL_REWRITE)),
    Rule("PowerShellExecutionPolicyCheckSet", EVERY, _when(
        lambda i: i.host.execution_policy_gpo,
        "The PowerShell execution policy is defined by Group Policy (MachinePolicy or UserPolicy). Exchange Setup "
        "stops and disables the Windows Management Instrumentation (WMI) service, so remove the policy and run Setup "
        "again.")),  # [UNCONFIRMED wording; meaning S6]
    *_feature_rules(),
    *_watermark_rules(),
    _rights_rule("SchemaUpdateRequired"),
    _rights_rule("GlobalUpdateRequired"),
    _rights_rule("DomainPrepRequired"),
    Rule("GlobalServerInstall", MAILBOX, _when(
        lambda i: bool(i.ad.org_name) and not (i.in_group("Organization Management") or i.in_group("Enterprise Admins")),
        GLOBAL_SERVER_INSTALL), needs_ad=True),
    # First server in a new organization without /OrganizationName: rule name and wording [UNCONFIRMED].
    Rule("OrganizationNameRequired", ("install-mailbox", "prepare"), _when(
        lambda i: not i.ad.org_name and not i.command.value("OrganizationName")
        and (i.command.scenario == "install-mailbox" or "PrepareAD" in i.command.prepare),
        "No Exchange organization exists in this forest. Specify the organization name with /OrganizationName."),
        needs_ad=True),
)


@dataclass
class ReadinessReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed]

    @property
    def passed(self) -> bool:
        return not self.failures


def evaluate(inp: ReadinessInput) -> ReadinessReport:
    """Evaluate every rule that applies to the scenario; AD-dependent rules are skipped when AD can't be read."""
    report = ReadinessReport()
    scenario = inp.command.scenario
    ad_ok = inp.host.domain_joined and inp.ad.reachable and not inp.ad.local_account
    for rule in RULES:
        if scenario not in rule.scenarios or (rule.needs_ad and not ad_ok):
            continue
        message = rule.check(inp)
        report.outcomes.append(Outcome(rule.name, rule.rule_type, rule.parent, message is not None, message or ""))
    return report
