# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Windows Server releases each Exchange build supports.

Windows Server 2019 is supported by every Exchange 2019 CU; 2022 arrived with CU12 and
2025 with CU15; Exchange SE supports all three [S1 supportability matrix; S6; S8]. Hosts
are identified by their OS build number, the one value every gathering method agrees on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import (
    CU12,
    CU15,
    LINE_2019,
    LINE_SE,
    at_least,
    product_line,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import VersionInput


@dataclass(frozen=True)
class WindowsServer:
    """A Windows Server release Exchange 2019/SE can run on."""

    key: str
    name: str
    build: int
    source: str = "S4"

    @property
    def version(self) -> str:
        return f"10.0.{self.build}"


# Which release supports which build [S1 supportability matrix; S6 2022 matrix; S8 roadmap blog];
# the build numbers themselves are the ones Install-Exchange15 detects [S4].
SUPPORT_SOURCES = ("S1", "S6", "S8")

WS2019 = WindowsServer("WS2019", "Windows Server 2019", 17763)
WS2022 = WindowsServer("WS2022", "Windows Server 2022", 20348)
WS2025 = WindowsServer("WS2025", "Windows Server 2025", 26100)
WINDOWS_SERVERS = (WS2019, WS2022, WS2025)

_BY_BUILD = {server.build: server for server in WINDOWS_SERVERS}
_BY_NAME = {server.key.lower(): server for server in WINDOWS_SERVERS}
_BY_NAME.update({server.name.lower(): server for server in WINDOWS_SERVERS})
_BY_NAME.update({server.name[-4:]: server for server in WINDOWS_SERVERS})
_OS_VERSION = re.compile(r"^\s*10\.0\.(\d+)(?:\.\d+)?\s*$")


def os_from_build(os_build: object) -> WindowsServer | None:
    """The Windows Server release for `17763`, `"10.0.20348.2340"`, `"WS2025"`, `2022` or `"Windows Server 2022"`.

    Only the three release builds are recognised: semi-annual channel builds are not
    supported by Exchange, so they read as None rather than as the nearest release.
    """
    if isinstance(os_build, bool):
        return None
    text = str(os_build).strip()
    if text.isdigit():
        return _BY_BUILD.get(int(text)) or _BY_NAME.get(text)
    match = _OS_VERSION.match(text)
    if match:
        return _BY_BUILD.get(int(match.group(1)))
    return _BY_NAME.get(" ".join(text.lower().split()))


def supported_os(exchange_build: VersionInput) -> tuple[WindowsServer, ...]:
    """The Windows Server releases a build can be installed on (empty for 2013/2016/unknown)."""
    line = product_line(exchange_build)
    if line == LINE_SE:
        return WINDOWS_SERVERS
    if line != LINE_2019:
        return ()
    servers = [WS2019]
    if at_least(exchange_build, CU12):
        servers.append(WS2022)
    if at_least(exchange_build, CU15):
        servers.append(WS2025)
    return tuple(servers)


def is_os_supported(exchange_build: VersionInput, os_build: object) -> bool:
    """True when `os_build` is one of `supported_os(exchange_build)`."""
    server = os_from_build(os_build)
    return server is not None and server in supported_os(exchange_build)
