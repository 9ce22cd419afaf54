# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which .NET Framework an Exchange build needs on a given Windows Server.

Exchange supports only the .NET releases its matrix lists, so 'newer' is not 'better':
2019 CU14/CU15 on Windows Server 2019 must stay on 4.8 even though 4.8.1 exists, and no
CU before CU14 supports 4.8.1 anywhere [S1 supportability matrix; S2 HealthChecker]. The
host reports its .NET as the `Release` DWORD, so requirements are expressed in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import CU14, LINE_2019, LINE_SE, at_least, product_line
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.platforms import WS2019, os_from_build
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import VersionInput

DOTNET_RELEASE_KEY = r"HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full"
DOTNET_RELEASE_VALUE = "Release"

# Lowest Release DWORD of each version [S2 Shared/Get-NETFrameworkVersion.ps1].
NET48_RELEASE = 528040
NET481_RELEASE = 533320


@dataclass(frozen=True)
class DotNetRequirement:
    """What Exchange accepts: at least `minimum_release`, below `ceiling_release` when one is set."""

    minimum_version: str
    minimum_release: int
    recommended_version: str
    recommended_release: int
    supported_versions: tuple[str, ...]
    ceiling_release: int | None
    source: str = "S1"

    def accepts(self, release: int | None) -> bool:
        """True when a host's Release DWORD is a supported .NET for this Exchange build and OS."""
        if release is None or isinstance(release, bool):
            return False
        if release < self.minimum_release:
            return False
        return self.ceiling_release is None or release < self.ceiling_release


def dotnet_version_of(release: int | None) -> str:
    """The .NET version a Release DWORD stands for, as far as Exchange cares."""
    if release is None or release < NET48_RELEASE:
        return "older than 4.8"
    return "4.8.1" if release >= NET481_RELEASE else "4.8"


def required_dotnet_release(exchange_build: VersionInput, os_build: object) -> DotNetRequirement:
    """The .NET requirement of an Exchange 2019/SE build on a Windows Server release.

    4.8.1 is allowed (and recommended) only for 2019 CU14+ and SE on an OS other than
    Windows Server 2019; everywhere else the requirement is exactly 4.8 (a 4.8.1 host is
    refused). The OS may be unknown (None): then the stricter Windows Server 2019 rule applies.
    """
    modern = product_line(exchange_build) in (LINE_2019, LINE_SE) and at_least(exchange_build, CU14)
    server = os_from_build(os_build) if os_build is not None else None
    if modern and server is not None and server != WS2019:
        return DotNetRequirement("4.8", NET48_RELEASE, "4.8.1", NET481_RELEASE, ("4.8", "4.8.1"), None)
    return DotNetRequirement("4.8", NET48_RELEASE, "4.8", NET48_RELEASE, ("4.8",), NET481_RELEASE,
                             source="S1" if not modern else "S2")
