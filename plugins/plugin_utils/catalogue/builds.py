# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every Exchange 2019 CU10+ and Exchange SE build, and the questions asked about a build.

The rows are Microsoft's build list (Get-ExchangeBuildNumber, source S3) as the project's
reference table holds it, embedded here because the reference folder is not shipped with
the collection. A build is either a baseline (a CU, or SE RTM: what setup media carries)
or an update (SU/HU: an .msp on top of a baseline). Rules about features and support are
keyed on the baseline's *family* (major.minor.build), so unknown SUs of a known CU and the
CU15 ExSetup revision mismatch (see CATALOGUE_NOTES) are still classified correctly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import (
    Version,
    VersionInput,
    family,
    format_version,
    parse_version,
    try_parse_version,
)

LINE_2013 = "2013"
LINE_2016 = "2016"
LINE_2019 = "2019"
LINE_SE = "SE"

PRODUCT_NAMES = {
    LINE_2013: "Exchange Server 2013",
    LINE_2016: "Exchange Server 2016",
    LINE_2019: "Exchange Server 2019",
    LINE_SE: "Exchange Server Subscription Edition (SE)",
}

# CSS-Exchange classifies 15.2 builds from 2562 on as SE [S2 Get-ExchangeBuildVersionInformation.ps1].
SE_FIRST_BUILD = 2562

