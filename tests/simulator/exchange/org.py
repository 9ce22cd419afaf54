"""The Active Directory side of Exchange: organization, AD preparation levels, server objects (exchange-facts §2.6).

One simulated forest per ExchangeModel (the simulator has a single Windows host; the DC is implied by
WindowsHost.domain). `rangeUpper`/objectVersion values are those /PrepareSchema and /PrepareAD write [S1].
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .builds import Build, Release


@dataclass
class ServerObject:
    """`CN=<name>,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),...` as Get-ExchangeServer sees it."""

    name: str  # NetBIOS host name, upper case as setup logs it
    fqdn: str
    build: Build
    roles: tuple[str, ...]  # log role names, e.g. ("BridgeheadRole", ..., "CafeRole")
    install_path: str
    edition: str = "StandardEvaluation"  # no product key: Trial, Standard-equivalent (exchange-facts §1.3 note [S1])
    product_key: str = ""
    site: str = "Default-First-Site-Name"
    component_states: dict[str, tuple[str, str]] = field(default_factory=dict)  # component -> (state, requester)


@dataclass
class ExchangeOrg:
    """The forest's Exchange state. Zero values mean "never prepared"."""

    name: str = ""
    schema_range_upper: int = 0
    org_object_version: int = 0
    domain_object_version: int = 0
    data_collection_enabled: bool | None = None  # set from the DiagnosticData licence switch [S4 CHANGELOG 3.6, 3P]
    servers: dict[str, ServerObject] = field(default_factory=dict)  # lower name -> object

    @property
    def exists(self) -> bool:
        return bool(self.name)

    def server(self, name: str) -> ServerObject | None:
        return self.servers.get(name.lower())

    def apply_schema(self, release: Release) -> None:
        self.schema_range_upper = max(self.schema_range_upper, release.ad.schema_range_upper)

    def apply_org(self, release: Release, name: str) -> None:
        """/PrepareAD (or setup's own organization preparation): creates the org, prepares the local domain."""
        self.name = self.name or name
        self.org_object_version = max(self.org_object_version, release.ad.org_object_version)
        self.domain_object_version = max(self.domain_object_version, release.ad.domain_object_version)

    def apply_domain(self, release: Release) -> None:
        self.domain_object_version = max(self.domain_object_version, release.ad.domain_object_version)

    @classmethod
    def prepared_for(cls, release: Release, name: str = "RPI") -> "ExchangeOrg":
        """An org whose schema, org and domain are at `release`'s levels."""
        org = cls(name)
        org.apply_schema(release)
        org.apply_org(release, name)
        return org
