"""The link between a failed run and the run that retries it, both ways, on the rendered reports (issue 20, item 3)."""

from __future__ import annotations

import json
import pathlib

import pytest

from report_english import english_words

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.retry import decide_retry
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.earlier_runs import (
    FOLLOWED_BY,
    last_run,
    link_back,
    read_followed_by,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import write_report
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.validation import record_validation, verify_report

SCHEMA = json.loads((pathlib.Path(__file__).resolve().parents[3] / "plugins" / "plugin_utils" / "report" / "schema.json").read_text(encoding="utf-8"))
FAILED_ID, LATER_ID = "20261126T150000Z-0f0f0f", "20261127T160000Z-abc123"
INSTRUCTION = {"who": "Ing. María López, Encargada de TI", "reference": "MEMO-DTI-2026-042"}
RUN = "Run Exchange setup with the validated options and watch it to the end"


def _failed(driver, root: pathlib.Path) -> pathlib.Path:
    """A run whose setup failed with a cause the IT Head decides (the account lacks rights)."""
    driver.task(1, "ok", result={"rpi_report": {"run": {"instruction": INSTRUCTION}}})
    driver.task(8, "failed", name=RUN, action="rpi.exchange.exchange_setup",
                result={"msg": "Setup falló", "changed": True, "triage": {"outcome": "failed", "category": "permissions"}})
    document = driver.finalize(hosts_failed=True)
    document["run"]["id"] = FAILED_ID
    folder = root / FAILED_ID
    folder.mkdir()
    write_report(folder, document, render(document))
    return folder


def _later(make_driver, root: pathlib.Path, retry_of: str) -> dict:
    last = last_run(root, "rpi-exch01", LATER_ID)
    decision = decide_retry(last, retry_of, authorised_by=INSTRUCTION["who"], reference=INSTRUCTION["reference"])
    driver = make_driver()
    driver.task(1, "ok", result={"rpi_report": {"run": {"instruction": INSTRUCTION, "retry_of": decision.as_record()},
                                                "evidence": [decision.evidence()]}})
    for number in range(2, 12):
        driver.task(number)
    return driver.finalize()


def test_the_newest_earlier_run_of_the_server_with_who_acts_first(driver, tmp_path):
    _failed(driver, tmp_path)
    last = last_run(tmp_path, "rpi-exch01", LATER_ID)
    assert last["id"] == FAILED_ID and last["status"] == "failed" and last["who_acts"] in ("tecnico", "encargado_ti")
    assert last_run(tmp_path, "other-server", LATER_ID) is None
    assert last_run(tmp_path, "rpi-exch01", FAILED_ID) is None  # only earlier runs


def test_an_authorised_retry_and_the_way_back(driver, make_driver, tmp_path):
    failed_folder = _failed(driver, tmp_path)
    failed_json = (failed_folder / "report.json").read_bytes()
    later = _later(make_driver, tmp_path, FAILED_ID)
    assert later["run"]["retry_of"] == {"id": FAILED_ID, "status": "failed", "decision": "authorised", "authorised": True,
                                        "named_by_instruction": FAILED_ID, "authorised_by": INSTRUCTION["who"],
                                        "reference": INSTRUCTION["reference"]}
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(SCHEMA).validate(later)
    page = render(later)
    assert ("<dt>Reintento de</dt><dd>la ejecución 20261126T150000Z-0f0f0f (falló), autorizado por Ing. María López, "
            "Encargada de TI (MEMO-DTI-2026-042)</dd>") in page
    assert english_words(page) == []
    assert "Retry of</dt><dd>run 20261126T150000Z-0f0f0f (failed), authorised by" in render(later, "en")

    # The way back: beside the failed run, its report.json untouched, its page shows the run that continued it.
    assert link_back(tmp_path, later) == failed_folder / FOLLOWED_BY
    assert (failed_folder / "report.json").read_bytes() == failed_json
    follow_ups = read_followed_by(failed_folder)
    assert [(item["id"], item["status"], item["authorised"]) for item in follow_ups] == [(LATER_ID, "succeeded", True)]
    failed_page = (failed_folder / "report.html").read_text(encoding="utf-8")
    assert "<dt>Continuada por</dt><dd>la ejecución 20261127T160000Z-abc123 (terminó correctamente, " in failed_page
    assert "autorizada por Ing. María López, Encargada de TI (MEMO-DTI-2026-042)" in failed_page
    # Linking again (the same run written twice) keeps one entry.
    link_back(tmp_path, later)
    assert len(read_followed_by(failed_folder)) == 1


def test_a_sealed_failed_report_keeps_its_page_and_digest(driver, make_driver, tmp_path):
    failed_folder = _failed(driver, tmp_path)
    record_validation(failed_folder, "Ing. María López", "returned", "Reintente con la cuenta corregida.")
    before = verify_report(failed_folder).status
    page = (failed_folder / "report.html").read_bytes()
    link_back(tmp_path, _later(make_driver, tmp_path, FAILED_ID))
    assert (failed_folder / FOLLOWED_BY).is_file()
    assert (failed_folder / "report.html").read_bytes() == page
    assert verify_report(failed_folder).status == before


def test_a_retry_the_instruction_does_not_name(driver, make_driver, tmp_path):
    _failed(driver, tmp_path)
    last = last_run(tmp_path, "rpi-exch01", LATER_ID)
    later = _later(make_driver, tmp_path, "")
    record = later["run"]["retry_of"]
    assert record["id"] == FAILED_ID and record["authorised"] is False
    if last["who_acts"] == "encargado_ti":
        # Refused in activity 1: it changed nothing and continues nothing.
        assert record["decision"] == "needs_it_head" and link_back(tmp_path, later) is None
        assert "sin la autorización que su informe exige" in render(later)
    else:
        assert record["decision"] == "not_named" and link_back(tmp_path, later) is not None


def test_a_resumed_run_found_by_setup_s_watermark_is_linked_too(driver, make_driver, tmp_path):
    failed_folder = _failed(driver, tmp_path)
    later = make_driver().finalize()
    later["target"]["resumes_run"] = {"id": FAILED_ID, "status": "failed"}
    link_back(tmp_path, later)
    assert read_followed_by(failed_folder)[0]["id"] == LATER_ID
