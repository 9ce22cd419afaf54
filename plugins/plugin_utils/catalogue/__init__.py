# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Exchange 2019/SE catalogue: builds, platforms, prerequisites, setup switches, as data.

Roles and plugins ask this package instead of re-typing Exchange facts. Each module answers
one kind of question (see its docstring); the names below are the supported entry points.
Facts carry their source tag (S1..S13, see `sources.SOURCES`); where the catalogue departs
from the project's fact sheet, `sources.CATALOGUE_NOTES` says why.
"""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.ad_versions import AdLevels, ad_levels
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import (
    BASELINES,
    BUILDS,
    Build,
    at_least,
    base_cu_of,
    build_info,
    is_se,
    latest_build_of,
    product_line,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.dotnet import DotNetRequirement, dotnet_version_of, required_dotnet_release
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.features import windows_features
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.hardware import (
    file_system_allowed,
    hardware_requirements,
    recommended_pagefile_mb,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.platforms import WindowsServer, is_os_supported, os_from_build, supported_os
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.prerequisites import Prerequisite, RegistryProbe, required_prerequisites
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.sources import CATALOGUE_NOTES, SOURCES
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.switch_values import SwitchProblem
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.switches import (
    find_switch,
    license_switch,
    render_switch,
    validate_switch,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.upgrades import UpgradeDecision, is_upgrade_allowed, upgrade_decision
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import format_version, parse_version

__all__ = [
    "AdLevels", "BASELINES", "BUILDS", "Build", "CATALOGUE_NOTES", "DotNetRequirement", "Prerequisite", "RegistryProbe",
    "SOURCES", "SwitchProblem", "UpgradeDecision", "WindowsServer", "ad_levels", "at_least", "base_cu_of", "build_info",
    "dotnet_version_of", "file_system_allowed", "find_switch", "format_version", "hardware_requirements", "is_os_supported",
    "is_se", "is_upgrade_allowed", "latest_build_of", "license_switch", "os_from_build", "parse_version", "product_line",
    "recommended_pagefile_mb", "render_switch", "required_dotnet_release", "required_prerequisites", "supported_os",
    "upgrade_decision", "validate_switch", "windows_features",
]
