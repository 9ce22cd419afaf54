"""Activity mapping, statuses and run outcomes (plugins/plugin_utils/report/recorder.py, document.py)."""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils.procedure import ACTIVITIES
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.recorder import TaskInfo


def statuses(document: dict) -> list[str]:
    return [entry["status"] for entry in document["activities"]]


def test_a_new_report_has_the_twelve_activities_of_the_manual_pending(driver):
    document = driver.document()
    assert [entry["number"] for entry in document["activities"]] == list(range(1, 13))
    assert [entry["title"] for entry in document["activities"]] == [activity.title_es for activity in ACTIVITIES]
    assert statuses(document) == ["pending"] * 12
    assert document["run"]["status"] == "interrupted" and document["run"]["finalized"] is False
    assert document["activities"][2]["planned_minutes"] == {"min": 20, "max": 20} and document["activities"][2]["group"] == "3-8"
    assert document["activities"][8]["planned_minutes"] == {"min": 60, "max": 120}


def test_a_complete_run_succeeds_and_leaves_the_review_pending(driver):
    driver.activities(range(1, 12))
    document = driver.finalize()
    assert statuses(document) == ["done"] * 11 + ["pending"]
    assert document["run"]["status"] == "succeeded" and document["run"]["finalized"] is True
    assert document["run"]["current"] is None
    first = document["activities"][0]
    assert first["duration_seconds"] == 30.0 and first["task_counts"]["ok"] == 1


def test_the_review_activity_stays_pending_even_when_its_role_ran(driver):
    driver.activities(range(1, 13))
    document = driver.finalize()
    assert document["activities"][11]["status"] == "pending"
    assert document["activities"][11]["tasks"], "its tasks are still listed"
    assert document["run"]["status"] == "succeeded"


def test_while_running_the_report_reads_interrupted_with_the_activity_in_progress(driver):
    driver.activities([1, 2])
    driver.recorder.task_started(TaskInfo("u-x", "Wait", "command", 3, True), driver.clock.tick())
    document = driver.document()
    assert document["run"]["status"] == "interrupted" and document["run"]["finalized"] is False
    assert statuses(document)[:4] == ["done", "done", "interrupted", "pending"]
    assert document["run"]["current"]["task"] == "Wait" and document["run"]["current"]["activity"] == 3


def test_ctrl_c_closes_the_report_as_interrupted(driver):
    driver.activities([1, 2, 3])
    document = driver.finalize(interrupted=True)
    assert document["run"]["status"] == "interrupted" and document["run"]["finalized"] is True
    assert statuses(document)[:4] == ["done", "done", "interrupted", "pending"]


def test_a_failed_task_fails_its_activity_and_the_run_and_leaves_the_rest_pending(driver):
    driver.activities(range(1, 8))
    triage = {"outcome": "failed", "category": "reboot_pending", "error": "A reboot is pending.", "advice": {"es": "Reinicie.", "en": "Restart."},
              "findings": [{"category": "reboot_pending", "message": "x"}] * 30, "unrelated": "dropped"}
    driver.task(8, "failed", {"msg": "Setup failed", "rc": 1, "stderr": "a\n" * 3000, "triage": triage}, name="Run setup")
    document = driver.finalize(hosts_failed=True)
    assert statuses(document) == ["done"] * 7 + ["failed"] + ["pending"] * 4
    failure = document["run"]["failure"]
    assert failure["activity"] == 8 and failure["task"] == "Run setup" and failure["rc"] == 1
    assert failure["triage"]["advice"]["es"] == "Reinicie." and "unrelated" not in failure["triage"]
    assert len(failure["triage"]["findings"]) == 20
    assert len(failure["stderr_tail"]) < 2100
    assert document["activities"][7]["failure"] == failure
    assert document["run"]["status"] == "failed"
    kinds = [item["kind"] for item in document["activities"][7]["evidence"]]
    assert kinds == ["failure"]


def test_a_failure_outside_the_activities_fails_the_run(driver):
    driver.task(None, "unreachable", {"msg": "Failed to connect"}, name="Gathering Facts", in_role=False)
    document = driver.finalize()
    assert document["run"]["status"] == "failed"
    assert document["run"]["failure"]["activity"] is None and document["run"]["failure"]["unreachable"] is True
    assert document["run"]["tasks_outside_activities"]["unreachable"] == 1
    assert statuses(document) == ["pending"] * 12


def test_ignored_and_rescued_failures_do_not_fail_the_activity(driver):
    driver.activities(range(1, 9))
    driver.task(9, "ignored", {"msg": "tolerated"})
    driver.task(9, "rescued", {"msg": "recovered"})
    driver.task(9, "ok")
    driver.activities([10, 11])
    document = driver.finalize()
    assert document["run"]["status"] == "succeeded"
    entry = document["activities"][8]
    assert entry["status"] == "done" and entry["failure"] is None
    assert entry["task_counts"]["ignored"] == 1 and entry["task_counts"]["rescued"] == 1
    assert [item["level"] for item in entry["evidence"]] == ["warning", "warning"]


def test_an_activity_whose_every_task_was_skipped_is_skipped(driver):
    driver.activities([1, 2, 3, 4])
    driver.task(5, "skipped")
    driver.task(5, "skipped")
    driver.activities(range(6, 12))
    document = driver.finalize()
    assert document["activities"][4]["status"] == "skipped"
    assert document["run"]["status"] == "succeeded"


