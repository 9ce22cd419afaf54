"""Installation media images and the build table (exchange-facts §3.1)."""

from __future__ import annotations

import hashlib

import pytest

from simulator.exchange.builds import RELEASES, Build, release_for_build, upgrade_allowed
from simulator.exchange.media import MEDIA, MEDIA_CU10, build_media


def test_builds_match_microsofts_table(shared_dir):
    rows = {}
    for line in (shared_dir / "reference" / "exchange-builds.csv").read_text(encoding="utf-8").splitlines()[1:]:
        name, build = line.split(",")[:2]
        rows[name] = build
    for release in RELEASES.values():
        assert rows[release.product_name] == str(release.build), release.key


@pytest.mark.parametrize("key", sorted(MEDIA))
def test_setup_exe_file_version_is_the_build(key):
    image = MEDIA[key]
    assert Build.parse(image.file("setup").version) == image.release.build
    assert Build.parse(image.file("exsetup").version) == image.release.build
    assert image.file("ucma").path == "UcmaRedist\\Setup.exe"


def test_digest_is_stable_and_distinct():
    digests = {key: image.sha256 for key, image in MEDIA.items()}
    assert len(set(digests.values())) == len(digests)
    assert build_media("2019-CU15").sha256 == digests["2019-CU15"]
    assert hashlib.sha256(MEDIA["SE-RTM"].content).hexdigest().upper() == digests["SE-RTM"]
    assert MEDIA["SE-RTM"].size == len(MEDIA["SE-RTM"].content)


def test_iso_node_carries_content_and_tree():
    image = MEDIA["2019-CU14"]
    node = image.iso_node("C:\\RPI\\Exchange\\" + image.iso_name)
    assert hashlib.sha256(node.content).hexdigest().upper() == image.sha256
    assert node.image.label == image.volume_label
    assert "Setup.exe" in node.image.files and node.image.files["Setup.exe"].version == "15.02.1544.004"


def test_licence_text_is_marked_simulated():
    text = MEDIA["SE-RTM"].file("license").content.decode()
    assert "SIMULATED" in text and "NOT MICROSOFT" in text


def test_cu15_exsetup_discrepancy_can_be_modelled():
    assert build_media("2019-CU15", exsetup_version="15.02.1748.008").file("setup").version == "15.02.1748.008"


def test_release_lookup_accepts_padded_and_su_builds():
    assert release_for_build("15.02.1748.010").key == "2019-CU15"
    assert release_for_build("15.2.2562.46").key == "SE-RTM"
    assert release_for_build("15.1.2507.6") is None
    assert MEDIA_CU10.release.legacy_license_switch


@pytest.mark.parametrize("installed,target,ok", [
    ("15.2.1544.4", "2019-CU15", True), ("15.2.1544.4", "SE-RTM", True), ("15.2.1748.10", "SE-RTM", True),
    ("15.2.1258.12", "SE-RTM", False), ("15.2.1748.10", "2019-CU14", False), ("15.2.1748.49", "2019-CU15", False),
])
def test_upgrade_paths(installed, target, ok):
    assert upgrade_allowed(Build.parse(installed), RELEASES[target])[0] is ok


def test_admin_display_version():
    assert RELEASES["2019-CU15"].build.admin_display_version == "Version 15.2 (Build 1748.10)"
    assert RELEASES["SE-RTM"].build.long == "15.02.2562.017"
