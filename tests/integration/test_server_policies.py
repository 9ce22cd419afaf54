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
