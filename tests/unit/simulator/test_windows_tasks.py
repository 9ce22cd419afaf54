"""Scheduled tasks: registration trigger -> program handler with the parsed command line and run-as account."""

from __future__ import annotations

import pytest

from simulator.windows import presets
from simulator.windows.programs import ProgramResult, ProgramRun
from simulator.windows.state import WindowsHost
from simulator.windows.testing import Runner

TASK = "community.windows.win_scheduled_task"
STAT = "community.windows.win_scheduled_task_stat"
SETUP_ARGS = "/Mode:Install /Roles:Mailbox /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /TargetDir:\"D:\\Exchange Server\""


@pytest.fixture
def env() -> tuple[Runner, list[ProgramRun]]:
    host = presets.build("ws2022-ready")
    host.fs.write(r"C:\Media\Setup.exe", b"MZ")
    runs: list[ProgramRun] = []

    def handler(h: WindowsHost, run: ProgramRun) -> ProgramResult:
        runs.append(run)
        return ProgramResult(rc=0, duration_seconds=3600, child_processes=["ExSetup.exe"])

    host.register_program_handler("setup.exe", handler)
    return Runner(host), runs


def _task_args(**extra: object) -> dict:
    args = {"name": "Instalar Exchange", "actions": [{"path": r"C:\Media\Setup.exe", "arguments": SETUP_ARGS}],
            "triggers": [{"type": "registration"}], "username": "RPI\\svc-exchange",
            "password": presets.PASSWORDS["RPI\\svc-exchange"], "logon_type": "password", "run_level": "highest"}
    args.update(extra)
    return args


def test_registration_trigger_runs_handler_as_the_task_user(env: tuple[Runner, list[ProgramRun]]) -> None:
    run, runs = env
    res = run.module(TASK, _task_args())
    assert run.last_rc == 0 and res["changed"] is True
    assert len(runs) == 1
    started = runs[0]
    assert started.user == "RPI\\svc-exchange"
    assert started.via == "scheduled_task" and started.task_path == "\\Instalar Exchange"
    assert started.argv == ["/Mode:Install", "/Roles:Mailbox", "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF",
                            r"/TargetDir:D:\Exchange Server"]
    assert started.elevated and started.network_credentials and started.logon_type == "password"
    stat = run.module(STAT, {"name": "Instalar Exchange"})
    assert stat["task_exists"] is True
    assert presets.PASSWORDS["RPI\\svc-exchange"] not in str(res) + str(stat)


def test_task_running_state_then_result(env: tuple[Runner, list[ProgramRun]]) -> None:
    from simulator.clock import Clock
    run = env[0]
    run.host.clock = Clock(speed=1.0)  # keep the hour-long run going in real time for this test
    run.module(TASK, _task_args())
    stat = run.module(STAT, {"name": "Instalar Exchange"})
    assert stat["state"]["status"] == "TASK_STATE_RUNNING" and stat["state"]["last_task_result"] == 267009
    assert run.host.find_processes("ExSetup")
    task = run.host.get_task("Instalar Exchange")
    run.host.stop_task(task)
    stat = run.module(STAT, {"name": "Instalar Exchange"})
    assert stat["state"]["status"] == "TASK_STATE_READY"


def test_task_finishes_with_speed_zero(env: tuple[Runner, list[ProgramRun]]) -> None:
    run = env[0]
    run.module(TASK, _task_args())
    stat = run.module(STAT, {"name": "Instalar Exchange"})
    assert stat["state"]["status"] == "TASK_STATE_READY" and stat["state"]["last_task_result"] == 0
    assert not run.host.find_processes("ExSetup")


def test_password_makes_every_run_a_change_and_refires(env: tuple[Runner, list[ProgramRun]]) -> None:
    run, runs = env
    run.module(TASK, _task_args())
    again = run.module(TASK, _task_args())
    assert again["changed"] is True and len(runs) == 2  # update_password defaults to true (the real module)
    quiet = run.module(TASK, _task_args(update_password=False))
    assert quiet["changed"] is False and len(runs) == 2


def test_wrong_password_is_rejected(env: tuple[Runner, list[ProgramRun]]) -> None:
    run, runs = env
    res = run.module(TASK, _task_args(password="nope"))
    assert run.last_rc == 1
    assert res["msg"].startswith("failed to register new task definition: The user name or password is incorrect")
    assert runs == [] and run.host.get_task("Instalar Exchange") is None


