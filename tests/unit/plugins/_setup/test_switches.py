"""Reading what exchange_setup is given (plugin_utils/_setup/switches.py); the run itself is tested end to end."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.action import exchange_setup as action
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import switches

CU15 = "15.2.1748.10"


def test_switches_from_either_output_of_exchange_setup_options():
    values = [{"name": "TargetDir", "value": "D:\\Exchange Server"}, {"name": "InstallWindowsComponents", "value": None}]
    rendered = ['/TargetDir:"D:\\Exchange Server"', "/InstallWindowsComponents", ""]
    assert switches.parse_switches(values) == [("TargetDir", "D:\\Exchange Server"), ("InstallWindowsComponents", None)]
    assert switches.parse_switches(rendered) == [("TargetDir", "D:\\Exchange Server"), ("InstallWindowsComponents", None)]
    with pytest.raises(switches.SwitchError):
        switches.parse_switches([{"value": 1}])


def test_install_switches_are_dropped_for_an_upgrade_with_the_reason():
    pairs = [("OrganizationName", "RPI"), ("DoNotEnableEP", None), ("InstallWindowsComponents", None)]
    kept, dropped = switches.split_for_mode(pairs, "Upgrade", None, CU15)
    assert kept == [("DoNotEnableEP", None)]
    assert [item["switch"] for item in dropped] == ["OrganizationName", "InstallWindowsComponents"]
    assert dropped[0]["es"] and dropped[0]["en"]
    # A wrong value is not dropped: build_command refuses it with its own message.
    kept, dropped = switches.split_for_mode([("OrganizationName", " bad name ")], "Install", "Mailbox", CU15)
    assert kept == [("OrganizationName", " bad name ")] and dropped == []
    # Not a switch at all: left for build_command to refuse.
    assert switches.split_for_mode([("ProductKey", "X")], "Install", "Mailbox", CU15)[0] == [("ProductKey", "X")]


OPTIONS = {"changed": False, "role": "Mailbox", "mode": "Install", "switches": ["/Roles:Mailbox", "/OrganizationName:RPI"],
           "switch_values": [{"name": "OrganizationName", "value": "RPI"}], "problems": []}


def test_activity_7s_whole_result_gives_the_role_and_the_switches():
    assert switches.read_setup_options(OPTIONS) == ("Mailbox", [("OrganizationName", "RPI")], ())
    assert switches.read_setup_options(dict(OPTIONS, role="EdgeTransport", switch_values=[]))[:2] == ("EdgeTransport", [])


@pytest.mark.parametrize("options, code", [
    (None, "setup_options_missing"),
    ({}, "setup_options_missing"),
    (dict(OPTIONS, failed=True), "setup_options_refused"),
    (dict(OPTIONS, problems=[{"code": "target_dir_root"}]), "setup_options_refused"),
    (dict(OPTIONS, role=None), "setup_options_role"),
    (dict(OPTIONS, switch_values=[{"value": 1}]), "setup_options_switches"),
])
def test_setup_without_activity_7s_result_is_refused(options, code):
    role, pairs, problems = switches.read_setup_options(options)
    assert (role, pairs, [problem.code for problem in problems]) == (None, [], [code])
    assert problems[0].name == "setup_options" and "actividad 7" in problems[0].message("es")


def test_the_password_is_declared_no_log():
    assert action.ARGUMENT_SPEC["run_as_password"]["no_log"] is True


@pytest.mark.parametrize("arguments, expected", [
    ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Upgrade", "upgrade"),
    ('/mode:"Install" /Roles:Mailbox', "install"),
    ("/m:RecoverServer /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", "recoverserver"),
    ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", "install"),  # setup's default mode
    (None, "install"),
])
def test_one_reader_of_the_mode_for_every_caller(arguments, expected):
    # The run that follows an earlier setup and the one that reads its result agree (issue 15: they did not on RecoverServer).
    assert switches.mode_of(arguments) == expected
