"""Module options are validated like the real PowerShell modules do (Ansible.Basic or the legacy Get-AnsibleParam)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from simulator import collection_modules
from simulator.windows import capture_specs, modules, presets
from simulator.windows.testing import Runner


@pytest.fixture(scope="module")
def run() -> Runner:
    return Runner(presets.build("ws2022-ready"))


def test_unsupported_option_ansible_basic(run: Runner) -> None:
    res = run.module("ansible.windows.win_service", {"name": "WinRM", "foo": 1})
    assert run.last_rc == 1 and res["failed"] is True
    assert res["msg"].startswith("Unsupported parameters for (ansible.windows.win_service) module: foo. "
                                 "Supported parameters include: ")
    assert "start_mode" in res["msg"] and "failure_reset_period" in res["msg"]  # aliases are listed too


def test_unsupported_option_legacy_module_is_rejected_strictly(run: Runner) -> None:
    res = run.module("ansible.windows.win_feature", {"name": "Web-Server", "foo": "bar"})
    assert res["msg"].startswith("Unsupported parameters for (ansible.windows.win_feature) module: foo. "
                                 "Supported parameters include: ")


def test_choices_message_ansible_basic(run: Runner) -> None:
    res = run.module("ansible.windows.win_service", {"name": "WinRM", "state": "running"})
    assert res["msg"] == ("value of state must be one of: started, stopped, restarted, absent, paused. "
                          "Got no match for: running")


def test_choices_are_case_insensitive(run: Runner) -> None:
    res = run.module("ansible.windows.win_service", {"name": "WinRM", "state": "Started"})
    assert run.last_rc == 0, res


def test_legacy_validateset_message(run: Runner) -> None:
    res = run.module("ansible.windows.win_feature", {"name": "Web-Server", "state": "installed"})
    assert res["msg"] == "Get-AnsibleParam: Argument state needs to be one of present,absent but was installed."


def test_missing_required_and_type_errors(run: Runner) -> None:
    assert run.module("ansible.windows.win_stat", {})["msg"] == "missing required arguments: path"
    res = run.module("ansible.windows.win_stat", {"path": "C:\\", "get_checksum": "maybe"})
    assert res["msg"].startswith("argument for get_checksum is of type System.String and we were unable to convert to bool: "
                                 "The value 'maybe' is not a valid boolean.")
    assert run.module("ansible.windows.win_feature", {})["msg"] == "Get-AnsibleParam: Missing required argument: name"


def test_module_rules_from_ps1(run: Runner) -> None:
    res = run.module("ansible.windows.win_command", {"cmd": "whoami", "argv": ["whoami"]})
    assert res["msg"] == "parameters are mutually exclusive: _raw_params, argv, cmd"
    res = run.module("ansible.windows.win_package", {"state": "present"})
    assert res["msg"] == "state is present but all of the following are missing: path"
    res = run.module("ansible.windows.win_service", {"name": "x", "password": "p"})
    assert res["msg"] == "missing parameter(s) required by 'password': username"


def test_suboption_context(run: Runner) -> None:
    res = run.module("ansible.windows.win_service", {"name": "WinRM", "failure_actions": [{"type": "explode"}]})
    assert res["msg"] == ("value of type must be one of: none, reboot, restart, run_command. Got no match for: explode "
                          "found in failure_actions")


def test_check_mode_not_supported(run: Runner) -> None:
    res = run.module("ansible.windows.win_command", {"_raw_params": "whoami"}, check=True)
    assert res["skipped"] is True and res["msg"] == "remote module (ansible.windows.win_command) does not support check mode"
    res = run.module("ansible.windows.win_shell", {"_raw_params": "whoami"}, check=True)
    assert res["skipped"] is True and res["msg"] == "remote module does not support check mode"


def test_no_log_values_are_masked_in_invocation(run: Runner) -> None:
    res = run.module("ansible.windows.win_service", {"name": "WinRM", "username": "RPI\\svc-exchange",
                                                     "password": "Secret-123!"})
    assert "Secret-123!" not in json.dumps(res)
    assert res["invocation"]["module_args"]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_unknown_module_fails_loudly(run: Runner) -> None:
    res = run.module("community.windows.win_iis_website", {"name": "x"})
    assert run.last_rc == 1 and "does not model the module" in res["msg"]


def test_every_emulated_module_has_a_spec() -> None:
    collection_modules.register_all()
    specs = json.loads(capture_specs.SPECS_PATH.read_text(encoding="utf-8"))
    assert sorted(specs) == sorted(capture_specs.MODULES) == modules.names()


def test_specs_json_in_sync_with_installed_collections() -> None:
    if not (Path(sys.executable).with_name("ansible-doc").exists() or shutil.which("ansible-doc")):
        pytest.skip("ansible-doc not available")
    fresh = capture_specs.render(capture_specs.capture())
    assert fresh == capture_specs.SPECS_PATH.read_text(encoding="utf-8"), \
        "specs.json is stale: run `python -m simulator.windows.capture_specs` from tests/"
