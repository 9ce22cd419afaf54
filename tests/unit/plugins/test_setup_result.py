"""Reading a setup run's outcome from exit code, log triage and registry; the messages and the report evidence."""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils import setup_result as result
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import normalize_payload
from ansible_collections.rpi.exchange.plugins.plugin_utils.setup_runner import SCHED_S_TASK_HAS_NOT_RUN, TaskState
from ansible_collections.rpi.exchange.plugins.plugin_utils.setup_watch import FINISHED, NOT_STARTED, TIMED_OUT, Milestone, WatchResult

CU14, CU15 = "15.2.1544.4", "15.2.1748.10"
SUCCEEDED = {"outcome": "succeeded", "category": None, "error": None, "error_line": None,
             "advice": {"es": "Reinicie.", "en": "Restart."}}
FAILED = {"outcome": "failed", "category": "ad_topology_service", "error": "Unable to set shared config DC.",
          "error_line": 287, "advice": {"es": "Inicie MSExchangeADTopology.", "en": "Start MSExchangeADTopology."}}


def facts(version=CU15, installed=True, interrupted=None, pending=True):
    return {"exchange": {"version": version, "installed": installed, "interrupted": interrupted or {}},
            "pending_reboot": {"pending": pending, "sources": ["session_manager"] if pending else []}}


def finished(code, status=FINISHED):
    return WatchResult(status, task=TaskState(True, "TASK_STATE_READY", code), polls=12, elapsed_seconds=3600.0,
                       milestones=[Milestone(60.0, "configuration", None, "install-msipackage")])


def test_success_needs_all_three_sources():
    outcome = result.read_outcome(finished(0), media_version=CU15, version_before=CU14, after=facts(), run_triage=SUCCEEDED)
    assert outcome.succeeded and outcome.reboot_required and outcome.category is None
    assert outcome.version_before == CU14 and outcome.version_after == CU15


def test_exit_zero_without_the_build_in_the_registry_is_inconsistent():
    outcome = result.read_outcome(finished(0), media_version=CU15, version_before=CU14, after=facts(CU14),
                                  run_triage=SUCCEEDED)
    assert not outcome.succeeded and outcome.category == result.INCONSISTENT
    outcome = result.read_outcome(finished(0), media_version=CU15, version_before=None, after=facts(),
                                  run_triage=FAILED)
    assert outcome.category == result.INCONSISTENT and outcome.error == FAILED["error"]


def test_a_failure_takes_the_log_triage_category_and_advice():
    after = facts(installed=False, interrupted={"HubTransportRole": {"action": "Install", "watermark": "x___1"}}, pending=False)
    outcome = result.read_outcome(finished(1), media_version=CU15, version_before=None, after=after, run_triage=FAILED)
    assert not outcome.succeeded and outcome.category == "ad_topology_service"
    assert outcome.error_line == 287 and outcome.advice_es == "Inicie MSExchangeADTopology."
    message = result.failure_message(outcome, "install", 42.0, "es")
    assert "Categoría: ad_topology_service." in message
    assert "Error: Unable to set shared config DC. (línea 287 de ExchangeSetup.log)." in message
    assert "HubTransportRole" in message and "Recomendación: Inicie MSExchangeADTopology." in message
    assert "Encargado de TI" in message
    assert "Category: ad_topology_service." in result.failure_message(outcome, "install", 42.0, "en")


def test_a_failure_the_log_does_not_explain():
    outcome = result.read_outcome(finished(1), media_version=CU15, version_before=None, after=facts(installed=False),
                                  run_triage=None)
    assert outcome.category == result.NOT_CONFIRMED and "MSExchangeSetup" in outcome.advice_es


def test_setup_killed_from_outside():
    outcome = result.read_outcome(finished(0x40010004), media_version=CU15, version_before=CU14, after=facts(CU14),
                                  run_triage={"outcome": "incomplete", "category": None, "error": None})
    assert outcome.category == result.INTERRUPTED and "reinicio" in outcome.exit_text_es


def test_a_watch_that_did_not_finish():
    timed_out = WatchResult(TIMED_OUT, polls=100, elapsed_seconds=14400.0)
    outcome = result.read_outcome(timed_out, media_version=CU15, version_before=CU14, after=None, run_triage=None)
    assert outcome.category == result.TIMEOUT and outcome.exit_code is None and "no se detuvo" in outcome.advice_es
    not_started = WatchResult(NOT_STARTED, task=TaskState(True, "TASK_STATE_READY", SCHED_S_TASK_HAS_NOT_RUN), polls=3)
    outcome = result.read_outcome(not_started, media_version=CU15, version_before=None, after=facts(None, False), run_triage=None)
    assert outcome.category == result.SETUP_NOT_STARTED and outcome.exit_code == SCHED_S_TASK_HAS_NOT_RUN


def test_same_cu_ignores_the_security_update():
    assert result.same_cu("15.2.1748.24", CU15) and not result.same_cu(CU14, CU15) and not result.same_cu(None, CU15)
    assert result.version_label(CU15) == "15.2.1748.10 (2019 CU15)" and result.version_label(None) == "-"


def test_the_evidence_fits_the_report_contract():
    watch = finished(1)
    outcome = result.read_outcome(watch, media_version=CU15, version_before=None, after=facts(installed=False),
                                  run_triage=FAILED)
    decision = {"mode": "install", "reason": "fresh_install", "message_es": "Se instalará.", "message_en": "Will install."}
    items = [result.plan_item(decision, {"command_line": "E:\\Setup.exe /Mode:Install"}, check_mode=False,
                              run_as_user="RPI\\svc-exchange", warnings=[("aviso", "warning")])]
    items += result.run_items(outcome, watch, mode="install", command_line="E:\\Setup.exe /Mode:Install", media_version=CU15,
                              task_path="\\RPI\\rpi-exchange-setup", attached=False)
    payload = {"evidence": items, "target": result.report_target("install", CU15, facts(None, False), facts(installed=False))}
    normalized = normalize_payload(payload)
    assert normalized.problems == []
    assert [item["kind"] for item in normalized.evidence] == ["command", "change", "version", "note", "triage"]
    assert normalized.evidence[1]["level"] == "error"
    assert normalized.target["mode"] == "install" and normalized.target["exchange_before"] == {"installed": False}
    # Modes the report does not know are left out of the target rather than refused.
    assert "mode" not in result.report_target("recoverserver", CU15, None)
    check = result.plan_item(decision, {"command_line": "x"}, check_mode=True, run_as_user="u", warnings=[])
    assert check["kind"] == "plan"
