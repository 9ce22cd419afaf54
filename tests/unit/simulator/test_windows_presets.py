"""Every preset builds quickly and has the properties its name promises."""

from __future__ import annotations

import pytest

from simulator.windows import presets
from simulator.windows.catalogue import NDP_FULL, STANDARD_INSTALLERS
from simulator.windows.features import exchange_features


@pytest.mark.parametrize("name", presets.names())
def test_preset_builds(name: str) -> None:
    host = presets.build(name)
    assert host.is_up() and host.hostname == "RPI-EXCH01"
    assert host.registry.get(r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion", "CurrentBuild") == str(host.os.build)
    if "-ready" in name:
        missing = [f for f in exchange_features(host.os.installation_type) if not host.feature_installed(f)]
        assert missing == []
        assert host.registry.get(NDP_FULL, "Release") >= 528040
    if "pending-reboot" not in name:
        assert host.pending_reboot() == []


@pytest.mark.parametrize("year,build", [(2019, 17763), (2022, 20348), (2025, 26100)])
def test_os_versions_and_dotnet(year: int, build: int) -> None:
    bare = presets.build(f"ws{year}-bare")
    ready = presets.build(f"ws{year}-core-ready")
    assert bare.os.build == build and ready.os.installation_type == "Server Core"
    # exchange-facts §2.2: 4.8 only on WS2019; 4.8.1 (>= 533320) on WS2022/2025
    assert (ready.registry.get(NDP_FULL, "Release") >= 533320) == (year != 2019)
    if year == 2019:
        assert bare.registry.get(NDP_FULL, "Release") < 528040
    assert not bare.feature_installed("Web-Server")


def test_variants() -> None:
    assert presets.build("ws2022-ready-low-ram").ram_bytes == 8 * presets.GB
    assert presets.build("ws2022-ready-low-disk").fs.volumes["C"].free < 30 * presets.GB  # §2.7 wants 30 GB
    wg = presets.build("ws2022-ready-workgroup")
    assert wg.domain is None and wg.find_account("RPI\\svc-exchange") is None and wg.fqdn == "RPI-EXCH01"
    dc = presets.build("ws2022-ready-domain-controller")
    assert dc.domain.is_domain_controller and dc.feature_installed("AD-Domain-Services")
    assert dc.find_account("Administrator").qualified == "RPI\\Administrator"  # DCs have no local SAM accounts
    share_only = presets.build("ws2022-bare-share-only")
    assert not share_only.fs.exists(presets.LOCAL_PREREQ_DIR + "\\ndp48-x86-x64-allos-enu.exe")
    for spec in STANDARD_INSTALLERS:
        assert share_only.fs.is_file(f"{presets.SHARE_PREREQ_DIR}\\{spec.file_name}")
    ready = presets.build("ws2022-ready")
    assert not ready.pagefile_automatic and ready.pagefiles[0].maximum_mb == 128 * 1024 // 4  # §2.7: 25 % of RAM


def test_unknown_preset() -> None:
    with pytest.raises(KeyError, match="unknown Windows preset"):
        presets.build("ws2016")
