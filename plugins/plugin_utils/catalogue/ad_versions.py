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
