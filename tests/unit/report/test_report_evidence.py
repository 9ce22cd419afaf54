"""The evidence contract (plugins/plugin_utils/report/evidence.py)."""

from __future__ import annotations

from pathlib import Path

import yaml

from ansible_collections.rpi.exchange.plugins.filter.run_status import run_status
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.document import provisional
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import normalize_payload
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.recorder import TaskInfo


def test_a_complete_payload_is_kept():
    payload = normalize_payload({
        "evidence": [{"kind": "command", "summary_es": "Línea", "summary_en": "Line", "level": "ok",
                      "details": {"command_line": "Setup.exe /Mode:Upgrade"}}],
        "run": {"instruction": {"who": "Ing. Ana López", "reference": "OF-1", "planned_window": {"start": "22:00", "end": "02:00"}},
                "technician": "Téc. Juan"},
        "target": {"host": "RPI-EXCH01", "mode": "upgrade", "os": {"name": "Windows Server 2022", "build": 20348},
                   "exchange_before": {"installed": False}, "exchange_after": "15.2.1748.10"},
    })
    assert payload.problems == []
    assert payload.evidence == [{"kind": "command", "level": "ok", "summary_es": "Línea", "summary_en": "Line",
                                 "details": {"command_line": "Setup.exe /Mode:Upgrade"}}]
    assert payload.run["instruction"]["planned_window"] == {"start": "22:00", "end": "02:00"}
    assert payload.run["technician"] == {"name": "Téc. Juan", "source": "report"}
    assert payload.target["os"] == {"name": "Windows Server 2022", "build": "20348"}
    assert payload.target["exchange_before"] == {"installed": False}
    assert payload.target["exchange_after"] == {"installed": True, "version": "15.2.1748.10"}


def test_one_summary_stands_for_both_languages_and_a_single_mapping_is_a_list():
    payload = normalize_payload({"evidence": {"kind": "note", "summary_en": "Only English"}})
    assert payload.evidence[0]["summary_es"] == payload.evidence[0]["summary_en"] == "Only English"
    assert payload.evidence[0]["level"] == "info" and payload.evidence[0]["details"] == {}


def test_mistakes_are_named():
    payload = normalize_payload({"evidence": [{"kind": "magic", "summary_es": "x"}, {"kind": "note"}, "text",
                                              {"kind": "note", "summary_es": "x", "level": "loud", "colour": 1}],
                                 "run": {"who": "x", "instruction": {"by": "y"}}, "target": {"mode": "reinstall", "ram": 4},
                                 "other": 1})
    text = " | ".join(payload.problems)
    for expected in ("kind 'magic'", "needs summary_es", "must be a mapping", "level 'loud'", "unknown field(s) colour",
                     "run has unknown field(s) who", "run.instruction has unknown field(s) by", "target.mode 'reinstall'",
                     "target has unknown field(s) ram", "rpi_report has unknown field(s) other"):
        assert expected in text, expected
    assert [item["summary_es"] for item in payload.evidence] == ["x"]


def test_oversized_details_are_cut_not_refused():
    payload = normalize_payload({"evidence": [{"kind": "note", "summary_es": "big", "details": {"lines": ["x" * 1000] * 100}}]})
    assert payload.evidence[0]["details"]["truncated"] is True


def test_not_a_mapping():
    assert normalize_payload(["x"]).problems == ["rpi_report must be a mapping"]


# ------------------------------------------------------------------ the run's status, computed once (document.py)
SUMMARY_TASK = Path(__file__).resolve().parents[3] / "roles" / "report_installation" / "tasks" / "publish_summary.yml"


def _in_activity_11(driver):
    for number in range(1, 11):
        driver.task(number)
    driver.recorder.task_started(TaskInfo("notice", "Inform", "rpi.exchange.report_notice", 11, True), driver.clock.tick())
    return driver.document()


def test_the_summary_task_takes_the_status_from_the_report_code():
    variables = yaml.safe_load(SUMMARY_TASK.read_text(encoding="utf-8"))[0]["vars"]
    assert variables["report_installation_status"] == "{{ report_installation_report | rpi.exchange.run_status(ansible_check_mode) }}"
    assert "selectattr('status'" not in SUMMARY_TASK.read_text(encoding="utf-8"), "a Jinja copy of the status rules is back"


def test_the_current_activity_counts_as_done_in_both_places(driver):
    document = _in_activity_11(driver)
    assert document["activities"][10]["status"] == "interrupted"
    assert run_status(document) == provisional(document, "2026-11-27T18:00:00.000Z")["run"]["status"] == "succeeded"


def test_an_activity_left_interrupted_gives_the_same_status_in_both_places(driver):
    document = _in_activity_11(driver)
    document["activities"][4]["status"] = "interrupted"  # activity 5 never closed; the old Jinja copy read it as done
    assert run_status(document) == provisional(document, "2026-11-27T18:00:00.000Z")["run"]["status"] == "partial"


def test_a_failure_and_check_mode_read_the_same_in_both_places(make_driver):
    failed, dry = make_driver(), make_driver(check_mode=True)
    failed.task(3, "failed", {"msg": "x"})
    for driver, expected in ((failed, "failed"), (dry, "check")):
        document = _in_activity_11(driver)
        assert run_status(document) == provisional(document, "2026-11-27T18:00:00.000Z")["run"]["status"] == expected


def test_without_a_report_the_run_reached_the_summary_without_a_failure():
    assert run_status({}) == "succeeded" and run_status({}, True) == "check" and run_status("", False) == "succeeded"
