"""What setup can see of the Windows host and of AD as the account it runs under (readiness inputs).

The WinRM double hop (exchange-facts §6.1): a process started inside a WinRM network logon (NTLM/Kerberos, no
CredSSP, no become) holds no credential it can use towards a domain controller, so setup cannot read AD.
Working patterns [S13, S5]: Ansible `become` (runas: a batch/interactive logon with the password), or a scheduled
task registered with the account's password (logon type Password). A task with logon type S4U has no network
credential either (Windows S4U behaviour) and fails the same way. SYSTEM reaches AD as the computer account, which is
in none of the groups setup needs. Local accounts can't read AD at all: setup reports ComputerNotPartofDomain
("you might also see this message if you're using a local computer account" [S6]).

How a run's logon is known: the Windows model sets `ProgramRun.network_credentials` (False for an NTLM/Kerberos WinRM
logon without become, and for S4U tasks) and `ProgramRun.logon_type` ("network", "interactive" for become, or the
task's logon type). A scheduled task's logon type is also read from the registered task.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..windows.catalogue import NDP_FULL
from ..windows.state import SYSTEM_ACCOUNT, WindowsHost
from ..windows.programs import ProgramRun
from .readiness import AdFacts, HostFacts
from .org import DomainControllerObject, ExchangeOrg

WINRM_RUN_KINDS = ("win_command", "win_shell", "win_package", "raw")
CREDENTIAL_LOGONS = ("batch", "interactive", "network_cleartext", "credssp", "password", "interactive_token",
                     "service_account")
# Inner error for AdInitErrorRule when the token can't bind (anonymous LDAP bind refused) [UNCONFIRMED wording].
NO_CREDENTIAL_ERROR = ("Active Directory operation failed on {dc}. This error is not retriable. Additional information: "
                       "Access is denied. Active directory response: 000004DC: LdapErr: DSID-0C090A5C, comment: In order "
                       "to perform this operation a successful bind must be completed on the connection., data 0, v4563")
GROUPS = ("Schema Admins", "Enterprise Admins", "Domain Admins", "Organization Management")
POWERSHELL_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell"


@dataclass(frozen=True)
class RunIdentity:
    user: str  # canonical, as the log's "Logged on user"
    kind: str  # "domain" | "local" | "system" | "unknown"
    logon: str  # the logon type the decision was based on
    network_credentials: bool


def run_logon(host: WindowsHost, run: ProgramRun) -> str:
    if run.via == "scheduled_task" and run.task_path:
        task = host.tasks.get(run.task_path.lower())
        if task is not None:
            return task.logon_type
    return str(getattr(run, "logon_type", "") or "network")


def identity(host: WindowsHost, run: ProgramRun) -> RunIdentity:
    user = host.canonical_user(run.user)
    logon = run_logon(host, run)
    if user == SYSTEM_ACCOUNT:
        return RunIdentity(user, "system", logon, True)
    account = host.find_account(user)
    if account is None:
        return RunIdentity(user, "unknown", logon, False)
    if account.is_local:
        return RunIdentity(user, "local", logon, False)
    credentials = bool(getattr(run, "network_credentials", logon.lower() in CREDENTIAL_LOGONS))
    return RunIdentity(user, "domain", logon, credentials and logon.lower() != "s4u")


def domain_controller(host: WindowsHost) -> str:
    if host.domain is None:
        return ""
    return host.domain.dc_hostname or f"DC01.{host.domain.fqdn}"


def token_groups(host: WindowsHost, user: str, org: ExchangeOrg) -> set[str]:
    """The groups of `user`'s logon token (canonical names): its direct groups and local groups, plus every domain group
    those are nested in (Windows expands nesting into the token; `tokenGroups` [Microsoft Learn, 'Token-Groups
    attribute'])."""
    return org.directory.expand(host.groups_of(user))


def in_token(host: WindowsHost, user: str, org: ExchangeOrg, group: str) -> bool:
    want = group.lower()
    return any(g.lower() == want or g.lower().split("\\", 1)[-1] == want for g in token_groups(host, user, org))


def site_domain_controllers(host: WindowsHost, org: ExchangeOrg) -> list[DomainControllerObject]:
    """The DCs of the server's AD site (with their computer objects' OS attributes)."""
    if host.domain is None:
        return []
    dcs = org.directory.domain_controllers or [
        DomainControllerObject(domain_controller(host).split(".", 1)[0].upper(), domain_controller(host), site=host.domain.site)]
    return [dc for dc in dcs if dc.site.lower() == host.domain.site.lower()]


def ad_facts(host: WindowsHost, who: RunIdentity, org: ExchangeOrg) -> AdFacts:
    reachable = host.domain is not None and who.kind in ("domain", "system") and who.network_credentials
    groups = frozenset(g for g in GROUPS if who.kind == "domain" and in_token(host, who.user, org, g))
    return AdFacts(reachable=reachable,
                   failure="" if reachable else NO_CREDENTIAL_ERROR.format(dc=domain_controller(host)),
                   local_account=who.kind in ("local", "unknown"), groups=groups, org_name=org.name,
                   schema_range_upper=org.schema_range_upper, org_object_version=org.org_object_version,
                   domain_object_version=org.domain_object_version)


def host_facts(host: WindowsHost, **install_state: object) -> HostFacts:
    """Read prerequisites as setup / SetupAssist do (exchange-facts §2.2, §2.3, §6.5)."""
    reg = host.registry
    pending = host.pending_reboot()
    features = frozenset(name for name in host.features.available if host.feature_installed(name))
    return HostFacts(
        os_build=host.os.build,
        server_core=host.os.is_core,
        domain_joined=host.domain_member,
        net_release=reg.get(NDP_FULL, "Release"),
        vc2012=_vc_installed(host, "11.0"),
        vc2013=_vc_installed(host, "12.0"),
        ucma=reg.get_value(r"HKLM\SOFTWARE\Microsoft\UCMA\{902F4F35-D5DC-4363-8671-D5EF0D26C21D}", "Version") is not None,
        url_rewrite=reg.get_value(r"HKLM\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite", "Version") is not None,
        features=features,
        pending_file_rename="PendingFileRenameOperations" in pending,
        cbs_reboot_pending="ComponentBasedServicing" in pending,
        wu_reboot_required="WindowsUpdate" in pending,
        execution_policy_gpo=bool(reg.get(POWERSHELL_POLICY, "ExecutionPolicy")),
        **install_state,  # type: ignore[arg-type]
    )


# The x64 runtime builds setup's readiness check accepts (SetupAssist's VersionIdentifier 184610406 = 11.0.61030 for
# 2012 and 201367256 = 12.0.40664 for 2013, exchange-facts §2.3 [S2 VisualCRedistributableVersionFunctions.ps1]).
MINIMUM_VC_BUILD = {"11.0": 61030, "12.0": 40664}


def _vc_installed(host: WindowsHost, vs: str) -> bool:
    """The x64 runtime at the required build or later: VisualStudio\\<vs>\\VC\\Runtimes\\x64 Installed=1 and Bld
    (exchange-facts §2.3 [S4]). An x86 runtime (Runtimes\\x86) or an older x64 build fails the check."""
    for base in (r"HKLM\SOFTWARE\Microsoft", r"HKLM\SOFTWARE\WOW6432Node\Microsoft"):
        key = base + rf"\VisualStudio\{vs}\VC\Runtimes\x64"
        if host.registry.get(key, "Installed") == 1 and int(host.registry.get(key, "Bld") or 0) >= MINIMUM_VC_BUILD[vs]:
            return True
    return False
