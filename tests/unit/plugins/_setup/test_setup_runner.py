"""The scheduled task that runs Setup.exe: its module arguments and the reading of its state."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import runner
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import SetupCommand

COMMAND = SetupCommand("E:\\Setup.exe", ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", "/Mode:Upgrade"), "E:\\",
                       "Upgrade")


def test_registration_has_no_trigger_and_keeps_the_password_off_the_command_line():
    arguments = runner.register_arguments(COMMAND, "RPI\\svc-exchange", "S3cret!")
    assert arguments["triggers"] == []  # a registration trigger would start setup again at every re-registration
    assert arguments["logon_type"] == "password" and arguments["run_level"] == "highest"
    assert arguments["actions"] == [{"path": "E:\\Setup.exe", "working_directory": "E:\\",
                                     "arguments": "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Upgrade"}]
    assert arguments["multiple_instances"] == runner.MULTIPLE_INSTANCES_IGNORE_NEW
    assert arguments["execution_time_limit"] == "PT0S"
    assert arguments["password"] == "S3cret!"
    assert "S3cret!" not in repr({key: value for key, value in arguments.items() if key != "password"})


def test_registration_refuses_a_password_on_the_command_line_or_a_missing_one():
    leaky = SetupCommand("E:\\Setup.exe", ("/Mode:Upgrade", "/X:S3cret!"), "E:\\", "Upgrade")
    with pytest.raises(ValueError):
        runner.register_arguments(leaky, "RPI\\svc-exchange", "S3cret!")
    with pytest.raises(ValueError):
        runner.register_arguments(COMMAND, "RPI\\svc-exchange", "")


def test_start_is_one_schtasks_argv():
    assert runner.start_arguments() == {"argv": ["schtasks.exe", "/Run", "/TN", "\\RPI\\rpi-exchange-setup"]}
    assert runner.task_path("x", "RPI") == "\\RPI\\x"
    assert runner.remove_arguments()["state"] == "absent"


def test_status_arguments_name_the_task_and_how_to_read():
    assert runner.STATUS_MODULE == "rpi.exchange.win_exchange_setup_status"
    assert runner.status_arguments() == {"task_name": "rpi-exchange-setup", "task_folder": "\\RPI\\", "wait_seconds": 0.0,
                                         "setup_log_from": -1, "setup_log_max_bytes": 0,
                                         "setup_process_folders": ["%SystemRoot%\\Temp\\ExchangeSetup"]}
    # A Setup.exe from the media counts as setup while the server waits; any other does not (issue 14, item 7).
    assert runner.status_arguments(media_root="E:\\")["setup_process_folders"] == ["E:\\", "%SystemRoot%\\Temp\\ExchangeSetup"]
    arguments = runner.status_arguments(wait_seconds=4.5678, log_from=1024, log_max_bytes=65536, setup_path="E:\\Setup.exe")
    assert arguments["wait_seconds"] == 4.568 and arguments["setup_log_from"] == 1024
    assert arguments["setup_log_max_bytes"] == 65536 and arguments["setup_path"] == "E:\\Setup.exe"
    assert runner.status_arguments(wait_seconds=-3)["wait_seconds"] == 0.0


@pytest.mark.parametrize("status, result, running, finished, has_run", [
    ("TASK_STATE_RUNNING", runner.SCHED_S_TASK_RUNNING, True, False, True),
    ("TASK_STATE_READY", runner.SCHED_S_TASK_HAS_NOT_RUN, False, False, False),
    ("TASK_STATE_READY", 0, False, True, True),
    ("TASK_STATE_READY", 1, False, True, True),
    ("TASK_STATE_READY", -2147020576, False, True, True),  # 0x800710E0 as a signed Int32
    ("TASK_STATE_UNKNOWN", runner.SCHED_S_TASK_RUNNING, True, False, True),
])
def test_task_state(status, result, running, finished, has_run):
    state = runner.task_state({"task_exists": True, "state": {"status": status, "last_task_result": result},
                               "actions": [{"Path": "E:\\Setup.exe", "Arguments": "/Mode:Upgrade"}],
                               "principal": {"user_id": "RPI\\svc-exchange"}})
    assert (state.running, state.finished, state.has_run) == (running, finished, has_run)
    assert state.last_result >= 0
    assert state.command_line == "E:\\Setup.exe /Mode:Upgrade"
    assert state.as_dict()["user"] == "RPI\\svc-exchange"


def test_absent_task():
    state = runner.task_state({"task_exists": False, "folder_exists": True})
    assert not state.exists and not state.running and not state.finished
    assert runner.task_state(None) == runner.TaskState(exists=False)


def test_exit_code_words():
    assert "código 0" in runner.exit_code_text(0)
    assert "code 1" in runner.exit_code_text(1, "en")
    assert "reinicio" in runner.exit_code_text(0x40010004)
    assert "0x00000007" in runner.exit_code_text(7, "en")
    assert "desconocido" in runner.exit_code_text(None)


def test_setup_runs_at_the_priority_of_an_interactive_task():
    """Task Scheduler's default priority 7 starts setup BELOW_NORMAL (CPU and memory priority); ExchangeDsc's
    Start-ExchangeScheduledTask sets 4, NORMAL_PRIORITY_CLASS (issue 14, item 4)."""
    assert runner.register_arguments(COMMAND, "RPI\\svc-exchange", "S3cret!")["priority"] == 4


def test_a_registration_refused_by_policy_says_which_policy_and_what_to_do():
    failed = ("failed to register new task definition: A specified logon session does not exist. It may already have been "
              "terminated. (Exception from HRESULT: 0x80070520)")
    message = runner.registration_failure_message(failed)
    assert "DisableDomainCreds" in message and "El administrador debe deshabilitarla" in message and message.endswith(f"({failed})")
    assert "Network access: Do not allow storage" in runner.registration_failure_message(failed, "en")
    assert "rpi_exchange_setup_password" in runner.registration_failure_message("... (Exception from HRESULT: 0x8007052E)")
    assert runner.registration_failure_message("something else") == "something else"
