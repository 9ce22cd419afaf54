"""Faults a real data centre produces, injected by the simulated server, against the whole procedure.

(WinRM dropped or restarted during setup, slow restarts and a failed upgrade resumed are in the molecule `faults` and
`resume` scenarios and test_procedure.py; the run lock's faults are in test_run_lock.py.)
"""

from __future__ import annotations

import pytest

from simulator.exchange.faults import REAL_ERRORS
from simulator.exchange.media import MEDIA
from simulator.exchange.runtime import model_for
from simulator.snapshot import differences, snapshot

# Slow (real setups, a killed controller): once, on the baseline ansible-core line (see pytest.ini).
pytestmark = pytest.mark.baseline_core

PLAYBOOK = "playbooks/install_exchange.yml"
V15 = r"HKLM\SOFTWARE\Microsoft\ExchangeServer\v15"
SE_MEDIA = {"rpi_exchange_media": {"iso": f"\\\\rpi-fs01\\instaladores\\Exchange\\{MEDIA['SE-RTM'].iso_name}",
                                   "sha256": MEDIA["SE-RTM"].sha256}}


def statuses(report: dict) -> list[str]:
    return [activity["status"] for activity in report["activities"]]


def test_a_pending_reboot_found_before_setup_restarts_the_server_first_then_installs(
        rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-ready-pending-reboot-cbs")
    host, model = simulator.host, model_for(simulator.host)
    assert host.pending_reboot(), "the preset starts with a reboot pending"
    runs_before = len(model.runs)
    setup_runs_at_each_boot: list[int] = []
    host.boot_listeners.append(lambda booted: setup_runs_at_each_boot.append(len(model.runs) - runs_before))

    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert run.rc == 0, run.output[-3000:]
    assert setup_runs_at_each_boot[0] == 0, "the first restart came before setup ran"
    assert setup_runs_at_each_boot[-1] == 1, "and the last one after it (activity 9)"
    assert len(model.runs) - runs_before == 1 and model.runs[-1].rc == 0
    report = run.latest_report()
    assert report["run"]["status"] == "succeeded"
    restarts = [(activity["number"], item["summary_es"]) for activity in report["activities"] for item in activity["evidence"]
                if item["kind"] == "reboot"]
    assert restarts and restarts[0][0] < 8, f"the report shows the restart before setup (activity 8): {restarts}"


def test_a_setup_failure_that_needs_a_person_stops_safely_and_says_what_is_left(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-2019-cu15")
    host, model = simulator.host, model_for(simulator.host)
    model.faults.fail_at = REAL_ERRORS["service_disabled"]
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=SE_MEDIA)
    assert run.rc != 0

    report = run.latest_report()
    assert report["run"]["status"] == "failed"
    assert statuses(report) == ["done"] * 7 + ["failed"] + ["pending"] * 4, statuses(report)
    failure = report["run"]["failure"]
    triage = failure["triage"]
    assert triage["category"] and "MSExchangeServiceHost" in triage["error"]
    assert triage["advice"]["es"], "the technician is told what to do, in Spanish"
    # Nothing half-configured left unreported: the server's interrupted state is in the report, as setup left it.
    left = {key: host.registry.get(f"{V15}\\{key}", "Watermark") for key in host.registry.subkeys(V15)
            if host.registry.get(f"{V15}\\{key}", "Watermark")}
    assert left, "setup left a watermark on the server"
    text = str(report["activities"][7]["evidence"]) + str(failure)
    assert all(key in text for key in left), (left, text[:2000])
    # Stopped safely: no restart, no second setup, no verification of a half-upgraded server, the lock given back.
    assert len([item for item in model.runs if item.rc != 0]) == 1
    assert not host.fs.exists("C:\\ProgramData\\RPI\\rpi-exchange\\run.lock")
    assert host.find_processes("ExSetup") == []


def test_a_restart_that_never_comes_back_is_explained_in_spanish_naming_its_timeout(
        rpi_simulator, ansible_playbook, instruction_file):
    """Issue 16, item 3: ansible.windows' "Timed out waiting for last boot time check" reaches the report and the console
    in Spanish, naming the variable that bounded the wait (activity 9's rpi_exchange_reboot_timeout) and what to do."""
    # At this speed a task's simulated work is instant but a restart of 10^9 simulated seconds lasts ~1000 real seconds.
    simulator = rpi_simulator("ws2022-exchange-ready", speed=1e-6)
    host = simulator.host
    host.reboot_seconds = 10 ** 9
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}",
                           extra_vars={"rpi_exchange_reboot_timeout": 8})
    assert run.rc != 0, run.output[-3000:]
    assert host.outage_kind() == "reboot", "the server is still down"

    report = run.latest_report()
    assert report["run"]["status"] == "failed"
    failure = report["run"]["failure"]
    assert failure["activity"] == 9, failure
    assert "Timed out waiting for last boot time check" in failure["msg"], "the original text is kept"
    explanation = failure["explanation"]
    assert explanation["known"] == "reboot_timeout" and explanation["setting"] == "rpi_exchange_reboot_timeout"
    assert "no volvió a responder" in explanation["es"] and "rpi_exchange_reboot_timeout" in explanation["es"]
    assert "rpi_exchange_reboot_timeout" in explanation["advice"]["es"]
    evidence = [item for item in report["activities"][8]["evidence"] if item["kind"] == "failure"]
    assert evidence and "rpi_exchange_reboot_timeout" in evidence[-1]["summary_es"], evidence
    assert "Timed out" not in evidence[-1]["summary_es"], "the evidence line reads in Spanish"
    html = (run.report_dir / "latest" / "report.html").read_text(encoding="utf-8")
    assert "Qué pasó" in html and "rpi_exchange_reboot_timeout" in html

    console = run.stdout[run.stdout.index("La ejecución se detuvo"):]
    assert "actividad 9" in console and "rpi_exchange_reboot_timeout" in console.splitlines()[1], console[:2000]
    assert "Qué hacer:" in console


def test_a_server_below_the_rpis_memory_minimum_is_refused_naming_the_threshold(rpi_simulator, ansible_playbook, instruction_file):
    """Issue 16, item 5: the refusal names the setting that set the minimum (rpi_exchange_thresholds.min_memory_gb), and
    the server is left as it was."""
    simulator = rpi_simulator("ws2022-ready-low-ram")
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert run.rc != 0
    failure = run.latest_report()["run"]["failure"]
    assert failure["activity"] == 2, failure
    assert "rpi_exchange_thresholds.min_memory_gb: Memoria: 8 GB (mínimo del RPI: 16 GB)." in failure["msg"], failure["msg"]
    assert "rpi_exchange_thresholds.min_memory_gb" in run.stdout[run.stdout.index("La ejecución se detuvo"):]
    assert differences(before, snapshot(simulator.host)) == []
