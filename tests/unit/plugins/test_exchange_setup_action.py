"""The small pure helpers of the exchange_setup action plugin (the run itself is tested end to end)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.rpi.exchange.plugins.action import exchange_setup as action

CU15 = "15.2.1748.10"


def test_switches_from_either_output_of_exchange_roles():
    values = [{"name": "TargetDir", "value": "D:\\Exchange Server"}, {"name": "InstallWindowsComponents", "value": None}]
    rendered = ['/TargetDir:"D:\\Exchange Server"', "/InstallWindowsComponents", ""]
    assert action.parse_switches(values) == [("TargetDir", "D:\\Exchange Server"), ("InstallWindowsComponents", None)]
    assert action.parse_switches(rendered) == [("TargetDir", "D:\\Exchange Server"), ("InstallWindowsComponents", None)]
    with pytest.raises(AnsibleActionFail):
        action.parse_switches([{"value": 1}])


def test_install_switches_are_dropped_for_an_upgrade_with_the_reason():
    pairs = [("OrganizationName", "RPI"), ("DoNotEnableEP", None), ("InstallWindowsComponents", None)]
    kept, dropped = action.split_for_mode(pairs, "Upgrade", None, CU15)
    assert kept == [("DoNotEnableEP", None)]
    assert [item["switch"] for item in dropped] == ["OrganizationName", "InstallWindowsComponents"]
    assert dropped[0]["es"] and dropped[0]["en"]
    # A wrong value is not dropped: build_command refuses it with its own message.
    kept, dropped = action.split_for_mode([("OrganizationName", " bad name ")], "Install", "Mailbox", CU15)
    assert kept == [("OrganizationName", " bad name ")] and dropped == []
    # Not a switch at all: left for build_command to refuse.
    assert action.split_for_mode([("ProductKey", "X")], "Install", "Mailbox", CU15)[0] == [("ProductKey", "X")]


@pytest.mark.parametrize("license_switch, diagnostic_data, expected", [
    ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataON", None, "ON"),
    ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", None, "OFF"),
    ("/IAcceptExchangeServerLicenseTerms", None, "OFF"),
    (None, True, "ON"),
    (None, "OFF", "OFF"),
    ("/Mode:Install", None, None),
    ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", "OFF", "OFF"),
    ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", "ON", None),  # a contradiction is refused
    ("/IAcceptExchangeServerLicenseTerms", "ON", "ON"),
])
def test_diagnostic_choice(license_switch, diagnostic_data, expected):
    assert action._diagnostic_choice(license_switch, diagnostic_data) == expected  # pylint: disable=protected-access


def test_the_password_is_declared_no_log():
    assert action.ARGUMENT_SPEC["run_as_password"]["no_log"] is True
