"""Activity 1's instruction and norm 5.1's guard (plugin_utils/_preflight/instruction.py, rpi_guard.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.instruction import RPI_UTC_OFFSET, instruction_evidence, parse_instruction
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.server_guard import (
    RULE_DOMAIN, RULE_EDGE_SUFFIX, check_rpi_server, guard_evidence)

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


# Norm 5.1 for an Edge Transport server: outside the domain by design, it is the RPI's by its primary DNS suffix.
EDGE_FACTS = {"computer": {"hostname": "RPI-EDGE01", "fqdn": "RPI-EDGE01.rpi.gob.gt", "domain": None, "domain_joined": False,
                           "primary_dns_suffix": "rpi.gob.gt"}}


def edge_guard(**changes):
    return guard(**{"role": "EdgeTransport", "server_facts": EDGE_FACTS, "expected_hostname": None, **changes})


def test_an_edge_server_in_a_workgroup_with_the_rpi_suffix_passes():
    assert edge_guard() == []
    assert edge_guard(server_facts={"computer": {**EDGE_FACTS["computer"], "primary_dns_suffix": "RPI.GOB.GT."}}) == []


@pytest.mark.parametrize("changes, checks", [
    ({"server_facts": {"computer": {**EDGE_FACTS["computer"], "primary_dns_suffix": "mineco.gob.gt"}}}, ["dns_suffix"]),
    ({"server_facts": {"computer": {**EDGE_FACTS["computer"], "primary_dns_suffix": None}}}, ["dns_suffix"]),
    ({"declared": False}, ["declared"]),
    ({"group_names": []}, ["group"]),
])
def test_an_edge_server_is_refused_without_the_suffix_or_the_declaration(changes, checks):
    assert edge_guard(**changes) == checks


def test_a_mailbox_server_in_a_workgroup_is_still_refused_whatever_its_suffix():
    assert guard(server_facts=EDGE_FACTS, expected_hostname=None) == ["domain"]


def test_the_wrong_suffix_message_names_the_settings_and_the_fix():
    problem = check_rpi_server(inventory_hostname="rpi-edge01", group_names=["rpi_exchange_servers"], declared=True,
                               rpi_domain="rpi.gob.gt", expected_hostname=None, role="EdgeTransport",
                               server_facts={"computer": {**EDGE_FACTS["computer"], "primary_dns_suffix": "mineco.gob.gt"}})[0]
    for words in ("mineco.gob.gt", "rpi_exchange_rpi_domain", "rpi_exchange_role: EdgeTransport", "sufijo DNS principal"):
        assert words in problem.es
    assert "primary DNS suffix" in problem.en


@pytest.mark.parametrize("role, rule", [("EdgeTransport", RULE_EDGE_SUFFIX), ("Mailbox", RULE_DOMAIN), (None, RULE_DOMAIN)])
def test_the_evidence_says_which_rule_was_applied(role, rule):
    facts = EDGE_FACTS if role == "EdgeTransport" else FACTS
    evidence = guard_evidence("rpi-exch01", "rpi.gob.gt", facts, role)
    assert evidence["details"]["norm_5_1_rule"] == rule
    assert ("perimetral" in evidence["summary_es"]) == (rule == RULE_EDGE_SUFFIX)


# The instruction's purpose: recover_server orders /Mode:RecoverServer (norm 5.6); nothing else is a purpose.
@pytest.mark.parametrize("purpose, expected", [(None, ""), ("", ""), ("recover_server", "recover_server"),
                                               ("RECOVER_SERVER ", "recover_server")])
def test_the_purpose_recover_server_is_read_and_recorded(purpose, expected):
    instruction = parse_instruction({**GOOD, "purpose": purpose})
    assert instruction.problems == [] and instruction.purpose == expected
    assert instruction.as_record().get("purpose", "") == expected


@pytest.mark.parametrize("purpose", ["reinstall", 5, ["recover_server"]])
def test_an_unknown_purpose_is_refused_naming_the_field(purpose):
    problems = parse_instruction({**GOOD, "purpose": purpose}).problems
    assert [problem.field for problem in problems] == ["purpose"]
    assert "recover_server" in problems[0].message() and problems[0].message().startswith("rpi_exchange_instruction.purpose")
