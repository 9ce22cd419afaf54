# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The build table, version handling, product lines, upgrade paths and AD levels."""

from __future__ import annotations

from datetime import date

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import ad_versions, builds, upgrades, versions


def test_version_shapes_read_alike():
    assert versions.parse_version("15.2.1544.4") == (15, 2, 1544, 4)
    assert versions.parse_version("15.02.1544.004") == (15, 2, 1544, 4)
    assert versions.parse_version("Version 15.2 (Build 1544.4)") == (15, 2, 1544, 4)
    assert versions.parse_version("15.2.1544.4.") == (15, 2, 1544, 4)
    assert versions.parse_version((15, 2, 1544)) == (15, 2, 1544, 0)
    assert versions.format_long_version((15, 2, 986, 5)) == "15.02.0986.005"


@pytest.mark.parametrize("garbage", ["", "15.2", "abc", "15.2.x.4", None, 15.2, [1, 2]])
def test_garbage_versions(garbage):
    assert versions.try_parse_version(garbage) is None
    with pytest.raises(ValueError):
        versions.parse_version(garbage)


def test_table_holds_every_reference_row_sorted():
    assert len(builds.BUILDS) == 77
    assert [build.version for build in builds.BUILDS] == sorted(build.version for build in builds.BUILDS)
    assert [build.label for build in builds.BASELINES] == [
        "2019 CU10", "2019 CU11", "2019 CU12", "2019 CU13", "2019 CU14", "2019 CU15", "SE RTM"]
    assert all(build.source == "S3" and build.kb.startswith("KB") for build in builds.BUILDS)


def test_baselines_as_the_fact_sheet_lists_them():
    cu15 = builds.baseline("2019 CU15")
    assert (cu15.version_text, cu15.released, cu15.kb) == ("15.2.1748.10", date(2025, 2, 10), "KB5042461")
    se = builds.baseline("SE RTM")
    assert (se.version_text, se.released, se.kb, se.product) == (
        "15.2.2562.17", date(2025, 7, 1), "KB5047155", "Exchange Server Subscription Edition (SE)")


def test_every_update_has_its_cu_in_the_table():
    for build in builds.BUILDS:
        cu = builds.base_cu_of(build.version)
        assert cu is not None and cu.is_baseline and cu.cu == build.cu and cu.line == build.line
        assert build.kind in ("CU", "RTM", "SU", "HU")


def test_kinds_and_labels():
    assert builds.build_info("15.2.1544.25").kind == "HU"
    assert builds.build_info("15.2.1748.49").label == "2019 CU15 Aug26SU"
    assert builds.build_info("15.2.2562.17").kind == "RTM"
    assert builds.build_info("15.2.9999.1") is None


@pytest.mark.parametrize("version, label", [
    ("15.2.1544.44", "2019 CU14"),    # the latest CU14 SU
    ("15.2.1544.99", "2019 CU14"),    # an SU newer than the table
    ("15.02.1748.008", "2019 CU15"),  # CU15 as Install-Exchange15 expects ExSetup to report it
    ("15.2.2562.46", "SE RTM"),
])
def test_base_cu_of(version, label):
    assert builds.base_cu_of(version).label == label


def test_base_cu_of_unknown():
    assert builds.base_cu_of("15.2.858.5") is None      # 2019 CU9, before the table
    assert builds.base_cu_of("not a version") is None


@pytest.mark.parametrize("version, line", [
    ("15.0.1497.2", "2013"), ("15.1.2507.6", "2016"), ("15.2.1748.10", "2019"), ("15.2.2561.99", "2019"),
    ("15.2.2562.17", "SE"), ("15.2.2600.1", "SE"), ("14.3.123.4", "unknown"), ("junk", "unknown"),
])
def test_product_line_uses_2562_as_the_se_boundary(version, line):
    assert builds.product_line(version) == line
    assert builds.is_se(version) is (line == "SE")


def test_latest_build_of():
    assert builds.latest_build_of("15.2.1544.4").version_text == "15.2.1544.44"
    assert builds.latest_build_of("15.2.2562.17").version_text == "15.2.2562.46"
    assert builds.latest_build_of("15.2.858.5") is None


def test_se_is_an_upgrade_over_cu14_and_cu15_only():
    for installed in ("15.2.1544.4", "15.2.1544.44", "15.2.1748.10", "15.2.1748.49"):
        decision = upgrades.upgrade_decision(installed, "15.2.2562.17")
        assert decision.allowed and decision.reason == upgrades.ALLOWED_TO_SE
    for installed in ("15.2.1258.12", "15.2.1258.39", "15.2.1118.40", "15.2.922.7"):
        decision = upgrades.upgrade_decision(installed, "15.2.2562.17")
        assert not decision.allowed and decision.reason == upgrades.SE_NEEDS_CU14
        assert "CU14" in decision.message_en and "CU14" in decision.message_es


def test_newer_cu_allowed_and_cus_may_be_skipped():
    assert upgrades.is_upgrade_allowed("15.2.1118.7", "15.2.1748.10")
    assert upgrades.is_upgrade_allowed("15.2.1544.44", "15.2.1748.10")  # from a CU14 SU to CU15 RTM


@pytest.mark.parametrize("installed, media, reason", [
    ("15.2.1748.10", "15.2.1544.4", upgrades.DOWNGRADE),
    ("15.2.2562.17", "15.2.1748.10", upgrades.DOWNGRADE),       # SE back to 2019
    ("15.2.1544.44", "15.2.1544.4", upgrades.SAME_CU),          # same CU, older revision
    ("15.2.1748.10", "15.2.1748.10", upgrades.SAME_CU),
    ("15.1.2507.6", "15.2.1748.10", upgrades.CROSS_VERSION),   # 2016 -> 2019 is a migration
    ("15.2.1544.4", "15.2.1748.49", upgrades.MEDIA_IS_UPDATE),  # an SU is not setup media
    ("garbage", "15.2.1748.10", upgrades.UNKNOWN),
])
def test_refused_upgrades(installed, media, reason):
    decision = upgrades.upgrade_decision(installed, media)
    assert not decision.allowed and decision.reason == reason
    assert decision.message_en and decision.message_es


def test_ad_levels():
    assert ad_versions.ad_levels("15.2.1544.4") == ad_versions.AdLevels(17003, 13243, 16762)
    assert ad_versions.ad_levels("15.2.1748.49").organization == 16763
    assert ad_versions.ad_levels("15.2.2562.17") == ad_versions.ad_levels("15.2.1748.10")
    assert ad_versions.ad_levels("15.2.986.5").domain == 13242
    assert ad_versions.ad_levels("15.2.986.26").domain == 13243   # CU11 with the May 2022 SU
    assert ad_versions.ad_levels("15.2.858.5") is None
    assert ad_versions.ad_levels("15.1.2507.6") is None
    cu14, cu15 = ad_versions.ad_levels("15.2.1544.4"), ad_versions.ad_levels("15.2.1748.10")
    assert cu15.satisfies(cu14) and not cu14.satisfies(cu15)
