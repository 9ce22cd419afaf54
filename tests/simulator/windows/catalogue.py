"""Installable products and the installer files that install them (exchange-facts §2.2, §2.3).

A ProductSpec says what an installed product leaves behind (uninstall key, detection keys, .NET Release
DWORD); an InstallerSpec says what running an installer file does (which product, exit code, reboot,
prerequisites). Installer files in the virtual FS point at their InstallerSpec (FileNode.installer), and the
host also keeps a by-file-name catalogue so a copy pushed from the controller is still recognised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UNINSTALL = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
UNINSTALL_WOW = r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"
NDP_FULL = r"HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full"


@dataclass(frozen=True)
class RegWrite:
    path: str
    name: str
    data: Any
    type: str = "REG_SZ"


@dataclass(frozen=True)
class ProductSpec:
    key: str  # short catalogue key, e.g. "vcredist2013"
    display_name: str
    version: str
    product_id: str = ""  # the Uninstall sub-key name (MSI product code or bundle id); "" when none
    publisher: str = "Microsoft Corporation"
    uninstall_wow: bool = False  # bundle registered under WOW6432Node (32-bit bundle engine)
    registry: tuple[RegWrite, ...] = ()
    is_msi: bool = False
    version_dword: int | None = None  # Uninstall value `Version` (VC++: HealthChecker compares it, §2.3)

    def uninstall_key(self) -> str | None:
        if not self.product_id:
            return None
        return (UNINSTALL_WOW if self.uninstall_wow else UNINSTALL) + "\\" + self.product_id


@dataclass(frozen=True)
class InstallerSpec:
    """What running one installer file does."""

    file_name: str  # canonical download name
    product: ProductSpec
    reboot_required: bool = False  # rc 3010 and a PendingFileRenameOperations entry
    duration_seconds: float = 60.0
    quiet_switches: tuple[str, ...] = ("/q", "/quiet", "/passive", "-q", "/qn", "/s")
    requires_features: tuple[str, ...] = ()
    min_build: int = 0
    max_build: int = 0  # 0: no maximum
    size: int = 1_000_000
    replaces_release: int = 0  # .NET: installing is a no-op when Release is already >= this value


def _vc(key: str, year: str, version: str, bundle: str, vs: str, dword: int) -> ProductSpec:
    runtimes = []
    major, minor, bld = version.split(".")[:3]
    for base in (r"HKLM\SOFTWARE\Microsoft", r"HKLM\SOFTWARE\WOW6432Node\Microsoft"):
        path = base + rf"\VisualStudio\{vs}\VC\Runtimes\x64"
        runtimes += [RegWrite(path, "Installed", 1, "REG_DWORD"), RegWrite(path, "Version", f"v{version}.00"),
                     RegWrite(path, "Major", int(major), "REG_DWORD"), RegWrite(path, "Minor", int(minor), "REG_DWORD"),
                     RegWrite(path, "Bld", int(bld), "REG_DWORD")]
    # The bundle (a 32-bit burn engine) registers under WOW6432Node; the x64 runtime's two MSIs register in the 64-bit
    # view as "... x64 Minimum Runtime" and "... x64 Additional Runtime", with Version = the packed VersionIdentifier
    # that SetupAssist and HealthChecker compare (exchange-facts §2.3 [S2]). Their product codes here are placeholders.
    for part, code in (("Minimum", "{a749d8e6-0000-4000-8000-%012d}" % dword), ("Additional", "{929fbd26-0000-4000-8000-%012d}" % dword)):
        entry = UNINSTALL + "\\" + code
        runtimes += [RegWrite(entry, "DisplayName", f"Microsoft Visual C++ {year} x64 {part} Runtime - {version}"),
                     RegWrite(entry, "DisplayVersion", f"{version}"), RegWrite(entry, "Version", dword, "REG_DWORD"),
                     RegWrite(entry, "Publisher", "Microsoft Corporation")]
    return ProductSpec(key, f"Microsoft Visual C++ {year} Redistributable (x64) - {version}", version + ".0", bundle,
                       uninstall_wow=True, registry=tuple(runtimes), version_dword=dword)


# exchange-facts §2.3: VersionIdentifier 184610406 = 11.0.61030 (2012), 201367256 = 12.0.40664 (2013).
VCREDIST_2012 = _vc("vcredist2012", "2012", "11.0.61030", "{ca67548a-5ebe-413a-b50c-4b9ceb6d66c6}", "11.0", 184610406)
VCREDIST_2013 = _vc("vcredist2013", "2013", "12.0.40664", "{042d26ef-3dbe-4c25-95d3-4c1b11b235a7}", "12.0", 201367256)

# exchange-facts §2.3: UCMA detection key + Install-Exchange15 product code.
UCMA4 = ProductSpec(
    "ucma4", "Microsoft Unified Communications Managed API 4.0, Runtime", "5.0.8308.0",
    "{41D635FE-4F9D-47F7-8230-9B29D6D42D31}",
    registry=(RegWrite(r"HKLM\SOFTWARE\Microsoft\UCMA\{902F4F35-D5DC-4363-8671-D5EF0D26C21D}", "Version", "5.0.8308.0"),),
)

# exchange-facts §2.3: URL Rewrite detection key + product code.
URL_REWRITE = ProductSpec(
    "urlrewrite", "IIS URL Rewrite Module 2", "7.2.1993", "{9BCA2118-F753-4A1E-BCF3-5A820729965C}", is_msi=True,
    registry=(RegWrite(r"HKLM\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite", "Version", "7.2.1993"),
              RegWrite(r"HKLM\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite", "Install", 1, "REG_DWORD")),
)


def dotnet_product(release: int, version: str, key: str) -> ProductSpec:
    """exchange-facts §2.2: Release >= 528040 is 4.8, >= 533320 is 4.8.1."""
    return ProductSpec(key, f"Microsoft .NET Framework {version.rsplit('.', 1)[0]}", version, registry=(
        RegWrite(NDP_FULL, "Release", release, "REG_DWORD"), RegWrite(NDP_FULL, "Version", version),
        RegWrite(NDP_FULL, "Install", 1, "REG_DWORD"), RegWrite(NDP_FULL, "TargetVersion", "4.0.0")))


DOTNET_48 = dotnet_product(528049, "4.8.03761", "dotnet48")
DOTNET_481 = dotnet_product(533325, "4.8.09037", "dotnet481")
# In-box .NET per OS build (Release values as reported by Get-NETFrameworkVersion): WS2019 ships 4.7.2 (461814),
# WS2022 ships 4.8 (528449); WS2025 shipping 4.8.1 is [UNCONFIRMED] in exchange-facts §2.2 — modelled as 533325.
INBOX_DOTNET = {17763: dotnet_product(461814, "4.7.03190", "dotnet472"),
                20348: dotnet_product(528449, "4.8.04161", "dotnet48-inbox"),
                26100: dotnet_product(533325, "4.8.09032", "dotnet481-inbox")}

DOTNET_48_INSTALLER = InstallerSpec("ndp48-x86-x64-allos-enu.exe", DOTNET_48, reboot_required=True, duration_seconds=600,
                                    size=117_000_000, replaces_release=528040)
# .NET 4.8.1 is not offered for Windows Server 2019 (build 17763): the installer exits 5100 there.
DOTNET_481_INSTALLER = InstallerSpec("ndp481-x86-x64-allos-enu.exe", DOTNET_481, reboot_required=True,
                                     duration_seconds=600, size=70_000_000, min_build=20348, replaces_release=533320)
VCREDIST_2012_INSTALLER = InstallerSpec("vcredist_x64_2012.exe", VCREDIST_2012, duration_seconds=20, size=7_200_000)
VCREDIST_2013_INSTALLER = InstallerSpec("vcredist_x64_2013.exe", VCREDIST_2013, duration_seconds=20, size=7_200_000)
# UCMA needs the Server-Media-Foundation feature first (exchange-facts §2.3 lists them together) [INFERRED].
UCMA4_INSTALLER = InstallerSpec("UcmaRuntimeSetup.exe", UCMA4, duration_seconds=90, size=6_000_000,
                                requires_features=("Server-Media-Foundation",))
# The URL Rewrite MSI refuses to install without IIS (it needs IIS 7 or later).
URL_REWRITE_INSTALLER = InstallerSpec("rewrite_amd64_en-US.msi", URL_REWRITE, duration_seconds=15, size=6_500_000,
                                      requires_features=("Web-Server",))

STANDARD_INSTALLERS: tuple[InstallerSpec, ...] = (
    DOTNET_48_INSTALLER, DOTNET_481_INSTALLER, VCREDIST_2012_INSTALLER, VCREDIST_2013_INSTALLER,
    UCMA4_INSTALLER, URL_REWRITE_INSTALLER,
)
STANDARD_PRODUCTS: dict[str, ProductSpec] = {i.product.key: i.product for i in STANDARD_INSTALLERS}


@dataclass
class InstalledProduct:
    spec: ProductSpec
    install_date: str = ""  # yyyyMMdd as in the Uninstall key
    extra: dict = field(default_factory=dict)
