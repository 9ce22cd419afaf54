"""Exchange Server 2019 / SE builds and what each one implies (exchange-facts §3.1, §2.1, §2.6; exchange-builds.csv [S3]).

Only CU baselines are modelled as installable media (SUs/HUs are not Setup.exe media). SE is `15.2` like 2019;
builds >= 15.2.2562 are SE [S2 Get-ExchangeBuildVersionInformation.ps1].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

_VERSION_RE = re.compile(r"^\s*(?:Version\s+)?(\d+)\.(\d+)\.(\d+)\.(\d+)\s*$")


@total_ordering
@dataclass(frozen=True)
class Build:
    """A four-part Exchange build, e.g. 15.2.1748.10."""

    major: int
    minor: int
    build: int
    revision: int

    @classmethod
    def parse(cls, text: str) -> "Build":
        """Accept `15.2.1748.10` and the zero-padded docs form `15.02.1748.010`."""
        match = _VERSION_RE.match(text)
        if not match:
            raise ValueError(f"not an Exchange build number: {text!r}")
        return cls(*(int(x) for x in match.groups()))

    def _key(self) -> tuple[int, int, int, int]:
        return (self.major, self.minor, self.build, self.revision)

    def same_cu(self, other: "Build") -> bool:
        """Same major.minor.build: the same CU/RTM (an SU or HU only changes the revision)."""
        return (self.major, self.minor, self.build) == (other.major, other.minor, other.build)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Build):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.build}.{self.revision}"

    @property
    def long(self) -> str:
        """The docs/Install-Exchange15 form `15.02.1748.010` (exchange-facts §3.1)."""
        return f"{self.major}.{self.minor:02d}.{self.build:04d}.{self.revision:03d}"

    @property
    def admin_display_version(self) -> str:
        """`Get-ExchangeServer` AdminDisplayVersion, e.g. `Version 15.2 (Build 1748.10)` (exchange-facts §3.1 [S11])."""
        return f"Version {self.major}.{self.minor} (Build {self.build}.{self.revision})"

    @property
    def is_se(self) -> bool:
        return self.major == 15 and self.minor == 2 and self.build >= 2562


@dataclass(frozen=True)
class AdLevels:
    """AD values written by /PrepareSchema and /PrepareAD (exchange-facts §2.6 [S1])."""

    schema_range_upper: int
    domain_object_version: int  # objectVersion (Default) on CN=Microsoft Exchange System Objects
    org_object_version: int  # objectVersion (Configuration) on the organization object


@dataclass(frozen=True)
class Release:
    """One installable Exchange release (a CU, or SE RTM)."""

    key: str  # "2019-CU15", "SE-RTM"
    product_name: str  # as in exchange-builds.csv
    build: Build
    released: date
    kb: str
    cu: int | None  # Exchange 2019 CU number; None for SE
    ad: AdLevels
    console_title: str  # unattended console title (exchange-facts §4.2 [3P]; SE title is [UNCONFIRMED])

    @property
    def is_se(self) -> bool:
        return self.build.is_se

    @property
    def log_product(self) -> str:
        """Name in the log banner `Starting Microsoft Exchange Server <x> Setup` (exchange-facts §4.2 [S2 regex])."""
        return "Subscription Edition" if self.is_se else "2019"

    @property
    def edition_family(self) -> str:
        return "Exchange Server SE" if self.is_se else "Exchange Server 2019"

    # --- switch and prerequisite facts that depend on the build -------------------------------------------------
    @property
    def diagnostic_data_license_switches(self) -> bool:
        """`/IAcceptExchangeServerLicenseTerms_DiagnosticDataON|OFF` exist from CU11 (exchange-facts §1.1 [S1, S7])."""
        return self.build >= CU11_BUILD

    @property
    def legacy_license_switch(self) -> bool:
        """Legacy `/IAcceptExchangeServerLicenseTerms` works only up to CU10 (exchange-facts §1.1 [S1])."""
        return self.build < CU11_BUILD

    @property
    def extended_protection_switches(self) -> bool:
        """`/DoNotEnableEP`, `/DoNotEnableEP_FEEWS`: Exchange 2019 CU14 or later (exchange-facts §1.3 [S1])."""
        return self.build >= RELEASES["2019-CU14"].build

    @property
    def requires_url_rewrite(self) -> bool:
        """IIS URL Rewrite is a Mailbox prerequisite since the Sept-2021 CUs = 2019 CU11 (exchange-facts §2.3 [S6])."""
        return self.build >= CU11_BUILD

    @property
    def has_flighting_service(self) -> bool:
        """MSExchangeFlighting exists from CU15 on (exchange-facts §5.2, [INFERRED])."""
        return self.build >= RELEASES["2019-CU15"].build

    def supports_os(self, os_build: int) -> bool:
        """WS2019 (17763): every CU; WS2022 (20348): CU12+; WS2025 (26100): CU15+ and SE (exchange-facts §2.1 [S6, S8, S4])."""
        if os_build >= OS_WS2025:
            return self.build >= RELEASES["2019-CU15"].build
        if os_build >= OS_WS2022:
            return self.build >= RELEASES["2019-CU12"].build
        return os_build >= OS_WS2019


# OS builds used for detection (exchange-facts §2.1 [S4 l.409-412]).
OS_WS2019 = 17763
OS_WS2022 = 20348
OS_WS2025 = 26100

# .NET Framework 4.x `Release` DWORD thresholds (exchange-facts §2.2 [S2 Get-NETFrameworkVersion.ps1]).
NET48_RELEASE = 528040
NET481_RELEASE = 533320

CU11_BUILD = Build(15, 2, 986, 5)

_RAW = (
    # key, product name (CSV), build, date, KB, CU, (rangeUpper, objectVersion Default, objectVersion Config)
    ("2019-CU10", "Exchange 2019 CU10", "15.2.922.7", date(2021, 6, 29), "KB5003612", 10, (17003, 13241, 16758)),
    ("2019-CU11", "Exchange 2019 CU11", "15.2.986.5", date(2021, 9, 28), "KB5005334", 11, (17003, 13242, 16759)),
    ("2019-CU12", "Exchange 2019 CU12", "15.2.1118.7", date(2022, 4, 20), "KB5011156", 12, (17003, 13243, 16760)),
    ("2019-CU13", "Exchange 2019 CU13 (2023H1)", "15.2.1258.12", date(2023, 5, 3), "KB5020999", 13, (17003, 13243, 16761)),
    ("2019-CU14", "Exchange 2019 CU14", "15.2.1544.4", date(2024, 2, 13), "KB5035606", 14, (17003, 13243, 16762)),
    ("2019-CU15", "Exchange 2019 CU15", "15.2.1748.10", date(2025, 2, 10), "KB5042461", 15, (17003, 13243, 16763)),
    ("SE-RTM", "Exchange SE RTM", "15.2.2562.17", date(2025, 7, 1), "KB5047155", None, (17003, 13243, 16763)),
)


def _title(cu: int | None) -> str:
    if cu is None:
        return "Microsoft Exchange Server Subscription Edition Unattended Setup"  # [UNCONFIRMED] exchange-facts §7
    return f"Microsoft Exchange Server 2019 Cumulative Update {cu} Unattended Setup"


RELEASES: dict[str, Release] = {
    key: Release(key, name, Build.parse(build), day, kb, cu, AdLevels(*levels), _title(cu))
    for key, name, build, day, kb, cu, levels in _RAW
}


def release_for_build(build: Build | str) -> Release | None:
    """The CU/RTM release whose baseline build is `build` (exact major.minor.build; the revision may be an SU's)."""
    b = build if isinstance(build, Build) else Build.parse(build)
    for release in RELEASES.values():
        if release.build.same_cu(b):
            return release
    return None


def upgrade_allowed(installed: Build, target: Release) -> tuple[bool, str]:
    """Whether `/Mode:Upgrade` from `installed` to `target` is a supported path, with the reason when not.

    Within Exchange 2019 any later CU is an upgrade; 2019 -> SE only from CU14 or CU15 (exchange-facts §1.3
    "Modes of Exchange Server Setup", "Upgrading to SE" [S1]). Same build or older media is not an upgrade.
    """
    if target.build.same_cu(installed):
        return False, "same"  # same CU (an SU only changes the revision)
    if target.build < installed:
        return False, "downgrade"
    if target.is_se and not installed.is_se and installed < RELEASES["2019-CU14"].build:
        return False, "unsupported-path"
    return True, ""
