# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Supported Windows Server per build, .NET per build and OS, and where the facts come from."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import dotnet, platforms, sources


@pytest.mark.parametrize("value, key", [
    (17763, "WS2019"), ("20348", "WS2022"), ("10.0.26100", "WS2025"), ("10.0.20348.2340", "WS2022"),
    ("WS2019", "WS2019"), ("Windows Server 2025", "WS2025"), (2022, "WS2022"),
])
def test_os_from_build(value, key):
    assert platforms.os_from_build(value).key == key


@pytest.mark.parametrize("value", [19041, "10.0.18363", "Windows 11", "", None, True])
def test_unsupported_or_unknown_os(value):
    assert platforms.os_from_build(value) is None


@pytest.mark.parametrize("build, expected", [
    ("15.2.922.7", ["WS2019"]),                       # CU10
    ("15.2.1118.7", ["WS2019", "WS2022"]),            # CU12 brought WS2022
    ("15.2.1544.44", ["WS2019", "WS2022"]),           # CU14: still no WS2025
    ("15.2.1748.10", ["WS2019", "WS2022", "WS2025"]),  # CU15 brought WS2025
    ("15.02.1748.008", ["WS2019", "WS2022", "WS2025"]),
    ("15.2.2562.17", ["WS2019", "WS2022", "WS2025"]),  # SE
    ("15.1.2507.6", []),
])
def test_supported_os(build, expected):
    assert [server.key for server in platforms.supported_os(build)] == expected


def test_ws2025_needs_cu15_or_later():
    assert not platforms.is_os_supported("15.2.1544.44", 26100)
    assert platforms.is_os_supported("15.2.1748.10", 26100)
    assert platforms.is_os_supported("15.2.2562.17", "10.0.26100")


def test_cu14_on_ws2019_needs_48_not_481():
    requirement = dotnet.required_dotnet_release("15.2.1544.4", 17763)
    assert requirement.supported_versions == ("4.8",)
    assert requirement.minimum_release == 528040
    assert requirement.accepts(528049)          # 4.8 as Windows Server 2019 reports it
    assert not requirement.accepts(533320)      # 4.8.1 refused
    assert not requirement.accepts(461814)      # 4.7.2 refused


def test_cu14_on_ws2022_recommends_481_and_accepts_48():
    requirement = dotnet.required_dotnet_release("15.2.1544.4", "10.0.20348")
    assert requirement.recommended_version == "4.8.1" and requirement.recommended_release == 533320
    assert requirement.accepts(528372) and requirement.accepts(533325)


@pytest.mark.parametrize("build, os_build", [("15.2.1258.12", 20348), ("15.2.1118.7", 20348), ("15.2.922.7", 17763)])
def test_before_cu14_only_48(build, os_build):
    requirement = dotnet.required_dotnet_release(build, os_build)
    assert requirement.supported_versions == ("4.8",) and not requirement.accepts(533320)


def test_se_dotnet():
    assert dotnet.required_dotnet_release("15.2.2562.17", 26100).supported_versions == ("4.8", "4.8.1")
    assert dotnet.required_dotnet_release("15.2.2562.17", 17763).supported_versions == ("4.8",)
    # Unknown OS: the stricter rule.
    assert dotnet.required_dotnet_release("15.2.2562.17", None).supported_versions == ("4.8",)


def test_dotnet_version_of():
    assert [dotnet.dotnet_version_of(value) for value in (None, 461814, 528040, 528449, 533320)] == [
        "older than 4.8", "older than 4.8", "4.8", "4.8", "4.8.1"]


def test_notes_cite_known_sources_and_say_what_they_are():
    assert {f"S{number}" for number in range(1, 14)} == set(sources.SOURCES)
    assert sources.CATALOGUE_NOTES
    for note in sources.CATALOGUE_NOTES:
        assert note.source in sources.SOURCES
        assert note.status in ("corrected", "flagged", "inferred")
        assert note.text and note.topic
    assert sources.notes_about("file_system")[0].status == "corrected"
