"""AD preparation as its own step (plugin_utils/_setup/prepare.py; issue 17, item 3)."""

from __future__ import annotations

import json
from unittest.mock import MagicMock

import pytest

from ansible_collections.rpi.exchange.plugins.action import exchange_ad_prepare
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import PlanError
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.prepare import (
    build_prepare_command,
    organization_for,
    steps_for,
)

SE = "15.2.2562.17"
OFF = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"


@pytest.mark.parametrize("prepares, steps", [
    (["schema", "organization", "domain"], ["schema", "ad"]),
    (["organization"], ["ad"]),
    (["domain"], ["ad"]),            # /PrepareAD prepares the local domain too
    (["schema"], ["schema"]),
    ([], []),                        # a re-run: all prepared, nothing runs
    (None, []),
])
def test_steps_follow_what_ad_still_needs(prepares, steps):
    assert steps_for(prepares) == steps


def test_prepare_schema_command_line():
    command = build_prepare_command("schema", media_root="E:\\", media_version=SE, license_switch=OFF)
    assert command.command_line == f"E:\\Setup.exe {OFF} /PrepareSchema"
    assert command.mode == "PrepareSchema" and command.working_directory == "E:\\"


def test_prepare_ad_names_a_new_organisation_and_the_domain_controller():
    command = build_prepare_command("ad", media_root="E:\\", media_version=SE, license_switch=OFF,
                                    organization_name="RPI Guatemala", domain_controller="RPI-DC01.rpi.gob.gt")
    assert command.arguments == (OFF, "/PrepareAD", '/OrganizationName:"RPI Guatemala"', "/DomainController:RPI-DC01.rpi.gob.gt")


def test_organisation_name_only_for_a_first_server():
    new = {"current": {"schema": 0, "organization": 0, "domain": 0}, "organization_name": "RPI"}
    existing = {"current": {"schema": 17003, "organization": 16133, "domain": 13243}, "organization_name": "RPI"}
    assert organization_for("ad", new) == "RPI"
    assert organization_for("ad", existing) is None
    assert organization_for("schema", new) is None


@pytest.mark.parametrize("kwargs", [
    {"license_switch": "/Mode:Install"},                               # not a licence switch
    {"media_version": "no-version"},
    {"organization_name": "RPI", "step": "schema"},                   # /OrganizationName is /PrepareAD's
    {"step": "domain"},                                               # not a step
])
def test_invalid_preparation_plans_are_refused(kwargs):
    args = {"step": "ad", "media_root": "E:\\", "media_version": SE, "license_switch": OFF, **kwargs}
    step = args.pop("step")
    with pytest.raises(PlanError):
        build_prepare_command(step, **args)


# --- the action (rpi.exchange.exchange_ad_prepare) before it touches the server ------------------------------------------

RECORD = {"accepted": True, "media_version": SE, "diagnostic_data": "OFF", "switch": OFF}
FIRST_SERVER = {"prepares": ["schema", "organization", "domain"], "current": {"schema": 0, "organization": 0, "domain": 0},
                "organization_name": "RPI"}


def run_prepare_action(args: dict, check_mode: bool = True) -> dict:
    task = MagicMock()
    task.args = {"setup_path": "E:\\", "media_version": SE, "license_record": RECORD, "run_as_user": "RPI\\svc-exchange",
                 "run_as_password": "Secreto-De-Prueba-1", **args}
    task.async_val = 0
    task.check_mode = check_mode
    task.action = "rpi.exchange.exchange_ad_prepare"
    action = exchange_ad_prepare.ActionModule(task, MagicMock(), play_context=MagicMock(), loader=None, templar=None,
                                              shared_loader_obj=None)
    action._execute_module = MagicMock(side_effect=AssertionError("the server was contacted"))  # pylint: disable=protected-access
    return action.run(task_vars={})


def test_nothing_left_to_prepare_runs_nothing():
    result = run_prepare_action({"ad_decision": {"prepares": []}}, check_mode=False)
    assert result["changed"] is False and result["steps"] == [] and "ya está preparado" in result["msg"]


def test_check_mode_shows_both_steps_in_order_and_runs_nothing():
    result = run_prepare_action({"ad_decision": FIRST_SERVER})
    assert result["changed"] is True and result["check_mode"] is True
    assert [step["command_line"] for step in result["steps"]] == [
        f"E:\\Setup.exe {OFF} /PrepareSchema", f"E:\\Setup.exe {OFF} /PrepareAD /OrganizationName:RPI"]
    assert "Secreto-De-Prueba-1" not in json.dumps(result)


def test_without_activity_6s_record_nothing_is_prepared():
    result = run_prepare_action({"ad_decision": FIRST_SERVER, "license_record": None})
    assert result["failed"] is True and result["changed"] is False and "No se prepara Active Directory" in result["msg"]
