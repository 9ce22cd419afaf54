"""Activity 1's instruction and norm 5.1's guard (plugin_utils/_preflight/instruction.py, rpi_guard.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.instruction import RPI_UTC_OFFSET, instruction_evidence, parse_instruction
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.server_guard import check_rpi_server

GOOD = {"instructed_by": "Ing. María López, Encargada de TI", "reference": "MEMO-DTI-2026-041",
        "window_start": "2026-11-27T18:00", "window_end": "2026-11-27T23:00"}


def test_a_complete_instruction():
    instruction = parse_instruction(GOOD)
    assert instruction.problems == []
    assert instruction.window_start == datetime(2026, 11, 27, 18, 0, tzinfo=RPI_UTC_OFFSET)
    assert instruction.within_window(datetime(2026, 11, 28, 1, 0, tzinfo=timezone.utc))  # 19:00 in Guatemala


@pytest.mark.parametrize("raw, fields", [
    (None, ["instructed_by"]),
    ({}, ["instructed_by"]),
    ({**GOOD, "instructed_by": " "}, ["instructed_by"]),
    ({**GOOD, "reference": None}, ["reference"]),
    ({**GOOD, "window_start": "mañana"}, ["window_start"]),
    ({**GOOD, "window_end": "2026-11-27T17:00"}, ["window_end"]),
    ({**GOOD, "window_end": "2027-03-01"}, ["window_end"]),
    ({"instructed_by": "X", "reference": "R"}, ["instructed_by", "reference", "window_start", "window_end"]),
])
def test_malformed_instructions_name_each_field(raw, fields):
    problems = parse_instruction(raw).problems
    assert [problem.field for problem in problems] == fields
    assert all(problem.message().startswith("rpi_exchange_instruction.") for problem in problems)


def test_planned_date_covers_the_whole_rpi_day():
    instruction = parse_instruction({"instructed_by": "Encargado", "reference": "TICKET-77", "planned_date": "2026-11-27"})
    assert instruction.problems == []
    assert instruction.within_window(datetime(2026, 11, 28, 5, 59, tzinfo=timezone.utc))
    assert not instruction.within_window(datetime(2026, 11, 28, 6, 1, tzinfo=timezone.utc))


def test_outside_the_window_is_a_refusal_in_the_evidence_and_a_warning_in_check_mode():
    # More cases, with the clock tolerance and other time zones: test_instruction_window.py.
    instruction = parse_instruction(GOOD)
    late = instruction.window_end + timedelta(hours=2)
    evidence = instruction_evidence(instruction, late)
    assert evidence["level"] == "error" and not evidence["details"]["within_window"]
    assert "fuera de la ventana" in evidence["summary_es"]
    assert instruction_evidence(instruction, late, check_mode=True)["level"] == "warning"
    assert instruction_evidence(instruction, instruction.window_start)["level"] == "ok"


FACTS = {"computer": {"hostname": "RPI-EXCH01", "fqdn": "RPI-EXCH01.rpi.gob.gt", "domain": "rpi.gob.gt", "domain_joined": True}}


def guard(**changes):
    args = {"inventory_hostname": "rpi-exch01", "group_names": ["rpi_exchange_servers"], "declared": True,
            "rpi_domain": "rpi.gob.gt", "expected_hostname": "rpi-exch01.rpi.gob.gt", "server_facts": FACTS}
    args.update(changes)
    return [problem.check for problem in check_rpi_server(**args)]


def test_the_rpi_server_passes():
    assert guard() == []


@pytest.mark.parametrize("changes, checks", [
    ({"group_names": ["ungrouped"]}, ["group"]),
    ({"declared": None}, ["declared"]),
    ({"declared": "yes"}, ["declared"]),
    ({"server_facts": {"computer": {**FACTS["computer"], "domain": "mineco.gob.gt"}}}, ["domain"]),
    ({"server_facts": {"computer": {"hostname": "RPI-EXCH01", "domain_joined": False, "domain": None}}}, ["domain"]),
    ({"server_facts": {"computer": {**FACTS["computer"], "hostname": "MINECO-MAIL"}}}, ["hostname"]),
    ({"rpi_domain": ""}, ["rpi_domain"]),
])
def test_foreign_hosts_are_refused(changes, checks):
    assert guard(**changes) == checks
