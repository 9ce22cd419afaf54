"""Activity 12: recording and verifying the IT Head's validation (plugins/plugin_utils/report/validation.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.digest import canonical, report_sha256
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import write_report
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.validation import ValidationError, record_validation, verify_report

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def folder(driver, tmp_path):
    for number in range(1, 12):
        driver.task(number)
    document = driver.finalize()
    write_report(tmp_path, document, render(document))
    return tmp_path


def _edit_json(folder: Path, change) -> None:
    document = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    change(document)
    (folder / "report.json").write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


def test_a_recorded_validation_is_shown_bound_and_verifiable(folder):
    assert verify_report(folder).status == "not_validated"
    validation = record_validation(folder, "Ing. Ana López", "validated", "Conforme.", when="2026-11-28T15:00:00Z")
    document = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert document["validation"] == validation and validation["recorded_at"] == "2026-11-28T15:00:00.000Z"
    review = document["activities"][11]
    assert review["status"] == "done" and review["evidence"][-1]["kind"] == "validation"
    page = (folder / "report.html").read_text(encoding="utf-8")
    digest = validation["report_sha256"]
    assert "Validada por Ing. Ana López el 28/11/2026 09:00 (UTC-06:00)." in page
    assert " ".join(digest[index:index + 8] for index in range(0, 64, 8)) in page
    result = verify_report(folder)
    assert result.valid and result.problems == []
    assert result.message("es") == "Íntegro: el informe no cambió desde que Ing. Ana López registró su decisión (Validada) el 28/11/2026 09:00:00 (UTC-06:00)."


def test_the_digest_is_of_the_canonical_report_without_the_validation(folder):
    validation = record_validation(folder, "Ing. Ana López", "validated")
    document = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    document.pop("validation")
    assert report_sha256(document) == validation["report_sha256"]
    assert canonical({"b": "é", "a": [1, 2.5]}) == '{"a":[1,2.5],"b":"é"}'.encode("utf-8")


def _edit_html(folder: Path, change) -> None:
    page = folder / "report.html"
    page.write_text(change(page.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize("tamper, problem", [
    (lambda folder: _edit_json(folder, lambda d: d["target"].update(host="OTHER")), "report_changed"),
    (lambda folder: _edit_json(folder, lambda d: d["activities"][8]["tasks"].clear()), "report_changed"),
    (lambda folder: _edit_json(folder, lambda d: d["validation"].update(decision="returned")), "digest_mismatch"),
    (lambda folder: _edit_json(folder, lambda d: d["validation"].update(comment="edited")), "digest_mismatch"),
    (lambda folder: _edit_html(folder, lambda page: page.replace("Hecha", "Hecho", 1)), "html_changed"),
    (lambda folder: (folder / "report.html").write_bytes((folder / "report.html").read_bytes() + b" "), "html_changed"),
])
def test_any_later_edit_is_detected(folder, tamper, problem):
    record_validation(folder, "Ing. Ana López", "validated")
    tamper(folder)
    result = verify_report(folder)
    assert result.status == "tampered" and problem in result.problems
    assert "ALTERADO" in result.message("es")


def test_a_mere_reformatting_of_the_json_is_not_an_edit(folder):
    record_validation(folder, "Ing. Ana López", "validated")
    _edit_json(folder, lambda document: None)
    assert verify_report(folder).valid


def test_broken_or_missing_reports(folder, tmp_path_factory):
    record_validation(folder, "Ing. Ana López", "validated")
    _edit_json(folder, lambda document: document["validation"].pop("digest"))
    assert verify_report(folder).problems == ["validation_incomplete"]
    empty = tmp_path_factory.mktemp("empty")
    assert verify_report(empty).status == "unreadable"


@pytest.mark.parametrize("name, decision, comment, message", [
    ("", "validated", "", "name of the person"),
    ("Ing. Ana López", "maybe", "", "decision must be one of"),
    ("Ing. Ana López", "returned", " ", "needs a comment"),
])
def test_wrong_input_is_refused(folder, name, decision, comment, message):
    with pytest.raises(ValidationError, match=message):
        record_validation(folder, name, decision, comment)


def test_a_validation_is_final(folder):
    record_validation(folder, "Ing. Ana López", "validated")
    with pytest.raises(ValidationError, match="already has a validation"):
        record_validation(folder, "Otro", "returned", "No.")


def test_only_a_finished_successful_run_can_be_validated_but_any_can_be_returned(driver, tmp_path):
    driver.task(1)
    driver.task(2, "failed", {"msg": "x"})
    document = driver.finalize()
    write_report(tmp_path, document, render(document))
    with pytest.raises(ValidationError, match="only a finished, successful run"):
        record_validation(tmp_path, "Ing. Ana López", "validated")
    validation = record_validation(tmp_path, "Ing. Ana López", "returned", "Reinicie y repita.")
    assert "Devuelta al técnico por Ing. Ana López" in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert validation["decision"] == "returned" and verify_report(tmp_path).valid


def test_without_write_nothing_changes(folder):
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    record_validation(folder, "Ing. Ana López", "validated", write=False)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_the_verify_tool_for_people(folder):
    tool = [sys.executable, str(ROOT / "tools" / "verify-report.py")]
    not_validated = subprocess.run(tool + [str(folder)], capture_output=True, text=True, check=False)
    assert not_validated.returncode == 2 and "Sin validación registrada" in not_validated.stdout
    record_validation(folder, "Ing. Ana López", "validated")
    intact = subprocess.run(tool + ["--lang", "en", str(folder)], capture_output=True, text=True, check=False)
    assert intact.returncode == 0 and "Intact" in intact.stdout and "digest" in intact.stdout
    _edit_json(folder, lambda document: document["run"].update(technician={"name": "someone else", "source": "variable"}))
    altered = subprocess.run(tool + ["--json", str(folder)], capture_output=True, text=True, check=False)
    assert altered.returncode == 1 and json.loads(altered.stdout)[str(folder)]["problems"] == ["report_changed"]


# Issue 20, item 8: the review never picks "the newest" run; it lists the runs and the IT Head chooses one.
@pytest.fixture
def finished(driver):
    for number in range(1, 12):
        driver.task(number)
    return driver.finalize()


def _run_folder(root: Path, finished: dict, run_id: str, check_mode: bool = False, status: str = "succeeded") -> Path:
    document = json.loads(json.dumps(finished))
    document["run"].update(id=run_id, status=status, check_mode=check_mode)
    document.setdefault("target", {})["host"] = "RPI-EXCH01"
    folder = root / run_id
    folder.mkdir(parents=True)
    write_report(folder, document, render(document))
    return folder


def test_the_runs_are_listed_newest_first_with_rehearsals_marked(tmp_path, finished):
    from ansible_collections.rpi.exchange.plugins.plugin_utils.report.validation import list_runs, run_list_text
    _run_folder(tmp_path, finished, "20261127T160000Z-aaaaaa")
    _run_folder(tmp_path, finished, "20261128T160000Z-bbbbbb", check_mode=True, status="check")
    (tmp_path / "latest").symlink_to("20261128T160000Z-bbbbbb")
    (tmp_path / "not-a-run").mkdir()
    runs = list_runs(tmp_path)
    assert [run["id"] for run in runs] == ["20261128T160000Z-bbbbbb", "20261127T160000Z-aaaaaa"]
    assert [run["rehearsal"] for run in runs] == [True, False]
    assert runs[1]["server"] == "RPI-EXCH01" and runs[1]["status"] == "succeeded" and runs[1]["validation"] is None
    listing = run_list_text(runs, "es")
    assert "20261128T160000Z-bbbbbb" in listing and "ENSAYO" in listing and "modo de comprobación" in listing
    assert "RPI-EXCH01" in listing and "27/11/2026" in listing and "Correcta" in listing
    assert "latest" not in listing
    assert "REHEARSAL" in run_list_text(runs, "en")


def test_an_empty_or_missing_reports_folder_lists_nothing(tmp_path):
    from ansible_collections.rpi.exchange.plugins.plugin_utils.report.validation import list_runs, run_list_text
    assert list_runs(tmp_path / "missing") == []
    assert "No hay" in run_list_text([], "es")


def test_a_validated_run_says_so_in_the_list(tmp_path, finished):
    from ansible_collections.rpi.exchange.plugins.plugin_utils.report.validation import list_runs, run_list_text
    folder = _run_folder(tmp_path, finished, "20261127T160000Z-aaaaaa")
    record_validation(folder, "Ing. Ana López", "validated")
    runs = list_runs(tmp_path)
    assert runs[0]["validation"] == "validated"
    assert "ya validada" in run_list_text(runs, "es")