def test_interactive_token_task_does_not_start_without_a_logon(env: tuple[Runner, list[ProgramRun]]) -> None:
    run, runs = env
    args = _task_args(logon_type="interactive_token")
    del args["password"]
    run.module(TASK, args)
    assert runs == []
    assert run.host.get_task("Instalar Exchange").last_task_result == 0x800710E0


def test_s4u_has_no_network_credentials_and_start_by_win_shell(env: tuple[Runner, list[ProgramRun]]) -> None:
    run, runs = env
    run.module(TASK, _task_args(logon_type="s4u", triggers=[]))
    assert runs == []
    res = run.module("ansible.windows.win_shell", {"_raw_params": "Start-ScheduledTask -TaskName 'Instalar Exchange'"})
    assert run.last_rc == 0, res
    assert len(runs) == 1 and runs[0].network_credentials is False


def test_check_mode_and_delete(env: tuple[Runner, list[ProgramRun]]) -> None:
    run, runs = env
    assert run.module(TASK, _task_args(), check=True)["changed"] is True
    assert run.host.get_task("Instalar Exchange") is None and runs == []
    run.module(TASK, _task_args())
    assert run.module(TASK, {"name": "Instalar Exchange", "state": "absent"})["changed"] is True
    assert run.module(STAT, {"name": "Instalar Exchange"})["task_exists"] is False


def test_powershell_wrapped_action_reaches_the_handler(env: tuple[Runner, list[ProgramRun]]) -> None:
    run, runs = env
    action = {"path": "powershell.exe", "arguments": "-NoProfile -Command \"& 'C:\\Media\\Setup.exe' /Mode:Upgrade\""}
    run.module(TASK, _task_args(actions=[action]))
    assert runs and runs[0].executable == r"C:\Media\Setup.exe" and runs[0].argv == ["/Mode:Upgrade"]


@pytest.mark.parametrize("priority, expected", [(None, "BelowNormal"), (7, "BelowNormal"), (4, "Normal"), (9, "Idle")])
def test_the_task_priority_sets_the_priority_class_of_its_processes(env: tuple[Runner, list[ProgramRun]], priority, expected) -> None:
    """Task Scheduler's default priority is 7: its action runs BELOW_NORMAL, and a child (ExSetup.exe) inherits that
    class (Microsoft Learn: ITaskSettings::put_Priority; CreateProcessW)."""
    from simulator.clock import Clock
    run, runs = env
    run.host.clock = Clock(speed=1.0)  # keep the processes alive while the test looks at them
    run.module(TASK, _task_args(**({} if priority is None else {"priority": priority})))
    stat = run.module(STAT, {"name": "Instalar Exchange"})
    assert stat["settings"]["priority"] == (7 if priority is None else priority)
    assert runs[0].priority_class == expected
    started = {proc.name: proc.priority_class for proc in run.host.processes.values() if not proc.system}
    assert started["Setup.exe"] == expected and started["ExSetup.exe"] == expected


def test_disable_domain_creds_forbids_a_task_with_a_stored_password() -> None:
    """With "Network access: Do not allow storage of passwords and credentials for network authentication" enabled
    (Lsa DisableDomainCreds=1), a Password-logon task fails to register with 0x80070520; S4U and SYSTEM tasks store no
    password and still register."""
    host = presets.build("ws2022-bare-disable-domain-creds")
    host.fs.write(r"C:\Media\Setup.exe", b"MZ")
    run = Runner(host)
    res = run.module(TASK, _task_args(triggers=[]))
    assert run.last_rc == 1 and res["failed"] is True and res["changed"] is False
    assert res["msg"] == ("failed to register new task definition: A specified logon session does not exist. It may already "
                          "have been terminated. (Exception from HRESULT: 0x80070520)")
    assert run.host.tasks == {}
    assert presets.PASSWORDS["RPI\\svc-exchange"] not in str(res)
    # A wrong password is still the first thing Task Scheduler reports.
    wrong = run.module(TASK, _task_args(triggers=[], password="nope"))
    assert "0x8007052E" in wrong["msg"]
    s4u = run.module(TASK, _task_args(triggers=[], logon_type="s4u"))
    system = run.module(TASK, _task_args(name="Sistema", triggers=[], username="SYSTEM", password=None, logon_type=None))
    assert s4u["changed"] is True and system["changed"] is True and len(run.host.tasks) == 2


def test_a_fresh_server_allows_stored_task_passwords() -> None:
    host = presets.build("ws2022-bare")
    assert host.registry.get(r"HKLM\SYSTEM\CurrentControlSet\Control\Lsa", "DisableDomainCreds") == 0
