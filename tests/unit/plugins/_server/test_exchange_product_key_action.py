"""rpi.exchange.exchange_product_key run in-process against the simulated server (its module answered by the stand-in,
`become` as the run_as user): what it refuses before reading, what it enters, what it leaves, and that the key never
leaves the plugin whole."""

from __future__ import annotations

import json
import types

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.rpi.exchange.plugins.action import exchange_product_key
from simulator import collection_modules, presets
from simulator.exchange import verify
from simulator.exchange.runtime import model_for
from simulator.windows.presets import PASSWORDS
from simulator.windows.testing import Runner

ADMIN = "RPI\\svc-exchange"
STANDARD_KEY, ENTERPRISE_KEY = list(verify.TEST_PRODUCT_KEYS)


class Connection:
    def __init__(self) -> None:
        self._shell = types.SimpleNamespace(tmpdir="C:\\Windows\\Temp\\ansible-tmp")
        self.become = None

    def set_become_plugin(self, plugin) -> None:
        self.become = plugin


def run_action(host, args: dict, check_mode: bool = False, calls: list | None = None) -> dict:
    collection_modules.register_all()
    task = types.SimpleNamespace(args={"run_as_user": ADMIN, "run_as_password": PASSWORDS[ADMIN], **args}, async_val=0,
                                 check_mode=check_mode, action="rpi.exchange.exchange_product_key")
    action = exchange_product_key.ActionModule(task, Connection(), None, None, None)
    runner = Runner(host)

    def execute_module(module_name, module_args, task_vars=None, **_kwargs):
        if calls is not None:
            calls.append((module_name, dict(module_args)))
        become = action._connection.become  # pylint: disable=protected-access
        return runner.module(module_name, module_args, check=check_mode, become_user=become.get_option("become_user"),
                             become_password=become.get_option("become_pass"))

    action._execute_module = execute_module  # pylint: disable=protected-access
    return action.run(task_vars={})


@pytest.fixture()
def host():
    return presets.build("ws2022-exchange-2019-cu15")


def _server(host):
    return model_for(host).org.server(host.hostname)


def test_a_malformed_key_is_refused_before_the_server_is_read(host):
    calls: list = []
    with pytest.raises(AnsibleActionFail) as refused:
        run_action(host, {"product_key": "ABCDE-12345"}, calls=calls)
    assert calls == [] and "rpi_exchange_product_key" in str(refused.value) and "ABCDE-12345" not in str(refused.value)


def test_a_trial_without_a_key_is_read_and_warned_about(host):
    result = run_action(host, {})
    assert result["changed"] is False and result["decision"] == "nothing" and result["trial"] is True
    notice = [item for item in result["rpi_report"]["evidence"] if item["kind"] == "notice"]
    assert len(notice) == 1 and notice[0]["level"] == "warning" and notice[0]["details"]["trial_days_left"] is not None


def test_the_key_is_entered_once_then_left(host):
    calls: list = []
    result = run_action(host, {"product_key": STANDARD_KEY, "expected_edition": "Standard"}, calls=calls)
    assert result["changed"] is True and result["edition"] == "Standard" and result["trial"] is False, result["msg"]
    assert [args.get("restart_information_store") for _name, args in calls] == [None, True]
    assert _server(host).product_key == STANDARD_KEY
    assert STANDARD_KEY not in json.dumps(result) and result["licence_masked"].endswith(STANDARD_KEY[-5:])
    again = run_action(host, {"product_key": STANDARD_KEY})
    assert again["changed"] is False and again["decision"] == "nothing" and again["reason"] == "licensed"


def test_check_mode_says_it_would_enter_and_changes_nothing(host):
    result = run_action(host, {"product_key": STANDARD_KEY}, check_mode=True)
    assert result["changed"] is True and "modo de comprobación" in result["msg"]
    assert [item["kind"] for item in result["rpi_report"]["evidence"]] == ["check", "plan", "notice"]
    assert not _server(host).product_key


def test_a_key_exchange_refuses_is_its_error_without_the_key(host):
    bad = "ZZZZZ-12345-FGHIJ-67890-KLMNO"
    result = run_action(host, {"product_key": bad})
    assert result["failed"] is True and "Set-ExchangeServer" in result["msg"] and verify.INVALID_KEY in result["msg"]
    assert bad not in json.dumps(result) and not _server(host).product_key


def test_an_edition_other_than_expected_fails_the_verification(host):
    result = run_action(host, {"product_key": STANDARD_KEY, "expected_edition": "Enterprise"})
    assert result["failed"] is True and "rpi_exchange_product_edition" in result["msg"]
    # Standard licensed and Enterprise expected: the Enterprise key is the documented upgrade.
    upgraded = run_action(host, {"product_key": ENTERPRISE_KEY, "expected_edition": "Enterprise"})
    assert not upgraded.get("failed") and upgraded["edition"] == "Enterprise", upgraded["msg"]


def test_the_management_tools_have_no_licence(host):
    calls: list = []
    result = run_action(host, {"product_key": STANDARD_KEY, "role": "ManagementTools"}, calls=calls)
    assert calls == [] and result["decision"] == "not_applicable" and result["changed"] is False
