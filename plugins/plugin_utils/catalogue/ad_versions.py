# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Active Directory version values that /PrepareSchema and /PrepareAD write, per CU.

A role compares what it reads from AD with these values to know whether the forest is
prepared for the media it is about to run, and so whether setup will need Schema or
Enterprise Admin rights (for example 2019 CU14 -> CU15/SE moves the organisation's
objectVersion from 16762 to 16763) [S1 prepare-ad-and-domains; S2 agrees].
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import (
    CU10,
    CU11,
    CU12,
    CU13,
    CU14,
    CU15,
    SE_RTM,
    at_least,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import VersionInput, try_parse_version


@dataclass(frozen=True)
class AdLevels:
    """rangeUpper of ms-Exch-Schema-Version-Pt; objectVersion of the domain's Microsoft Exchange System
    Objects container (`domain`) and of the organisation container (`organization`)."""

    schema: int
    domain: int
    organization: int
    source: str = "S1"

    def satisfies(self, required: AdLevels) -> bool:
        """True when AD at these levels is prepared enough for `required`."""
        return (self.schema >= required.schema and self.domain >= required.domain
                and self.organization >= required.organization)


# Newest first: the first row whose CU is at or below the build applies.
_LEVELS: tuple[tuple[tuple[int, int, int, int], AdLevels], ...] = (
    (SE_RTM, AdLevels(17003, 13243, 16763)),
    (CU15, AdLevels(17003, 13243, 16763)),
    (CU14, AdLevels(17003, 13243, 16762)),
    (CU13, AdLevels(17003, 13243, 16761)),
    (CU12, AdLevels(17003, 13243, 16760)),
    (CU11, AdLevels(17003, 13242, 16759)),
    (CU10, AdLevels(17003, 13241, 16758)),
)
# CU11 with the May 2022 SU (KB5014260 in Microsoft's page) raises the domain objectVersion to 13243 [S1, S2].
_CU11_MAY22SU = (15, 2, 986, 26)


def ad_levels(version: VersionInput) -> AdLevels | None:
    """The AD levels a 2019 CU10+ or SE build expects; None for older, non-2019/SE or unreadable builds."""
    parsed = try_parse_version(version)
    if parsed is None or parsed[:2] != (15, 2):
        return None
    for reference, levels in _LEVELS:
        if at_least(parsed, reference):
            if reference == CU11 and parsed >= _CU11_MAY22SU:
                return AdLevels(levels.schema, 13243, levels.organization)
            return levels
    return None


# --- What the forest must offer the Exchange build (Microsoft "Exchange Server supportability matrix" and
# "Exchange Server system requirements", 2025 revision [S1]; exchange-facts §2.5) ------------------------------------
# msDS-Behavior-Version, as RootDSE's forestFunctionality / domainFunctionality give it; Install-Exchange15 reads the
# same numbers (6 = 2012 R2, 7 = 2016, 10 = 2025) [S4 Install-Exchange15.ps1 l.419-425].
FUNCTIONAL_LEVEL_NAMES: dict[int, str] = {
    0: "Windows 2000", 1: "Windows Server 2003 (interim)", 2: "Windows Server 2003", 3: "Windows Server 2008",
    4: "Windows Server 2008 R2", 5: "Windows Server 2012", 6: "Windows Server 2012 R2", 7: "Windows Server 2016",
    10: "Windows Server 2025",
}
# Exchange 2019 and SE: forest functional level Windows Server 2012 R2 or higher [S1 supportability matrix; S8 for SE];
# the domain's level is held to the same minimum (the matrix lists the same values for the domains that hold Exchange
# servers or mailboxes) [S1 system requirements].
MIN_FUNCTIONAL_LEVEL = 6


@dataclass(frozen=True)
class DcRequirement:
    """The writable domain controllers of the Exchange server's site: minimum Windows build, and the newest Windows
    releases only from the CU Microsoft lists [S1 supportability matrix, 'Active Directory' table]."""

    min_os_build: int = 9600  # Windows Server 2012 R2
    source: str = "S1"


DC_REQUIREMENT = DcRequirement()
# A DC on Windows Server 2022 (build 20348) is supported from 2019 CU12, on Windows Server 2025 (26100) from CU14 [S1].
_DC_OS_FROM_CU: tuple[tuple[int, tuple[int, int, int, int], str], ...] = (
    (26100, CU14, "Windows Server 2025"),
    (20348, CU12, "Windows Server 2022"),
)
DC_OS_NAMES: dict[int, str] = {9600: "Windows Server 2012 R2", 14393: "Windows Server 2016", 17763: "Windows Server 2019",
                               20348: "Windows Server 2022", 26100: "Windows Server 2025"}


def functional_level_name(level: int | None) -> str:
    """'Windows Server 2012 R2' for 6; the number itself for a value Microsoft has not named here."""
    if level is None:
        return "?"
    return FUNCTIONAL_LEVEL_NAMES.get(int(level), f"msDS-Behavior-Version {level}")


def dc_os_supported(version: VersionInput, os_build: int) -> bool:
    """True when a domain controller on Windows build `os_build` is supported for the Exchange `version`."""
    if os_build < DC_REQUIREMENT.min_os_build:
        return False
    parsed = try_parse_version(version)
    for build, from_cu, _name in _DC_OS_FROM_CU:
        if os_build >= build:
            return parsed is not None and (parsed[:2] != (15, 2) or at_least(parsed, from_cu))
    return True
