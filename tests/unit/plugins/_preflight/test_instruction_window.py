"""Activity 1: the IT Head's instruction authorises a change only inside its planned window (issue 16, item 1).

The decision (plugin_utils/_preflight/instruction.py, decide_window) and the action that applies it before anything is sent.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timedelta, timezone
from unittest.mock import MagicMock, patch

import pytest

from ansible_collections.rpi.exchange.plugins.action.instruction import ActionModule
from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.instruction import (
    AFTER,
    BEFORE,
    CLOCK_TOLERANCE,
    INSIDE,
    RPI_UTC_OFFSET,
    TOLERANCE,
    decide_window,
    parse_instruction,
)

GOOD = {"instructed_by": "Ing. María López, Encargada de TI", "reference": "MEMO-DTI-2026-041",
        "window_start": "2026-11-27T18:00", "window_end": "2026-11-27T23:00"}
START = datetime(2026, 11, 27, 18, 0, tzinfo=RPI_UTC_OFFSET)
END = datetime(2026, 11, 27, 23, 0, tzinfo=RPI_UTC_OFFSET)
SECOND = timedelta(seconds=1)


def test_the_clock_tolerance_is_five_minutes():
    assert CLOCK_TOLERANCE == timedelta(minutes=5)


@pytest.mark.parametrize("now, position, allowed", [
    (START, INSIDE, True),
    (END, INSIDE, True),
    (START + timedelta(hours=2), INSIDE, True),
    (START - CLOCK_TOLERANCE, TOLERANCE, True),
    (END + CLOCK_TOLERANCE, TOLERANCE, True),
    (START - CLOCK_TOLERANCE - SECOND, BEFORE, False),
    (END + CLOCK_TOLERANCE + SECOND, AFTER, False),
    (START - timedelta(days=3), BEFORE, False),
    (END + timedelta(days=8), AFTER, False),  # an instruction from last week does not authorise a change today
])
def test_a_real_run_is_allowed_only_inside_the_window_and_its_clock_tolerance(now, position, allowed):
    decision = decide_window(parse_instruction(GOOD), now)
    assert decision.position == position
    assert decision.allowed is allowed and decision.within_window is allowed
    assert decision.level == ("ok" if allowed else "error")
    assert (decision.message() == "") is allowed


def test_a_run_after_the_window_is_refused_saying_when_it_was_and_what_to_do():
    decision = decide_window(parse_instruction(GOOD), datetime(2026, 12, 5, 10, 0, tzinfo=RPI_UTC_OFFSET))
    spanish, english = decision.message("es"), decision.message("en")
    assert spanish.startswith("Actividad 1")
    assert "rpi_exchange_instruction.window_end" in spanish
    assert "del 2026-11-27 18:00 al 2026-11-27 23:00 (hora de Guatemala, UTC-06:00)" in spanish
    assert "terminó hace 7 días y 11 horas" in spanish
    assert "No se cambia nada en el servidor" in spanish
    assert "el Encargado de TI debe emitir una nueva instrucción" in spanish.replace("El Encargado", "el Encargado")
    assert "normas 5.2 y 5.6" in spanish and "5 minutos" in spanish and "--check" in spanish
    assert english.startswith("Activity 1") and "from 2026-11-27 18:00 to 2026-11-27 23:00 (Guatemala time, UTC-06:00)" in english
    assert "must issue a new instruction" in english and "ended 7 days and 11 hours ago" in english
    evidence = decision.evidence()
    assert evidence["kind"] == "instruction" and evidence["level"] == "error"
    assert evidence["details"]["refused"] is True and evidence["details"]["position"] == AFTER
    assert evidence["details"]["clock_tolerance_minutes"] == 5
    assert "RECHAZADA" in evidence["summary_es"] and "nueva instrucción" in evidence["summary_es"]


def test_a_run_before_the_window_is_refused_naming_window_start():
    decision = decide_window(parse_instruction(GOOD), datetime(2026, 11, 27, 15, 30, tzinfo=RPI_UTC_OFFSET))
    assert decision.position == BEFORE and not decision.allowed
    assert "rpi_exchange_instruction.window_start" in decision.message()
    assert "comienza dentro de 2 horas y 30 minutos" in decision.message()
    assert "todavía no autoriza" in decision.message()


def test_inside_the_clock_tolerance_the_report_says_so():
    decision = decide_window(parse_instruction(GOOD), END + timedelta(minutes=3))
    assert decision.position == TOLERANCE
    assert "3 minutos después del fin de la ventana, dentro de la tolerancia de reloj de 5 minutos" in decision.evidence()["summary_es"]
    early = decide_window(parse_instruction(GOOD), START - timedelta(minutes=4))
    assert "4 minutes before the start of the window" in early.evidence()["summary_en"]


@pytest.mark.parametrize("now", [END + timedelta(days=8), START - timedelta(days=1)])
def test_check_mode_plans_outside_the_window_with_a_notice_in_the_report(now):
    decision = decide_window(parse_instruction(GOOD), now, check_mode=True)
    assert decision.allowed and not decision.within_window
    assert decision.message() == ""
    evidence = decision.evidence()
    assert evidence["level"] == "warning" and evidence["details"]["refused"] is False and evidence["details"]["check_mode"] is True
    assert "simulacro fuera de la ventana planificada" in evidence["summary_es"]
    assert "una ejecución real será rechazada" in evidence["summary_es"]
    assert "a real run will be refused" in evidence["summary_en"]


def test_the_window_is_read_in_guatemala_time_unless_the_instruction_names_another_zone():
    # 2026-11-27T23:30 UTC is 17:30 in Guatemala (before an 18:00 window) and 18:30 in New York (inside one).
    now = datetime(2026, 11, 27, 23, 30, tzinfo=timezone.utc)
    guatemala = parse_instruction(GOOD)
    assert guatemala.zone_name == "America/Guatemala"
    assert decide_window(guatemala, now).position == BEFORE
    new_york = parse_instruction({**GOOD, "timezone": "America/New_York"})
    assert new_york.problems == [] and new_york.window_start == datetime(2026, 11, 27, 23, 0, tzinfo=timezone.utc)
    decision = decide_window(new_york, now)
    assert decision.position == INSIDE
    assert "(America/New_York, UTC-05:00)" in decision.evidence()["summary_es"]
    assert new_york.as_record()["timezone"] == "America/New_York"


def test_a_value_with_its_own_offset_is_taken_as_written_and_shown_in_the_instructions_zone():
    instruction = parse_instruction({**GOOD, "window_start": "2026-11-28T00:00Z", "window_end": "2026-11-28T05:00Z"})
    assert instruction.window_start == START
    assert "del 2026-11-27 18:00 al 2026-11-27 23:00 (hora de Guatemala" in instruction.window_text("es")


def test_a_planned_date_in_another_zone_is_that_whole_day_there():
    instruction = parse_instruction({"instructed_by": "Encargado", "reference": "TICKET-77", "planned_date": "2026-11-27",
                                     "timezone": "Europe/Madrid"})
    assert instruction.problems == []
    assert decide_window(instruction, datetime(2026, 11, 26, 23, 0, tzinfo=timezone.utc)).position == INSIDE  # 00:00 in Madrid
    assert decide_window(instruction, datetime(2026, 11, 27, 23, 10, tzinfo=timezone.utc)).position == AFTER


def test_an_unknown_time_zone_is_a_problem_of_the_instruction():
    problems = parse_instruction({**GOOD, "timezone": "Guatemala/Centro"}).problems
    assert [problem.field for problem in problems] == ["timezone"]
    assert "rpi_exchange_instruction.timezone" in problems[0].message() and "IANA" in problems[0].message()


def test_a_moment_without_offset_is_in_the_instructions_zone():
    assert decide_window(parse_instruction(GOOD), datetime(2026, 11, 27, 19, 0)).position == INSIDE


# --- the action: refused before anything is sent; check mode plans ------------------------------------------------------


def run_action(now: str, check_mode: bool = False, language: str = "es") -> dict:
    task = MagicMock()
    task.args = {"instruction": dict(GOOD), "technician": {"name": "Téc. Juan Pérez", "position": "Técnico de Operaciones"},
                 "now": now, "language": language}
    task.async_val = 0
    task.check_mode = check_mode
    task.action = "rpi.exchange.instruction"
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = ActionModule(task, connection, play_context=MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    # The report callback's marker, as ansible-playbook's process would publish it (test_report_guard.py tests it).
    with patch.dict(os.environ, {v.WRITER_ENV: str(os.getppid()), v.RUN_DIR_ENV: tempfile.gettempdir()}):
        result = action.run(task_vars={})
    assert connection.method_calls == [], "activity 1's instruction check never talks to the server"
    return result


def test_the_action_refuses_an_expired_instruction_and_leaves_its_evidence_for_the_report():
    result = run_action("2026-12-05T10:00:00-06:00")
    assert result["failed"] is True and result["changed"] is False
    assert "rpi_exchange_instruction.window_end" in result["msg"] and "nueva instrucción" in result["msg"]
    assert result["within_window"] is False and result["window_position"] == AFTER
    report = result["rpi_report"]
    assert report["evidence"][0]["level"] == "error" and report["evidence"][0]["details"]["refused"] is True
    assert report["run"]["instruction"]["reference"] == "MEMO-DTI-2026-041"


def test_the_action_in_check_mode_plans_outside_the_window():
    result = run_action("2026-12-05T10:00:00-06:00", check_mode=True)
    assert not result.get("failed")
    assert result["within_window"] is False
    assert result["rpi_report"]["evidence"][0]["level"] == "warning"


def test_the_action_inside_the_window():
    result = run_action("2026-11-27T19:00:00-06:00", language="en")
    assert not result.get("failed") and result["within_window"] is True
    assert result["rpi_report"]["evidence"][0]["level"] == "ok"
