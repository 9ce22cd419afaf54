"""Issue 20, item 4: every failure says who acts first, what to do and what not to do, never contradicting itself."""

from __future__ import annotations

import json
import pathlib

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import result as setup_result
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log import advice, rules
from ansible_collections.rpi.exchange.plugins.plugin_utils.report import ansible_messages, who_acts
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render

SCHEMA = json.loads((pathlib.Path(__file__).resolve().parents[3] / "plugins" / "plugin_utils" / "report" / "schema.json").read_text(encoding="utf-8"))
DECIDE = "Decide what setup must do (install, update, upgrade to SE, resume, or nothing)"
RUN = "Run Exchange setup with the validated options and watch it to the end"
CU15 = {"installed": True, "version": "15.2.1748.10", "label": "2019 CU15"}


def _advice_for(source: str, key: str) -> tuple[str, str]:
    if source == "setup_log":
        return advice.CATEGORY_ADVICE.get(key, ("", ""))
    if source == "setup_result":
        return setup_result._OWN_ADVICE.get(key, ("", ""))  # pylint: disable=protected-access
    row = next(row for row in ansible_messages.ROWS if row.key == key)
    return row.advice_es, row.advice_en


ENTRIES = ([("setup_log", key) for key in rules.CATEGORIES] + [("setup_result", key) for key in setup_result.OWN_CATEGORIES]
           + [("ansible", row.key) for row in ansible_messages.ROWS])


def test_every_category_and_every_ansible_row_has_an_owner():
    assert set(who_acts.SETUP_LOG) == set(rules.CATEGORIES)
    assert set(who_acts.SETUP_RESULT) == set(setup_result.OWN_CATEGORIES)
    assert set(who_acts.ANSIBLE) == {row.key for row in ansible_messages.ROWS}


def test_who_is_decided_where_the_brief_says():
    assert who_acts.SETUP_LOG[rules.INSUFFICIENT_PERMISSIONS].who == who_acts.ENCARGADO_TI
    assert who_acts.SETUP_RESULT[setup_result.INTERRUPTED].who == who_acts.TECNICO
    assert who_acts.REFUSAL.who == who_acts.ENCARGADO_TI


@pytest.mark.parametrize("source,key", ENTRIES)
def test_no_two_contradicting_instructions(source, key):
    entry = who_acts.table(source)[key]
    assert entry.who in (who_acts.TECNICO, who_acts.ENCARGADO_TI)
    assert entry.do_es and entry.do_en and entry.dont
    assert not set(entry.do_actions) & set(entry.dont_actions)
    advice_es, advice_en = _advice_for(source, key)
    for action in entry.dont_actions:
        for text in (entry.do_es, advice_es):
            assert not who_acts.tells(action, text, "es"), (key, action, text)
        for text in (entry.do_en, advice_en):
            assert not who_acts.tells(action, text, "en"), (key, action, text)


@pytest.mark.parametrize("source,key", ENTRIES + [("refusal", "refusal"), ("generic", "generic")])
def test_decided_with_the_interrupted_upgrades_donts_never_contradicts(source, key):
    failure = {"action": "rpi.exchange.exchange_setup", "triage": None, "explanation": None}
    if source == "setup_log":
        failure["triage"] = {"category": key}
    elif source == "setup_result":
        failure["setup_category"] = key
    elif source == "ansible":
        failure["explanation"] = {"known": key}
    elif source == "refusal":
        failure["refused"] = True
    decided = who_acts.decide(failure, mode="upgrade")
    dont_es, dont_en = decided["dont"]["es"], decided["dont"]["en"]
    advice_es, advice_en = _advice_for(source, key) if source in ("setup_log", "setup_result", "ansible") else ("", "")
    for action in who_acts.ACTIONS:
        if who_acts.tells(action, dont_es, "es", negated=True):
            for text in (decided["do"]["es"], advice_es):
                assert not who_acts.tells(action, text, "es"), (key, action, text)
        if who_acts.tells(action, dont_en, "en", negated=True):
            for text in (decided["do"]["en"], advice_en):
                assert not who_acts.tells(action, text, "en"), (key, action, text)


def test_the_tells_check_sees_a_positive_and_a_negated_instruction():
    assert who_acts.tells("delete_watermark", "Borre la marca de agua del registro.", "es")
    assert not who_acts.tells("delete_watermark", "No borre la marca de agua del registro.", "es")
    assert who_acts.tells("delete_watermark", "No borre la marca de agua del registro.", "es", negated=True)
    assert who_acts.tells("rerun", "Then run Setup again.", "en")


def test_an_interrupted_upgrade_keeps_the_watermark_and_warns_about_mail():
    decided = who_acts.decide({"setup_category": setup_result.INTERRUPTED}, mode="upgrade")
    assert decided["who"] == "tecnico"
    assert "no borre la marca de agua de setup" in decided["dont"]["es"].lower()
    assert "el correo puede estar detenido hasta que se reanude la ejecución" in decided["dont"]["es"]
    assert "watermark" in decided["dont"]["en"]


def test_a_refusal_before_any_change_goes_to_the_it_head():
    decided = who_acts.decide({"action": "rpi.exchange.exchange_media", "refused": True}, mode=None)
    assert decided["who"] == "encargado_ti"
    assert "5.6" in decided["do"]["es"]
    assert "correo" not in decided["dont"]["es"]


def test_insufficient_permissions_is_the_it_heads():
    decided = who_acts.decide({"triage": {"category": rules.INSUFFICIENT_PERMISSIONS}}, mode="upgrade")
    assert decided["who"] == "encargado_ti"
    assert "correo" not in decided["dont"]["es"]  # a readiness rule stops setup before it changes anything


def _failed_upgrade(driver) -> dict:
    target = {"mode": "upgrade", "setup_version": "15.2.2562.17", "exchange_before": CU15}
    driver.task(8, "ok", name=DECIDE, result={"rpi_report": {"target": target}})
    interrupted = {"installed": False, "interrupted": True, "version": "15.2.1748.10", "label": "2019 CU15"}
    driver.task(9, "failed", name=RUN, action="rpi.exchange.exchange_setup",
                result={"msg": "Setup falló", "changed": True, "outcome": {"category": "interrupted"},
                        "rpi_report": {"target": {"exchange_after": interrupted}}})
    return driver.finalize()


def test_a_failed_upgrade_report_shows_who_acts_what_to_do_and_what_not(driver):
    document = _failed_upgrade(driver)
    failure = document["run"]["failure"]
    assert failure["who_acts"]["who"] == "tecnico"
    assert failure["who_acts"]["do"]["es"] and failure["who_acts"]["dont"]["en"]
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    page = render(document)
    diagnosis = page[page.index('id="diagnosis"'):]
    for label in ("Quién actúa primero", "Qué hacer", "Qué no hacer", "Técnico de Operaciones y Seguridad Informática",
                  "No borre la marca de agua de setup", "el correo puede estar detenido hasta que se reanude la ejecución"):
        assert label in diagnosis, label
    english = render(document, "en")
    for label in ("Who acts first", "What to do", "What not to do"):
        assert label in english
