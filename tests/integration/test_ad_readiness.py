"""Issue 17, items 1 and 2, end to end: Active Directory's readiness and the setup account's rights are read in
activity 2, as the setup account, before any change; a refusal changes neither the server nor AD (the simulated
forest), and names the missing group or level in Spanish.

One run per preset. The report carries the decision and every value read as activity 2's evidence.
"""

from __future__ import annotations

import dataclasses

from simulator.exchange.media import MEDIA
from simulator.exchange.runtime import model_for
from simulator.snapshot import differences, snapshot

PLAYBOOK = "playbooks/install_exchange.yml"
TASK_DETAIL = "decision"


def media_vars(key: str) -> dict:
    image = MEDIA[key]
    return {"rpi_exchange_media": {"iso": f"\\\\rpi-fs01\\instaladores\\Exchange\\{image.iso_name}", "sha256": image.sha256}}


def activity_statuses(report: dict) -> dict[int, str]:
    return {activity["number"]: activity["status"] for activity in report["activities"]}


def ad_evidence(report: dict) -> dict:
    activity = next(item for item in report["activities"] if item["number"] == 2)
    found = [item for item in activity["evidence"] if TASK_DETAIL in item.get("details", {})]
    assert len(found) == 1, activity["evidence"]
    return found[0]


def forest(host) -> dict:
    """The simulated AD (the Exchange organisation, its versions and server objects, the forest's levels and DCs)."""
    return dataclasses.asdict(model_for(host).org)


def refused_before_any_change(simulator, ansible_playbook, instruction_file, *words: str):
    host = simulator.host
    before, ad_before, setup_runs = snapshot(host), forest(host), len(model_for(host).runs)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert run.rc != 0, run.output
    for word in words:
        assert word in run.stdout, run.output
    assert differences(before, snapshot(host)) == [] and forest(host) == ad_before
    assert len(model_for(host).runs) == setup_runs  # Setup.exe never started (a preset's own install is one run)
    report = run.latest_report()
    assert activity_statuses(report)[2] == "failed"
    return ad_evidence(report)


def test_account_without_schema_admins_is_refused_in_activity_2(rpi_simulator, ansible_playbook, instruction_file):
    # 2019 CU14's organisation (objectVersion 16762) that the SE media must update to 16763: Schema Admins and
    # Enterprise Admins needed, and RPI\svc-exchange was taken out of both.
    simulator = rpi_simulator("ws2022-exchange-2019-cu14-no-schema-admin")
    evidence = refused_before_any_change(simulator, ansible_playbook, instruction_file,
                                         "RPI\\\\svc-exchange", "«Schema Admins»", "«Enterprise Admins»", "rpi_exchange_setup_user")
    decision = evidence["details"]["decision"]
    assert decision["state"] == "refuse" and decision["prepares"] == ["organization"]
    assert decision["current"]["organization"] == 16762 and decision["required"]["organization"] == 16763
    assert decision["rights_missing"] == ["Schema Admins", "Enterprise Admins"]
    assert decision["server_object"]["exists"] is True and decision["server_object"]["version"].startswith("15.2.1544.")
    read = evidence["details"]["read"]
    assert read["account"] == "RPI\\svc-exchange" and read["organization"]["name"] == "RPI"


def test_forest_at_2008r2_is_refused_in_activity_2(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-forest-2008r2")
    evidence = refused_before_any_change(simulator, ansible_playbook, instruction_file,
                                         "Windows Server 2008 R2", "Windows Server 2012 R2", "nivel funcional del bosque",
                                         "rpi_exchange_rpi_domain")
    assert evidence["details"]["decision"]["reasons"] == ["functional_level", "functional_level"]
    assert evidence["details"]["read"]["functional_levels"] == {"forest": 4, "domain": 4}


def test_fresh_forest_first_server_prepares_everything_and_installs(rpi_simulator, ansible_playbook, instruction_file):
    # Schema Admins and Enterprise Admins only through a nested group: the token counts them.
    simulator = rpi_simulator("ws2022-forest-no-exchange")
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert run.rc == 0, run.output
    evidence = ad_evidence(run.latest_report())
    decision = evidence["details"]["decision"]
    assert decision["state"] == "setup_prepares" and decision["prepares"] == ["schema", "organization", "domain"]
    assert not decision["rights_missing"] and decision["organization_name"] == "RPI"
    assert "RPI\\Exchange-Instaladores" in evidence["details"]["read"]["account_groups"]["groups"]
    org = model_for(simulator.host).org
    assert org.name == "RPI" and org.org_object_version == decision["required"]["organization"]


def test_cu14_organisation_check_mode_shows_what_setup_will_update(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-2019-cu14")
    ad_before = forest(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "--check", "-e", f"@{instruction_file}",
                           extra_vars=media_vars("2019-CU15"))
    evidence = ad_evidence(run.latest_report())
    decision = evidence["details"]["decision"]
    assert decision["state"] == "setup_prepares" and decision["prepares"] == ["organization"], run.output
    assert "16762 → 16763" in evidence["summary_es"]
    assert forest(simulator.host) == ad_before
