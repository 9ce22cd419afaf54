"""Ansible's own failures in the report and on the console, in Spanish, naming the setting that bounds them (issue 16, item 3).

plugins/plugin_utils/report/ansible_messages.py (the table), failure.py (the failure record, the evidence line, the console
summary) and html_render.py (the diagnosis).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.ansible_messages import (
    BOOT_TIME_COMMAND_SETTING,
    CONNECTION_ROWS,
    REBOOT_TIMEOUT_SETTING,
    ROWS,
    Context,
    explain,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.failure import console_summary
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render

ROOT = Path(__file__).resolve().parents[3]
WIN_REBOOT = "ansible.windows.win_reboot"
UNREACHABLE = ("Task failed: ntlm: HTTPSConnectionPool(host='10.20.1.15', port=5986): Max retries exceeded with url: /wsman "
               "(Caused by NewConnectionError(\"HTTPSConnection(host='10.20.1.15', port=5986): Failed to establish a new "
               "connection: [Errno 111] Connection refused\"))")

# (message as ansible-core 2.19 / ansible.windows 2.x / the winrm plugin write it, activity, action) -> (row, setting)
KNOWN = [
    ("Timed out waiting for last boot time check (timeout=30.0)", 9, WIN_REBOOT, "reboot_timeout", "rpi_exchange_reboot_timeout"),
    ("Timed out waiting for last boot time check (timeout=1800)", 4, WIN_REBOOT, "reboot_timeout",
     "start_installation_reboot_timeout"),
    ("El reinicio del servidor falló (había un reinicio pendiente antes de empezar (CBS)): Timed out waiting for last boot "
     "time check (timeout=1800)", 2, "rpi.exchange.exchange_prerequisites", "reboot_timeout", "prepare_server_reboot_timeout"),
    ("Timed out waiting for post-reboot test command (timeout=3600)", 9, WIN_REBOOT, "reboot_not_ready",
     "rpi_exchange_reboot_timeout"),
    ("Timed out waiting for pre-reboot boot time check (timeout=3)", 9, WIN_REBOOT, "boot_time_unreadable",
     "await_installation_boot_time_command"),
    ("win_reboot: failed to get host boot time info", 4, WIN_REBOOT, "boot_time_unreadable", "start_installation_boot_time_command"),
    ("win_reboot: Reboot command failed", 9, WIN_REBOOT, "reboot_refused", None),
    (UNREACHABLE, 1, "rpi.exchange.exchange_facts", "winrm_unreachable", "ansible_host, ansible_port"),
    ("Task failed: ntlm: the specified credentials were rejected by the server", None, "ansible.builtin.gather_facts",
     "credentials_rejected", "ansible_user, ansible_password"),
    ("Kerberos auth failure for principal svc-ansible@RPI.LOCAL: kinit: Preauthentication failed while getting initial "
     "credentials", 1, "rpi.exchange.exchange_facts", "credentials_rejected", "ansible_user, ansible_password"),
    ("kerberos: WinRM Kerberos authentication requested but the python kerberos library is not installed. Please install the "
     "pykerberos library", 1, "rpi.exchange.exchange_facts", "kerberos_missing", "ansible_winrm_transport"),
    ("ntlm: HTTPSConnectionPool(host='rpi-exch01', port=5986): Max retries exceeded with url: /wsman (Caused by "
     "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local "
     "issuer certificate (_ssl.c:1006)')))", 1, "rpi.exchange.exchange_facts", "certificate_untrusted",
     "ansible_winrm_ca_trust_path"),
    ("the connection attempt timed out", 3, "ansible.windows.win_stat", "winrm_operation_timeout",
     "ansible_winrm_operation_timeout_sec"),
    ("ntlm: HTTPSConnectionPool(host='rpi-exch01', port=5986): Read timed out. (read timeout=90)", 8,
     "ansible.windows.win_shell", "winrm_read_timeout", "ansible_winrm_read_timeout_sec"),
    ("winrm connection error: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
     8, "ansible.windows.win_shell", "winrm_dropped", None),
    ("async task did not complete within the requested time - 600s", 2, "ansible.windows.win_package", "async_timeout",
     "async (tarea «Install UCMA»)"),
    ("could not find job", 2, "ansible.builtin.async_status", "async_job_lost", None),
    ("Task failed: Finalization of task args for 'ansible.windows.win_reboot' failed: Error while resolving value for "
     "'reboot_timeout': 'rpi_exchange_reboot_timeout' is undefined", 9, WIN_REBOOT, "undefined_variable",
     "rpi_exchange_reboot_timeout"),
    ("Task failed: 'dict object' has no attribute 'sha256'", 2, "ansible.builtin.set_fact", "undefined_variable", "sha256"),
    ("Unexpected AnsibleActionFail error: Could not find or access '/srv/media/ExchangeServerSE-x64.iso' on the Ansible "
     "Controller.", 2, "ansible.windows.win_copy", "missing_file", "/srv/media/ExchangeServerSE-x64.iso"),
    ("missing required arguments: rpi_exchange_setup_user found in await_installation", 9, "ansible.builtin.validate_argument_spec",
     "bad_arguments", "rpi_exchange_setup_user"),
    ("Unsupported parameters for (ansible.windows.win_reboot) module: reboot_timout. Supported parameters include: msg",
     9, WIN_REBOOT, "bad_arguments", "reboot_timout"),
    # A role's argument check: ansible-core's first line, then the argument it refused (the name must not be lost).
    ("Validation of arguments failed:\nargument 'rpi_exchange_thresholds' is of type <class 'NoneType'> and we were unable "
     "to convert to dict", 2, "ansible.builtin.validate_argument_spec", "bad_arguments", "rpi_exchange_thresholds"),
    ("MODULE FAILURE\nSee stdout/stderr for the exact error", 8, "ansible.windows.win_shell", "module_crashed", None),
    ("Unexpected failure during module execution: 'NoneType' object has no attribute 'get'", 8, "rpi.exchange.exchange_setup",
     "internal_error", None),
]


@pytest.mark.parametrize("message, activity, action, row, setting", KNOWN, ids=[item[3] + f"-{i}" for i, item in enumerate(KNOWN)])
def test_every_known_message_is_explained_in_both_languages_naming_its_setting(message, activity, action, row, setting):
    # The collection's own actions meet the connection's messages only as an unreachable host (see the test below).
    unreachable = action.startswith("rpi.exchange.") and row in CONNECTION_ROWS
    explanation = explain(message, Context(activity=activity, task="Install UCMA", action=action, unreachable=unreachable))
    assert explanation is not None and explanation.known == row, explanation
    assert explanation.setting == setting
    if setting:
        assert setting in explanation.es and setting in explanation.en
    assert explanation.advice_es and explanation.advice_en, "and says what to do"
    assert "{" not in explanation.es + explanation.advice_es, "every placeholder was filled"
    for english_only in ("Timed out", "waiting", "failed", "Connection refused", "is undefined"):
        assert english_only not in explanation.es.replace(setting or "", ""), explanation.es


def test_every_row_of_the_table_is_tried_by_a_real_message():
    assert {row.key for row in ROWS} == {item[3] for item in KNOWN}


def test_the_reboot_settings_are_the_roles_real_variables():
    """Each name is declared by the role of its activity (defaults or argument specs), so the advice points to something real."""
    roles = {2: "prepare_server", 4: "start_installation", 9: "await_installation"}
    for table in (REBOOT_TIMEOUT_SETTING, BOOT_TIME_COMMAND_SETTING):
        for activity, name in table.items():
            role = ROOT / "roles" / roles[activity]
            declared = (role / "defaults" / "main.yml").read_text(encoding="utf-8") + (role / "meta" / "argument_specs.yml").read_text(
                encoding="utf-8")
            assert re.search(rf"^\s*{name}:", declared, re.MULTILINE), (activity, name)
            # ... and the task that restarts (or its action's argument) uses it.
            tasks = (role / "tasks" / "main.yml").read_text(encoding="utf-8")
            assert name in tasks, (activity, name)


def test_the_timeout_reads_as_a_whole_number():
    explanation = explain("Timed out waiting for last boot time check (timeout=30.0)", Context(activity=9, action=WIN_REBOOT))
    assert "dentro de 30 segundos" in explanation.es and "rpi_exchange_reboot_timeout" in explanation.es


def test_an_unknown_ansible_message_is_kept_beside_a_spanish_framing():
    explanation = explain("Task failed: Action failed: Something nobody has seen before", Context(action="ansible.windows.win_file"))
    assert explanation.known is None and explanation.setting is None
    assert explanation.es == "Ansible informó: Something nobody has seen before"
    assert explanation.en == "Ansible reported: Something nobody has seen before"


def test_a_server_answer_quoted_by_an_own_action_is_not_taken_for_the_connections():
    """exchange_verify quotes a health page's HTTP 401: that is Exchange's answer, not WinRM refusing the logon."""
    quoted = "La página https://localhost/owa/healthcheck.htm respondió 401 Unauthorized; el servicio MSExchangeOWAAppPool falla."
    assert explain(quoted, Context(activity=10, action="rpi.exchange.exchange_verify")) is None
    unreachable = explain("ntlm: the specified credentials were rejected by the server",
                          Context(activity=1, action="rpi.exchange.exchange_facts", unreachable=True))
    assert unreachable.known == "credentials_rejected"
    # An own action still quoting ansible.windows' restart is explained (exchange_prerequisites restarts through win_reboot).
    assert explain("El reinicio del servidor falló: Timed out waiting for last boot time check (timeout=1800)",
                   Context(activity=2, action="rpi.exchange.exchange_prerequisites")).setting == "prepare_server_reboot_timeout"


def test_the_collections_own_messages_are_already_in_the_runs_language():
    own = "El servidor tiene 8 GB de memoria; el mínimo es 64 GB (rpi_exchange_thresholds.min_memory_gb)."
    assert explain(own, Context(activity=2, action="rpi.exchange.server_readiness")) is None
    assert explain("", Context(action="ansible.windows.win_file")) is None


# ------------------------------------------------------------------------------------------- the report and the console

def _restart_never_came_back(driver, language_driver=None):
    driver = language_driver or driver
    driver.activities(range(1, 9))
    driver.task(9, "failed", {"msg": "Timed out waiting for last boot time check (timeout=30.0)", "rebooted": True},
                name="Restart the server to bring up the newly installed services", action=WIN_REBOOT)
    return driver.finalize(hosts_failed=True)


def test_the_failure_keeps_the_original_text_and_its_explanation(driver):
    failure = _restart_never_came_back(driver)["run"]["failure"]
    assert failure["msg"] == "Timed out waiting for last boot time check (timeout=30.0)"
    explanation = failure["explanation"]
    assert explanation["known"] == "reboot_timeout" and explanation["setting"] == "rpi_exchange_reboot_timeout"
    assert explanation["es"].startswith("El servidor se reinició y no volvió a responder dentro de 30 segundos")
    assert "rpi_exchange_reboot_timeout" in explanation["advice"]["es"]


def test_the_evidence_line_reads_in_spanish(driver):
    document = _restart_never_came_back(driver)
    item = [entry for entry in document["activities"][8]["evidence"] if entry["kind"] == "failure"][0]
    assert "rpi_exchange_reboot_timeout" in item["summary_es"] and "Timed out" not in item["summary_es"]
    assert "rpi_exchange_reboot_timeout" in item["summary_en"] and "did not answer again" in item["summary_en"]


def test_a_triage_still_outranks_the_table(driver):
    driver.activities(range(1, 8))
    triage = {"category": "reboot_pending", "error": "A reboot is pending.", "advice": {"es": "Reinicie.", "en": "Restart."}}
    driver.task(8, "failed", {"msg": "Setup failed: Unexpected failure during module execution", "triage": triage}, name="Run setup",
                action="rpi.exchange.exchange_setup")
    document = driver.finalize()
    item = [entry for entry in document["activities"][7]["evidence"] if entry["kind"] == "failure"][0]
    assert "A reboot is pending." in item["summary_es"]
    assert console_summary(document)[1:] == ["  Qué pasó: A reboot is pending.", "  Qué hacer: Reinicie."]


def test_a_no_log_failure_explains_nothing(driver):
    driver.task(4, "failed", {"censored": "the output has been hidden due to the fact that 'no_log: true' was specified"})
    failure = driver.finalize()["run"]["failure"]
    assert failure["explanation"] is None
    assert "Detalle oculto por no_log." in console_summary(driver.document())[1]


def test_the_console_summary_says_where_what_and_what_to_do_in_the_reports_language(driver, make_driver):
    lines = console_summary(_restart_never_came_back(driver))
    assert lines[0] == ("La ejecución se detuvo en la actividad 9, tarea «Restart the server to bring up the newly installed "
                        "services» (servidor rpi-exch01).")
    assert lines[1].startswith("  Qué pasó: El servidor se reinició") and "rpi_exchange_reboot_timeout" in lines[1]
    assert lines[2].startswith("  Qué hacer: ") and "aumente rpi_exchange_reboot_timeout" in lines[2]
    english = console_summary(_restart_never_came_back(None, make_driver(language="en")))
    assert english[0].startswith("The run stopped in activity 9") and english[1].startswith("  What happened: The server restarted")
    assert console_summary(make_driver().finalize()) == [], "a run that did not fail prints nothing more"


def test_the_console_summary_of_an_unreachable_host_outside_the_activities(driver):
    driver.task(None, "unreachable", {"msg": UNREACHABLE}, name="Gathering Facts", in_role=False)
    lines = console_summary(driver.finalize())
    assert lines[0] == "La ejecución se detuvo en la tarea «Gathering Facts» (servidor rpi-exch01)."
    assert "ansible_host, ansible_port" in lines[1] and "Test-WSMan" in lines[2]


def test_the_page_shows_what_happened_and_what_to_do(driver, make_driver):
    page = render(_restart_never_came_back(driver))
    assert "<dt>Qué pasó</dt><dd>El servidor se reinició y no volvió a responder dentro de 30 segundos" in page
    assert "aumente rpi_exchange_reboot_timeout en el inventario" in page, "the advice is the table's, not the generic one"
    assert "Timed out waiting for last boot time check" in page, "the original message is still shown"
    english = render(_restart_never_came_back(None, make_driver(language="en")), "en")
    assert "<dt>What happened</dt><dd>The server restarted and did not answer again within 30 seconds" in english


def test_the_report_with_an_explanation_keeps_to_its_schema(driver):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in requirements-dev.txt")
    import json  # pylint: disable=import-outside-toplevel

    schema = json.loads((ROOT / "plugins" / "plugin_utils" / "report" / "schema.json").read_text(encoding="utf-8"))
    document = _restart_never_came_back(driver)
    assert [error.message for error in jsonschema.Draft202012Validator(schema).iter_errors(document)] == []
    assert "explanation" in schema["$defs"]["failure"]["properties"]
