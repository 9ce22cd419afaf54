"""Windows Server roles and features (the part of `Get-WindowsFeature` that matters for Exchange).

The names and the Desktop/Core difference come from exchange-facts §2.4 (Microsoft's Exchange 2019/SE
prerequisite lists): Core lacks RSAT-Clustering-Mgmt, Web-Mgmt-Console and Windows-Identity-Foundation.
Web-Lgcy-Mgmt-Console is dropped from the 2025 lists; absent on WS2025 here ([UNCONFIRMED] why, §2.4).
Parents/dependencies follow Server Manager's tree: installing a feature installs its parents and the
features it depends on (Install-WindowsFeature does the same).
"""

from __future__ import annotations

from dataclasses import dataclass

CORE = "Server Core"
DESKTOP = "Server"  # InstallationType of Desktop Experience


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    display_name: str
    parent: str = ""
    depends: tuple[str, ...] = ()
    desktop_only: bool = False
    restart_on_install: bool = False
    restart_on_remove: bool = False
    management_tools: tuple[str, ...] = ()  # what -IncludeManagementTools adds
    feature_id: int = 0
    max_build: int = 0  # 0 = still available
    default_installed: bool = False
    defaults: tuple[str, ...] = ()  # role services Install-WindowsFeature adds when this feature itself is named


