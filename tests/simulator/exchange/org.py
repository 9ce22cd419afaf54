"""The Active Directory side of Exchange: organization, AD preparation levels, server objects (exchange-facts §2.6).

One simulated forest per ExchangeModel (the simulator has a single Windows host; the DC is implied by
WindowsHost.domain). `rangeUpper`/objectVersion values are those /PrepareSchema and /PrepareAD write [S1].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
    # whenCreated of the server object: the day setup provisioned it, when the 180-day trial starts [S1 enter-product-key].
    when_created: datetime | None = None
    # Set-ExchangeServer -ProductKey was taken; the Information Store applies the edition's limits once restarted (the cmdlet
    # warns so: Strings.ProductKeyRestartWarning; "restart the Microsoft Exchange Information Store service" [S1]).
    store_restart_pending: bool = False


@dataclass
class DomainControllerObject:
    """A DC's computer object under `CN=Servers,CN=<site>,CN=Sites,<config NC>` with the attributes Windows writes on
    it: `operatingSystem` ("Windows Server 2022 Standard") and `operatingSystemVersion` ("10.0 (20348)")."""

    name: str  # "RPI-DC01"
    dns_host_name: str  # "RPI-DC01.rpi.gob.gt"
    operating_system: str = "Windows Server 2022 Standard"
    operating_system_version: str = "10.0 (20348)"
    site: str = "Default-First-Site-Name"


@dataclass
class Directory:
    """What of the forest the simulator needs beyond Exchange: the functional levels (msDS-Behavior-Version: 4 = 2008 R2,
    6 = 2012 R2, 7 = 2016), the DCs with their OS, and domain groups nested in other groups (a token holds every group
    reached through nesting, Windows' token-groups expansion). Empty `domain_controllers`: the host's own DC
    (WindowsHost.domain.dc_hostname) on Windows Server 2022."""

    forest_functional_level: int = 7
    domain_functional_level: int = 7
    domain_controllers: list[DomainControllerObject] = field(default_factory=list)
    nesting: dict[str, set[str]] = field(default_factory=dict)  # lower canonical group -> canonical groups it is in

    def expand(self, groups: set[str]) -> set[str]:
        """`groups` plus every group they are nested in, transitively."""
        out, todo = set(groups), list(groups)
        while todo:
            for parent in self.nesting.get(todo.pop().lower(), set()):
                if parent not in out:
                    out.add(parent)
                    todo.append(parent)
        return out


@dataclass
class ExchangeOrg:
    """The forest's Exchange state. Zero values mean "never prepared"."""

    name: str = ""
    schema_range_upper: int = 0
    org_object_version: int = 0
    domain_object_version: int = 0
    data_collection_enabled: bool | None = None  # set from the DiagnosticData licence switch [S4 CHANGELOG 3.6, 3P]
    servers: dict[str, ServerObject] = field(default_factory=dict)  # lower name -> object
    directory: Directory = field(default_factory=Directory)

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