# (product name as Microsoft writes it, build, release date, KB, announcement) [S3]
_ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Exchange 2019 CU10", "15.2.922.7", "2021-06-29", "KB5003612",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-june-2021-quarterly-exchange-updates/ba-p/2459826"),
    ("Exchange 2019 CU10 Jul21SU", "15.2.922.13", "2021-07-13", "KB5004778",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-july-2021-exchange-server-security-updates/ba-p/2523421"),
    ("Exchange 2019 CU10 Oct21SU", "15.2.922.14", "2021-10-12", "KB5007011",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-october-2021-exchange-server-security-updates/ba-p/2838287"),
    ("Exchange 2019 CU10 Nov21SU", "15.2.922.19", "2021-11-09", "KB5007409",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-november-2021-exchange-server-security-updates/ba-p/2933169"),
    ("Exchange 2019 CU10 Jan22SU", "15.2.922.20", "2022-01-11", "KB5008631",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-january-2022-exchange-server-security-updates/ba-p/3050699"),
    ("Exchange 2019 CU10 Mar22SU", "15.2.922.27", "2022-03-08", "KB5010324",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-march-2022-exchange-server-security-updates/ba-p/3247586"),
    ("Exchange 2019 CU11", "15.2.986.5", "2021-09-28", "KB5005334",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-september-2021-quarterly-exchange-updates/ba-p/2779883"),
    ("Exchange 2019 CU11 Oct21SU", "15.2.986.9", "2021-10-12", "KB5007011",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-october-2021-exchange-server-security-updates/ba-p/2838287"),
    ("Exchange 2019 CU11 Nov21SU", "15.2.986.14", "2021-11-09", "KB5007409",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-november-2021-exchange-server-security-updates/ba-p/2933169"),
    ("Exchange 2019 CU11 Jan22SU", "15.2.986.15", "2022-01-11", "KB5008631",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-january-2022-exchange-server-security-updates/ba-p/3050699"),
    ("Exchange 2019 CU11 Mar22SU", "15.2.986.22", "2022-03-08", "KB5010324",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-march-2022-exchange-server-security-updates/ba-p/3247586"),
    ("Exchange 2019 CU11 May22SU", "15.2.986.26", "2022-05-10", "KB5014261",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-may-2022-exchange-server-security-updates/ba-p/3301831"),
    ("Exchange 2019 CU11 Aug22SU", "15.2.986.29", "2022-08-09", "KB5015321",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-august-2022-exchange-server-security-updates/ba-p/3593862"),
    ("Exchange 2019 CU11 Oct22SU", "15.2.986.30", "2022-10-11", "KB5019076",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-october-2022-exchange-server-security-updates/ba-p/3646263"),
    ("Exchange 2019 CU11 Nov22SU", "15.2.986.36", "2022-11-08", "KB5019758",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-november-2022-exchange-server-security-updates/ba-p/3669045"),
    ("Exchange 2019 CU11 Jan23SU", "15.2.986.37", "2023-01-10", "KB5022188",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-january-2023-exchange-server-security-updates/ba-p/3711808"),
    ("Exchange 2019 CU11 Feb23SU", "15.2.986.41", "2023-02-14", "KB5023038",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-february-2023-exchange-server-security-updates/ba-p/3741058"),
    ("Exchange 2019 CU11 Mar23SU", "15.2.986.42", "2023-03-14", "KB5024296",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-march-2023-exchange-server-security-updates/ba-p/3764224"),
    ("Exchange 2019 CU12", "15.2.1118.7", "2022-04-20", "KB5011156",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-2022-h1-cumulative-updates-for-exchange-server/ba-p/3285026"),
    ("Exchange 2019 CU12 May22SU", "15.2.1118.9", "2022-05-10", "KB5014261",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-may-2022-exchange-server-security-updates/ba-p/3301831"),
    ("Exchange 2019 CU12 Aug22SU", "15.2.1118.12", "2022-08-09", "KB5015321",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-august-2022-exchange-server-security-updates/ba-p/3593862"),
    ("Exchange 2019 CU12 Oct22SU", "15.2.1118.15", "2022-10-11", "KB5019076",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-october-2022-exchange-server-security-updates/ba-p/3646263"),
    ("Exchange 2019 CU12 Nov22SU", "15.2.1118.20", "2022-11-08", "KB5019758",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-november-2022-exchange-server-security-updates/ba-p/3669045"),
    ("Exchange 2019 CU12 Jan23SU", "15.2.1118.21", "2023-01-10", "KB5022188",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-january-2023-exchange-server-security-updates/ba-p/3711808"),
    ("Exchange 2019 CU12 Feb23SU", "15.2.1118.25", "2023-02-14", "KB5023038",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-february-2023-exchange-server-security-updates/ba-p/3741058"),
    ("Exchange 2019 CU12 Mar23SU", "15.2.1118.26", "2023-03-14", "KB5024296",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-march-2023-exchange-server-security-updates/ba-p/3764224"),
    ("Exchange 2019 CU12 Jun23SU", "15.2.1118.30", "2023-06-13", "KB5026261",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-june-2023-exchange-server-security-updates/ba-p/3845326"),
    ("Exchange 2019 CU12 Aug23SU", "15.2.1118.36", "2023-08-08", "KB5029388",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-august-2023-exchange-server-security-updates/ba-p/3892811"),
    ("Exchange 2019 CU12 Aug23SUv2", "15.2.1118.37", "2023-08-15", "KB5030524",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/re-release-of-august-2023-exchange-server-security-update/ba-p/3900025"),
    ("Exchange 2019 CU12 Oct23SU", "15.2.1118.39", "2023-10-10", "KB5030877",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-october-2023-exchange-server-security-updates/ba-p/3950647"),
    ("Exchange 2019 CU12 Nov23SU", "15.2.1118.40", "2023-11-14", "KB5032146",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-november-2023-exchange-server-security-updates/ba-p/3980209"),
    ("Exchange 2019 CU13 (2023H1)", "15.2.1258.12", "2023-05-03", "KB5020999",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-2023-h1-cumulative-update-for-exchange-server/ba-p/3805213"),
    ("Exchange 2019 CU13 Jun23SU", "15.2.1258.16", "2023-06-13", "KB5026261",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-june-2023-exchange-server-security-updates/ba-p/3845326"),
    ("Exchange 2019 CU13 Aug23SU", "15.2.1258.23", "2023-08-08", "KB5029388",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-august-2023-exchange-server-security-updates/ba-p/3892811"),
    ("Exchange 2019 CU13 Aug23SUv2", "15.2.1258.25", "2023-08-15", "KB5030524",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/re-release-of-august-2023-exchange-server-security-update/ba-p/3900025"),
    ("Exchange 2019 CU13 Oct23SU", "15.2.1258.27", "2023-10-10", "KB5030877",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-october-2023-exchange-server-security-updates/ba-p/3950647"),
    ("Exchange 2019 CU13 Nov23SU", "15.2.1258.28", "2023-11-14", "KB5032146",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-november-2023-exchange-server-security-updates/ba-p/3980209"),
    ("Exchange 2019 CU13 Mar24SU", "15.2.1258.32", "2024-03-12", "KB5036386",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-march-2024-exchange-server-security-updates/ba-p/4075348"),
    ("Exchange 2019 CU13 Apr24HU", "15.2.1258.34", "2024-04-23", "KB5037224",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-april-2024-exchange-server-hotfix-updates/ba-p/4120536"),
    ("Exchange 2019 CU13 Nov24SU", "15.2.1258.38", "2024-11-12", "KB5044062",
     "https://techcommunity.microsoft.com/blog/exchange/released-november-2024-exchange-server-security-updates/4293125"),
    ("Exchange 2019 CU13 Nov24SUv2", "15.2.1258.39", "2024-11-27", "KB5049233",
     "https://techcommunity.microsoft.com/blog/exchange/re-release-of-november-2024-exchange-server-security-update-packages/4341892"),
    ("Exchange 2019 CU14", "15.2.1544.4", "2024-02-13", "KB5035606",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-2024-h1-cumulative-update-for-exchange-server/ba-p/4047506"),
    ("Exchange 2019 CU14 Mar24SU", "15.2.1544.9", "2024-03-12", "KB5036386",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-march-2024-exchange-server-security-updates/ba-p/4075348"),
    ("Exchange 2019 CU14 Apr24HU", "15.2.1544.11", "2024-04-23", "KB5037224",
     "https://techcommunity.microsoft.com/t5/exchange-team-blog/released-april-2024-exchange-server-hotfix-updates/ba-p/4120536"),
    ("Exchange 2019 CU14 Nov24SU", "15.2.1544.13", "2024-11-12", "KB5044062",
     "https://techcommunity.microsoft.com/blog/exchange/released-november-2024-exchange-server-security-updates/4293125"),
    ("Exchange 2019 CU14 Nov24SUv2", "15.2.1544.14", "2024-11-27", "KB5049233",
     "https://techcommunity.microsoft.com/blog/exchange/re-release-of-november-2024-exchange-server-security-update-packages/4341892"),
    ("Exchange 2019 CU14 Apr25HU", "15.2.1544.25", "2025-04-18", "KB5050673",
     "https://techcommunity.microsoft.com/blog/exchange/released-april-2025-exchange-server-hotfix-updates/4402471"),
    ("Exchange 2019 CU14 May25HU", "15.2.1544.27", "2025-05-29", "KB5057652",
     "https://techcommunity.microsoft.com/blog/exchange/released-may-2025-exchange-server-hotfix-updates/4418786"),
    ("Exchange 2019 CU14 Aug25SU", "15.2.1544.33", "2025-08-12", "KB5063222",
     "https://techcommunity.microsoft.com/blog/exchange/released-august-2025-exchange-server-security-updates/4441596"),
    ("Exchange 2019 CU14 Sep25HU", "15.2.1544.34", "2025-09-08", "KB5066371",
     "https://techcommunity.microsoft.com/blog/exchange/released-september-2025-exchange-server-hotfix-updates/4448721"),
    ("Exchange 2019 CU14 Oct25SU", "15.2.1544.36", "2025-10-14", "KB5066368",
     "https://techcommunity.microsoft.com/blog/exchange/released-october-2025-exchange-server-security-updates/4461276"),
    ("Exchange 2019 CU14 Dec25SU", "15.2.1544.37", "2025-12-09", "KB5071874",
     "https://techcommunity.microsoft.com/blog/exchange/released-december-2025-exchange-server-security-updates/4474949"),
    ("Exchange 2019 CU14 Feb26SU", "15.2.1544.39", "2026-02-10", "KB5074994",
     "https://techcommunity.microsoft.com/blog/exchange/released-february-2026-exchange-server-security-updates/4494076"),
    ("Exchange 2019 CU14 Jun26SU", "15.2.1544.41", "2026-06-09", "KB5094142",
     "https://techcommunity.microsoft.com/blog/exchange/released-june-2026-exchange-server-security-updates/4524491"),
    ("Exchange 2019 CU14 Jul26SU", "15.2.1544.43", "2026-07-14", "KB5103214",
     "https://techcommunity.microsoft.com/blog/exchange/released-july-2026-exchange-server-security-updates/4534146"),
    ("Exchange 2019 CU14 Aug26SU", "15.2.1544.44", "2026-08-11", "KB5121575",
     "https://techcommunity.microsoft.com/blog/exchange/released-august-2026-exchange-server-security-updates/4543951"),
    ("Exchange 2019 CU15", "15.2.1748.10", "2025-02-10", "KB5042461",
     "https://techcommunity.microsoft.com/blog/exchange/released-2025-h1-cumulative-update-for-exchange-server/4362055"),
    ("Exchange 2019 CU15 Apr25HU", "15.2.1748.24", "2025-04-18", "KB5050672",
     "https://techcommunity.microsoft.com/blog/exchange/released-april-2025-exchange-server-hotfix-updates/4402471"),
    ("Exchange 2019 CU15 May25HU", "15.2.1748.26", "2025-05-29", "KB5057651",
     "https://techcommunity.microsoft.com/blog/exchange/released-may-2025-exchange-server-hotfix-updates/4418786"),
    ("Exchange 2019 CU15 Aug25SU", "15.2.1748.36", "2025-08-12", "KB5063221",
     "https://techcommunity.microsoft.com/blog/exchange/released-august-2025-exchange-server-security-updates/4441596"),
    ("Exchange 2019 CU15 Sep25HU", "15.2.1748.37", "2025-09-08", "KB5066372",
     "https://techcommunity.microsoft.com/blog/exchange/released-september-2025-exchange-server-hotfix-updates/4448721"),
    ("Exchange 2019 CU15 Oct25SU", "15.2.1748.39", "2025-10-14", "KB5066367",
     "https://techcommunity.microsoft.com/blog/exchange/released-october-2025-exchange-server-security-updates/4461276"),
    ("Exchange 2019 CU15 Dec25SU", "15.2.1748.42", "2025-12-09", "KB5071875",
     "https://techcommunity.microsoft.com/blog/exchange/released-december-2025-exchange-server-security-updates/4474949"),
    ("Exchange 2019 CU15 Feb26SU", "15.2.1748.43", "2026-02-10", "KB5074993",
     "https://techcommunity.microsoft.com/blog/exchange/released-february-2026-exchange-server-security-updates/4494076"),
    ("Exchange 2019 CU15 Jun26SU", "15.2.1748.46", "2026-06-09", "KB5094140",
     "https://techcommunity.microsoft.com/blog/exchange/released-june-2026-exchange-server-security-updates/4524491"),
    ("Exchange 2019 CU15 Jul26SU", "15.2.1748.48", "2026-07-14", "KB5103213",
     "https://techcommunity.microsoft.com/blog/exchange/released-july-2026-exchange-server-security-updates/4534146"),
    ("Exchange 2019 CU15 Aug26SU", "15.2.1748.49", "2026-08-11", "KB5121574",
     "https://techcommunity.microsoft.com/blog/exchange/released-august-2026-exchange-server-security-updates/4543951"),
    ("Exchange SE RTM", "15.2.2562.17", "2025-07-01", "KB5047155",
     "https://techcommunity.microsoft.com/blog/exchange/exchange-server-subscription-edition-se-is-now-available/4424924"),
    ("Exchange SE RTM Aug25SU", "15.2.2562.20", "2025-08-12", "KB5063224",
     "https://techcommunity.microsoft.com/blog/exchange/released-august-2025-exchange-server-security-updates/4441596"),
    ("Exchange SE RTM Sep25HU", "15.2.2562.27", "2025-09-08", "KB5066373",
     "https://techcommunity.microsoft.com/blog/exchange/released-september-2025-exchange-server-hotfix-updates/4448721"),
    ("Exchange SE RTM Oct25SU", "15.2.2562.29", "2025-10-14", "KB5066366",
     "https://techcommunity.microsoft.com/blog/exchange/released-october-2025-exchange-server-security-updates/4461276"),
    ("Exchange SE RTM Dec25SU", "15.2.2562.35", "2025-12-09", "KB5071876",
     "https://techcommunity.microsoft.com/blog/exchange/released-december-2025-exchange-server-security-updates/4474949"),
    ("Exchange SE RTM Feb26SU", "15.2.2562.37", "2026-02-10", "KB5074992",
     "https://techcommunity.microsoft.com/blog/exchange/released-february-2026-exchange-server-security-updates/4494076"),
    ("Exchange SE RTM May26HU", "15.2.2562.41", "2026-05-07", "KB5081755",
     "https://techcommunity.microsoft.com/blog/exchange/released-may-2026-exchange-server-hotfix-update/4517516"),
    ("Exchange SE RTM Jun26SU", "15.2.2562.43", "2026-06-09", "KB5094139",
     "https://techcommunity.microsoft.com/blog/exchange/released-june-2026-exchange-server-security-updates/4524491"),
    ("Exchange SE RTM Jul26SU", "15.2.2562.45", "2026-07-14", "KB5103212",
     "https://techcommunity.microsoft.com/blog/exchange/released-july-2026-exchange-server-security-updates/4534146"),
    ("Exchange SE RTM Aug26SU", "15.2.2562.46", "2026-08-11", "KB5121573",
     "https://techcommunity.microsoft.com/blog/exchange/released-august-2026-exchange-server-security-updates/4543951"),
)

_NAME = re.compile(r"^Exchange (?P<line>2019|SE) (?P<cu>CU\d+|RTM)(?: \(\d{4}H\d\))?(?: (?P<update>\w+))?$")


@dataclass(frozen=True)
class Build:
    """One row of Microsoft's build list."""

    name: str
    version: Version
    released: date
    kb: str
    url: str
    line: str
    cu: str
    update: str
    source: str = "S3"

    @property
    def kind(self) -> str:
        """`CU` or `RTM` for setup media; `SU` (security) or `HU` (hotfix) for an update package."""
        if not self.update:
            return self.cu if self.cu == "RTM" else "CU"
        return "HU" if "HU" in self.update else "SU"

    @property
    def is_baseline(self) -> bool:
        """True for the builds that setup media carries (a CU, or SE RTM)."""
        return not self.update

    @property
    def product(self) -> str:
        return PRODUCT_NAMES[self.line]

    @property
    def label(self) -> str:
        """Short human label: `2019 CU14`, `SE RTM`, `2019 CU14 Aug26SU`."""
        return " ".join(part for part in (self.line, self.cu, self.update) if part)

    @property
    def version_text(self) -> str:
        return format_version(self.version)


def _build_from_row(row: tuple[str, str, str, str, str]) -> Build:
    name, number, released, kb, url = row
    match = _NAME.match(name)
    if not match:
        raise ValueError(f"unexpected product name in the build table: {name!r}")
    return Build(name=name, version=parse_version(number), released=date.fromisoformat(released), kb=kb, url=url,
                 line=LINE_SE if match["line"] == "SE" else LINE_2019, cu=match["cu"], update=match["update"] or "")


BUILDS: tuple[Build, ...] = tuple(sorted((_build_from_row(row) for row in _ROWS), key=lambda build: build.version))
BASELINES: tuple[Build, ...] = tuple(build for build in BUILDS if build.is_baseline)
_BY_VERSION = {build.version: build for build in BUILDS}
_BASELINE_BY_FAMILY = {family(build.version): build for build in BASELINES}
_BASELINE_BY_LABEL = {build.label: build for build in BASELINES}


def baseline(label: str) -> Build:
    """A CU or SE RTM by label (`2019 CU14`, `SE RTM`); KeyError for an unknown label."""
    return _BASELINE_BY_LABEL[label]


CU10 = baseline("2019 CU10").version
CU11 = baseline("2019 CU11").version
CU12 = baseline("2019 CU12").version
CU13 = baseline("2019 CU13").version
CU14 = baseline("2019 CU14").version
CU15 = baseline("2019 CU15").version
SE_RTM = baseline("SE RTM").version


def product_line(version: VersionInput) -> str:
    """`2013`, `2016`, `2019`, `SE`, or `unknown` for anything that is not Exchange 15.x."""
    parsed = try_parse_version(version)
    if parsed is None or parsed[0] != 15:
        return "unknown"
    if parsed[1] == 0:
        return LINE_2013
    if parsed[1] == 1:
        return LINE_2016
    if parsed[1] == 2:
        return LINE_SE if parsed[2] >= SE_FIRST_BUILD else LINE_2019
    return "unknown"


def is_se(version: VersionInput) -> bool:
    """True for Exchange Server Subscription Edition builds (15.2.2562 and later)."""
    return product_line(version) == LINE_SE


def build_info(version: VersionInput) -> Build | None:
    """The table row for exactly this build, or None when Microsoft's list doesn't have it."""
    parsed = try_parse_version(version)
    return _BY_VERSION.get(parsed) if parsed else None


def base_cu_of(version: VersionInput) -> Build | None:
    """The CU (or SE RTM) a build belongs to: `15.2.1544.44` -> 2019 CU14.

    Works for builds missing from the table as long as their CU is in it (a newer SU, or
    ExSetup's 15.2.1748.8 for CU15); None for a CU older than CU10 or not yet listed.
    """
    parsed = try_parse_version(version)
    return _BASELINE_BY_FAMILY.get(family(parsed)) if parsed else None


def at_least(version: VersionInput, reference: Version) -> bool:
    """True when `version`'s CU family is `reference`'s or later (so SE counts as 'CU14 or later').

    Families, not full builds, are compared so that any SU of a CU, or a setup binary whose
    revision differs from Microsoft's list, gets the rules of its CU.
    """
    parsed = try_parse_version(version)
    return parsed is not None and family(parsed) >= family(reference)


def updates_of(cu: Build) -> tuple[Build, ...]:
    """The SUs/HUs released for a CU, oldest first."""
    return tuple(build for build in BUILDS if not build.is_baseline and family(build.version) == family(cu.version))


def latest_build_of(version: VersionInput) -> Build | None:
    """The newest listed build (SU/HU included) of the CU that `version` belongs to."""
    cu = base_cu_of(version)
    if cu is None:
        return None
    return (updates_of(cu) or (cu,))[-1]
