"""Reading a setup run's outcome from exit code, log triage and registry; the messages and the report evidence."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import result
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import normalize_payload
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import SCHED_S_TASK_HAS_NOT_RUN, TaskState
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.watch import (
    FINISHED,
    NOT_STARTED,
    TASK_VANISHED,
    TIMED_OUT,
    Milestone,
    WatchResult,
)

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
    assert "Mensaje de Setup: «Unable to set shared config DC.» (línea 287 de ExchangeSetup.log)." in message
    assert "HubTransportRole" in message and "Recomendación: Inicie MSExchangeADTopology." in message
    assert "Encargado de TI" in message
    assert "Category: ad_topology_service." in result.failure_message(outcome, "install", 42.0, "en")


def test_a_failure_the_log_does_not_explain():
    outcome = result.read_outcome(finished(1), media_version=CU15, version_before=None, after=facts(installed=False),
                                  run_triage={"outcome": "incomplete", "category": None, "error": None})
    assert outcome.category == result.NOT_CONFIRMED and "MSExchangeSetup" in outcome.advice_es


# Issue 16, item 4: setup that exits at once and writes no ExchangeSetup.log.

def test_setup_that_wrote_no_log_is_not_sent_back_to_the_log():
    outcome = result.read_outcome(finished(0xE0434352), media_version=CU15, version_before=None,
                                  after=facts(None, installed=False, pending=False), run_triage=None)
    assert not outcome.succeeded and outcome.category == result.NO_SETUP_LOG
    for advice in (outcome.advice_es, outcome.advice_en):
        assert "0xE0434352 (3762504530)" in advice and "LastTaskResult" in advice and ".NET Runtime" in advice
        assert "Revise %SystemDrive%\\ExchangeSetupLogs" not in advice and "review %SystemDrive%\\ExchangeSetupLogs" not in advice
    assert "excepción .NET no controlada" in outcome.advice_es and "unhandled .NET exception" in outcome.advice_en
    assert "sin escribir nada en %SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log" in outcome.advice_es
    assert "registro de eventos Aplicación" in outcome.advice_es and "Application event log" in outcome.advice_en
    message = result.failure_message(outcome, "install", 0.1, "es")
    assert "Categoría: no_setup_log." in message and message.count("0xE0434352") == 1 and "Encargado de TI" in message
    assert "línea" not in message  # no log line to point to


@pytest.mark.parametrize("code, es, en", [
    (0xE0434352, "excepción .NET no controlada", "unhandled .NET exception"),
    (0x80070005, "acceso denegado", "access denied"),
    (1603, "error grave durante la instalación", "fatal error during installation"),
    (1618, "otra instalación está en curso", "another installation is in progress"),
    (3010, "hay que reiniciar", "a restart is required"),
    (0xC000013A - 2**32, "CTRL+C", "CTRL+C"),
    (1, "la instalación no se completó", "setup did not complete"),
])
def test_documented_exit_codes_in_hexadecimal_with_their_meaning(code, es, en):
    value = code & 0xFFFFFFFF
    assert result.exit_code_meaning(code, "es") == f"código de salida 0x{value:08X} ({value}): " + result.EXIT_CODES[value][0]
    assert es in result.exit_code_meaning(code, "es") and en in result.exit_code_meaning(code, "en")
    advice_es, advice_en = result.no_log_advice(code)
    assert f"0x{value:08X}" in advice_es and f"0x{value:08X}" in advice_en


def test_an_undocumented_exit_code_is_shown_without_a_meaning():
    assert result.exit_code_meaning(0x8000FFFF, "es") == "código de salida 0x8000FFFF (2147549183) (significado no catalogado)"
    assert result.exit_code_meaning(0x8000FFFF, "en") == "exit code 0x8000FFFF (2147549183) (meaning not catalogued)"
    assert result.exit_code_meaning(None, "en") == "unknown exit code"


def test_a_crash_the_log_shows_gives_the_code_meaning_too():
    outcome = result.read_outcome(finished(0xE0434352), media_version=CU15, version_before=None, after=facts(installed=False),
                                  run_triage={"outcome": "incomplete", "category": None, "error": None})
    assert outcome.category == result.NOT_CONFIRMED
    assert "0xE0434352" in outcome.exit_text_es and "excepción .NET no controlada" in outcome.exit_text_es
    assert "excepción .NET no controlada" in result.failure_message(outcome, "install", 3.0, "es")


def test_own_advice_names_the_log_only_when_the_run_wrote_one():
    gone = WatchResult(TASK_VANISHED, polls=4, elapsed_seconds=60.0)
    without = result.read_outcome(gone, media_version=CU15, version_before=None, after=facts(installed=False), run_triage=None)
    with_log = result.read_outcome(gone, media_version=CU15, version_before=None, after=facts(installed=False), run_triage=FAILED)
    assert without.category == with_log.category == result.TASK_GONE
    assert "ExchangeSetup.log." not in without.advice_es and "no escribió nada en ExchangeSetup.log" in without.advice_es
    assert "%SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log" in with_log.advice_es
    zero = result.read_outcome(finished(0), media_version=CU15, version_before=None, after=facts(installed=False), run_triage=None)
    assert zero.category == result.INCONSISTENT and "no escribió nada en ExchangeSetup.log" in zero.advice_es
    assert "C:\\ExchangeSetupLogs" not in zero.advice_es + zero.advice_en


def test_the_no_log_evidence_fits_the_report_contract():
    watch = finished(0xE0434352)
    outcome = result.read_outcome(watch, media_version=CU15, version_before=None, after=facts(None, installed=False),
                                  run_triage=None)
    items = result.run_items(outcome, watch, mode="install", command_line="E:\\Setup.exe /Mode:Install", media_version=CU15,
                             task_path="\\RPI\\rpi-exchange-setup", attached=False)
    normalized = normalize_payload({"evidence": items})
    assert normalized.problems == []
    assert [item["kind"] for item in normalized.evidence] == ["change", "version", "note", "triage"]
    assert normalized.evidence[-1]["details"] == {"setup_log_written": False, "exit_code": 0xE0434352,
                                                  "exit_code_hex": "0xE0434352"}
    assert "no escribió nada" in normalized.evidence[-1]["summary_es"]


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
    # Modes the report does not know are left out of the target rather than refused; a recovery it knows (issue 17).
    assert "mode" not in result.report_target("uninstall", CU15, None)
    assert result.report_target("recoverserver", CU15, None)["mode"] == "recoverserver"
    check = result.plan_item(decision, {"command_line": "x"}, check_mode=True, run_as_user="u", warnings=[])
    assert check["kind"] == "plan"
