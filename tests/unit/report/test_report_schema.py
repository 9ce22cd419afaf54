"""report.json's JSON Schema agrees with the code and with the documents the code writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import write_report
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.validation import record_validation

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in requirements-dev.txt")

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "plugins" / "plugin_utils" / "report" / "schema.json").read_text(encoding="utf-8"))


def _errors(document):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)]


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_uses_the_code_s_words():
    definitions = SCHEMA["$defs"]
    assert tuple(SCHEMA["properties"]["run"]["properties"]["status"]["enum"]) == v.RUN_STATUSES
    assert tuple(definitions["activity"]["properties"]["status"]["enum"]) == v.ACTIVITY_STATUSES
    assert tuple(definitions["evidence"]["properties"]["kind"]["enum"]) == v.EVIDENCE_KINDS
    assert tuple(definitions["evidence"]["properties"]["level"]["enum"]) == v.LEVELS
    assert tuple(definitions["counts"]["required"]) == v.TASK_COUNTERS
    assert tuple(definitions["validation"]["properties"]["decision"]["enum"]) == v.DECISIONS
    assert v.SCHEMA_VERSION.startswith("1.")
    docs = (ROOT / "docs" / "report-schema.md").read_text(encoding="utf-8")
    assert f"**Schema version: `{v.SCHEMA_VERSION}`.**" in docs and f"| {v.SCHEMA_VERSION} |" in docs


def test_every_kind_of_document_the_code_writes_is_valid(make_driver, tmp_path):
    failed, running, validated = make_driver(), make_driver(), make_driver()
    failed.task(None, "unreachable", {"msg": "no"}, in_role=False)
    failed.task(2, result={"rpi_report": {"evidence": [{"kind": "version", "summary_es": "x", "details": {"a": [1, {"b": None}]}}],
                                          "target": {"os": "WS2022", "exchange_before": {"installed": False}, "mode": "install"},
                                          "run": {"instruction": {"who": "x", "planned_window": {"start": "a"}}}}})
    failed.task(8, "failed", {"msg": "boom", "rc": 2, "stderr": "e", "triage": {"outcome": "failed", "advice": {"es": "a", "en": "b"}}})
    failed.task(9, "changed", {"elapsed": 3}, action="ansible.windows.win_reboot")
    assert _errors(failed.finalize(hosts_failed=True)) == []
    running.task(1)
    assert _errors(running.document()) == []
    for number in range(1, 12):
        validated.task(number)
    document = validated.finalize()
    write_report(tmp_path, document, render(document))
    record_validation(tmp_path, "Ing. Ana López", "validated")
    assert _errors(json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))) == []


def test_the_schema_rejects_what_is_not_a_report(driver):
    document = driver.document()
    document["run"]["status"] = "done"
    document["activities"].pop()
    assert len(_errors(document)) == 2
