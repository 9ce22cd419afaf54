"""The whole procedure (playbooks/install_exchange.yml) through the real WinRM path against the simulated RPI server.

Each test checks the server through the simulator's own state, not the playbook's claims, and the report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from simulator.exchange.media import MEDIA
from simulator.snapshot import differences, snapshot

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = "playbooks/install_exchange.yml"
EXCHANGE_SETUP_KEY = r"HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup"


def installed_version(host) -> str | None:
    values = host.registry.values(EXCHANGE_SETUP_KEY) if host.registry.key_exists(EXCHANGE_SETUP_KEY) else {}
    parts = [values.get(name) for name in ("MsiProductMajor", "MsiProductMinor", "MsiBuildMajor", "MsiBuildMinor")]
    return ".".join(str(part.data) for part in parts) if all(parts) else None


def media_vars(key: str) -> dict:
    image = MEDIA[key]
    return {"rpi_exchange_media": {"iso": f"\\\\rpi-fs01\\instaladores\\Exchange\\{image.iso_name}", "sha256": image.sha256}}


def activity_statuses(report: dict) -> dict[int, str]:
    return {activity["number"]: activity["status"] for activity in report["activities"]}


def test_fresh_install_then_nothing_to_do(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-bare")
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert run.rc == 0, run.output
    assert installed_version(simulator.host) == "15.2.2562.17"
    assert simulator.host.get_service("MSExchangeIS").state == "running"
    report = run.latest_report()
    assert report["run"]["status"] == "succeeded"
    assert len(report["activities"]) == 12
    assert all(status == "done" for number, status in activity_statuses(report).items() if number < 12)
    assert activity_statuses(report)[12] == "pending"
    # Issue 15, item 3: the switch of activity 6's acceptance record is the one Setup.exe ran with (activity 8).
    activities = {activity["number"]: activity for activity in report["activities"]}
    records = [item["details"] for item in activities[6]["evidence"] if item["details"].get("status") == "accepted"]
    assert len(records) == 1 and records[0]["accepted"] is True, activities[6]["evidence"]
    from simulator.exchange.runtime import model_for  # pylint: disable=import-outside-toplevel
    assert model_for(simulator.host).runs[-1].run.argv[0] == records[0]["switch"]

    first_report = (run.report_dir / "latest").resolve()

    before = snapshot(simulator.host)
    again = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert again.rc == 0, again.output
    assert again.recap()["changed"] == 0, again.stdout
    assert differences(before, snapshot(simulator.host)) == []

    # Activity 12: the IT Head reviews the first run's report and validates it, with no administrative secret
    # (issue 20, item 8): neither the setup account's password nor the WinRM password is in the review's variables.
    from simulator.launch import write_inventory  # pylint: disable=import-outside-toplevel
    secrets = ("ansible_password", "rpi_exchange_setup_password", "rpi_exchange_setup_user")
    reviewer_inventory = write_inventory(Path(simulator.inventory_path).with_name("reviewer.yml"),
                                         {k: v for k, v in simulator.host_vars.items() if k not in secrets},
                                         ROOT / "inventories" / "simulated")
    written = reviewer_inventory.read_text(encoding="utf-8")
    assert not any(secret in written for secret in secrets), written
    decision = {"name": "Ing. María López", "decision": "validated", "comment": "Conforme"}
    # Without a run id the review lists the runs and stops: it never picks "the newest" on its own.
    unchosen = ansible_playbook("playbooks/review_installation.yml", reviewer_inventory, extra_vars={"rpi_exchange_review": decision})
    assert unchosen.rc != 0
    assert first_report.name in unchosen.stdout and "run_id" in unchosen.stdout and "Elija" in unchosen.stdout, unchosen.output
    assert "validation" not in json.loads((first_report / "report.json").read_text(encoding="utf-8"))
    review = ansible_playbook("playbooks/review_installation.yml", reviewer_inventory, extra_vars={"rpi_exchange_review": {
        **decision, "run_id": first_report.name}})
    assert review.rc == 0, review.output
    assert differences(before, snapshot(simulator.host)) == []
    validated = json.loads((first_report / "report.json").read_text(encoding="utf-8"))
    assert validated["validation"]["decision"] == "validated"
    assert activity_statuses(validated)[12] == "done"


@pytest.mark.parametrize("preset, media, expected", [
    ("ws2022-exchange-2019-cu14", "2019-CU15", "15.2.1748.10"),
    ("ws2022-exchange-2019-cu15", "SE-RTM", "15.2.2562.17"),
])
def test_cumulative_update_and_new_version(rpi_simulator, ansible_playbook, instruction_file, preset, media, expected):
    simulator = rpi_simulator(preset)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=media_vars(media))
    assert run.rc == 0, run.output
    assert installed_version(simulator.host) == expected
    assert run.latest_report()["target"]["mode"] == "upgrade"


def test_check_mode_shows_the_plan_and_changes_nothing(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-bare")
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "--check", "-e", f"@{instruction_file}")
    assert run.rc == 0, run.output
    assert differences(before, snapshot(simulator.host)) == []
    assert run.latest_report()["run"]["status"] == "check"
    # Issue 20, item 8: a rehearsal is marked in the review's list and refused for a decision unless declared.
    rehearsal = (run.report_dir / "latest").resolve().name
    listed = ansible_playbook("playbooks/review_installation.yml", simulator.inventory_path)
    assert listed.rc != 0 and f"{rehearsal} |" in listed.stdout and "ENSAYO" in listed.stdout, listed.output
    decision = {"run_id": rehearsal, "name": "Ing. María López", "decision": "returned", "comment": "Es un ensayo."}
    refused = ansible_playbook("playbooks/review_installation.yml", simulator.inventory_path, extra_vars={"rpi_exchange_review": decision})
    assert refused.rc != 0 and "ENSAYO" in refused.stdout, refused.output
    declared = ansible_playbook("playbooks/review_installation.yml", simulator.inventory_path,
                                extra_vars={"rpi_exchange_review": {**decision, "rehearsal": True}})
    assert declared.rc == 0, declared.output
    assert run.latest_report()["validation"]["decision"] == "returned"


def test_a_run_without_the_instruction_changes_nothing(rpi_simulator, ansible_playbook):
    simulator = rpi_simulator("ws2022-bare")
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path)
    assert run.rc != 0
    assert "rpi_exchange_instruction" in run.stdout and "Actividad 1" in run.stdout
    assert differences(before, snapshot(simulator.host)) == []
    report = run.latest_report()
    assert report["run"]["status"] == "failed"
    assert activity_statuses(report)[1] == "failed"
    assert all(status == "pending" for number, status in activity_statuses(report).items() if number > 1)


def test_a_host_that_is_not_the_rpis_is_refused(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-bare")
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}",
                           extra_vars={"rpi_exchange_rpi_domain": "mineco.gob.gt"})
    assert run.rc != 0
    assert "Norma 5.1" in run.stdout
    assert differences(before, snapshot(simulator.host)) == []


def test_a_failed_upgrade_resumes_on_the_next_run(rpi_simulator, ansible_playbook, instruction_file):
    from simulator.exchange.faults import REAL_ERRORS  # pylint: disable=import-outside-toplevel
    from simulator.exchange.runtime import model_for  # pylint: disable=import-outside-toplevel

    simulator = rpi_simulator("ws2022-exchange-2019-cu15")
    model_for(simulator.host).faults.fail_at = REAL_ERRORS["search_foundation"]
    failed = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=media_vars("SE-RTM"))
    assert failed.rc != 0
    report = failed.latest_report()
    assert report["run"]["status"] == "failed"
    assert activity_statuses(report)[8] == "failed"
    assert "search_foundation" in str(report["activities"][7]["evidence"])
    # Issue 18: the last phase setup reached, in the diagnosis and in run.setup_reached (the action kept it beside the
    # report while setup ran; once report.json holds it the file goes).
    assert report["run"]["failure"]["setup_reached"]["label_es"] == report["run"]["setup_reached"]["label_es"]
    assert not (failed.report_dir / report["run"]["id"] / "setup_progress.json").exists()
    assert "Última fase alcanzada por Setup" in (failed.report_dir / report["run"]["id"] / "report.html").read_text(encoding="utf-8")

    # Issue 20, item 3: the IT Head's instruction names the failed run it authorises to retry; the two reports link.
    failed_id = report["run"]["id"]
    retry_instruction = instruction_file.with_name("instruccion-reintento.yml")
    given = yaml.safe_load(instruction_file.read_text(encoding="utf-8"))
    given["rpi_exchange_instruction"]["retry_of"] = failed_id
    retry_instruction.write_text(yaml.safe_dump(given, allow_unicode=True), encoding="utf-8")
    resumed = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{retry_instruction}", extra_vars=media_vars("SE-RTM"))
    assert resumed.rc == 0, resumed.output
    assert installed_version(simulator.host) == "15.2.2562.17"
    later = resumed.latest_report()
    assert later["target"]["mode"] == "resume"
    assert later["run"]["retry_of"]["id"] == failed_id and later["run"]["retry_of"]["authorised"] is True
    assert later["run"]["retry_of"]["authorised_by"] == given["rpi_exchange_instruction"]["instructed_by"]
    later_html = (resumed.report_dir / later["run"]["id"] / "report.html").read_text(encoding="utf-8")
    assert f"<dt>Reintento de</dt><dd>la ejecución {failed_id} (falló), autorizado por " in later_html
    failed_dir = resumed.report_dir / failed_id
    follow_ups = json.loads((failed_dir / "followed_by.json").read_text(encoding="utf-8"))
    assert [(item["id"], item["status"], item["authorised"]) for item in follow_ups] == [(later["run"]["id"], "succeeded", True)]
    assert f"<dt>Continuada por</dt><dd>la ejecución {later['run']['id']} (terminó correctamente" in (
        failed_dir / "report.html").read_text(encoding="utf-8")


@pytest.mark.baseline_core
def test_an_upgrade_that_failed_with_wmi_disabled_is_resumed_after_putting_the_services_back(
        rpi_simulator, ansible_playbook, instruction_file):
    """Issue 14, items 1 and 10: a CU that failed before restoring services left WMI, W3SVC, Remote Registry and pla
    disabled (ExchangeDsc issue #496). The next run reads the server without WMI, puts those services back first (the
    media cannot be mounted without WMI), resumes the upgrade, restarts (the boot time read without WMI) and verifies."""
    simulator = rpi_simulator("ws2022-exchange-upgrade-failed")
    host = simulator.host
    assert host.get_service("Winmgmt").start_mode == "disabled"
    resumed = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=media_vars("SE-RTM"))
    assert resumed.rc == 0, resumed.output
    assert installed_version(host) == "15.2.2562.17"
    report = resumed.latest_report()
    assert report["target"]["mode"] == "resume" and report["run"]["status"] == "succeeded"
    put_back = [item for item in report["activities"][1]["evidence"] if "Winmgmt" in json.dumps(item)]
    assert put_back and put_back[0]["kind"] == "change"
    for name, mode in (("Winmgmt", "auto"), ("W3SVC", "auto"), ("RemoteRegistry", "auto"), ("pla", "manual")):
        assert host.get_service(name).start_mode == mode, name
    assert host.get_service("Winmgmt").state == "running"


@pytest.mark.baseline_core
def test_windows_on_another_drive_installs_and_reads_setup_from_there(rpi_simulator, ansible_playbook, instruction_file):
    """Issue 14, item 3: setup logs on %SystemDrive% (here D:; C: is a data drive, where the simulated inventory's
    rpi_exchange_target_dir puts Exchange); the run reads the log where setup wrote it."""
    simulator = rpi_simulator("ws2022-ready-windows-on-d")
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=media_vars("SE-RTM"))
    assert run.rc == 0, run.output
    host = simulator.host
    assert installed_version(host) == "15.2.2562.17"
    assert host.fs.is_file("D:\\ExchangeSetupLogs\\ExchangeSetup.log") and not host.fs.exists("C:\\ExchangeSetupLogs")
    report = run.latest_report()
    assert report["run"]["status"] == "succeeded"
    # The run read setup's log on D: (nothing is on C: to read): its triage and the milestones it followed.
    evidence = report["activities"][7]["evidence"]
    assert any(item["kind"] == "triage" and "completed successfully" in item["summary_en"] for item in evidence)
    assert any(item["details"].get("milestones") for item in evidence if item["kind"] == "note")


def test_an_instruction_whose_window_ended_yesterday_is_refused_before_anything_is_sent(rpi_simulator, ansible_playbook):
    """Issue 16, item 1: the IT Head's instruction authorises a change only inside its window. Yesterday's window is
    refused in activity 1, in Spanish, saying when the window was and that the IT Head must issue a new instruction;
    not one request reaches the server, and the report records the refusal."""
    from datetime import datetime, timedelta, timezone  # pylint: disable=import-outside-toplevel

    simulator = rpi_simulator("ws2022-bare")
    yesterday = datetime.now(timezone(timedelta(hours=-6))) - timedelta(days=1)
    instruction = {"rpi_exchange_instruction": {
        "instructed_by": "Ing. María López, Encargada de TI", "reference": "MEMO-DTI-2026-040",
        "window_start": (yesterday - timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"), "window_end": yesterday.strftime("%Y-%m-%dT%H:%M")}}
    before, requests = snapshot(simulator.host), simulator.server.log.count()
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, extra_vars=instruction)
    assert run.rc != 0, run.output
    assert "rpi_exchange_instruction.window_end" in run.stdout and "debe emitir una nueva instrucción" in run.stdout, run.stdout
    assert f"al {yesterday:%Y-%m-%d %H:%M} (hora de Guatemala" in run.stdout
    assert simulator.server.log.count() == requests, "nothing may be sent to the server"
    assert differences(before, snapshot(simulator.host)) == []
    report = run.latest_report()
    assert report["run"]["status"] == "failed" and report["run"]["failure"]["activity"] == 1
    assert "rpi_exchange_instruction.window_end" in report["run"]["failure"]["msg"]
    assert report["run"]["instruction"]["reference"] == "MEMO-DTI-2026-040"
    refusal = [item for item in report["activities"][0]["evidence"] if item["kind"] == "instruction"]
    assert refusal and refusal[0]["level"] == "error" and "RECHAZADA" in refusal[0]["summary_es"]
    assert all(status == "pending" for number, status in activity_statuses(report).items() if number > 1)

    # A dry run may still plan outside the window; its report says a real run would be refused.
    planned = ansible_playbook(PLAYBOOK, simulator.inventory_path, "--check", extra_vars=instruction)
    assert planned.rc == 0, planned.output
    assert differences(before, snapshot(simulator.host)) == []
    report = planned.latest_report()
    assert report["run"]["status"] == "check"
    notice = [item for item in report["activities"][0]["evidence"] if item["kind"] == "instruction"]
    assert notice and notice[0]["level"] == "warning" and "una ejecución real será rechazada" in notice[0]["summary_es"]
