# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows features each Exchange role needs, per Windows installation type.

Microsoft publishes one Install-WindowsFeature line per case [S1 prerequisites, 2025
revision]. The Server Core Mailbox line is the Desktop Experience line without the three
GUI-only features, so it is derived here rather than typed twice.
"""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import (
    EDGE,
    MAILBOX,
    MANAGEMENT_TOOLS,
    SERVER_CORE,
    normalize_installation_type,
    normalize_role,
)

FEATURES_SOURCE = "S1"

MAILBOX_DESKTOP_FEATURES: tuple[str, ...] = (
    "Server-Media-Foundation", "NET-Framework-45-Core", "NET-Framework-45-ASPNET", "NET-WCF-HTTP-Activation45",
    "NET-WCF-Pipe-Activation45", "NET-WCF-TCP-Activation45", "NET-WCF-TCP-PortSharing45", "RPC-over-HTTP-proxy",
    "RSAT-Clustering", "RSAT-Clustering-CmdInterface", "RSAT-Clustering-Mgmt", "RSAT-Clustering-PowerShell",
    "WAS-Process-Model", "Web-Asp-Net45", "Web-Basic-Auth", "Web-Client-Auth", "Web-Digest-Auth", "Web-Dir-Browsing",
    "Web-Dyn-Compression", "Web-Http-Errors", "Web-Http-Logging", "Web-Http-Redirect", "Web-Http-Tracing",
    "Web-ISAPI-Ext", "Web-ISAPI-Filter", "Web-Metabase", "Web-Mgmt-Console", "Web-Mgmt-Service", "Web-Net-Ext45",
    "Web-Request-Monitor", "Web-Server", "Web-Stat-Compression", "Web-Static-Content", "Web-Windows-Auth", "Web-WMI",
    "Windows-Identity-Foundation", "RSAT-ADDS",
)

# Not installable (or not wanted) on Server Core: Microsoft's Core line omits exactly these.
DESKTOP_ONLY_FEATURES: frozenset[str] = frozenset({"RSAT-Clustering-Mgmt", "Web-Mgmt-Console", "Windows-Identity-Foundation"})

EDGE_FEATURES: tuple[str, ...] = ("ADLDS",)
MANAGEMENT_TOOLS_FEATURES: tuple[str, ...] = ("Web-Mgmt-Console", "Web-Metabase")

# Optional clean-up: MSMQ is no longer required [S1 prerequisites].
OBSOLETE_FEATURES: tuple[str, ...] = ("NET-WCF-MSMQ-Activation45", "MSMQ")

_BY_ROLE = {MAILBOX: MAILBOX_DESKTOP_FEATURES, EDGE: EDGE_FEATURES, MANAGEMENT_TOOLS: MANAGEMENT_TOOLS_FEATURES}


def windows_features(role: str, installation_type: str) -> tuple[str, ...]:
    """The feature names to pass to Install-WindowsFeature, in Microsoft's order.

    On Server Core the GUI-only features are left out, for the management tools too
    (an inference recorded in CATALOGUE_NOTES).
    """
    features = _BY_ROLE[normalize_role(role)]
    if normalize_installation_type(installation_type) == SERVER_CORE:
        return tuple(name for name in features if name not in DESKTOP_ONLY_FEATURES)
    return features
