"""One run at a time on a server: the run lock, through real runs of the whole procedure against the simulated server.

Each test reads the lock file and the server's state from the simulator itself.
"""

from __future__ import annotations

import json
import socket
import time
from datetime import datetime, timedelta, timezone

import pytest

from simulator.exchange.media import MEDIA
from simulator.exchange.runtime import model_for
from simulator.snapshot import differences, snapshot

# Slow (real setups, a killed controller): once, on the baseline ansible-core line (see pytest.ini).
pytestmark = pytest.mark.baseline_core

PLAYBOOK = "playbooks/install_exchange.yml"
LOCK = "C:\\ProgramData\\RPI\\rpi-exchange\\run.lock"
SE_MEDIA = {"rpi_exchange_media": {"iso": f"\\\\rpi-fs01\\instaladores\\Exchange\\{MEDIA['SE-RTM'].iso_name}",
                                   "sha256": MEDIA["SE-RTM"].sha256}}


def wait_for(condition, timeout: float = 180, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def lock_record(host) -> dict | None:
    node = host.fs.get(LOCK)
    return json.loads(node.data()) if node is not None else None


def plant_lock(host, run_id: str, *, controller: str, started: datetime, pid: int = 4242) -> None:
    host.fs.write(LOCK, json.dumps({"version": 1, "run_id": run_id, "controller_host": controller, "controller_pid": pid,
                                    "started": started.strftime("%Y-%m-%dT%H:%M:%SZ"), "technician": "Ana Gómez",
                                    "reference": "MEMO-DTI-2026-040"}).encode("utf-8"))


def evidence(report: dict) -> list[dict]:
    return [item for activity in report["activities"] for item in activity["evidence"]]


def test_a_second_run_is_refused_while_the_first_installs_and_the_first_finishes(
        rpi_simulator, ansible_playbook, background_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-2019-cu15", speed=0.001)
    model = model_for(simulator.host)
    runs_before = len(model.runs)  # the preset itself was made by simulated setup runs
    model.faults.slow("Mailbox role: Transport service", 8000)  # ~8 s of real time inside setup
    first = background_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=SE_MEDIA, name="first")
    wait_for(lambda: simulator.host.find_processes("ExSetup"), what="the first run's setup")
    held = lock_record(simulator.host)
    assert held is not None and held["controller_host"] == socket.gethostname()

    second = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=SE_MEDIA)
    assert second.rc != 0
    assert "está siendo instalado por" in second.stdout and held["run_id"] in second.stdout
    assert f"rpi_exchange_lock_break={held['run_id']}" in second.stdout
    report = second.latest_report()
    assert report["run"]["status"] == "failed" and report["run"]["failure"]["activity"] == 1
    assert lock_record(simulator.host) == held, "the refused run left the first run's lock alone"

    done = first.wait()
    assert done.rc == 0, done.output[-3000:]
    assert len(model.runs) - runs_before == 1, "only the first run started setup"
    assert lock_record(simulator.host) is None, "released when the run ended"
    assert not simulator.host.fs.exists("C:\\ProgramData\\RPI"), "the lock's folders went with it"


def test_the_lock_is_released_when_a_run_fails(rpi_simulator, ansible_playbook, instruction_file):
    from simulator.exchange.faults import REAL_ERRORS  # pylint: disable=import-outside-toplevel

    simulator = rpi_simulator("ws2022-exchange-2019-cu15")
    model_for(simulator.host).faults.fail_at = REAL_ERRORS["search_foundation"]
    failed = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=SE_MEDIA)
    assert failed.rc != 0
    assert failed.latest_report()["run"]["failure"]["activity"] == 8
    assert lock_record(simulator.host) is None


def test_a_lock_held_from_another_controller_is_refused_until_the_technician_breaks_it(
        rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-se")  # nothing to install: the lock alone decides
    plant_lock(simulator.host, "20261127T150000Z-0a0b0c", controller="awx-node-2", started=datetime.now(timezone.utc))
    before = snapshot(simulator.host)
    refused = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert refused.rc != 0
    assert "awx-node-2" in refused.stdout and "rpi_exchange_lock_break=20261127T150000Z-0a0b0c" in refused.stdout
    assert differences(before, snapshot(simulator.host)) == []

    wrong = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}",
                             extra_vars={"rpi_exchange_lock_break": "20261127T140000Z-ffffff"})
    assert wrong.rc != 0 and "rpi_exchange_lock_break vale '20261127T140000Z-ffffff'" in wrong.stdout
    assert differences(before, snapshot(simulator.host)) == []

    broken = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}",
                              extra_vars={"rpi_exchange_lock_break": "20261127T150000Z-0a0b0c"})
    assert broken.rc == 0, broken.output[-3000:]
    takeovers = [item for item in evidence(broken.latest_report()) if "previous_holder" in item.get("details", {})]
    assert [(item["kind"], item["details"]["reason"]) for item in takeovers] == [("notice", "broken")], takeovers
    assert "a petición del técnico" in takeovers[0]["summary_es"]
    assert lock_record(simulator.host) is None


