"""Issue 17, item 3, end to end: with rpi_exchange_ad_preparation: separate, activity 8 runs /PrepareSchema, then
/PrepareAD with the organisation's name (a first server, a forest with no Exchange), each as its own setup run with its
log triaged, waits until the domain controller shows AD prepared, and only then runs /Mode:Install.
"""

from __future__ import annotations

from simulator.exchange.runtime import model_for

PLAYBOOK = "playbooks/install_exchange.yml"


def test_a_first_server_prepares_the_schema_then_the_organisation_then_installs(
        rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-forest-no-exchange")
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}",
                           extra_vars={"rpi_exchange_ad_preparation": "separate"})
    assert run.rc == 0, run.output
    model = model_for(simulator.host)
    commands = [entry.run.arguments for entry in model.runs]
    assert len(commands) == 3, commands
    assert commands[0].endswith("/PrepareSchema"), commands
    assert "/PrepareAD" in commands[1] and "/OrganizationName:RPI" in commands[1], commands
    assert "/Mode:Install" in commands[2], commands
    assert model.org.name == "RPI" and model.org.schema_range_upper > 0 and model.org.domain_object_version > 0
    report = run.latest_report()
    activity = next(item for item in report["activities"] if item["number"] == 8)
    steps = [item["details"] for item in activity["evidence"] if item["kind"] == "change" and "step" in item.get("details", {})]
    assert [(step["step"], step["outcome"]) for step in steps] == [("schema", "succeeded"), ("ad", "succeeded")], steps
    assert activity["status"] == "done"
    # Setup started only after a fresh reading of the domain controller found nothing left to prepare.
    assert "Wait until the domain controller shows Active Directory prepared] ***\nok:" in run.stdout, run.stdout