_F = FeatureSpec
_TABLE: tuple[FeatureSpec, ...] = (
    # .NET 4.x (NET-Framework-45-Core is in-box and installed on every Server edition)
    _F("NET-Framework-45-Features", ".NET Framework 4.8 Features", default_installed=True, feature_id=418),
    _F("NET-Framework-45-Core", ".NET Framework 4.8", "NET-Framework-45-Features", default_installed=True, feature_id=419),
    _F("NET-Framework-45-ASPNET", "ASP.NET 4.8", "NET-Framework-45-Features", ("NET-Framework-45-Core",), feature_id=420),
    _F("NET-WCF-Services45", "WCF Services", "NET-Framework-45-Features", default_installed=True, feature_id=421),
    _F("NET-WCF-HTTP-Activation45", "HTTP Activation", "NET-WCF-Services45",
       ("NET-Framework-45-ASPNET", "WAS-Process-Model", "WAS-Config-APIs", "Web-Server", "Web-WebServer",
        "Web-App-Dev", "Web-Asp-Net45", "Web-Net-Ext45", "Web-ISAPI-Ext", "Web-ISAPI-Filter"), feature_id=424),
    _F("NET-WCF-MSMQ-Activation45", "Message Queuing (MSMQ) Activation", "NET-WCF-Services45",
       ("MSMQ", "MSMQ-Services", "MSMQ-Server", "WAS-Process-Model", "WAS-Config-APIs"), feature_id=425),
    _F("NET-WCF-Pipe-Activation45", "Named Pipe Activation", "NET-WCF-Services45",
       ("WAS-Process-Model", "WAS-Config-APIs"), feature_id=426),
    _F("NET-WCF-TCP-Activation45", "TCP Activation", "NET-WCF-Services45",
       ("WAS-Process-Model", "WAS-Config-APIs", "NET-WCF-TCP-PortSharing45"), feature_id=427),
    _F("NET-WCF-TCP-PortSharing45", "TCP Port Sharing", "NET-WCF-Services45", default_installed=True, feature_id=428),
    # Windows Process Activation Service
    _F("WAS", "Windows Process Activation Service", feature_id=140),
    _F("WAS-Process-Model", "Process Model", "WAS", feature_id=141),
    _F("WAS-Config-APIs", "Configuration APIs", "WAS", feature_id=143),
    # IIS
    # Install-WindowsFeature Web-Server adds IIS's default role services.
    _F("Web-Server", "Web Server (IIS)", management_tools=("Web-Mgmt-Console",), feature_id=2,
       defaults=("Web-WebServer", "Web-Common-Http", "Web-Default-Doc", "Web-Dir-Browsing", "Web-Http-Errors",
                 "Web-Static-Content", "Web-Health", "Web-Http-Logging", "Web-Performance", "Web-Stat-Compression",
                 "Web-Security", "Web-Filtering", "Web-Mgmt-Tools")),
    _F("Web-WebServer", "Web Server", "Web-Server", feature_id=3),
    _F("Web-Common-Http", "Common HTTP Features", "Web-WebServer", feature_id=4),
    _F("Web-Default-Doc", "Default Document", "Web-Common-Http", feature_id=9),
    _F("Web-Dir-Browsing", "Directory Browsing", "Web-Common-Http", feature_id=7),
    _F("Web-Http-Errors", "HTTP Errors", "Web-Common-Http", feature_id=6),
    _F("Web-Static-Content", "Static Content", "Web-Common-Http", feature_id=5),
    _F("Web-Http-Redirect", "HTTP Redirection", "Web-Common-Http", feature_id=8),
    _F("Web-Health", "Health and Diagnostics", "Web-WebServer", feature_id=17),
    _F("Web-Http-Logging", "HTTP Logging", "Web-Health", feature_id=18),
    _F("Web-Request-Monitor", "Request Monitor", "Web-Health", feature_id=21),
    _F("Web-Http-Tracing", "Tracing", "Web-Health", feature_id=22),
    _F("Web-Performance", "Performance", "Web-WebServer", feature_id=38),
    _F("Web-Stat-Compression", "Static Content Compression", "Web-Performance", feature_id=39),
    _F("Web-Dyn-Compression", "Dynamic Content Compression", "Web-Performance", feature_id=40),
    _F("Web-Security", "Security", "Web-WebServer", feature_id=24),
    _F("Web-Filtering", "Request Filtering", "Web-Security", feature_id=31),
    _F("Web-Basic-Auth", "Basic Authentication", "Web-Security", feature_id=25),
    _F("Web-Client-Auth", "Client Certificate Mapping Authentication", "Web-Security", feature_id=28),
    _F("Web-Digest-Auth", "Digest Authentication", "Web-Security", feature_id=27),
    _F("Web-Windows-Auth", "Windows Authentication", "Web-Security", feature_id=26),
    _F("Web-App-Dev", "Application Development", "Web-WebServer", feature_id=10),
    _F("Web-Net-Ext45", ".NET Extensibility 4.8", "Web-App-Dev", ("NET-Framework-45-Core",), feature_id=351),
    _F("Web-Asp-Net45", "ASP.NET 4.8", "Web-App-Dev",
       ("NET-Framework-45-ASPNET", "Web-Net-Ext45", "Web-ISAPI-Ext", "Web-ISAPI-Filter"), feature_id=352),
    _F("Web-ISAPI-Ext", "ISAPI Extensions", "Web-App-Dev", feature_id=14),
    _F("Web-ISAPI-Filter", "ISAPI Filters", "Web-App-Dev", feature_id=15),
    _F("Web-Mgmt-Tools", "Management Tools", "Web-Server", feature_id=32),
    _F("Web-Mgmt-Console", "IIS Management Console", "Web-Mgmt-Tools", desktop_only=True, feature_id=33),
    _F("Web-Mgmt-Compat", "IIS 6 Management Compatibility", "Web-Mgmt-Tools", feature_id=34),
    _F("Web-Metabase", "IIS 6 Metabase Compatibility", "Web-Mgmt-Compat", feature_id=35),
    _F("Web-Lgcy-Mgmt-Console", "IIS 6 Management Console", "Web-Mgmt-Compat", ("Web-Metabase",), desktop_only=True,
       feature_id=36, max_build=20348),
    _F("Web-WMI", "IIS 6 WMI Compatibility", "Web-Mgmt-Compat", ("Web-Metabase",), feature_id=37),
    _F("Web-Mgmt-Service", "Management Service", "Web-Mgmt-Tools", ("NET-Framework-45-ASPNET",), feature_id=42),
    # Exchange-specific roles
    _F("RPC-over-HTTP-proxy", "RPC over HTTP Proxy",
       depends=("Web-Server", "Web-WebServer", "Web-Security", "Web-Basic-Auth", "Web-Windows-Auth", "Web-App-Dev",
                "Web-ISAPI-Ext", "Web-Mgmt-Tools", "Web-Mgmt-Compat", "Web-Metabase"), feature_id=141 + 1000),
    # Media Foundation needs a restart to complete (Server Manager reports "RestartNeeded: Yes").
    _F("Server-Media-Foundation", "Media Foundation", restart_on_install=True, restart_on_remove=True, feature_id=469),
    _F("Windows-Identity-Foundation", "Windows Identity Foundation 3.5", desktop_only=True, feature_id=340),
    _F("BITS", "Background Intelligent Transfer Service (BITS)", feature_id=279),
    _F("Telnet-Client", "Telnet Client", feature_id=44),
    _F("MSMQ", "Message Queuing", feature_id=61),
    _F("MSMQ-Services", "Message Queuing Services", "MSMQ", feature_id=62),
    _F("MSMQ-Server", "Message Queuing Server", "MSMQ-Services", feature_id=63),
    _F("Failover-Clustering", "Failover Clustering", restart_on_install=True, restart_on_remove=True,
       management_tools=("RSAT-Clustering", "RSAT-Clustering-Mgmt", "RSAT-Clustering-PowerShell"), feature_id=33 + 1000),
    _F("ADLDS", "Active Directory Lightweight Directory Services", management_tools=("RSAT-ADLDS",), feature_id=85),
    _F("AD-Domain-Services", "Active Directory Domain Services",
       management_tools=("RSAT-AD-PowerShell", "RSAT-ADDS", "RSAT-ADDS-Tools", "RSAT-AD-AdminCenter"), feature_id=110),
    _F("DNS", "DNS Server", management_tools=("RSAT-DNS-Server",), feature_id=13 + 1000),
    # Remote Server Administration Tools
    _F("RSAT", "Remote Server Administration Tools", feature_id=67),
    _F("RSAT-Feature-Tools", "Feature Administration Tools", "RSAT", feature_id=68),
    _F("RSAT-Clustering", "Failover Clustering Tools", "RSAT-Feature-Tools", feature_id=69),
    _F("RSAT-Clustering-Mgmt", "Failover Cluster Management Tools", "RSAT-Clustering", desktop_only=True, feature_id=70),
    _F("RSAT-Clustering-PowerShell", "Failover Cluster Module for Windows PowerShell", "RSAT-Clustering", feature_id=71),
    _F("RSAT-Clustering-CmdInterface", "Failover Cluster Command Interface", "RSAT-Clustering", feature_id=72),
    _F("RSAT-Role-Tools", "Role Administration Tools", "RSAT", feature_id=75),
    _F("RSAT-AD-Tools", "AD DS and AD LDS Tools", "RSAT-Role-Tools", feature_id=76),
    _F("RSAT-AD-PowerShell", "Active Directory module for Windows PowerShell", "RSAT-AD-Tools", feature_id=77),
    _F("RSAT-ADDS", "AD DS Tools", "RSAT-AD-Tools", feature_id=78),
    _F("RSAT-AD-AdminCenter", "Active Directory Administrative Center", "RSAT-ADDS", desktop_only=True, feature_id=79),
    _F("RSAT-ADDS-Tools", "AD DS Snap-Ins and Command-Line Tools", "RSAT-ADDS", feature_id=80),
    _F("RSAT-ADLDS", "AD LDS Snap-Ins and Command-Line Tools", "RSAT-AD-Tools", feature_id=81),
    _F("RSAT-DNS-Server", "DNS Server Tools", "RSAT-Role-Tools", feature_id=82),
    # In-box basics
    _F("PowerShellRoot", "Windows PowerShell", default_installed=True, feature_id=417),
    _F("PowerShell", "Windows PowerShell 5.1", "PowerShellRoot", default_installed=True, feature_id=412),
    _F("WoW64-Support", "WoW64 Support", default_installed=True, feature_id=340 + 1000),
    _F("FS-FileServer", "File Server", default_installed=True, feature_id=1001 + 1000),
    _F("Storage-Services", "Storage Services", default_installed=True, feature_id=1002 + 1000),
    _F("Windows-Defender", "Microsoft Defender Antivirus", default_installed=True, restart_on_remove=True,
       feature_id=1003 + 1000),
    _F("XPS-Viewer", "XPS Viewer", desktop_only=True, default_installed=True, feature_id=1004 + 1000),
)

