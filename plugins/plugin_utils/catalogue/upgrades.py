# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether setup media may be run with /Mode:Upgrade over the Exchange build installed.

/Mode:Upgrade installs a newer cumulative update of the same product line. Exchange never
upgrades in place across major versions, with one exception: Exchange Server SE installs
over Exchange 2019 CU14 or CU15 like a CU [S1 'Modes of Exchange Server Setup'; S1
'Upgrading to Exchange Server SE']. SUs and HUs are .msp packages, not setup media.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import (
    CU14,
    LINE_2019,
    LINE_SE,
    at_least,
    base_cu_of,
    build_info,
    product_line,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import VersionInput, family, try_parse_version

ALLOWED = "newer_cu"
ALLOWED_TO_SE = "to_se"
SAME_CU = "same_cu"
DOWNGRADE = "downgrade"
CROSS_VERSION = "cross_version"
SE_NEEDS_CU14 = "se_needs_cu14_or_cu15"
MEDIA_IS_UPDATE = "media_is_update"
UNKNOWN = "unknown_version"

_MESSAGES = {
    ALLOWED: ("Upgrade to a newer cumulative update of the same version.",
              "Actualización a una actualización acumulativa más reciente de la misma versión."),
    ALLOWED_TO_SE: ("Exchange Server SE installs over Exchange 2019 CU14/CU15 like a cumulative update.",
                    "Exchange Server SE se instala sobre Exchange 2019 CU14/CU15 como una actualización acumulativa."),
    SAME_CU: ("The media carries the cumulative update already installed; there is nothing to upgrade.",
              "El medio contiene la misma actualización acumulativa ya instalada; no hay nada que actualizar."),
    DOWNGRADE: ("The media is older than the installed build; Exchange can't be downgraded.",
                "El medio es más antiguo que la versión instalada; Exchange no se puede degradar."),
    CROSS_VERSION: ("Exchange doesn't upgrade in place between major versions; install a new server and migrate.",
                    "Exchange no se actualiza en el mismo servidor entre versiones principales; instale un servidor nuevo y migre."),
    SE_NEEDS_CU14: ("Exchange Server SE can only be installed over Exchange 2019 CU14 or CU15; install CU14 or CU15 first.",
                    "Exchange Server SE solo se instala sobre Exchange 2019 CU14 o CU15; instale primero CU14 o CU15."),
    MEDIA_IS_UPDATE: ("That build is a security or hotfix update (an .msp package), not setup media.",
                      "Esa versión es una actualización de seguridad o revisión (paquete .msp), no un medio de instalación."),
    UNKNOWN: ("One of the versions isn't an Exchange build number.",
              "Una de las versiones no es un número de compilación de Exchange."),
}


@dataclass(frozen=True)
class UpgradeDecision:
    """The answer, a stable reason key for roles and tests, and the explanation in both languages."""

    allowed: bool
    reason: str
    source: str = "S1"

    @property
    def message_en(self) -> str:
        return _MESSAGES[self.reason][0]

    @property
    def message_es(self) -> str:
        return _MESSAGES[self.reason][1]


def upgrade_decision(installed: VersionInput, media: VersionInput) -> UpgradeDecision:
    """Decide a /Mode:Upgrade from the `installed` build to the `media` build."""
    current, target = try_parse_version(installed), try_parse_version(media)
    if current is None or target is None:
        return UpgradeDecision(False, UNKNOWN)
    listed = build_info(target)
    if listed is not None and not listed.is_baseline:
        return UpgradeDecision(False, MEDIA_IS_UPDATE)
    if current[:2] != target[:2]:
        return UpgradeDecision(False, CROSS_VERSION if target[:2] > current[:2] else DOWNGRADE)
    if family(target) == family(current):
        return UpgradeDecision(False, SAME_CU)
    if family(target) < family(current):
        return UpgradeDecision(False, DOWNGRADE)
    if product_line(target) == LINE_SE and product_line(current) == LINE_2019:
        if at_least(current, CU14):
            return UpgradeDecision(True, ALLOWED_TO_SE)
        return UpgradeDecision(False, SE_NEEDS_CU14)
    return UpgradeDecision(True, ALLOWED)


def is_upgrade_allowed(installed: VersionInput, media: VersionInput) -> bool:
    """True when setup from `media` may upgrade a server running `installed`."""
    return upgrade_decision(installed, media).allowed


def upgrade_target_label(media: VersionInput) -> str:
    """`2019 CU15` / `SE RTM` for media, or the bare version when the CU isn't listed."""
    cu = base_cu_of(media)
    return cu.label if cu is not None else str(media)
