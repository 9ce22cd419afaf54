"""A Spanish report has no English outside quoted Microsoft messages: a full install and a failed upgrade.

The reports are built the way the callback builds them, from every task of every role (their real names, and
ansible-core's argument check of each role) and the evidence the setup action really writes.
"""

from __future__ import annotations

import pathlib

import pytest
import yaml

from report_english import english_words, visible_text

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import result
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.mode import decide_mode
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import TaskState
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.watch import FINISHED, Milestone, WatchResult
from ansible_collections.rpi.exchange.plugins.plugin_utils.procedure import activity_for_role
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render

ROLES = pathlib.Path(__file__).resolve().parents[3] / "roles"
CU15, SE = "15.2.1748.10", "15.2.2562.17"
SETUP_TASK = "Run Exchange setup with the validated options and watch it to the end"
FAILED_TRIAGE = {"outcome": "failed", "category": "search_foundation", "operation": "upgrade", "error_line": 4211,
                 "error": "The following error was generated when \"$error.Clear(); & $RoleBinPath\\InstallConfig.ps1\" was run: "
                          "\"Search Foundation for Exchange could not be installed.\"",
                 "advice": {"es": "Detenga los servicios de búsqueda y vuelva a ejecutar la instalación.",
                            "en": "Stop the search services and run the installation again."},
                 "findings": [{"category": "search_foundation", "message": "Search Foundation for Exchange could not be installed."}]}


def _names(items):
    for item in items or []:
        if isinstance(item, dict):
            if item.get("name"):
                yield item["name"]
            for key in ("block", "rescue", "always"):
                yield from _names(item.get(key))


def _role_tasks() -> list[tuple[int, str]]:
    tasks = []
    for role in sorted(ROLES.iterdir()):
        activity = activity_for_role(role.name)
        if activity is None or role.name == "review_installation":
            continue
        number = activity.number
        tasks.append((number, f"Validating arguments against arg spec 'main' - Activity {number}: {role.name}"))
        for path in sorted((role / "tasks").glob("*.yml")):
            tasks.extend((number, name) for name in _names(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return sorted(tasks, key=lambda item: item[0])


def _facts(version, installed=True, interrupted=None):
    return {"exchange": {"version": version, "installed": installed, "present": bool(version), "interrupted": interrupted or {}},
            "pending_reboot": {"pending": False, "sources": []}}


def _setup_payload(mode_facts, media, after, triage, code):
    decision = decide_mode(mode_facts, media)
    watch = WatchResult(FINISHED, task=TaskState(True, "TASK_STATE_READY", code), polls=40, elapsed_seconds=3300.0,
                        milestones=[Milestone(60.0, "configuration", None, "install-msipackage")])
    outcome = result.read_outcome(watch, media_version=media, version_before=mode_facts["exchange"]["version"], after=after,
                                  run_triage=triage)
    command = {"command_line": "E:\\Setup.exe /Mode:Upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"}
    items = [result.plan_item(decision.as_dict(), command, check_mode=False, run_as_user="RPI\\svc-exchange", warnings=[])]
    items += result.run_items(outcome, watch, mode=decision.mode, command_line=command["command_line"], media_version=media,
                              task_path="\\RPI\\rpi-exchange-setup", attached=False)
    target = result.report_target(decision.mode, media, mode_facts, after)
    message = result.success_message(outcome, decision.mode, media, 55.0) if outcome.succeeded else \
        result.failure_message(outcome, decision.mode, 55.0)
    return outcome, {"msg": message, "triage": triage, "rpi_report": {"evidence": items, "target": target}}


def _run(make_driver, *, fail: bool) -> dict:
    driver = make_driver()
    before = _facts(CU15) if fail else _facts(None, installed=False)
    media = SE if fail else CU15
    for number, name in _role_tasks():
        if name == SETUP_TASK:
            if fail:
                after = _facts(CU15, installed=False, interrupted={"Mailbox": {"action": "BuildToBuildUpgrade", "watermark": SE}})
                _result, payload = _setup_payload(before, media, after, FAILED_TRIAGE, 1)
                driver.task(number, "failed", name=name, action="rpi.exchange.exchange_setup", result={**payload, "failed": True})
                return driver.finalize(hosts_failed=True)
            _result, payload = _setup_payload(before, media, _facts(CU15), {"outcome": "succeeded"}, 0)
            driver.task(number, "changed", name=name, action="rpi.exchange.exchange_setup", result=payload)
            continue
        driver.task(number, "ok", name=name)
    return driver.finalize()


@pytest.mark.parametrize("fail", [False, True], ids=["full-install", "failed-upgrade"])
def test_no_english_outside_quoted_microsoft_messages(make_driver, fail):
    page = render(_run(make_driver, fail=fail))
    text = visible_text(page)
    assert "Comprobación de los parámetros de la actividad 8" in text
    assert english_words(page) == []
    # Not even quoted: a task is read by its label everywhere ("La tarea «…» falló" included).
    assert [name for _role, name in _role_tasks() if name in text] == []
    assert "Validating arguments" not in text
    if fail:
        assert '<q class="ms" lang="en">The following error was generated' in page  # Microsoft's words, quoted
        assert "Detenga los servicios de búsqueda" in text  # and what they mean, in Spanish, beside them


def test_the_check_finds_english_task_names_and_sentences():
    page = "<ul><li>✓ Make sure the installation media is mounted</li><li>Setup de Exchange falló (modo upgrade)</li></ul>"
    assert {"the", "is", "mounted"} <= {word for word, _where in english_words(page)}
    quoted = "<p>Mensaje de Microsoft: «The setup failed» (la instalación falló)</p><pre>the log</pre><q>was run</q>"
    assert english_words(quoted) == []
