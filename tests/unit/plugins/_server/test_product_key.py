"""The product key's decisions (activity 10): format, masking, trial days, whether to enter it, what to verify after."""

from __future__ import annotations

import json

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import product_key as pk

KEY = "ABCDE-12345-FGHIJ-67890-KLMNO"


@pytest.mark.parametrize("value", [KEY, KEY.lower(), f"  {KEY} ", "12345-12345-12345-12345-12345"])
def test_well_formed_keys(value):
    assert pk.well_formed(value)
    assert pk.format_problem(value) is None


@pytest.mark.parametrize("value", ["", "ABCDE-12345-FGHIJ-67890", "ABCDE12345FGHIJ67890KLMNO", "ABCDE-12345-FGHIJ-67890-KLMN!",
                                   "ABCDE-12345-FGHIJ-67890-KLMNOP", "ABCDE_12345_FGHIJ_67890_KLMNO", None])
def test_malformed_keys_are_refused_naming_the_variable_without_the_key(value):
    problem = pk.format_problem(value)
    assert problem is not None
    assert pk.VARIABLE in problem.es and pk.VARIABLE in problem.en
    assert "Corrija" in problem.es
    if value:
        assert str(value) not in problem.es and str(value) not in problem.en


def test_mask_shows_only_the_last_five():
    assert pk.mask(KEY) == "*****-*****-*****-*****-KLMNO"
    assert pk.mask(KEY.lower()) == "*****-*****-*****-*****-KLMNO"
    assert pk.mask("not a key") == "********"


def test_trial_days_from_the_install_date():
    assert pk.trial_days_left("2026-12-01T10:00:00Z", "2026-12-06") == 175
    assert pk.trial_days_left("2026-12-06T10:00:00Z", "2026-12-06T23:00:00+00:00") == 180
    assert pk.trial_days_left("2026-01-01", "2026-12-06") == 0  # expired: never negative
    # Without an install date: Get-ExchangeServer's RemainingTrialPeriod (a TimeSpan as PowerShell prints it).
    assert pk.trial_days_left(None, "2026-12-06", "179.23:59:59.1234567") == 179
    assert pk.trial_days_left(None, "2026-12-06", "00:00:00") == 0
    assert pk.trial_days_left(None, None, None) is None


def _server(**values):
    answer = {"exchange_server": {"edition": "StandardEvaluation", "is_trial": True, "server_role": "Mailbox",
                                  "when_created_utc": "2026-12-01T10:00:00Z", "remaining_trial_period": "175.00:00:00"}}
    answer["exchange_server"].update(values)
    return pk.ServerLicence.from_module(answer)


def test_a_trial_with_a_key_gets_it_a_trial_without_one_is_left():
    assert pk.decide(_server(), KEY).action == pk.ENTER
    assert pk.decide(_server(), None).action == pk.NOTHING
    assert pk.decide(_server(), "").reason == "trial_without_key"


def test_a_licensed_server_is_left_alone_unless_enterprise_is_expected_on_standard():
    standard = _server(edition="Standard", is_trial=False)
    enterprise = _server(edition="Enterprise", is_trial=False)
    assert pk.decide(standard, KEY).action == pk.NOTHING
    assert pk.decide(standard, KEY, pk.STANDARD).action == pk.NOTHING
    assert pk.decide(standard, KEY, pk.ENTERPRISE).action == pk.ENTER  # Microsoft's documented upgrade
    assert pk.decide(enterprise, KEY, pk.STANDARD).action == pk.NOTHING  # no downgrade without reinstalling
    assert pk.decide(pk.ServerLicence(found=False), KEY).action == pk.NOT_APPLICABLE


def test_verify_after_entering():
    assert pk.verify(_server(edition="Standard", is_trial=False)) is None
    assert pk.verify(_server(edition="Standard", is_trial=False), pk.STANDARD) is None
    still = pk.verify(_server())
    assert still is not None and "prueba" in still.es
    wrong = pk.verify(_server(edition="Standard", is_trial=False), pk.ENTERPRISE)
    assert wrong is not None and pk.EDITION_VARIABLE in wrong.es


def test_the_information_store_is_restarted_on_a_mailbox_server_only():
    assert pk.restarts_information_store(_server())
    assert not pk.restarts_information_store(_server(server_role="Edge"))


def test_notices_never_carry_the_key():
    trial = pk.licence_notice(_server(), today="2026-12-06")
    assert trial["level"] == "warning" and trial["kind"] == "notice"
    assert "175" in trial["summary_es"] and pk.VARIABLE in trial["summary_es"]
    assert trial["details"]["trial_days_left"] == 175
    licensed = pk.licence_notice(_server(edition="Standard", is_trial=False), key=KEY, entered=True)
    assert "Standard" in licensed["summary_es"] and "*****-*****-*****-*****-KLMNO" in licensed["summary_es"]
    planned = pk.licence_notice(_server(), key=KEY, entered=True, check_mode=True)
    assert "ingresaría" in planned["summary_es"]
    for item in (trial, licensed, planned):
        assert KEY not in json.dumps(item)
