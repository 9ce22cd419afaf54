"""The header tells the truth about the server: an interrupted setup is neither installed nor removed."""

from __future__ import annotations

import json
import pathlib

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.earlier_runs import find_resumed_run
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.recorder import RunRecorder
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import write_report

SCHEMA = json.loads((pathlib.Path(__file__).resolve().parents[3] / "plugins" / "plugin_utils" / "report" / "schema.json").read_text(encoding="utf-8"))
CU15 = {"installed": True, "version": "15.2.1748.10", "label": "2019 CU15"}
SE_RTM = "15.2.2562.17"
DECIDE = "Decide what setup must do (install, update, upgrade to SE, resume, or nothing)"
RUN = "Run Exchange setup with the validated options and watch it to the end"


def _versions(page: str) -> str:
    start = page.index('<span class="versions">')
    return page[start:page.index("</dd>", start)]


def _failed_upgrade(driver) -> dict:
    driver.task(8, "ok", name=DECIDE, result={"rpi_report": {"target": {"mode": "upgrade", "setup_version": SE_RTM, "exchange_before": CU15}}})
    interrupted = {"installed": False, "interrupted": True, "version": "15.2.1748.10", "label": "2019 CU15"}
    driver.task(8, "failed", name=RUN, result={"msg": "Setup falló", "rpi_report": {"target": {"exchange_after": interrupted}}})
    return driver.finalize()


def test_a_failed_upgrade_shows_an_interrupted_upgrade_not_a_removed_exchange(driver):
    document = _failed_upgrade(driver)
    assert document["target"]["exchange_after"]["interrupted"] is True
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    versions = _versions(render(document))
    assert "2019 CU15 (15.2.1748.10)" in versions
    assert "actualización a SE RTM interrumpida (marca de agua de Setup)" in versions
    assert "No instalado" not in versions
    assert "upgrade to SE RTM interrupted (Setup&#x27;s watermark)" in _versions(render(document, "en"))


def _resumed(make_driver, finder) -> dict:
    driver = make_driver()
    driver.recorder = RunRecorder(driver.recorder.document(driver.clock.now)["run"], "es", "America/Guatemala", earlier_run=finder)
    before = {"installed": False, "interrupted": True, "version": "15.2.1748.10", "label": "2019 CU15"}
    target = {"host": "rpi-exch01", "mode": "resume", "setup_version": SE_RTM, "exchange_before": before}
    driver.task(8, "ok", name=DECIDE, result={"rpi_report": {"target": target}})
    after = {"installed": True, "version": SE_RTM, "label": "SE RTM"}
    driver.task(8, "changed", name=RUN, result={"rpi_report": {"target": {"exchange_after": after}}})
    return driver.finalize()


def test_a_resumed_run_names_the_run_it_resumes_and_what_was_there_before_it(make_driver):
    seen = []

    def finder(host):
        seen.append(host)
        return {"id": "20261126T150000Z-0f0f0f", "status": "failed", "exchange_before": CU15}

    document = _resumed(make_driver, finder)
    assert seen == ["rpi-exch01"]
    assert document["target"]["resumes_run"]["id"] == "20261126T150000Z-0f0f0f"
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    versions = _versions(render(document))
    assert versions.startswith('<span class="versions">2019 CU15 (15.2.1748.10)<span class="arrow">→</span>SE RTM (15.2.2562.17)')
    assert "(reanudación de la ejecución 20261126T150000Z-0f0f0f)" in versions
    assert "No instalado" not in versions


def test_a_resumed_run_without_the_earlier_report_says_so(make_driver):
    versions = _versions(render(_resumed(make_driver, lambda host: None)))
    assert "Instalación interrumpida por una ejecución anterior" in versions
    assert "(reanudación de una ejecución anterior)" in versions


def test_the_resumed_run_is_the_newest_earlier_failed_run_of_the_same_server(tmp_path, make_driver):
    def report(run_id, status, host, check_mode=False):
        driver = make_driver()
        document = driver.finalize()
        document["run"].update(id=run_id, status=status, check_mode=check_mode)
        document["target"].update(host=host, exchange_before=CU15)
        (tmp_path / run_id).mkdir()
        write_report(tmp_path / run_id, document, "<html></html>")

    report("20261120T100000Z-000001", "failed", "rpi-exch01")
    report("20261125T100000Z-000002", "failed", "rpi-exch01")
    report("20261126T100000Z-000003", "check", "rpi-exch01", check_mode=True)
    report("20261126T110000Z-000004", "failed", "other-server")
    found = find_resumed_run(tmp_path, "rpi-exch01", "20261127T160000Z-abc123")
    assert found == {"id": "20261125T100000Z-000002", "status": "failed", "exchange_before": CU15}
    assert find_resumed_run(tmp_path, "rpi-exch01", "20261121T000000Z-aaaaaa")["id"] == "20261120T100000Z-000001"
    assert find_resumed_run(tmp_path, "nobody", "20261127T160000Z-abc123") is None
    report("20261126T120000Z-000005", "succeeded", "rpi-exch01")
    assert find_resumed_run(tmp_path, "rpi-exch01", "20261127T160000Z-abc123") is None
    assert find_resumed_run(tmp_path / "missing", "rpi-exch01", "x") is None
