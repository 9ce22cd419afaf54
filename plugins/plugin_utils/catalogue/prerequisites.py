# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The software Exchange setup expects before it runs, and how to see that it is there.

Each prerequisite carries the registry probes Microsoft's own tools use to detect it
(SetupAssist, HealthChecker) so that a role can check the host the same way setup will,
plus the readiness rule setup fails with when it is missing, so a failed setup log can be
mapped back to the item [S1 prerequisites; S2; S4 for installer arguments].
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import CU11, at_least
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.dotnet import (
    DOTNET_RELEASE_KEY,
    DOTNET_RELEASE_VALUE,
    required_dotnet_release,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import VersionInput
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import (
    MAILBOX,
    SERVER_CORE,
    normalize_installation_type,
    normalize_role,
)

UNINSTALL_KEY = r"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"


@dataclass(frozen=True)
class RegistryProbe:
    """One way to see a component installed. `check` is `at_least` (numeric compare with
    `expected`), `equals`, or `exists` (the value is present). A probe with
    `display_name_like` looks through the subkeys of `path` whose DisplayName matches it."""

    path: str
    value: str
    check: str
    expected: str | int | None = None
    display_name_like: str = ""
    registry_view: str = ""  # with display_name_like: "64" (native) or "32" (WOW6432Node) entries only; "" either


@dataclass(frozen=True)
class Prerequisite:
    """A component setup needs. Any one of `probes` satisfied means installed."""

    key: str
    name: str
    minimum_version: str
    probes: tuple[RegistryProbe, ...]
    readiness_rules: tuple[str, ...]
    source: str
    product_code: str = ""
    installer_args: tuple[str, ...] = ()
    media_installer: str = ""
    media_only: bool = False
    depends_on_features: tuple[str, ...] = ()
    note: str = ""


def _vc_runtime_probes(year: int, version_key: str, version_identifier: int, build: int) -> tuple[RegistryProbe, ...]:
    # Microsoft's tools read the 64-bit view's Uninstall entries of the x64 runtime and compare their Version (a packed
    # VersionIdentifier: SetupAssist requires 184610406 for 2012 and 201367256 for 2013; HealthChecker reads only the
    # 64-bit key) [S2 VisualCRedistributableVersionFunctions.ps1]; Install-Exchange15 reads the x64 runtime key in
    # either registry view [S4 l.2236-2257], whose build (Bld) must be the required one or later: an x86 runtime, or an
    # older x64 build, does not satisfy setup's readiness check.
    uninstall = RegistryProbe(UNINSTALL_KEY, "Version", "at_least", version_identifier,
                              display_name_like=f"Microsoft Visual C++ {year} x64*", registry_view="64")
    runtimes = tuple(RegistryProbe(rf"HKLM:\SOFTWARE\{view}Microsoft\VisualStudio\{version_key}\VC\Runtimes\x64", "Bld", "at_least", build)
                     for view in ("", "WOW6432Node\\"))
    return (uninstall,) + runtimes


VCREDIST_2012 = Prerequisite(
    key="vcredist2012", name="Visual C++ 2012 Redistributable (x64)", minimum_version="11.0.61030",
    probes=_vc_runtime_probes(2012, "11.0", 184610406, 61030), readiness_rules=(), source="S1",
    installer_args=("/install", "/quiet", "/norestart"),
    note="All roles. Not needed on a machine that only runs unattended AD preparation [S1].")

VCREDIST_2013 = Prerequisite(
    key="vcredist2013", name="Visual C++ 2013 Redistributable (x64)", minimum_version="12.0.40664",
    probes=_vc_runtime_probes(2013, "12.0", 201367256, 40664), readiness_rules=("VC2013RedistDependencyRequirement",),
    source="S1", installer_args=("/install", "/quiet", "/norestart"), note="Mailbox servers only [S1].")

UCMA_4 = Prerequisite(
    key="ucma4", name="Unified Communications Managed API 4.0 Core Runtime (64-bit)", minimum_version="4.0",
    probes=(RegistryProbe(r"HKLM:\SOFTWARE\Microsoft\UCMA\{902F4F35-D5DC-4363-8671-D5EF0D26C21D}", "Version", "exists"),),
    readiness_rules=("UcmaRedistMsi",), source="S1", product_code="{41D635FE-4F9D-47F7-8230-9B29D6D42D31}",
    installer_args=("/passive", "/norestart"), media_installer=r"UCMARedist\Setup.exe",
    depends_on_features=("Server-Media-Foundation",),
    note="On Server Core the package in the media's UCMARedist folder must be used [S1].")

URL_REWRITE_2_1 = Prerequisite(
    key="urlrewrite21", name="IIS URL Rewrite Module 2.1", minimum_version="2.1",
    probes=(RegistryProbe(r"HKLM:\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite", "Version", "exists"),),
    readiness_rules=("IisUrlRewriteNotInstalled",), source="S1", product_code="{9BCA2118-F753-4A1E-BCF3-5A820729965C}",
    installer_args=("/quiet", "/norestart"), depends_on_features=("Web-Server",),
    note="Required by Mailbox servers from the September 2021 CUs (2019 CU11) on [S6].")


def dotnet_prerequisite(exchange_build: VersionInput, os_build: object) -> Prerequisite:
    """The .NET Framework item, with the Release threshold this build and OS need."""
    requirement = required_dotnet_release(exchange_build, os_build)
    versions = " or ".join(requirement.supported_versions)
    return Prerequisite(
        key="dotnet", name=f".NET Framework {versions}", minimum_version=requirement.minimum_version,
        probes=(RegistryProbe(DOTNET_RELEASE_KEY, DOTNET_RELEASE_VALUE, "at_least", requirement.minimum_release),),
        readiness_rules=("NETFrameworkNotInstalled", "MinimumFrameworkNotInstalled"), source=requirement.source,
        note=(f"Recommended: {requirement.recommended_version}."
              + (f" Release must stay below {requirement.ceiling_release} (4.8.1 is not supported here)."
                 if requirement.ceiling_release else "")))


def required_prerequisites(exchange_build: VersionInput, os_build: object, installation_type: str, role: str) -> tuple[Prerequisite, ...]:
    """The software to install before setup, in install order, for one server.

    Mailbox: .NET, VC++ 2012, VC++ 2013, UCMA 4.0 and (CU11+) URL Rewrite 2.1.
    Edge and management tools: .NET and VC++ 2012. Windows features are separate
    (`windows_features`); UCMA names the feature it depends on and, on Server Core, is
    marked `media_only` (it must come from the media's UCMARedist folder).
    """
    canonical_role = normalize_role(role)
    core = normalize_installation_type(installation_type) == SERVER_CORE
    items: list[Prerequisite] = [dotnet_prerequisite(exchange_build, os_build), VCREDIST_2012]
    if canonical_role == MAILBOX:
        items += [VCREDIST_2013, replace(UCMA_4, media_only=core)]
        if at_least(exchange_build, CU11):
            items.append(URL_REWRITE_2_1)
    return tuple(items)
