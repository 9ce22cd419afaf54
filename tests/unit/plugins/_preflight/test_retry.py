"""A retry names the run it continues and who authorised it (issue 20, item 3; norm 5.6)."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight import retry

FAILED = {"id": "20261126T150000Z-0f0f0f", "status": "failed", "finished": "2026-11-26T16:10:00Z", "who_acts": "encargado_ti"}
BY_TECHNICIAN = dict(FAILED, who_acts="tecnico")
OTHER = "20261120T100000Z-000001"
WHO = {"authorised_by": "Ing. María López", "reference": "MEMO-DTI-2026-042"}


@pytest.mark.parametrize("value, expected", [(None, ""), ("", ""), ("  ", ""), (" 20261126T150000Z-0f0f0f ", FAILED["id"])])
def test_parse_retry_of(value, expected):
    assert retry.parse_retry_of(value) == (expected, None)


@pytest.mark.parametrize("value", ["latest", "20261126-0f0f0f", 42, ["x"], "../20261126T150000Z-0f0f0f"])
def test_a_value_that_is_not_a_run_id_is_a_problem_that_says_where_to_find_it(value):
    run_id, problem = retry.parse_retry_of(value)
    assert run_id == "" and "primera página del informe" in problem[0] and "first page" in problem[1]


def test_no_failed_run_before_is_not_a_retry():
    for last in (None, dict(FAILED, status="succeeded")):
        decision = retry.decide_retry(last, "")
        assert decision.status == retry.NOTHING_TO_RETRY and decision.allowed and decision.as_record() is None


def test_a_retry_named_when_nothing_failed_is_recorded_with_a_warning():
    decision = retry.decide_retry(dict(FAILED, status="succeeded"), FAILED["id"], **WHO)
    assert decision.status == retry.NOT_NEEDED and decision.allowed and decision.level == "warning"
    assert "no hay nada que reintentar" in decision.message("es")
    assert decision.as_record() == {"id": FAILED["id"], "decision": "not_needed", "authorised": False,
                                    "named_by_instruction": FAILED["id"], **WHO}


def test_the_instruction_names_the_failed_run():
    decision = retry.decide_retry(FAILED, FAILED["id"], **WHO)
    assert decision.status == retry.AUTHORISED and decision.allowed and decision.level == "ok"
    assert decision.message("es") == ("Reintento de la ejecución 20261126T150000Z-0f0f0f (falló), autorizado por Ing. María López "
                                      "(MEMO-DTI-2026-042).")
    assert decision.as_record() == {"id": FAILED["id"], "decision": "authorised", "authorised": True, "status": "failed",
                                    "named_by_instruction": FAILED["id"], **WHO}
    assert decision.evidence()["details"]["last_run"]["who_acts"] == "encargado_ti"


def test_the_instruction_names_another_run_is_refused_naming_the_one_found():
    decision = retry.decide_retry(dict(FAILED, status="interrupted"), OTHER, **WHO)
    assert decision.status == retry.OTHER_RUN and not decision.allowed and decision.level == "error"
    message = decision.message("es")
    assert OTHER in message and FAILED["id"] in message and "quedó interrumpida" in message
    assert "rpi_exchange_instruction.retry_of" in message and "no se cambia nada en el servidor" in message


def test_a_failure_the_it_head_decides_needs_the_instruction_to_name_it():
    decision = retry.decide_retry(FAILED, "")
    assert decision.status == retry.NEEDS_IT_HEAD and not decision.allowed
    assert f"«retry_of: {FAILED['id']}»" in decision.message("es") and "norma 5.6" in decision.message("es")
    assert f"'retry_of: {FAILED['id']}'" in decision.message("en")
    # A dry run changes nothing: it is told, not stopped.
    dry = retry.decide_retry(FAILED, "", check_mode=True)
    assert dry.allowed and dry.level == "warning" and "--check" in dry.message("es")


def test_a_failure_the_technician_acts_on_is_retried_with_a_warning_and_the_link_recorded():
    for last in (BY_TECHNICIAN, dict(FAILED, who_acts=None)):
        decision = retry.decide_retry(last, "")
        assert decision.status == retry.NOT_NAMED and decision.allowed and decision.level == "warning"
        assert decision.as_record() == {"id": FAILED["id"], "decision": "not_named", "authorised": False, "status": "failed"}
        assert "actúa el técnico" in decision.message("es")


def test_a_retry_after_a_refusal_says_nothing_was_changed_not_who_acts():
    # The refused run's report left the IT Head to act (e.g. a lost server without the order to recover), but it stopped
    # before any change: the corrected run goes on, and the message must not claim the report says the technician acts.
    refused = dict(FAILED, basis="refusal_before_change")
    decision = retry.decide_retry(refused, "")
    assert decision.status == retry.NOT_NAMED and decision.allowed
    assert "antes de cambiar nada" in decision.message("es") and "actúa el técnico" not in decision.message("es")
    assert "before changing anything" in decision.message("en")
    assert "actúa el técnico" in retry.decide_retry(BY_TECHNICIAN, "").message("es")
