"""Activity 1: the technician as the manual names him, and no run without its report (issue 18, items 3 and 4).

The decisions (plugin_utils/_preflight/technician.py, report_guard.py) and the action that applies them before anything
is sent. The report guard with a real ansible-playbook, with and without the callback: tests/integration/test_report_required.py.
"""

from __future__ import annotations

import os
from unittest.mock import MagicMock, patch

import pytest

from ansible_collections.rpi.exchange.plugins.action.instruction import ActionModule
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight import report_guard as guard
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.technician import parse_technician
from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v

GOOD = {"name": "Ing. Juan Pérez", "position": "Técnico de Operaciones y Seguridad Informática"}


def test_the_technician_is_a_name_and_a_position():
    technician = parse_technician(GOOD)
    assert technician.problems == []
    assert technician.as_record() == GOOD
    assert technician.label() == "Ing. Juan Pérez, Técnico de Operaciones y Seguridad Informática"


@pytest.mark.parametrize("raw, field, words", [
    (None, "rpi_exchange_technician:", "falta quién ejecuta el procedimiento"),
    ("", "rpi_exchange_technician:", "falta quién ejecuta el procedimiento"),
    ("Ing. Juan Pérez, Técnico", "rpi_exchange_technician:", "es un diccionario con name (nombre) y position (cargo)"),
    ({"name": "Ing. Juan Pérez"}, "rpi_exchange_technician.position:", "El cargo del técnico falta"),
    ({"position": "Técnico"}, "rpi_exchange_technician.name:", "El nombre del técnico falta"),
    ({"name": "Ing. Juan Pérez", "position": "Técnico", "cargo": "x"}, "rpi_exchange_technician:", "clave(s) desconocida(s) cargo"),
    (["Ing. Juan Pérez"], "rpi_exchange_technician:", "debe ser un diccionario"),
])
def test_a_missing_or_malformed_technician_is_refused_naming_the_key_and_the_fix(raw, field, words):
    problems = parse_technician(raw).problems
    assert problems, raw
    message = " ".join(problem.message("es") for problem in problems)
    assert field in message and words in message
    english = " ".join(problem.message("en") for problem in problems)
    assert english.startswith("rpi_exchange_technician")


def test_the_missing_technician_message_shows_the_mapping_to_write():
    message = parse_technician(None).problems[0].message("es")
    assert 'rpi_exchange_technician: {name: "Ing. Juan Pérez", position: "Técnico de Operaciones y Seguridad Informática"}' in message
    assert "norma 5.5" in message and "group_vars/rpi_exchange_servers/exchange.yml" in message


# --- the report guard ------------------------------------------------------------------------------------------------------


def test_the_report_counts_only_when_the_marker_names_this_runs_process_and_its_folder_exists(tmp_path):
    assert guard.report_written("4242", str(tmp_path), {4242, 1})
    assert not guard.report_written("4243", str(tmp_path), {4242}), "a marker left by another run"
    assert not guard.report_written("4242", str(tmp_path / "gone"), {4242})
    assert not guard.report_written(None, str(tmp_path), {4242})
    assert not guard.report_written("abc", str(tmp_path), {4242})


@pytest.mark.parametrize("settings, state, words", [
    (guard.ReportSettings(()), guard.NOT_ENABLED, "callbacks_enabled = rpi.exchange.procedure_report"),
    (guard.ReportSettings(("ansible.posix.profile_tasks",)), guard.NOT_ENABLED, "rpi.exchange.new_workspace -e dest=<carpeta>"),
    (guard.ReportSettings(("rpi.exchange.procedure_report",), report_enabled=False), guard.DISABLED, "RPI_EXCHANGE_REPORT_ENABLED"),
    (guard.ReportSettings(("procedure_report",), report_root="/ro/reports"), guard.NOT_WRITTEN, "/ro/reports"),
])
def test_without_its_report_the_run_is_refused_saying_how_to_enable_it(settings, state, words):
    assert guard.report_state(False, settings) == state
    message = guard.refusal(state, settings, "es")
    assert message.startswith("Actividad 1") and "norma 5.2" in message and "No se cambia nada en el servidor" in message
    assert words in message
    assert guard.refusal(state, settings, "en").startswith("Activity 1")
    assert guard.refusal(guard.WRITTEN, settings) == ""


# --- the action ------------------------------------------------------------------------------------------------------------


def run_action(technician, environ):
    task = MagicMock()
    task.args = {"instruction": {"instructed_by": "Ing. María López", "reference": "MEMO-DTI-2026-041",
                                 "window_start": "2026-11-27T18:00", "window_end": "2026-11-27T23:00"},
                 "technician": technician, "now": "2026-11-27T19:00:00-06:00", "language": "es"}
    task.async_val = 0
    task.check_mode = False
    task.action = "rpi.exchange.instruction"
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = ActionModule(task, connection, play_context=MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    with patch.dict(os.environ, environ, clear=False):
        for name in (v.WRITER_ENV, v.RUN_DIR_ENV):
            if name not in environ:
                os.environ.pop(name, None)
        result = action.run(task_vars={})
    assert connection.method_calls == [], "activity 1 never talks to the server before it decides"
    return result


def test_the_action_records_name_and_position_and_keeps_the_os_user_as_a_detail(tmp_path):
    result = run_action(GOOD, {v.WRITER_ENV: str(os.getppid()), v.RUN_DIR_ENV: str(tmp_path)})
    assert not result.get("failed"), result
    assert result["technician"] == GOOD and result["technician_label"].startswith("Ing. Juan Pérez, Técnico")
    assert result["rpi_report"]["run"]["technician"] == GOOD
    details = result["rpi_report"]["evidence"][0]["details"]
    assert details["technician"] == "Ing. Juan Pérez" and details["controller_user"] == result["controller_user"]


def test_the_action_refuses_a_run_without_the_technician(tmp_path):
    result = run_action(None, {v.WRITER_ENV: str(os.getppid()), v.RUN_DIR_ENV: str(tmp_path)})
    assert result["failed"] is True and result["changed"] is False
    assert "falta quién ejecuta el procedimiento" in result["msg"] and "rpi_exchange_technician" in result["msg"]


def test_the_action_refuses_a_run_whose_report_is_not_written(tmp_path):
    result = run_action(GOOD, {v.RUN_DIR_ENV: str(tmp_path)})
    assert result["failed"] is True and result["report_written"] is False
    assert "ninguna ejecución sin su informe (norma 5.2)" in result["msg"]
    result = run_action(GOOD, {v.WRITER_ENV: "1", v.RUN_DIR_ENV: str(tmp_path)})
    assert result["failed"] is True, "a marker that names another process does not count"


# --- the report shows him as the manual names him --------------------------------------------------------------------------


@pytest.mark.parametrize("language, expected", [
    ("es", "Ing. Juan Pérez, Técnico de Operaciones y Seguridad Informática (usuario del equipo de control: jperez)"),
    ("en", "Ing. Juan Pérez, Técnico de Operaciones y Seguridad Informática (control machine user: jperez)"),
])
def test_the_report_shows_name_and_position_and_the_login_as_a_technical_detail(language, expected):
    from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_parts import Page
    from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import _technician_text

    run = {"technician": {**GOOD, "source": "report"}, "controller": {"user": "jperez", "host": "ctl", "pid": 1}}
    assert _technician_text(Page(language, None), run) == expected
    # Before activity 1 reports him the controller's login stands in, and is not repeated.
    assert _technician_text(Page(language, None), {"technician": {"name": "jperez", "source": "controller_user"},
                                                   "controller": {"user": "jperez"}}) == "jperez"
