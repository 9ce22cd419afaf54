# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a server needs: Windows features, prerequisite software, hardware and file systems."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import features, hardware, prerequisites, vocabulary


def test_core_and_desktop_differ_by_the_three_documented_features():
    desktop = features.windows_features("Mailbox", "DesktopExperience")
    core = features.windows_features("mb", "Server Core")
    assert len(desktop) == 37 and len(core) == 34
    assert set(desktop) - set(core) == {"RSAT-Clustering-Mgmt", "Web-Mgmt-Console", "Windows-Identity-Foundation"}
    assert set(core) <= set(desktop)
    assert "Server-Media-Foundation" in core and "RSAT-ADDS" in core
    assert "Web-Lgcy-Mgmt-Console" not in desktop


def test_edge_and_tools_features():
    assert features.windows_features("EdgeTransport", "core") == ("ADLDS",)
    assert features.windows_features("ManagementTools", "desktop") == ("Web-Mgmt-Console", "Web-Metabase")
    assert features.windows_features("t", "core") == ("Web-Metabase",)


@pytest.mark.parametrize("role, kind", [("Hub", "desktop"), ("Mailbox", "nano")])
def test_unknown_words_are_refused(role, kind):
    with pytest.raises(ValueError):
        features.windows_features(role, kind)


def test_vocabulary():
    assert vocabulary.normalize_role("et") == "EdgeTransport"
    assert vocabulary.normalize_installation_type("Server") == "DesktopExperience"
    assert vocabulary.normalize_operation("/p".lstrip("/")) == "PrepareAD"
    assert vocabulary.normalize_operation("recover server") == "RecoverServer"


def _keys(items):
    return [item.key for item in items]


def test_mailbox_prerequisites_cu11_and_later():
    items = prerequisites.required_prerequisites("15.2.1748.10", 20348, "Desktop", "Mailbox")
    assert _keys(items) == ["dotnet", "vcredist2012", "vcredist2013", "ucma4", "urlrewrite21"]
    ucma = items[3]
    assert ucma.depends_on_features == ("Server-Media-Foundation",) and not ucma.media_only
    assert ucma.readiness_rules == ("UcmaRedistMsi",)


def test_url_rewrite_only_from_cu11():
    assert "urlrewrite21" not in _keys(prerequisites.required_prerequisites("15.2.922.7", 17763, "Desktop", "Mailbox"))


def test_ucma_comes_from_the_media_on_server_core():
    ucma = next(item for item in prerequisites.required_prerequisites("15.2.2562.17", 26100, "ServerCore", "Mailbox")
                if item.key == "ucma4")
    assert ucma.media_only and ucma.media_installer.startswith("UCMARedist")


@pytest.mark.parametrize("role", ["EdgeTransport", "ManagementTools"])
def test_edge_and_tools_need_dotnet_and_vc2012_only(role):
    assert _keys(prerequisites.required_prerequisites("15.2.1748.10", 17763, "core", role)) == ["dotnet", "vcredist2012"]


def test_prerequisites_carry_detection_data():
    items = prerequisites.required_prerequisites("15.2.1544.4", 17763, "Desktop", "Mailbox")
    dotnet = items[0]
    assert dotnet.probes[0].value == "Release" and dotnet.probes[0].expected == 528040
    assert "533320" in dotnet.note                     # CU14 on WS2019: 4.8.1 must not be installed
    vc2012, vc2013 = items[1], items[2]
    # The x64 runtime only (64-bit view, "x64" in the name), at SetupAssist's VersionIdentifier or later (issue 14, item 6).
    assert vc2012.probes[0].expected == 184610406 and vc2012.probes[0].display_name_like == "Microsoft Visual C++ 2012 x64*"
    assert vc2012.probes[0].registry_view == "64"
    assert vc2013.probes[0].expected == 201367256
    runtime = [probe for probe in vc2013.probes if r"VisualStudio\12.0\VC\Runtimes\x64" in probe.path]
    assert runtime and all(probe.value == "Bld" and probe.check == "at_least" and probe.expected == 40664 for probe in runtime)
    assert items[4].product_code == "{9BCA2118-F753-4A1E-BCF3-5A820729965C}"
    for item in items:
        assert item.probes and item.source


def test_hardware_requirements():
    mailbox = hardware.hardware_requirements("Mailbox")
    memory = mailbox.get("memory")
    assert memory.minimum == 128 * 1024 and not memory.blocking
    assert mailbox.get("install_drive_free").minimum == 30 * 1024 and mailbox.get("install_drive_free").blocking
    assert mailbox.get("system_drive_free").minimum == 200
    assert mailbox.get("queue_drive_free").minimum == 500
    assert hardware.hardware_requirements("Edge").get("memory").minimum == 64 * 1024
    tools = hardware.hardware_requirements("ManagementTools")
    assert tools.get("memory") is None and tools.get("queue_drive_free") is None


def test_pagefile_is_a_quarter_of_memory():
    assert hardware.recommended_pagefile_mb(131072) == 32768
    with pytest.raises(ValueError):
        hardware.recommended_pagefile_mb(0)


def test_file_systems():
    assert hardware.file_system_allowed("mailbox_database", "ReFS")
    assert hardware.file_system_allowed("transaction_logs", "refs")
    assert not hardware.file_system_allowed("transport_database", "ReFS")
    assert not hardware.file_system_allowed("exchange_binaries", "ReFS")
    assert hardware.file_system_allowed("system_partition", "NTFS")
    with pytest.raises(ValueError):
        hardware.file_system_allowed("backups", "NTFS")