def test_activities_never_reached_make_a_partial_run(driver):
    driver.activities([1, 11])
    document = driver.finalize()
    assert document["run"]["status"] == "partial"
    assert statuses(document)[:3] == ["done", "pending", "pending"]


def test_check_mode_reads_check_and_turns_changes_into_plans(make_driver):
    driver = make_driver(check_mode=True)
    driver.task(1, "changed", name="Install a feature")
    driver.activities(range(2, 12))
    document = driver.finalize()
    assert document["run"]["status"] == "check"
    assert document["activities"][0]["evidence"][0]["kind"] == "plan"
    assert document["activities"][0]["evidence"][0]["summary_es"] == "Cambiaría: Install a feature"


def test_a_failed_check_run_reads_failed(make_driver):
    driver = make_driver(check_mode=True)
    driver.task(1, "failed", {"msg": "no instruction"})
    assert driver.finalize()["run"]["status"] == "failed"


def test_helper_roles_join_the_activity_in_progress_and_play_tasks_end_it(driver):
    driver.task(2)
    driver.task(None, "changed", in_role=True, name="helper role task")
    assert driver.document()["activities"][1]["task_counts"]["changed"] == 1
    driver.task(None, "ok", in_role=False, name="post task")
    document = driver.document()
    assert document["activities"][1]["status"] == "done", "a play-level task closes the activity"
    assert document["run"]["tasks_outside_activities"]["ok"] == 1


def test_a_handler_of_an_earlier_activity_is_counted_there_without_moving_back(driver):
    driver.activities([1, 2, 3])
    driver.task(2, "changed", name="restart handler")
    driver.task(4)
    document = driver.document()
    assert document["activities"][1]["task_counts"]["changed"] == 1
    assert document["run"]["current"]["activity"] == 4


def test_evidence_run_and_target_merge_from_the_contract(driver):
    driver.task(1, result={"rpi_report": {"evidence": [{"kind": "instruction", "summary_es": "Instrucción"}],
                                          "run": {"instruction": {"who": "Ing. Ana López", "reference": "OF-1"}}}})
    driver.task(2, result={"rpi_report": {"target": {"host": "RPI-EXCH01", "os": "Windows Server 2022",
                                                     "exchange_before": {"installed": True, "version": "15.2.1544.4"}}}})
    driver.task(10, result={"rpi_report": {"target": {"exchange_after": "15.2.1748.10", "os": {"build": "20348"}}}})
    document = driver.document()
    assert document["run"]["instruction"] == {"who": "Ing. Ana López", "reference": "OF-1"}
    target = document["target"]
    assert target["host"] == "RPI-EXCH01", "a host a role names wins over the inventory name"
    assert target["os"] == {"name": "Windows Server 2022", "build": "20348"}
    assert target["exchange_after"] == {"installed": True, "version": "15.2.1748.10"}
    item = document["activities"][0]["evidence"][0]
    assert item["summary_en"] == "Instrucción" and item["task"] and item["time"].endswith("Z")


def test_a_module_sending_odd_fields_gets_warnings_not_a_broken_run(driver):
    driver.task(3, result={"rpi_report": {"evidence": [{"kind": "magic", "summary_es": "x"}, {"kind": "note", "summary_es": "ok"}],
                                          "target": {"colour": "blue"}, "extra": 1}})
    document = driver.document()
    assert [item["summary_es"] for item in document["activities"][2]["evidence"]] == ["ok"]
    assert len(driver.recorder.warnings) == 3


def test_a_reboot_is_evidence_by_itself(driver):
    driver.task(9, "changed", {"elapsed": 95}, action="ansible.windows.win_reboot", name="Restart")
    item = driver.document()["activities"][8]["evidence"][0]
    assert item["kind"] == "reboot" and item["details"] == {"elapsed_seconds": 95}


def test_a_no_log_result_keeps_only_its_status(driver):
    censored = {"censored": "the output has been hidden", "changed": True,
                "rpi_report": {"evidence": [{"kind": "note", "summary_es": "hidden"}]}}
    driver.task(3, "changed", censored)
    driver.task(4, "failed", {"censored": "hidden", "msg": "secret in message"})
    document = driver.document()
    assert all(item["summary_es"] != "hidden" for item in document["activities"][2]["evidence"])
    failure = document["activities"][3]["failure"]
    assert failure["censored"] is True and failure["msg"] is None


def test_long_runs_are_capped(driver):
    for _index in range(305):
        driver.task(9)
    entry = driver.document()["activities"][8]
    assert len(entry["tasks"]) == 300 and entry["tasks_not_listed"] == 5 and entry["task_counts"]["ok"] == 305


def test_the_technician_from_the_inventory_does_not_override_one_a_role_reported(driver):
    driver.task(1, result={"rpi_report": {"run": {"technician": "Téc. María"}}})
    driver.recorder.set_technician({"name": "other", "source": "variable"})
    assert driver.document()["run"]["technician"] == {"name": "Téc. María", "source": "report"}


def test_finalize_twice_changes_nothing(driver):
    driver.activities(range(1, 12))
    first = driver.finalize()
    driver.recorder.finalize(driver.clock.tick(100), interrupted=True)
    assert driver.document()["run"]["status"] == first["run"]["status"] == "succeeded"