FEATURES: dict[str, FeatureSpec] = {f.name.lower(): f for f in _TABLE}


def available_features(installation_type: str, build: int) -> dict[str, FeatureSpec]:
    """Features Get-WindowsFeature lists on this OS (lower-case name -> spec)."""
    out = {}
    for k, f in FEATURES.items():
        if f.desktop_only and installation_type == CORE:
            continue
        if f.max_build and build > f.max_build:
            continue
        out[k] = f
    return out


# exchange-facts §2.4: the Mailbox role feature lists, per installation type.
EXCHANGE_MAILBOX_FEATURES_DESKTOP: tuple[str, ...] = (
    "Server-Media-Foundation", "NET-Framework-45-Core", "NET-Framework-45-ASPNET", "NET-WCF-HTTP-Activation45",
    "NET-WCF-Pipe-Activation45", "NET-WCF-TCP-Activation45", "NET-WCF-TCP-PortSharing45", "RPC-over-HTTP-proxy",
    "RSAT-Clustering", "RSAT-Clustering-CmdInterface", "RSAT-Clustering-Mgmt", "RSAT-Clustering-PowerShell",
    "WAS-Process-Model", "Web-Asp-Net45", "Web-Basic-Auth", "Web-Client-Auth", "Web-Digest-Auth", "Web-Dir-Browsing",
    "Web-Dyn-Compression", "Web-Http-Errors", "Web-Http-Logging", "Web-Http-Redirect", "Web-Http-Tracing",
    "Web-ISAPI-Ext", "Web-ISAPI-Filter", "Web-Metabase", "Web-Mgmt-Console", "Web-Mgmt-Service", "Web-Net-Ext45",
    "Web-Request-Monitor", "Web-Server", "Web-Stat-Compression", "Web-Static-Content", "Web-Windows-Auth", "Web-WMI",
    "Windows-Identity-Foundation", "RSAT-ADDS",
)
_CORE_MINUS = {"RSAT-Clustering-Mgmt", "Web-Mgmt-Console", "Windows-Identity-Foundation"}
EXCHANGE_MAILBOX_FEATURES_CORE: tuple[str, ...] = tuple(f for f in EXCHANGE_MAILBOX_FEATURES_DESKTOP if f not in _CORE_MINUS)


