# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows services an Exchange server runs, per role, with their default start type.

Post-install verification (activity 10) asks this module which services must be running
on a healthy server. The lists are Microsoft's services overview [S6 deployment-ref/
services-overview] for the Exchange services and their start types, HealthChecker's
dependent-services lists [S2 Diagnostics/HealthChecker/DataCollection/ExchangeInformation/
Get-ExchangeDependentServices.ps1] for which ones are critical and for the Windows services
Exchange needs. Manual services (IMAP4/POP3 and their back ends, Windows Server Backup's
extension, BITS, Pla) are listed but never required to run.

This module is imported directly (`catalogue.services`); it is not re-exported from the
package's `__init__`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import CU11, CU15, at_least
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import Version, VersionInput
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import EDGE, MAILBOX, MANAGEMENT_TOOLS, normalize_role

AUTOMATIC = "Automatic"
MANUAL = "Manual"


@dataclass(frozen=True)
class ExchangeService:
    """One service: its short name (Get-Service -Name), Microsoft's display name, default start type,
    the roles that have it, the first CU that ships it, whether HealthChecker calls it critical,
    and whether verification checks it unless told otherwise."""

    name: str
    display_name: str
    start_type: str
    roles: tuple[str, ...]
    source: str
    since: Version | None = None
    critical: bool = False
    windows: bool = False
    checked_by_default: bool = True


_MBX = (MAILBOX,)
_EDGE = (EDGE,)
_BOTH = (MAILBOX, EDGE)

