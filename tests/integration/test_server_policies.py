"""Windows settings outside Exchange that decide whether the unattended setup can run (issue 14, items 9 and 11).

The whole procedure (playbooks/install_exchange.yml) through the real WinRM path against the simulated RPI server;
each test checks the server through the simulator's own state and the run's report.
"""

from __future__ import annotations

from simulator.exchange.runtime import model_for
from simulator.snapshot import differences, snapshot

PLAYBOOK = "playbooks/install_exchange.yml"


def activity_statuses(report: dict) -> list[str]:
    return [activity["status"] for activity in sorted(report["activities"], key=lambda activity: activity["number"])]


def test_a_policy_that_forbids_the_setup_task_is_refused_in_activity_2(rpi_simulator, ansible_playbook, instruction_file):
    """DisableDomainCreds=1 ("Network access: Do not allow storage of passwords and credentials for network
    authentication", CIS baselines): Task Scheduler cannot register setup's Password-logon task (0x80070520). The run
    refuses in activity 2, in Spanish, naming the policy and the administrator's fix, before any change."""
    simulator = rpi_simulator("ws2022-bare-disable-domain-creds")
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert run.rc != 0
    report = run.latest_report()
    failure = report["run"]["failure"]
    assert report["run"]["status"] == "failed" and failure["activity"] == 2, failure
    assert activity_statuses(report) == ["done", "failed"] + ["pending"] * 10
    assert "DisableDomainCreds" in failure["msg"], failure["msg"]
    assert "Network access: Do not allow storage of passwords and credentials for network authentication" in failure["msg"]
    assert "Acceso de red: no permitir el almacenamiento de contraseñas" in failure["msg"]
    assert "El administrador debe deshabilitar esa directiva" in failure["msg"]
    assert "no se cambió nada" in failure["msg"]
    assert differences(before, snapshot(simulator.host)) == []
    assert not model_for(simulator.host).runs  # setup never ran


def test_without_updated_config_winrm_is_restored_before_setup_and_https_survives_setups_restart(
        rpi_simulator, ansible_playbook, instruction_file):
    """Issue 14, item 11: a server without WSMAN\\UpdatedConfig. As ExchangeDsc, activity 8 restores WinRM's configuration
    and restarts before setup; the restore removes WinRM's listeners, so the same SYSTEM task creates the HTTPS listener on
    5986 again (with its certificate) and the run keeps its connection. Setup then restarts WinRM (a fault here, as setup
    does for its own reasons too): the listener survives it and the run ends over HTTPS. The report records the restore and
    the restart as changes."""
    from simulator.windows import winrm_config  # pylint: disable=import-outside-toplevel

    simulator = rpi_simulator("ws2022-ready", speed=0.001)
    host = simulator.host
    host.registry.delete_value(winrm_config.WSMAN_KEY, "UpdatedConfig")
    host.winrm_restart_seconds = 2500  # 2.5 s of real time without WinRM at this speed
    model_for(host).faults.restart_winrm_at = "Mailbox role: Transport service"
    https_before = winrm_config.listeners(host)["*+HTTPS"]
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", timeout=600)
    assert run.rc == 0, run.output
    report = run.latest_report()
    assert report["run"]["status"] == "succeeded", report["run"]
    # WinRM's configuration is complete, and the listeners are back as they were.
    assert host.registry.get(winrm_config.WSMAN_KEY, "UpdatedConfig") == winrm_config.UPDATED_CONFIG_VALUE
    listeners = winrm_config.listeners(host)
    assert listeners["*+HTTPS"] == https_before and listeners["*+HTTPS"]["port"] == 5986
    assert listeners["*+HTTP"]["port"] == 5985
    assert "\\rpi\\rpi-exchange-winrm-restore" not in host.tasks
    # Setup restarted WinRM while it ran; the run kept talking to the server over HTTPS afterwards.
    setup_started = next(event.time for event in host.events if event.kind == "process_start" and event.name == "Setup.exe")
    assert any(event.kind == "down" and event.name == "winrm" and event.time > setup_started for event in host.events)
    assert model_for(host).runs[-1].rc == 0
    # Activity 8's report: the restore and the restart, as changes.
    begin = next(activity for activity in report["activities"] if activity["number"] == 8)
    changes = [item["summary_es"] for item in begin["evidence"] if item["kind"] == "change"]
    assert any(text.startswith("Se restauró la configuración de WinRM") and "HTTPS en el puerto 5986" in text for text in changes), changes
    assert any(text.startswith("Se reinició el servidor para aplicar la configuración de WinRM") for text in changes), changes


def test_check_mode_shows_the_winrm_restore_and_changes_nothing(rpi_simulator, ansible_playbook, instruction_file):
    from simulator.windows import winrm_config  # pylint: disable=import-outside-toplevel

    simulator = rpi_simulator("ws2022-ready")
    simulator.host.registry.delete_value(winrm_config.WSMAN_KEY, "UpdatedConfig")
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "--check", "-e", f"@{instruction_file}")
    assert run.rc == 0, run.output
    assert differences(before, snapshot(simulator.host)) == []
    report = run.latest_report()
    assert report["run"]["status"] == "check"
    begin = next(activity for activity in report["activities"] if activity["number"] == 8)
    assert any(item["kind"] == "plan" and "winrm invoke Restore winrm/config @{}" in item["summary_es"]
               for item in begin["evidence"]), begin["evidence"]
