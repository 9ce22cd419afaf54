"""Exchange services a Mailbox or an Edge Transport server gets, with default start types (exchange-facts §5.2 [S6 services-overview, S2]).

IMAP4/POP3 (and their back ends) and WSBExchange are Manual and normally stopped; everything else is Automatic.
MSExchangeADTopology is the service most others depend on [S6]. MSExchangeMitigation needs IIS URL Rewrite and
exists from CU11 (the Emergency Mitigation service shipped with the Sept-2021 CUs) [S6; INFERRED]; MSExchangeFlighting
from CU15 [INFERRED, exchange-facts §5.2].
"""

from __future__ import annotations

from dataclasses import dataclass

from .builds import CU11_BUILD, Release


@dataclass(frozen=True)
class ExService:
    name: str
    display_name: str
    start_mode: str = "auto"  # auto | manual
    depends: tuple[str, ...] = ("MSExchangeADTopology",)
    critical: bool = False  # HealthChecker "critical" list [S2 Get-ExchangeDependentServices.ps1]


_ADT = ()
SERVICES: dict[str, ExService] = {s.name.lower(): s for s in (
    ExService("MSExchangeADTopology", "Microsoft Exchange Active Directory Topology", depends=_ADT, critical=True),
    ExService("MSExchangeServiceHost", "Microsoft Exchange Service Host", critical=True),
    ExService("MSExchangeDiagnostics", "Microsoft Exchange Diagnostics", depends=_ADT),
    ExService("MSExchangeHM", "Microsoft Exchange Health Manager", depends=_ADT),
    ExService("MSExchangeHMRecovery", "Microsoft Exchange Health Manager Recovery", depends=_ADT),
    ExService("MSExchangeTransport", "Microsoft Exchange Transport", critical=True),
    ExService("MSExchangeTransportLogSearch", "Microsoft Exchange Transport Log Search"),
    ExService("MSExchangeEdgeSync", "Microsoft Exchange EdgeSync"),
    ExService("MSExchangeAntispamUpdate", "Microsoft Exchange Anti-spam Update"),
    ExService("MSExchangeIMAP4BE", "Microsoft Exchange IMAP4 Backend", "manual"),
    ExService("MSExchangePOP3BE", "Microsoft Exchange POP3 Backend", "manual"),
    ExService("MSExchangeIS", "Microsoft Exchange Information Store", critical=True),
    ExService("MSExchangeRepl", "Microsoft Exchange Replication", critical=True),
    ExService("MSExchangeDelivery", "Microsoft Exchange Mailbox Transport Delivery", critical=True),
    ExService("MSExchangeSubmission", "Microsoft Exchange Mailbox Transport Submission", critical=True),
    ExService("MSExchangeMailboxAssistants", "Microsoft Exchange Mailbox Assistants"),
    ExService("MSExchangeMailboxReplication", "Microsoft Exchange Mailbox Replication"),
    ExService("MSExchangeRPC", "Microsoft Exchange RPC Client Access", critical=True),
    ExService("MSExchangeFastSearch", "Microsoft Exchange Search", critical=True),
    ExService("HostControllerService", "Microsoft Exchange Search Host Controller", depends=_ADT, critical=True),
    ExService("MSExchangeDagMgmt", "Microsoft Exchange DAG Management"),
    ExService("MSExchangeThrottling", "Microsoft Exchange Throttling"),
    ExService("MSComplianceAudit", "Microsoft Exchange Compliance Audit"),
    ExService("MSExchangeCompliance", "Microsoft Exchange Compliance Service"),
    ExService("WSBExchange", "Microsoft Exchange Server Extension for Windows Server Backup", "manual", depends=_ADT),
    ExService("MSExchangeMitigation", "Microsoft Exchange Emergency Mitigation Service"),
    ExService("MSExchangeFlighting", "Microsoft Exchange Flighting Service"),
    ExService("MSExchangeFrontEndTransport", "Microsoft Exchange Frontend Transport", critical=True),
    ExService("MSExchangeIMAP4", "Microsoft Exchange IMAP4", "manual"),
    ExService("MSExchangePOP3", "Microsoft Exchange POP3", "manual"),
    # Edge Transport only [S6 services-overview; exchange-facts §5.2]: the AD LDS instance that holds the Edge's
    # configuration (ADAM_MSExchange) and the EdgeSync credential service.
    ExService("ADAM_MSExchange", "Microsoft Exchange ADAM", depends=_ADT),
    ExService("MSExchangeEdgeCredential", "Microsoft Exchange Credential Service", depends=("ADAM_MSExchange",)),
)}

# On an Edge Transport server there is no MSExchangeADTopology (no Active Directory): the services that depend on it
# on a Mailbox server depend on the AD LDS instance instead [INFERRED from S6: Edge keeps its configuration in
# ADAM_MSExchange, which EdgeSync fills].
EDGE_DEPENDS = ("ADAM_MSExchange",)

TRANSPORT_SERVICES = ("MSExchangeTransport", "MSExchangeFrontEndTransport")  # what /DoNotStartTransport leaves stopped


def exists_in(name: str, release: Release) -> bool:
    """Whether `release` ships this service."""
    if name.lower() == "msexchangemitigation":
        return release.build >= CU11_BUILD
    if name.lower() == "msexchangeflighting":
        return release.has_flighting_service
    return True


def service_path(install_path: str, name: str) -> str:
    return f'"{install_path}Bin\\{name}.exe"'
