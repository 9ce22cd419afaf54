"""A run that stopped during setup shows the last phase setup reached, in report.json and on the first page (issue 18)."""

from __future__ import annotations

import json
import pathlib

import pytest

from report_english import english_words

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.progress import Position
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.watch import FINISHED, WatchResult
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render

SCHEMA = json.loads((pathlib.Path(__file__).resolve().parents[3] / "plugins" / "plugin_utils" / "report" / "schema.json").read_text(encoding="utf-8"))
RUN = "Run Exchange setup with the validated options and watch it to the end"
REACHED = Position("mailbox", "Rol de buzón: servicio de buzón", "Mailbox role: Mailbox service", 16, 20, 2820.0)


def _stopped(driver, watch: dict) -> dict:
    driver.task(8, "failed", name=RUN, action="rpi.exchange.exchange_setup",
                result={"msg": "Setup falló", "changed": True, "watch": watch,
                        "triage": {"outcome": "failed", "category": "database_mount"}})
    return driver.finalize(hosts_failed=True)


def test_the_failure_keeps_the_last_phase_and_the_page_shows_it(driver):
    watch = WatchResult(FINISHED, polls=40, elapsed_seconds=2900.0, reached=REACHED).as_dict()
    document = _stopped(driver, watch)
    assert document["run"]["failure"]["setup_reached"] == {
        "key": "mailbox", "index": 16, "total": 20, "label_es": "Rol de buzón: servicio de buzón",
        "label_en": "Mailbox role: Mailbox service", "elapsed_seconds": 2820.0}
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    page = render(document)
    assert ("<dt>Última fase alcanzada por Setup</dt><dd class=\"reached\">Fase 16/20 · Rol de buzón: servicio de buzón "
            "(a los 47 min de iniciado)</dd>") in page
    assert english_words(page) == []
    assert "Phase 16/20 · Mailbox role: Mailbox service (47 min after it started)" in render(document, "en")


def test_a_setup_that_showed_no_phase_adds_no_line(driver):
    document = _stopped(driver, WatchResult(FINISHED, polls=1).as_dict())
    assert "setup_reached" not in document["run"]["failure"]
    assert "Última fase alcanzada" not in render(document)


def test_a_run_stopped_while_setup_ran_shows_the_phase_among_the_facts(driver):
    """Ctrl-C during setup: no task result, the callback adds run.setup_reached from the file the action keeps."""
    driver.task(8, "ok", name="Decide what setup must do")
    document = driver.finalize(interrupted=True)
    document["run"]["setup_reached"] = REACHED.as_dict()
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    page = render(document)
    assert ("<dt>Última fase alcanzada por Setup</dt><dd>Fase 16/20 · Rol de buzón: servicio de buzón "
            "(a los 47 min de iniciado)</dd>") in page
    assert english_words(page) == []
    # A run that succeeded does not show it, nor a failed one whose diagnosis already says it.
    document["run"]["status"] = "succeeded"
    assert "Última fase alcanzada" not in render(document)
