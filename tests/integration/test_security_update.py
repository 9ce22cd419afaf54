"""The security update (SU/HU) inside the procedure (issue 18, item 1), through the real WinRM path against the simulated
RPI server: an install and its SU in one run, a re-run that changes nothing, and --check showing the SU step.

The server is checked through the simulator's own state (ExSetup.exe's version, the update's runs), not the playbook's claims.
"""

from __future__ import annotations

from simulator.exchange.updates import PACKAGES, SHARE_UPDATES_DIR, exsetup_build, state_of
from simulator.exchange.builds import Build
from simulator.snapshot import differences, snapshot

PLAYBOOK = "playbooks/install_exchange.yml"


def update_vars(key: str) -> dict:
    package = PACKAGES[key]
    return {"rpi_exchange_security_update": {"path": f"{SHARE_UPDATES_DIR}\\{package.file_name}", "sha256": package.sha256}}


def test_install_and_its_security_update_in_one_run_then_nothing_to_do(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-bare")
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=update_vars("SE-RTM-Aug26SU"),
                           timeout=600)
    assert run.rc == 0, run.output
    assert exsetup_build(simulator.host) == Build.parse("15.2.2562.46")
    assert state_of(simulator.host).runs == [("SE-RTM-Aug26SU", 3010)]
    assert simulator.host.get_service("MSExchangeIS").state == "running"
    target = run.latest_report()["target"]
    # The three builds: nothing before, SE RTM after setup, SE RTM Aug26SU after the update, with its KB.
    assert target["exchange_before"]["installed"] is False
    assert target["security_update"] == {"kb": "KB5121573", "label": "SE RTM Aug26SU", "version_before": "15.2.2562.17",
                                         "version_after": "15.2.2562.46", "status": "installed"}
    assert target["exchange_after"]["version"] == "15.2.2562.46"
    html = (run.report_dir / "latest" / "report.html").read_text(encoding="utf-8")
    assert "KB5121573" in html and "15.2.2562.17" in html

    before = snapshot(simulator.host)
    again = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=update_vars("SE-RTM-Aug26SU"))
    assert again.rc == 0, again.output
    assert again.recap()["changed"] == 0, again.stdout
    assert differences(before, snapshot(simulator.host)) == []
    assert len(state_of(simulator.host).runs) == 1


def test_check_mode_shows_the_security_update_it_would_install(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-se")
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "--check", "-e", f"@{instruction_file}",
                           extra_vars=update_vars("SE-RTM-Aug26SU"))
    assert run.rc == 0, run.output
    assert "Install the security update of the installed build" in run.stdout
    assert "KB5121573" in run.stdout and "15.2.2562.46" in run.stdout
    assert differences(before, snapshot(simulator.host)) == []
    assert state_of(simulator.host).runs == []
    plans = [item for activity in run.latest_report()["activities"] for item in activity["evidence"]
             if item["kind"] == "plan" and item["details"].get("kb") == "KB5121573"]
    assert plans and plans[0]["details"]["update_version"] == "15.2.2562.46"


def test_an_update_alone_that_stops_half_way_is_triaged_then_installed_on_the_next_run(
        rpi_simulator, ansible_playbook, instruction_file):
    # A server already at SE RTM: no setup, only the update (activity 9 runs for it). The first run's update stops
    # half-way and leaves the Exchange services disabled ("Services don't start after SU installation").
    simulator = rpi_simulator("ws2022-exchange-se")
    state_of(simulator.host).stop_half_way = True
    failed = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=update_vars("SE-RTM-Aug26SU"))
    assert failed.rc != 0
    assert "1603" in failed.stdout and "deshabilitados" in failed.stdout and "MSExchangeIS" in failed.stdout
    assert failed.latest_report()["run"]["failure"]["activity"] == 9
    assert exsetup_build(simulator.host) == Build.parse("15.2.2562.17")

    again = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=update_vars("SE-RTM-Aug26SU"))
    assert again.rc == 0, again.output
    assert exsetup_build(simulator.host) == Build.parse("15.2.2562.46")
    assert simulator.host.get_service("MSExchangeIS").state == "running"