SERVICES: tuple[ExchangeService, ...] = (
    # Exchange services of a Mailbox server [S6 services-overview]; critical per HealthChecker [S2].
    ExchangeService("MSExchangeADTopology", "Microsoft Exchange Active Directory Topology", AUTOMATIC, _MBX, "S6", critical=True),
    ExchangeService("MSExchangeAntispamUpdate", "Microsoft Exchange Anti-spam Update", AUTOMATIC, _BOTH, "S6"),
    ExchangeService("MSComplianceAudit", "Microsoft Exchange Compliance Audit", AUTOMATIC, _MBX, "S6"),
    ExchangeService("MSExchangeCompliance", "Microsoft Exchange Compliance Service", AUTOMATIC, _MBX, "S6"),
    ExchangeService("MSExchangeDagMgmt", "Microsoft Exchange DAG Management", AUTOMATIC, _MBX, "S6"),
    ExchangeService("MSExchangeDiagnostics", "Microsoft Exchange Diagnostics", AUTOMATIC, _BOTH, "S6"),
    ExchangeService("MSExchangeEdgeSync", "Microsoft Exchange EdgeSync", AUTOMATIC, _MBX, "S6"),
    # The Emergency Mitigation service shipped with the September 2021 CUs (2019 CU11) [S6; INFERRED first build].
    ExchangeService("MSExchangeMitigation", "Microsoft Exchange Emergency Mitigation Service", AUTOMATIC, _MBX, "S6", since=CU11),
    # Feature Flighting [S1 feature flighting]; present from CU15 on [INFERRED, exchange-facts §5.2]. Not on Edge.
    ExchangeService("MSExchangeFlighting", "Microsoft Exchange Flighting Service", AUTOMATIC, _MBX, "S1", since=CU15),
    ExchangeService("MSExchangeFrontEndTransport", "Microsoft Exchange Frontend Transport", AUTOMATIC, _MBX, "S6", critical=True),
    ExchangeService("MSExchangeHM", "Microsoft Exchange Health Manager", AUTOMATIC, _BOTH, "S6"),
    ExchangeService("MSExchangeHMRecovery", "Microsoft Exchange Health Manager Recovery", AUTOMATIC, _BOTH, "S6"),
    ExchangeService("MSExchangeIMAP4", "Microsoft Exchange IMAP4", MANUAL, _MBX, "S6"),
    ExchangeService("MSExchangeIMAP4BE", "Microsoft Exchange IMAP4 Backend", MANUAL, _MBX, "S6"),
    ExchangeService("MSExchangePOP3", "Microsoft Exchange POP3", MANUAL, _MBX, "S6"),
    ExchangeService("MSExchangePOP3BE", "Microsoft Exchange POP3 Backend", MANUAL, _MBX, "S6"),
    ExchangeService("MSExchangeIS", "Microsoft Exchange Information Store", AUTOMATIC, _MBX, "S6", critical=True),
    ExchangeService("MSExchangeMailboxAssistants", "Microsoft Exchange Mailbox Assistants", AUTOMATIC, _MBX, "S6"),
    ExchangeService("MSExchangeMailboxReplication", "Microsoft Exchange Mailbox Replication", AUTOMATIC, _MBX, "S6"),
    ExchangeService("MSExchangeDelivery", "Microsoft Exchange Mailbox Transport Delivery", AUTOMATIC, _MBX, "S6", critical=True),
    ExchangeService("MSExchangeSubmission", "Microsoft Exchange Mailbox Transport Submission", AUTOMATIC, _MBX, "S6", critical=True),
    ExchangeService("MSExchangeRepl", "Microsoft Exchange Replication", AUTOMATIC, _MBX, "S6", critical=True),
    ExchangeService("MSExchangeRPC", "Microsoft Exchange RPC Client Access", AUTOMATIC, _MBX, "S6", critical=True),
    ExchangeService("MSExchangeFastSearch", "Microsoft Exchange Search", AUTOMATIC, _MBX, "S6", critical=True),
    ExchangeService("HostControllerService", "Microsoft Exchange Search Host Controller", AUTOMATIC, _MBX, "S6", critical=True),
    ExchangeService("MSExchangeServiceHost", "Microsoft Exchange Service Host", AUTOMATIC, _BOTH, "S6", critical=True),
    ExchangeService("MSExchangeThrottling", "Microsoft Exchange Throttling", AUTOMATIC, _MBX, "S6"),
    ExchangeService("MSExchangeTransport", "Microsoft Exchange Transport", AUTOMATIC, _BOTH, "S6", critical=True),
    ExchangeService("MSExchangeTransportLogSearch", "Microsoft Exchange Transport Log Search", AUTOMATIC, _BOTH, "S6"),
    ExchangeService("WSBExchange", "Microsoft Exchange Server Extension for Windows Server Backup", MANUAL, _MBX, "S6"),
    # Edge Transport only [S6 services-overview].
    ExchangeService("ADAM_MSExchange", "Microsoft Exchange ADAM", AUTOMATIC, _EDGE, "S6"),
    ExchangeService("MSExchangeEdgeCredential", "Microsoft Exchange Credential Service", AUTOMATIC, _EDGE, "S6"),
    # Windows services HealthChecker counts as critical (Automatic unless noted) [S2 Get-ExchangeDependentServices.ps1].
    ExchangeService("WinMgmt", "Windows Management Instrumentation", AUTOMATIC, _BOTH, "S2", critical=True, windows=True),
    ExchangeService("EventLog", "Windows Event Log", AUTOMATIC, _BOTH, "S2", critical=True, windows=True),
    ExchangeService("W3Svc", "World Wide Web Publishing Service", AUTOMATIC, _MBX, "S2", critical=True, windows=True),
    ExchangeService("IISAdmin", "IIS Admin Service", AUTOMATIC, _MBX, "S2", critical=True, windows=True),
    ExchangeService("Pla", "Performance Logs & Alerts", MANUAL, _BOTH, "S2", critical=True, windows=True),
    ExchangeService("BITS", "Background Intelligent Transfer Service", MANUAL, _MBX, "S2", windows=True),
    # Windows' own plumbing: HealthChecker lists them, but a server whose RPC endpoint mapper or firewall service is
    # gone has bigger problems than Exchange; verification leaves them out unless the caller names them.
    ExchangeService("RpcEptMapper", "RPC Endpoint Mapper", AUTOMATIC, _BOTH, "S2", critical=True, windows=True,
                    checked_by_default=False),
    ExchangeService("MpsSvc", "Windows Defender Firewall", AUTOMATIC, _BOTH, "S2", critical=True, windows=True,
                    checked_by_default=False),
)

_BY_NAME = {service.name.lower(): service for service in SERVICES}


def service_info(name: str) -> ExchangeService | None:
    """The catalogue's entry for a service name (case-insensitive), or None."""
    return _BY_NAME.get(str(name).lower())


def services_for(role: str, version: VersionInput | None = None) -> tuple[ExchangeService, ...]:
    """Every service a server of `role` has, for the build `version` when given (all builds otherwise)."""
    role = normalize_role(role)
    if role == MANAGEMENT_TOOLS:
        return ()
    return tuple(service for service in SERVICES
                 if role in service.roles and (service.since is None or version is None or at_least(version, service.since)))


def required_running_services(role: str, version: VersionInput | None = None) -> tuple[str, ...]:
    """The services verification expects running by default: the role's Automatic services for that build."""
    return tuple(service.name for service in services_for(role, version)
                 if service.start_type == AUTOMATIC and service.checked_by_default)


# Server components Get-ServerComponentState reports Inactive on every on-premises server: they serve Office 365's
# directory sync. HealthChecker skips them [S2 Diagnostics/HealthChecker/DataCollection/ExchangeInformation/
# Invoke-JobExchangeInformationCmdlet.ps1: -ComponentsToSkip "ForwardSyncDaemon", "ProvisioningRps"].
COMPONENTS_INACTIVE_ON_PREMISES: tuple[str, ...] = ("ForwardSyncDaemon", "ProvisioningRps")
COMPONENTS_SOURCE = "S2"