def exchange_features(installation_type: str) -> tuple[str, ...]:
    return EXCHANGE_MAILBOX_FEATURES_CORE if installation_type == CORE else EXCHANGE_MAILBOX_FEATURES_DESKTOP


# Services a feature adds (name, display name, start mode, dependencies): installing the feature creates and starts them.
FEATURE_SERVICES: dict[str, tuple[tuple[str, str, str, tuple[str, ...]], ...]] = {
    "was-process-model": (("WAS", "Windows Process Activation Service", "manual", ("RPCSS",)),),
    "web-webserver": (("W3SVC", "World Wide Web Publishing Service", "auto", ("WAS", "HTTP")),),
    "web-metabase": (("IISADMIN", "IIS Admin Service", "auto", ("RPCSS",)),),
    "web-mgmt-service": (("WMSVC", "Web Management Service", "manual", ("HTTP",)),),
    "net-wcf-tcp-activation45": (("NetTcpActivator", "Net.Tcp Listener Adapter", "auto", ("WAS", "NetTcpPortSharing")),),
    "net-wcf-pipe-activation45": (("NetPipeActivator", "Net.Pipe Listener Adapter", "auto", ("WAS",)),),
    "net-wcf-tcp-portsharing45": (("NetTcpPortSharing", "Net.Tcp Port Sharing Service", "manual", ()),),
    "msmq-server": (("MSMQ", "Message Queuing", "auto", ("RPCSS",)),),
    "ad-domain-services": (("NTDS", "Active Directory Domain Services", "auto", ("RPCSS",)),),
    "adlds": (),
    "failover-clustering": (("ClusSvc", "Cluster Service", "manual", ("RPCSS",)),),
}
