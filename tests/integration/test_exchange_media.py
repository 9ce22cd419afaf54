"""rpi.exchange.exchange_media through the real WinRM path: verify the pinned SHA-256, mount, read, unmount.

What the module says is checked against the simulated server (`simulator.host`) and its request log.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from simulator.exchange.media import MEDIA
from simulator.exchange.presets import LOCAL_MEDIA_DIR, SHARE_MEDIA_DIR

PLAYBOOK = "tests/integration/playbooks/exchange_media.yml"


def run(simulator, ansible_playbook, tmp_path, *args, name="media", **extra):
    output = tmp_path / f"{name}.json"
    simulator.server.log.clear()
    played = ansible_playbook(PLAYBOOK, simulator.inventory_path, *args, extra_vars=dict(extra, media_output=str(output)))
    assert played.rc == 0, played.output
    return json.loads(output.read_text()), simulator.server.log.summary()


def licence_sha256(image):
    return hashlib.sha256(image.file("license").content).hexdigest()


@pytest.mark.parametrize("key, version, label, edition", [
    ("2019-CU14", "15.2.1544.4", "2019 CU14", "2019"),
    ("2019-CU15", "15.2.1748.10", "2019 CU15", "2019"),
    ("SE-RTM", "15.2.2562.17", "SE RTM", "SE"),
])
def test_mount_and_read(simulator_factory, ansible_playbook, tmp_path, key, version, label, edition):
    simulator = simulator_factory("ws2022-ready")
    image = MEDIA[key]
    iso = f"{LOCAL_MEDIA_DIR}\\{image.iso_name}"
    result, log = run(simulator, ansible_playbook, tmp_path, media={"iso": iso, "sha256": image.sha256})
    assert result["changed"] is True and result["mounted"] is True
    assert (result["version"], result["label"], result["edition"]) == (version, label, edition)
    assert result["setup_version"] == version
    assert result["drive"] == simulator.host.image_letter(iso) and result["setup_path"] == f"{result['drive']}:\\Setup.exe"
    assert result["iso_sha256"] == image.sha256.lower()
    assert result["license_sha256"] == licence_sha256(image) and result["license_path"].endswith("License.rtf")
    assert log["executions"] == {"ansible.windows.win_stat": 2, "community.windows.win_disk_image": 1,
                                 "community.windows.win_file_version": 1}
    assert [item["kind"] for item in result["rpi_report"]["evidence"]] == ["check", "version"]

    again, _log = run(simulator, ansible_playbook, tmp_path, name="again", media={"iso": iso, "sha256": image.sha256.lower()})
    assert again["changed"] is False and again["drive"] == result["drive"] and again["version"] == version
    assert len(simulator.host.mounted_images) == 1


def test_hash_mismatch_is_refused_before_mounting(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-ready")
    iso = f"{SHARE_MEDIA_DIR}\\{MEDIA['SE-RTM'].iso_name}"
    pinned = MEDIA["2019-CU15"].sha256
    result, log = run(simulator, ansible_playbook, tmp_path, expect_failure=True, media={"iso": iso, "sha256": pinned})
    assert result["failed"] is True and result["changed"] is False
    assert pinned.lower() in result["msg"] and MEDIA["SE-RTM"].sha256.lower() in result["msg"]
    assert "No se montó" in result["msg"] and result["problems"][0]["code"] == "sha256_mismatch"
    assert simulator.host.mounted_images == {}
    assert log["executions"] == {"ansible.windows.win_stat": 1}


def test_no_pinned_hash_no_server_call(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-ready")
    result, log = run(simulator, ansible_playbook, tmp_path, expect_failure=True,
                      media={"iso": f"{LOCAL_MEDIA_DIR}\\{MEDIA['SE-RTM'].iso_name}", "language": "en"})
    assert result["failed"] is True and result["problems"][0]["code"] == "sha256_missing"
    assert "SHA-256" in result["msg"] and log["executions"] == {}


def test_share_staged_to_dest_once(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-ready")
    image = MEDIA["SE-RTM"]
    media = {"iso": f"{SHARE_MEDIA_DIR}\\{image.iso_name}", "dest": "D:\\Medios", "sha256": image.sha256}
    result, log = run(simulator, ansible_playbook, tmp_path, media=media)
    staged = f"D:\\Medios\\{image.iso_name}"
    assert result["iso_path"] == staged and simulator.host.fs.is_file(staged)
    assert simulator.host.image_letter(staged) == result["drive"] and result["label"] == "SE RTM"
    assert log["executions"]["ansible.windows.win_copy"] == 1
    again, log = run(simulator, ansible_playbook, tmp_path, name="again", media=media)
    assert again["changed"] is False and "ansible.windows.win_copy" not in log["executions"]


def test_controller_copy(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-ready")
    image = MEDIA["2019-CU15"]
    local = tmp_path / image.iso_name
    local.write_bytes(image.content)
    result, _log = run(simulator, ansible_playbook, tmp_path,
                       media={"src": str(local), "dest": "C:\\RPI\\Staging", "sha256": image.sha256})
    assert result["source"]["origin"] == "controller" and result["label"] == "2019 CU15"
    assert simulator.host.fs.is_file(f"C:\\RPI\\Staging\\{image.iso_name}")
    # A controller file that is not the pinned image never leaves the controller.
    simulator.server.log.clear()
    bad, log = run(simulator, ansible_playbook, tmp_path, name="bad", expect_failure=True,
                   media={"src": str(local), "dest": "C:\\RPI\\Otra", "sha256": MEDIA["SE-RTM"].sha256})
    assert bad["problems"][0]["code"] == "sha256_mismatch" and log["executions"] == {}


def test_check_mode_reads_the_media_and_leaves_nothing_mounted(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-ready")
    image = MEDIA["SE-RTM"]
    iso = f"{LOCAL_MEDIA_DIR}\\{image.iso_name}"
    result, log = run(simulator, ansible_playbook, tmp_path, "--check", media={"iso": iso, "sha256": image.sha256})
    assert result["changed"] is True and result["mounted"] is False and result["mounted_while_reading"] is True
    # The plan can show the media's version: it was read from a mount that did not outlive the task.
    assert result["version"] == "15.2.2562.17" and result["license_sha256"] == licence_sha256(image)
    assert simulator.host.mounted_images == {}
    assert log["executions"]["community.windows.win_disk_image"] == 2  # mount (its `changed` says it was not attached), unmount
    assert [item["kind"] for item in result["rpi_report"]["evidence"]] == ["check", "version", "plan"]
    bad, _log = run(simulator, ansible_playbook, tmp_path, "--check", name="bad", expect_failure=True,
                    media={"iso": iso, "sha256": MEDIA["2019-CU14"].sha256})
    assert bad["problems"][0]["code"] == "sha256_mismatch"


def test_inspected_changes_nothing(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-ready")
    image = MEDIA["2019-CU15"]
    iso = f"{SHARE_MEDIA_DIR}\\{image.iso_name}"
    media = {"iso": iso, "dest": "C:\\RPI\\Staging", "sha256": image.sha256, "state": "inspected"}
    result, _log = run(simulator, ansible_playbook, tmp_path, media=media)
    assert result["changed"] is False and result["mounted"] is False and result["label"] == "2019 CU15"
    assert simulator.host.mounted_images == {} and not simulator.host.fs.exists("C:\\RPI\\Staging")
    # Already mounted: read in place, and it stays mounted.
    letter = simulator.host.mount_image(iso)
    result, _log = run(simulator, ansible_playbook, tmp_path, name="again", media=dict(media, dest=None))
    assert result["changed"] is False and result["mounted"] is True and result["drive"] == letter
    assert simulator.host.image_letter(iso) == letter


def test_unmount(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-ready")
    image = MEDIA["2019-CU14"]
    iso = f"{LOCAL_MEDIA_DIR}\\{image.iso_name}"
    simulator.host.mount_image(iso)
    result, _log = run(simulator, ansible_playbook, tmp_path, media={"iso": iso, "state": "unmounted"})
    assert result["changed"] is True and result["mounted"] is False and simulator.host.mounted_images == {}
    again, _log = run(simulator, ansible_playbook, tmp_path, name="again", media={"iso": iso, "state": "unmounted"})
    assert again["changed"] is False
