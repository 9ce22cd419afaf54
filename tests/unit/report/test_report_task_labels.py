"""Every task of every role has a Spanish label for the report, and the page shows it."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.task_labels import LABELS, task_label

ROLES = pathlib.Path(__file__).resolve().parents[3] / "roles"


def _names(items):
    for item in items or []:
        if isinstance(item, dict):
            if item.get("name"):
                yield item["name"]
            for key in ("block", "rescue", "always"):
                yield from _names(item.get(key))


def _role_task_names():
    return sorted({name for path in ROLES.glob("*/tasks/*.yml") for name in _names(yaml.safe_load(path.read_text(encoding="utf-8")))})


def test_roles_are_found():
    assert len(_role_task_names()) > 30


@pytest.mark.parametrize("name", _role_task_names())
def test_every_role_task_has_a_label(name):
    assert name in LABELS, f"task {name!r} has no label in report/task_labels.py"
    spanish, english = LABELS[name]
    assert spanish and english and spanish != name


def test_no_label_for_a_task_that_no_longer_exists():
    stale = set(LABELS) - set(_role_task_names()) - {"Gathering Facts"}
    assert not stale


def test_arg_spec_task_is_named_by_its_activity():
    name = "Validating arguments against arg spec 'main' - Activity 8: run Exchange setup"
    assert task_label(name, "es", 8) == "Comprobación de los parámetros de la actividad 8"
    assert task_label(name, "en", 8) == "Check of the parameters of activity 8"
    assert task_label("A playbook's own task", "es", 3) == "A playbook's own task"


def test_page_lists_labels_and_keeps_the_name_in_a_tooltip(driver):
    driver.task(9, "changed", name="Make sure the installation media is mounted")
    driver.task(9, "ok", name="Validating arguments against arg spec 'main' - Activity 9: run setup")
    page = render(driver.finalize())
    assert "Comprobación de que el medio de instalación está montado" in page
    assert "Comprobación de los parámetros de la actividad 9" in page
    assert 'title="Make sure the installation media is mounted"' in page
    assert "con cambios" in page
    assert ">✓ Make sure" not in page


def test_details_are_labelled_fields_with_the_raw_json_one_click_further(driver):
    evidence = {"kind": "triage", "level": "error", "summary_es": "Diagnóstico", "summary_en": "Diagnosis",
                "details": {"outcome": "failed", "category": "disk_space", "error_line": 120, "reboot_required": False,
                            "advice": {"es": "Libere espacio en el disco.", "en": "Free some disk space."},
                            "message_es": "Falta espacio.", "message_en": "Not enough space.", "extra_field": "valor sin etiqueta"}}
    driver.task(9, "failed", result={"rpi_report": {"evidence": [evidence]}, "msg": "boom"},
                name="Run Exchange setup with the validated options and watch it to the end")
    page = render(driver.finalize())
    fields = page[page.index('<dl class="fields">'):]
    fields = fields[:fields.index("</dl>")]
    assert "<dt>Resultado</dt><dd>falló</dd>" in fields
    assert "<dt>Línea del error</dt><dd>120</dd>" in fields
    assert "<dt>Requiere reinicio</dt><dd>No</dd>" in fields
    assert "<dt>Qué hacer</dt><dd>Libere espacio en el disco.</dd>" in fields
    assert "<dt>Mensaje</dt><dd>Falta espacio.</dd>" in fields
    assert "<dt>extra_field</dt><dd>valor sin etiqueta</dd>" in fields
    assert "Not enough space" not in fields and "Free some" not in fields
    assert "<summary>Datos técnicos (JSON)</summary><pre>" in page and "&quot;message_en&quot;: &quot;Not enough space.&quot;" in page


def test_task_names_inside_evidence_are_read_by_their_labels(driver):
    driver.task(9, "changed", name="Restart the server to bring up the newly installed services", action="ansible.windows.win_reboot",
                result={"elapsed": 90})
    page = render(driver.finalize())
    assert "Reinicio del servidor para levantar los servicios recién instalados" in page
    assert "(Restart the server" not in page