def test_a_lock_older_than_the_maximum_age_is_taken_over(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-se")
    plant_lock(simulator.host, "20261126T010000Z-0a0b0c", controller="awx-node-2",
               started=datetime.now(timezone.utc) - timedelta(hours=13))
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert run.rc == 0, run.output[-3000:]
    takeovers = [item for item in evidence(run.latest_report()) if "previous_holder" in item.get("details", {})]
    assert [(item["kind"], item["level"], item["details"]["reason"]) for item in takeovers] == [("notice", "warning", "expired")]
    assert lock_record(simulator.host) is None


def test_a_dry_run_never_takes_the_lock_and_only_warns_when_it_is_held(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-se")
    plant_lock(simulator.host, "20261127T150000Z-0a0b0c", controller="awx-node-2", started=datetime.now(timezone.utc))
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "--check", "-e", f"@{instruction_file}")
    assert run.rc == 0, run.output[-3000:]
    assert "está siendo instalado por" in run.output
    assert differences(before, snapshot(simulator.host)) == []
    assert run.latest_report()["run"]["status"] == "check"


def _kill_during_setup(simulator, background_playbook, instruction_file, seconds_of_setup: int):
    model = model_for(simulator.host)
    runs_before = len(model.runs)
    # A long file copy, as in a real CU: setup has stopped and disabled WMI by then (ExchangeDsc issue #496).
    model.faults.slow("Copying Exchange Files", seconds_of_setup * 1000)  # at speed 0.001
    killed = background_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=SE_MEDIA, name="killed")
    wait_for(lambda: simulator.host.find_processes("ExSetup"), what="setup started by the run about to be killed")
    time.sleep(1)
    killed.kill()
    assert lock_record(simulator.host) is not None, "a killed controller cannot release its lock"
    return killed, model, runs_before


def _assert_killed_report_is_valid(killed) -> None:
    from integration.conftest import report_schema_errors  # pylint: disable=import-outside-toplevel

    document = json.loads((killed.report_dir / "latest" / "report.json").read_text(encoding="utf-8"))
    assert report_schema_errors(document) == []
    assert document["run"]["status"] == "interrupted" and document["run"]["finalized"] is False
    assert document["run"]["current"]["activity"] == 8, document["run"]["current"]


def _assert_completed(run, simulator, model, runs_before, reason: str) -> None:
    assert run.rc == 0, run.output[-4000:]
    assert len(model.runs) - runs_before == 1, "setup never started twice"
    assert simulator.host.get_task("rpi-exchange-setup", "\\RPI\\") is None, "the task holding the setup credential is gone"
    assert lock_record(simulator.host) is None
    assert simulator.host.pending_reboot() == [] and model.rebooted_since_setup
    report = run.latest_report()
    assert report["run"]["status"] == "succeeded", report["run"]
    assert report["target"]["exchange_after"]["version"].startswith("15.2.2562")
    takeovers = [item for item in evidence(report) if "previous_holder" in item.get("details", {})]
    assert [item["details"]["reason"] for item in takeovers] == ["owner_gone"]
    decisions = [item["details"].get("reason") or item["details"].get("decision", {}).get("reason")
                 for item in evidence(report) if item["kind"] == "plan"]
    assert reason in decisions, decisions


def test_a_controller_killed_during_setup_the_next_run_follows_that_setup_to_its_end(
        rpi_simulator, background_playbook, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-2019-cu15", speed=0.001)
    killed, model, runs_before = _kill_during_setup(simulator, background_playbook, instruction_file, seconds_of_setup=25)
    _assert_killed_report_is_valid(killed)
    assert simulator.host.find_processes("ExSetup"), "setup goes on without its controller"
    # Setup copies its files with WMI disabled: the next run must read the server and the media without it.
    wait_for(lambda: simulator.host.poll() or simulator.host.get_service("Winmgmt").start_mode == "disabled",
             what="setup to disable WMI")

    resumed = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=SE_MEDIA)
    _assert_completed(resumed, simulator, model, runs_before, "setup_task_running")
    assert "wmi_disabled" in json.dumps(resumed.latest_report()), "the media was read where setup runs from, without WMI"


def test_a_controller_killed_during_setup_the_next_run_reads_the_finished_setup_and_restarts(
        rpi_simulator, background_playbook, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-2019-cu15", speed=0.001)
    killed, model, runs_before = _kill_during_setup(simulator, background_playbook, instruction_file, seconds_of_setup=3)
    wait_for(lambda: not simulator.host.find_processes("ExSetup"), what="setup to finish on its own")
    assert not model.rebooted_since_setup

    completed = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=SE_MEDIA)
    _assert_completed(completed, simulator, model, runs_before, "setup_task_unread")
    _assert_killed_report_is_valid(killed)
